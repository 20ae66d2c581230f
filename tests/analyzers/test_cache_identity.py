"""A rescan does not read a file the pack knows by its identity (its blob id in a commit, the
stat of a settled file in a work tree), and reads again every file whose identity moved."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.analyzers import runner
from portfolio_check.analyzers.cache import AnalysisCache
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.intake import sources
from portfolio_check.intake.snapshot import FileEntry, Snapshot
from portfolio_check.intake.sources import open_commit, open_target
from portfolio_check.model.facts import Facts
from tests.analyzers.test_cache import MODULE, as_json, facts_of, packs, small_repo
from tests.repos import RepoBuilder

FILES = ["README.md", "src/shop/__init__.py", "src/shop/data.py", "tests/test_data.py"]


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clock under which every file listed has settled (in a test, files are seconds old
    at most): work-tree files get their stat identity."""
    monkeypatch.setattr(sources, "SETTLE_NS", -3600 * 10**9)


def scan_reading(
    snapshot: Snapshot, cache: AnalysisCache, monkeypatch: pytest.MonkeyPatch
) -> tuple[Facts, list[str]]:
    """The facts of `snapshot`, and the files the file analyzers' reader read for them."""
    read: list[str] = []
    original = runner.FileRun._read

    def recording(run: runner.FileRun, entry: FileEntry, *args: Any) -> None:
        read.append(entry.path)
        original(run, entry, *args)

    with monkeypatch.context() as patched:
        patched.setattr(runner.FileRun, "_read", recording)
        return analyze(snapshot, cache=cache), sorted(read)


def tree_scan(
    root: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Facts, list[str]]:
    """`scan_reading` of the work tree at `root`, with the cache in `cache_dir`."""
    return scan_reading(open_target(root), AnalysisCache(cache_dir), monkeypatch)


def scanned_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A repository scanned once with the cache in `tmp_path / "c"`, and the pack written."""
    root = small_repo(tmp_path / "repo")
    tree_scan(root, tmp_path / "c", monkeypatch)
    [pack] = packs(tmp_path / "c")
    return root, pack


def rewrite_keeping_size_and_times(path: Path, text: str) -> None:
    """Change a file's content but neither its size nor its access and modification times
    (as `cp -p` or an archive tool can): only the inode's change time tells."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    time.sleep(0.05)  # past the file system's coarse clock tick
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_rescan_reads_no_file_the_pack_knows_by_identity(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    cold, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == FILES
    warm, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == []
    assert as_json(warm) == as_json(cold) == as_json(facts_of(root, None))


def test_a_file_rewritten_with_its_size_and_times_kept_is_read_again(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    tree_scan(root, tmp_path / "c", monkeypatch)
    rewrite_keeping_size_and_times(root / "src/shop/data.py", MODULE.replace("pandas", "polars"))
    warm, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == ["src/shop/data.py"]
    assert "polars" in {fact.module for fact in warm.of("import")}  # type: ignore[attr-defined]
    assert as_json(warm) == as_json(facts_of(root, None))


def test_files_changed_just_before_the_listing_get_no_identity(tmp_path: Path) -> None:
    """Under the real clock a file written a moment ago may change again within the same
    tick of its timestamps: it has no identity, so it is always read."""
    root = small_repo(tmp_path / "repo")
    assert [entry.identity for entry in open_target(root)] == [None] * len(FILES)


def test_a_settled_file_is_known_by_inode_size_and_times_links_by_nothing(
    tmp_path: Path, settled: None
) -> None:
    root = small_repo(tmp_path / "repo")
    (root / "link.md").symlink_to("README.md")
    os.link(root / "src/shop/data.py", tmp_path / "outside.py")  # a second name: not read
    entries = {entry.path: entry.identity for entry in open_target(root)}
    info = (root / "README.md").stat()
    assert entries["README.md"] == (
        f"stat {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}"
    )
    assert entries["link.md"] is None
    assert entries["src/shop/data.py"] is None


def test_a_commit_s_files_are_known_by_their_blob_ids_and_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_repo(tmp_path / "repo")
    commit = open_commit(root, "HEAD")
    blob = RepoBuilder(root).git("rev-parse", "HEAD:src/shop/data.py").strip()
    assert commit.get("src/shop/data.py").identity == f"blob {blob}"  # type: ignore[union-attr]
    cold, read = scan_reading(commit, AnalysisCache(tmp_path / "c"), monkeypatch)
    assert read == FILES
    (root / "src/shop/data.py").write_text("import polars\n")  # the work tree: not the commit
    warm, read = scan_reading(open_commit(root, "HEAD"), AnalysisCache(tmp_path / "c"), monkeypatch)
    assert read == []
    assert as_json(warm) == as_json(cold)


def test_a_pack_that_knows_few_identities_is_rewritten_so_the_next_rescan_reads_nothing(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Touched files (a checkout, a copy) have the same keys and new identities."""
    root, pack = scanned_once(tmp_path, monkeypatch)
    written = pack.read_bytes()
    time.sleep(0.05)
    for path in FILES:
        os.utime(root / path)
    _, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == FILES
    assert pack.read_bytes() != written
    _, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == []


def test_an_identity_for_a_key_the_pack_lacks_is_read(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, pack = scanned_once(tmp_path, monkeypatch)
    first, rest = pack.read_bytes().split(b"\n", 1)
    header = json.loads(first)
    header["identities"]["README.md"][1] = "0" * 64  # a key no line of the pack has
    pack.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    facts, read = tree_scan(root, tmp_path / "c", monkeypatch)
    assert read == ["README.md"]
    assert as_json(facts) == as_json(facts_of(root, None))
