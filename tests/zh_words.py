"""What a Chinese reader must not meet: the ids and English words of tierwise's own catalogs
(schemes, classes, metrics, task and follow-up kinds), found in the text of a page, an export
or a report rendered in Chinese. Data (customer names, file names) and code blocks are not
checked: a company's own English customer names are theirs to keep."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from typing import Any

CODE = re.compile(r"[A-Z0-9][A-Z0-9–\-+]*")  # class codes Chinese readers use too: A, AAA, EI, MVC, PIV


@functools.cache
def vocabulary() -> dict[str, str]:
    """Each forbidden term → where it comes from."""
    from tierwise.metrics.catalog import LABELS
    from tierwise.playbook.task_kinds import KINDS
    from tierwise.schemes.registry import presets
    from tierwise.store.schema import ACTIVITY_KINDS

    out: dict[str, str] = {}
    for name, file in presets().items():
        spec = file.spec()
        out[name] = "scheme id"
        out[spec.title.en] = f"{name} title"
        for c in spec.classes:
            out[c.id] = f"{name} class id"
            out[c.label.en] = f"{name}:{c.id} label"
    for column, (en, _zh) in LABELS.items():
        out[column] = "metric id"
        out[en] = f"{column} label"
    for kind, (en, _zh, _acts) in KINDS.items():
        out[kind] = "task kind"
        out[en] = "task kind label"
    for kind in ACTIVITY_KINDS:
        out[kind] = "follow-up kind"
    return {term: why for term, why in out.items() if not CODE.fullmatch(term) and len(term) > 2}


IDS = re.compile(r"[a-z0-9_]+")  # ids are matched as written, English labels in any case


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    def words(terms: list[str], flags: int = 0) -> re.Pattern[str]:
        terms = sorted(terms, key=len, reverse=True)
        inner = "|".join(map(re.escape, terms))
        return re.compile(r"(?<![A-Za-z0-9_.@/-])(" + inner + r")(?![A-Za-z0-9_@/-])", flags)

    ids = [t for t in vocabulary() if IDS.fullmatch(t)]
    labels = [t for t in vocabulary() if not IDS.fullmatch(t)]
    return words(ids), words(labels, re.I)


def english(text: str) -> list[str]:
    """The catalog terms in ``text``: ids as written, English labels in any case (whole words)."""
    return [m.group(1) for pattern in _patterns() for m in pattern.finditer(text)]


class _Text(HTMLParser):
    SKIP = ("script", "style", "pre", "code", "textarea")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        for key, value in attrs:
            if key in ("title", "placeholder", "aria-label", "alt", "label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(html: str) -> list[str]:
    """The text a reader sees on a page (and its tooltips), piece by piece."""
    parser = _Text()
    parser.feed(html)
    return parser.parts


def offences(pieces: list[str], data: set[str] = frozenset()) -> list[tuple[str, str, str]]:  # type: ignore[assignment]
    """(term, where it comes from, the piece) for each catalog term in ``pieces`` that is not a
    piece of data (a customer's own name)."""
    found = []
    vocab = {**{k.lower(): v for k, v in vocabulary().items()}, **vocabulary()}
    for piece in pieces:
        if piece in data:
            continue
        for term in english(piece):
            found.append((term, vocab.get(term) or vocab[term.lower()], piece[:160]))
    return found


def chart_text(spec: dict[str, Any]) -> list[str]:
    """What a reader of a Vega-Lite chart sees: titles, and the values of the fields its marks,
    axes, legends and tooltips show as text (nominal or ordinal fields)."""
    shown: set[str] = set()
    texts: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if (node.get("field") and node.get("type") in ("nominal", "ordinal")) or (key == "text" and \
                    isinstance(node.get("field"), str)):
                shown.add(node["field"])
            for k, v in node.items():
                if k == "title" and isinstance(v, str):
                    texts.append(v)
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(spec)

    def rows(node: Any) -> None:
        if isinstance(node, dict):
            texts.extend(str(v) for k, v in node.items() if k in shown and isinstance(v, str))
            for v in node.values():
                rows(v)
        elif isinstance(node, list):
            for v in node:
                rows(v)

    rows(spec.get("datasets", {}))
    rows(spec.get("data", {}))
    return texts
