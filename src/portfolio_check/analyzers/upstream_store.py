"""The upstream index kept decoded in the analysis cache, so that a scan which analyses a
few files does not pay for inflating and decoding the packaged index every time.

The packaged index (`upstream_index`) is compressed: reading it is a tenth of a second of
gunzip, JSON and checks, as much as analysing a changed file takes. Once a scan has
decoded it, its decoded form is kept in the analysis cache folder, in `upstreams/`, named
by the packaged files' `content_digest`: one file `<digest>.index` of

- a header: the magic `pc-upidx`, then little-endian uint32 store version, uint32 CRC-32
  of everything after the header, uint64 length of the description, uint64 number n of
  (k-gram, file) pairs;
- the description, compact JSON: the content digest it was decoded from (the index's
  `digest` too), the index's format version and fingerprint parameters, its upstreams (as
  the index records them), its files as four columns (`upstream` number, `path`, `exact`
  hash, `grams` kept) and its boilerplate k-grams;
- n little-endian uint64 k-grams, then n little-endian uint32 file numbers, as decoded.

Plain data, never pickle (the folder may be shared), written atomically and private to
the user; read with its size checked first (`MAX_STORED_BYTES`), the k-gram table straight
into its arrays. A file of the wrong length or CRC, of another version, digest or
fingerprint parameters, is a miss: the packaged index is decoded as before and the file
rewritten, never an error. The description names the index again, so a decoded form of
another index is never used, not even one put under this name. At most `MAX_KEPT` are
kept, the newest. It is written only from an index that decoded whole, from the very
bytes that were hashed for its name, so the CRC stands for the checks of the k-gram table
the full decode makes (the description's shape is checked again); like an analysis entry,
it guards against damage, not against a forger with write access to the cache.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import struct
import sys
import zlib
from array import array
from pathlib import Path

from portfolio_check.analyzers.upstream_index import (
    FORMAT_VERSION,
    MAX_DECOMPRESSED_BYTES,
    UpstreamIndex,
    boilerplate_from,
    content_digest,
    file_columns,
    index_from,
    parameters,
    read_files,
    upstream_record,
    upstreams_from,
)
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import PortfolioCheckError

#: Bump when the shape of a kept index changes.
STORE_VERSION = 2
MAGIC = b"pc-upidx"
FOLDER = "upstreams"
SUFFIX = ".index"
#: Decoded indexes kept at most (one per index content: a new release, another folder).
MAX_KEPT = 4
#: Bytes read at most: the decoded files of the largest index this version reads.
MAX_STORED_BYTES = 2 * MAX_DECOMPRESSED_BYTES
#: Kept indexes are private to the user, whatever the umask.
FILE_MODE = 0o600
_HEADER = struct.Struct("<8sIIQQ")  # magic, version, CRC-32, description bytes, pairs
_GRAM_BYTES, _OWNER_BYTES = 8, 4  # widths of array("Q") and array("I") items


def store_folder(analysis_root: Path) -> Path:
    """Where decoded indexes are kept in the analysis cache at `analysis_root`."""
    return analysis_root / FOLDER


def load(folder: Path, store: Path) -> UpstreamIndex:
    """The index in `folder` (as `upstream_index.load_index` reads it), from its decoded
    form in `store` when a good one is kept there; else decoded, and kept for next time."""
    # hashed as a stream (no 5 MB of fresh memory to touch), as the analysis cache's key is
    digest = content_digest(folder)
    kept = read_kept(store, digest)
    if kept is not None:
        return kept
    index = index_from(*read_files(folder))
    if index and index.digest == digest:  # the files decoded are those hashed: unchanged
        keep(store, digest, index)
    return index


def read_kept(store: Path, digest: str) -> UpstreamIndex | None:
    """The index kept under `digest`, or None: none, or not a whole one of this version."""
    if not digest:
        return None
    try:
        with _path(store, digest).open("rb") as stream:
            return _read(stream, os.fstat(stream.fileno()).st_size, digest)
    except OSError:
        return None


def keep(store: Path, digest: str, index: UpstreamIndex) -> None:
    """Keep `index`, decoded from the files whose content digest is `digest`. A store that
    cannot be written is no error: the next scan decodes the packaged index again."""
    target = _path(store, digest)
    with contextlib.suppress(OSError, PortfolioCheckError):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, encode(digest, index), mode=FILE_MODE)
        _prune(store)


def encode(digest: str, index: UpstreamIndex) -> bytes:
    """The kept form of `index`, decoded from the files with content digest `digest`."""
    files = index.files
    description = json.dumps(
        {
            "source": digest,
            "format": FORMAT_VERSION,
            "parameters": parameters(),
            "upstreams": [upstream_record(upstream) for upstream in index.upstreams],
            "files": {
                "upstream": list(files.owners),
                "path": list(files.paths),
                "exact": list(files.exacts),
                "grams": list(files.grams),
            },
            "boilerplate": sorted(index.boilerplate),
        },
        separators=(",", ":"),
    ).encode("utf-8")
    grams, owners = (_little_endian(table) for table in index.pairs)
    crc = zlib.crc32(owners, zlib.crc32(grams, zlib.crc32(description)))
    count = index.gram_count
    header = _HEADER.pack(MAGIC, STORE_VERSION, crc, len(description), count)
    return b"".join((header, description, grams, owners))


def _read(stream: io.BufferedReader, size: int, digest: str) -> UpstreamIndex | None:
    """The index kept in `stream` (`size` bytes), or None unless it is a whole one of this
    version, decoded from the files with content digest `digest` with this version's
    parameters. The k-gram table is read straight into its arrays."""
    header = stream.read(_HEADER.size) if size <= MAX_STORED_BYTES else b""
    if len(header) != _HEADER.size:
        return None
    magic, version, crc, described, count = _HEADER.unpack(header)
    if (magic, version) != (MAGIC, STORE_VERSION):
        return None
    if size != _HEADER.size + described + count * (_GRAM_BYTES + _OWNER_BYTES):
        return None
    if (array("Q").itemsize, array("I").itemsize) != (_GRAM_BYTES, _OWNER_BYTES):
        return None  # a platform whose C integers have other widths than the format's
    description = stream.read(described)
    grams = _table(stream, "Q", count)
    owners = _table(stream, "I", count)
    if len(description) != described or grams is None or owners is None or stream.read(1):
        return None  # cut short or grown since it was measured
    if zlib.crc32(owners, zlib.crc32(grams, zlib.crc32(description))) != crc:
        return None
    if sys.byteorder == "big":
        grams.byteswap()
        owners.byteswap()
    try:
        parsed = json.loads(description)
    except (ValueError, RecursionError):
        return None
    return _index(parsed, digest, (grams, owners))


def _table(stream: io.BufferedReader, typecode: str, count: int) -> array[int] | None:
    """`count` items read into an array made for them (`fromfile` would read them into
    bytes first and copy them: twice the memory to touch)."""
    table = array(typecode, [0]) * count
    return table if stream.readinto(table) == count * table.itemsize else None


def _little_endian(table: array[int]) -> array[int]:
    """`table` with its items little-endian (itself where they are), read as bytes by
    `crc32` and `join` without a copy."""
    if sys.byteorder == "little":
        return table
    swapped = array(table.typecode, table.tobytes())
    swapped.byteswap()
    return swapped


def _index(
    description: object, digest: str, pairs: tuple[array[int], array[int]]
) -> UpstreamIndex | None:
    if not isinstance(description, dict) or description.get("source") != digest:
        return None  # another index's, under this one's name
    if description.get("format") != FORMAT_VERSION:
        return None
    if description.get("parameters") != parameters():
        return None
    upstreams = upstreams_from(description.get("upstreams"))
    columns = description.get("files")
    boilerplate = boilerplate_from(description.get("boilerplate"))
    if upstreams is None or not isinstance(columns, dict) or boilerplate is None:
        return None
    files = file_columns(
        upstreams, *(columns.get(key) for key in ("upstream", "path", "exact", "grams"))
    )
    if files is None:
        return None
    return UpstreamIndex(files, *pairs, digest, boilerplate)


def _path(store: Path, digest: str) -> Path:
    return store / f"{digest}{SUFFIX}"


def _prune(store: Path) -> None:
    kept = sorted((path.stat().st_mtime, path) for path in store.glob(f"*{SUFFIX}"))
    for _, path in kept[: max(0, len(kept) - MAX_KEPT)]:
        path.unlink(missing_ok=True)
