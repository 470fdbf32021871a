"""`groundswell sentiment adapt`: fit the sentiment model to the store's own star-rated reviews.

The work is in nlp/sentiment/adapt.py; this command reads the rated posts from the store, reports
the shipped and adapted figures on the held-out part, and activates the adapted models only when
they win.
"""

from __future__ import annotations

import click

from groundswell.indexer.base import MentionQuery
from groundswell.nlp.sentiment.adapt import RatedPost, adapt, adapted_dir
from groundswell.pipeline.context import common_options, echo_json, load_context, log

PAGE = 5000


@click.group("sentiment")
@common_options
def sentiment() -> None:
    """Sentiment models: adapt them to the reviews this deployment collects."""


@sentiment.command("adapt")
@click.option("--brand", "brands", multiple=True, help="Only this brand's rated posts (repeatable).")
@click.option(
    "--min-rated",
    default=200,
    show_default=True,
    type=click.IntRange(min=20),
    help="Fewest rated posts per language.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON line.")
@common_options
@click.pass_context
def adapt_command(ctx: click.Context, brands: tuple[str, ...], min_rated: int, as_json: bool) -> None:
    """Train on 70% of the store's star-rated posts (1-2 stars negative, 3 neutral, 4-5 positive),
    compare with the shipped model on the other 30%, and activate the adapted model only if it is
    better (kept in the data dir's models/sentiment; nlp.use_adapted: false goes back).
    """
    _, store = load_context(ctx)
    query = MentionQuery(rated=True, brands=brands)
    posts: list[RatedPost] = []
    offset = 0
    while True:
        page = store.search(query, limit=PAGE, offset=offset, order="oldest")
        posts += [
            RatedPost(m.id, m.text, m.lang or "", float(m.rating))
            for m in page
            if m.rating is not None and m.lang
        ]
        if len(page) < PAGE:
            break
        offset += PAGE
    report = adapt(posts, adapted_dir(), min_rated=min_rated)
    if as_json:
        echo_json(report.as_dict())
        return
    log(f"{len(posts)} rated posts{' of ' + ', '.join(brands) if brands else ''}")
    for rep in report.langs:
        figures = (
            f"held-out macro recall: shipped {rep.shipped:.3f}, adapted {rep.adapted:.3f}; "
            if rep.shipped is not None and rep.adapted is not None
            else ""
        )
        state = "activated" if rep.activated else "not activated"
        log(f"{rep.lang}: train {rep.train}, held out {rep.held_out}; {figures}{state} ({rep.reason})")
    if report.activated:
        log(
            f"adapted models in {report.model_dir} (used from the next start of a command or pipeline); "
            "set nlp.use_adapted: false to use the shipped ones"
        )


COMMANDS = [sentiment]
