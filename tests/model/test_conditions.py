"""`where:` conditions: each operator on the values facts really carry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.common.errors import RubricError
from portfolio_check.intake.sources import open_target
from portfolio_check.model.conditions import (
    LONGEST_INDEXED_PARENT,
    compile_condition,
    where_condition,
)
from portfolio_check.model.facts import Fact, Facts
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.rubric import Rubric, Signal
from portfolio_check.rubric.ml_tests import default_ml_tests


@pytest.mark.parametrize(
    ("expected", "value", "holds"),
    [
        (True, True, True),
        (True, False, False),
        ("code", "code", True),
        (["code", "notebook"], "notebook", True),
        (["code", "notebook"], "test", False),
        ({"prefix": "pandera"}, "pandera.DataFrameModel", True),
        ({"prefix": "pandera"}, "pandera", True),
        ({"prefix": "pandera"}, "panderas.x", False),
        ({"prefix": ["mlflow.log_metric"]}, "mlflow.log_metrics", False),
        ({"prefix": ["litserve."]}, "litserve.LitServer", True),
        ({"prefix": ["litserve."]}, "litserve", False),  # a trailing dot: only what is under it
        ({"prefix": ["fastapi.FastAPI().post"]}, "fastapi.FastAPI().post", True),
        ({"prefix": ["a.b"]}, "a.b.c.d", True),
        ({"prefix": ["a.b"]}, "a.bc.d", False),
        ({"prefix": "a"}, "a.", True),  # under `a`, though nothing follows the dot
        ({"prefix": ["a.b."]}, "a.b..c", True),
        ({"prefix": ["a.b."]}, "a.b", False),
        ({"glob": "Dockerfile*"}, "deploy/Dockerfile.prod", True),
        ({"glob": [".github/workflows/*.yml"]}, ".github/workflows/ci.yml", True),
        ({"glob": "*.py"}, 3, False),
        ({"regex": "(?i)error analysis"}, "## Error Analysis", True),
        ({"regex": "x"}, None, False),
        ({"min": 1}, 0, False),
        ({"min": 1, "max": 3}, 2, True),
        ({"max": 3}, 4, False),
        ({"not": ["test"]}, "code", True),
        ({"not": "test"}, "test", False),
    ],
)
def test_operators(expected: Any, value: Any, holds: bool) -> None:
    assert compile_condition(expected, "r.yaml", "where.x")(value) is holds


def test_bad_regex_names_its_key() -> None:
    with pytest.raises(RubricError, match=r"^r\.yaml: where\.x\.regex: invalid regular expression"):
        compile_condition({"regex": "("}, "r.yaml", "where.x")


@pytest.mark.parametrize(
    ("expected", "value", "holds"),
    [
        ("serving", ("tested", "serving"), True),
        ("serving", ("tested",), False),
        ("serving", (), False),
        (["ci", "scheduled"], ("pipeline", "scheduled"), True),
        ({"prefix": "churn"}, ("churn.api", "other"), True),
        ({"not": "serving"}, ("tested", "serving"), False),
        ({"not": ["serving", "ci"]}, ("tested",), True),
        ({"not": "serving"}, (), True),
        ({"regex": "^random_state$"}, ("n_jobs", "random_state"), True),
    ],
)
def test_multi_valued_fields_hold_when_any_value_does(
    expected: Any, value: Any, holds: bool
) -> None:
    assert compile_condition(expected, "r.yaml", "where.roles")(value) is holds


def test_select_finds_exactly_what_matching_each_fact_finds(
    production_path: Path, coursework_path: Path, rubric: Rubric
) -> None:
    """`select` tests each value once, over sets of positions: it must pick the same facts,
    in the same order, as testing every fact with `matches`."""
    suite = default_ml_tests()
    content = (*rubric.content_queries, *suite.content_queries)
    for path in (production_path, coursework_path):
        facts = analyze(open_target(path), content)
        for signal in (*rubric.signals(), *suite.signals()):
            expected = tuple(f for f in facts.of(signal.fact_kind) if signal.matches(f))
            assert signal.select(facts) == expected, signal.id


@pytest.mark.parametrize(
    ("expected", "indexed"),
    [
        ("code", True),
        (True, True),
        (None, True),
        (["code", 1], True),
        ({"prefix": ["pandera", "litserve."]}, True),
        ({"prefix": "b" * LONGEST_INDEXED_PARENT}, True),
        ({"prefix": "b" * LONGEST_INDEXED_PARENT + "."}, True),
        ({"prefix": "b" * (LONGEST_INDEXED_PARENT + 1)}, False),  # longer than an index holds
        ({"prefix": "a", "not": "a.b"}, False),  # two operators: tested value by value
        ({"regex": "^a"}, False),
        ({"glob": "*.py"}, False),
        ({"min": 1}, False),
        ([["a"], "b"], False),  # a list among the choices: no index holds it
        (float("nan"), False),  # equal to nothing, though a dict would find the same NaN
    ],
)
def test_what_an_index_answers(expected: Any, indexed: bool) -> None:
    """Equality, any-of and pure `prefix` conditions are answered from an index of the
    field's values (the other tests below check that it answers exactly as the test)."""
    condition = where_condition("name", expected, "r.yaml", "where.name")
    assert (condition.lookup is not None) is indexed


@dataclass(frozen=True, kw_only=True, slots=True)
class _Probe(Fact):
    """A fact whose fields hold any value, as odd as a rubric may meet."""

    kind: ClassVar[str] = "probe"
    name: Any = None
    scope: Any = None


#: Names equal to a prefix, one part short of it or longer, empty, with stray dots.
_NAMES = ("", ".", "a", "a.", "a.b", "a.b.c", "ab", "ab.c", "a..b", ".a", "b.a")
_NAMES += ("pandera", "pandera.X", "panderas", "litserve", "litserve.", "litserve.Lit")
_LONG = "a." + "b" * LONGEST_INDEXED_PARENT  # a parent too long for the index
_NAMES += (_LONG, f"{_LONG}.c", _LONG[:-2], f"{_LONG[:-2]}.c.d")  # a parent as long as it holds
_SCALARS = st.one_of(st.sampled_from(_NAMES), st.sampled_from((None, 0, 1, 2, 1.0, True, False)))
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3).map(tuple))
_PREFIXES = st.one_of(st.sampled_from(_NAMES), st.lists(st.sampled_from(_NAMES), max_size=4))
_EXPECTED = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=4),
    st.fixed_dictionaries({"prefix": _PREFIXES}),
    st.fixed_dictionaries({"prefix": _PREFIXES, "not": st.lists(_SCALARS, max_size=2)}),
    st.fixed_dictionaries({"min": st.sampled_from((1, 2))}),
    st.fixed_dictionaries({"regex": st.sampled_from(("^a", "X$", r"\."))}),
)


_ODD = (*_NAMES, None, 0, 1, 2, 1.0, True, False)
#: Every odd value alone, none, and in pairs: more facts than `select` tests one by one.
_POPULATION = (*_ODD, (), *((a, b) for a in _ODD for b in ("a.b", "x", 1)))


def _odd_facts(rows: Iterable[tuple[Any, Any, Any]]) -> Facts:
    return Facts(
        _Probe(location=Location(path=f"f{line % 7}.py", line=line), name=n, scope=s, roles=r)
        for line, (n, s, r) in enumerate(rows)
    )


def _selected_and_matching(
    facts: Facts, where: dict[str, Any]
) -> tuple[tuple[Fact, ...], tuple[Fact, ...]]:
    """What a signal with `where` selects from `facts`, and the facts it matches one by one."""
    conditions = tuple(where_condition(f, e, "r.yaml", f"where.{f}") for f, e in where.items())
    signal = Signal(id="s", level=EvidenceLevel.PRESENT, fact_kind="probe", where=conditions)
    return signal.select(facts), tuple(f for f in facts.of("probe") if signal.matches(f))


@pytest.mark.parametrize(
    "expected",
    [
        *_ODD,
        *({"prefix": name} for name in _NAMES),
        {"prefix": ["a.", "litserve."]},
        {"prefix": ["a.b", "pandera", ""]},
        {"prefix": []},
        ["a", 1, None],
        [True, "a.b"],
        [],
    ],
)
def test_select_is_matches_fact_by_fact_on_every_odd_value(expected: Any) -> None:
    """Over facts holding every odd value (alone, in tuples, True beside 1, names equal to a
    prefix or one part short, empty strings), `select` picks exactly what `matches` picks,
    alone and beside a second condition (before or after it, on many facts or a few)."""
    rows = [(value, _ODD[i % len(_ODD)], value) for i, value in enumerate(_POPULATION)]
    facts = _odd_facts(rows * 6)
    _, by_name = _selected_and_matching(facts, {"name": expected})
    # every condition but an empty list of choices holds for some of the population
    assert bool(by_name) is (expected not in ([], {"prefix": []}))
    many = {"scope": list(_NAMES), "roles": list(_ODD)}  # each holds for most facts
    for where in (
        {"name": expected},
        {"roles": expected},
        {"scope": list(_NAMES), "name": expected},
        {"name": expected, "scope": ["a", 1, "a.b"]},
        {"scope": {"not": None}, "name": expected},
        {**many, "name": expected},
    ):
        selected, matching = _selected_and_matching(facts, where)
        assert selected == matching, where


@given(
    rows=st.lists(st.tuples(_VALUES, _VALUES, _VALUES), max_size=12),
    copies=st.sampled_from((1, 30)),  # 30: past the point where values are tested once each
    where=st.dictionaries(st.sampled_from(("name", "scope", "roles")), _EXPECTED, max_size=3),
)
def test_select_is_matches_fact_by_fact_on_odd_values(
    rows: list[tuple[Any, Any, Any]], copies: int, where: dict[str, Any]
) -> None:
    """Whatever the values and whichever conditions an index answers (in any mix with the
    conditions tested value by value), `select` picks exactly the facts `matches` picks."""
    selected, matching = _selected_and_matching(_odd_facts(rows * copies), where)
    assert selected == matching
