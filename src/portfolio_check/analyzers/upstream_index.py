"""The upstream index: fingerprints of the course, lab, starter, template and tutorial
repositories that learners copy, shipped as packaged data and looked up during a scan.

This module owns the index's format (the build script, `scripts/build_upstream_index.py`,
writes it with the helpers here) and its lookups. Two files in `data/upstreams/`:

- `index.json.gz`: the format version, the fingerprint parameters the index was built
  with, the upstreams (`repo`, `sha`, `family`, `kind`, `root` commit, and the keys of
  their main `authors`: `author_key` of an e-mail address) and their files (`upstream`
  number, `path`, `exact` hash, how many `grams` of it the index keeps), and the
  `boilerplate` k-grams left out because every kind of template has them (a scan leaves
  them out of a file's own count too, or a copy would look less copied than it is);
- `grams.bin.gz`: an 8-byte little-endian count n, then n little-endian uint64 k-gram
  hashes sorted ascending, then n little-endian uint32 file numbers, pair by pair (a gram
  shared by several files is repeated, once per file, in file order).

Hashes only: nothing of any upstream's content is stored. The index is read once per
process, lazily, and every read is bounded; a missing, damaged or differently built index
(other fingerprint parameters) reads as an empty index, never as an error. Its files are
kept as columns and each `IndexedFile` is made when a lookup first returns it. The
index's `content_digest` (a hash of the two files as they are) names it without decoding
it: the analysis cache keys on it, and `upstream_store` keeps the decoded index under it.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import io
import json
import struct
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeGuard, overload

from portfolio_check.analyzers.fingerprints import CODE_K, MIN_TOKENS, TEXT_K, WINDOW

FORMAT_VERSION = 1
INDEX_FILE = "index.json.gz"
GRAMS_FILE = "grams.bin.gz"
UPSTREAMS_DIR = Path(__file__).resolve().parent.parent / "data" / "upstreams"
MATERIAL_KINDS = ("course", "lab", "starter", "template", "tutorial")
#: Decompressed bytes read at most from either file: far above what is shipped (a few MB),
#: so a damaged or swapped file cannot take the scan's memory.
MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024
DIGEST_BLOCK = 1 << 20  # bytes of an index file hashed at a time
_COUNT = struct.Struct("<Q")
_GRAM_BYTES, _OWNER_BYTES = 8, 4  # widths of array("Q") and array("I") items


def author_key(email: str) -> str:
    """How the index names an author: a hash of the lower-cased e-mail address (no address
    is stored)."""
    normalised = email.strip().lower().encode("utf-8", "replace")
    return hashlib.sha1(normalised, usedforsecurity=False).hexdigest()[:16]


def parameters() -> dict[str, int]:
    """The fingerprint parameters an index must have been built with to be comparable."""
    return {"code_k": CODE_K, "text_k": TEXT_K, "window": WINDOW, "min_tokens": MIN_TOKENS}


@dataclass(frozen=True, slots=True)
class Upstream:
    """A repository learners copy, pinned at one commit."""

    repo: str  # owner/name, or learned/<slug> for material learned from learner copies
    sha: str  # the pinned commit ("-" for learned material)
    family: str  # the course or template family, as a person names it
    kind: str  # course, lab, starter, template or tutorial
    root: str  # the oldest commit of its history, "" when unknown
    #: `author_key`s of the authors of its history (at least 2 % of the commits each): a
    #: repository by them is the upstream's own work, not a copy of it
    authors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexedFile:
    """One file of an upstream, as the index knows it."""

    id: int
    upstream: Upstream
    path: str
    exact: str  # hash of its normalised text, "" when only its grams are known
    grams: int  # k-gram hashes of it the index keeps


class IndexedFiles(Sequence[IndexedFile]):
    """The index's files as columns (upstream number, path, exact hash, grams kept, file by
    file); an `IndexedFile` is made when it is first asked for, so a lookup that returns
    three files does not pay for the thousands it does not."""

    def __init__(
        self,
        upstreams: Sequence[Upstream],
        owners: Sequence[int],
        paths: Sequence[str],
        exacts: Sequence[str],
        grams: Sequence[int],
    ) -> None:
        self.upstreams = tuple(upstreams)
        self.owners, self.paths, self.exacts, self.grams = owners, paths, exacts, grams
        self._made: dict[int, IndexedFile] = {}

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, number: int) -> IndexedFile: ...

    @overload
    def __getitem__(self, number: slice) -> Sequence[IndexedFile]: ...

    def __getitem__(self, number: int | slice) -> IndexedFile | Sequence[IndexedFile]:
        if isinstance(number, slice):
            return [self[position] for position in range(len(self))[number]]
        if number < 0:
            number += len(self)
        made = self._made.get(number)
        if made is None:
            if not 0 <= number < len(self):
                raise IndexError(number)
            upstream = self.upstreams[self.owners[number]]
            made = IndexedFile(
                number, upstream, self.paths[number], self.exacts[number], self.grams[number]
            )
            self._made[number] = made
        return made

    def __iter__(self) -> Iterator[IndexedFile]:
        return (self[number] for number in range(len(self)))


class UpstreamIndex:
    """The upstreams and their files, with lookups by exact hash and by shared k-grams."""

    def __init__(
        self,
        files: IndexedFiles,
        grams: array[int],
        owners: array[int],
        digest: str,
        boilerplate: frozenset[int] = frozenset(),
    ) -> None:
        self.upstreams = files.upstreams
        self.files = files
        #: k-grams so common across families that the index dropped them
        self.boilerplate = boilerplate
        self.digest = digest  # its `content_digest`: what the analysis cache keys on
        self._grams = grams
        self._owners = owners
        by_exact: dict[str, list[int]] = {}
        for number, exact in enumerate(files.exacts):
            if exact:
                by_exact.setdefault(exact, []).append(number)
        self._by_exact = by_exact

    @classmethod
    def empty(cls) -> UpstreamIndex:
        return cls(IndexedFiles((), (), (), (), ()), array("Q"), array("I"), digest="")

    def __bool__(self) -> bool:
        return bool(self.files)

    @property
    def gram_count(self) -> int:
        """(k-gram, file) pairs the index holds."""
        return len(self._grams)

    @property
    def pairs(self) -> tuple[array[int], array[int]]:
        """The k-gram table as the index holds it: the grams, ascending, and the number of
        the file each belongs to, pair by pair."""
        return self._grams, self._owners

    def by_exact(self, exact: str) -> list[IndexedFile]:
        """The files whose normalised text has this hash, in index order."""
        return [self.files[number] for number in self._by_exact.get(exact, ())] if exact else []

    def near(
        self, grams: Iterable[int], *, limit: int | None = None
    ) -> list[tuple[IndexedFile, int]]:
        """Files sharing k-grams with `grams`, with how many they share, most first (ties in
        index order); at most `limit` of them."""
        shared: Counter[int] = Counter()
        table, owners, size = self._grams, self._owners, len(self._grams)
        for gram in grams:
            position = bisect.bisect_left(table, gram)
            while position < size and table[position] == gram:
                shared[owners[position]] += 1
                position += 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [(self.files[file_id], count) for file_id, count in ranked]


@cache
def upstream_index() -> UpstreamIndex:
    """The packaged index, read on first use and kept for the process."""
    return load_index(UPSTREAMS_DIR)


def load_index(folder: Path) -> UpstreamIndex:
    """The index in `folder`, or an empty one when it is missing, damaged or was built with
    other fingerprint parameters than this version's."""
    return index_from(*read_files(folder))


def read_files(folder: Path) -> tuple[bytes | None, bytes | None]:
    """The two files of the index in `folder` as they are (None for one that is missing)."""
    return _read(folder / INDEX_FILE), _read(folder / GRAMS_FILE)


def index_from(index_bytes: bytes | None, grams_bytes: bytes | None) -> UpstreamIndex:
    """The index decoded from its two files, or an empty one (`load_index`)."""
    if index_bytes is None or grams_bytes is None:
        return UpstreamIndex.empty()
    decoded = _decode(index_bytes, grams_bytes)
    if decoded is None:
        return UpstreamIndex.empty()
    files, grams, owners, boilerplate = decoded
    return UpstreamIndex(files, grams, owners, digest_of(index_bytes, grams_bytes), boilerplate)


def content_digest(folder: Path) -> str:
    """A hash of the index's two files in `folder` as they are ("" when one is missing or
    unreadable): read, never decoded, so it costs a few milliseconds. The same as
    `digest_of` their bytes."""
    digest = hashlib.sha256()
    for name in (INDEX_FILE, GRAMS_FILE):
        try:
            with folder.joinpath(name).open("rb") as stream:
                for block in iter(lambda: stream.read(DIGEST_BLOCK), b""):
                    digest.update(block)
        except OSError:
            return ""
        digest.update(b"\0")
    return digest.hexdigest()


def digest_of(index_bytes: bytes, grams_bytes: bytes) -> str:
    """`content_digest` of an index whose two files hold these bytes."""
    return hashlib.sha256(index_bytes + b"\0" + grams_bytes + b"\0").hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _decode(
    index_bytes: bytes, grams_bytes: bytes
) -> tuple[IndexedFiles, array[int], array[int], frozenset[int]] | None:
    try:
        document = json.loads(_gunzip(index_bytes))
        table = _gunzip(grams_bytes)
    except (OSError, EOFError, ValueError, zlib.error, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        return None
    if document.get("parameters") != parameters():
        return None  # built with other fingerprints: comparing them would be meaningless
    upstreams = upstreams_from(document.get("upstreams"))
    if upstreams is None:
        return None
    files = _files(document.get("files"), upstreams)
    pairs = _pairs(table, len(files) if files is not None else 0)
    boilerplate = boilerplate_from(document.get("boilerplate", []))
    if files is None or pairs is None or boilerplate is None:
        return None
    return files, *pairs, boilerplate


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        out = stream.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise ValueError("the index is larger than any index this version ships")
    return out


def upstreams_from(raw: object) -> list[Upstream] | None:
    """The upstreams from their records (`upstream_record`), or None when one is not."""
    if not isinstance(raw, list):
        return None
    upstreams: list[Upstream] = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        fields = [item.get(key) for key in ("repo", "sha", "family", "kind", "root")]
        authors = item.get("authors", [])
        if not _strings(fields) or not _strings(authors):
            return None
        repo, sha, family, kind, root = fields
        upstreams.append(Upstream(repo, sha, family, kind, root, tuple(authors)))
    return upstreams


def _strings(values: object) -> TypeGuard[list[str]]:
    return isinstance(values, list) and all(isinstance(value, str) for value in values)


def boilerplate_from(values: object) -> frozenset[int] | None:
    """The boilerplate k-grams from their list, or None when it is not one of counts."""
    return frozenset(values) if _counts(values) else None


def _files(raw: object, upstreams: Sequence[Upstream]) -> IndexedFiles | None:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        return None
    owners, paths, exacts, grams = (
        [item.get(key) for item in raw] for key in ("upstream", "path", "exact", "grams")
    )
    return file_columns(upstreams, owners, paths, exacts, grams)


def file_columns(
    upstreams: Sequence[Upstream], owners: object, paths: object, exacts: object, grams: object
) -> IndexedFiles | None:
    """The files from their columns, or None when a column is not a list of the right kind
    and length, or names an upstream past the last."""
    if not (_counts(owners) and _strings(paths) and _strings(exacts) and _counts(grams)):
        return None
    if not len(owners) == len(paths) == len(exacts) == len(grams):
        return None
    if owners and max(owners) >= len(upstreams):
        return None
    return IndexedFiles(upstreams, owners, paths, exacts, grams)


def _counts(values: object) -> TypeGuard[list[int]]:
    """A list of ints >= 0 (not bools: JSON's true is no count)."""
    if not isinstance(values, list) or not all(type(value) is int for value in values):
        return False
    return not values or min(values) >= 0


def _pairs(table: bytes, files: int) -> tuple[array[int], array[int]] | None:
    if len(table) < _COUNT.size:
        return None
    (count,) = _COUNT.unpack_from(table)
    if len(table) != _COUNT.size + count * (_GRAM_BYTES + _OWNER_BYTES):
        return None
    grams = array("Q")
    owners = array("I")
    if (grams.itemsize, owners.itemsize) != (_GRAM_BYTES, _OWNER_BYTES):
        return None  # a platform whose C integers have other widths than the format's
    middle = _COUNT.size + count * _GRAM_BYTES
    grams.frombytes(table[_COUNT.size : middle])
    owners.frombytes(table[middle:])
    if sys.byteorder == "big":
        grams.byteswap()
        owners.byteswap()
    if owners and max(owners) >= files:
        return None
    return grams, owners


def encode_grams(pairs: Iterable[tuple[int, int]]) -> bytes:
    """`grams.bin` (uncompressed) from (gram, file number) pairs, in the shipped order."""
    ordered = sorted(set(pairs))
    grams = array("Q", (gram for gram, _ in ordered))
    owners = array("I", (owner for _, owner in ordered))
    if sys.byteorder == "big":
        grams.byteswap()
        owners.byteswap()
    return _COUNT.pack(len(ordered)) + grams.tobytes() + owners.tobytes()


def encode_index(
    upstreams: Sequence[Upstream], files: Sequence[IndexedFile], boilerplate: Iterable[int] = ()
) -> bytes:
    """`index.json` (uncompressed), keys sorted and no spaces: the same input gives the same
    bytes."""
    number = {upstream: position for position, upstream in enumerate(upstreams)}
    document = {
        "version": FORMAT_VERSION,
        "parameters": parameters(),
        "boilerplate": sorted(boilerplate),
        "upstreams": [{**upstream_record(u), "authors": sorted(u.authors)} for u in upstreams],
        "files": [
            {"upstream": number[f.upstream], "path": f.path, "exact": f.exact, "grams": f.grams}
            for f in files
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("ascii")


def upstream_record(upstream: Upstream) -> dict[str, str | list[str]]:
    """An upstream as the index's JSON holds it (`upstreams_from` reads it back)."""
    return {
        "repo": upstream.repo,
        "sha": upstream.sha,
        "family": upstream.family,
        "kind": upstream.kind,
        "root": upstream.root,
        "authors": list(upstream.authors),
    }


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no name and no time in the header, so the output depends on `data` only."""
    return gzip.compress(data, compresslevel=9, mtime=0)
