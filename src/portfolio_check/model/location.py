"""A place in the target: the path, line and notebook cell every fact and evidence item carries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, order=True, slots=True)
class Location:
    """A place in the target: a repo-relative POSIX path and, where known, a 1-based line."""

    path: str
    line: int | None = None
    cell: int | None = None  # 1-based notebook cell; `line` then counts within the cell

    def __str__(self) -> str:
        where = self.path if self.cell is None else f"{self.path} cell {self.cell}"
        return where if self.line is None else f"{where}:{self.line}"

    def to_json_dict(self) -> dict[str, str | int | None]:
        """`path` and `line` always, `cell` for notebooks: the evidence contract's shape."""
        data: dict[str, str | int | None] = {"path": self.path, "line": self.line}
        if self.cell is not None:
            data["cell"] = self.cell
        return data


def ancestors(path: str) -> Iterator[str]:
    """The folders above a repository path, outermost first: `a/b/c` gives `a`, `a/b`."""
    position = path.find("/")
    while position != -1:
        yield path[:position]
        position = path.find("/", position + 1)


def path_parts(path: str) -> list[str]:
    """The names along a repository path, as `PurePosixPath(path).parts` has them but
    without a root (`/`): empty and `.` parts dropped. A split, not an object, for loops
    over every file of a large listing."""
    return [part for part in path.split("/") if part and part != "."]


def folders_and_name(path: str) -> tuple[list[str], str]:
    """The folders above a repository path and its name (`path_parts` split at the last;
    "" for a path with no part)."""
    parts = path_parts(path)
    return (parts[:-1], parts[-1]) if parts else ([], "")


def suffix_of(name: str) -> str:
    """A file name's suffix as `PurePosixPath(name).suffix` has it: from the last dot, when
    something comes before and after it (`.bashrc` and `model.` have none)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
