"""Touchpoints from a user's config, scored against human categories on real complaints.

    python -m bench.eval_touchpoints [DATA_DIR]

A user writes a taxonomy of 8 categories with 4 keywords and 2 example complaints each (the
examples are the first two complaints of each category in the `dev` half; the keywords were
written by hand from the category names alone). It is scored on the `test` half: English complaint
tweets addressed to brands, whose human-labelled brand domain is the category
(Preoțiuc-Pietro et al. 2019; evaluation only). Reported: macro-F1 over the categories (a post may
get several), the share of complaints with no category, with words only and with meaning too.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from bench.kind_bursts import EN_DOMAINS, split_of
from bench.replay_data import shared_data_dir
from groundswell.config.settings import Touchpoint

KEYWORDS = {  # brand domains: what industry the addressed brand is in
    "services": ["account", "bill", "customer service", "bank"],
    "software": ["app", "update", "login", "bug"],
    "electronics": ["phone", "laptop", "battery", "screen"],
    "apparel": ["clothes", "dress", "shoes", "size"],
    "transport": ["flight", "train", "delayed", "bus"],
    "retail": ["store", "delivery", "order", "refund"],
    "food": ["food", "restaurant", "meal", "pizza"],
    "cars": ["car", "dealer", "engine", "repair"],
}
REASON_KEYWORDS = {  # complaint reasons (bench.complaint_reasons), written from the reason names alone
    "customer-service": ["customer service", "support", "response", "agent"],
    "delay": ["delay", "late", "wait", "cancelled"],
    "delivery": ["delivery", "package", "order", "shipping"],
    "billing": ["bill", "charge", "refund", "price"],
    "product-defect": ["broken", "defect", "quality", "stopped working"],
    "software": ["app", "website", "error", "login"],
    "outage": ["outage", "internet", "signal", "down"],
    "availability": ["out of stock", "discontinued", "available", "bring back"],
    "staff": ["staff", "rude", "employee", "manager"],
}


def load(root: Path, gold: str = "domains") -> dict[str, list[tuple[str, str]]]:
    """Complaints per half, as the pipeline hands them to the tagger: normalised, so `@united`
    reads `@user` (raw handles name the brand, and the brand its domain: scored on raw text, the
    static vectors matched brands, not touchpoints). `gold`: the brand's domain or the complaint's
    reason (bench.complaint_reasons)."""
    from groundswell.nlp.normalize import normalize

    if gold == "reasons":
        from bench import complaint_reasons

        return {
            half: [(normalize(t), r) for t, r in rows] for half, rows in complaint_reasons.load(root).items()
        }
    rows: dict[str, list[tuple[str, str]]] = {"dev": [], "test": []}
    with (root / "complaints_tweets_en" / "complaints-data.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) == 4 and row[2] == "1" and row[3] in EN_DOMAINS:
                rows[split_of(row[1])].append((normalize(row[1]), row[3]))
    return rows


def taxonomy(dev: list[tuple[str, str]], keywords: dict[str, list[str]] = KEYWORDS) -> list[Touchpoint]:
    """One touchpoint per category: its keywords and its first two `dev` posts as examples."""
    out = []
    for name, words in keywords.items():
        examples = [t for t, d in dev if d == name][:2]
        out.append(Touchpoint(name=name, keywords=words, examples=examples))
    return out


def score(gold: list[str], predicted: list[list[str]], names: list[str] | None = None) -> dict[str, float]:
    return {
        "macro_f1": macro_f1(gold, predicted, names),
        "macro_f1_first": macro_f1(gold, [p[:1] for p in predicted], names),
        "untagged": round(sum(1 for p in predicted if not p) / len(predicted), 3),
    }


def macro_f1(gold: list[str], predicted: list[list[str]], names: list[str] | None = None) -> float:
    f1s = []
    for name in names or list(KEYWORDS):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == name and name in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != name and name in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == name and name not in p)
        prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return round(sum(f1s) / len(f1s), 3)


def evaluate(
    root: Path, split: str = "test", pipeline: bool = False, gold: str = "domains"
) -> dict[str, object]:
    """Scores per matching mode on one half (`dev` leaves out the taxonomy's own examples).

    By default every post is read as the complaint it is (gold); with `pipeline` the shipped
    sentiment model and complaint rule decide, as in a deployment, so missed complaints count.
    """
    from groundswell.nlp.semantic import SemanticEncoder
    from groundswell.nlp.sentiment import build
    from groundswell.nlp.touchpoints import TouchpointClassifier
    from groundswell.records import Sentiment

    data = load(root, gold)
    keywords = REASON_KEYWORDS if gold == "reasons" else KEYWORDS
    tax = taxonomy(data["dev"], keywords)
    examples = {ex for tp in tax for ex in tp.examples}
    rows = [(t, d) for t, d in data[split] if t not in examples]
    texts = [t for t, _ in rows]
    labels = [d for _, d in rows]
    langs = ["en"] * len(texts)
    if pipeline:
        sentiments: list[Sentiment | None] = list(build("default").predict(texts, langs))
    else:
        sentiments = [Sentiment(label="negative", score=-0.6, confidence=0.9)] * len(texts)
    results: dict[str, object] = {"split": split, "gold": gold, "posts": len(texts), "pipeline": pipeline}
    for name, semantic in (
        ("words", None),
        ("meaning, static", SemanticEncoder("static")),
        ("meaning, minilm", SemanticEncoder("minilm")),
        ("meaning, onnx", SemanticEncoder("onnx")),
    ):
        try:
            tagger = TouchpointClassifier(tax, semantic=semantic)
            results[name] = score(labels, tagger.tag(texts, sentiments, langs), list(keywords))
        except ModuleNotFoundError as exc:  # minilm needs the topics extra, onnx the onnx extra
            results[name] = {"skipped": str(exc)}
    return results


KO_APP_KEYWORDS = {  # written from the kind names alone, as a Korean CX manager would
    "login": ["로그인", "인증", "비밀번호", "가입"],
    "crash": ["튕김", "꺼짐", "먹통", "실행"],
    "connection": ["접속", "서버", "네트워크", "오류"],
    "sync": ["연동", "동기화", "내역", "반영"],
    "slow": ["느림", "로딩", "버벅", "배터리"],
    "payment": ["결제", "환불", "쿠폰", "요금"],
    "delivery": ["배송", "배달", "기사", "배차"],
    "ads": ["광고", "알림", "푸시", "스팸"],
    "update": ["업데이트", "버전", "기능", "개편"],
    "support": ["고객센터", "상담", "문의", "답변"],
}


def evaluate_korean_apps(reviews: Path, split: str = "test") -> dict[str, object]:
    """The same test on real Korean app reviews (bench.app_replay's folder, evaluation only): one
    touchpoint per failure kind, 4 keywords from its name, its first 2 `dev` reviews as examples;
    scored on the failure reviews of `split` (every one a complaint), gold = the review's kind."""
    from bench.app_replay import load_reviews
    from groundswell.nlp.semantic import SemanticEncoder
    from groundswell.nlp.touchpoints import TouchpointClassifier
    from groundswell.records import Sentiment

    rows = [
        (p.text, kind)
        for reviews_of_app in load_reviews(reviews).values()
        for p, kind, _ in reviews_of_app
        if kind in KO_APP_KEYWORDS
    ]
    dev = [r for r in rows if split_of(r[0]) == "dev"]
    tax = taxonomy(dev, KO_APP_KEYWORDS)
    examples = {ex for tp in tax for ex in tp.examples}
    chosen = [r for r in rows if split_of(r[0]) == split and r[0] not in examples]
    texts, gold = [t for t, _ in chosen], [k for _, k in chosen]
    langs = ["ko"] * len(texts)
    sentiments: list[Sentiment | None] = [Sentiment(label="negative", score=-0.6, confidence=0.9)] * len(
        texts
    )
    names = list(KO_APP_KEYWORDS)
    results: dict[str, object] = {"split": split, "posts": len(texts), "kinds": names}
    for name, semantic in (("words", None), ("meaning (Korean vectors)", SemanticEncoder("static"))):
        tagger = TouchpointClassifier(tax, semantic=semantic)
        results[name] = score(gold, tagger.tag(texts, sentiments, langs), names)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=shared_data_dir())
    parser.add_argument("--split", choices=("dev", "test"), default="test", help="dev for choices; test once")
    parser.add_argument(
        "--pipeline", action="store_true", help="complaints as the shipped sentiment reads them"
    )
    parser.add_argument(
        "--gold",
        choices=("domains", "reasons"),
        default="domains",
        help="score against the brand's domain or the complaint's reason (bench.complaint_reasons)",
    )
    parser.add_argument(
        "--korean-apps", type=Path, metavar="REVIEWS_DIR", help="score real Korean app reviews instead"
    )
    args = parser.parse_args(argv)
    if args.korean_apps is not None:
        print(json.dumps(evaluate_korean_apps(args.korean_apps, args.split), ensure_ascii=False, indent=1))
        return 0
    if args.data_dir is None or not (args.data_dir / "complaints_tweets_en").is_dir():
        print("needs DATA_DIR with complaints_tweets_en (../shared/data)", file=sys.stderr)
        return 2
    print(json.dumps(evaluate(args.data_dir, args.split, args.pipeline, args.gold), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
