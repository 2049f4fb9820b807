"""The web app and JSON API (``tierwise serve``)."""

from tierwise.web import ids as _ids  # noqa: F401 - the routes' ``cid`` path convertor, registered first
