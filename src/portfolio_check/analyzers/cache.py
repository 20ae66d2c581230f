"""The content-keyed cache of per-file facts, so that a rescan analyses only what changed.

A key is the SHA-256 of everything a file's facts depend on: the cache schema, the
package and analyzer versions, the project layout and the rubric's content questions
(`Scope`), the file's path and the exact text the analyzers were given. Any change to one
of them is another key, so an entry can never stand for other content: there is nothing to
invalidate, and stale entries are simply never asked for again.

Entries are JSON files (never pickle: the folder may be shared), one per key, under
`$XDG_CACHE_HOME/portfolio-check/analysis/` (next to the clones), written to a temporary
name and renamed into place, so a reader sees a whole entry or none. An entry that does not
parse, or that holds another key, is a miss and is rewritten. The folder is pruned to
`MAX_ENTRIES`, oldest first. The scanned repository is never written to.

A rescan of a large repository would read thousands of small entries; so each scan also
keeps one packed entry per repository (`packs/`, named by the scope and the repository's
place): the facts of every file it read, by the same per-file keys, one line per file, in
the compact rows of `fact_codec`. A rescan reads the pack once and takes from it every file
whose key it holds, the rest from the per-file entries; a file changed since is another key,
so the pack never answers for it. The pack is rewritten when it is missing or no longer
answers for most of the files; a pack that does not parse, or holds another pack's name or
another version's rows, is not read. At most `MAX_PACKS` are kept, the newest.

A rescan need not even read a file the pack answers for: the pack's first line also holds
each file's identity (`FileEntry.identity`: its blob id in a commit, the stat of a settled
file in a work tree) with its key. A file listed with the same identity has the same text,
so its key is taken from there, unread and unhashed; any other file is read as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio_check import __version__
from portfolio_check.analyzers.fact_codec import (
    FactDecodeError,
    decode_facts,
    decode_rows,
    encode_facts,
    encode_rows,
    row_header,
)
from portfolio_check.common.atomic_files import write_atomic
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.model.facts import Fact

#: Bump when the shape of an entry changes.
CACHE_SCHEMA = 1
#: Bump when any analyzer's facts for the same text change without a package release.
ANALYZER_VERSION = 2
#: Entries kept at most; a scan that writes new ones removes the oldest beyond this.
MAX_ENTRIES = 200_000
#: An entry larger than this is not written (a file with an unusual number of facts).
MAX_ENTRY_BYTES = 8 * 1024 * 1024
#: Entries are private to the user, whatever the umask.
ENTRY_MODE = 0o600
#: Bump when the shape of a packed entry changes.
PACK_SCHEMA = 2
#: Packed entries kept at most (one per repository and rubric scanned), the newest.
MAX_PACKS = 16
#: A pack larger than this is neither written nor read.
MAX_PACK_BYTES = 512 * 1024 * 1024
#: A pack is rewritten when more than this share of a scan's files was not in it.
PACK_STALE_SHARE = 1 / 16


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What, besides a file's own path and text, its facts depend on, as one digest."""

    digest: str

    @classmethod
    def of(
        cls,
        *,
        modules: Iterable[tuple[str, str]],
        queries: Iterable[tuple[str, ...]],
        upstreams: str = "",
        analyzers: Iterable[str] = (),
    ) -> Scope:
        """`modules`: the project layout (`ProjectLayout.key_items`); `queries`: each content
        question as (id, glob, pattern, flags), sorted, so their order does not matter;
        `upstreams`: the upstream index's digest ("" for none), so a new index is new
        provenance; `analyzers`: the names of the file analyzers that run, so that a new
        analyzer is never answered by entries written before it existed."""
        payload = json.dumps(
            {
                "schema": CACHE_SCHEMA,
                "package": __version__,
                "analyzers": ANALYZER_VERSION,
                "analyzer_names": sorted(analyzers),
                "modules": sorted(modules),
                "queries": sorted(queries),
                "upstreams": upstreams,
            },
            separators=(",", ":"),
        )
        return cls(digest=hashlib.sha256(payload.encode()).hexdigest())

    def pack_name(self, place: str) -> str:
        """The name of the packed entry of the repository at `place` (a path) in this scope."""
        digest = hashlib.sha256(self.digest.encode())
        digest.update(b"\0pack\0" + place.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def key(self, path: str, text: str) -> str:
        digest = hashlib.sha256(self.digest.encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


#: One file of a scan as a pack holds it: its key, path, identity (None: none) and facts.
PackedFile = tuple[str, str, str | None, Sequence[Fact]]


class Pack:
    """One packed entry, read: the lines of its files by key, decoded when asked for, and
    the key of each file by its path and identity."""

    def __init__(
        self, data: bytes, lines: dict[str, tuple[int, int]], identities: dict[str, Any]
    ) -> None:
        self._data = data
        self._lines = lines
        self._identities = identities  # path -> [identity, key], checked when asked for

    @classmethod
    def parse(cls, data: bytes, name: str) -> Pack | None:
        """The pack in `data`, or None: not a pack, another pack or another version's."""
        end = data.find(b"\n")
        try:
            header = json.loads(data[:end])
        except (ValueError, RecursionError):
            return None
        identities = header.pop("identities", None) if isinstance(header, dict) else None
        expected = {"schema": PACK_SCHEMA, "name": name, "kinds": row_header()}
        if end < 0 or header != expected or not isinstance(identities, dict):
            return None
        lines: dict[str, tuple[int, int]] = {}
        start = end + 1
        while start < len(data):
            end = data.find(b"\n", start)
            if end < 0 or data[start + 64 : start + 65] != b" ":
                return None  # cut short, or a line without its key
            lines[data[start : start + 64].decode("ascii", "replace")] = (start + 65, end)
            start = end + 1
        return cls(data, lines, identities)

    def key_of(self, path: str, identity: str) -> str | None:
        """The key of the file at `path` when it had `identity`, if the pack holds its facts."""
        held = self._identities.get(path)
        if type(held) is not list or len(held) != 2 or held[0] != identity:
            return None
        key = held[1]
        return key if type(key) is str and key in self._lines else None

    def __contains__(self, key: str) -> bool:
        return key in self._lines

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, key: str) -> list[Fact] | None:
        """The facts of the file with `key`, or None: not in the pack, or not decodable
        (and then no longer in it)."""
        span = self._lines.get(key)
        if span is None:
            return None
        try:
            path, rows = json.loads(self._data[span[0] : span[1]])
            if type(path) is not str:
                raise FactDecodeError("a packed file without its path")
            return decode_rows(path, rows)
        except (ValueError, TypeError, RecursionError):  # JSON, shape and decode errors
            del self._lines[key]  # not in the pack after all: it is rewritten when stale
            return None


class AnalysisCache:
    """Per-file facts by key, in one folder of JSON files, and the packed entry of the
    repository being scanned (`use_pack`, `update_pack`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        self.pack_hits = 0
        self._pack: Pack | None = None
        self._pack_name: str | None = None

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Fact] | None:
        """The facts stored for `key`, or None: absent, unreadable, corrupt or foreign.
        The pack in use answers first."""
        if self._pack is not None:
            packed = self._pack.get(key)
            if packed is not None:
                self.hits += 1
                self.pack_hits += 1
                return packed
        try:
            raw = self._entry(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            entry = json.loads(raw)
            if not isinstance(entry, dict) or entry.get("key") != key:
                raise FactDecodeError("an entry for another key")
            facts = decode_facts(entry.get("facts"))
        except (ValueError, RecursionError):  # JSON and decode errors alike: recompute
            self.misses += 1
            return None
        self.hits += 1
        return facts

    def put(self, key: str, facts: Sequence[Fact]) -> None:
        """Store `facts` under `key`, atomically. A cache that cannot be written is no
        error: the scan goes on, slower next time."""
        data = json.dumps(
            {"key": key, "facts": encode_facts(facts)}, separators=(",", ":")
        ).encode()
        if len(data) > MAX_ENTRY_BYTES:
            return
        target = self._entry(key)
        with contextlib.suppress(OSError, PortfolioCheckError):
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data, mode=ENTRY_MODE)

    def prune(self, *, keep: int = MAX_ENTRIES) -> int:
        """Remove the oldest entries beyond `keep`; the number removed."""
        entries: list[tuple[float, Path]] = []
        with contextlib.suppress(OSError):
            for shard in self.root.iterdir():
                with contextlib.suppress(OSError):
                    entries.extend((p.stat().st_mtime, p) for p in shard.glob("*.json"))
        if len(entries) <= keep:
            return 0
        entries.sort()
        removed = 0
        for _, path in entries[: len(entries) - keep]:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed

    def _pack_path(self, name: str) -> Path:
        return self.root / "packs" / f"{name}.pack"

    def use_pack(self, name: str) -> None:
        """Read the packed entry `name` (if there is a good one) to answer `get` from."""
        self._pack_name = name
        self._pack = None
        path = self._pack_path(name)
        with contextlib.suppress(OSError):
            if path.stat().st_size <= MAX_PACK_BYTES:
                self._pack = Pack.parse(path.read_bytes(), name)

    def key_of(self, path: str, identity: str) -> str | None:
        """The key of the file at `path` with `identity`, when the pack in use holds it."""
        return self._pack.key_of(path, identity) if self._pack is not None else None

    def update_pack(self, files: Sequence[PackedFile]) -> None:
        """Rewrite the pack in use from this scan's files, if it is missing or stale: more
        than `PACK_STALE_SHARE` of the files not in it, or as many of its files gone, or as
        many files with an identity it does not know (after a checkout or a copy: they
        would be read on every scan). A pack that cannot be written is no error."""
        name, pack = self._pack_name, self._pack
        if name is None:
            return
        if pack is not None and not _stale(pack, files):
            return
        identities = {path: [identity, key] for key, path, identity, _ in files if identity}
        header = {"schema": PACK_SCHEMA, "name": name, "kinds": row_header()}
        lines = [json.dumps({**header, "identities": identities})]
        lines += (
            f"{key} {json.dumps([path, encode_rows(path, facts)], separators=(',', ':'))}"
            for key, path, _, facts in files
        )
        data = ("\n".join(lines) + "\n").encode()
        if len(data) > MAX_PACK_BYTES:
            return
        target = self._pack_path(name)
        with contextlib.suppress(OSError, PortfolioCheckError):
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data, mode=ENTRY_MODE)
            self._prune_packs()

    def _prune_packs(self) -> None:
        packs = sorted(
            (path.stat().st_mtime, path) for path in self._pack_path("x").parent.glob("*.pack")
        )
        for _, path in packs[: max(0, len(packs) - MAX_PACKS)]:
            path.unlink(missing_ok=True)


def _stale(pack: Pack, files: Sequence[PackedFile]) -> bool:
    missing = sum(1 for key, _, _, _ in files if key not in pack)
    gone = len(pack) - (len(files) - missing)
    unknown = sum(
        1 for key, path, identity, _ in files if identity and pack.key_of(path, identity) != key
    )
    return max(missing, gone, unknown) > PACK_STALE_SHARE * len(files)
