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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from portfolio_check import __version__
from portfolio_check.analyzers.fact_codec import FactDecodeError, decode_facts, encode_facts
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

    def key(self, path: str, text: str) -> str:
        digest = hashlib.sha256(self.digest.encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


class AnalysisCache:
    """Per-file facts by key, in one folder of JSON files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Fact] | None:
        """The facts stored for `key`, or None: absent, unreadable, corrupt or foreign."""
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
