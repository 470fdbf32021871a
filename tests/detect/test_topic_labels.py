"""Topic labels a person can read (#13 item 5): no `_`, no one-syllable Korean, no brand, no typo,
no word every topic uses; phrases picked by MMR close to the topic's centre."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundswell.nlp.topics.korean_words import whole_words, within
from groundswell.nlp.topics.labels import LabelMaker, brand_words, mmr, readable


def test_brand_words_come_from_names_and_queries_without_operators() -> None:
    assert brand_words(["Lumio", '(lumio OR 루미오) AND NOT "lumio jobs"']) == {"lumio", "루미오", "jobs"}


@pytest.mark.parametrize(
    "word", ["_", "help_", "구", "12", "a1", "x", "u2019s", "u002c", "oo", "zzz", "oo 영화"]
)
def test_placeholders_fragments_and_numbers_do_not_read_as_words(word: str) -> None:
    assert not readable(word)


def test_labels_skip_brand_typos_one_syllable_and_generic_words() -> None:
    rng = random.Random(0)
    tokens, ids = [], []
    for topic, words in enumerate([["battery", "charger", "overheating"], ["배송", "택배", "지연"]]):
        for i in range(40):
            post = [*rng.sample(words, 2), "lumio", "구", "today"]
            if i == 0:
                post.append("batery")  # a typo in one post
            tokens.append(post)
            ids.append(topic)
    tokens += [["lumio", "today", "misc"]] * 40
    ids += [2] * 40

    def embed(phrases: list[str]) -> np.ndarray:
        return np.eye(len(phrases), 8)[: len(phrases)] + 0.1

    centres = {g: np.full(8, 1 / np.sqrt(8)) for g in range(3)}
    labels = LabelMaker(["Lumio"]).label(tokens, ids, centres, embed)
    used = {w for phrases in labels.values() for p in phrases for w in p.split(" ")}
    assert used & {"battery", "charger", "overheating"} and used & {"배송", "택배", "지연"}
    assert not used & {"lumio", "구", "today", "batery"}
    assert all(p for p in labels[0] + labels[1])


def test_a_topic_of_short_replies_is_labelled_by_what_they_do() -> None:
    """Replies to a brand ("thanks!", "I need help", each with a word of its own) share no subject:
    a subject word 3 of 40 of them hold said little (real complaint tweets: `working`); what they do
    (thanks, help) is their label. Beside a subject, speech acts stay generic."""
    rng = random.Random(1)
    tokens, ids = [], []
    for _ in range(40):
        tokens.append(["battery", rng.choice(["charger", "overheating"]), "thanks"])
        ids.append(0)
    for i in range(40):
        tokens.append([rng.choice(["thanks", "help"]), f"own{i}"] + (["working"] if i < 3 else []))
        ids.append(1)

    def embed(phrases: list[str]) -> np.ndarray:
        return np.eye(len(phrases), 8)[: len(phrases)] + 0.1

    centres = {g: np.full(8, 1 / np.sqrt(8)) for g in range(2)}
    labels = LabelMaker().label(tokens, ids, centres, embed)
    assert set(labels[1][:2]) == {"thanks", "help"}
    assert "thanks" not in labels[0]


def test_a_korean_name_kiwi_reads_as_pieces_is_labelled_whole() -> None:
    """Kiwi reads the unknown product name 에스나인 as 에스나 + 이 + ㄴ or 에스 + 나인 (the demo's
    `고민 · 사진 · 에스나`); the posts write it whole, with particles. A noun with particles, with a
    verb made of it (업데이트하고), a dependent noun (업데이트후) or that also stands alone keeps its form."""
    from groundswell.nlp.topics.tokens import tokenize

    texts = ["에스나인 카메라 좋아요", "에스나인으로 바꿨어요", "에스나인이랑 비교해봄", "에스나인 살까 고민"]
    texts += ["배송이 늦어요", "배송은 빨라요", "배송비 비싸요", "업데이트후 튕겨요", "업데이트후 안돼요"]
    words = {t for row in tokenize(texts[:4], ["ko"] * 4) for t in row}
    assert "에스나인" not in words  # what Kiwi makes of the name
    pieces = {t for t in words if "에스나인".startswith(t)}
    assert pieces
    assert whole_words(sorted(pieces), texts) == ["에스나인"]  # each piece the same word, said once
    assert whole_words(["배송 지연", "업데이트", "카메라"], texts) == ["배송 지연", "업데이트", "카메라"]
    # the longer word without its particles where the posts also write it bare; as written if not
    written = ["고객센터는 최악", "고객센터는 별로", "고객센터 전화", "네이버페이 할인", "네이버페이로 결제"]
    written += ["배송조회가 안 돼요", "배송조회가 이상해요", "배송조회는 어디서"]  # never bare: two particles
    assert whole_words(["고객 센터", "네이버 페이", "배송 조회"], written) == [
        "고객센터",
        "네이버페이",
        "배송조회",
    ]
    # a word that also stands alone keeps its form
    texts += ["고객센터 연결 안 돼요", "고객센터에 전화함", "고객센터 최악", "고객 만족 최고", "고객이 왕"]
    assert whole_words(["고객 센터", "고객 만족"], texts) == ["고객 센터", "고객 만족"]


_SYLLABLES = st.sampled_from(list("에스나인고객센터배송조회가는을이"))


@given(
    st.lists(st.text(_SYLLABLES, min_size=1, max_size=4), min_size=1, max_size=4),
    st.lists(st.lists(st.text(_SYLLABLES, min_size=1, max_size=7), max_size=5).map(" ".join), max_size=12),
)
def test_whole_words_only_gives_back_words_the_posts_or_labels_say(
    words: list[str], texts: list[str]
) -> None:
    phrases = [" ".join(words[: k + 1]) for k in range(len(words))]
    said = {e for t in texts for e in t.split()} | set(words)
    out = whole_words(phrases, texts)
    assert 1 <= len(out) <= len(phrases)
    for phrase in out:
        for word in phrase.split(" "):
            assert word in said or any(e.startswith(word) for e in said)


def test_a_noun_the_posts_only_write_with_jeok_is_labelled_so() -> None:
    """Kiwi cuts 이기적 ("selfish") into 이기 ("selfishness") + 적; the label says what the posts say,
    and a noun that also stands alone (감동) keeps its form."""
    texts = [
        "이기적인 사람들 짜증",
        "주인공이 이기적이고 답답",
        "이기적인드라마 내용",
        "감동적인 영화",
        "감동이 없다",
        "감동을 받았다",
    ]
    assert whole_words(["짜증 이기", "감동"], texts) == ["짜증 이기적", "감동"]


def test_a_place_noun_after_a_label_word_is_not_part_of_it() -> None:
    """가방안에 is 가방 + 안 ("inside") + 에, not one word (KOTE comments read `가방안에 · 요즘 · 사진`)."""
    assert whole_words(["가방"], ["가방안에 넣었는데", "가방안에 있던 지갑", "가방안에 물이"]) == ["가방"]


def test_a_keyword_inside_a_label_s_korean_word_says_nothing_more() -> None:
    """The keywords after a label leave out its pieces (에스나 beside 에스나인); English words are
    compared whole."""
    assert within("에스나", "고민 에스나인") and within("센터", "고객센터")
    assert within("battery", "battery") and not within("battery", "battery life")
    assert not within("bat", "battery") and not within("배송", "고객센터")


def test_korean_topic_words_are_in_dictionary_form() -> None:
    """Verb stems take 다 and adjective roots (XR) take 하다: a bare root (불쌍) reads as a fragment."""
    from groundswell.nlp.topics.tokens import tokenize

    tokens = tokenize(["불쌍해요 배송이 자꾸 늦어요", "포장이 깨끗하고 앱이 튕겨요"], ["ko", "ko"])
    assert "불쌍하다" in tokens[0] and "배송" in tokens[0]
    assert "깨끗하다" in tokens[1] and "튕기다" in tokens[1]
    assert not {"불쌍", "깨끗"} & {t for row in tokens for t in row}


def test_mmr_prefers_close_phrases_and_skips_repeats() -> None:
    vectors = np.array([[1.0, 0.0, 0.0], [0.99, 0.1, 0.0], [0.6, 0.0, 0.8], [0.0, 1.0, 0.0]])
    centre = np.array([0.8, 0.0, 0.6])
    phrases = ["customer service", "service", "refund delay", "weather"]
    picked = mmr(vectors, centre, phrases, 3)
    assert picked[0] in {"customer service", "refund delay"}
    assert not {"customer service", "service"} <= set(picked)  # shares a word with a picked phrase
    assert "weather" not in picked[:2]


def test_a_one_space_snapshot_loads_and_refits_keeping_ids() -> None:
    """Snapshots from before languages were clustered apart: 3-field memory, one array of centres."""
    pytest.importorskip("hdbscan")
    from groundswell.nlp.topics import TopicModeler

    rng = random.Random(3)
    vocab = [[f"{t}{i}" for i in range(15)] for t in ("battery", "delivery")]
    texts = [" ".join(rng.sample(vocab[i % 2], 6)) for i in range(120)]
    model = TopicModeler(online=False, reduce="none", embedding="tfidf", engine="native")
    first = [r.id if r else -1 for r in model.fit(texts, ["en"] * len(texts))]
    state = model.__getstate__()
    state["memory"] = [m[:3] for m in state["memory"]]
    state["centres"], state["embedder"] = np.zeros((2, 3)), object()
    old = TopicModeler.__new__(TopicModeler)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert old.model is None and old.embedding == "hybrid"
    old.embedding = "tfidf"  # keep this test free of the meaning encoders
    again = [r.id if r else -1 for r in old.update(texts[:40], ["en"] * 40)]
    assert again == first[:40]


def test_the_ingest_step_gives_the_topic_model_the_configured_brand_names(tmp_path) -> None:
    from groundswell.config.settings import Settings
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.pipeline.process import MentionProcessor

    settings = Settings.model_validate({"brands": [{"name": "Lumio", "query": "lumio OR 루미오"}]})
    store = SQLiteStore(tmp_path / "t.db")
    try:
        processor = MentionProcessor(settings, store)
        assert processor.modeler is not None
        assert {"lumio", "루미오"} <= processor.modeler.brand_names
        assert not processor.modeler.labeller.allowed("루미오 배송")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("semantic_en", "english"), [("auto", "static"), ("onnx", "onnx"), ("minilm", "minilm")]
)
def test_the_ingest_step_embeds_english_topics_as_it_does_touchpoints(
    tmp_path, semantic_en: str, english: str
) -> None:
    from groundswell.config.settings import Settings
    from groundswell.indexer.sqlite import SQLiteStore
    from groundswell.pipeline.process import MentionProcessor

    settings = Settings.model_validate({"nlp": {"semantic_en": semantic_en}})
    store = SQLiteStore(tmp_path / "t.db")
    try:
        processor = MentionProcessor(settings, store)
        assert processor.modeler is not None and processor.modeler.english == english
    finally:
        store.close()


def test_an_english_phrase_is_two_words_the_post_says_side_by_side() -> None:
    """Demo labels read "case close" ("the case won't close") and "try fourth" ("try a fourth time")."""
    from groundswell.nlp.topics.labels import candidates
    from groundswell.nlp.topics.tokens import tokenize

    text = "The case won't close and the swollen battery pushed the screen. Try a fourth time?"
    tokens = tokenize([text])[0]
    loose = candidates(tokens)
    assert {"case close", "try fourth"} <= loose  # without the text, as before
    said = candidates(tokens, text)
    assert not {"case close", "try fourth"} & said
    assert {"swollen battery", "battery", "case"} <= said
    korean = tokenize(["배송 지연이 너무 심해요"])[0]
    assert "배송 지연" in candidates(korean, "배송 지연이 너무 심해요")  # Korean phrases as before
    assert "swelled firmware" not in candidates(
        tokenize(["battery swelled, firmware 3.2"])[0], "battery swelled, firmware 3.2"
    )


def test_verbs_of_telling_and_ordinals_never_label_a_topic() -> None:
    maker = LabelMaker()
    assert not any(
        maker.allowed(c) for c in ("support told", "invoice shows", "try fourth", "told", "fourth")
    )
    assert all(maker.allowed(c) for c in ("swollen battery", "overheating warning", "refund"))


def test_template_sentences_never_label_a_topic() -> None:
    """A sentence stamped on posts all over the topics (a forum's "Long time lurker.", a store's
    "Mixed feelings.", "댓글 부탁드려요") is read as if unsaid; the topics' own words label them."""
    from groundswell.nlp.topics.labels import boilerplate
    from groundswell.nlp.topics.tokens import tokenize

    rng = random.Random(1)
    stories = {
        0: ["battery drains overnight", "battery swelled near the hinge", "charger runs hot on battery"],
        1: ["parcel arrived late", "courier lost the parcel", "parcel tracking stuck for days"],
        2: ["배송이 너무 늦어요", "택배 배송 지연이 심해요", "배송 기사님이 연락이 없어요"],
        3: ["로그인이 안 돼요", "로그인 오류가 계속 나요", "비밀번호 로그인이 실패해요"],
    }
    texts, ids = [], []
    for i in range(120):
        g = i % 4
        if g < 2:
            body = f"{rng.choice(stories[g])} {rng.choice(['again', 'today', 'this week', 'sadly', 'ugh'])}."
            texts.append(f"Long time lurker. {body}" if i % 8 < 4 else f"{body} Long time lurker.")
        else:  # no punctuation: the polite ending closes the sentence
            texts.append(
                f"{rng.choice(['오늘도', '또', '계속', '진짜'])} {rng.choice(stories[g])} 댓글 부탁드려요"
            )
        ids.append(g)

    assert boilerplate(texts, ids) == {"long time lurker", "댓글 부탁드려요"}
    centres = {g: np.full(8, 1 / np.sqrt(8)) for g in range(4)}

    def embed(phrases: list[str]) -> np.ndarray:
        return np.eye(len(phrases), 8)[: len(phrases)] + 0.1

    said: dict[int, set[str]] = {}
    labels = LabelMaker().label(tokenize(texts), ids, centres, embed, texts=texts, said=said)
    used = {w for phrases in labels.values() for p in phrases for w in p.split(" ")}
    assert not used & {"long", "time", "lurker", "댓글", "부탁"}
    assert {"battery", "parcel", "배송", "로그인"} <= used
    # the topics' keywords keep to what their posts say outside the templates
    assert "lurker" not in said[0] | said[1] and "댓글" not in said[2] | said[3]
    assert "battery" in said[0] and "로그인" in said[3]


def test_a_shared_headline_or_a_retweet_is_not_template_text() -> None:
    from groundswell.nlp.topics.labels import boilerplate

    comments = ["wow", "finally", "about time", "not surprised", "yikes", "told you so", "ouch"]
    shared = [f"Lumio recalls X2 batteries. {c} #{i}" for i, c in enumerate(comments * 2)]
    retweets = ["RT @user: my flight was cancelled. no refund either."] * 20
    ids = [0] * len(shared) + [i % 4 for i in range(len(retweets))]
    assert boilerplate(shared + retweets, ids) == frozenset()
    # a storm the topic model split in four: the headline is still most of each post
    assert boilerplate(shared, [i % 4 for i in range(len(shared))]) == frozenset()
