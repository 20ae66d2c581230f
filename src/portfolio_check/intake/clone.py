"""Bring a target to disk for a scan: a local path as it is, a URL as a bare clone.

A URL is cloned with `git clone --bare`: no work tree is ever written, so no checkout
filter, hook, symlink, submodule or LFS smudge of the repository can run, and the scan reads
one commit from git objects (`ScanOptions.revision`). Every git call carries the hardened
settings of `portfolio_check.intake.git_runner`, allows only the target's own transport, never
prompts, runs ssh in batch mode, ignores the caller's `GIT_*` environment and git config,
and is stopped (its whole process group killed, the partial clone removed) when the clone
grows past `CloneOptions.max_bytes` or runs longer than `CloneOptions.timeout`.

Cached clones live in `cache_dir`, one bare repository per URL and ref, named
`<label>-<key>.git` where the key is a hash of the URL (and of the ref, when one is given,
so that each cached repository's `HEAD` and refs mean one thing). A cached clone is
refreshed with `git fetch` under the same settings and limits; one that is broken, or whose
fetch fails, is deleted and cloned again.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from portfolio_check.common.errors import TargetError
from portfolio_check.intake.git_runner import git_output, git_reason, run_bounded
from portfolio_check.intake.targets import Target, check_ref, parse_target, redact

DEFAULT_MAX_BYTES = 500 * 1024**2
DEFAULT_TIMEOUT = 300.0
#: Where a commit fetched by sha is kept reachable in a clone.
PIN_NAMESPACE = "refs/portfolio-check/pinned/"
#: Where `commits_ahead` keeps the upstream's default branch in a fork's clone.
UPSTREAM_REF = "refs/portfolio-check/upstream"
#: How a clone with no commit at all is reported (an account lists empty repositories too).
EMPTY_REPOSITORY = "the repository is empty (no commits)"
_COMMIT_SHA = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, kw_only=True)
class CloneOptions:
    """Where clones go and how far they may grow."""

    cache_dir: Path | None  # None: a temporary clone, removed after use
    refresh: bool = True  # fetch when a cached clone exists
    keep: bool = False  # keep temporary clones (cache_dir None)
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT  # seconds, per git clone or fetch


@dataclass(frozen=True, kw_only=True)
class Clone:
    """A target on disk, ready for `scan(clone.root, options=ScanOptions(revision=...))`."""

    target: Target
    root: Path  # the path itself, or a bare repository
    revision: str | None  # for ScanOptions.revision: the ref, "HEAD" or a sha; None for paths
    cached: bool = False  # root is in the cache directory and stays after use
    reused: bool = False  # an existing cached clone was used (and fetched if refresh)


def cache_key(target: Target) -> str:
    """A hash of the URL (and of the ref, if any) naming the target's cached clone."""
    key = target.location if target.ref is None else f"{target.location}\0{target.ref}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def cache_path(target: Target, cache_dir: Path) -> Path:
    """The target's cached clone: an existing one with its key, else a new name."""
    key = cache_key(target)
    suffix = f"-{key}.git"
    with contextlib.suppress(OSError):
        for path in sorted(cache_dir.iterdir()):
            if path.name.endswith(suffix) and not path.name.startswith("."):
                return path
    slug = _NOT_NAME.sub("-", target.label).strip("-.")[:40] or "target"
    return cache_dir / f"{slug}{suffix}"


@contextlib.contextmanager
def checkout(target: Target, options: CloneOptions) -> Iterator[Clone]:
    """Yield the target on disk. Raises `TargetError` with a one-line, per-repo reason."""
    if target.kind == "path":
        yield Clone(target=target, root=Path(target.location), revision=target.ref)
        return
    scheme = _checked_url(target)
    ref = check_ref(target.ref) if target.ref is not None else None
    job = _Job(target=target, url=target.location, scheme=scheme, ref=ref, options=options)
    if options.cache_dir is None:
        workdir = Path(tempfile.mkdtemp(prefix="portfolio-check-"))
        keep = False
        try:
            root = workdir / f"{_NOT_NAME.sub('-', target.label).strip('-.') or 'target'}.git"
            revision = job.clone(root)
            keep = options.keep
            yield Clone(target=target, root=root, revision=revision)
        finally:
            if not keep:
                shutil.rmtree(workdir, ignore_errors=True)
        return
    cache_dir = options.cache_dir
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TargetError(
            f"{cache_dir}: cannot create the clone cache ({error.strerror})"
        ) from None
    root = cache_path(target, cache_dir)
    refreshed = job.reuse(root) if job.usable(root) else None
    if refreshed is None:
        _remove(root)  # missing, broken, or its fetch failed: clone again
    cached_revision = refreshed or job.clone_into_cache(root)
    yield Clone(
        target=target,
        root=root,
        revision=cached_revision,
        cached=True,
        reused=refreshed is not None,
    )


def commits_ahead(clone: Clone, upstream: Target, options: CloneOptions) -> int:
    """How many commits of `clone`'s revision the upstream's default branch does not have:
    a fork's own commits. The upstream's `HEAD` is fetched into the clone (most objects are
    shared, so little comes over) under the same settings and limits as any clone, and git
    counts; nothing an API says about the fork is believed. Raises `TargetError`."""
    if clone.revision is None:
        raise TargetError(f"{redact(clone.target.spec)}: not a clone")
    scheme = _checked_url(upstream)
    job = _Job(target=upstream, url=upstream.location, scheme=scheme, ref=None, options=options)
    job.run_git(job._fetch_args(clone.root, f"+HEAD:{UPSTREAM_REF}"), root=clone.root)
    count = git_output(
        clone.root, "rev-list", "--count", "--end-of-options", f"{UPSTREAM_REF}..{clone.revision}"
    )
    if not count.isdigit():
        raise TargetError(
            f"{redact(clone.target.spec)}: cannot compare it with {redact(upstream.spec)}"
        )
    return int(count)


def _checked_url(target: Target) -> str:
    """Parse the URL again: a Target built by hand gets the same checks as a spec."""
    try:
        checked = parse_target(target.location)
    except TargetError as error:
        raise TargetError(f"{redact(target.spec)}: refused: {error}") from None
    if checked.kind != "url" or checked.location != target.location or checked.scheme is None:
        raise TargetError(f"{redact(target.spec)}: refused: not a URL to clone")
    return checked.scheme


@dataclass(frozen=True, kw_only=True)
class _Job:
    target: Target
    url: str
    scheme: str
    ref: str | None
    options: CloneOptions

    @property
    def name(self) -> str:
        return redact(self.target.spec)

    @property
    def sha(self) -> str | None:
        return self.ref if self.ref is not None and _COMMIT_SHA.match(self.ref) else None

    # fresh clones
    def clone(self, root: Path) -> str:
        """Clone into `root` (which must not exist); remove it on any failure."""
        args = ["clone", "--bare", "--template=", "--no-tags", "--single-branch", "--quiet"]
        if self.ref is not None and self.sha is None:
            args += ["--branch", self.ref]
        try:
            self._run([*args, "--", self.url, str(root)], watch=root, cwd=root.parent)
            if self.sha is not None:
                self._pin(root)
            return self._verified(root)
        except BaseException:
            _remove(root)
            raise

    def clone_into_cache(self, root: Path) -> str:
        """Clone beside `root`, then move it in: a partial clone never sits in the cache."""
        staging = Path(tempfile.mkdtemp(prefix=".partial-", dir=root.parent))
        try:
            revision = self.clone(staging / "repo.git")
            try:
                (staging / "repo.git").rename(root)
            except OSError:
                if not self.usable(root):  # not another process that got there first
                    raise TargetError(f"{self.name}: cannot move the clone into {root}") from None
            return revision
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # cached clones
    def usable(self, root: Path) -> bool:
        """A bare repository cloned from this URL, whose refs this target needs exist."""
        if root.is_symlink() or not root.is_dir():
            return False
        if git_output(root, "rev-parse", "--is-bare-repository") != "true":
            return False
        if git_output(root, "config", "--get", "remote.origin.url") != self.url:
            return False
        return self._refspec(root) is not None or self.sha is not None

    def reuse(self, root: Path) -> str | None:
        """Refresh a usable cached clone; None if it must be cloned again."""
        try:
            if self.sha is not None:
                self._pin(root)
            elif self.options.refresh:
                refspec = self._refspec(root)
                if refspec is None:
                    return None
                self._run(self._fetch_args(root, refspec), watch=root, cwd=root)
        except _GitFailed:
            return None  # deleted and cloned again by the caller
        except TargetError:
            _remove(root)  # stopped by a limit: the clone may hold a partial pack
            raise
        revision = self.sha or self.ref or "HEAD"
        return revision if _has_commit(root, revision) else None

    def _refspec(self, root: Path) -> str | None:
        if self.ref is None:
            head = git_output(root, "symbolic-ref", "--quiet", "HEAD")
            return f"+HEAD:{head}" if head and head.startswith("refs/heads/") else None
        for namespace in ("refs/heads/", "refs/tags/"):
            name = namespace + self.ref
            if git_output(root, "rev-parse", "--verify", "--quiet", name):
                return f"+{name}:{name}"
        return None

    # shared steps
    def _pin(self, root: Path) -> None:
        assert self.sha is not None
        pin = PIN_NAMESPACE + self.sha
        if _has_commit(root, self.sha):
            git_output(root, "update-ref", pin, self.sha)
            return
        self._run(self._fetch_args(root, f"+{self.sha}:{pin}"), watch=root, cwd=root)

    def _fetch_args(self, root: Path, refspec: str) -> list[str]:
        return [
            f"--git-dir={root}",
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--no-recurse-submodules",
            "--quiet",
            "--",
            self.url,
            refspec,
        ]

    def run_git(self, args: list[str], *, root: Path) -> None:
        """A fetch into the clone at `root`, under this job's limits (watching `root`)."""
        try:
            self._run(args, watch=root, cwd=root)
        except _GitFailed as failed:
            raise TargetError(str(failed)) from None

    def _verified(self, root: Path) -> str:
        revision = self.sha or self.ref or "HEAD"
        if revision == "HEAD" and not git_output(root, "for-each-ref", "--count=1"):
            raise TargetError(f"{self.name}: {EMPTY_REPOSITORY}")
        if not _has_commit(root, revision):
            raise TargetError(f"{self.name}: {revision} is not a commit of the repository")
        return revision

    def _run(self, args: list[str], *, watch: Path, cwd: Path) -> None:
        """Run git under the limits; raise `TargetError` (`_GitFailed` if git failed)."""
        what = args[0] if args[0] == "clone" else "fetch"
        options = self.options
        try:
            run = run_bounded(
                args,
                scheme=self.scheme,
                cwd=cwd,
                watch=watch,
                max_bytes=options.max_bytes,
                timeout=options.timeout,
            )
        except OSError as error:
            raise TargetError(f"{self.name}: cannot run git ({error.strerror})") from None
        if run.stopped == "time":
            stopped = f"{what} took longer than {options.timeout:g} s, stopped"
            raise TargetError(f"{self.name}: {stopped}")
        if run.stopped == "size":
            stopped = f"clone is larger than {_size_text(options.max_bytes)}, stopped"
            raise TargetError(f"{self.name}: {stopped}")
        if run.returncode != 0:
            raise _GitFailed(
                f"{self.name}: git {what} failed: {git_reason(run.stderr, run.returncode)}"
            )


class _GitFailed(TargetError):
    """git itself failed (not a limit): a cached clone is then cloned again."""


def _has_commit(root: Path, revision: str) -> bool:
    return bool(
        git_output(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    )


def _size_text(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return (
                f"{value:.0f} {unit}"
                if value.is_integer() or value >= 10
                else f"{value:.1f} {unit}"
            )
    return f"{size} bytes"


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
