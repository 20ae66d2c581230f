"""The vocabulary every layer shares, standard library only: places (`location`), evidence
levels, facts, the rubric's data model and its condition language, the ML Test Score's results and
the Scorecard that holds everything a report shows. Nothing here reads a file or runs a tool."""

from __future__ import annotations
