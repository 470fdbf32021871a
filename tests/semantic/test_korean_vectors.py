"""Korean meaning vectors built here (PPMI + SVD over Kiwi morphemes) and refined on a stream."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from groundswell.nlp.semantic.korean_vectors import KoreanVectors, content_morphemes

DELIVERY = ["배송", "택배", "도착", "발송"]
LOGIN = ["로그인", "인증", "비밀번호", "계정"]
TAIL = ["너무", "늦어요", "안돼요", "문제", "오늘", "어제", "계속", "또"]


def _corpus(seed: int = 0, n: int = 600) -> list[list[str]]:
    """Posts about delivery or login: words of one kind share contexts, not posts."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n):
        kind = DELIVERY if rng.random() < 0.5 else LOGIN
        context = ["주문", "상품", "기사"] if kind is DELIVERY else ["앱", "접속", "화면"]
        docs.append([rng.choice(kind), rng.choice(context), rng.choice(TAIL), rng.choice(context)])
    return docs


def test_words_of_one_kind_are_neighbours() -> None:
    vectors = KoreanVectors.train(_corpus(), dim=8, min_count=3)
    near = [w for w, _ in vectors.similar("배송", n=4)]
    assert set(near) & set(DELIVERY[1:])
    assert not set(near[:2]) & set(LOGIN)


def test_posts_of_one_kind_are_closer_than_posts_of_another() -> None:
    vectors = KoreanVectors.train(_corpus(), dim=8, min_count=3)
    a, b, c = vectors.embed_tokens([["택배", "주문"], ["발송", "상품"], ["로그인", "앱"]])
    assert a @ b > a @ c + 0.2
    assert np.allclose(np.linalg.norm([a, b, c], axis=1), 1.0, atol=1e-5)


def test_a_deployment_word_learns_its_neighbours_from_the_stream(tmp_path: Path) -> None:
    vectors = KoreanVectors.train(_corpus(), dim=8, min_count=3)
    path = tmp_path / "ko.npz"
    vectors.save(path)
    loaded = KoreanVectors.load(path)
    assert loaded.vocab == vectors.vocab
    assert loaded.embed_tokens([["로켓배송", "주문"]])[0] @ loaded.embed_tokens([["택배", "주문"]])[0] < 0.999
    stream = [["로켓배송", "주문", "늦어요", "상품"], ["로켓배송", "기사", "또", "주문"]] * 3
    assert loaded.adapt(stream) == ["로켓배송"]
    new = loaded.embed_tokens([["로켓배송"]])[0]
    assert new @ loaded.embed_tokens([["택배", "주문"]])[0] > new @ loaded.embed_tokens([["로그인", "앱"]])[0]


def test_morphemes_keep_stems_and_negation() -> None:
    (tokens,) = content_morphemes(["배송이 아직 안 와요"])
    assert "배송" in tokens and "안" in tokens and "아직" in tokens


def test_a_name_in_every_post_of_the_stream_does_not_make_posts_alike() -> None:
    """The brand's and its products' names are learned words too, in nearly every post: weighted by
    their stream frequency they must not pull a delivery and a login complaint together, while a
    word the stream rarely uses (a new burst's own slang) keeps its weight."""
    vectors = KoreanVectors.train(_corpus(), dim=8, min_count=3)
    rng = random.Random(1)
    stream = [["벡사", rng.choice(DELIVERY + LOGIN), rng.choice(TAIL)] for _ in range(3000)]
    stream += [["먹통", "앱", "또"]] * 3
    assert set(vectors.adapt(stream)) == {"벡사", "먹통"}
    delivery, login = vectors.embed_tokens([["벡사", "택배", "주문"], ["벡사", "로그인", "앱"]])
    plain_delivery, plain_login = vectors.embed_tokens([["택배", "주문"], ["로그인", "앱"]])
    assert delivery @ login < plain_delivery @ plain_login + 0.1
    assert vectors._stream_weight("먹통") > 0.7 > 0.05 > vectors._stream_weight("벡사")


def _with_borrowed(word: str, like: str) -> KoreanVectors:
    """The toy corpus' vectors plus one borrowed row (as scripts/distil_cong.py adds from CoNg)."""
    base = KoreanVectors.train(_corpus(), dim=8, min_count=3)
    row = base.vectors[base.index[like]][None, :]
    return KoreanVectors(
        [*base.vocab, word],
        np.vstack([base.vectors, row]),
        np.append(base.freq, 5.0),
        base.common,
        own=len(base.vocab),
    )


def test_a_borrowed_word_has_a_vector_before_the_stream_teaches_it(tmp_path: Path) -> None:
    vectors = _with_borrowed("출고", like="발송")
    saved = tmp_path / "ko.npz"
    vectors.save(saved)
    loaded = KoreanVectors.load(saved)
    assert loaded.own == len(loaded.vocab) - 1
    a, b, c = loaded.embed_tokens([["출고"], ["택배"], ["로그인"]])
    assert a @ b > a @ c + 0.2  # the corpus never saw 출고, yet it reads as delivery


def test_the_stream_still_teaches_a_borrowed_word() -> None:
    # borrowed from a general-language model with the wrong sense (delivery); the deployment uses it
    # for login failures: blended with what the stream says, it moves towards login
    vectors = _with_borrowed("튕기", like="발송")
    before = vectors.embed_tokens([["튕기"]])[0]
    login = vectors.embed_tokens([["로그인"]])[0]
    stream = [["튕기", "앱", "접속", "화면"], ["앱", "튕기", "로그인", "계정"], ["튕기", "인증", "접속"]] * 3
    assert "튕기" in vectors.adapt(stream)
    after = vectors.embed_tokens([["튕기"]])[0]
    assert after @ login > before @ login + 0.1
