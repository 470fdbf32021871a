"""Write the bundled demo data set: 14 days of posts about a fictional phone brand and two competitors.

    python scripts/make_demo_scenario.py pipeline/demo/scenario.jsonl.gz

Deterministic (fixed seed, stdlib ``random`` only, sorted output, gzip mtime 0), no network. The
scenario is described in ``pipeline/demo/README.md``: normal Korean/English chatter with a daily
rhythm, a steady delivery-complaint background, a positive Vexa campaign spike, and one emerging
complaint (Lumio X2 overheating / battery swelling after firmware 3.2) that starts small and grows.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import math
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_phrases as P

SEED = 20261124
START = datetime(2026, 11, 11, tzinfo=UTC)
END = datetime(2026, 11, 25, tzinfo=UTC)  # exclusive: last post before 2026-11-24T23:59:59Z
ONSET = datetime(2026, 11, 22, 1, tzinfo=UTC)  # 10:00 KST, Sunday
CAMPAIGN_START = datetime(2026, 11, 17, 10, tzinfo=UTC)  # 19:00 KST, Tuesday
KST = timedelta(hours=9)

DAILY = {"ko": 190.0, "en": 190.0}  # background posts per day
BURST_TAU_H = 55 / 60  # e-folding time of the complaint's growth, hours
BURST_R0 = 1.0  # posts per hour at onset
BURST_PLATEAU = 95.0  # posts per hour once it saturates (before the daily rhythm)
SOURCES = {
    "ko": {"x": 0.4, "community": 0.42, "reviews": 0.15, "reddit": 0.03},
    "en": {"x": 0.46, "reddit": 0.34, "reviews": 0.2},
}
NEWS_COVERAGE = (1, 1, 2, 2, 3)  # outlets that run each background story
BRAND_MIX = {"Lumio": 0.56, "Vexa": 0.21, "Orbit": 0.16, "compare": 0.05, "negative": 0.02}
# KST hour -> relative volume for Korean posts; UTC hour -> relative volume for English posts.
KO_HOURLY = [1.0, 0.7, 0.4, 0.2, 0.15, 0.15, 0.25, 0.5, 0.85, 0.9, 0.95, 1.0,
             1.25, 1.1, 1.0, 1.0, 1.05, 1.15, 1.35, 1.55, 1.75, 1.85, 1.7, 1.35]  # fmt: skip
EN_HOURLY = [1.3, 1.35, 1.3, 1.15, 1.0, 0.8, 0.6, 0.45, 0.35, 0.3, 0.35, 0.45,
             0.6, 0.8, 1.0, 1.1, 1.15, 1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.3]  # fmt: skip


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small rates used here (lam < 100)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def lognormal_int(rng: random.Random, median: float, sigma: float, cap: int = 5_000_000) -> int:
    return min(cap, int(median * math.exp(rng.gauss(0.0, sigma))))


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def rhythm(lang: str, t: datetime) -> float:
    """Relative posting volume at time t: evening peak and 3-6 am trough in KST, different weekends."""
    if lang == "ko":
        local = t + KST
        w = KO_HOURLY[local.hour]
        if local.weekday() >= 5:  # weekend: slow morning, busy afternoon
            w *= 0.7 if local.hour < 11 else 1.25
        return w
    w = EN_HOURLY[t.hour]
    return w * (0.85 if (t - timedelta(hours=5)).weekday() >= 5 else 1.0)


# --- authors ---------------------------------------------------------------------------------------


@dataclass
class Author:
    id: str
    handle: str
    followers: int


@dataclass
class Pool:
    """Authors of one (source, lang) with Zipf-like activity: a few post a lot, most post once."""

    authors: list[Author]
    cum: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        total, self.cum = 0.0, []
        for i in range(len(self.authors)):
            total += 1.0 / (i + 1) ** 0.65
            self.cum.append(total)

    def pick(self, rng: random.Random) -> Author:
        return rng.choices(self.authors, cum_weights=self.cum)[0]


FOLLOWERS = {"x": (110, 1.6), "reddit": (12, 1.4), "reviews": (3, 1.2), "community": (25, 1.3)}
POOL_SIZE = {"x": 1800, "reddit": 900, "reviews": 1100, "community": 1400}


def make_handle(rng: random.Random, source: str, lang: str) -> str:
    if source == "community":
        tail = rng.choice(["", "", str(rng.randint(1, 99))])
        return rng.choice(P.NICK_HEAD) + rng.choice(P.NICK_TAIL) + tail
    if source == "reviews" and lang == "ko":
        return f"{rng.choice(P.ROMAN)[:3]}{rng.randrange(100):02d}***"
    if source == "reviews":
        return f"{rng.choice(P.EN_NAMES).capitalize()} {rng.choice('ABCDEFGHJKLMNPRSTW')}."
    base = rng.choice(P.ROMAN if lang == "ko" else P.EN_NAMES)
    return base + rng.choice(P.HANDLE_TAILS) + rng.choice(["", "", str(rng.randint(1, 9999))])


def make_pools(rng: random.Random) -> dict[tuple[str, str], Pool]:
    pools = {}
    for lang, sources in SOURCES.items():
        for source in sources:
            seen: set[str] = set()
            authors = []
            n = POOL_SIZE[source] // (3 if lang == "ko" and source == "reddit" else 1)
            while len(authors) < n:
                handle = make_handle(rng, source, lang)
                if handle in seen and source != "reviews":  # review sites show "Jay K." for many people
                    continue
                seen.add(handle)
                median, sigma = FOLLOWERS[source]
                aid = f"{source[:2]}{lang}{rng.randrange(10**8, 10**9)}"
                authors.append(Author(aid, handle, lognormal_int(rng, median, sigma)))
            pools[(source, lang)] = Pool(authors)
    return pools


RELEASE = ONSET + timedelta(hours=-15)  # firmware 3.2 announced the evening before
SPECIAL = {
    "official": Author("x-lumio-kr", "lumio_kr", 412_000),
    "influencer_ko": Author("x-techjun", "techjun_tv", 823_000),
    "influencer_en": Author("x-gadgetgwen", "gadgetgwen", 318_000),
    "news_ko": Author("news-technews-kr", "테크뉴스", 95_000),
    "news_en": Author("news-gadgetwire", "GadgetWire", 260_000),
    "news_ko2": Author("news-ilbo-it", "IT일보", 41_000),
    "news_en2": Author("news-seoul-tech", "Seoul Tech Daily", 58_000),
    "news_ko3": Author("news-digital-kr", "디지털매일", 23_000),
    "news_en3": Author("news-mobile-pulse", "Mobile Pulse", 120_000),
}


def news(rng: random.Random) -> list[dict]:
    """Background stories, each run by one to three outlets within a working day (KST)."""
    posts = []
    for lang, stories in P.NEWS.items():
        for day, headline, lede in stories:
            d = day if day is not None else rng.randrange(14)
            first = START + timedelta(days=d, hours=rng.uniform(-1, 9))  # 08:00-18:00 KST
            n = rng.randint(2, 9)
            for i, outlet in enumerate(rng.sample(P.OUTLETS[lang], rng.choice(NEWS_COVERAGE))):
                at = first + timedelta(minutes=i * rng.randint(20, 240))
                text = f"{headline.format(n=n)}\n{lede}"
                posts.append(
                    {"lang": lang, "source": "news", "text": text, "at": at, "author": SPECIAL[outlet]}
                )
    return posts


# --- the three streams -----------------------------------------------------------------------------


def background(rng: random.Random, pools: dict[tuple[str, str], Pool]) -> list[dict]:
    """Ordinary chatter, comparisons and true negatives, hour by hour, following each language's rhythm."""
    posts: list[dict] = []
    mean = {"ko": sum(KO_HOURLY) / 24, "en": sum(EN_HOURLY) / 24}
    t = START
    while t < END:
        for lang in ("ko", "en"):
            n = poisson(rng, DAILY[lang] / 24 * rhythm(lang, t) / mean[lang])
            for _ in range(n):
                at = t + timedelta(seconds=rng.randrange(3600))
                source, kind = P.pick(rng, SOURCES[lang]), P.pick(rng, BRAND_MIX)
                if kind == "negative":
                    post, author = P.negative_post(rng, lang), pools[("x", lang)].pick(rng)
                elif kind == "compare":
                    post, author = P.compare_post(rng, lang, source), pools[(source, lang)].pick(rng)
                else:
                    post, author = (
                        P.chatter(rng, lang, source, kind, at > RELEASE),
                        pools[(source, lang)].pick(rng),
                    )
                post.update(at=at, author=author)
                posts.append(post)
        t += timedelta(hours=1)
    return posts


def rate_posts(rng: random.Random, begin: datetime, hours: float, rate) -> list[datetime]:  # type: ignore[no-untyped-def]
    """Times of an inhomogeneous Poisson process, drawn minute by minute from rate(t) posts/hour."""
    out = []
    for m in range(int(hours * 60)):
        t = begin + timedelta(minutes=m)
        if t >= END:
            break
        out += [t + timedelta(seconds=rng.randrange(60)) for _ in range(poisson(rng, rate(t) / 60))]
    return sorted(out)


def campaign(rng: random.Random, pools: dict[tuple[str, str], Pool]) -> list[dict]:
    """Vexa's S9 Blue launch: a quick, positive spike with many reshares, fading within a day."""
    official = Author("x-vexa-kr", "vexa_kr", 530_000)
    launch = "벡사 S9 블루 에디션 출시! #벡사S9챌린지 참여하고 벡사팟 받아가세요 🎁"
    posts = [
        {
            "lang": "ko",
            "source": "x",
            "text": launch,
            "at": CAMPAIGN_START,
            "author": official,
            "share_boost": 8.0,
        }
    ]

    def rate(t: datetime) -> float:
        h = (t - CAMPAIGN_START).total_seconds() / 3600
        return 30 * (1 - math.exp(-h / 0.6)) * math.exp(-h / 7)

    for at in rate_posts(rng, CAMPAIGN_START, 36, rate):
        lang = "ko" if rng.random() < 0.62 else "en"
        source = "x" if rng.random() < 0.8 else ("community" if lang == "ko" else "reddit")
        if source == "x" and rng.random() < 0.3:
            text = f"RT @vexa_kr: {launch}"
        else:
            extras = P.x_extras(rng, lang, "Vexa", "pos") if source == "x" else []
            text = " ".join(
                [
                    rng.choice(P.OPENERS[lang]) + P.roughen(rng, rng.choice(P.CAMPAIGN[lang]), lang, "pos"),
                    *extras,
                ]
            )
            if source != "x":
                text = (
                    f"{P.fill(rng, rng.choice(P.COMMUNITY_TITLES['pos']), 'ko', 'Vexa')}\n{text}"
                    if lang == "ko"
                    else f"Vexa S9 Blue thoughts\n\n{text}"
                )
        post = {
            "lang": lang,
            "source": source,
            "text": text,
            "at": at,
            "share_boost": 3.0,
            "sub": "r/smartphones",
        }
        post["author"] = pools[(source, lang)].pick(rng)
        posts.append(post)
    return posts


def burst_rate(lang: str, t: datetime) -> float:
    """Complaint posts per hour: e-fold growth from onset until it meets a plateau with a daily rhythm."""
    h = (t - ONSET).total_seconds() / 3600
    share = 0.55 if lang == "ko" else 0.45
    mean = sum(KO_HOURLY if lang == "ko" else EN_HOURLY) / 24
    plateau = BURST_PLATEAU * rhythm(lang, t) / mean * math.exp(-max(0.0, h - 6) / 30)
    return share * min(BURST_R0 * math.exp(h / BURST_TAU_H), plateau)


def burst(rng: random.Random, pools: dict[tuple[str, str], Pool]) -> list[dict]:
    """The emerging complaint plus its scripted milestones (influencers, news, official replies)."""
    posts = []
    for hours, lang, source, who, text in P.EVENTS:
        boost = 25.0 if who.startswith("influencer") else 4.0
        at = ONSET + timedelta(hours=hours)
        posts.append(dict(lang=lang, source=source, text=text, at=at, author=SPECIAL[who], share_boost=boost))
    sources = {
        "ko": {"x": 0.42, "community": 0.43, "reviews": 0.15},
        "en": {"x": 0.5, "reddit": 0.33, "reviews": 0.17},
    }
    for lang in ("ko", "en"):
        earlier = [p for p in posts if p["lang"] == lang and p["source"] == "x" and p["at"] > ONSET]
        hours = (END - ONSET).total_seconds() / 3600
        for at in rate_posts(rng, ONSET, hours, lambda t, lg=lang: burst_rate(lg, t)):
            h = (at - ONSET).total_seconds() / 3600
            source = P.pick(rng, sources[lang])
            seen = [p for p in earlier if p["at"] < at]
            if source == "x" and seen and h > 2 and rng.random() < 0.35:  # reshare, weighted by reach
                orig = rng.choices(seen, weights=[p["author"].followers + 50 for p in seen])[0]
                text = f"RT @{orig['author'].handle}: {orig['text']}"[:280]
                post = {"lang": lang, "source": "x", "text": text, "share_boost": 0.3}
            else:
                body = P.complaint_text(rng, lang, source, h, seen)
                if source == "x":
                    post = {"lang": lang, "source": "x", "text": body, "share_boost": 5.0}
                else:
                    post = P.wrap(rng, lang, source, "Lumio", "neg", body)
                    if source != "reviews":
                        title = rng.choice(P.BURST_TITLES[lang])
                        post["text"] = f"{title}\n{post['text'].split(chr(10), 1)[-1].strip()}"
                    post["share_boost"] = 4.0
            post.update(at=at, author=pools[(source, lang)].pick(rng))
            posts.append(post)
            if source == "x" and not post["text"].startswith("RT @"):  # reshare originals, not reshares
                earlier.append(post)
    return posts


# --- ids, urls, metrics, output --------------------------------------------------------------------


def metrics(rng: random.Random, source: str, followers: int, share_boost: float) -> dict[str, int]:
    """Heavy-tailed engagement: views scale with reach, likes/shares/replies are noisy fractions."""
    if source in ("x", "news"):
        views = int(followers * math.exp(rng.gauss(-1.2, 0.9))) + lognormal_int(rng, 40, 1.2)
    else:
        views = lognormal_int(rng, {"reddit": 300, "reviews": 60, "community": 180}[source], 1.2)
    likes = min(views, int(views * 0.03 * math.exp(rng.gauss(0, 0.9))))
    shares = 0 if source == "reviews" else int(likes * 0.12 * share_boost * math.exp(rng.gauss(0, 1.0)))
    replies = int(likes * 0.2 * math.exp(rng.gauss(0, 0.9)))
    return {"likes": likes, "shares": shares, "replies": replies, "views": views}


def slug(text: str) -> str:
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in text.split("\n")[0].lower()).split()
    return "_".join(words[:8]) or "post"


def finalise(rng: random.Random, posts: list[dict]) -> list[dict]:
    """Sort by time, then give each post a native id and url in its platform's style."""
    posts.sort(key=lambda p: (p["at"], p["source"], p["author"].id, p["text"]))
    counters = {"reddit": 36**6 * 3, "reviews": 4_812_000, "community": 73_120_000, "news": 240_000}
    records, seen = [], set()
    for p in posts:
        src, at, a = p["source"], p["at"], p["author"]
        if src == "x":
            native = str(((int(at.timestamp() * 1000) - 1_288_834_974_657) << 22) | rng.getrandbits(22))
            url = f"https://x.com/{a.handle}/status/{native}"
        else:
            counters[src] += rng.randint(1, 40)
            n = counters[src]
            if src == "reddit":
                native = ""
                while n:
                    n, d = divmod(n, 36)
                    native = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + native
                url = (
                    f"https://www.reddit.com/{p.get('sub', 'r/Android')}/comments/{native}/{slug(p['text'])}/"
                )
            elif src == "reviews":
                native = f"r{n}"
                product = {"Lumio": "lumio-x2", "Vexa": "vexa-s9", "Orbit": "orbit-phone-5"}[
                    p.get("brand_hint", "Lumio")
                ]
                url = f"https://reviews.example.com/{product}/reviews/{n}"
            elif src == "community":
                native = str(n)
                url = f"https://cafe.example.kr/phonelove/{n}"
            else:
                native = f"{a.id.removeprefix('news-')}-{n}"
                host = "news.example.kr" if p["lang"] == "ko" else "news.example.com"
                url = f"https://{host}/{at:%Y/%m/%d}/{slug(p['text']) if p['lang'] == 'en' else n}"
        assert (src, native) not in seen
        seen.add((src, native))
        rec = {
            "id": native, "source": src, "created_at": iso(at), "lang": p["lang"],
            "author": {"id": a.id, "handle": a.handle, "followers": a.followers},
            "text": p["text"], "url": url, "metrics": metrics(rng, src, a.followers, p.get("share_boost", 1.0)),
        }  # fmt: skip
        if "rating" in p:
            rec["rating"] = p["rating"]
        records.append(rec)
    return records


def generate(seed: int = SEED) -> list[dict]:
    """All posts of the scenario, in time order."""
    rng = random.Random(seed)
    pools = make_pools(rng)
    posts = background(rng, pools) + news(rng) + campaign(rng, pools) + burst(rng, pools)
    return finalise(rng, [p for p in posts if START <= p["at"] < END])


def write(records: list[dict], path: Path) -> None:
    """Gzip JSON Lines with a fixed header (no name, mtime 0), so the bytes are reproducible."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        for rec in records:
            gz.write((json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", type=Path, help="where to write the .jsonl.gz file")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    records = generate(args.seed)
    write(records, args.output)
    print(f"wrote {len(records)} posts to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
