"""The content-keyed analysis cache and parallel analysis: a rescan reuses only what it
may, and neither the cache nor worker processes change a byte of the report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from portfolio_check.analyzers import cache as analysis_cache
from portfolio_check.analyzers import runner
from portfolio_check.analyzers.cache import AnalysisCache
from portfolio_check.analyzers.fact_codec import FactDecodeError, decode_fact, encode_fact
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.cli import main
from portfolio_check.common.cache_dirs import default_analysis_dir
from portfolio_check.intake import sources
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Facts
from portfolio_check.model.rubric import Rubric
from portfolio_check.report import render
from tests.repos import RepoBuilder

MODULE = "import pandas as pd\n\n\ndef load(path):\n    return pd.read_csv(path)\n"


def small_repo(root: Path) -> Path:
    repo = RepoBuilder(root)
    repo.files(
        {
            "src/shop/__init__.py": "",
            "src/shop/data.py": MODULE,
            "tests/test_data.py": "from shop.data import load\n\n\ndef test_load():\n"
            "    assert load\n",
            "README.md": "# Shop\n\n## Results\n\nAccuracy 0.91 on the holdout.\n",
        }
    ).commit("Start")
    return root


def facts_of(root: Path, cache: AnalysisCache | None) -> Facts:
    return analyze(open_target(root), cache=cache)


def as_json(facts: Facts) -> list[object]:
    return [encode_fact(fact) for fact in facts]


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*/*.json"))


def packs(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("packs/*.pack"))


def drop_packs(cache_dir: Path) -> None:
    """Leave the per-file entries alone to answer (the pack would answer first)."""
    for pack in packs(cache_dir):
        pack.unlink()


def test_a_rescan_answers_every_file_from_the_cache_with_the_same_facts(
    tmp_path: Path,
) -> None:
    root = small_repo(tmp_path / "repo")
    first = AnalysisCache(tmp_path / "cache")
    cold = facts_of(root, first)
    assert (first.hits, first.misses) == (0, 4)
    second = AnalysisCache(tmp_path / "cache")
    warm = facts_of(root, second)
    assert (second.hits, second.misses) == (4, 0)
    assert as_json(warm) == as_json(cold) == as_json(facts_of(root, None))


def test_changed_content_is_analysed_again_and_the_rest_is_reused(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    (root / "src/shop/data.py").write_text(MODULE + "\nimport mlflow\n")
    cache = AnalysisCache(tmp_path / "cache")
    facts = facts_of(root, cache)
    assert (cache.hits, cache.misses) == (3, 1)
    assert "mlflow" in {fact.module for fact in facts.of("import")}  # type: ignore[attr-defined]


def test_a_new_analyzer_version_misses_every_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    monkeypatch.setattr(analysis_cache, "ANALYZER_VERSION", analysis_cache.ANALYZER_VERSION + 1)
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert (cache.hits, cache.misses) == (0, 4)


def test_a_new_project_module_changes_what_imports_resolve_to(tmp_path: Path) -> None:
    """Facts depend on the project layout (which imports are the project's own): a file
    added elsewhere must not leave a cached `project: false` standing."""
    root = small_repo(tmp_path / "repo")
    (root / "src/shop/data.py").write_text(MODULE + "import pricing\n")
    before = facts_of(root, AnalysisCache(tmp_path / "cache"))
    (root / "src/pricing.py").write_text("RATE = 0.2\n")
    after = facts_of(root, AnalysisCache(tmp_path / "cache"))
    imports = {f.module: f.project for f in after.of("import")}  # type: ignore[attr-defined]
    assert imports["pricing"] is True
    assert {f.module: f.project for f in before.of("import")}["pricing"] is False  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"",
        b"[]",
        b'{"key": "another key", "facts": []}',
        b"\xff\xfe garbage",
    ],
)
def test_a_corrupt_entry_is_recomputed_and_rewritten(tmp_path: Path, damage: bytes) -> None:
    root = small_repo(tmp_path / "repo")
    expected = as_json(facts_of(root, None))
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    drop_packs(tmp_path / "cache")
    for entry in entries(tmp_path / "cache"):
        entry.write_bytes(damage)
    cache = AnalysisCache(tmp_path / "cache")
    assert as_json(facts_of(root, cache)) == expected
    assert (cache.hits, cache.misses) == (0, 4)
    for entry in entries(tmp_path / "cache"):  # rewritten whole
        assert json.loads(entry.read_bytes())["key"] == entry.stem


def test_an_entry_with_facts_of_the_wrong_shape_is_a_miss(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    drop_packs(tmp_path / "cache")
    damaged = 0
    for entry in entries(tmp_path / "cache"):
        stored = json.loads(entry.read_bytes())
        for fact in stored["facts"]:
            fact["location"] = {"path": 7}
        damaged += bool(stored["facts"])
        entry.write_text(json.dumps(stored))
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert damaged >= 3
    assert (cache.hits, cache.misses) == (4 - damaged, damaged)


@pytest.mark.parametrize(
    "encoded",
    [
        {"kind": "import", "location": {"path": "a.py"}},  # fields missing
        {"kind": "no-such-kind", "location": {"path": "a.py"}},
        {
            "kind": "lockfile",
            "location": {"path": "a.py"},
            "placeholder": None,
            "roles": ["tested"],
            "tool": 3,  # not a string
        },
        {
            "kind": "lockfile",
            "location": {"path": "a.py", "line": True},  # a bool is no line number
            "placeholder": None,
            "roles": [],
            "tool": "uv",
        },
        {
            "kind": "lockfile",
            "location": {"path": "a.py"},
            "placeholder": None,
            "roles": [["nested"]],
            "tool": "uv",
        },
    ],
)
def test_decoding_refuses_what_no_analyzer_produces(encoded: dict[str, object]) -> None:
    with pytest.raises(FactDecodeError):
        decode_fact(encoded)


def test_every_fact_of_a_real_scan_survives_the_round_trip(production_path: Path) -> None:
    facts = list(facts_of(production_path, None))
    assert len({fact.kind for fact in facts}) > 10
    for fact in facts:
        assert decode_fact(json.loads(json.dumps(encode_fact(fact)))) == fact


def test_the_cache_is_never_written_inside_the_scanned_repository(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    before = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    facts_of(root, AnalysisCache(tmp_path / "cache"))
    after = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    assert after == before
    assert entries(tmp_path / "cache")


def test_prune_keeps_the_newest_entries(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    cache = AnalysisCache(tmp_path / "cache")
    facts_of(root, cache)
    assert cache.prune(keep=1) == 3
    assert len(entries(tmp_path / "cache")) == 1


def test_reports_are_byte_identical_from_workers_from_the_cache_and_from_one_process(
    production_path: Path, rubric: Rubric, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def report(**options: object) -> list[str]:
        card = scan(production_path, rubric=rubric, options=ScanOptions(**options))  # type: ignore[arg-type]
        return [render(card, kind) for kind in ("json", "html", "markdown", "sarif", "text")]

    serial = report(workers=1)
    monkeypatch.setattr(runner, "PARALLEL_MIN_FILES", 2)  # a small repo, still in workers
    monkeypatch.setattr(runner, "CHUNK_FILES", 3)
    monkeypatch.setattr(runner, "CHUNKS_AHEAD_PER_WORKER", 1)  # reading waits for workers
    assert report(workers=2) == serial
    cache_dir = tmp_path / "cache"
    assert report(workers=2, cache_dir=cache_dir) == serial  # cold, written by the workers
    assert entries(cache_dir)
    assert report(workers=1, cache_dir=cache_dir) == serial  # warm
    monkeypatch.setattr(sources, "SETTLE_NS", -3600 * 10**9)  # every file settled
    assert report(workers=1, cache_dir=cache_dir) == serial  # read, identities packed
    assert report(workers=1, cache_dir=cache_dir) == serial  # known by identity, unread


def test_cli_caches_by_default_and_no_cache_reads_and_writes_none(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = small_repo(tmp_path / "repo")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    analysis = default_analysis_dir()
    assert analysis == tmp_path / "xdg" / "portfolio-check" / "analysis"
    report = tmp_path / "out.json"
    with pytest.raises(SystemExit) as exited:
        main([str(root), "--no-cache", "-f", "json", "-o", str(report)])
    assert exited.value.code == 0  # one target: --no-cache does not ask for batch mode
    assert not analysis.exists()
    uncached = report.read_bytes()
    with pytest.raises(SystemExit):
        main([str(root), "-f", "json", "-o", str(report)])
    assert entries(analysis)
    assert report.read_bytes() == uncached
    shutil.rmtree(analysis)
    capsys.readouterr()


def test_no_cache_help_explains_both_caches(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--no-cache" in help_text
    assert "analyse every file afresh" in help_text
    assert "clone cache" in help_text
