"""tierwise: classify and grade a company's customers from its own data.

The way in is :class:`tierwise.Workspace` (imported on first use, so ``import tierwise`` stays
light): ``Workspace.open(Settings.from_env())``, then its services.
"""

from typing import TYPE_CHECKING, Any

from tierwise.errors import ConfigError, DataError, TierwiseError

if TYPE_CHECKING:
    from tierwise.workspace import Workspace

__version__ = "0.1.0"
__all__ = ["ConfigError", "DataError", "TierwiseError", "Workspace", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from tierwise.workspace import Workspace

        return Workspace
    raise AttributeError(f"module 'tierwise' has no attribute {name!r}")
