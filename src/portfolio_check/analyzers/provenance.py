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

import dataclasses
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.fingerprints import (
    MAX_FINGERPRINT_CHARS,
    Fingerprint,
    fingerprint,
    kind_of,
)
from portfolio_check.analyzers.upstream_index import (
    UPSTREAMS_DIR,
    IndexedFile,
    Upstream,
    UpstreamIndex,
    content_digest,
    upstream_index,
)
from portfolio_check.analyzers.upstream_index import load_index as read_index
from portfolio_check.analyzers.upstream_store import load as read_kept_index
from portfolio_check.intake.snapshot import MAX_NOTEBOOK_BYTES, FileEntry
from portfolio_check.model.facts import (
    CopiedFileFact,
    Fact,
    HistoryFact,
    OwnFileFact,
    UpstreamRepositoryFact,
)
from portfolio_check.model.location import Location

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


def index_folder() -> Path | None:
    """The index a scan compares with: `PORTFOLIO_CHECK_UPSTREAM_INDEX` when it is set (a
    folder holding `index.json.gz` and `grams.bin.gz`), else None: the one that ships."""
    folder = os.environ.get(INDEX_VARIABLE, "").strip()
    return Path(folder) if folder else None


def load_index(folder: Path | None = None, store: Path | None = None) -> UpstreamIndex | None:
    """The upstream index (None: the one that ships), read once per process and folder;
    None when there is none, or it is damaged or was built with other fingerprints. With a
    `store` (the analysis cache's, `upstream_store`), it is read from its decoded form
    kept there, or decoded and kept for the next scan."""
    index = _index_in(folder, store)
    return index if index else None


@cache
def _index_in(folder: Path | None, store: Path | None) -> UpstreamIndex:
    if store is not None:
        return read_kept_index(folder or UPSTREAMS_DIR, store)
    return upstream_index() if folder is None else read_index(folder)


def index_digest(folder: Path | None = None) -> str:
    """What the analysis cache keys on, so that a new index is new analysis: a hash of the
    index's files as they are ("" when there are none). Read, not decoded: a rescan that
    finds every file in the cache never loads the index."""
    return content_digest(folder or UPSTREAMS_DIR)


@dataclass(frozen=True, kw_only=True)
class Match:
    """One upstream file a scanned file matches, and how well."""

    upstream: Upstream
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
        index = load_index(self.folder, context.upstream_store)
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
            others=tuple(match.upstream.repo for match in others),
            other_paths=tuple(match.path for match in others),
        )


def best_matches(index: UpstreamIndex, path: str, found: Fingerprint) -> list[Match]:
    """The best matching upstream file, then one as good from each other upstream that has
    one; empty when nothing matches well enough."""
    exact = index.by_exact(found.exact)
    if exact:
        candidates = [_match(f, 1.0, len(found.grams) or 1, exact=True) for f in exact]
    else:
        # the k-grams every kind of template has are in no upstream file: counted in the
        # file, they would make a copy look less copied than it is
        grams = found.grams - index.boilerplate
        candidates = [
            _match(f, shared / len(grams), shared, exact=False)
            for f, shared in (index.near(grams) if grams else [])
            if shared >= MIN_SHARED_GRAMS and shared / len(grams) >= MATCH_SIMILARITY
        ]
    if not candidates:
        return []
    name = path.rpartition("/")[2]
    # the most shared, then the same file name, then by name: deterministic
    candidates.sort(
        key=lambda m: (-m.shared, m.path.rpartition("/")[2] != name, m.upstream.repo, m.path)
    )
    best = candidates[0]
    chosen = [best]
    for match in candidates[1:]:
        if match.shared < best.shared * OTHERS_WITHIN:
            break
        if all(match.upstream.repo != c.upstream.repo for c in chosen):
            chosen.append(match)
    return chosen


def _match(indexed: IndexedFile, similarity: float, shared: int, *, exact: bool) -> Match:
    return Match(
        upstream=indexed.upstream,
        path=indexed.path,
        similarity=min(similarity, 1.0),
        exact=exact,
        shared=shared,
    )


# the repository as a whole -----------------------------------------------------------------
def settle(facts: list[Fact], folder: Path | None = None, store: Path | None = None) -> list[Fact]:
    """The facts with the repository-level provenance decided: copies of the repository's
    own upstream family, and of upstreams it shares too little with, become own files; a
    file several upstreams hold goes to the one the repository matches most. `folder` and
    `store`: which index, and where it is kept decoded (`load_index`)."""
    copies = [fact for fact in facts if isinstance(fact, CopiedFileFact)]
    if not copies:
        return facts
    total_lines = _total_lines(facts)
    if not _named(_as_candidates(copies), total_lines):
        # chance matches only (most repositories): decided without loading the index
        return [_own(fact) if isinstance(fact, CopiedFileFact) else fact for fact in facts]
    index = load_index(folder, store)
    upstreams = {upstream.repo: upstream for upstream in index.upstreams} if index else {}
    itself = _itself(facts, copies, upstreams)
    family = itself.family if itself is not None else None
    assigned = _assigned([c for c in copies if c.family != family], upstreams)
    named = _named(assigned.values(), total_lines)
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
                location=WHERE, upstream=itself.repo, family=itself.family, material=itself.kind
            )
        )
    return settled


def _itself(
    facts: Sequence[Fact], copies: Sequence[CopiedFileFact], upstreams: Mapping[str, Upstream]
) -> Upstream | None:
    """The upstream this repository is the work of, if any: its history has no inherited
    era of other people, and its newest commit and its most frequent author are the
    upstream's main authors (the course staff's own development repository, a later
    edition by the same people), or, where the index knows no authors, it starts at the
    upstream's root commit."""
    history = next((f for f in facts if isinstance(f, HistoryFact)), None)
    if history is None or history.inherited_commits:
        return None
    matched = Counter(copy.upstream for copy in copies)
    for name, _ in matched.most_common():
        upstream = upstreams.get(name)
        if upstream is None:
            continue
        if upstream.authors:
            # who made most of it and who works on it now: a learner's commits on a short
            # starter history are newer than the staff's, however few
            made = bool(history.author_keys) and history.author_keys[0] in upstream.authors
            if made and history.latest_author in upstream.authors:
                return upstream
        elif upstream.root and upstream.root == history.root_commit:
            return upstream
    return None


def _assigned(
    copies: Sequence[CopiedFileFact], upstreams: Mapping[str, Upstream]
) -> dict[str, CopiedFileFact]:
    """Each copy given to the upstream, among those holding it, that holds the most of the
    repository's files (ties: the file's own best match)."""
    held: Counter[str] = Counter()
    for copy in copies:
        held.update({copy.upstream, *copy.others})
    assigned: dict[str, CopiedFileFact] = {}
    for copy in copies:
        choices = [
            (copy.upstream, copy.upstream_path),
            *zip(copy.others, copy.other_paths, strict=False),
        ]
        name, path = max(choices, key=lambda choice: held[choice[0]])  # first on ties
        upstream = upstreams.get(name)
        moved = name != copy.upstream and upstream is not None
        assigned[copy.path] = _moved(copy, upstream, path) if moved and upstream else copy
    return assigned


def _moved(copy: CopiedFileFact, upstream: Upstream, path: str) -> CopiedFileFact:
    """`copy` as a match with `upstream`, at `path` there."""
    others = [
        (u, p) for u, p in zip(copy.others, copy.other_paths, strict=False) if u != upstream.repo
    ]
    others.insert(0, (copy.upstream, copy.upstream_path))
    return dataclasses.replace(
        copy,
        upstream=upstream.repo,
        family=upstream.family,
        material=upstream.kind,
        upstream_path=path,
        others=tuple(u for u, _ in others),
        other_paths=tuple(p for _, p in others),
    )


def _as_candidates(copies: Sequence[CopiedFileFact]) -> list[CopiedFileFact]:
    """Each copy once for every upstream that holds it: the most any upstream could count."""
    return [
        dataclasses.replace(copy, upstream=name)
        for copy in copies
        for name in dict.fromkeys((copy.upstream, *copy.others))
    ]


def _named(copies: Iterable[CopiedFileFact], total_lines: int) -> frozenset[str]:
    """The upstreams the repository shares a real part with."""
    files: Counter[str] = Counter()
    lines: defaultdict[str, float] = defaultdict(float)
    for copy in copies:
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
