"""Related words (연관어): co-occurring terms, brand name left out, Korean in dictionary form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from groundswell.indexer.base import MentionQuery
from groundswell.indexer.sqlite import SQLiteStore
from groundswell.records import EnrichedMention
from groundswell.reports.related import dictionary_forms, related_terms

T0 = datetime(2026, 3, 2, tzinfo=UTC)
WEEK = timedelta(days=7)


def _post(i: int, text: str, at: datetime, brand: str = "Lumio") -> EnrichedMention:
    return EnrichedMention(
        id=f"x:{i}", source="x", native_id=str(i), text=text, created_at=at, brands=[brand]
    )


def test_ranked_with_change_against_previous_period(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    before = [_post(i, "루미오 배터리가 좋아요 battery", T0 - WEEK + timedelta(hours=i)) for i in range(3)]
    now = [
        _post(10 + i, "루미오 배터리가 너무 뜨거워서 발열 심해요", T0 + timedelta(hours=i)) for i in range(5)
    ]
    now += [_post(20 + i, "루미오폰 발열이 심해서 환불했어요", T0 + timedelta(hours=i)) for i in range(2)]
    now += [_post(30, "Vexa 발열 없음", T0, brand="Vexa")]
    store.upsert(before + now)
    week = MentionQuery(brands=("Lumio",), since=T0, until=T0 + WEEK)
    prev = week.narrow(since=T0 - WEEK, until=T0)
    terms = {r.term: r for r in related_terms(store, week, prev, exclude={"lumio", "루미오"})}
    assert terms["발열"].count == 7 and terms["발열"].previous == 0 and terms["발열"].change_pct is None
    assert terms["배터리"].count == 5 and terms["배터리"].previous == 3
    assert terms["심하다"].count == 7  # 심해요 and 심해서: one word in dictionary form
    assert "루미오" not in terms and "루미오폰" not in terms  # the brand and its compounds are left out
    assert not {"하다", "있다"} & set(terms)  # light verbs say nothing
    ranked = related_terms(store, week, prev, exclude={"루미오"}, size=2)
    assert [r.term for r in ranked] == ["발열", "심하다"]
    store.close()


def test_dictionary_forms() -> None:
    forms = dictionary_forms(["늦어서", "배송이", "좋아요", "터짐", "battery", "안와요"])
    assert forms["늦어서"] == "늦다" and forms["배송이"] == "배송" and forms["좋아요"] == "좋다"
    assert "battery" not in forms and forms.get("안와요", "안와요") == "안와요"  # negation kept as written


def test_cooccurrence_counts_posts_with_both_words(tmp_path: Path) -> None:
    from groundswell.dashboard.charts import network
    from groundswell.reports.related import cooccurrence

    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(
        [_post(i, "배터리 발열이 심해요", T0 + timedelta(hours=i)) for i in range(3)]
        + [_post(10, "배터리 교체 문의", T0), _post(11, "발열 심해서 환불", T0)]
    )
    q = MentionQuery(brands=("Lumio",))
    pairs = cooccurrence(store, q, ["배터리", "발열", "심하다"])
    assert pairs == {("발열", "배터리"): 3, ("발열", "심하다"): 4, ("배터리", "심하다"): 3}
    store.close()
    import pandas as pd

    nodes = pd.DataFrame({"term": ["배터리", "발열", "심하다"], "count": [4, 4, 4]})
    edges = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["a", "b", "weight"])
    spec = network("Lumio", nodes, edges, "posts").to_dict()
    assert len(spec["layer"]) == 4


def test_word_lists_keep_words_that_say_something() -> None:
    """Real app reviews' related words were half 계속, 안되, 앱이, 어플, 다시: gone; 늦다 and 좋다 stay."""
    from groundswell.reports.related import says_something

    kept = ["늦다", "좋다", "튕기다", "발열", "배터리", "로그인", "overheating", "refund"]
    dropped = ["계속", "자꾸", "다시", "안되", "앱이", "어플", "하다", "아니다", "app", "12"]
    assert [w for w in kept if not says_something(w)] == []
    assert [w for w in dropped if says_something(w)] == []
