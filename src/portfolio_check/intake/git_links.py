"""What the scanned repository's own git says about its links and name: the `origin`
remote and which scanned files are unchanged at the commit. Read-only git questions
through the hardened runner; the URL rules themselves are `source_links`'.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import git

from portfolio_check.intake.git_runner import hardened_git
from portfolio_check.intake.snapshot import EntryKind, Snapshot, read_bytes_inside
from portfolio_check.model.source_links import (
    FULL_SHA,
    SourceLinks,
    repository_name,
    repository_url,
)

#: A file larger than this is not hashed to compare it with the commit: it stays plain text.
MAX_HASHED_BYTES = 20 * 1024 * 1024
#: At most this much is read, in all, to compare the named files with the commit; the files
#: past it (in path order) stay plain text. A report names a few hundred files at most.
HASH_BUDGET_BYTES = 128 * 1024 * 1024


def project_name(snapshot: Snapshot) -> str:
    """What a report calls the project: the `origin` repository's name, else the name of
    the folder scanned (a user's `.` is never a name). Asks git one read-only question."""
    folder = snapshot.root.name or str(snapshot.root)
    if not snapshot.is_git:
        return folder
    try:
        remote = str(hardened_git(snapshot.root).config("--get", "remote.origin.url"))
    except git.GitCommandError:
        return folder
    return repository_name(remote) or folder


def source_links(snapshot: Snapshot, paths: Iterable[str]) -> SourceLinks | None:
    """Links for those of `paths` that are unchanged at the snapshot's commit, or None when
    the target has no commit or no GitHub/GitLab `origin`. Only asks git read-only questions
    (`config`, `ls-tree`) through the hardened runner."""
    commit = snapshot.commit
    if not snapshot.is_git or commit is None or not FULL_SHA.fullmatch(commit):
        return None
    runner = hardened_git(snapshot.root)
    try:
        remote = str(runner.config("--get", "remote.origin.url"))
        listing = str(runner.ls_tree("-r", "-z", "--full-tree", commit))
    except git.GitCommandError:
        return None
    found = repository_url(remote)
    if found is None:
        return None
    host, url = found
    unchanged = _unchanged_paths(snapshot, paths, _blob_ids(listing))
    return SourceLinks(host=host, repository_url=url, commit=commit, paths=unchanged)


def _blob_ids(listing: str) -> dict[str, str]:
    """path -> blob id of the regular files in `git ls-tree -r -z` output."""
    blobs: dict[str, str] = {}
    for record in listing.split("\0"):
        meta, _, path = record.partition("\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == "blob" and fields[0] in {"100644", "100755"}:
            blobs[path] = fields[2]
    return blobs


def _unchanged_paths(
    snapshot: Snapshot, paths: Iterable[str], blobs: dict[str, str]
) -> frozenset[str]:
    """The paths whose scanned file is the commit's blob. A snapshot read from git objects
    always is; a work-tree file is hashed the way git hashes it, within the budget."""
    unchanged: set[str] = set()
    budget = HASH_BUDGET_BYTES
    for path in sorted(set(paths) & blobs.keys()):
        entry = snapshot.get(path)
        if entry is None or entry.kind is not EntryKind.FILE or entry.size > MAX_HASHED_BYTES:
            continue
        if snapshot.reader is not None:
            unchanged.add(path)
        elif entry.size <= budget:
            budget -= entry.size
            if _has_blob_id(snapshot, path, entry.size, blobs[path]):
                unchanged.add(path)
    return frozenset(unchanged)


def _has_blob_id(snapshot: Snapshot, path: str, size: int, blob: str) -> bool:
    data = read_bytes_inside(snapshot.root, path, limit=size + 1)
    if data is None or len(data) != size:
        return False
    algorithm = hashlib.sha256 if len(blob) == 64 else hashlib.sha1
    return algorithm(b"blob %d\0" % len(data) + data).hexdigest() == blob
