"""Snapshot: globbing, classification and bounded reads that never leave the root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portfolio_check.common.globs import glob_match
from portfolio_check.intake.snapshot import (
    EntryKind,
    FileEntry,
    Snapshot,
    UnsafePathError,
    entry_for,
    read_bytes_inside,
)


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("Dockerfile", "Dockerfile", True),
        ("deploy/Dockerfile", "Dockerfile", True),
        ("README.md", "README*", True),
        ("docs/readme.rst", "README*", True),
        ("src/app.py", "*.py", True),
        (".github/workflows/ci.yml", ".github/workflows/*.yml", True),
        ("k8s/base/deploy.yaml", "k8s/**/*.yaml", True),
        ("deploy.yaml", "**/deploy.yaml", True),
        ("notes.txt", "*.py", False),
        ("src/Dockerfile.md", "Dockerfile", False),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected


def make_snapshot(root: Path) -> Snapshot:
    entries = tuple(
        entry
        for path in sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
        if (entry := entry_for(root, path)) is not None
    )
    return Snapshot(root=root, entries=entries)


def test_reads_text_and_replaces_undecodable_bytes(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_bytes(b"caf\xe9 ok\n")
    snapshot = make_snapshot(tmp_path)
    read = snapshot.read_text(snapshot.glob("notes.md")[0])
    assert read.text == "caf\ufffd ok\n"


def test_binary_and_oversized_files_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_bytes(b"\x00\x01binary")
    (tmp_path / "big.py").write_text("x = 1\n" * 100)
    snapshot = make_snapshot(tmp_path)
    assert snapshot.read_text(snapshot.glob("model.py")[0]).skipped == "binary"
    skipped = snapshot.read_text(snapshot.glob("big.py")[0], limit=50).skipped
    assert skipped is not None and skipped.startswith("too large")


def test_symlinks_are_recorded_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    snapshot = make_snapshot(root)
    leak = snapshot.get("leak.txt")
    assert leak is not None and leak.kind is EntryKind.SYMLINK
    assert snapshot.read_text(leak).text is None
    # a path through a symlinked folder is refused even when asked for directly
    assert read_bytes_inside(root, "linked_dir/secret.txt", limit=100) is None
    assert entry_for(root, "linked_dir/secret.txt") is None


def test_file_swapped_for_a_symlink_after_listing_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "data.txt").write_text("harmless")
    snapshot = make_snapshot(root)
    entry = snapshot.get("data.txt")
    assert entry is not None
    (root / "data.txt").unlink()
    (root / "data.txt").symlink_to(tmp_path / "secret.txt")
    assert snapshot.read_text(entry).text is None


@pytest.mark.parametrize("path", ["../etc/passwd", "/etc/passwd", "a/../../b", ""])
def test_paths_that_leave_the_root_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(UnsafePathError):
        read_bytes_inside(tmp_path, path, limit=10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_listed_but_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    snapshot = make_snapshot(tmp_path)
    entry = snapshot.get("pipe")
    assert entry == FileEntry(path="pipe", size=0, kind=EntryKind.OTHER)
    assert snapshot.read_text(entry).text is None  # returns at once instead of blocking


def test_read_head_gives_the_first_line_only(tmp_path: Path) -> None:
    (tmp_path / "train.csv").write_text("\ufeffa,b,c\n1,2,3\n")
    snapshot = make_snapshot(tmp_path)
    assert snapshot.read_head(snapshot.glob("train.csv")[0]) == "a,b,c"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("grafana/dashboard.json", True),
        ("grafana/dashboards/api.json", True),
        ("other/x.json", False),
    ],
)
def test_double_star_in_the_middle_matches_zero_or_more_folders(path: str, expected: bool) -> None:
    assert glob_match(path, "grafana/**/*.json") is expected
