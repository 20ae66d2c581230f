"""Repository paths: the folders above one, its parts and a file name's suffix."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from portfolio_check.model.location import ancestors, folders_and_name, path_parts, suffix_of

#: Paths as git and listings write them, and the odd ones a hostile listing may hold.
PATHS = [
    "", ".", "..", "/", "//", "///", "a", "a/b/c.py", "a//b", "a/./b/", "./a/b.yml",
    "/abs/x.yml", "//net/x.yml", "a/../b.py", ".github/workflows/ci.yml", "tests/",
    ".bashrc", "model.", "archive.tar.gz", "a/.hidden.yaml", "Dockerfile.gpu", "..yml",
    "dir.d/file", "x/y.YAML", "week 1/lab 2/notes.md",
]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_path_parts_are_pathlibs_without_a_root(path: str) -> None:
    want = [part for part in PurePosixPath(path).parts if part.strip("/")]
    assert path_parts(path) == want


@pytest.mark.parametrize("path", PATHS)
def test_folders_and_name_are_pathlibs_parts_split_at_the_last(path: str) -> None:
    parts = [part for part in PurePosixPath(path).parts if part.strip("/")]
    assert folders_and_name(path) == (parts[:-1], PurePosixPath(path).name)


@pytest.mark.parametrize("path", PATHS)
def test_suffix_of_a_name_is_pathlibs(path: str) -> None:
    name = PurePosixPath(path).name
    assert suffix_of(name) == PurePosixPath(path).suffix


def test_ancestors_outermost_first() -> None:
    assert list(ancestors("a/b/c.py")) == ["a", "a/b"]
    assert list(ancestors("c.py")) == []
