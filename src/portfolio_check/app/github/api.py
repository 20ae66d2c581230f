"""A small GitHub REST client: the one pull-request comment that portfolio-check keeps, and
the list of an account's public repositories (`gh:USER`).

Standard library only (`urllib.request`). The comment is found by a hidden marker, updated
in place on later runs and left alone when nothing changed. An account's repositories are
read page by page and kept as checked names and flags only: no URL an answer supplies
(`clone_url`, `ssh_url`, `html_url`, ...) is ever kept, let alone contacted. Requests are
retried with exponential backoff on 5xx, 429 and network errors, and wait out a rate limit
when GitHub says how long (up to `MAX_RATE_LIMIT_WAIT`). The token goes only into the Authorization
header of requests to the configured API host: redirects and pagination links that lead
elsewhere are not followed, and no message or exception ever contains it. Reading public
repositories needs no token (`token=None`), at GitHub's lower anonymous rate limit.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import math
import re
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

from portfolio_check.app.github.answers import (
    OWNER_RE,
    AccountListing,
    AccountRepository,
    Comment,
    GitHubError,
    Repo,
    account_repository,
    listing,
    parse_comment,
)
from portfolio_check.app.github.comment import MARKER, marked, same_text
from portfolio_check.common.text_safety import one_line

#: The longest single wait (seconds) for a rate limit or a backoff; a longer limit fails.
MAX_RATE_LIMIT_WAIT = 60.0
#: Pages of 100 comments read at most while looking for the marker.
MAX_PAGES = 100
API_VERSION = "2022-11-28"
USER_AGENT = "portfolio-check"

_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
_MAX_DETAIL_CHARS = 200
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LINK_RE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")

_LIST = "list the pull-request comments"
_REPOSITORIES = "list the repositories of {user}"
_REPOSITORY = "read the repository {repo}"
_CREATE = "create the pull-request comment"
_UPDATE = "update the pull-request comment"
_DELETE = "delete the pull-request comment"
_PULL = "read the pull request"


class GitHubClient:
    """Finds, creates, updates and deletes the marked comment on an issue or pull request."""

    def __init__(
        self,
        *,
        token: str | None,
        api_url: str = "https://api.github.com",
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if token is not None:
            token = token.strip()
            if not token:
                raise GitHubError("no GitHub token given (set GITHUB_TOKEN)")
        if token is not None and any(char.isspace() or not char.isprintable() for char in token):
            raise GitHubError("the GitHub token contains spaces or control characters")
        api_url = api_url.strip().rstrip("/")
        parts = urllib.parse.urlsplit(api_url)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.query:
            raise GitHubError(
                f"GitHub API URL must be an http(s) address like https://api.github.com, "
                f"got {api_url[:100]!r}"
            )
        if retries < 0 or timeout <= 0 or backoff < 0:
            raise ValueError("retries and backoff must be >= 0 and timeout > 0")
        self._token = token
        self.api_url = api_url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if token is not None:
            self._headers["Authorization"] = f"Bearer {token}"
        self._opener = urllib.request.build_opener(_SameOriginRedirects())

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r})"

    # -- the comment ------------------------------------------------------------------

    def find_comment(self, repo: Repo, number: int) -> Comment | None:
        """The oldest comment on issue/PR `number` whose body contains `MARKER`."""
        url = f"{self._issue_url(repo, number)}/comments?per_page=100&page=1"
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            seen.add(url)
            response = self._call("GET", url, action=_LIST)
            if not isinstance(response.data, list):
                raise GitHubError(f"GitHub did not answer with a list of comments ({_path(url)})")
            for item in response.data:
                comment = parse_comment(item)
                if MARKER in comment.body:
                    return comment
            following = _next_link(response.headers.get("Link"))
            if following is None:
                return None
            following = urllib.parse.urljoin(url, following)
            if following in seen or not _same_origin(following, self.api_url):
                return None
            url = following
        return None

    def upsert_comment(self, repo: Repo, number: int, body: str) -> Comment:
        """Make our comment say `body` (truncated, marker added): update it, or create it.
        An identical existing comment is left untouched."""
        text = marked(body)
        existing = self.find_comment(repo, number)
        if existing is None:
            created = self._create(repo, number, text)
            if same_text(created.body, text):
                return created
            existing = created  # a comment another attempt or run had just made
        if same_text(existing.body, text):
            return existing
        url = f"{self._repo_url(repo)}/issues/comments/{existing.id}"
        return parse_comment(self._call("PATCH", url, {"body": text}, action=_UPDATE).data)

    def delete_comment(self, repo: Repo, number: int) -> bool:
        """Delete our comment if there is one; whether one was deleted."""
        existing = self.find_comment(repo, number)
        if existing is None:
            return False

        def check_gone() -> None:
            still = self.find_comment(repo, number)
            if still is None or still.id != existing.id:
                raise _Done(existing)

        url = f"{self._repo_url(repo)}/issues/comments/{existing.id}"
        with contextlib.suppress(_Done):
            self._call("DELETE", url, action=_DELETE, before_retry=check_gone)
        return True

    def pull_request_head(self, repo: Repo, number: int) -> str:
        """The commit at the head of pull request `number` now (its `head.sha`)."""
        if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
            raise GitHubError(f"pull-request number must be a positive integer, got {number!r}")
        response = self._call("GET", f"{self._repo_url(repo)}/pulls/{number}", action=_PULL)
        head = response.data.get("head") if isinstance(response.data, dict) else None
        sha = head.get("sha") if isinstance(head, dict) else None
        if not isinstance(sha, str) or not sha:
            raise GitHubError(f"GitHub answered pull request {number} without a head commit")
        return sha

    def _create(self, repo: Repo, number: int, text: str) -> Comment:
        # POST is not idempotent: after a failure that may have reached GitHub (5xx,
        # timeout, dropped connection), look for the comment before posting again.
        def check_landed() -> None:
            found = self.find_comment(repo, number)
            if found is not None:
                raise _Done(found)

        url = f"{self._issue_url(repo, number)}/comments"
        try:
            response = self._call(
                "POST", url, {"body": text}, action=_CREATE, before_retry=check_landed
            )
        except _Done as done:
            return done.comment
        return parse_comment(response.data)

    # -- an account's repositories ------------------------------------------------------

    def list_repositories(self, user: str) -> AccountListing:
        """The public repositories `user` (a person or an organisation) owns, every page by
        the `Link` header. A next-page link that leaves the API (another host, port, scheme
        or path) is refused with `GitHubError`: the listing would be someone else's."""
        if not OWNER_RE.fullmatch(user):
            raise GitHubError(f"{user[:100]!r} is not a GitHub user or organisation name")
        owner = user
        action = _REPOSITORIES.format(user=owner)
        url = (
            f"{self.api_url}/users/{urllib.parse.quote(owner, safe='')}/repos"
            "?type=owner&sort=pushed&direction=desc&per_page=100"
        )
        found: dict[str, AccountRepository] = {}
        ignored = 0
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            seen.add(url)
            not_found = f"GitHub has no user or organisation {owner!r} (HTTP 404)"
            response = self._call("GET", url, action=action, not_found=not_found)
            if not isinstance(response.data, list):
                raise GitHubError(
                    f"GitHub did not answer with a list of repositories ({_path(url)})"
                )
            for item in response.data:
                repository = account_repository(item, owner)
                if repository is None or repository.name.casefold() in found:
                    ignored += 1
                    continue
                found[repository.name.casefold()] = repository
            following = _next_link(response.headers.get("Link"))
            if following is None:
                return listing(owner, found, ignored, truncated=False)
            following = urllib.parse.urljoin(url, following)
            if not self._on_api(following):
                where = urllib.parse.urlsplit(following).netloc or following[:100]
                raise GitHubError(
                    f"GitHub's next page of the repositories of {owner} is at another address "
                    f"({where}), outside {self.api_url}; not followed"
                )
            if following in seen:
                return listing(owner, found, ignored, truncated=False)
            url = following
        return listing(owner, found, ignored, truncated=True)

    def fork_parent(self, owner: str, name: str) -> Repo | None:
        """The repository a fork was made from, by its checked name (`parent` in the API's
        answer); None when the answer names none, or a name GitHub would refuse."""
        repo = Repo.parse(f"{owner}/{name}")
        action = _REPOSITORY.format(repo=repo)
        not_found = f"GitHub has no repository {repo} (HTTP 404)"
        response = self._call("GET", self._repo_url(repo), action=action, not_found=not_found)
        data = response.data if isinstance(response.data, dict) else {}
        parent = data.get("parent")
        if not isinstance(parent, dict):
            return None
        parent_owner = parent.get("owner")
        login = parent_owner.get("login") if isinstance(parent_owner, dict) else None
        parent_name = parent.get("name")
        if not isinstance(login, str) or not isinstance(parent_name, str):
            return None
        try:
            return Repo.parse(f"{login}/{parent_name}")
        except GitHubError:
            return None

    def _on_api(self, url: str) -> bool:
        """Whether `url` is on the API's origin and under its path (`/api/v3` on GitHub
        Enterprise): the only place a page link may lead."""
        if not _same_origin(url, self.api_url):
            return False
        base = urllib.parse.urlsplit(self.api_url).path.rstrip("/") + "/"
        return urllib.parse.urlsplit(url).path.startswith(base)

    # -- HTTP --------------------------------------------------------------------------

    def _repo_url(self, repo: Repo) -> str:
        owner, name = (urllib.parse.quote(part, safe="") for part in (repo.owner, repo.name))
        return f"{self.api_url}/repos/{owner}/{name}"

    def _issue_url(self, repo: Repo, number: int) -> str:
        if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
            raise GitHubError(f"pull-request number must be a positive integer, got {number!r}")
        return f"{self._repo_url(repo)}/issues/{number}"

    def _call(
        self,
        method: str,
        url: str,
        payload: Mapping[str, Any] | None = None,
        *,
        action: str,
        before_retry: Callable[[], None] | None = None,
        not_found: str | None = None,
    ) -> _Response:
        attempts = self.retries + 1
        attempt = 0
        while True:
            try:
                return self._send(method, url, payload, action, not_found)
            except _Retry as retry:
                attempt += 1
                if attempt >= attempts:
                    tries = "attempt" if attempts == 1 else "attempts"
                    raise GitHubError(
                        f"{retry.message} (gave up after {attempts} {tries})", retry.status
                    ) from None
                if retry.wait is None:
                    wait = min(self.backoff * 2 ** (attempt - 1), MAX_RATE_LIMIT_WAIT)
                else:
                    wait = retry.wait
                self._sleep(wait)
                if retry.maybe_done and before_retry is not None:
                    before_retry()

    def _send(
        self,
        method: str,
        url: str,
        payload: Mapping[str, Any] | None,
        action: str,
        not_found: str | None = None,
    ) -> _Response:
        headers = dict(self._headers)
        data = None
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                raw = response.read(_MAX_RESPONSE_BYTES + 1)
                status, received = response.status, response.headers
        except urllib.error.HTTPError as error:
            try:
                raw = error.read(64 * 1024)
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                error.close()
            failure = self._failure(method, url, error.code, error.headers, raw, action)
            if error.code == 404 and not_found is not None:
                failure = GitHubError(not_found, 404)
            raise failure from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = error.reason if isinstance(error, urllib.error.URLError) else error
            where = urllib.parse.urlsplit(url).netloc
            message = self._scrub(f"could not reach GitHub at {where}: {one_line(str(reason))}")
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise GitHubError(message) from None
            refused = isinstance(reason, ConnectionRefusedError)
            raise _Retry(message, None, None, maybe_done=not refused) from None
        if len(raw) > _MAX_RESPONSE_BYTES:
            raise GitHubError(f"GitHub's answer to {method} {_path(url)} is too large", status)
        if not raw.strip():
            return _Response(status, received, None)
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise GitHubError(
                f"GitHub's answer to {method} {_path(url)} is not JSON (HTTP {status})", status
            ) from None
        return _Response(status, received, parsed)

    def _failure(
        self,
        method: str,
        url: str,
        status: int,
        headers: Message,
        raw: bytes,
        action: str,
    ) -> Exception:
        detail = self._detail(raw)
        said = f": {detail}" if detail else ""
        if status in (403, 429):
            wait = _rate_limit_wait(headers, detail)
            if wait is not None and wait > MAX_RATE_LIMIT_WAIT:
                lifts = time.strftime("%H:%M UTC", time.gmtime(_server_now(headers) + wait))
                hint = "" if self._token else "; set GITHUB_TOKEN for a higher limit"
                return GitHubError(
                    f"GitHub rate limit reached (HTTP {status}) while trying to {action}; it "
                    f"lifts at {lifts}, in about {math.ceil(wait)} s, more than the "
                    f"{MAX_RATE_LIMIT_WAIT:.0f} s this tool waits: try again later{hint}",
                    status,
                )
            if wait is not None or status == 429:
                return _Retry(
                    f"GitHub kept rate-limiting the request to {action} (HTTP {status})",
                    status,
                    wait,
                    maybe_done=False,
                )
        if status >= 500:
            message = f"GitHub failed to {action} (HTTP {status}){said}"
            return _Retry(message, status, None, maybe_done=True)
        if status in (403, 404) and method != "GET":
            return GitHubError(
                f"GitHub refused to {action} (HTTP {status}): the token cannot write "
                "comments on this pull request (a pull request from a fork gets a read-only "
                "GITHUB_TOKEN; otherwise grant the workflow `pull-requests: write`)",
                status,
            )
        if status == 401:
            return GitHubError(
                "GitHub rejected the token (HTTP 401): it is missing, expired or revoked", 401
            )
        if status == 404:
            return GitHubError(
                f"GitHub could not {action} (HTTP 404): check the repository and the "
                "pull-request number, and that the token can read them",
                404,
            )
        if 300 <= status < 400:
            return GitHubError(
                f"GitHub redirected the request to {action} (HTTP {status}) to another "
                "address; not followed",
                status,
            )
        return GitHubError(f"GitHub refused to {action} (HTTP {status}){said}", status)

    def _detail(self, raw: bytes) -> str:
        """GitHub's own one-line explanation from an error body, if it gave one."""
        try:
            data = json.loads(raw)
        except ValueError:
            return ""
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, str):
            return ""
        message = one_line(message)
        if len(message) > _MAX_DETAIL_CHARS:
            message = message[: _MAX_DETAIL_CHARS - 3] + "..."
        return self._scrub(message)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


# -- helpers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Response:
    status: int
    headers: Message
    data: Any


class _Retry(Exception):
    """One attempt failed in a way worth retrying. `wait` None means: back off."""

    def __init__(
        self, message: str, status: int | None, wait: float | None, *, maybe_done: bool
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.wait = wait
        self.maybe_done = maybe_done  # the request may have taken effect before failing


class _Done(Exception):
    """A retried write turned out to have taken effect already."""

    def __init__(self, comment: Comment) -> None:
        super().__init__(comment.id)
        self.comment = comment


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only for GET and only on the same scheme, host and port: urllib
    would otherwise send the Authorization header to wherever the redirect points."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if req.get_method() != "GET" or not _same_origin(newurl, req.full_url):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    return scheme, parts.hostname.lower(), port


def _same_origin(url: str, base: str) -> bool:
    origin = _origin(url)
    return origin is not None and origin == _origin(base)


def _next_link(header: str | None) -> str | None:
    """The rel="next" target of a Link header."""
    for match in _LINK_RE.finditer(header or ""):
        for param in match.group(2).split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "rel" and "next" in value.strip().strip('"').split():
                return match.group(1).strip()
    return None


def _server_now(headers: Message) -> float:
    """GitHub's clock from the Date header (rate-limit resets are on its clock)."""
    date = headers.get("Date")
    if date:
        try:
            return email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            pass
    return time.time()


def _rate_limit_wait(headers: Message, detail: str) -> float | None:
    """Seconds GitHub asks us to wait, or None when this is not a rate limit."""
    retry_after = (headers.get("Retry-After") or "").strip()
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            when = email.utils.parsedate_to_datetime(retry_after).timestamp()
        except (TypeError, ValueError):
            pass
        else:
            return max(0.0, when - _server_now(headers))
    if (headers.get("x-ratelimit-remaining") or "").strip() == "0":
        try:
            reset = float((headers.get("x-ratelimit-reset") or "").strip())
        except ValueError:
            return MAX_RATE_LIMIT_WAIT
        return max(1.0, reset - _server_now(headers))
    if "rate limit" in detail.lower():  # a secondary rate limit: wait a minute
        return MAX_RATE_LIMIT_WAIT
    return None


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path
