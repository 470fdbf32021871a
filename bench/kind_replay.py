"""A 14-day replay with bursts of one *kind* (bench.kind_bursts) instead of one theme word.

Three English brands (background: SemEval tweets) and three Korean ones (background: NSMC, KOTE
and Korean hate-speech comments), two bursts each, so six bursts a language per seed, each 40
posts growing e-fold every 30 minutes over 2 hours, as in bench.eval_detection.
"""

from __future__ import annotations

import random

from bench.eval_detection import (
    Burst,
    Replay,
    _mention,
    arrivals,
    place_burst,
)
from bench.kind_bursts import draw_burst
from bench.replay_data import Post, shuffled

KIND_BRANDS = {  # brand -> (background pool mix, language)
    "Gamma": ({"semeval": 1.0}, "en"),
    "Delta": ({"semeval": 1.0}, "en"),
    "Epsilon": ({"semeval": 1.0}, "en"),
    "Alpha": ({"nsmc": 0.5, "kote": 0.3, "hate": 0.2}, "ko"),
    "Beta": ({"kote": 0.5, "hate": 0.5}, "ko"),
    "Zeta": ({"nsmc": 0.6, "kote": 0.4}, "ko"),
}
BURSTS_PER_BRAND = 2


def build_kind_replay(
    pools: dict[str, list[Post]], kinds: dict[str, list[Post]], seed: int, per_brand_day: float = 270
) -> Replay:
    rng = random.Random(seed)
    mentions = []
    bursts: list[Burst] = []
    brands = [b for b, (mix, _) in KIND_BRANDS.items() if any(p in pools for p in mix)]
    order = {lang: [k for k in sorted(kinds) if k.startswith(lang + ":")] for lang in ("en", "ko")}
    for lang in order:
        rng.shuffle(order[lang])
    taken: set[str] = set()
    for b_index, brand in enumerate(brands):
        mix, lang = KIND_BRANDS[brand]
        mix = {p: w for p, w in mix.items() if p in pools}
        onsets: list = []
        for _ in range(BURSTS_PER_BRAND):
            posts = None
            while order[lang] and posts is None:
                kind = order[lang].pop(0)
                posts = draw_burst([p for p in kinds[kind] if p.text not in taken], rng)
            if posts is None:
                break
            bursts.append(place_burst(mentions, brand, kind, posts, onsets, rng, seed))
            taken.update(post.text for post in posts)
        stream = {
            p: [x for x in shuffled(pools[p], seed * 100 + b_index) if x.text not in taken] for p in mix
        }
        weights = list(mix.values())
        cursors = dict.fromkeys(mix, 0)
        for t in arrivals(rng, per_brand_day, lang):
            pool = rng.choices(list(mix), weights)[0]
            post = stream[pool][cursors[pool] % len(stream[pool])]
            cursors[pool] += 1
            mentions.append(_mention(len(mentions), brand, t, post, rng, f"{brand}-u{rng.randrange(20000)}"))
    return Replay(mentions, bursts, brands)
