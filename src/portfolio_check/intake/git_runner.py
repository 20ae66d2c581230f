"""How git is run: the one place that starts it, hardens it, bounds it and words its errors.

Every git call of the tool carries `HARDENED_GIT_CONFIG` on its command line and
`HARDENED_GIT_ENV` in its environment: together they override every config key of the
target's own `.git/config` known to run a program or leave the repository (hooks, fsmonitor,
pagers, diff drivers, ssh and proxy commands, credential helpers, other transports).

Two ways to run it, for two kinds of work:

- `hardened_git(root)`: a GitPython runner for read-only questions about a repository on
  disk (`ls-files`, `ls-tree`, `rev-parse`, `log`), used by the snapshot, the history
  analyzer, the source links and the batch;
- `git_command` and `git_environment` for a subprocess that talks to a stranger's server
  (`CLONE_GIT_CONFIG`: only the target's own transport, no LFS smudge, no submodules, ssh in
  batch mode, the caller's `GIT_*` variables dropped), run by `run_bounded` (stopped, with
  its whole process group, past a size or a time limit) or `git_output` (a quick local
  question to a bare clone, with a timeout).

`git_reason` is the one text of a git failure: git's own last `fatal:` or `error:` line, on
one line, with passwords and control characters taken out.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import git

from portfolio_check.common.text_safety import one_line
from portfolio_check.intake.targets import URL_SCHEMES, redact

#: `-c` settings that neutralise every config key known to run a program or leave the repo.
HARDENED_GIT_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.askPass=",
    "core.untrackedCache=false",
    "core.excludesFile=/dev/null",
    "core.attributesFile=/dev/null",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "protocol.file.allow=never",
    "protocol.ext.allow=never",
    "submodule.recurse=false",
    # git keeps up to this much of unpacked delta bases (96 MiB by default, and as much as
    # the repository's own config asks): `git log --summary` over thousands of commits
    # reached 156 MB at the default, 75 MB at 16 MiB, with no loss of speed
    "core.deltaBaseCacheLimit=16m",
)
HARDENED_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "GIT_EXTERNAL_DIFF": "",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
}

#: The hardened settings of a scan, plus what a clone or fetch from a stranger needs.
#: `git_command` appends `protocol.<scheme>.allow=always` for the target's transport only.
CLONE_GIT_CONFIG = (
    *HARDENED_GIT_CONFIG,
    "protocol.allow=never",
    "protocol.ext.allow=never",
    "protocol.file.allow=never",
    "core.hooksPath=/dev/null",
    "core.sshCommand=false",  # the environment's GIT_SSH_COMMAND, ours, is what runs
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "filter.lfs.smudge=",
    "filter.lfs.process=",
    "filter.lfs.required=false",
    "credential.helper=",
    "http.sslVerify=true",
    "transfer.credentialsInUrl=die",
    "gc.auto=0",
    "maintenance.auto=false",
)
#: The only ssh git may run: never prompts, accepts a new host key, refuses a changed one.
SAFE_SSH_COMMAND = "ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new"
#: How often the watched folder's size and the clock are checked while git runs.
POLL_SECONDS = 0.2
#: Time allowed for quick local questions to a clone (rev-parse, config).
LOCAL_TIMEOUT = 60.0
#: git's last words after any transport failure; the line before it says what went wrong.
GENERIC_FAILURE = "Could not read from remote repository."
#: Characters of a failure's reason kept.
MAX_REASON = 300

#: How GitPython wraps git's stderr in a `GitCommandError`.
_GITPYTHON_STDERR = "\n  stderr: '"


# the hardened runners ---------------------------------------------------------------------
def hardened_git(root: Path) -> git.Git:
    """A GitPython command runner whose every call carries the hardened config."""
    runner = git.Git(str(root))
    runner.set_persistent_git_options(c=list(HARDENED_GIT_CONFIG))
    runner.update_environment(**HARDENED_GIT_ENV)
    return runner


def git_command(*args: str, scheme: str | None) -> list[str]:
    """`git` with every clone setting, allowing only `scheme`'s transport (None: none)."""
    config = list(CLONE_GIT_CONFIG)
    if scheme is not None:
        if scheme not in URL_SCHEMES:
            raise ValueError(f"unsupported transport {scheme!r}")
        config.append(f"protocol.{scheme}.allow=always")
    return ["git", *(part for item in config for part in ("-c", item)), *args]


def git_environment(scheme: str | None) -> dict[str, str]:
    """The caller's environment without its `GIT_*` variables, plus the hardened ones."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.pop("LANGUAGE", None)
    env.update(HARDENED_GIT_ENV)
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_LFS_SKIP_SMUDGE": "1",
            "GIT_SSH_COMMAND": SAFE_SSH_COMMAND,
            "GIT_SSH_VARIANT": "ssh",
            # overrides every protocol.*.allow: only the target's own transport
            "GIT_ALLOW_PROTOCOL": scheme or "none",
            "LC_ALL": "C",  # git's messages untranslated, so `fatal:` can be found
        }
    )
    return env


# bounded runs -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class GitRun:
    """How a bounded git run ended: its exit status and stderr, or the limit that stopped it."""

    returncode: int
    stderr: bytes
    stopped: Literal["time", "size"] | None = None


def run_bounded(
    args: list[str],
    *,
    scheme: str | None,
    cwd: Path,
    watch: Path,
    max_bytes: int,
    timeout: float,
) -> GitRun:
    """Run hardened git in its own process group; kill the group when `watch` grows past
    `max_bytes` or the run takes longer than `timeout` seconds (or this process is
    interrupted). Raises `OSError` when git cannot be started."""
    deadline = time.monotonic() + timeout
    process = subprocess.Popen(
        git_command(*args, scheme=scheme),
        cwd=cwd,
        env=git_environment(scheme),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: killed with its helpers
    )
    stopped: Literal["time", "size"] | None = None
    stderr = b""
    with process:
        try:
            while True:
                try:
                    _, stderr = process.communicate(
                        timeout=max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))
                    )
                    break
                except subprocess.TimeoutExpired:
                    pass
                if time.monotonic() >= deadline:
                    stopped = "time"
                elif directory_size(watch) > max_bytes:
                    stopped = "size"
                if stopped:
                    _kill_group(process.pid)
                    _, stderr = process.communicate()
                    break
        except BaseException:  # an interrupted batch: git, in its own session, stops too
            _kill_group(process.pid)
            raise
    if stopped is None and process.returncode == 0 and directory_size(watch) > max_bytes:
        stopped = "size"
    return GitRun(returncode=process.returncode, stderr=stderr, stopped=stopped)


def git_output(root: Path, *args: str) -> str:
    """stdout of a quick, local git question about the bare repository `root`; "" on any
    failure (including a run longer than `LOCAL_TIMEOUT`)."""
    try:
        result = subprocess.run(
            git_command(f"--git-dir={root}", *args, scheme=None),
            cwd=root,
            env=git_environment(None),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=LOCAL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def directory_size(path: Path) -> int:
    """Bytes of the regular files under `path` (symlinks not followed; 0 if missing)."""
    total = 0
    stack = [path]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(Path(entry.path))
                        else:
                            total += entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return total


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# the one error text -----------------------------------------------------------------------
def git_reason(stderr: bytes | str, returncode: int | str | None) -> str:
    """git's last `fatal:` (or `error:`) line, or the line that explains a generic one; its
    last line when it has neither. One line, passwords redacted, at most MAX_REASON
    characters."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("Cloning into")]
    found: list[int] = []
    for prefix in ("fatal:", "error:"):
        found = [index for index, line in enumerate(lines) if line.startswith(prefix)]
        if found:
            break
    if not found:
        reason = lines[-1] if lines else f"git exited with {returncode}"
    else:
        index = found[-1]
        if lines[index].endswith(GENERIC_FAILURE) and index > 0:
            index -= 1  # a server's or ssh's own words, or git's first fatal line
        reason = lines[index].removeprefix("fatal:").removeprefix("error:").strip()
        if reason.endswith(":") and index + 1 < len(lines):
            reason = f"{reason} {lines[index + 1]}"  # "unable to connect to host:" + why
    return one_line(redact(reason), limit=MAX_REASON)


def command_error_reason(error: git.CommandError) -> str:
    """`git_reason` of a GitPython error (whose stderr GitPython has wrapped)."""
    stderr = str(error.stderr or "")
    if stderr.startswith(_GITPYTHON_STDERR) and stderr.endswith("'"):
        stderr = stderr[len(_GITPYTHON_STDERR) : -1]
    return git_reason(stderr, error.status if isinstance(error.status, int | str) else None)
