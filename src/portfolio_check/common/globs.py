"""Repository globs, one rule for rubrics, exclusions and analyzers: `**/` is any number of
folders, `*` one level, a pattern without `/` matches the file name anywhere, case-insensitive."""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable


def glob_match(path: str, pattern: str) -> bool:
    """Match a repo path against a glob. `**/` matches any number of folders, `*` one level
    (it may cross `/` as fnmatch does), and a pattern without `/` is matched on the name."""
    return glob_matcher((pattern,))(path)


@functools.lru_cache(maxsize=4096)
def glob_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path matches any of the globs (as `glob_match`), compiled once into one
    regex for file names and one for paths: rubrics test every listed file against theirs."""
    on_name: list[str] = []
    on_path: list[str] = []
    for pattern in patterns:
        for is_name, alternative in _glob_alternatives(pattern.lower()):
            (on_name if is_name else on_path).append(fnmatch.translate(alternative))
    name_regex = re.compile("|".join(on_name)) if on_name else None
    path_regex = re.compile("|".join(on_path)) if on_path else None

    def matches(path: str) -> bool:
        path_l = path.lower()
        if name_regex is not None and name_regex.match(path_l.rpartition("/")[2]):
            return True
        return path_regex is not None and path_regex.match(path_l) is not None

    return matches


def _glob_alternatives(pattern: str) -> list[tuple[bool, str]]:
    """The fnmatch patterns a glob stands for, each (matched on the name?, pattern)."""
    if "/" not in pattern:
        return [(True, pattern)]
    if pattern.startswith("**/"):
        return [(False, pattern[3:]), (False, pattern)]
    if "/**/" in pattern:  # `a/**/b` also matches `a/b`: zero folders in between
        return [(False, pattern), *_glob_alternatives(pattern.replace("/**/", "/", 1))]
    return [(False, pattern)]
