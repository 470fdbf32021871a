"""Which configured brands a mention is about, by each brand's boolean query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from groundswell.query import Document, Node, normalize, parse_query
from groundswell.records import Mention


class Brand(Protocol):
    """What matching needs of a configured brand (config.settings.Brand has it): the core does not
    import the config package, which imports the core to check queries and plug-in names."""

    @property
    def name(self) -> str: ...

    @property
    def query(self) -> str: ...


class BrandMatcher:
    """Parses every brand query once; each mention's text is tokenised once for all brands."""

    def __init__(self, brands: Sequence[Brand]) -> None:
        self._queries: list[tuple[str, Node]] = [(b.name, parse_query(b.query)) for b in brands]
        self._names = {b.name.casefold(): b.name for b in brands}

    def match(self, mention: Mention) -> list[str]:
        text = f"{mention.title}\n{mention.text}" if mention.title else mention.text
        doc = Document(text, mention.author.handle)
        return [name for name, node in self._queries if node.evaluate(doc)]

    def assign(self, mention: Mention) -> Mention:
        """Keep brands the source already set (e.g. the `brand` field of an import); else match.

        A set brand is spelt as configured when only its case differs (`united` -> `United`).
        """
        if mention.brands:
            mention.brands = [self._names.get(b.casefold(), b) for b in mention.brands]
        else:
            mention.brands = self.match(mention)
        return mention


def resolve_brands(names: Iterable[str], known: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Brand names as a user typed them -> as configured/stored, and the ones no brand has.

    Brand filters compare exact names, so `--brand united` would find nothing where the
    brand is `United`; the names are matched case-insensitively (and NFKC-normalised) instead.
    """
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(normalize(name), name)
    resolved: list[str] = []
    unknown: list[str] = []
    for name in names:
        match = by_key.get(normalize(name))
        if match is None:
            unknown.append(name)
            resolved.append(name)
        elif match not in resolved:
            resolved.append(match)
    return tuple(resolved), unknown
