"""bench.eval_labels' figures: what it counts as unreadable, covered and shared."""

from __future__ import annotations

from bench.eval_labels import figures, unreadable


def test_unreadable_labels_are_digits_ids_fragments_and_korean_words_with_particles() -> None:
    assert unreadable("16oz cans") and unreadable("help _") and unreadable("굿 · 구")
    assert unreadable("배송이") and unreadable("로그인이 안됨")
    assert not unreadable("배송 지연") and not unreadable("튕기다") and not unreadable("customer service")


def test_covered_counts_posts_holding_a_label_word_and_shared_counts_words_of_several_topics() -> None:
    texts = ["bag lost again", "my luggage never came", "refund please", "refund still not here"]
    forms = [set(t.split()) for t in texts]
    labels = {0: ["lost bag"], 1: ["refund", "lost"]}
    result = figures(labels, {0: [0, 1], 1: [2, 3]}, texts, forms)
    assert result["covered"] == 0.75  # topic 0: 1 of 2 posts; topic 1: 2 of 2
    assert result["shared"] == 0.5  # "lost" labels both topics: 2 of the 4 label words
    assert result["unreadable"] == 0 and result["topics"] == 2
