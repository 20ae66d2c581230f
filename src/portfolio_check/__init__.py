"""portfolio-check: evidence of real-world ML engineering against certification-only work."""

from __future__ import annotations

#: The one home of the version: the package metadata reads it from here (hatch's
#: `[tool.hatch.version]`), so it costs no `importlib.metadata` lookup at start-up.
__version__ = "0.1.0"

__all__ = ["__version__"]
