"""The linker's fact table: facts in scan order, indexed by class once."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from portfolio_check.analyzers.fact_table import FactTable, replaced
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import (
    DependencyFact,
    Fact,
    HeadingFact,
    ImportFact,
    NotebookAnalysisFact,
    SourceFileFact,
    WrittenFact,
)
from portfolio_check.model.location import Location
from tests.repos import production_repo


def source(path: str) -> SourceFileFact:
    return SourceFileFact(location=Location(path=path), size=1)


def imported(path: str, module: str) -> ImportFact:
    top = module.partition(".")[0]
    return ImportFact(
        location=Location(path=path), module=module, top=top, scope="code", project=False
    )


def dependency(name: str) -> DependencyFact:
    return DependencyFact(
        location=Location(path="requirements.txt"),
        name=name,
        spec="",
        pinned=False,
        manifest="requirements",
    )


def heading(text: str) -> HeadingFact:
    return HeadingFact(
        location=Location(path="README.md"),
        text=text,
        level=2,
        words=3,
        body="",
        has_table=False,
        has_numbers=False,
    )


def analysis(heading: str) -> NotebookAnalysisFact:
    return NotebookAnalysisFact(
        location=Location(path="eval.ipynb", cell=2),
        heading=heading,
        words=4,
        output_metrics=("f1",),
        cites_outputs=True,
    )


def mixed(count: int, seed: int) -> list[Fact]:
    makers = [
        lambda i: source(f"src/m{i}.py"),
        lambda i: imported(f"src/m{i}.py", f"pkg{i}.sub"),
        lambda i: dependency(f"lib{i}"),
        lambda i: heading(f"Results {i}"),
        lambda i: analysis(f"Cell {i}"),
    ]
    pick = random.Random(seed)
    return [pick.choice(makers)(i) for i in range(count)]


@pytest.mark.parametrize("seed", range(5))
def test_of_gives_the_instances_of_the_classes_in_scan_order(seed: int) -> None:
    facts = mixed(300, seed)
    table = FactTable(facts)
    for classes in [
        (ImportFact,),
        (DependencyFact, SourceFileFact),
        (WrittenFact,),  # a base class: headings and notebook analyses, interleaved
        (HeadingFact, ImportFact, NotebookAnalysisFact),
        (Fact,),
    ]:
        assert table.of(*classes) == [f for f in facts if isinstance(f, classes)]
    assert table.facts == facts
    assert len(table) == len(facts)


def test_a_class_with_no_facts_gives_none() -> None:
    table = FactTable([source("a.py"), imported("a.py", "os")])
    assert table.of(DependencyFact) == []
    assert table.positions(DependencyFact, HeadingFact) == []


def test_replace_changes_only_the_facts_of_its_class_in_place() -> None:
    facts = mixed(200, 7)
    table = FactTable(facts)
    table.replace(DependencyFact, lambda fact: dataclasses.replace(fact, unused=True))
    want = [
        dataclasses.replace(f, unused=True) if isinstance(f, DependencyFact) else f for f in facts
    ]
    assert table.facts == want
    assert all(fact.unused for fact in table.of(DependencyFact))
    assert table.of(ImportFact) == [f for f in facts if isinstance(f, ImportFact)]


def test_replace_with_another_class_is_refused() -> None:
    table = FactTable([source("a.py"), dependency("numpy")])
    with pytest.raises(TypeError, match="a DependencyFact replaced by a SourceFileFact"):
        table.replace(
            Fact, lambda fact: source("b.py") if isinstance(fact, DependencyFact) else fact
        )


def test_replace_all_puts_the_facts_back_one_for_one() -> None:
    facts = mixed(100, 3)
    table = FactTable(facts)
    renamed = [dataclasses.replace(f, text=f.text.upper()) for f in table.of(HeadingFact)]
    table.replace_all(renamed, (HeadingFact,))
    assert table.of(HeadingFact) == renamed
    assert [f for f in table.facts if not isinstance(f, HeadingFact)] == [
        f for f in facts if not isinstance(f, HeadingFact)
    ]
    with pytest.raises(ValueError, match="facts to put in"):
        table.replace_all(renamed[1:], (HeadingFact,))


def test_remove_keeps_the_order_and_the_index_true() -> None:
    facts = mixed(200, 11)
    table = FactTable(facts)
    table.remove(ImportFact, lambda fact: fact.module.startswith("pkg1"))
    kept = [f for f in facts if not (isinstance(f, ImportFact) and f.module.startswith("pkg1"))]
    assert len(kept) < len(facts)  # something was removed
    assert table.facts == kept
    table.extend([imported("late.py", "os"), dependency("late")])
    assert table.of(ImportFact, DependencyFact) == [
        *(f for f in kept if isinstance(f, (ImportFact, DependencyFact))),
        imported("late.py", "os"),
        dependency("late"),
    ]


def test_replaced_is_dataclasses_replace_for_every_kind_of_fact(tmp_path: Path) -> None:
    """`replaced` builds a fact from a list of its class's fields looked up once: a field
    it missed would be reset to its default, silently."""
    facts = list(analyze(open_target(production_repo(tmp_path))))
    assert len({type(fact) for fact in facts}) >= 15  # code, tests, CI, a Dockerfile...
    for found in facts:
        fact = dataclasses.replace(found, placeholder="a shape only")  # no field at its default
        for changes in [{"roles": ("ci", "serving")}, {"location": Location(path="x.py")}, {}]:
            copy = replaced(fact, **changes)
            assert type(copy) is type(fact)
            assert copy == dataclasses.replace(fact, **changes)
