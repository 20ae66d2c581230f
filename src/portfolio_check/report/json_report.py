"""The JSON view: the versioned contract in `schemas/scorecard.schema.json`."""

from __future__ import annotations

import json

from portfolio_check.model.scorecard import Scorecard


def render(scorecard: Scorecard) -> str:
    return json.dumps(scorecard.to_json_dict(), indent=2, ensure_ascii=False) + "\n"
