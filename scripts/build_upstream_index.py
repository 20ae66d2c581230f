"""Build the upstream index (src/portfolio_check/data/upstreams/) from its manifest.

    python scripts/build_upstream_index.py [--mirrors /work/.mirror] [--out DIR]

`manifest.tsv` pins each upstream (a course, lab, starter, template or tutorial repository
that learners copy) at a commit; `learned.tsv` lists, for material whose own repository is
not public, the unrelated learner copies it is learned from. Each repository is read from
a local mirror, `MIRRORS/owner+name/repo` (a bare git directory, as `fetch` brings it), at
the pinned commit, with git plumbing only (`ls-tree`, `cat-file`, `rev-list`, `log`) through
the hardened runner the scanner uses: nothing from a mirror is checked out, run or
imported, and no network is needed. The index keeps hashes only (see
`portfolio_check.analyzers.upstream_index` for the format), with each upstream's root
commit and main authors (hashed e-mail addresses of the authors of 2 % of its commits or
more), by which a scan tells an upstream's own repositories from a learner's copy.

Rules, in order:

- a file is read when it has a fingerprint kind, is not a licence, `.gitignore` or
  `.gitkeep`, sits in no tooling folder (`.ipynb_checkpoints`, `node_modules`, ...), and is
  at most 256 KiB (a notebook at most 20 MiB: its outputs are dropped before fingerprinting);
- a cookiecutter template is read as what it generates: only the files under its
  `{{ cookiecutter.* }}` folder, each placeholder rendered as one neutral word and the
  Jinja tags dropped (both branches of a conditional are kept);
- learned material keeps what at least 3 unrelated copies (copies with different root
  commits) share: k-grams, and the exact texts of files large enough to have k-grams;
- a file with fewer than `MIN_TOKENS` tokens keeps only its exact hash; an empty one
  nothing; a file whose exact text repeats within its upstream is kept once;
- a k-gram or exact text found in more than 3 families is boilerplate every template
  shares (licences, standard imports, `setup.py` stubs) and is dropped.

The output is deterministic: the same manifest and mirrors give the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import git

from portfolio_check.analyzers.fingerprints import MIN_TOKENS, fingerprint, kind_of
from portfolio_check.analyzers.upstream_index import (
    GRAMS_FILE,
    INDEX_FILE,
    MATERIAL_KINDS,
    IndexedFile,
    Upstream,
    author_key,
    encode_grams,
    encode_index,
    gzip_bytes,
    load_index,
)
from portfolio_check.intake.git_runner import hardened_git
from portfolio_check.intake.snapshot import MAX_NOTEBOOK_BYTES, is_safe_path
from portfolio_check.intake.sources import MODE_SUBMODULE, MODE_SYMLINK, SKIPPED_DIRS

PROJECT = Path(__file__).resolve().parents[1]
UPSTREAMS = PROJECT / "src" / "portfolio_check" / "data" / "upstreams"
DEFAULT_MIRRORS = Path("/work/.mirror")
MAX_FILE_BYTES = 256 * 1024
MAX_FAMILIES = 3  # a hash found in more families than this is shared boilerplate
MIN_COPIES = 3  # unrelated learner copies that must share content for it to be course material
MIN_LEARNED_GRAMS = 4  # shared k-grams a learned file needs (one shared line is not a file)
MAX_COMMITS = 100_000  # of an upstream's history read for its authors
MAIN_AUTHOR_SHARE = 0.02  # of the commits that makes an author one of the upstream's own
MAX_AUTHORS = 20
SKIPPED_NAMES = frozenset({".gitignore", ".gitkeep"})
SHA = re.compile(r"^[0-9a-f]{40}$")
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.][A-Za-z0-9_.-]*$")
LEARNED = "learned/"
# a cookiecutter template: the folder it renders, and its Jinja syntax
TEMPLATE_FOLDER = re.compile(r"^\{\{\s*cookiecutter\.[^{}]*\}\}$")
JINJA_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
JINJA_PLACEHOLDER = re.compile(r"\{\{[^{}]{0,400}\}\}")
JINJA_TAG = re.compile(r"\{%[^%]{0,800}%\}|\{#[^#]{0,800}#\}")
PLACEHOLDER_WORD = "project"  # any identifier: code blurs names, prose reads one word
T = TypeVar("T")


@dataclass(frozen=True)
class ManifestEntry:
    """One line of the manifest."""

    repo: str
    sha: str
    family: str
    kind: str
    note: str

    @property
    def learned(self) -> bool:
        return self.repo.startswith(LEARNED)


@dataclass(frozen=True)
class FileHashes:
    """A file's fingerprint as the index keeps it."""

    path: str
    exact: str  # "" when only its grams are kept
    grams: frozenset[int]


@dataclass(frozen=True)
class Repository:
    """A repository as read from its mirror at one commit."""

    root: str  # its oldest commit, "" when none was found
    authors: tuple[str, ...]  # author keys of its main authors
    files: tuple[FileHashes, ...]


@dataclass(frozen=True)
class Read:
    """An upstream as read from its mirror (or learned from copies)."""

    entry: ManifestEntry
    repository: Repository


class BuildError(Exception):
    """The manifest or a mirror is not as the build needs it."""


# the manifest ------------------------------------------------------------------------------
def read_manifest(path: Path) -> list[ManifestEntry]:
    """The manifest's entries, checked: a header line, then repo, sha, family, kind, note."""
    entries: list[ManifestEntry] = []
    for number, fields in _rows(path, ("repo", "sha", "family", "kind", "note")):
        repo, sha, family, kind, note = fields
        learned = repo.startswith(LEARNED)
        if not (REPO.match(repo) and (sha == "-" if learned else SHA.match(sha))):
            raise BuildError(f"{path}:{number}: expected owner/name and a 40-hex sha")
        if kind not in MATERIAL_KINDS or not family:
            raise BuildError(f"{path}:{number}: kind must be one of {', '.join(MATERIAL_KINDS)}")
        entries.append(ManifestEntry(repo, sha, family, kind, note))
    pins = [(entry.repo, entry.sha) for entry in entries]
    if len(set(pins)) != len(pins):
        raise BuildError(f"{path}: an upstream is listed twice at the same commit")
    return entries


def read_learned(path: Path) -> dict[str, list[tuple[str, str]]]:
    """slug -> the learner copies (repo, sha) its material is learned from."""
    copies: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if not path.is_file():
        return {}
    for number, (slug, repo, sha) in _rows(path, ("slug", "repo", "sha")):
        if not (REPO.match(repo) and SHA.match(sha) and slug):
            raise BuildError(f"{path}:{number}: expected slug, owner/name and a 40-hex sha")
        copies[slug].append((repo, sha))
    return dict(copies)


def _rows(path: Path, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    lines = path.read_text("utf-8").splitlines()
    if not lines or lines[0].split("\t") != list(header):
        raise BuildError(f"{path}: the first line must be the header {' '.join(header)}")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise BuildError(f"{path}:{number}: expected {len(header)} tab-separated fields")
        yield number, [field.strip() for field in fields]


# reading a mirror --------------------------------------------------------------------------
def mirror_of(mirrors: Path, repo: str) -> Path:
    """The git directory of `repo`'s mirror: `owner+name/repo`, or its `.git` when the
    mirror came with a work tree (which is never read)."""
    owner, _, name = repo.partition("/")
    folder = mirrors / f"{owner}+{name}" / "repo"
    inner = folder / ".git"
    return inner if inner.is_dir() and not inner.is_symlink() else folder


def read_repository(mirrors: Path, repo: str, sha: str) -> Repository:
    """`repo` at `sha`: its root commit, main authors and the fingerprints of its files."""
    folder = mirror_of(mirrors, repo)
    if not folder.is_dir():
        raise BuildError(f"{repo}: no mirror at {folder} (fetch it first)")
    runner = hardened_git(folder)
    try:
        runner.cat_file("-e", f"{sha}^{{commit}}")
        listing = runner.ls_tree("-r", "-z", "--long", "--full-tree", sha)
        roots = runner.rev_list("--max-parents=0", sha).split()
        emails = runner.log("--format=%ae", f"--max-count={MAX_COMMITS}", sha).splitlines()
    except git.GitCommandError as error:
        raise BuildError(f"{repo}: commit {sha} cannot be read from {folder}") from error
    records = [record for record in listing.split("\0") if record]
    template = _template_folder(record.partition("\t")[2] for record in records)
    files = [
        hashes
        for path, blob in _selected(records, template)
        if (hashes := _fingerprinted(path, _blob(runner, blob), template is not None))
    ]
    # the oldest root: a history that merged in another has several
    return Repository(roots[-1] if roots else "", main_authors(emails), tuple(_unique(files)))


def main_authors(emails: Sequence[str]) -> tuple[str, ...]:
    """Keys of the authors of at least `MAIN_AUTHOR_SHARE` of the commits (at most
    `MAX_AUTHORS`, most commits first), bots left out: who wrote the upstream, so that a
    scan can tell the upstream's own repositories from a learner's copy."""
    counts: dict[str, int] = defaultdict(int)
    for email in emails:
        if email.strip() and "[bot]" not in email and email.strip() != "noreply@github.com":
            counts[author_key(email)] += 1
    total = sum(counts.values())
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    main = [key for key in ranked if counts[key] >= MAIN_AUTHOR_SHARE * total]
    return tuple(sorted(main[:MAX_AUTHORS]))


def _selected(records: Sequence[str], template: str | None) -> Iterator[tuple[str, str]]:
    """(path as the index names it, blob) of the tree's files the index reads, by path."""
    for record in sorted(records, key=lambda record: record.partition("\t")[2]):
        meta, _, path = record.partition("\t")
        mode, kind, blob, size = meta.split()
        if mode in (MODE_SYMLINK, MODE_SUBMODULE) or kind != "blob" or not is_safe_path(path):
            continue
        if template is not None:
            if not path.startswith(template + "/"):
                continue  # the generator's own code, docs and tests: not what it generates
            path = _rendered_path(path[len(template) + 1 :])
        if _readable(path, int(size) if size.isdigit() else 0):
            yield path, blob


def _template_folder(paths: Iterable[str]) -> str | None:
    """A cookiecutter template's top folder (`{{ cookiecutter.repo_name }}`), if any."""
    tops = {path.partition("/")[0] for path in paths if "/" in path}
    found = sorted(top for top in tops if TEMPLATE_FOLDER.match(top))
    return found[0] if found else None


def _rendered_path(path: str) -> str:
    return "/".join(JINJA_PLACEHOLDER.sub(PLACEHOLDER_WORD, part) for part in path.split("/"))


def _readable(path: str, size: int) -> bool:
    *folders, name = path.split("/")
    lowered = name.lower()
    if lowered.startswith(("license", "licence")) or lowered in SKIPPED_NAMES:
        return False
    if any(folder in SKIPPED_DIRS for folder in folders):
        return False
    kind = kind_of(path)
    limit = MAX_NOTEBOOK_BYTES if kind == "notebook" else MAX_FILE_BYTES
    return kind is not None and 0 < size <= limit


def _blob(runner: git.Git, blob: str) -> str:
    _, _, _, data = runner.get_object_data(blob)
    return bytes(data).decode("utf-8", "replace")


def _fingerprinted(path: str, text: str, template: bool) -> FileHashes | None:
    """The file's hashes (grams only from `MIN_TOKENS` tokens on), None for an empty file."""
    found = fingerprint(path, render_template_text(text) if template else text)
    if found is None or found.tokens == 0:
        return None
    grams = found.grams if found.tokens >= MIN_TOKENS else frozenset()
    return FileHashes(path=path, exact=found.exact, grams=grams)


def render_template_text(text: str) -> str:
    """A cookiecutter file as a generated project has it, up to the names the learner chose:
    each `{{ ... }}` one neutral word, `{% ... %}` and `{# ... #}` dropped, `{% raw %}`
    blocks (a workflow's `${{ }}`) left as they are."""
    parts: list[str] = []
    position = 0
    for raw in JINJA_RAW.finditer(text):
        parts.extend((_render(text[position : raw.start()]), raw.group(1)))
        position = raw.end()
    parts.append(_render(text[position:]))
    return "".join(parts)


def _render(text: str) -> str:
    return JINJA_TAG.sub("", JINJA_PLACEHOLDER.sub(PLACEHOLDER_WORD, text))


def _unique(files: Sequence[FileHashes]) -> list[FileHashes]:
    """The first file (by path) of each exact text: a course that repeats a notebook in
    several folders holds it once."""
    seen: set[str] = set()
    kept: list[FileHashes] = []
    for hashes in files:
        if hashes.exact in seen:
            continue
        seen.add(hashes.exact)
        kept.append(hashes)
    return kept


# learned material --------------------------------------------------------------------------
def learn(copies: Sequence[Repository]) -> list[FileHashes]:
    """What at least `MIN_COPIES` unrelated copies share: their common k-grams grouped back
    into files, and their common exact texts. Copies with the same root commit are one
    source (forks of each other)."""
    sources: dict[str, tuple[set[int], set[str]]] = {}
    for number, copy in enumerate(copies):
        grams, exacts = sources.setdefault(copy.root or f"#{number}", (set(), set()))
        for hashes in copy.files:
            grams.update(hashes.grams)
            exacts.add(hashes.exact)
    course_grams = _in_at_least(MIN_COPIES, (grams for grams, _ in sources.values()))
    course_exacts = _in_at_least(MIN_COPIES, (exacts for _, exacts in sources.values()))
    learned = _Learned()
    for copy in copies:
        for hashes in copy.files:
            # a few lines in common (a two-line `run.py`) are no sign of a common origin
            shared = hashes.exact in course_exacts and bool(hashes.grams)
            exact = hashes.exact if shared else ""
            learned.add(hashes.path, exact, hashes.grams & course_grams)
    return learned.files()


def _in_at_least(count: int, collections: Iterable[set[T]]) -> set[T]:
    seen: dict[T, int] = defaultdict(int)
    for collection in collections:
        for item in collection:
            seen[item] += 1
    return {item for item, times in seen.items() if times >= count}


class _Learned:
    """Learned files, each shared content kept once: a copy's file that mostly repeats one
    already learned adds its further grams to it."""

    def __init__(self) -> None:
        self._files: list[tuple[str, str, set[int]]] = []
        self._owner: dict[int, int] = {}  # gram -> learned file
        self._exacts: set[str] = set()

    def add(self, path: str, exact: str, grams: frozenset[int]) -> None:
        if exact in self._exacts or (not exact and len(grams) < MIN_LEARNED_GRAMS):
            return
        overlap: dict[int, int] = defaultdict(int)
        for gram in grams:
            if gram in self._owner:
                overlap[self._owner[gram]] += 1
        best = min(overlap, key=lambda owner: (-overlap[owner], owner)) if overlap else None
        if not exact and best is not None and 2 * overlap[best] >= len(grams):
            self._grow(best, grams)
            return
        if exact:
            self._exacts.add(exact)
        self._files.append((path, exact, set()))
        self._grow(len(self._files) - 1, grams)

    def _grow(self, owner: int, grams: Iterable[int]) -> None:
        self._files[owner][2].update(grams)
        for gram in grams:
            self._owner.setdefault(gram, owner)

    def files(self) -> list[FileHashes]:
        return [FileHashes(path, exact, frozenset(grams)) for path, exact, grams in self._files]


# the whole index ---------------------------------------------------------------------------
def read_all(
    entries: Sequence[ManifestEntry], copies: dict[str, list[tuple[str, str]]], mirrors: Path
) -> list[Read]:
    """Every upstream of the manifest, read from its mirror or learned from its copies."""
    reads: list[Read] = []
    for entry in entries:
        if entry.learned:
            slug = entry.repo.removeprefix(LEARNED)
            if len(copies.get(slug, ())) < MIN_COPIES:
                raise BuildError(f"{entry.repo}: learned.tsv lists fewer than {MIN_COPIES} copies")
            read = [read_repository(mirrors, repo, sha) for repo, sha in copies[slug]]
            reads.append(Read(entry, Repository("", (), tuple(learn(read)))))
        else:
            reads.append(Read(entry, read_repository(mirrors, entry.repo, entry.sha)))
    return reads


def drop_boilerplate(reads: Sequence[Read]) -> tuple[list[Read], set[int]]:
    """Without the k-grams and exact texts found in more than `MAX_FAMILIES` families; and
    the k-grams dropped (a scan leaves them out of a file's share, as the index does)."""
    family_grams: dict[str, set[int]] = defaultdict(set)
    family_exacts: dict[str, set[str]] = defaultdict(set)
    for read in reads:
        for hashes in read.repository.files:
            family_grams[read.entry.family].update(hashes.grams)
            family_exacts[read.entry.family].add(hashes.exact)
    common_grams = _in_at_least(MAX_FAMILIES + 1, family_grams.values())
    common_exacts = _in_at_least(MAX_FAMILIES + 1, family_exacts.values()) | {""}
    kept: list[Read] = []
    for read in reads:
        files = []
        for hashes in read.repository.files:
            exact = "" if hashes.exact in common_exacts else hashes.exact
            grams = hashes.grams - common_grams
            if exact or grams:
                files.append(FileHashes(hashes.path, exact, grams))
        repository = Repository(read.repository.root, read.repository.authors, tuple(files))
        kept.append(Read(read.entry, repository))
    return kept, common_grams


def assemble(
    reads: Sequence[Read],
) -> tuple[list[Upstream], list[IndexedFile], list[tuple[int, int]]]:
    """The index's upstreams, files and (gram, file number) pairs, in manifest order."""
    upstreams: list[Upstream] = []
    files: list[IndexedFile] = []
    pairs: list[tuple[int, int]] = []
    for read in reads:
        entry, repository = read.entry, read.repository
        upstream = Upstream(
            entry.repo, entry.sha, entry.family, entry.kind, repository.root, repository.authors
        )
        upstreams.append(upstream)
        for hashes in repository.files:
            number = len(files)
            grams = len(hashes.grams)
            files.append(IndexedFile(number, upstream, hashes.path, hashes.exact, grams))
            pairs.extend((gram, number) for gram in hashes.grams)
    return upstreams, files, pairs


def build(manifest: Path, learned: Path, mirrors: Path) -> tuple[bytes, bytes]:
    """The two index files' bytes (gzipped), from the manifest and the mirrors."""
    reads = read_all(read_manifest(manifest), read_learned(learned), mirrors)
    kept, boilerplate = drop_boilerplate(reads)
    upstreams, files, pairs = assemble(kept)
    index = encode_index(upstreams, files, boilerplate)
    return gzip_bytes(index), gzip_bytes(encode_grams(pairs))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=UPSTREAMS / "manifest.tsv")
    parser.add_argument("--learned", type=Path, default=UPSTREAMS / "learned.tsv")
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--out", type=Path, default=UPSTREAMS)
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        index, grams = build(args.manifest, args.learned, args.mirrors)
    except BuildError as error:
        print(f"build_upstream_index: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / INDEX_FILE).write_bytes(index)
    (args.out / GRAMS_FILE).write_bytes(grams)
    print(summary(args.out, len(index) + len(grams), time.monotonic() - started))
    return 0


def summary(folder: Path, size: int, seconds: float) -> str:
    index = load_index(folder)
    families = len({upstream.family for upstream in index.upstreams})
    return (
        f"{len(index.upstreams)} upstreams in {families} families, {len(index.files)} files, "
        f"{index.gram_count} grams; {size:,} bytes in {seconds:.1f} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
