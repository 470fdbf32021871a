"""Rebuild the Korean app-review evaluation set from the public CSVs and our kind annotations.

    python scripts/build_app_reviews.py SOURCE_DIR OUT_DIR

SOURCE_DIR is a checkout of github.com/timetobye/playstore_app_review_data (real Korean Google Play
reviews scraped in 2019-2020; the repository has no licence, so its text is not in this one).
`bench/data/ko_app_review_kinds.tsv.gz` holds what this project added: for each review of eight of
its CSVs (the first 240,000 characters of each file), the app, the CSV path, the rating and date,
the MD5 of the review text (newlines as spaces) and the failure *kind* it was given by reading it
(login, crash, connection, sync, slow, payment, delivery, ads, update, support, other_complaint,
request, praise). OUT_DIR gets one ``<app>.jsonl`` per app, the input of bench.app_replay,
bench.eval_app_sentiment, bench.eval_touchpoints --korean-apps and bench.eval_topics --korean-apps.
Reviews whose text is not found (a file changed upstream) are counted and left out.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path

KINDS_FILE = Path(__file__).resolve().parents[1] / "bench" / "data" / "ko_app_review_kinds.tsv.gz"


def review_text(comment: str) -> str:
    """A review as the annotations hashed it: its newlines read as spaces."""
    return comment.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def texts_by_hash(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return {}
    header, body = rows[0], rows[1:]
    column = header.index("user_comment") if "user_comment" in header else 4
    out = {}
    for row in body:
        if len(row) > column:
            text = review_text(row[column])
            out[hashlib.md5(text.encode("utf-8")).hexdigest()] = text
    return out


def build(source: Path, out: Path, kinds_file: Path = KINDS_FILE) -> dict[str, tuple[int, int]]:
    """Write OUT/<app>.jsonl; returns app -> (reviews written, annotations whose text was not found)."""
    out.mkdir(parents=True, exist_ok=True)
    with gzip.open(kinds_file, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    found: dict[str, dict[str, str]] = {}
    counts: dict[str, tuple[int, int]] = {}
    lines: dict[str, list[str]] = {}
    for row in rows:
        app, csv_path = row["app"], row["source"]
        if csv_path not in found:
            path = source / csv_path
            if not path.is_file():
                raise SystemExit(f"{path}: not found; SOURCE_DIR must be a checkout of the review repository")
            found[csv_path] = texts_by_hash(path)
        text = found[csv_path].get(row["text_md5"])
        written, missing = counts.get(app, (0, 0))
        if text is None:
            counts[app] = (written, missing + 1)
            continue
        record = {
            "app": app,
            "rating": int(row["rating"]),
            "date": row["date"],
            "text": text,
            "kind": row["kind"],
        }
        lines.setdefault(app, []).append(json.dumps(record, ensure_ascii=False))
        counts[app] = (written + 1, missing)
    for app, app_lines in lines.items():
        (out / f"{app}.jsonl").write_text("\n".join(app_lines) + "\n", encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for app, (written, missing) in sorted(build(Path(args[0]), Path(args[1])).items()):
        print(f"{app}: {written} reviews" + (f", {missing} not found" if missing else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
