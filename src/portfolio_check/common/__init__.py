"""Small rules with one home, used by every layer: the error types, text safety (one policy
per output), atomic file writes, bounded YAML/TOML parsing, globs, plurals and where the data that
ships with the tool lives. No module here knows about repositories, facts or scores."""

from __future__ import annotations
