"""The sticky-comment client against a real HTTP server that plays GitHub's issue-comments API.

The server keeps comments in memory and records every request it receives, so each test
checks what GitHub would have seen (and what a user would read), not the client's internals.
"""

from __future__ import annotations

import json
import math
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

import pytest

from portfolio_check.app.github.answers import Comment, GitHubError, Repo
from portfolio_check.app.github.api import GitHubClient
from portfolio_check.app.github.comment import MARKER, MAX_COMMENT_CHARS, truncate
from portfolio_check.common.errors import PortfolioCheckError

TOKEN = "ghs_s3cretT0kenForTests0123456789"
REPO = Repo("octo", "churnwatch")
PR = 7
COMMENTS_PATH = "/repos/octo/churnwatch/issues/7/comments"
NOTE = "> Truncated: the full scorecard is in the job summary and the workflow artifact."
FIXED_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"
FIXED_EPOCH = 1445412480


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: Any


@dataclass
class Fault:
    """The next request with this method gets this answer instead of the normal one."""

    method: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    apply: bool = False  # carry out the request first, then answer with the fault
    hold: threading.Event | None = None  # wait for this before answering


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so that server_close() joins every handler thread
    fake: FakeGitHub

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out has gone away; writing to it fails. Nothing to report."""


class FakeGitHub:
    """Just enough of the issue-comments API, in memory, on 127.0.0.1."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.comments: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
        self.requests: list[Seen] = []
        self.faults: list[Fault] = []
        self.link_base: str | None = None  # origin written into Link headers
        self.holds: list[threading.Event] = []  # released when the server stops
        self.pulls: dict[int, str] = {}  # pull-request number -> its head commit
        self.lock = threading.Lock()
        self._next_id = 1000
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.fake = self
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.origin + self.prefix

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        for hold in self.holds:
            hold.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def add(self, body: str, login: str = "someone", number: int = PR) -> dict[str, Any]:
        with self.lock:
            return self._create("octo", "churnwatch", number, body, login)

    def bodies(self, number: int = PR) -> list[str]:
        return [c["body"] for c in self.comments.get(("octo", "churnwatch", number), [])]

    def calls(self) -> list[tuple[str, str]]:
        return [(seen.method, seen.path) for seen in self.requests]

    def _create(self, owner: str, name: str, number: int, body: str, login: str) -> dict[str, Any]:
        self._next_id += 1
        comment = {
            "id": self._next_id,
            "body": body,
            "user": {"login": login},
            "html_url": f"https://github.com/{owner}/{name}/pull/{number}#issuecomment-{self._next_id}",
            "url": f"{self.api_url}/repos/{owner}/{name}/issues/comments/{self._next_id}",
        }
        self.comments.setdefault((owner, name, number), []).append(comment)
        return comment

    def route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, host: str
    ) -> tuple[int, Any, dict[str, str]]:
        if not path.startswith(self.prefix + "/repos/"):
            return 404, {"message": "Not Found"}, {}
        parts = path[len(self.prefix + "/repos/") :].split("/")
        if (
            len(parts) == 5
            and parts[2] == "issues"
            and parts[3].isdigit()
            and parts[4] == "comments"
        ):
            return self._issue_comments(
                method, parts[0], parts[1], int(parts[3]), query, body, host
            )
        if len(parts) == 5 and parts[2:4] == ["issues", "comments"] and parts[4].isdigit():
            return self._one_comment(method, int(parts[4]), body)
        if len(parts) == 4 and parts[2] == "pulls" and parts[3].isdigit() and method == "GET":
            head = self.pulls.get(int(parts[3]))
            if head is not None:
                return 200, {"number": int(parts[3]), "head": {"sha": head}}, {}
        return 404, {"message": "Not Found"}, {}

    def _issue_comments(
        self,
        method: str,
        owner: str,
        name: str,
        number: int,
        query: dict[str, list[str]],
        body: Any,
        host: str,
    ) -> tuple[int, Any, dict[str, str]]:
        if method == "POST":
            return 201, self._create(owner, name, number, body["body"], "github-actions[bot]"), {}
        if method != "GET":
            return 404, {"message": "Not Found"}, {}
        items = self.comments.get((owner, name, number), [])
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max(1, math.ceil(len(items) / per_page))
        base = (self.link_base or f"http://{host}") + self.prefix
        link = f"{base}/repos/{owner}/{name}/issues/{number}/comments?per_page={per_page}&page="
        headers = {}
        if page < last:
            headers["Link"] = f'<{link}{page + 1}>; rel="next", <{link}{last}>; rel="last"'
        return 200, items[(page - 1) * per_page : page * per_page], headers

    def _one_comment(self, method: str, ident: int, body: Any) -> tuple[int, Any, dict[str, str]]:
        for items in self.comments.values():
            for index, comment in enumerate(items):
                if comment["id"] != ident:
                    continue
                if method == "PATCH":
                    comment["body"] = body["body"]
                    return 200, comment, {}
                if method == "DELETE":
                    del items[index]
                    return 204, None, {}
        return 404, {"message": "Not Found"}, {}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads `requests`, not a log."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = cast(_Server, self.server).fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        query = parse_qs(parts.query)
        headers = {key.lower(): value for key, value in self.headers.items()}
        with fake.lock:
            fake.requests.append(Seen(self.command, parts.path, query, headers, body))
            fault = next((f for f in fake.faults if f.method == self.command), None)
            if fault is not None:
                fake.faults.remove(fault)
            if headers.get("authorization") != f"Bearer {TOKEN}":
                answer: tuple[int, Any, dict[str, str]] = (401, {"message": "Bad credentials"}, {})
            elif fault is None or fault.apply:
                answer = fake.route(self.command, parts.path, query, body, self.headers["Host"])
        if fault is not None:
            if fault.hold is not None:
                fault.hold.wait(10)
            answer = (fault.status, fault.body, fault.headers)
        self._reply(*answer)

    def _reply(self, status: int, payload: Any, headers: dict[str, str]) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        if "Date" in headers:
            self.send_response_only(status)
        else:
            self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if data:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def elsewhere() -> Iterator[FakeGitHub]:
    """A second server: another origin, which must never receive a request (or the token)."""
    fake = FakeGitHub()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client_for(fake: FakeGitHub, sleeps: list[float], **options: Any) -> GitHubClient:
    return GitHubClient(token=TOKEN, api_url=fake.api_url, sleep=sleeps.append, **options)


def assert_safe_message(error: BaseException) -> None:
    """One line for a person, and never the token."""
    text = str(error)
    assert TOKEN not in text and TOKEN not in repr(error)
    assert "\n" not in text and text.strip() == text and text


# -- create, update, leave alone, delete ------------------------------------------------


def test_first_run_creates_one_marked_comment(github: FakeGitHub, sleeps: list[float]) -> None:
    comment = client_for(github, sleeps).upsert_comment(REPO, PR, "## Scorecard\n\n72 / 100")

    assert github.calls() == [("GET", COMMENTS_PATH), ("POST", COMMENTS_PATH)]
    sent = github.requests[1].body
    assert sent == {"body": f"{MARKER}\n## Scorecard\n\n72 / 100"}
    assert github.bodies() == [sent["body"]]
    assert comment == Comment(
        id=github.comments["octo", "churnwatch", PR][0]["id"],
        body=sent["body"],
        url=f"https://github.com/octo/churnwatch/pull/7#issuecomment-{comment.id}",
    )


def test_second_run_updates_the_same_comment(github: FakeGitHub, sleeps: list[float]) -> None:
    client = client_for(github, sleeps)
    first = client.upsert_comment(REPO, PR, "score 60")
    second = client.upsert_comment(REPO, PR, "score 75")

    assert second.id == first.id
    assert github.bodies() == [f"{MARKER}\nscore 75"]
    assert github.calls()[2:] == [
        ("GET", COMMENTS_PATH),
        ("PATCH", f"/repos/octo/churnwatch/issues/comments/{first.id}"),
    ]
    assert github.requests[3].body == {"body": f"{MARKER}\nscore 75"}


def test_body_that_already_carries_the_marker_is_sent_as_is(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    body = f"## Scorecard\n{MARKER}\n"
    client_for(github, sleeps).upsert_comment(REPO, PR, body)
    assert github.bodies() == [body]


def test_identical_body_is_not_written_again(github: FakeGitHub, sleeps: list[float]) -> None:
    client = client_for(github, sleeps)
    first = client.upsert_comment(REPO, PR, "score 60")
    again = client.upsert_comment(REPO, PR, "score 60")

    assert again == first
    assert [method for method, _ in github.calls()] == ["GET", "POST", "GET"]


def test_delete_removes_only_our_comment(github: FakeGitHub, sleeps: list[float]) -> None:
    github.add("LGTM", login="reviewer")
    client = client_for(github, sleeps)
    ours = client.upsert_comment(REPO, PR, "score 60")

    assert client.delete_comment(REPO, PR) is True
    assert github.bodies() == ["LGTM"]
    assert github.calls()[-1] == ("DELETE", f"/repos/octo/churnwatch/issues/comments/{ours.id}")

    count = len(github.requests)
    assert client.delete_comment(REPO, PR) is False
    assert [seen.method for seen in github.requests[count:]] == ["GET"]


# -- finding the comment --------------------------------------------------------------------


def test_lookup_follows_pagination_to_the_third_page(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    for index in range(250):
        github.add(f"comment {index}")
    ours = github.add(f"{MARKER}\nold scorecard", login="github-actions[bot]")

    found = client_for(github, sleeps).find_comment(REPO, PR)

    assert found is not None and found.id == ours["id"] and found.body == ours["body"]
    assert [(seen.path, seen.query) for seen in github.requests] == [
        (COMMENTS_PATH, {"per_page": ["100"], "page": [str(page)]}) for page in (1, 2, 3)
    ]


def test_update_after_paginated_lookup_patches_not_posts(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    for index in range(250):
        github.add(f"comment {index}")
    ours = github.add(f"{MARKER}\nold scorecard", login="github-actions[bot]")

    client_for(github, sleeps).upsert_comment(REPO, PR, "new scorecard")

    assert [method for method, _ in github.calls()] == ["GET", "GET", "GET", "PATCH"]
    assert github.bodies()[-1] == f"{MARKER}\nnew scorecard"
    assert len(github.bodies()) == 251 and github.bodies()[250] == ours["body"]


def test_marker_found_among_other_bots_comments(github: FakeGitHub, sleeps: list[float]) -> None:
    github.add("<!-- codecov-report -->\nCoverage 81%", login="codecov[bot]")
    github.add("Bumps numpy from 1.26 to 2.0", login="dependabot[bot]")
    oldest = github.add(f"{MARKER}\nscore 40", login="github-actions[bot]")
    github.add("<!-- other-tool:summary -->\nall good", login="github-actions[bot]")
    github.add(f"{MARKER}\nscore 41 (a stray duplicate)", login="github-actions[bot]")
    client = client_for(github, sleeps)

    found = client.find_comment(REPO, PR)
    assert found is not None and found.id == oldest["id"]

    client.upsert_comment(REPO, PR, "score 42")
    assert github.calls()[-1] == ("PATCH", f"/repos/octo/churnwatch/issues/comments/{oldest['id']}")
    assert github.bodies() == [
        "<!-- codecov-report -->\nCoverage 81%",
        "Bumps numpy from 1.26 to 2.0",
        f"{MARKER}\nscore 42",
        "<!-- other-tool:summary -->\nall good",
        f"{MARKER}\nscore 41 (a stray duplicate)",
    ]


def test_no_comments_means_none(github: FakeGitHub, sleeps: list[float]) -> None:
    assert client_for(github, sleeps).find_comment(REPO, PR) is None
    assert len(github.requests) == 1


def test_link_to_another_host_is_not_followed(
    github: FakeGitHub, elsewhere: FakeGitHub, sleeps: list[float]
) -> None:
    github.link_base = elsewhere.origin
    for index in range(150):
        github.add(f"comment {index}")
    github.add(f"{MARKER}\nscore 40")

    assert client_for(github, sleeps).find_comment(REPO, PR) is None
    assert len(github.requests) == 1
    assert elsewhere.requests == []


def test_redirect_to_another_host_is_not_followed(
    github: FakeGitHub, elsewhere: FakeGitHub, sleeps: list[float]
) -> None:
    github.faults.append(Fault("GET", 302, {"Location": f"{elsewhere.origin}{COMMENTS_PATH}"}))

    with pytest.raises(GitHubError) as raised:
        client_for(github, sleeps).find_comment(REPO, PR)

    assert raised.value.status == 302
    assert "not followed" in str(raised.value)
    assert elsewhere.requests == []
    assert sleeps == []


def test_github_enterprise_api_url_with_path_prefix(sleeps: list[float]) -> None:
    ghes = FakeGitHub(prefix="/api/v3")
    ghes.start()
    try:
        for index in range(120):
            ghes.add(f"comment {index}")
        ghes.add(f"{MARKER}\nscore 40")
        client = GitHubClient(token=TOKEN, api_url=ghes.api_url + "/", sleep=sleeps.append)

        comment = client.upsert_comment(REPO, PR, "score 50")

        prefixed = f"/api/v3{COMMENTS_PATH}"
        assert ghes.calls() == [
            ("GET", prefixed),
            ("GET", prefixed),
            ("PATCH", f"/api/v3/repos/octo/churnwatch/issues/comments/{comment.id}"),
        ]
        assert [seen.query.get("page") for seen in ghes.requests[:2]] == [["1"], ["2"]]
        assert ghes.bodies()[-1] == f"{MARKER}\nscore 50"
    finally:
        ghes.stop()


# -- what is sent ---------------------------------------------------------------------------


def test_every_request_carries_auth_and_api_headers(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    client = client_for(github, sleeps)
    client.upsert_comment(REPO, PR, "score 60")
    client.upsert_comment(REPO, PR, "score 61")
    client.delete_comment(REPO, PR)

    assert [method for method, _ in github.calls()] == [
        "GET",
        "POST",
        "GET",
        "PATCH",
        "GET",
        "DELETE",
    ]
    for seen in github.requests:
        assert seen.headers["authorization"] == f"Bearer {TOKEN}"
        assert seen.headers["accept"] == "application/vnd.github+json"
        assert seen.headers["x-github-api-version"] == "2022-11-28"
        assert seen.headers["user-agent"] == "portfolio-check"
        if seen.method in {"POST", "PATCH"}:
            assert seen.headers["content-type"].startswith("application/json")
    assert TOKEN not in repr(client)


# -- failures a user meets ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "method", "status"),
    [(False, "POST", 403), (False, "POST", 404), (True, "PATCH", 403), (True, "DELETE", 403)],
)
def test_token_that_cannot_write_fails_once_with_a_clear_message(
    existing: bool, method: str, status: int, github: FakeGitHub, sleeps: list[float]
) -> None:
    if existing:
        github.add(f"{MARKER}\nscore 40")
    github.faults.append(
        Fault(method, status, body={"message": "Resource not accessible by integration"})
    )
    client = client_for(github, sleeps)

    with pytest.raises(GitHubError) as raised:
        if method == "DELETE":
            client.delete_comment(REPO, PR)
        else:
            client.upsert_comment(REPO, PR, "score 60")

    assert raised.value.status == status
    assert isinstance(raised.value, PortfolioCheckError)
    assert "cannot write comments" in str(raised.value)
    assert "fork" in str(raised.value)
    assert_safe_message(raised.value)
    assert [seen.method for seen in github.requests].count(method) == 1
    assert sleeps == []
    assert github.bodies() == ([f"{MARKER}\nscore 40"] if existing else [])


def test_502_twice_then_created(github: FakeGitHub, sleeps: list[float]) -> None:
    github.faults += [Fault("POST", 502), Fault("POST", 502)]

    comment = client_for(github, sleeps, retries=3, backoff=1.0).upsert_comment(
        REPO, PR, "score 60"
    )

    assert [seen.method for seen in github.requests].count("POST") == 3
    assert sleeps == [1.0, 2.0]
    assert github.bodies() == [f"{MARKER}\nscore 60"]
    assert comment.body == f"{MARKER}\nscore 60"


def test_post_that_failed_after_creating_is_not_posted_twice(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    github.faults.append(Fault("POST", 502, apply=True))

    comment = client_for(github, sleeps).upsert_comment(REPO, PR, "score 60")

    assert github.bodies() == [f"{MARKER}\nscore 60"]
    assert comment.id == github.comments["octo", "churnwatch", PR][0]["id"]
    assert [method for method, _ in github.calls()] == ["GET", "POST", "GET"]
    assert sleeps == [1.0]


def test_server_errors_forever_give_up_after_the_retries(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    github.faults += [Fault("GET", 503, body={"message": "Service unavailable"})] * 10

    with pytest.raises(GitHubError) as raised:
        client_for(github, sleeps, retries=2, backoff=0.5).find_comment(REPO, PR)

    assert raised.value.status == 503
    assert "HTTP 503" in str(raised.value) and "gave up after 3 attempts" in str(raised.value)
    assert_safe_message(raised.value)
    assert len(github.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_429_with_retry_after_waits_that_long(github: FakeGitHub, sleeps: list[float]) -> None:
    github.faults.append(Fault("GET", 429, {"Retry-After": "2"}, {"message": "Too many"}))

    assert client_for(github, sleeps).find_comment(REPO, PR) is None

    assert sleeps == [2.0]
    assert len(github.requests) == 2


def test_primary_rate_limit_waits_until_the_reset(github: FakeGitHub, sleeps: list[float]) -> None:
    headers = {
        "Date": FIXED_DATE,
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(FIXED_EPOCH + 5),
    }
    github.faults.append(Fault("POST", 403, headers, {"message": "API rate limit exceeded"}))

    client_for(github, sleeps).upsert_comment(REPO, PR, "score 60")

    assert sleeps == [5.0]
    assert github.bodies() == [f"{MARKER}\nscore 60"]
    assert [method for method, _ in github.calls()] == ["GET", "POST", "POST"]


def test_rate_limit_longer_than_a_minute_fails_without_waiting(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    headers = {
        "Date": FIXED_DATE,
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(FIXED_EPOCH + 1800),
    }
    github.faults.append(Fault("GET", 403, headers, {"message": "API rate limit exceeded"}))

    with pytest.raises(GitHubError) as raised:
        client_for(github, sleeps).find_comment(REPO, PR)

    assert raised.value.status == 403
    assert "rate limit" in str(raised.value) and "1800 s" in str(raised.value)
    assert_safe_message(raised.value)
    assert sleeps == [] and len(github.requests) == 1


def test_unreachable_server_is_retried_then_reported(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = GitHubClient(
        token=TOKEN, api_url=f"http://127.0.0.1:{port}", retries=2, sleep=sleeps.append
    )

    with pytest.raises(GitHubError) as raised:
        client.upsert_comment(REPO, PR, "score 60")

    assert raised.value.status is None
    assert f"could not reach GitHub at 127.0.0.1:{port}" in str(raised.value)
    assert_safe_message(raised.value)
    assert sleeps == [1.0, 2.0]


def test_timeout_is_retried(github: FakeGitHub, sleeps: list[float]) -> None:
    hold = threading.Event()
    github.holds.append(hold)
    github.faults.append(Fault("GET", 200, body=[], hold=hold))

    found = client_for(github, sleeps, timeout=0.3).find_comment(REPO, PR)

    assert found is None
    assert len(github.requests) == 2
    assert sleeps == [1.0]


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault("GET", 500, body={"message": f"boom, token was {TOKEN}"}), "HTTP 500"),
        (Fault("GET", 422, body={"message": f"Bearer {TOKEN}\nis\tinvalid"}), "Bearer ***"),
        (Fault("GET", 404, body={"message": "Not Found"}), "could not list"),
        (Fault("GET", 403, body={"message": "Must have admin rights"}), "HTTP 403"),
    ],
)
def test_token_never_appears_in_errors(
    fault: Fault, expected: str, github: FakeGitHub, sleeps: list[float]
) -> None:
    github.faults += [fault] * 4

    with pytest.raises(GitHubError) as raised:
        client_for(github, sleeps, retries=1).find_comment(REPO, PR)

    assert expected in str(raised.value)
    assert_safe_message(raised.value)
    assert raised.value.status == fault.status
    assert all(seen.headers["authorization"] == f"Bearer {TOKEN}" for seen in github.requests)


def test_rejected_token_says_so(github: FakeGitHub, sleeps: list[float]) -> None:
    client = GitHubClient(token="ghs_wrong", api_url=github.api_url, sleep=sleeps.append)

    with pytest.raises(GitHubError) as raised:
        client.upsert_comment(REPO, PR, "score 60")

    assert raised.value.status == 401
    assert "rejected the token" in str(raised.value) and "ghs_wrong" not in str(raised.value)
    assert sleeps == [] and len(github.requests) == 1


@pytest.mark.parametrize(
    ("token", "api_url", "expected"),
    [
        ("", "https://api.github.com", "no GitHub token"),
        ("  \n", "https://api.github.com", "no GitHub token"),
        (f"{TOKEN}\r\nX-Evil: 1", "https://api.github.com", "control characters"),
        (TOKEN, "file:///etc/passwd", "http(s) address"),
        (TOKEN, "api.github.com", "http(s) address"),
    ],
)
def test_bad_configuration_is_a_user_error(token: str, api_url: str, expected: str) -> None:
    with pytest.raises(GitHubError) as raised:
        GitHubClient(token=token, api_url=api_url)

    assert expected in str(raised.value)
    assert_safe_message(raised.value)


def test_repo_parse() -> None:
    assert Repo.parse("octo/churnwatch") == REPO
    assert Repo.parse(" my-org/model.v2_x \n") == Repo("my-org", "model.v2_x")
    assert str(REPO) == "octo/churnwatch"
    for bad in ["", "octo", "octo/", "/churnwatch", "octo/churn/watch", "octo/..", "oc to/x"]:
        with pytest.raises(GitHubError, match="owner/name"):
            Repo.parse(bad)


# -- truncation -----------------------------------------------------------------------------


def fence_lines(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.startswith("```"))


def test_short_body_is_unchanged() -> None:
    body = "## Scorecard\n```\nscore 60\n"
    assert truncate(body) == body


def test_long_body_is_cut_at_a_line_and_its_fence_closed() -> None:
    rows = "\n".join(
        f"| criterion {index:05d} | met | src/model_{index}.py:12 |" for index in range(1800)
    )
    body = f"## Scorecard\n\n<details><summary>Evidence</summary>\n\n```text\n{rows}\n```\n\n</details>\n"
    body += "x" * (100_000 - len(body))
    assert len(body) == 100_000

    cut = truncate(body)

    assert len(cut) <= MAX_COMMENT_CHARS
    assert cut.endswith(f"\n\n{NOTE}")
    kept = cut.split("\n```\n</details>\n\n> Truncated")[0]
    assert body.startswith(kept) and body[len(kept)] == "\n"
    assert fence_lines(cut) % 2 == 0
    assert cut.count("<details>") == cut.count("</details>") == 1
    assert len(cut) > MAX_COMMENT_CHARS - 200  # nothing thrown away needlessly


def test_cut_outside_any_block_adds_only_the_note() -> None:
    body = "\n".join(f"line {index}" for index in range(20_000))
    cut = truncate(body, limit=1000)
    assert len(cut) <= 1000 and cut.endswith(NOTE)
    assert "```" not in cut and "</details>" not in cut
    assert cut.startswith("line 0\nline 1\n")


def test_single_line_longer_than_the_limit_is_hard_cut() -> None:
    cut = truncate("y" * 5000, limit=500)
    assert len(cut) <= 500 and cut.startswith("yyy") and cut.endswith(NOTE)


def test_oversized_comment_is_sent_truncated_with_the_marker(
    github: FakeGitHub, sleeps: list[float]
) -> None:
    body = "## Scorecard\n```\n" + "\n".join("z" * 99 for _ in range(1000))

    client_for(github, sleeps).upsert_comment(REPO, PR, body)

    sent = github.requests[-1].body["body"]
    assert len(sent) <= MAX_COMMENT_CHARS
    assert sent.startswith(f"{MARKER}\n## Scorecard\n```\n")
    assert sent.endswith(f"\n```\n\n{NOTE}")
    assert github.bodies() == [sent]
