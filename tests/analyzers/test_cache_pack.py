"""The packed cache entry of a repository: a rescan reads one pack instead of one entry per
file, and the pack answers only for exactly the input it was written for."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.analyzers import cache as analysis_cache
from portfolio_check.analyzers import runner
from portfolio_check.analyzers.cache import AnalysisCache, Scope
from portfolio_check.analyzers.fact_codec import (
    FactDecodeError,
    decode_rows,
    encode_rows,
)
from portfolio_check.cli import main
from portfolio_check.intake.sources import open_commit, open_target
from portfolio_check.model.facts import Fact, LockfileFact
from portfolio_check.model.location import Location
from tests.analyzers.test_cache import MODULE, as_json, facts_of, packs, small_repo


def drop_entries(cache_dir: Path) -> None:
    """Leave only the pack to answer."""
    for entry in cache_dir.glob("*/*.json"):
        entry.unlink()


def test_a_rescan_is_answered_by_the_pack_alone_with_the_same_facts(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    cold = facts_of(root, AnalysisCache(tmp_path / "cache"))
    assert len(packs(tmp_path / "cache")) == 1
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    warm = facts_of(root, cache)
    assert (cache.hits, cache.pack_hits, cache.misses) == (4, 4, 0)
    assert as_json(warm) == as_json(cold) == as_json(facts_of(root, None))


def test_the_pack_never_answers_for_a_changed_file(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    drop_entries(tmp_path / "cache")
    (root / "src/shop/data.py").write_text(MODULE + "\nimport mlflow\n")
    cache = AnalysisCache(tmp_path / "cache")
    facts = facts_of(root, cache)
    assert (cache.pack_hits, cache.misses) == (3, 1)
    assert as_json(facts) == as_json(facts_of(root, None))
    assert "mlflow" in {fact.module for fact in facts.of("import")}  # type: ignore[attr-defined]


def test_a_stale_pack_is_rewritten_and_answers_for_the_new_content(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    (root / "src/shop/data.py").write_text(MODULE + "\nimport mlflow\n")
    facts_of(root, AnalysisCache(tmp_path / "cache"))  # 1 of 4 files new: rewritten
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    facts = facts_of(root, cache)
    assert (cache.pack_hits, cache.misses) == (4, 0)
    assert as_json(facts) == as_json(facts_of(root, None))


def test_a_pack_within_its_slack_is_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    [pack] = packs(tmp_path / "cache")
    written = pack.read_bytes()
    monkeypatch.setattr(analysis_cache, "PACK_STALE_SHARE", 0.5)
    (root / "src/shop/data.py").write_text(MODULE + "\nimport mlflow\n")
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert (cache.pack_hits, cache.misses) == (3, 1)
    assert pack.read_bytes() == written


def test_another_analyzer_version_does_not_read_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    [old] = packs(tmp_path / "cache")
    monkeypatch.setattr(analysis_cache, "ANALYZER_VERSION", analysis_cache.ANALYZER_VERSION + 1)
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert (cache.hits, cache.misses) == (0, 4)
    assert len(packs(tmp_path / "cache")) == 2  # its own pack, beside the old one
    # even under the old pack's name, the new keys are not in it
    (new,) = set(packs(tmp_path / "cache")) - {old}
    new.unlink()
    old.rename(new)
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert (cache.pack_hits, cache.misses) == (0, 4)


def test_a_pack_of_another_repository_or_name_is_not_read(tmp_path: Path) -> None:
    """The name is in the pack: a pack copied or renamed to another name is foreign."""
    root = small_repo(tmp_path / "repo")
    other = small_repo(tmp_path / "other")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    [pack] = packs(tmp_path / "cache")
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(other, cache)  # same files, another place: its own pack
    assert (cache.pack_hits, cache.misses) == (0, 4)
    [foreign] = set(packs(tmp_path / "cache")) - {pack}
    foreign.write_bytes(pack.read_bytes())
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(other, cache)
    assert (cache.pack_hits, cache.misses) == (0, 4)


SCHEMA = f'"schema": {analysis_cache.PACK_SCHEMA}'.encode()


def _damage_rows(pack: bytes, change: Any) -> bytes:
    header, *lines = pack.decode().splitlines()
    damaged = [header]
    for line in lines:
        key, body = line.split(" ", 1)
        path, rows = json.loads(body)
        for row in rows:
            change(row)
        damaged.append(f"{key} {json.dumps([path, rows])}")
    return ("\n".join(damaged) + "\n").encode()


@pytest.mark.parametrize(
    "damage",
    [
        lambda pack: b"",
        lambda pack: b"{not json\n",
        lambda pack: pack[: len(pack) // 2],  # cut short
        lambda pack: pack.replace(SCHEMA, b'"schema": 99', 1),
        lambda pack: pack.replace(b'"kinds": [[', b'"kinds": [["x", []], [', 1),
        lambda pack: _damage_rows(pack, lambda row: row.__setitem__(2, True)),  # a bool line
        lambda pack: _damage_rows(pack, lambda row: row.__setitem__(0, 10_000)),  # no kind
        lambda pack: _damage_rows(pack, lambda row: row.append("extra")),
        lambda pack: _damage_rows(pack, lambda row: row.__setitem__(1, 7)),  # path neither
    ],
)
def test_a_corrupt_pack_is_a_miss_and_the_facts_are_recomputed(tmp_path: Path, damage: Any) -> None:
    root = small_repo(tmp_path / "repo")
    expected = as_json(facts_of(root, None))
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    [pack] = packs(tmp_path / "cache")
    pack.write_bytes(damage(pack.read_bytes()))
    drop_entries(tmp_path / "cache")
    cache = AnalysisCache(tmp_path / "cache")
    assert as_json(facts_of(root, cache)) == expected
    assert cache.pack_hits < 4
    cache = AnalysisCache(tmp_path / "cache")  # rewritten whole
    drop_entries(tmp_path / "cache")
    assert as_json(facts_of(root, cache)) == expected
    assert cache.pack_hits == 4


def test_rows_refuse_what_no_analyzer_produces() -> None:
    [row] = encode_rows("a.py", lockfile_facts())
    assert decode_rows("a.py", [row]) == lockfile_facts()
    for bad in (
        [*row[:1], 7, *row[2:]],  # path neither a string nor 0
        [*row[:2], True, *row[3:]],  # a bool is no line number
        [*row[:4], *row[4:-1], 3],  # the tool is not a string
        [*row, None],  # one field too many
        [len(row) * 1000, *row[1:]],  # no such kind
        [*row[:-2], [["nested"]], row[-1]],  # roles not strings
    ):
        with pytest.raises(FactDecodeError):
            # after a good row of the same shape too: the shape is checked once, values always
            decode_rows("a.py", [row, bad])


def lockfile_facts() -> list[Fact]:
    return [LockfileFact(location=Location(path="a.py", line=3), roles=("tested",), tool="uv")]


def test_every_fact_of_a_real_scan_survives_the_rows_round_trip(production_path: Path) -> None:
    by_path: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts_of(production_path, None):
        by_path[fact.path].append(fact)
    assert len(by_path) > 10
    for path, facts in by_path.items():
        rows = json.loads(json.dumps(encode_rows(path, facts)))
        assert decode_rows(path, rows) == facts
    # a fact placed in another file than the one whose facts it is keeps its own path
    some = by_path[next(iter(by_path))]
    assert decode_rows("elsewhere.py", encode_rows("elsewhere.py", some)) == some


@pytest.mark.parametrize(
    "change",
    [
        {"modules": [("shop", "src/shop/__init__.py"), ("extra", "src/extra.py")]},
        {"queries": [("q", "*.py", "train", "0", "False"), ("r", "*.md", "x", "0", "False")]},
        {"upstreams": "another index"},
        {"analyzers": ["python", "notebooks", "new-analyzer"]},
    ],
)
def test_every_input_of_a_scope_is_in_its_keys_and_pack_name(change: dict[str, Any]) -> None:
    base: dict[str, Any] = {
        "modules": [("shop", "src/shop/__init__.py")],
        "queries": [("q", "*.py", "train", "0", "False")],
        "upstreams": "index",
        "analyzers": ["python", "notebooks"],
    }
    one, other = Scope.of(**base), Scope.of(**{**base, **change})
    assert one.key("a.py", "x") != other.key("a.py", "x")
    assert one.pack_name("/repo") != other.pack_name("/repo")


def test_versions_schema_path_text_and_place_are_in_keys_and_pack_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scope = Scope.of(modules=[], queries=[])
    assert scope.key("a.py", "x") != scope.key("b.py", "x") != scope.key("a.py", "y")
    assert scope.pack_name("/repo\0tree") != scope.pack_name("/repo\0commit")
    for name in ("__version__", "ANALYZER_VERSION", "CACHE_SCHEMA"):
        with monkeypatch.context() as patched:
            patched.setattr(analysis_cache, name, "changed")
            changed = Scope.of(modules=[], queries=[])
        assert changed.key("a.py", "x") != scope.key("a.py", "x")
        assert changed.pack_name("/repo") != scope.pack_name("/repo")


def test_a_commit_and_the_work_tree_keep_separate_packs(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    tree, commit = runner._place(open_target(root)), runner._place(open_commit(root, "HEAD"))
    assert tree == f"{root.absolute()}\0tree"
    assert commit == f"{root.absolute()}\0commit"


def test_no_cache_writes_no_pack_and_the_cache_writes_one_outside_the_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    before = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    with pytest.raises(SystemExit):
        main([str(root), "--no-cache", "-f", "json", "-o", str(tmp_path / "a.json")])
    assert not (tmp_path / "xdg").exists()
    with pytest.raises(SystemExit):
        main([str(root), "-f", "json", "-o", str(tmp_path / "b.json")])
    assert packs(tmp_path / "xdg" / "portfolio-check" / "analysis")
    assert sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts) == before
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
