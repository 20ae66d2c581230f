"""What a reviewer asks to scan: a folder, a git URL or `gh:owner/repo`, parsed and checked.

Accepted target specs:

- a local path (`./repo`, `/srv/repos/x`, `~/x`), existing or not: a missing folder is
  reported when it is scanned, not here. A path that starts with `-` must be written `./-x`;
  one whose first `:` comes before any `/` is read as scp-like ssh, as git reads it
  (write `./name:with:colon`);
- `https://host/owner/repo(.git)`;
- `http://` only for `127.0.0.1`, `localhost` or `[::1]`: without TLS anyone on the network
  path could change the code under review;
- `ssh://[user@]host[:port]/path` and scp-like `[user@]host:owner/repo.git`;
- `git://host[:port]/path` (the git daemon protocol);
- `file:///absolute/path` (a repository on this machine, cloned like a remote);
- `gh:owner/repo[@ref]`, short for `$GITHUB_SERVER_URL/owner/repo.git` at `ref`
  (`https://github.com` unless the variable GitHub Actions sets says otherwise).

`gh:USER` (no `/`) is not one repository but an account, a person or an organisation:
`github_account` reads it, and `candidate` lists its repositories. `parse_target` refuses it.

Only `gh:` takes a ref in the spec. An `@ref` or `#ref` suffix on a URL is not read: a `#` in
a URL is refused rather than silently ignored, and `@` is part of the URL (`git@host:...`).
Set `Target.ref` (`dataclasses.replace(target, ref=check_ref(ref))`) for any other target.

Refused with `TargetError` and a one-line reason: git's `<transport>::<address>` forms (such
as `ext::`, which runs a program), other schemes, anything that git or ssh could read as an
option (a spec, user, host or path component starting with `-`), whitespace or control
characters in a URL, a password in a URL, query strings and fragments, empty specs, and refs
that start with `-` or are not valid git ref names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from portfolio_check.common.errors import TargetError
from portfolio_check.common.plural import counted
from portfolio_check.common.text_safety import has_control

TargetKind = Literal["path", "url"]

#: Schemes a URL target may use (`http` only for this machine).
URL_SCHEMES = ("https", "http", "ssh", "git", "file")
#: Hosts `http://` is allowed for: traffic that never leaves the machine.
LOCAL_HTTP_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
MAX_LABEL = 100
#: How many of an account's repositories `gh:USER` stands for, unless --max-repos says.
DEFAULT_MAX_REPOS = 30
#: Where `gh:` repositories are cloned from, unless `$GITHUB_SERVER_URL` names another server.
DEFAULT_GITHUB_SERVER = "https://github.com"

_TRANSPORT = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_HOST = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*|\[[0-9A-Fa-f:.]+\])$")
_USER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
_LABEL = re.compile(rf"^[A-Za-z0-9_][A-Za-z0-9._-]{{0,{MAX_LABEL - 1}}}$")
_NOT_LABEL = re.compile(r"[^A-Za-z0-9._-]+")
_GH_OWNER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")
_GH_REPO = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_BAD_REF_CHARS = re.compile(r"[~^:?*\[\\]")
_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


@dataclass(frozen=True, kw_only=True)
class Target:
    """One repository to scan, as parsed from what the user wrote."""

    spec: str  # as the user wrote it
    label: str  # safe as a file name: [A-Za-z0-9._-], never empty, `.` or `..`
    kind: TargetKind
    location: str  # an absolute local path, or the URL to clone
    ref: str | None = None  # branch, tag or full commit sha; None: the default branch

    @property
    def scheme(self) -> str | None:
        """The URL's transport (`https`, `ssh`, ...; scp-like is `ssh`), None for a path."""
        if self.kind != "url":
            return None
        match = _SCHEME.match(self.location)
        return match.group(1).lower() if match else "ssh"


def parse_target(spec: str, label: str | None = None) -> Target:
    """Parse one target spec (see the module docstring). Raises `TargetError`."""
    text = spec.strip()
    shown = redact(text)
    if not text:
        raise TargetError("empty target: give a path, a git URL or gh:owner/repo")
    if has_control(text):
        raise TargetError(f"{shown!r}: control characters are not allowed in a target")
    if text.startswith("-"):
        raise TargetError(
            f"{shown}: a target cannot start with '-' (git would read it as an option); "
            "write ./name for a folder"
        )
    if text.startswith("gh:"):
        target = _github(text)
    elif _TRANSPORT.match(text):
        transport = text.split("::", 1)[0]
        raise TargetError(
            f"{shown}: git's '{transport}::' transport syntax is refused (such transports "
            "can run programs); use an https://, ssh://, git:// or file:// URL"
        )
    elif _SCHEME.match(text):
        target = _url(text)
    elif _is_scp_like(text):
        target = _scp(text)
    else:
        location = str(Path(text).expanduser().resolve())
        target = Target(
            spec=text, label=slug_label(Path(location).name), kind="path", location=location
        )
    if label is not None:
        target = Target(
            spec=target.spec,
            label=check_label(label),
            kind=target.kind,
            location=target.location,
            ref=target.ref,
        )
    return target


def check_label(label: str) -> str:
    """Return `label` if it is safe as a file name, else raise `TargetError`."""
    if not _LABEL.match(label):
        raise TargetError(
            f"label {label!r}: use 1-{MAX_LABEL} letters, digits, '.', '_' or '-', "
            "not starting with '.' or '-'"
        )
    return label


def check_ref(ref: str) -> str:
    """Return `ref` if it is a plausible branch, tag or commit name, else raise `TargetError`."""
    if not ref:
        raise TargetError("empty ref: give a branch, a tag or a commit sha")
    if _space_or_control(ref):
        raise TargetError(f"ref {ref!r}: whitespace and control characters are not allowed")
    if ref.startswith("-"):
        raise TargetError(f"ref {ref!r}: cannot start with '-' (git would read it as an option)")
    if ".." in ref:
        raise TargetError(f"ref {ref!r}: cannot contain '..'")
    if (
        _BAD_REF_CHARS.search(ref)
        or "@{" in ref
        or "//" in ref
        or ref.startswith("/")
        or ref.endswith(("/", ".", ".lock"))
        or any(part.startswith(".") for part in ref.split("/"))
    ):
        raise TargetError(f"ref {ref!r}: not a valid branch, tag or commit name")
    return ref


def github_account(spec: str) -> str | None:
    """The user or organisation of a `gh:USER` spec (no `/`, no `@ref`); None for any other
    spec. Raises `TargetError` for a `gh:` spec with no `/` whose name GitHub would refuse."""
    text = spec.strip()
    if not text.startswith("gh:") or "/" in text:
        return None
    user = text[len("gh:") :]
    if "@" in user:
        raise TargetError(f"{text}: an account has no ref; write gh:USER, or gh:owner/repo@ref")
    if not _GH_OWNER.match(user) or user.endswith("-") or "--" in user:
        raise TargetError(f"{text}: {user!r} is not a GitHub user or organisation name")
    return user


def is_github_name(owner: str, repo: str) -> bool:
    """Whether `owner/repo` is a GitHub account and repository name: the check every name
    an API answer supplies passes before it is used in a URL or a file name."""
    return bool(_GH_OWNER.match(owner)) and bool(_GH_REPO.match(repo)) and repo not in {".", ".."}


def github_server_url() -> str:
    """`$GITHUB_SERVER_URL` (as GitHub Actions sets it; GitHub Enterprise works), or
    `https://github.com`. Checked as any target URL is: a refused one is a `TargetError`."""
    server = (os.environ.get("GITHUB_SERVER_URL") or DEFAULT_GITHUB_SERVER).strip().rstrip("/")
    try:
        checked = _url(server + "/owner/repo.git")
    except TargetError as error:
        raise TargetError(f"GITHUB_SERVER_URL: {error}") from None
    return checked.location.removesuffix("/owner/repo.git")


def github_target(
    owner: str, repo: str, *, ref: str | None = None, label: str | None = None
) -> Target:
    """The repository `owner/repo` on the GitHub server, spelled `gh:owner/repo[@ref]`, cloned
    from `$GITHUB_SERVER_URL/owner/repo.git`: the only URL a `gh:` target ever clones."""
    spec = f"gh:{owner}/{repo}" + (f"@{ref}" if ref is not None else "")
    if not is_github_name(owner, repo):
        raise TargetError(f"{spec}: not a GitHub owner/repository name")
    return Target(
        spec=spec,
        label=check_label(label) if label is not None else slug_label(f"{owner}-{repo}"),
        kind="url",
        location=f"{github_server_url()}/{owner}/{repo}.git",
        ref=_ref_in(spec, ref) if ref is not None else None,
    )


def redact(text: str) -> str:
    """`text` with any password in a `scheme://user:password@` URL replaced by `***`."""
    return _PASSWORD.sub(r"\1***@", text)


@dataclass(frozen=True, kw_only=True)
class ListedTarget:
    """One line of a target list that names something: its number and its words."""

    number: int
    words: tuple[str, ...]

    @property
    def spec(self) -> str:
        return self.words[0]

    @property
    def label(self) -> str | None:
        return self.words[1] if len(self.words) > 1 else None

    def problem(self) -> str | None:
        """Why the line is not `TARGET [LABEL]`, or None."""
        if len(self.words) <= 2:
            return None
        return f"expected a target and an optional label, found {counted(len(self.words), 'word')}"


def target_lines(path: Path) -> list[ListedTarget]:
    """The lines of a target list (`--from`) that name something: one target a line, an
    optional label after whitespace, `#` comments. Blank lines and comments are skipped; a
    `#` that starts a word begins a comment. Paths with spaces cannot be listed. Raises
    `TargetError` for a file that cannot be read as UTF-8 text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TargetError(f"{path}: not a UTF-8 text file") from None
    except OSError as error:
        raise TargetError(f"{path}: cannot read the target list ({error.strerror})") from None
    lines: list[ListedTarget] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        for index, word in enumerate(words):
            if word.startswith("#"):
                words = words[:index]
                break
        if words:
            lines.append(ListedTarget(number=number, words=tuple(words)))
    return lines


def read_target_list(path: Path) -> list[Target]:
    """Targets from a target list (the format of `target_lines`), each with its own label.

    A repeated label gets `-2`, `-3`, ... (`unique_label`). Errors name the file and the line.
    """
    targets: list[Target] = []
    used: set[str] = set()
    for line in target_lines(path):
        problem = line.problem()
        if problem is not None:
            raise TargetError(f"{path}:{line.number}: {problem}")
        try:
            target = parse_target(line.spec, line.label)
        except TargetError as error:
            raise TargetError(f"{path}:{line.number}: {error}") from None
        label = unique_label(target.label, used)
        used.add(label.casefold())
        targets.append(replace(target, label=label))
    return targets


def unique_label(label: str, used: set[str]) -> str:
    """`label`, or `label-2`, `-3`, ... : the first not in `used` (casefolded labels),
    compared without case for case-insensitive file systems."""
    if label.casefold() not in used:
        return label
    counter = 2
    while True:
        suffix = f"-{counter}"
        candidate = label[: MAX_LABEL - len(suffix)] + suffix
        if candidate.casefold() not in used:
            return candidate
        counter += 1


# the forms ----------------------------------------------------------------------------------
def _github(spec: str) -> Target:
    body, at, ref = spec[len("gh:") :].partition("@")
    owner, slash, repo = body.partition("/")
    repo = repo.removesuffix(".git")
    if not slash and owner and not at:
        raise TargetError(
            f"{spec}: names an account, not a repository; scan a person's repositories on "
            "their own (portfolio-check gh:USER -o DIR)"
        )
    if not slash or not owner or not repo:
        raise TargetError(f"{spec}: expected gh:owner/repo or gh:owner/repo@ref")
    if owner.startswith("-") or repo.startswith("-"):
        raise TargetError(f"{spec}: owner and repository cannot start with '-'")
    if not _GH_OWNER.match(owner):
        raise TargetError(f"{spec}: {owner!r} is not a GitHub user or organisation name")
    if not _GH_REPO.match(repo) or repo in {".", ".."}:
        raise TargetError(f"{spec}: {repo!r} is not a GitHub repository name")
    target = github_target(owner, repo, ref=ref if at else None)
    return replace(target, spec=spec)


def _url(spec: str) -> Target:
    shown = redact(spec)
    if _space_or_control(spec):
        raise TargetError(f"{shown!r}: whitespace is not allowed in a URL")
    match = _SCHEME.match(spec)
    assert match is not None
    scheme = match.group(1).lower()
    if scheme not in URL_SCHEMES:
        raise TargetError(
            f"{shown}: the {scheme}:// scheme is not supported "
            "(use https://, ssh://, git://, file:// or a local path)"
        )
    if "#" in spec:
        raise TargetError(
            f"{shown}: '#' is not allowed in a URL (a '#ref' suffix is not read; "
            "set the ref separately, or use gh:owner/repo@ref)"
        )
    if "?" in spec:
        raise TargetError(f"{shown}: query strings are not allowed in a repository URL")
    location = scheme + spec[len(scheme) :]
    netloc, _, path = location[match.end() :].partition("/")
    path = "/" + path
    if scheme == "file":
        if netloc:
            raise TargetError(f"{shown}: write file:///absolute/path (no host)")
    else:
        host = _check_netloc(shown, netloc)
        if scheme == "http" and host.lower() not in LOCAL_HTTP_HOSTS:
            raise TargetError(
                f"{shown}: http:// is only allowed for 127.0.0.1 and localhost; without TLS "
                "anyone on the network path can change the code under review (use https://)"
            )
    segments = _check_path(shown, path)
    return Target(spec=spec, label=_url_label(segments, netloc), kind="url", location=location)


def _is_scp_like(spec: str) -> bool:
    colon = spec.find(":")
    return colon > 0 and "/" not in spec[:colon]


def _scp(spec: str) -> Target:
    shown = redact(spec)
    if _space_or_control(spec):
        raise TargetError(f"{shown!r}: whitespace is not allowed in a URL")
    netloc, _, path = spec.partition(":")
    if "#" in path or "?" in path:
        raise TargetError(f"{shown}: '#' and '?' are not allowed in a repository address")
    _check_netloc(shown, netloc, allow_port=False)
    segments = _check_path(shown, path)
    return Target(spec=spec, label=_url_label(segments, netloc), kind="url", location=spec)


def _check_netloc(shown: str, netloc: str, *, allow_port: bool = True) -> str:
    """Check `[user@]host[:port]`; return the host."""
    if "%" in netloc:
        raise TargetError(f"{shown}: percent-encoding is not allowed in the user or host")
    userinfo, at, hostport = netloc.rpartition("@")
    if at:
        user, colon, _ = userinfo.partition(":")
        if colon:
            raise TargetError(
                f"{shown}: a password or token in the URL is refused "
                "(it would be stored and shown); use an ssh:// URL with a key"
            )
        if user.startswith("-"):
            raise TargetError(f"{shown}: the user name cannot start with '-'")
        if not _USER.match(user):
            raise TargetError(f"{shown}: {user!r} is not a valid user name")
    host, port, has_port = hostport, "", False
    if allow_port and hostport.startswith("["):
        host, bracket, rest = hostport.partition("]")
        host += bracket
        if not bracket or (rest and not rest.startswith(":")):
            raise TargetError(f"{shown}: malformed host {hostport!r}")
        port, has_port = rest[1:], bool(rest)
    elif allow_port:
        host, colon, port = hostport.partition(":")
        has_port = bool(colon)
    if has_port and not (port.isdigit() and 0 < int(port) < 65536):
        raise TargetError(f"{shown}: {port!r} is not a port number")
    if not host:
        raise TargetError(f"{shown}: the URL has no host")
    if host.startswith("-"):
        raise TargetError(f"{shown}: the host cannot start with '-' (ssh would read an option)")
    if not _HOST.match(host):
        raise TargetError(f"{shown}: {host!r} is not a valid host name")
    return host


def _check_path(shown: str, path: str) -> list[str]:
    """Check a repository path; return its decoded, non-empty segments."""
    segments = [unquote(segment) for segment in path.split("/") if segment]
    if not segments:
        raise TargetError(f"{shown}: the URL names no repository path")
    for segment in segments:
        if segment.startswith("-"):
            raise TargetError(
                f"{shown}: a path component cannot start with '-' (git would read an option)"
            )
        if has_control(segment):
            raise TargetError(f"{shown}: control characters are not allowed in the path")
    return segments


def _space_or_control(text: str) -> bool:
    return has_control(text) or any(char.isspace() for char in text)


def _ref_in(spec: str, ref: str) -> str:
    try:
        return check_ref(ref)
    except TargetError as error:
        raise TargetError(f"{spec}: {error}") from None


def _url_label(segments: list[str], netloc: str) -> str:
    parts = [*segments[:-1], segments[-1].removesuffix(".git")] if segments else []
    parts = [part for part in parts if part and part != "~"][-2:]
    return slug_label("-".join(parts) or netloc.rpartition("@")[2])


def slug_label(text: str) -> str:
    """A label made from any text: runs of other characters become `-`."""
    slug = _NOT_LABEL.sub("-", text).strip("-.")
    slug = re.sub(r"-{2,}", "-", slug)[:MAX_LABEL].rstrip("-.")
    return slug or "target"
