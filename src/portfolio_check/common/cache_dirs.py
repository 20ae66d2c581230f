"""Where portfolio-check keeps what it may reuse between runs, outside every repository:
`$XDG_CACHE_HOME/portfolio-check/` (an absolute `XDG_CACHE_HOME` only), else
`~/.cache/portfolio-check/`, with the clone cache and the analysis cache side by side."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "portfolio-check"


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/portfolio-check/clones`, or `~/.cache/portfolio-check/clones`."""
    return cache_root() / "clones"


def default_analysis_dir() -> Path:
    """`$XDG_CACHE_HOME/portfolio-check/analysis` or `~/.cache/portfolio-check/analysis`,
    next to the clone cache."""
    return cache_root() / "analysis"
