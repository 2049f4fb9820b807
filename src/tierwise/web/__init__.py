"""The web app and JSON API (``tierwise serve``)."""
