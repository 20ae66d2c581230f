"""The use cases the command line and the Action call: one scan (`scan`), many candidates
(`batch/`), one person's repositories (`candidate`), GitHub (`github/`), and report files."""

from __future__ import annotations
