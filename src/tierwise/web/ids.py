"""Customer ids with a ``/`` in them (``SH/2023/001``, as ERP exports write them) in addresses.

A link writes the id as one path segment, its ``/`` as ``%2F`` (:func:`segment`, the ``seg``
filter of the templates). The server decodes ``%2F`` to ``/`` before routing, which would
split the id in two; :class:`EncodedSlashes` maps an encoded slash in a customer address to
:data:`MARK` instead, and the ``cid`` path convertor of the routes turns it back into ``/``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from starlette.convertors import Convertor, register_url_convertor

MARK = "\ue000"  # a private-use character: what an encoded slash is while the address is routed
_SLASH = re.compile(rb"%2[fF]")
_CUSTOMER_PATHS = ("/customers/", "/api/customers/")


def segment(value: object) -> str:
    """``value`` as one path segment of an address (every ``/`` encoded)."""
    return quote(str(value), safe="")


class CustomerId(Convertor[str]):
    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return value.replace(MARK, "/")

    def to_string(self, value: str) -> str:
        return segment(value)


register_url_convertor("cid", CustomerId())


class EncodedSlashes:
    """Keeps an encoded ``/`` inside a customer address's segment from splitting it."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        raw = scope.get("raw_path") if scope["type"] == "http" else None
        if raw and _SLASH.search(raw) and scope["path"].startswith(_CUSTOMER_PATHS):
            marked = _SLASH.sub(quote(MARK).encode(), raw.split(b"?", 1)[0])
            scope = {**scope, "path": unquote(marked.decode("latin-1"), encoding="utf-8", errors="replace")}
        await self.app(scope, receive, send)
