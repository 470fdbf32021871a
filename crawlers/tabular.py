"""A user's own CSV export (reviews, survey answers, a tweet dump) -> generic-format dicts.

Spreadsheets name their columns anything, so the mapping from the generic fields (`text`,
`created_at`, `id`, `author.handle`, ...) to columns comes from `--map`, the config's
`ingest.columns`, or, for what neither names, the common column names in `ALIASES`. Korean
files saved by Excel are UTF-8 with a BOM or CP949: the encoding is detected once for the whole
file and reported, so a wrong guess is visible instead of silently garbled.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from groundswell.errors import InputError

# Generic field -> column names seen in real exports (compared case- and punctuation-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "review", "review_body", "review_text", "reviewtext", "comment",
             "message", "tweet", "tweet_text", "post", "내용", "리뷰", "리뷰내용", "본문", "댓글", "후기"),
    "created_at": ("created_at", "createdat", "date", "datetime", "time", "timestamp", "created", "posted_at",
                   "published", "published_at", "at", "tweet_created", "review_date", "작성일", "작성일시",
                   "날짜", "일시", "등록일", "작성시간"),
    "id": ("id", "review_id", "reviewid", "tweet_id", "post_id", "comment_id", "번호", "리뷰id"),
    "title": ("title", "subject", "headline", "제목"),
    "url": ("url", "link", "permalink", "링크", "주소"),
    "lang": ("lang", "language", "언어"),
    "source": ("source", "site", "platform", "channel", "출처", "채널"),
    "brand": ("brand", "airline", "company", "브랜드"),  # not "product": a model name is no brand
    "author.handle": ("author", "user", "username", "user_name", "handle", "screen_name", "user_screen_name",
                      "작성자", "닉네임", "아이디"),
    "author.followers": ("followers", "followers_count", "팔로워"),
    "metrics.likes": ("likes", "like_count", "thumbsupcount", "thumbs_up", "thumbs", "helpful", "좋아요", "공감"),
    "metrics.shares": ("shares", "retweets", "retweet_count", "공유"),
    "metrics.replies": ("replies", "reply_count", "comments_count", "답글", "댓글수"),
    "metrics.views": ("views", "view_count", "조회수"),
    "rating": ("rating", "score", "stars", "star", "star_rating", "review_rating", "별점", "평점"),
    "rating_scale": ("rating_scale", "max_rating", "best_rating"),
}  # fmt: skip
FIELDS = tuple(ALIASES)
_NUMERIC = {"author.followers", "metrics.likes", "metrics.shares", "metrics.replies", "metrics.views"}
_KEY = re.compile(r"[\s_\-.]+")


def _key(name: str) -> str:
    return _KEY.sub("", name.strip().casefold())


def parse_column_map(spec: str | None) -> dict[str, str]:
    """`text=review_body,created_at=date` -> {"text": "review_body", "created_at": "date"}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise InputError(f"--map: {part.strip()!r} is not FIELD=COLUMN (e.g. text=review_body)")
        if field not in ALIASES:
            raise InputError(f"--map: unknown field {field!r}; fields: {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' (BOM), 'utf-8' or 'cp949' (Korean Excel), checked over the whole file.

    Real Korean text in CP949 is almost never valid UTF-8, but a few short cells can be (the CP949
    bytes of 岷 read as the Arabic letter ھ): when both decode, the reading made of characters a
    Korean or English export holds wins, UTF-8 on a tie (`_plausibility`)."""
    with _open_binary(path) as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    utf8 = _decodes(path, "utf-8")
    if utf8 == "ascii":
        return "utf-8"
    korean = _decodes(path, "cp949")
    if not utf8 and not korean:
        raise InputError(f"{path}: neither UTF-8 nor CP949; save it as 'CSV UTF-8' and try again")
    if utf8 and korean:  # rare, and then only for short files: weigh the two readings
        return "cp949" if _plausibility_of(path, "cp949") > _plausibility_of(path, "utf-8") else "utf-8"
    return "utf-8" if utf8 else "cp949"


def _chunks(path: Path, encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)()
    with _open_binary(path) as handle:
        while chunk := handle.read(1 << 20):
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


def _decodes(path: Path, encoding: str) -> str:
    """'ascii' (pure ASCII), 'yes' or '' (not in this encoding)."""
    ascii_only = True
    try:
        for text in _chunks(path, encoding):
            ascii_only = ascii_only and text.isascii()
    except UnicodeDecodeError:
        return ""
    return "ascii" if ascii_only else "yes"


def _plausibility_of(path: Path, encoding: str) -> float:
    return sum(_plausibility(c) for text in _chunks(path, encoding) for c in _NON_ASCII.findall(text))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LIKELY = re.compile(
    r"[\u00a0-\u017f\u2000-\u2bff\u3000-\u303f\u3130-\u318f\uff00-\uffef\U0001f000-\U0001faff]"
)
_POSSIBLE = re.compile(r"[\u0370-\u04ff\u3040-\u30ff\u4e00-\u9fff\uf900-\ufaff]")


def _plausibility(char: str) -> float:
    """+1 for a character a Korean/English export is likely to hold (Hangul of the common 2,350
    syllables, Latin accents, punctuation, emoji), 0 for a possible one (Hanja, kana, Greek,
    Cyrillic, rare Hangul), -1 for an unlikely one (Arabic, Hebrew, IPA, C1 controls, private use)."""
    if "\uac00" <= char <= "\ud7a3":
        return 1.0 if _in_ks_x_1001(char) else 0.0
    if _LIKELY.match(char):
        return 1.0
    return 0.0 if _POSSIBLE.match(char) else -1.0


def _in_ks_x_1001(char: str) -> bool:
    try:
        char.encode("euc_kr")
    except UnicodeEncodeError:
        return False
    return True


ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp949": "CP949 (Korean Windows/Excel)"}


def _open_binary(path: Path) -> Any:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def is_csv(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in (".csv", ".tsv")


@dataclass(frozen=True)
class CsvLayout:
    """Which column feeds each generic field, decided once from the header."""

    columns: dict[str, str]  # generic field -> header name
    header: list[str]

    @classmethod
    def from_header(cls, header: list[str], explicit: Mapping[str, str], path: Path) -> CsvLayout:
        by_key = {_key(name): name for name in reversed(header)}  # first of equal keys wins
        columns: dict[str, str] = {}
        for field, column in explicit.items():
            if column not in header and _key(column) not in by_key:
                raise InputError(
                    f"{path}: column {column!r} (mapped to {field}) is not in the header; "
                    f"columns: {', '.join(header)}"
                )
            columns[field] = column if column in header else by_key[_key(column)]
        taken = set(columns.values())
        for field, aliases in ALIASES.items():
            if field in columns:
                continue
            for alias in aliases:
                name = by_key.get(_key(alias))
                if name is not None and name not in taken:
                    columns[field] = name
                    taken.add(name)
                    break
        if "text" not in columns:
            raise InputError(
                f"{path}: no text column found; name it with --map text=COLUMN (columns: {', '.join(header)})"
            )
        return cls(columns, header)

    def describe(self) -> str:
        return ", ".join(f"{field}={column}" for field, column in self.columns.items())

    def to_generic(self, row: dict[str, str]) -> dict[str, Any]:
        """One CSV row -> a generic-format object (empty cells left out); the row is kept as raw."""
        obj: dict[str, Any] = {}
        for field, column in self.columns.items():
            cell = (row.get(column) or "").strip()
            if not cell:
                continue
            value: int | str = cell
            if field in _NUMERIC:
                value = _number(cell)
            elif field == "created_at":
                value = _iso_date(cell)
            head, _, tail = field.partition(".")
            if tail:
                obj.setdefault(head, {})[tail] = value
            else:
                obj[field] = value
        return obj


def _number(value: str) -> int | str:
    """'1,234' -> 1234; anything else is left as text so validation names the bad cell."""
    cleaned = value.replace(",", "")
    return int(cleaned) if cleaned.isdigit() else value


_DOTTED_DATE = re.compile(r"^(\d{4})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{1,2})\.?(?:\s+(.*))?$")


def _iso_date(value: str) -> str:
    """Spreadsheet dates `2019.09.30`, `2019/9/30 10:00`, `2019. 9. 30.` -> ISO 8601; else as given."""
    match = _DOTTED_DATE.match(value)
    if not match:
        return value
    year, month, day, rest = match.groups()
    date = f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{date}T{rest.strip()}" if rest else date


def column_of(message: str, layout: CsvLayout) -> str | None:
    """The CSV column a generic-format error message is about, to name it for the user."""
    for field, column in layout.columns.items():
        if field in message or field.partition(".")[2] in message.split():
            return column
    return None


def iter_csv_rows(
    path: Path, encoding: str, explicit: Mapping[str, str]
) -> tuple[CsvLayout, Iterator[tuple[int, dict[str, Any] | InputError]]]:
    """The layout, and (line number of the row's first line, generic object or its InputError)."""
    raw = _open_binary(path)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    sample = text.read(65536)
    text.seek(0)
    delimiter = "\t" if path.name.lower().removesuffix(".gz").endswith(".tsv") else _sniff(sample)
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        text.close()
        raise InputError(f"{path}: empty file, no header row") from None
    layout = CsvLayout.from_header(header, explicit, path)

    def rows() -> Iterator[tuple[int, dict[str, Any] | InputError]]:
        with text:
            start = reader.line_num + 1
            try:
                for cells in reader:
                    lineno, start = start, reader.line_num + 1
                    if not any(c.strip() for c in cells):
                        continue
                    if len(cells) > len(header):
                        yield (
                            lineno,
                            InputError(
                                f"line {lineno}: {len(cells)} cells for {len(header)} columns; "
                                "is a comma inside an unquoted cell?"
                            ),
                        )
                        continue
                    yield lineno, layout.to_generic(dict(zip(header, cells, strict=False)))
            except csv.Error as exc:
                yield reader.line_num, InputError(f"line {reader.line_num}: broken CSV: {exc}")

    return layout, rows()


def _sniff(sample: str) -> str:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
