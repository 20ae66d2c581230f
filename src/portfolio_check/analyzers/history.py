"""The shape of the git history, read from one streamed, bounded `git log`.

Every commit is read once, newest first, as a header line (hash, author, timestamp, parents,
subject) followed by `--summary` lines that name the files it created. Nothing of the
target runs: git is started through `git_runner.hardened_git`, with flags that override the
repository config options able to run a program (`log.showSignature` would start
`gpg.program`) or change the output (`log.showRoot`, colours, quoting, encodings).

`--summary` is used rather than `--name-only --diff-filter=A`, because a diff filter also
drops every commit that added no file from the log, and those commits must be counted.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO

import git

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.ci import is_ci_config
from portfolio_check.analyzers.upstream_index import author_key
from portfolio_check.intake.git_runner import git_reason, hardened_git
from portfolio_check.intake.snapshot import Snapshot
from portfolio_check.model.facts import Fact, FindingFact, HistoryFact, InheritedFileFact
from portfolio_check.model.location import Location, folders_and_name, suffix_of

#: Commits read at most; past this the history fact covers the newest ones only.
MAX_COMMITS = 100_000
#: Seconds git may take before it is killed and the history is left unknown.
TIMEOUT_SECONDS = 60.0
#: Bytes of one output line kept; the rest of a longer line (a huge subject) is skipped.
MAX_LINE_BYTES = 64 * 1024
#: Bytes of git's error output read for the finding.
MAX_STDERR_BYTES = 8 * 1024

RECORD = "\x1e"
FIELD = "\x1f"
LOG_ARGS = (
    "--no-color",
    "--no-renames",
    "--no-show-signature",
    "--no-ext-diff",
    "--no-textconv",
    "--no-mailmap",
    "--root",
    "--encoding=UTF-8",
    "--summary",
    "--format=%x1e%H%x1f%an%x1f%ae%x1f%at%x1f%P%x1f%s",
)
#: Git-level options for this call only: paths printed as they are, not octal-escaped.
GIT_OPTIONS = ("core.quotePath=false",)
CREATED = " create mode "

PR_MERGE = re.compile(r"^Merge pull request #\d+\b|\(#\d+\)$")
_FILE_TOKEN = r"\S*[./]\S*"
WEB_UPLOAD = re.compile(
    rf"^(?:Add files via upload|(?:Create|Update|Delete) {_FILE_TOKEN}"
    rf"|Rename {_FILE_TOKEN} to {_FILE_TOKEN})$"
)

TEST_FOLDERS = frozenset({"tests", "test"})
DEPLOY_NAMES = frozenset(
    {
        "dockerfile",
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
        "procfile",
        "serverless.yml",
        "serverless.yaml",
        "bentofile.yaml",
    }
)
K8S_FOLDERS = frozenset({"k8s", "kubernetes"})
MANIFEST_SUFFIXES = frozenset({".yml", ".yaml", ".json"})

DUMP = "a one-day dump of the work"
MIN_DAYS_AFTER_IMPORT = 3  # days of later commits that make a big first commit an import
#: Commits by other people, before today's authors' first, that make an inherited history.
MIN_INHERITED_COMMITS = 5
NEWCOMER_DAYS = 7  # a first commit this close before today's authors' start joins them
SINGLE = "a single commit"
MAIN_AUTHOR_SHARE = 0.02  # of the commits: a main author, as the upstream index counts them
MAX_MAIN_AUTHORS = 20
WHERE = Location(path=".git")


class HistoryListingAnalyzer:
    name = "history"

    def __init__(self, *, max_commits: int = MAX_COMMITS, timeout: float = TIMEOUT_SECONDS) -> None:
        self.max_commits = max_commits
        self.timeout = timeout

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        if not snapshot.is_git or snapshot.commit is None:
            return
        runner = hardened_git(snapshot.root)
        shallow = _is_shallow(runner, snapshot.root)
        try:
            tally = self._read_log(runner, snapshot.commit)
        except _LogError as error:
            yield _finding(str(error))
            return
        fact = tally.fact(shallow=shallow)
        if fact is None:
            yield _finding("git log showed no commit with a readable date")
            return
        yield fact
        if tally.last_inherited:
            yield from _inherited_files(runner, snapshot, tally.last_inherited)
        if tally.truncated:
            yield _finding(
                f"the history has more than {self.max_commits:,} commits; "
                f"only the newest {self.max_commits:,} were read"
            )

    def _read_log(self, runner: git.Git, commit: str) -> _Tally:
        try:
            process: git.Git.AutoInterrupt = runner(c=list(GIT_OPTIONS)).log(
                *LOG_ARGS, f"--max-count={self.max_commits + 1}", commit, "--", as_process=True
            )
        except (git.CommandError, OSError) as error:
            raise _LogError(f"could not start git log ({type(error).__name__})") from error
        popen = process.proc
        if popen is None or popen.stdout is None or popen.stderr is None:
            raise _LogError("could not start git log")
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with suppress(OSError):
                popen.kill()

        deadline = time.monotonic() + self.timeout
        timer = threading.Timer(self.timeout, kill)
        timer.daemon = True
        timer.start()
        tally = _Tally()
        stderr = b""
        read_to_end = False
        try:
            for line in _lines(popen.stdout):
                if time.monotonic() >= deadline:
                    kill()
                    break
                if line.startswith(RECORD) and tally.started == self.max_commits:
                    tally.truncated = True
                    break
                tally.feed(line)
            else:
                read_to_end = True
        finally:
            if not read_to_end and popen.poll() is None:
                with suppress(OSError):
                    popen.kill()  # stopped early: git must not block on a full pipe
            popen.stdout.close()
            with suppress(OSError, ValueError):
                stderr = popen.stderr.read(MAX_STDERR_BYTES)
            popen.stderr.close()
            status = popen.wait()
            timer.cancel()
        if killed.is_set() or time.monotonic() >= deadline:
            raise _LogError(f"git log took more than {self.timeout:g} s and was stopped")
        if status != 0 and not tally.truncated:
            raise _LogError(f"git log failed (exit {status}): {git_reason(stderr, status)}")
        return tally


def _inherited_files(
    runner: git.Git, snapshot: Snapshot, since: str
) -> Iterator[InheritedFileFact | FindingFact]:
    """The files of the snapshot exactly as the last inherited commit had them: in its
    tree, and untouched by any change since. Names only: no content, no diff driver."""
    try:
        before = str(runner.ls_tree("-r", "-z", "--name-only", "--full-tree", since))
        changed = str(
            runner.diff(
                "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
                since, snapshot.commit, "--",
            )
        )  # fmt: skip
    except (git.GitCommandError, OSError):
        yield _finding("could not tell which files came unchanged from the inherited history")
        return
    unchanged = set(before.split("\0")) - set(changed.split("\0")) - {""}
    short = since[:12]
    for path in sorted(unchanged):
        if snapshot.exists(path):
            yield InheritedFileFact(location=Location(path=path), since=short)


class _LogError(Exception):
    """A one-line reason the history could not be read."""


@dataclass(frozen=True, slots=True)
class _Commit:
    """What the history measures of one commit."""

    sha: str
    name: str  # the author, lower-cased
    email: str
    day: date | None  # its UTC author date
    added: int  # files it created
    merge: bool
    pr_merge: bool
    web_upload: bool
    root: bool = False  # no parent: where a history starts


@dataclass
class _Tally:
    """The commits of one `git log`, newest first, and when tests, CI and deployment files
    first appeared."""

    commits: list[_Commit] = field(default_factory=list)
    first_test: date | None = None
    first_ci: date | None = None
    first_deploy: date | None = None
    truncated: bool = False
    _header_parts: list[str] | None = None  # the commit being read
    _added: int = 0  # files it created so far

    @property
    def started(self) -> int:
        """Commits whose header has been read."""
        return len(self.commits) + (self._header_parts is not None)

    def feed(self, line: str) -> None:
        if line.startswith(RECORD):
            self._close_commit()
            parts = line[len(RECORD) :].split(FIELD, 5)
            self._header_parts = parts if len(parts) == 6 else None
        elif line.startswith(CREATED) and self._header_parts is not None:
            self._created(_unquote(line[len(CREATED) :].partition(" ")[2]))

    def _created(self, path: str) -> None:
        if not path:
            return
        self._added += 1
        day = _utc_day(self._header_parts[3]) if self._header_parts else None
        if day is None:
            return
        if is_test_file(path):
            self.first_test = _earlier(self.first_test, day)
        if is_ci_file(path):
            self.first_ci = _earlier(self.first_ci, day)
        if is_deploy_file(path):
            self.first_deploy = _earlier(self.first_deploy, day)

    def _close_commit(self) -> None:
        if self._header_parts is not None:
            sha, name, email, timestamp, parents, subject = self._header_parts
            subject = subject.strip()
            self.commits.append(
                _Commit(
                    sha=sha.strip(),
                    name=name.strip().lower(),
                    email=email.strip().lower(),
                    day=_utc_day(timestamp),
                    added=self._added,
                    merge=len(parents.split()) > 1,
                    root=not parents.split(),
                    pr_merge=bool(PR_MERGE.search(subject)),
                    web_upload=bool(WEB_UPLOAD.match(subject)),
                )
            )
        self._header_parts, self._added = None, 0

    @property
    def last_inherited(self) -> str | None:
        """The newest commit of an inherited history, if there is one."""
        own, inherited = own_history(self.commits)
        return self.commits[len(own)].sha if inherited else None

    def fact(self, *, shallow: bool) -> HistoryFact | None:
        self._close_commit()
        own, inherited = own_history(self.commits)
        dated = [commit.day for commit in own if commit.day is not None]
        if not dated:
            return None
        days = set(dated)
        added = [commit.added for commit in own]
        total = sum(added)
        largest = max(range(len(added)), key=added.__getitem__)  # newest first on ties
        share = added[largest] / total if total else 0.0
        later_days = {c.day for c in own[:largest] if c.day} - {own[largest].day}
        placeholder = None
        # most files in one commit is a dump unless work went on after it: a project
        # imported in one commit and then changed over weeks is not a one-day upload
        one_upload = share >= 0.8 and len(later_days) < MIN_DAYS_AFTER_IMPORT
        if total >= 5 and (len(days) == 1 or one_upload):
            placeholder = DUMP
        elif len(own) == 1:
            placeholder = SINGLE
        return HistoryFact(
            location=WHERE,
            placeholder=placeholder,
            commits=len(own),
            authors=len({commit.email for commit in own}),
            active_days=len(days),
            active_weeks=len({day.isocalendar()[:2] for day in days}),
            span_days=(max(days) - min(days)).days,
            merges=sum(commit.merge for commit in own),
            pr_merges=sum(commit.pr_merge for commit in own),
            web_uploads=sum(commit.web_upload for commit in own),
            largest_commit_share=share,
            days_after_largest=len(later_days),
            shallow=shallow,
            first_commit=min(days).isoformat(),
            last_commit=max(days).isoformat(),
            first_test=_iso(self.first_test),
            first_ci=_iso(self.first_ci),
            first_deploy=_iso(self.first_deploy),
            inherited_commits=inherited,
            root_commit=self.root_commit(shallow=shallow),
            author_keys=_main_authors(own),
            latest_author=author_key(own[0].email),
        )

    def root_commit(self, *, shallow: bool) -> str:
        """The oldest commit with no parent; "" when the history was cut short (a shallow
        clone's oldest commit only looks like a root)."""
        if shallow or self.truncated:
            return ""
        return next((commit.sha for commit in reversed(self.commits) if commit.root), "")


def _main_authors(own: list[_Commit]) -> tuple[str, ...]:
    """The keys of the authors of at least `MAIN_AUTHOR_SHARE` of the commits, most first
    (as the upstream index counts an upstream's main authors)."""
    counts = Counter(commit.email for commit in own)
    return tuple(
        author_key(email)
        for email, count in counts.most_common(MAX_MAIN_AUTHORS)
        if count / len(own) >= MAIN_AUTHOR_SHARE
    )


def own_history(commits: list[_Commit]) -> tuple[list[_Commit], int]:
    """The commits of the people working on the repository now, and how many came before
    them: a history of other people (a course starter forked with its history, a template
    imported whole) that none of today's authors ever touched is inherited, not theirs.

    Today's authors start as the author of the newest commit and grow with everyone who
    committed since the earliest commit of one of them, and with newcomers who first
    committed in the week before it (a learner's first commit from the web editor, under
    another name), until that stops changing; a name and an email are one person. Anything
    older is inherited when there is enough of it to be a project of its own."""
    if not commits:
        return commits, 0
    people = _People(commits)
    oldest = {people.of(commit): index for index, commit in enumerate(commits)}  # newest first
    start, index = 0, 0  # today's authors' oldest commit so far, in one pass
    while index <= start or _newcomer(commits, start + 1, oldest, people):
        start = max(start, oldest[people.of(commits[index])])
        index += 1
    inherited = len(commits) - start - 1
    if inherited < MIN_INHERITED_COMMITS:
        return commits, 0
    return commits[: start + 1], inherited


def _newcomer(commits: list[_Commit], index: int, oldest: dict[str, int], people: _People) -> bool:
    """Whether the commit at `index`, just older than today's authors' first, is by someone
    who first committed within a week of it: part of the same start, not of the past."""
    if index >= len(commits):
        return False
    first = commits[oldest[people.of(commits[index])]].day
    joined = commits[index - 1].day
    return first is not None and joined is not None and (joined - first).days <= NEWCOMER_DAYS


class _People:
    """Identities joined by a shared name or email (union-find over both)."""

    def __init__(self, commits: list[_Commit]) -> None:
        self._parent: dict[str, str] = {}
        for commit in commits:
            self._union(f"n:{commit.name}", f"e:{commit.email}")

    def of(self, commit: _Commit) -> str:
        return self._find(f"e:{commit.email}")

    def _find(self, key: str) -> str:
        parent = self._parent.setdefault(key, key)
        while parent != key:
            grand = self._parent[parent]
            self._parent[key] = grand
            key, parent = parent, grand
        return key

    def _union(self, left: str, right: str) -> None:
        self._parent[self._find(left)] = self._find(right)


def is_test_file(path: str) -> bool:
    folders, name = folders_and_name(path)
    if suffix_of(name) != ".py":
        return False
    return (
        any(part in TEST_FOLDERS for part in folders)
        or name.startswith("test_")
        or name.endswith("_test.py")
    )


def is_ci_file(path: str) -> bool:
    return is_ci_config(path)  # by its path: a history names files, not their content


def is_deploy_file(path: str) -> bool:
    folders, name = folders_and_name(path.lower())
    suffix = suffix_of(name)
    if name in DEPLOY_NAMES or name.endswith(".dockerfile") or name.startswith("dockerfile."):
        return True
    if name.startswith(("docker-compose.", "compose.")) and suffix in (".yml", ".yaml"):
        return True
    return suffix in MANIFEST_SUFFIXES and any(part in K8S_FOLDERS for part in (*folders, name))


def _is_shallow(runner: git.Git, root: Path) -> bool:
    try:
        return str(runner.rev_parse("--is-shallow-repository")).strip() == "true"
    except (git.CommandError, OSError):
        return (root / ".git" / "shallow").is_file()


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """Decoded lines of `stream`, one at a time, each cut to MAX_LINE_BYTES."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES)
        if not raw:
            return
        if not raw.endswith(b"\n"):
            rest = raw
            while rest and not rest.endswith(b"\n"):  # skip the remainder of a long line
                rest = stream.readline(MAX_LINE_BYTES)
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of a path (`"tab\\there.py"`); other paths pass as they are."""
    if len(path) < 2 or path[0] != '"' or path[-1] != '"':
        return path
    body, out, index = path[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            code = body[index + 1]
            octal = body[index + 1 : index + 4]
            if len(octal) == 3 and all(c in "01234567" for c in octal):
                out.append(int(octal, 8) & 0xFF)
                index += 4
                continue
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                index += 2
                continue
        out.extend(char.encode("utf-8"))
        index += 1
    return out.decode("utf-8", errors="replace")


def _utc_day(timestamp: str) -> date | None:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return None


def _earlier(current: date | None, day: date) -> date:
    return day if current is None or day < current else current


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _finding(message: str) -> FindingFact:
    return FindingFact(location=WHERE, analyzer="history", message=message)
