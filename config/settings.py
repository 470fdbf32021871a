"""Every setting with its default, type, bounds and meaning: the one place for defaults.

Precedence (lowest first): these defaults < the YAML file < `GROUNDSWELL_*` environment variables
< CLI flags. The loaded `Settings` is frozen: components read what they need when they are built.
Secrets never live here: fields ending in `_env` name the environment variable that holds them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from groundswell.errors import PluginError
from groundswell.options import check_options
from groundswell.plugins import CHANNELS, SENTIMENT_BACKENDS, SOURCES, STORES
from groundswell.records import Severity
from groundswell.registry import Registry

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: Any) -> timedelta:
    """'15m', '1h', '2d', a number of seconds, or a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"{value!r} is not a duration; use a number and a unit: 30s, 15m, 1h, 2d, 1w")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def _registered(registry: Registry, name: str) -> str:
    """`name` if the registry knows it (or it is an importable `pkg.mod:Class`), else ValueError."""
    try:
        registry.check(name)
    except PluginError as exc:
        raise ValueError(str(exc)) from None
    return name


def _typed_options(registry: Registry, options: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """Options checked by the model of the part named in `type`, defaults filled in.

    The part's module is imported here (platform clients stay lazy inside it); when it cannot be
    imported (an optional extra is missing) the options are kept as written and the part itself
    reports what to install when it is built.
    """
    type_name = info.data.get("type")
    if type_name is None:  # the type was refused already; that error is the one to show
        return options
    try:
        part = registry.load(type_name)
    except ImportError:
        return options
    except PluginError as exc:
        raise ValueError(str(exc)) from None
    return check_options(part, options)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Brand(_Section):
    name: str = Field(min_length=1, description="Display name, unique")
    query: str = Field(min_length=1, description="Boolean query (AND OR NOT, quotes, *, NEAR/n, @, #)")
    competitors: list[str] = Field(default_factory=list, description="Names of other brand entries")
    sensitivity: float = Field(default=1.0, gt=0, le=10, description="Detector sensitivity multiplier")

    @field_validator("query")
    @classmethod
    def _query_parses(cls, value: str) -> str:
        from groundswell.errors import QuerySyntaxError
        from groundswell.query import parse_query

        try:
            parse_query(value)
        except QuerySyntaxError as exc:
            raise ValueError(f"not a valid query: {exc}") from None
        return value


# Sources crawled less often than this (a daily review crawl under a quota) keep their interval while
# a brand warms unless their `hot_interval` is set; replays with longer steps get no hot steps.
HOT_MAX_INTERVAL = timedelta(hours=1)


class Source(_Section):
    name: str = Field(min_length=1, description="Unique name; mention ids start with it")
    type: str = Field(description="Registered source type, e.g. reddit, x, rss, naver, replay")
    enabled: bool = True
    interval: Duration = Field(default=timedelta(minutes=15), description="Time between runs")
    jitter: float = Field(default=0.1, ge=0, le=1, description="Random fraction added to interval")
    hot_interval: Duration = Field(
        default=timedelta(minutes=5),
        description="While a brand this source brings is close to an alert, run at least this often "
        "(0: keep interval; a source with an interval over 1h is hurried only when this is set)",
    )
    unhealthy_after: Duration = Field(
        default=timedelta(hours=6), description="No data or only failures this long raises an ops alert"
    )
    options: dict[str, Any] = Field(
        default_factory=dict, description="Source-specific settings (docs/sources.md lists each type's)"
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        return _registered(SOURCES, value)

    @field_validator("options")
    @classmethod
    def _options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        return _typed_options(SOURCES, value, info)


class Touchpoint(_Section):
    name: str = Field(min_length=1)
    owner: str = Field(default="", description="Team or e-mail responsible for this touchpoint")
    description: str | None = Field(
        default=None,
        description="One line saying what belongs here (read by people and by semantic matching)",
    )
    keywords: list[str] = Field(default_factory=list, description="Words that signal it, any language")
    examples: list[str] = Field(default_factory=list, description="Example complaints, any language")


class ConceptWords(_Section):
    name: str = Field(
        min_length=1,
        description="A complaint concept's name: a shipped one (delivery or 배송, login or 로그인 ...) to add "
        "words to it, or a new one (docs/detection.md, 'Complaint concepts')",
    )
    name_ko: str | None = Field(default=None, description="Its Korean name, shown in Korean labels")
    words: list[str] = Field(
        min_length=1,
        description="Words that name it, any language, literal: Latin words match whole words, Korean "
        "words inside words with optional spaces (로켓배송, rocket wow)",
    )


class AlertRule(_Section):
    name: str = Field(min_length=1)
    brands: list[str] = Field(default_factory=list, description="Empty: every brand")
    window: Duration = Field(default=timedelta(hours=1), description="Recent window that is tested")
    baseline: Duration = Field(default=timedelta(days=7), description="History used as the baseline")
    min_posts: int = Field(default=5, ge=1, description="Fewest negative posts in a window to fire")
    sensitivity: float = Field(default=1.0, gt=0, le=10, description="Higher fires earlier")
    cooldown: Duration = Field(default=timedelta(hours=6), description="Quiet time before re-firing")
    channels: list[str] = Field(default_factory=list, description="Channel names to deliver to")
    language: Literal["en", "ko"] = Field(
        default="en",
        description="Language of the alert's label, summary and messages (a config with no alert_rules gets "
        "one rule in dashboard.language)",
    )


class Playbook(_Section):
    touchpoint: str = Field(description="Touchpoint name, or '*' for the fallback playbook")
    text: str = Field(min_length=1)
    language: Literal["en", "ko"] | None = Field(
        default=None,
        description="Language of the text: an alert in a rule's language takes the playbook in that "
        "language when there is one (none: any language)",
    )


class Channel(_Section):
    name: str = Field(min_length=1)
    type: str = Field(description="Registered channel type: slack | teams | email | webhook")
    options: dict[str, Any] = Field(
        default_factory=dict, description="URLs etc.; secrets via *_env (docs/alerts.md lists each type's)"
    )
    min_severity: Severity = Field(default=Severity.LOW, description="Only alerts at or above this severity")
    brands: list[str] = Field(default_factory=list, description="Only alerts for these brands; empty: all")
    owners: list[str] = Field(
        default_factory=list, description="Only alerts whose touchpoint owners include one; empty: any"
    )
    digest: Literal["off", "hourly", "daily", "weekly", "monthly"] = Field(
        default="off",
        description="Send a periodic summary instead of each alert; weekly/monthly: the brand report",
    )
    language: Literal["en", "ko"] | None = Field(default=None, description="Overrides the rule's language")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        return _registered(CHANNELS, value)

    @field_validator("options")
    @classmethod
    def _options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        return _typed_options(CHANNELS, value, info)


class AlertsSettings(_Section):
    """Delivery policy shared by every channel (see docs/alerts.md)."""

    quiet_hours: str | None = Field(
        default=None, description="'22:00-07:00' local time: alerts wait until it ends"
    )
    timezone: str | None = Field(
        default=None, description="IANA zone for quiet hours and digests; default: the top-level timezone"
    )
    quiet_override: Severity = Field(
        default=Severity.CRITICAL, description="At or above this severity, quiet hours are ignored"
    )
    admin_channel: str | None = Field(default=None, description="Channel for collector health alerts")
    dashboard_url: str | None = Field(default=None, description="Link base; default dashboard.base_url")
    top_evidence: int = Field(default=3, ge=0, le=20, description="Evidence posts shown in a message")
    update_cooldown: Duration = Field(
        default=timedelta(minutes=30), description="Least time between updates of one incident"
    )
    retry_base: Duration = Field(default=timedelta(seconds=30), description="First retry delay, doubled")
    retry_max: Duration = Field(default=timedelta(minutes=30), description="Longest retry delay")
    give_up_after: Duration = Field(
        default=timedelta(days=1), description="Undelivered this long: kept as dead letter, not retried"
    )
    digest_hour: int = Field(default=9, ge=0, le=23, description="Local hour of the daily digest")

    @field_validator("quiet_hours")
    @classmethod
    def _window(cls, value: str | None) -> str | None:
        clock = r"\s*([01]?\d|2[0-3]):[0-5]\d\s*"
        if value is not None and not re.fullmatch(f"{clock}-{clock}", value):
            raise ValueError(f"{value!r} is not a local time window like '22:00-07:00'")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else _iana(value)


class StoreSettings(_Section):
    backend: str = Field(default="sqlite", description="Registered store: sqlite | elasticsearch")
    path: Path | None = Field(default=None, description="SQLite file; default in the user data dir")
    url: str | None = Field(default=None, description="Elasticsearch URL")
    index_prefix: str = "groundswell"
    api_key_env: str = Field(default="GROUNDSWELL_ES_API_KEY", description="Env var with the API key")
    password_env: str = Field(default="GROUNDSWELL_ES_PASSWORD", description="Env var with the password")
    username: str | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    shards: int = Field(default=1, ge=1, le=64, description="Elasticsearch primary shards per index")
    replicas: int | None = Field(default=None, ge=0, le=8, description="Replicas; default: the cluster's")
    rollover_max_age: Duration = Field(
        default=timedelta(days=30), description="Start a new time-based index after this long"
    )
    retention: Duration | None = Field(
        default=None, description="Delete indices older than this (ILM); default: keep everything"
    )

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _registered(STORES, value)


class NlpSettings(_Section):
    sentiment_backend: str = Field(default="default", description="default | vader | transformers")
    model_path: Path | None = Field(default=None, description="Local model dir for 'transformers'")
    use_adapted: bool = Field(
        default=True,
        description="Use the models `groundswell sentiment adapt` activated (data dir models/sentiment) for 'default'",
    )
    topics: bool = Field(default=True, description="Fit topics (BERTopic) during enrichment")
    semantic: bool = Field(
        default=True, description="Compare complaints by meaning (detection, touchpoints), not only words"
    )
    semantic_en: Literal["auto", "static", "minilm", "onnx"] = Field(
        default="auto",
        description="English meaning vectors: auto (the detector and `analyze --topics`: MiniLM int8 in ONNX "
        "Runtime where installed, else torch MiniLM; ingest: static vectors for topics and touchpoints) | "
        "static (fast, shipped, everywhere) | minilm (torch, slower, stronger; topics and touchpoints at ingest too) "
        "| onnx (MiniLM int8 in ONNX Runtime, no torch: ~2.5x minilm's speed, nearly its quality; topics and "
        "touchpoints at ingest too: held-out touchpoint macro-F1 0.45 vs 0.38, ~2 ms a post)",
    )
    entities: Literal["off", "complaints", "all"] = Field(
        default="complaints",
        description="Named entities (spaCy for English, Kiwi for Korean) stored per post: complaints (the "
        "default: NER reads ~780 English posts/s a core, so not every post) | all | off",
    )

    @field_validator("sentiment_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        return _registered(SENTIMENT_BACKENDS, value)


class IngestSettings(_Section):
    """How `groundswell ingest` reads a user's CSV export (see README, "Your own data")."""

    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Generic field -> CSV column, e.g. {text: review_body, created_at: date}; "
        "fields not named here are found by common column names",
    )

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        from groundswell.crawlers.tabular import FIELDS

        unknown = [k for k in value if k not in FIELDS]
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; fields: {', '.join(FIELDS)}")
        return value


class DashboardSettings(_Section):
    language: Literal["en", "ko"] = "ko"
    base_url: str = "http://127.0.0.1:8501"
    login: Literal["none", "oidc"] = Field(
        "none",
        description="oidc: sign-in via st.login; actions recorded as that identity (docs/dashboard.md)",
    )
    login_provider: str | None = Field(None, description="Named [auth.NAME] section of secrets.toml")
    allowed_domains: list[str] = Field(default_factory=list, description="E-mail domains let in; empty: any")


class Settings(_Section):
    timezone: str = Field(
        default="UTC", description="IANA zone for every time a person reads (CLI, dashboard, alerts, reports)"
    )
    brands: list[Brand] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    touchpoints_template: str | None = Field(
        default=None,
        description="Industry template added after your own touchpoints: airline, bank, ecommerce, games, "
        "mobile_app, telecom, or a path to a YAML file with a touchpoints: list (docs/touchpoints.md)",
    )
    concepts: list[ConceptWords] = Field(
        default_factory=list,
        description="Your own words for complaint concepts (product names, slang): counted by the detector "
        "and read by Korean touchpoint matching",
    )
    alert_rules: list[AlertRule] = Field(default_factory=lambda: [AlertRule(name="emerging-complaint")])
    playbooks: list[Playbook] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    store: StoreSettings = Field(default_factory=StoreSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    dashboard: DashboardSettings = Field(default_factory=DashboardSettings)
    alerts: AlertsSettings = Field(default_factory=AlertsSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _iana(value)

    @model_validator(mode="before")
    @classmethod
    def _implicit_rule_speaks_the_dashboard_language(cls, data: Any) -> Any:
        """No rule written: the implicit one speaks the team's language, the dashboard's (a Korean
        dashboard showed English alert labels and summaries)."""
        if isinstance(data, dict) and "alert_rules" not in data:
            dashboard = data.get("dashboard")
            if isinstance(dashboard, DashboardSettings):
                language = dashboard.language
            elif isinstance(dashboard, dict):
                language = dashboard.get("language", DashboardSettings().language)
            else:
                language = DashboardSettings().language
            data = {**data, "alert_rules": [AlertRule(name="emerging-complaint", language=language)]}
        return data

    @model_validator(mode="after")
    def _cross_references(self) -> Settings:
        names = [b.name for b in self.brands]
        _unique("brands", names)
        _unique("sources", [s.name for s in self.sources])
        _unique("touchpoints", [t.name for t in self.touchpoints])
        for brand in self.brands:
            for competitor in brand.competitors:
                if competitor not in names:
                    raise ValueError(f"brand {brand.name!r} names competitor {competitor!r}, not in brands")
        channels = {c.name for c in self.channels}
        for rule in self.alert_rules:
            for channel in rule.channels:
                if channel not in channels:
                    raise ValueError(f"alert rule {rule.name!r} names channel {channel!r}, not in channels")
        return self

    def brand(self, name: str) -> Brand:
        for brand in self.brands:
            if brand.name == name:
                return brand
        raise KeyError(f"no brand {name!r}; configured: {', '.join(b.name for b in self.brands)}")

    def playbook_for(self, touchpoints: list[str], language: str | None = None) -> str:
        """The touchpoints' playbooks (the fallback '*' when none has one), each in `language` where
        the config has it in that language: one language per message."""
        by_name: dict[str, str] = {}
        for p in sorted(self.playbooks, key=lambda p: p.language == language):  # in the language last
            if p.language in (None, language) or p.touchpoint not in by_name:
                by_name[p.touchpoint] = p.text
        texts = [by_name[t] for t in touchpoints if t in by_name]
        return "\n\n".join(texts) if texts else by_name.get("*", "")

    def owners_for(self, touchpoints: list[str]) -> list[str]:
        owners = {t.name: t.owner for t in self.touchpoints}
        return [owners[t] for t in touchpoints if owners.get(t)]


def _iana(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value.upper() == "UTC":
        return "UTC"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone such as Asia/Seoul or UTC") from None
    return value


def _unique(section: str, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{section}: name {name!r} is used twice; names must be unique")
        seen.add(name)
