"""Where each file's content came from: the author's own, or a known upstream's.

Each file of code or text is fingerprinted (`fingerprints.fingerprint`, the one home of
the normalisation, shared with the script that builds the index) and looked up in the
upstream index: the same normalised text, or most of its winnowed fingerprints found in
one upstream file (containment: the shared fingerprints over the file's own, as MOSS and
DéjàVu measure a clone). A match becomes a `CopiedFileFact`, anything else an
`OwnFileFact` that carries the file's lines, so that shares can be counted.

Once every file is read, `settle` makes the repository-level decisions the single files
cannot: an upstream scanned as itself is not a copy of itself; a file several upstreams
hold goes to the one the repository matches most; and an upstream counts only when the
repository shares a real part with it (a few files, or a good share of its lines), not
one boilerplate file that two unrelated projects happen to have in common.
"""

from __future__ import annotations

import importlib
import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.fingerprints import (
    MAX_FINGERPRINT_CHARS,
    Fingerprint,
    fingerprint,
    kind_of,
)
from portfolio_check.facts import (
    CopiedFileFact,
    Fact,
    HistoryFact,
    OwnFileFact,
    UpstreamRepositoryFact,
)
from portfolio_check.snapshot import MAX_NOTEBOOK_BYTES, FileEntry, Location

#: A file matches an upstream file when at least this share of its fingerprints are the
#: upstream file's: then more of it is the upstream's than the author's.
MATCH_SIMILARITY = 0.5
#: ...and it is a copy (not an upstream file the author changed) from this share on: what
#: is left is a renamed variable, an edited string, a filled-in line or two.
COPY_SIMILARITY = 0.8
#: Fingerprints a near match must share at least: a short file's few fingerprints can meet
#: the share by chance (an import block every notebook starts with).
MIN_SHARED_GRAMS = 5
#: A match as good as the best within this factor names another upstream holding it too.
OTHERS_WITHIN = 0.9
#: An upstream counts for the repository when it matches this many of its files...
MIN_UPSTREAM_FILES = 3
#: ...or this share of its lines (one copied tutorial notebook in a small repository).
MIN_UPSTREAM_SHARE = 0.2
#: Files that say who may use the work, not what it is; the index leaves them out too.
NOT_COMPARED_PREFIXES = ("license", "licence", "copying")
#: Data rather than written work: compared, but not weighed in the share of lines.
UNWEIGHED_SUFFIXES = (".json",)
WHERE = Location(path=".")
INDEX_VARIABLE = "PORTFOLIO_CHECK_UPSTREAM_INDEX"
#: What provenance finds; a target scanned without an index can show none of them.
PROVENANCE_KINDS = ("copied_file", "own_file", "upstream_repository")


class IndexedUpstream(Protocol):
    @property
    def repo(self) -> str: ...
    @property
    def family(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def root(self) -> str: ...


class IndexedFile(Protocol):
    @property
    def upstream(self) -> IndexedUpstream: ...
    @property
    def path(self) -> str: ...


class UpstreamIndex(Protocol):
    """What the provenance analyzer asks of the upstream index (`upstream_index`)."""

    @property
    def digest(self) -> str: ...

    def by_exact(self, exact: str) -> Sequence[IndexedFile]: ...

    def near(self, grams: frozenset[int]) -> Sequence[tuple[IndexedFile, int]]: ...


def index_folder() -> Path | None:
    """The index a scan compares with: `PORTFOLIO_CHECK_UPSTREAM_INDEX` when it is set (a
    folder holding `index.json.gz` and `grams.bin.gz`), else None: the one that ships."""
    folder = os.environ.get(INDEX_VARIABLE, "").strip()
    return Path(folder) if folder else None


def load_index(folder: Path | None = None) -> UpstreamIndex | None:
    """The upstream index (read once per process and folder; None: the one that ships), or
    None when there is none or it was built with other fingerprint parameters."""
    return _loaded(folder)


@cache
def _loaded(folder: Path | None) -> UpstreamIndex | None:
    try:
        module: Any = importlib.import_module("portfolio_check.analyzers.upstream_index")
    except ImportError:
        return None
    index: UpstreamIndex = module.upstream_index() if folder is None else module.load_index(folder)
    return index if index else None


def index_digest(folder: Path | None = None) -> str:
    """What the analysis cache keys on, so that a new index is new analysis; "" for none."""
    index = load_index(folder)
    return index.digest if index is not None else ""


@dataclass(frozen=True, kw_only=True)
class Match:
    """One upstream file a scanned file matches, and how well."""

    upstream: IndexedUpstream
    path: str
    similarity: float
    exact: bool
    shared: int  # fingerprints in common (the file's own count for an exact match)


class ProvenanceAnalyzer:
    name = "provenance"
    read_limit = MAX_NOTEBOOK_BYTES

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def wants(self, entry: FileEntry) -> bool:
        kind = kind_of(entry.path)
        if kind is None or entry.name.lower().startswith(NOT_COMPARED_PREFIXES):
            return False
        # beyond the fingerprinted length nothing more can match (the index skips such
        # files too); a notebook's outputs do not count, so it is read whole
        return entry.size <= (MAX_NOTEBOOK_BYTES if kind == "notebook" else MAX_FINGERPRINT_CHARS)

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        index = load_index(self.folder)
        if index is None:
            return
        found = fingerprint(entry.path, text)
        if found is None or found.lines == 0:
            return
        lines = 0 if entry.path.lower().endswith(UNWEIGHED_SUFFIXES) else found.lines
        location = Location(path=entry.path)
        matches = best_matches(index, entry.path, found)
        if not matches:
            yield OwnFileFact(location=location, lines=lines)
            return
        best, others = matches[0], matches[1:]
        yield CopiedFileFact(
            location=location,
            upstream=best.upstream.repo,
            family=best.upstream.family,
            material=best.upstream.kind,
            upstream_path=best.path,
            similarity=round(best.similarity, 3),
            exact=best.exact,
            copied=best.exact or best.similarity >= COPY_SIMILARITY,
            lines=lines,
            root=best.upstream.root,
            others=tuple(match.upstream.repo for match in others),
            other_paths=tuple(match.path for match in others),
        )


def best_matches(index: UpstreamIndex, path: str, found: Fingerprint) -> list[Match]:
    """The best matching upstream file, then one as good from each other upstream that has
    one; empty when nothing matches well enough."""
    exact = index.by_exact(found.exact)
    if exact:
        grams = max(len(found.grams), 1)
        candidates = [
            Match(upstream=f.upstream, path=f.path, similarity=1.0, exact=True, shared=grams)
            for f in exact
        ]
    elif found.grams:
        candidates = [
            Match(
                upstream=f.upstream,
                path=f.path,
                similarity=shared / len(found.grams),
                exact=False,
                shared=shared,
            )
            for f, shared in index.near(found.grams)
            if shared >= MIN_SHARED_GRAMS and shared / len(found.grams) >= MATCH_SIMILARITY
        ]
    else:
        return []
    name = path.rpartition("/")[2]
    # the most shared, then the same file name, then the upstream's order: deterministic
    candidates.sort(
        key=lambda m: (-m.shared, m.path.rpartition("/")[2] != name, m.upstream.repo, m.path)
    )
    if not candidates:
        return []
    best = candidates[0]
    chosen = [best]
    for match in candidates[1:]:
        if match.shared < best.shared * OTHERS_WITHIN:
            break
        if all(match.upstream.repo != c.upstream.repo for c in chosen):
            chosen.append(match)
    return chosen


# the repository as a whole -----------------------------------------------------------------
def settle(facts: list[Fact]) -> list[Fact]:
    """The facts with the repository-level provenance decided: copies of the repository's
    own upstream family, and of upstreams it shares too little with, become own files; a
    file several upstreams hold goes to the one the repository matches most."""
    copies = [fact for fact in facts if isinstance(fact, CopiedFileFact)]
    if not copies:
        return facts
    itself = _itself(facts, copies)
    family = itself.family if itself is not None else None
    assigned = _assigned([c for c in copies if c.family != family])
    named = _named(assigned, _total_lines(facts))
    settled: list[Fact] = []
    for fact in facts:
        if not isinstance(fact, CopiedFileFact):
            settled.append(fact)
            continue
        chosen = assigned.get(fact.path, fact)
        counts = chosen.family != family and chosen.upstream in named
        settled.append(chosen if counts else _own(fact))
    if itself is not None:
        settled.append(
            UpstreamRepositoryFact(
                location=WHERE,
                upstream=itself.upstream,
                family=itself.family,
                material=itself.material,
            )
        )
    return settled


def _itself(facts: Sequence[Fact], copies: Sequence[CopiedFileFact]) -> CopiedFileFact | None:
    """A copy of the upstream whose root commit the history starts at, when no inherited
    era says the history is someone else's before today's authors: the upstream itself."""
    history = next((f for f in facts if isinstance(f, HistoryFact)), None)
    if history is None or not history.root_commit or history.inherited_commits:
        return None
    return next((c for c in copies if c.root and c.root == history.root_commit), None)


def _assigned(copies: Sequence[CopiedFileFact]) -> dict[str, CopiedFileFact]:
    """Each copy given to the upstream, among those holding it, that holds the most of the
    repository's files (ties: the file's own best match)."""
    held: Counter[str] = Counter()
    for copy in copies:
        held.update({copy.upstream, *copy.others})
    first = {copy.upstream: copy for copy in reversed(copies)}  # any copy whose best it is
    assigned: dict[str, CopiedFileFact] = {}
    for copy in copies:
        choices = [
            (copy.upstream, copy.upstream_path),
            *zip(copy.others, copy.other_paths, strict=False),
        ]
        upstream, path = max(choices, key=lambda choice: held[choice[0]])  # first on ties
        model = first.get(upstream)
        if upstream == copy.upstream or model is None:
            assigned[copy.path] = copy
            continue
        assigned[copy.path] = _moved(copy, model, path)
    return assigned


def _moved(copy: CopiedFileFact, model: CopiedFileFact, path: str) -> CopiedFileFact:
    """`copy` as a match with `model`'s upstream, at `path` there."""
    others = [
        (u, p) for u, p in zip(copy.others, copy.other_paths, strict=False) if u != model.upstream
    ]
    others.insert(0, (copy.upstream, copy.upstream_path))
    return CopiedFileFact(
        location=copy.location,
        placeholder=copy.placeholder,
        roles=copy.roles,
        upstream=model.upstream,
        family=model.family,
        material=model.material,
        upstream_path=path,
        similarity=copy.similarity,
        exact=copy.exact,
        copied=copy.copied,
        lines=copy.lines,
        root=model.root,
        others=tuple(u for u, _ in others),
        other_paths=tuple(p for _, p in others),
    )


def _named(assigned: dict[str, CopiedFileFact], total_lines: int) -> frozenset[str]:
    """The upstreams the repository shares a real part with."""
    files: Counter[str] = Counter()
    lines: defaultdict[str, float] = defaultdict(float)
    for copy in assigned.values():
        files[copy.upstream] += 1
        lines[copy.upstream] += copy.upstream_lines
    return frozenset(
        upstream
        for upstream, count in files.items()
        if count >= MIN_UPSTREAM_FILES
        or (total_lines > 0 and lines[upstream] / total_lines >= MIN_UPSTREAM_SHARE)
    )


def _total_lines(facts: Sequence[Fact]) -> int:
    return sum(f.lines for f in facts if isinstance(f, (CopiedFileFact, OwnFileFact)))


def _own(copy: CopiedFileFact) -> OwnFileFact:
    return OwnFileFact(location=copy.location, roles=copy.roles, lines=copy.lines)
