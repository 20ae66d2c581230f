"""Scoring policy as validated data: loading a rubric (`loading`), its JSON Schema (`schema`)
and the ML Test Score's tests (`ml_tests`). The data model it builds lives in `model.rubric`."""

from __future__ import annotations

#: The rubric a scan uses unless --rubric names another (`rubrics/ml-portfolio.yaml`).
DEFAULT_RUBRIC = "ml-portfolio"
