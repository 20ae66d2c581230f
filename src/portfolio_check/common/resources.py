"""Where the data that ships with the tool lives: rubrics, templates and JSON Schemas.

In a wheel, `rubrics/` and `templates/` sit inside the package. In a source checkout
(an editable install), they are the top-level folders of the project.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # common/ -> the package


def data_dir(name: str) -> Path:
    packaged = PACKAGE_DIR / name
    if packaged.is_dir():
        return packaged
    checkout = PACKAGE_DIR.parent.parent / name  # src/portfolio_check -> project root
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"portfolio-check is missing its {name}/ folder; reinstall it")


def rubrics_dir() -> Path:
    return data_dir("rubrics")


def templates_dir() -> Path:
    return data_dir("templates")


@cache
def json_schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PACKAGE_DIR / "schemas" / name).read_text("utf-8"))
    return loaded
