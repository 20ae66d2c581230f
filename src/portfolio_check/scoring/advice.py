"""Advice that names the learner's own files: remediation texts in a rubric may say
`{feature_module|src/yourpkg/features.py}`, and this fills the name in from the facts
(the fallback after `|` stands when the repository has no such file).

Pure: it reads facts and returns text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from portfolio_check.model.facts import CallFact, Facts, PythonModuleFact

PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\|([^{}]*))?\}")
FEATURE = re.compile(r"feature|preprocess|transform|prepar|clean|encod")
TRAINING = re.compile(r"(^|[._])train(ing|er)?($|[._])")
SERVING = re.compile(r"(^|[._])(api|app|serve|server|service|main)($|[._])")
VALIDATION_CALLS = ("pandera", "great_expectations", "pydantic")


def project_names(facts: Facts) -> dict[str, str]:
    """The names a remediation text can use, for this repository."""
    modules = [
        fact
        for fact in facts.of("python_module")
        if isinstance(fact, PythonModuleFact) and fact.scope == "code" and not fact.parse_error
    ]
    names: dict[str, str] = {}
    packages = Counter(m.module.split(".")[0] for m in modules if "." in m.module)
    if packages:
        names["package"] = packages.most_common(1)[0][0]
    _first(names, "feature_module", [m for m in modules if FEATURE.search(m.module)])
    _first(names, "training_module", [m for m in modules if TRAINING.search(m.module)])
    _first(names, "serving_module", [m for m in modules if "serving" in m.roles])
    _first(names, "serving_module", [m for m in modules if SERVING.search(m.module)])
    _first(
        names,
        "untested_module",
        sorted((m for m in modules if "tested" not in m.roles), key=lambda m: -m.sloc),
    )
    validation = [
        fact
        for fact in facts.of("call")
        if isinstance(fact, CallFact)
        and fact.scope == "code"
        and fact.name.startswith(VALIDATION_CALLS)
    ]
    if validation:
        names["validation_module"] = validation[0].path
    return names


def _first(names: dict[str, str], key: str, modules: list[PythonModuleFact]) -> None:
    if key not in names and modules:
        names[key] = modules[0].path


def fill(text: str, names: Mapping[str, str]) -> str:
    """`{name|fallback}` becomes the repository's own name, or the fallback."""
    return PLACEHOLDER.sub(lambda m: names.get(m.group(1), m.group(2) or m.group(1)), text)
