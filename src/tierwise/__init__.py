"""tierwise: classify and grade a company's customers from its own data."""

from tierwise.errors import ConfigError, DataError, TierwiseError

__version__ = "0.1.0"
__all__ = ["ConfigError", "DataError", "TierwiseError", "__version__"]
