"""Adapt the default sentiment models to a deployment's own star-rated reviews.

A deployment that collects app-store or shop reviews holds thousands of weak labels: 1-2 stars
negative, 3 neutral, 4-5 positive. `adapt` learns, per language with enough rated posts, a
correction of the shipped linear model on a split of them and keeps it only if it beats the
shipped model on the held-out part (both figures are reported either way).

How: the shipped model's logits `z = x C0' + b0` and the post's own hashed features `x` (same
featuriser and idf) feed one logistic regression, `W_z z + W_x x + b`; that folds back into a plain
`LinearModel` with `coef = W_z C0 + W_x` and `intercept = W_z b0 + b`, so the adapted model has the
file format, size and speed of the shipped one. With few rated posts the regulariser keeps `W_x`
small and the model stays close to the shipped one.

The split is by a hash of the post id (stable across runs, no post both trains and evaluates).
Korean: the model is binary (3-star posts are left out of training; the neutral band is kept).
The adapted files live in `<data dir>/models/sentiment/` (`ADAPTED_DIR`), next to `adapt.json`
with the figures; `nlp.use_adapted` (default true) selects them, false goes back to the shipped ones.
"""

from __future__ import annotations

import json
import shutil
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from groundswell.nlp.normalize import normalize
from groundswell.nlp.sentiment._linear import MODELS_DIR, LinearModel
from groundswell.nlp.sentiment.features import counts, transform

LANGS = ("en", "ko")
HELD_OUT = 0.3  # share of the rated posts (by id hash) kept for the comparison
C = 1.0


@dataclass(frozen=True)
class RatedPost:
    id: str
    text: str
    lang: str
    rating: float


@dataclass
class LangReport:
    """One language's outcome: sizes, both held-out figures, and whether the adapted model won."""

    lang: str
    train: int = 0
    held_out: int = 0
    shipped: float | None = None  # macro recall of the weak labels on the held-out part
    adapted: float | None = None
    activated: bool = False
    reason: str = ""


@dataclass
class AdaptReport:
    langs: list[LangReport] = field(default_factory=list)
    model_dir: str = ""

    @property
    def activated(self) -> bool:
        return any(r.activated for r in self.langs)

    def as_dict(self) -> dict:
        return {
            "model_dir": self.model_dir,
            "activated": self.activated,
            "langs": [asdict(r) for r in self.langs],
        }


def adapted_dir() -> Path:
    """Where `sentiment adapt` keeps its models: `<data dir>/models/sentiment` (GROUNDSWELL_DATA_DIR)."""
    from groundswell.indexer.paths import data_dir  # the one definition of the per-user data dir

    return data_dir() / "models" / "sentiment"


def active_dir() -> Path | None:
    """The adapted model set when one was activated (both files present), else None (shipped models)."""
    directory = adapted_dir()
    return directory if all((directory / f"sentiment_{lang}.npz").exists() for lang in LANGS) else None


def weak_label(rating: float) -> str:
    """1-2 stars negative, 3 neutral, 4-5 positive (half stars round toward 3)."""
    return "negative" if rating <= 2.5 else "positive" if rating >= 3.5 else "neutral"


def held_out(post_id: str) -> bool:
    return zlib.crc32(post_id.encode("utf-8")) % 1000 < HELD_OUT * 1000


def macro_recall(model: LinearModel, posts: Sequence[RatedPost]) -> float:
    """Mean recall of the weak-label classes present (a binary model's neutral band counts as a miss)."""
    predicted = [s.label.value for s in model.sentiments([normalize(p.text) for p in posts])]
    gold = [weak_label(p.rating) for p in posts]
    recalls = []
    for label in sorted(set(gold)):
        rows = [i for i, g in enumerate(gold) if g == label]
        recalls.append(sum(predicted[i] == label for i in rows) / len(rows))
    return round(float(np.mean(recalls)), 4)


def fit_correction(shipped: LinearModel, posts: Sequence[RatedPost]) -> LinearModel:
    """The shipped model corrected on `posts` (see the module docstring), folded into a LinearModel."""
    from sklearn.linear_model import LogisticRegression

    binary = shipped.coef.shape[0] == 1
    kept = [p for p in posts if not (binary and weak_label(p.rating) == "neutral")]
    x = transform(counts(shipped.flavour, [normalize(p.text) for p in kept], len(shipped.idf)), shipped.idf)
    z = np.asarray(x @ shipped.coef.T) + shipped.intercept
    gold = [weak_label(p.rating) for p in kept]
    y = [int(g == "positive") for g in gold] if binary else gold
    clf = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
    clf.fit(sparse.hstack([sparse.csr_matrix(z), x], format="csr"), y)
    k = z.shape[1]
    w_z, w_x = clf.coef_[:, :k], clf.coef_[:, k:]
    if not binary:  # the rows of a 3-class fit follow clf.classes_; the shipped model's z follow its own
        w_z, w_x, b = _reorder(clf, shipped.classes, w_z, w_x)
    else:
        b = clf.intercept_
    coef = w_z @ shipped.coef + w_x
    intercept = w_z @ shipped.intercept + b
    classes = shipped.classes if not binary else ("negative", "positive")
    return LinearModel(
        shipped.flavour,
        shipped.idf,
        coef,
        intercept,
        classes,
        shipped.neutral_margin,
        shipped.evidence_margin,
    )


def _reorder(clf, classes: tuple[str, ...], w_z: np.ndarray, w_x: np.ndarray):  # type: ignore[no-untyped-def]
    """Rows in the shipped model's class order; a class missing from the weak labels keeps a zero row."""
    order = list(clf.classes_)
    intercepts = clf.intercept_
    if len(order) == 2:  # two weak-label classes: sklearn's one row is class 1 vs class 0 (softmax of 0, w)
        w_z, w_x = np.vstack([np.zeros_like(w_z), w_z]), np.vstack([np.zeros_like(w_x), w_x])
        intercepts = np.r_[0.0, intercepts]
    rows_z = np.zeros((len(classes), w_z.shape[1]))
    rows_x = np.zeros((len(classes), w_x.shape[1]))
    b = np.full(len(classes), -1e3)  # a class never seen is never predicted
    for i, name in enumerate(classes):
        if name in order:
            j = order.index(name)
            rows_z[i], rows_x[i], b[i] = w_z[j], w_x[j], intercepts[j]
    return rows_z, rows_x, b


def adapt(posts: Sequence[RatedPost], out_dir: Path, min_rated: int = 200) -> AdaptReport:
    """Adapt each language with at least `min_rated` rated posts; write the winners into `out_dir`.

    `out_dir` then holds a full model set (shipped files for the languages not adapted) and
    `adapt.json`; when no language wins, an earlier adapted set there is left as it was.
    """
    report = AdaptReport(model_dir=str(out_dir))
    winners: dict[str, LinearModel] = {}
    for lang in LANGS:
        mine = [p for p in posts if p.lang == lang and p.text.strip()]
        rep = LangReport(lang=lang)
        report.langs.append(rep)
        train = [p for p in mine if not held_out(p.id)]
        test = [p for p in mine if held_out(p.id)]
        rep.train, rep.held_out = len(train), len(test)
        if len(mine) < min_rated:
            rep.reason = f"{len(mine)} rated posts, fewer than {min_rated}"
            continue
        labels = {weak_label(p.rating) for p in train}
        if not {"negative", "positive"} <= labels or not {"negative", "positive"} <= {
            weak_label(p.rating) for p in test
        }:
            rep.reason = "the rated posts do not have both 1-2 and 4-5 stars in each part"
            continue
        shipped = LinearModel.load(MODELS_DIR / f"sentiment_{lang}.npz")
        adapted = fit_correction(shipped, train)
        rep.shipped, rep.adapted = macro_recall(shipped, test), macro_recall(adapted, test)
        rep.activated = rep.adapted > rep.shipped
        rep.reason = (
            "adapted model is better on the held-out part"
            if rep.activated
            else "shipped model is as good or better"
        )
        if rep.activated:
            winners[lang] = adapted
    if winners:
        out_dir.mkdir(parents=True, exist_ok=True)
        for lang in LANGS:
            target = out_dir / f"sentiment_{lang}.npz"
            if lang in winners:
                winners[lang].save(target)
            elif not target.exists():
                shutil.copyfile(MODELS_DIR / f"sentiment_{lang}.npz", target)
    if out_dir.exists():
        (out_dir / "adapt.json").write_text(json.dumps(report.as_dict(), indent=1) + "\n", encoding="utf-8")
    return report
