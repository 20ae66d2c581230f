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
(other fingerprint parameters) reads as an empty index, never as an error.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeGuard

from portfolio_check.analyzers.fingerprints import CODE_K, MIN_TOKENS, TEXT_K, WINDOW

FORMAT_VERSION = 1
INDEX_FILE = "index.json.gz"
GRAMS_FILE = "grams.bin.gz"
UPSTREAMS_DIR = Path(__file__).resolve().parent.parent / "data" / "upstreams"
MATERIAL_KINDS = ("course", "lab", "starter", "template", "tutorial")
#: Decompressed bytes read at most from either file: far above what is shipped (a few MB),
#: so a damaged or swapped file cannot take the scan's memory.
MAX_DECOMPRESSED_BYTES = 128 * 1024 * 1024
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


class UpstreamIndex:
    """The upstreams and their files, with lookups by exact hash and by shared k-grams."""

    def __init__(
        self,
        upstreams: Sequence[Upstream],
        files: Sequence[IndexedFile],
        grams: array[int],
        owners: array[int],
        digest: str,
        boilerplate: frozenset[int] = frozenset(),
    ) -> None:
        self.upstreams = tuple(upstreams)
        self.files = tuple(files)
        #: k-grams so common across families that the index dropped them
        self.boilerplate = boilerplate
        self.digest = digest  # identifies the index's content, for the analysis cache key
        self._grams = grams
        self._owners = owners
        by_exact: dict[str, list[IndexedFile]] = {}
        for indexed in self.files:
            if indexed.exact:
                by_exact.setdefault(indexed.exact, []).append(indexed)
        self._by_exact = by_exact

    @classmethod
    def empty(cls) -> UpstreamIndex:
        return cls((), (), array("Q"), array("I"), digest="")

    def __bool__(self) -> bool:
        return bool(self.files)

    @property
    def gram_count(self) -> int:
        """(k-gram, file) pairs the index holds."""
        return len(self._grams)

    def by_exact(self, exact: str) -> list[IndexedFile]:
        """The files whose normalised text has this hash, in index order."""
        return list(self._by_exact.get(exact, ())) if exact else []

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
    index_bytes = _read(folder / INDEX_FILE)
    grams_bytes = _read(folder / GRAMS_FILE)
    if index_bytes is None or grams_bytes is None:
        return UpstreamIndex.empty()
    decoded = _decode(index_bytes, grams_bytes)
    if decoded is None:
        return UpstreamIndex.empty()
    upstreams, files, grams, owners, boilerplate = decoded
    digest = hashlib.sha256(index_bytes + b"\0" + grams_bytes).hexdigest()[:16]
    return UpstreamIndex(upstreams, files, grams, owners, digest, boilerplate)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _decode(
    index_bytes: bytes, grams_bytes: bytes
) -> tuple[list[Upstream], list[IndexedFile], array[int], array[int], frozenset[int]] | None:
    try:
        document = json.loads(_gunzip(index_bytes))
        table = _gunzip(grams_bytes)
    except (OSError, EOFError, ValueError, zlib.error, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        return None
    if document.get("parameters") != parameters():
        return None  # built with other fingerprints: comparing them would be meaningless
    upstreams = _upstreams(document.get("upstreams"))
    if upstreams is None:
        return None
    files = _files(document.get("files"), upstreams)
    pairs = _pairs(table, len(files) if files is not None else 0)
    boilerplate = _grams(document.get("boilerplate", []))
    if files is None or pairs is None or boilerplate is None:
        return None
    return upstreams, files, *pairs, boilerplate


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        out = stream.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise ValueError("the index is larger than any index this version ships")
    return out


def _upstreams(raw: object) -> list[Upstream] | None:
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


def _grams(values: object) -> frozenset[int] | None:
    if not isinstance(values, list) or not all(_is_count(value) for value in values):
        return None
    return frozenset(values)


def _files(raw: object, upstreams: Sequence[Upstream]) -> list[IndexedFile] | None:
    if not isinstance(raw, list):
        return None
    files: list[IndexedFile] = []
    for number, item in enumerate(raw):
        if not isinstance(item, dict):
            return None
        owner, path, exact, grams = (
            item.get(key) for key in ("upstream", "path", "exact", "grams")
        )
        if not (_is_count(owner) and owner < len(upstreams) and _is_count(grams)):
            return None
        if not (isinstance(path, str) and isinstance(exact, str)):
            return None
        files.append(IndexedFile(number, upstreams[owner], path, exact, grams))
    return files


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


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
        "upstreams": [
            {
                "repo": u.repo,
                "sha": u.sha,
                "family": u.family,
                "kind": u.kind,
                "root": u.root,
                "authors": sorted(u.authors),
            }
            for u in upstreams
        ],
        "files": [
            {"upstream": number[f.upstream], "path": f.path, "exact": f.exact, "grams": f.grams}
            for f in files
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("ascii")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no name and no time in the header, so the output depends on `data` only."""
    return gzip.compress(data, compresslevel=9, mtime=0)
