"""`groundswell report`: one brand's weekly or monthly report as HTML, PDF or CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from groundswell.config.settings import Settings
from groundswell.errors import ReportError
from groundswell.pipeline.context import common_options, load_context, log, parse_time


def configured_brand(settings: Settings, name: str) -> str:
    """The configured spelling of `name` (case-insensitive); ReportError lists the brands otherwise."""
    for brand in settings.brands:
        if brand.name.casefold() == name.casefold():
            return brand.name
    known = ", ".join(b.name for b in settings.brands) or "none"
    raise ReportError(f"no brand {name!r} in the configuration; configured brands: {known}")


@click.command()
@click.option("--brand", required=True, help="A configured brand (case-insensitive).")
@click.option("--period", "kind", type=click.Choice(["week", "month"]), default="week", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "csv"]), default="html", show_default=True)
@click.option("--out", help="Output file; '-' for stdout. Default: BRAND-PERIOD-START.FORMAT here.")
@click.option(
    "--as-of", help="Report the last whole period before this time (ISO 8601 or 7d ago). Default: now."
)
@click.option("--lang", type=click.Choice(["ko", "en"]), help="Report language. Default: dashboard.language.")
@common_options
@click.pass_context
def report(
    ctx: click.Context, brand: str, kind: str, fmt: str, out: str | None, as_of: str | None, lang: str | None
) -> None:
    """Write BRAND's report for the last whole week (Monday-Sunday) or month in the configured timezone.

    Volume and share of voice against competitors, sentiment, top topics (rising first),
    touchpoints with owners, open and resolved incidents, related words and top posts, with charts.
    PDF needs `pip install 'groundswell[reports]'` and Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0,
    fonts-noto-cjk for Hangul). Example:

      groundswell report --brand Lumio --period week --format pdf --as-of 2026-11-23
    """
    from groundswell.reports.data import build_report
    from groundswell.reports.render import file_name, render

    settings, store = load_context(ctx)
    name = configured_brand(settings, brand)
    data = build_report(settings, store, name, kind, parse_time(as_of), lang)  # type: ignore[arg-type]
    body = render(data, fmt)  # type: ignore[arg-type]
    if out == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        path = Path(out or file_name(name, data.period.key, fmt))
        try:
            path.write_bytes(body)
        except OSError as exc:
            raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
        log(f"report: {path} ({data.now.mentions:,} mentions, {data.period.key}, {data.zone_label})")


COMMANDS = [report]
