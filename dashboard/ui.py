"""What every page shares: `page_setup()` (language switch, filter bar, context) and safe rendering.

Untrusted text (posts, author names, URLs) is shown only through tables, `st.text` or markdown
code spans; links only for http(s) URLs (tables.safe_url). Nothing here passes
`unsafe_allow_html`.

Widget state survives page changes because each filter keeps its value under a permanent
session key and the widget (a different key) is re-seeded from it on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import pandas as pd
import streamlit as st

from groundswell.config.settings import Settings
from groundswell.dashboard import cache, charts, queries
from groundswell.dashboard.auth import require_login
from groundswell.dashboard.i18n import LANGUAGES, t
from groundswell.dashboard.queries import SENTIMENTS, FilterOptions, Filters
from groundswell.dashboard.tables import mentions_frame
from groundswell.errors import ConfigError, GroundswellError
from groundswell.indexer.base import MentionQuery, Store
from groundswell.localtime import local_date, zone, zone_name
from groundswell.ratings import stars_text
from groundswell.records import EnrichedMention


@dataclass(frozen=True)
class Page:
    lang: str
    settings: Settings
    store: Store
    key: str
    filters: Filters | None  # None: the store holds no mentions yet
    options: FilterOptions
    user: str | None = None  # the signed-in identity (dashboard.login: oidc); None: login off

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def tz(self) -> tzinfo:
        """The configured zone every time on the page is shown in."""
        return zone(self.settings.timezone)

    def sentiment_labels(self) -> dict[str, str]:
        return {s: self.t(f"sent.{s}") for s in SENTIMENTS} | {"unknown": "?"}

    @property
    def brand_words(self) -> tuple[str, ...]:
        """The brands' own names and query words, left out of word lists."""
        return queries.brand_words(self.settings.brands)

    def topic_labels(self, ids: tuple[int, ...]) -> dict[int, str]:
        """One label per topic id, the newest in the store; -1 reads "unassigned" / "미분류"."""
        return cache.topic_labels(self.store, self.key, MentionQuery(), ids, self.t("topic.unassigned"))


def labelled(label: str, value: str) -> None:
    """`label: value` where value is shown literally: a code span never links, formats or runs HTML."""
    literal = " ".join(value.replace("`", "'").split()) or "—"
    st.markdown(f"**{label}:** `{literal}`")


def _persist(key: str, default: object) -> str:
    """Seed widget `_key` from the permanent `key`; return the widget key to render with."""
    widget_key = f"_{key}"
    if key not in st.session_state:
        st.session_state[key] = default
    st.session_state[widget_key] = st.session_state[key]
    return widget_key


def _keep(key: str) -> None:
    st.session_state[key] = st.session_state[f"_{key}"]


def language_switch(default: str) -> str:
    """Sidebar radio; starts from `?lang=en|ko` in the URL (shareable links), else the config."""
    asked = st.query_params.get("lang")
    widget = _persist("lang", asked if asked in LANGUAGES else default if default in LANGUAGES else "ko")
    st.sidebar.radio(
        "Language / 언어",
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=widget,
        on_change=_keep,
        args=("lang",),
        horizontal=True,
    )
    return str(st.session_state["lang"])


def page_setup(title_key: str) -> Page:
    """Language switch, title and the shared filter bar; stops the page with a clear message on a
    bad config or an unreadable store instead of a traceback."""
    try:
        ctx = cache.app_context()
    except GroundswellError as exc:
        what = "error.config" if isinstance(exc, ConfigError) else "error.store"
        st.error(f"{t(what, 'en')} / {t(what, 'ko')}")
        st.code(str(exc), language=None)
        st.stop()
    lang = language_switch(ctx.settings.dashboard.language)
    user = require_login(ctx.settings.dashboard, lang)  # stops an anonymous session when login is on
    st.title(t(title_key, lang))
    if ctx.warning:
        st.caption(t("error.config_default", lang))
    brands = tuple(b.name for b in ctx.settings.brands)
    try:
        span = cache.time_range(ctx.store, ctx.key)
        if span is None:
            options, filters = queries.FilterOptions(brands, (), (), None, None), None
        else:
            tz = zone(ctx.settings.timezone)
            since, until = _period(local_date(span[0], tz), local_date(span[1], tz), tz)
            options = cache.filter_options(ctx.store, ctx.key, brands, since, until)
            filters = filter_bar(options, lang, tz)
    except GroundswellError as exc:
        st.error(t("error.store", lang))
        st.code(str(exc), language=None)
        st.stop()
    return Page(lang, ctx.settings, ctx.store, ctx.key, filters, options, user)


def _period(first: date, last: date, tz: tzinfo = UTC) -> tuple[datetime, datetime]:
    """The chosen (or default: the data's last days, queries.default_period) range of local days in
    `tz` as a half-open UTC range."""
    default = queries.default_period(first, last, datetime.now(tz).date())
    current = st.session_state.get("flt_dates")
    if not isinstance(current, tuple | list) or not current or not all(first <= d <= last for d in current):
        st.session_state["flt_dates"] = current = default
    start, end = _date_pair(current, default)
    return (
        datetime.combine(start, time(), tz).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(), tz).astimezone(UTC),
    )


def filter_bar(options: FilterOptions, lang: str, tz: tzinfo = UTC) -> Filters:
    """Brand, date range (days in the configured zone), sources, languages: the same on every page."""
    assert options.first is not None and options.last is not None
    side = st.sidebar
    side.subheader(t("filter.title", lang))
    all_label = t("filter.all_brands", lang)
    brand_choices = ["", *options.brands]
    widget = _persist("flt_brand", "")  # all brands: a first visit shows everything stored
    if st.session_state[widget] not in brand_choices:
        st.session_state[widget] = st.session_state["flt_brand"] = ""
    brand = side.selectbox(
        t("filter.brand", lang), brand_choices, key=widget, on_change=_keep, args=("flt_brand",),
        format_func=lambda b: b or all_label,
    )  # fmt: skip
    first, last = local_date(options.first, tz), local_date(options.last, tz)
    since, until = _period(first, last, tz)
    side.date_input(
        f"{t('filter.dates', lang)} ({zone_name(tz)})", value=tuple(st.session_state["flt_dates"]), min_value=first, max_value=last,
        key="_flt_dates", on_change=_keep, args=("flt_dates",),
    )  # fmt: skip  # not re-seeded: a range input takes its shape from `value`
    sources = _multiselect("flt_sources", t("filter.sources", lang), options.sources, lang)
    langs = _multiselect("flt_langs", t("filter.langs", lang), options.langs, lang)
    return Filters(
        since=since,
        until=until,
        brand=brand or None,
        sources=tuple(sources),
        langs=tuple(langs),
        tz=getattr(tz, "key", None) or str(tz),
    )


def _date_pair(picked: object, default: tuple[date, date]) -> tuple[date, date]:
    """A half-picked range (one date while the user chooses the second) counts as one day."""
    if isinstance(picked, date):
        return picked, picked
    if isinstance(picked, tuple | list) and picked:
        return picked[0], picked[-1]
    return default


def _multiselect(key: str, label: str, choices: tuple[str, ...], lang: str) -> list[str]:
    """Options are what the period holds, plus what is already picked (kept when the period moves)."""
    widget = _persist(key, [])
    choices = tuple(sorted({*choices, *st.session_state[widget]}))
    return st.sidebar.multiselect(
        label, list(choices), key=widget, on_change=_keep, args=(key,), placeholder=t("filter.any", lang)
    )


def need_data(page: Page) -> Filters:
    """The filters, or an explanation of how to get data and the end of the page."""
    if page.filters is None:
        st.info(page.t("empty.no_data"))
        st.stop()
    return page.filters


def chart(figure: charts.Figure) -> None:
    st.altair_chart(figure, width="stretch")


def mentions_table(page: Page, mentions: list[EnrichedMention], height: int | None = None) -> None:
    """Mentions as a table; the text is plain cell text and the link column shows only http(s)."""
    ids = tuple(sorted({m.topic.id for m in mentions if m.topic is not None}))
    frame = in_zone(mentions_frame(mentions, page.topic_labels(ids) if ids else {}), page.tz)
    labels = page.sentiment_labels()
    frame["sentiment"] = frame["sentiment"].map(lambda s: labels.get(s, s))
    column = st.column_config
    config = {
        "time": column.DatetimeColumn(
            f"{page.t('col.time')} ({zone_name(page.tz)})", format="YYYY-MM-DD HH:mm"
        ),
        "source": page.t("col.source"),
        "author": page.t("col.author"),
        "followers": column.NumberColumn(page.t("col.followers"), format="localized"),
        "text": column.TextColumn(page.t("col.text"), width="large"),
        "sentiment": page.t("col.sentiment"),
        "score": column.NumberColumn(page.t("col.score"), format="%.2f"),
        "rating": page.t("col.rating"),
        "topic": page.t("col.topic"),
        "touchpoints": page.t("col.touchpoints"),
        "entities": page.t("col.entities"),
        "likes": page.t("col.likes"),
        "shares": page.t("col.shares"),
        "replies": page.t("col.replies"),
        "views": page.t("col.views"),
        "lang": page.t("col.lang"),
        "brands": page.t("col.brand"),
        "url": column.LinkColumn(page.t("col.link"), display_text="↗"),
        "id": None,
    }
    if frame["rating"].isna().all():
        config["rating"] = None  # no post here has stars (tweets, forum posts): no column of blanks
    else:  # "4 ★"; an unrated post's cell stays empty, where Streamlit would write a grey "None"
        frame["rating"] = frame["rating"].map(stars_text)
    st.dataframe(frame, column_config=config, hide_index=True, width="stretch", height=height or "auto")


def plain(text: str) -> None:
    """Untrusted text as a paragraph that renders literally (no markdown, no autolinks, no HTML)."""
    st.text(text)


def fmt_delta(now: float, before: float, pct: bool = False) -> str | None:
    if pct:
        return f"{now - before:+.1f} pp"
    if not before:
        return None
    return f"{100.0 * (now - before) / before:+.0f}%"


def localize(frame: pd.DataFrame, page: Page, columns: dict[str, str]) -> pd.DataFrame:
    """Rename frame columns to interface labels: {column: i18n key}."""
    return frame.rename(columns={c: page.t(k) for c, k in columns.items()})


def show_table(
    page: Page,
    frame: pd.DataFrame,
    columns: dict[str, str],
    column_config: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """A full-width table without the index, columns renamed to interface labels.

    `columns` is {column: i18n key}; `column_config` is keyed by the same i18n keys.
    """
    config = {page.t(k): v for k, v in (column_config or {}).items()} or None
    st.dataframe(
        localize(in_zone(frame, page.tz), page, columns),
        hide_index=True,
        width="stretch",
        column_config=config,
        **kwargs,
    )


def in_zone(frame: pd.DataFrame, tz: tzinfo) -> pd.DataFrame:
    """Every time-zone-aware datetime column shown in `tz` (the store's times are UTC)."""
    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.DatetimeTZDtype):
            out[name] = out[name].dt.tz_convert(tz)
    return out


def current_language() -> str:
    """The chosen interface language, else the configured default (for navigation titles)."""
    if "lang" in st.session_state:
        return str(st.session_state["lang"])
    if st.query_params.get("lang") in LANGUAGES:
        return str(st.query_params["lang"])
    try:
        return cache.app_context().settings.dashboard.language
    except GroundswellError:
        return "ko"
