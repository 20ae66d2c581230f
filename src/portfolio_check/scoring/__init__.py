"""Pure functions from a rubric and facts to a Scorecard: the engine, the shared signal
evaluation, the ML Test Score through the same evaluation, advice, provenance, red flags,
dependency hygiene, score comparison and the portfolio summary of many repositories."""

from __future__ import annotations
