"""One candidate, all their repositories: `portfolio-check gh:USER -o DIR`.

GitHub is played by two servers on 127.0.0.1: the API (a user's repositories on two pages
with `Link` headers, a fork, an archived and an empty repository, a rate-limited user, a
next-page link to another host) and a hostile server that every URL in the API's answers
points at (`clone_url`, `ssh_url`, `html_url`, ...), which records every connection: none
may reach it. The repositories themselves are bare repositories served through `file://`
as `GITHUB_SERVER_URL`. Nothing here touches the network.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from portfolio_check.app.github.answers import GitHubError
from portfolio_check.app.github.api import GitHubClient
from portfolio_check.cli import command, main
from portfolio_check.common.errors import TargetError
from portfolio_check.common.resources import json_schema
from portfolio_check.intake.targets import github_account, github_target, parse_target
from portfolio_check.scoring.portfolio import CategoryLevel, PortfolioRepository, summarise
from tests import repos

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
GIT_ENV = {**os.environ, **repos.GIT_IDENTITY}
STAFF = {
    **GIT_ENV,
    "GIT_AUTHOR_NAME": "Course Staff",
    "GIT_AUTHOR_EMAIL": "staff@course.example",
    "GIT_COMMITTER_NAME": "Course Staff",
    "GIT_COMMITTER_EMAIL": "staff@course.example",
}
TOKEN = "ghp_candidateTestToken0123456789"


# the hostile server: every URL an answer supplies points here ------------------------------
class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.hits: list[str] = []

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.hits.append(f"connection from {client_address}")  # any connection at all
        return True


class _RecordingHandler(BaseHTTPRequestHandler):
    server: _Recorder

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


# the API --------------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _API(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _APIHandler)
        self.routes: dict[tuple[str, str], Answer] = {}  # (path, page) -> answer
        self.seen: list[tuple[str, str | None]] = []  # (path and query, Authorization)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _APIHandler(BaseHTTPRequestHandler):
    server: _API

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        parts = urlsplit(self.path)
        page = parse_qs(parts.query).get("page", ["1"])[0]
        answer = self.server.routes.get((parts.path, page)) or Answer(404, {"message": "Not Found"})
        data = json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@contextlib.contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def repo_entry(owner: str, name: str, hostile: str, pushed: str, **flags: Any) -> dict[str, Any]:
    """An entry as GitHub lists it, with every URL pointing at the hostile server."""
    port = hostile.rsplit(":", 1)[1]
    return {
        "name": name,
        "full_name": f"{owner}/{name}",
        "owner": {"login": owner, "html_url": f"{hostile}/{owner}"},
        "clone_url": f"{hostile}/{owner}/{name}.git",
        "git_url": f"git://127.0.0.1:{port}/{owner}/{name}.git",
        "ssh_url": f"ssh://git@127.0.0.1:{port}/{owner}/{name}.git",
        "svn_url": f"{hostile}/{owner}/{name}",
        "html_url": f"{hostile}/{owner}/{name}",
        "mirror_url": f"{hostile}/mirror/{name}.git",
        "url": f"{hostile}/repos/{owner}/{name}",
        "fork": False,
        "archived": False,
        "size": 120,
        "pushed_at": pushed,
        **flags,
    }


# the account ------------------------------------------------------------------------------------
LISTED = ("churnwatch", "course-lab", "own-lab", "ml-journey", "spamfilter", "empty-repo")


@dataclass(frozen=True)
class Account:
    server: Path  # GITHUB_SERVER_URL's folder: OWNER/NAME.git bare repositories
    api: _API
    hostile: _Recorder

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN",)}
        env.update(
            GITHUB_SERVER_URL=self.server.as_uri(),
            GITHUB_API_URL=self.api.origin,
            NO_COLOR="1",
        )
        env.update(extra)
        return env


def bare(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(source), str(destination)],
        check=True,
        capture_output=True,
        env=GIT_ENV,
        timeout=60,
    )


def course_lab(root: Path) -> Path:
    """An upstream course lab, by its staff."""
    builder = repos.RepoBuilder(root)
    builder.files(
        {
            "lab.py": "import numpy as np\n\n\ndef fit(x):\n    return np.polyfit(x, x, 1)\n",
            "README.md": "# Lab 3\n\nFill in `fit`.\n",
        }
    )
    for day in range(1, 7):
        (root / "notes.md").write_text(f"lesson {day}\n")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=STAFF)
        date = f"2025-09-0{day}T10:00:00+00:00"
        subprocess.run(
            ["git", "commit", "-qm", f"Lesson {day}"],
            cwd=root,
            check=True,
            env={**STAFF, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
        )
    return root


def own_fork(upstream: Path, work: Path, destination: Path) -> None:
    """A fork with one commit of the learner's own on top of the upstream."""
    subprocess.run(["git", "clone", "-q", str(upstream), str(work)], check=True, env=GIT_ENV)
    (work / "lab.py").write_text("def fit(x):\n    return sorted(x)[len(x) // 2]\n")
    date = "2026-01-05T10:00:00+00:00"
    subprocess.run(
        ["git", "commit", "-qam", "My own fit"],
        cwd=work,
        check=True,
        env={**GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date},
    )
    bare(work, destination)


@pytest.fixture(scope="module")
def account(
    tmp_path_factory: pytest.TempPathFactory, production_path: Path, coursework_path: Path
) -> Iterator[Account]:
    root = tmp_path_factory.mktemp("github")
    server = root / "server"
    bare(production_path, server / "ada" / "churnwatch.git")
    bare(coursework_path, server / "ada" / "ml-journey.git")
    bare(repos.honest_repo(root / "work" / "spamfilter"), server / "ada" / "spamfilter.git")
    subprocess.run(
        ["git", "init", "-q", "--bare", str(server / "ada" / "empty-repo.git")],
        check=True,
        env=GIT_ENV,
    )
    lab = course_lab(root / "work" / "course-lab")
    bare(lab, server / "course-org" / "course-lab.git")
    bare(lab, server / "ada" / "course-lab.git")  # a fork with nothing of ada's
    own_fork(lab, root / "work" / "own-lab", server / "ada" / "own-lab.git")
    bare(repos.honest_repo(root / "work" / "grace"), server / "grace" / "spam.git")

    api, hostile = _API(), _Recorder()
    evil = f"http://127.0.0.1:{hostile.server_address[1]}"
    page_1 = [
        repo_entry("ada", "churnwatch", evil, "2026-03-01T10:00:00Z"),
        repo_entry("ada", "course-lab", evil, "2026-02-25T10:00:00Z", fork=True),
        repo_entry("ada", "own-lab", evil, "2026-02-20T10:00:00Z", fork=True),
        repo_entry("someone-else", "theirs", evil, "2026-03-05T10:00:00Z"),  # not ada's
    ]
    page_2 = [
        repo_entry("ada", "ml-journey", evil, "2026-02-10T10:00:00Z"),
        repo_entry("ada", "spamfilter", evil, "2025-12-01T10:00:00Z", archived=True),
        repo_entry("ada", "empty-repo", evil, "2026-01-01T10:00:00Z", size=0),
        repo_entry("ada", "..", evil, "2026-03-06T10:00:00Z"),  # a name GitHub refuses
        "not an object",
    ]
    listing = "/users/ada/repos"
    following = f'<{api.origin}{listing}?per_page=100&page=2>; rel="next"'
    api.routes[(listing, "1")] = Answer(200, page_1, {"Link": following})
    api.routes[(listing, "2")] = Answer(
        200, page_2, {"Link": f'<{api.origin}{listing}?page=1>; rel="first"'}
    )
    for name in ("course-lab", "own-lab"):
        parent = {
            "name": "course-lab",
            "owner": {"login": "course-org"},
            "clone_url": f"{evil}/course-org/course-lab.git",
        }
        body = {
            **repo_entry("ada", name, evil, "2026-02-20T10:00:00Z", fork=True),
            "parent": parent,
        }
        api.routes[(f"/repos/ada/{name}", "1")] = Answer(200, body)
    api.routes[("/users/grace/repos", "1")] = Answer(
        200, [repo_entry("grace", "spam", evil, "2026-01-01T10:00:00Z")]
    )
    reset = "4102444800"  # 2100-01-01T00:00:00Z
    api.routes[("/users/limited/repos", "1")] = Answer(
        403,
        {"message": "API rate limit exceeded for 127.0.0.1."},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset},
    )
    api.routes[("/users/mallory/repos", "1")] = Answer(
        200,
        [repo_entry("mallory", "bait", evil, "2026-01-01T10:00:00Z")],
        {"Link": f'<{evil}/users/mallory/repos?page=2>; rel="next"'},
    )
    with serving(api), serving(hostile):
        yield Account(server=server, api=api, hostile=hostile)
    assert hostile.hits == [], f"a URL from an API answer was contacted: {hostile.hits}"


def run_cli(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """`main(args)` in this process, with this environment, stdout and stderr captured."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as patch,
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        for name in ("GITHUB_TOKEN", "GITHUB_SERVER_URL", "GITHUB_API_URL"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            main(args)
        except SystemExit as exited:
            code = int(exited.code or 0)
        else:  # pragma: no cover - main always exits
            code = -1
    return code, stdout.getvalue(), stderr.getvalue()


@dataclass(frozen=True)
class Review:
    out: Path
    code: int
    stdout: str
    stderr: str
    data: dict[str, Any]

    def repository(self, name: str) -> dict[str, Any]:
        (found,) = [repo for repo in self.data["repositories"] if repo["name"] == name]
        return found


def review(account: Account, out: Path, *args: str, **env: str) -> Review:
    code, stdout, stderr = run_cli(
        ["gh:ada", "-o", str(out), "--jobs", "1", *args], account.env(**env)
    )
    data = json.loads((out / "candidate.json").read_text()) if code == 0 else {}
    return Review(out=out, code=code, stdout=stdout, stderr=stderr, data=data)


@pytest.fixture(scope="module")
def ada(account: Account, tmp_path_factory: pytest.TempPathFactory) -> Review:
    return review(account, tmp_path_factory.mktemp("review") / "ada")


# every repository accounted for ------------------------------------------------------------------
def test_every_listed_repository_is_accounted_for_once(ada: Review) -> None:
    assert ada.code == 0, ada.stderr
    names = [repo["name"] for repo in ada.data["repositories"]]
    assert sorted(names) == sorted(LISTED)
    # the tool's own order: the most recently pushed first
    assert names == [
        "churnwatch",
        "course-lab",
        "own-lab",
        "ml-journey",
        "empty-repo",
        "spamfilter",
    ]
    statuses = {repo["name"]: repo["status"] for repo in ada.data["repositories"]}
    assert statuses == {
        "churnwatch": "scored",
        "course-lab": "fork",
        "own-lab": "fork",
        "ml-journey": "scored",
        "spamfilter": "scored",
        "empty-repo": "empty",
    }
    assert ada.data["summary"]["counts"] == {
        "listed": 6,
        "scored": 3,
        "error": 0,
        "empty": 1,
        "fork": 2,
        "skipped": 0,
        "archived": 1,
    }
    assert ada.data["notes"] == [
        "3 entries of GitHub's answer were left out (not a repository of this account, a "
        "name GitHub would refuse, or a repeat)"
    ]


def test_candidate_json_matches_the_shipped_schema(ada: Review) -> None:
    validator = jsonschema.Draft202012Validator(json_schema("candidate.schema.json"))
    assert [error.message for error in validator.iter_errors(ada.data)] == []


def test_forks_are_listed_and_not_scored(ada: Review) -> None:
    for name in ("course-lab", "own-lab"):
        fork = ada.repository(name)
        assert fork["fork"] is True and fork["real_world"] is None and fork["scorecard"] is None
        assert fork["note"].startswith("a fork: not scanned (--include-forks")
        assert not (ada.out / "candidates" / f"ada-{name}.html").exists()
    rows = [json.loads(line) for line in (ada.out / "results.jsonl").read_text().splitlines()]
    assert sorted(row["spec"] for row in rows) == [
        "gh:ada/churnwatch",
        "gh:ada/empty-repo",
        "gh:ada/ml-journey",
        "gh:ada/spamfilter",
    ]


def test_archived_and_empty_repositories_are_listed_with_their_state(ada: Review) -> None:
    archived = ada.repository("spamfilter")
    assert archived["archived"] is True and archived["status"] == "scored"
    empty = ada.repository("empty-repo")
    assert empty["note"] == "empty: no commits to scan" and empty["real_world"] is None


def test_the_strongest_project_is_named_with_its_scorecard(ada: Review) -> None:
    scored = [repo for repo in ada.data["repositories"] if repo["status"] == "scored"]
    best = max(scored, key=lambda repo: repo["real_world"])
    strongest = ada.data["summary"]["strongest"]
    assert strongest["name"] == best["name"] == "churnwatch"
    assert strongest["scorecard"] == "candidates/ada-churnwatch.html"
    assert (ada.out / strongest["scorecard"]).is_file()
    assert ada.stdout.splitlines()[1].startswith("Strongest project: churnwatch, real-world ")


def test_the_summary_adds_the_scored_repositories_up(ada: Review) -> None:
    scored = [repo for repo in ada.data["repositories"] if repo["status"] == "scored"]
    summary = ada.data["summary"]
    covered = {c["id"] for c in summary["categories_covered"]}
    assert covered == {cid for repo in scored for cid in repo["covered_categories"]}
    assert {"testing", "ci"} <= covered
    uncovered = {c["id"] for c in summary["categories_uncovered"]}
    assert covered.isdisjoint(uncovered) and len(covered | uncovered) == 12
    own = summary["own_work"]
    assert own["lines"] == sum(repo["lines"] for repo in scored if repo["own_share"] is not None)
    assert own["own_commits"] == sum(repo["own_commits"] for repo in scored)
    assert own["own_commits"] >= 3 and 0 < own["share"] <= 1
    activity = summary["activity"]
    assert activity["first_commit"] == min(repo["first_commit"] for repo in scored)
    assert activity["last_commit"] == max(repo["last_commit"] for repo in scored)
    assert activity["active_repositories"] == 3


def test_the_text_view_is_short_and_names_every_repository(ada: Review) -> None:
    lines = ada.stdout.splitlines()
    assert lines[0] == ("gh:ada: 6 repositories listed; 3 scored, 1 empty, 2 forks not scored")
    assert any(line.startswith("Covered nowhere: ") for line in lines)
    for name in LISTED:
        assert sum(line.startswith(f"  {name} ") for line in lines) == 1, name
    assert "Candidate page: " in ada.stderr


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [value or "" for key, value in attrs if key in ("href", "src", "action")]
        if found.get("http-equiv") == "Content-Security-Policy":
            self.csp = found.get("content") or ""


def test_the_page_is_self_contained_and_links_each_scorecard(ada: Review) -> None:
    html = (ada.out / "candidate.html").read_text()
    page = _Links()
    page.feed(html)
    assert page.csp.startswith("default-src 'none'")
    assert "<script" not in html.lower()
    scored = {repo["scorecard"] for repo in ada.data["repositories"] if repo["scorecard"]}
    assert set(page.urls) == scored and len(scored) == 3
    for url in page.urls:
        assert (ada.out / url).is_file()
    assert "127.0.0.1" not in html  # nothing of the API's answer's URLs


def test_no_url_from_an_answer_is_contacted_and_no_token_is_sent(
    ada: Review, account: Account
) -> None:
    assert account.hostile.hits == []
    assert all(auth is None for _, auth in account.api.seen)
    asked = [path for path, _ in account.api.seen if path.startswith("/users/ada/")]
    assert [urlsplit(path).query.endswith("page=2") for path in asked] == [False, True]


# options -----------------------------------------------------------------------------------------
def test_include_forks_scores_only_a_fork_with_commits_of_its_own(
    account: Account, tmp_path: Path
) -> None:
    result = review(account, tmp_path / "out", "--include-forks", GITHUB_TOKEN=TOKEN)
    assert result.code == 0, result.stderr
    untouched, own = result.repository("course-lab"), result.repository("own-lab")
    assert untouched["status"] == "fork"
    assert untouched["note"] == (
        "a fork of course-org/course-lab with no commits of its own: listed, not scored"
    )
    assert own["status"] == "scored" and own["real_world"] is not None
    assert own["note"] == "a fork of course-org/course-lab, with 1 commit of its own on top"
    assert all(auth == f"Bearer {TOKEN}" for _, auth in account.api.seen[-4:])
    assert account.hostile.hits == []


def test_max_repos_scans_the_most_recently_pushed(account: Account, tmp_path: Path) -> None:
    result = review(account, tmp_path / "out", "--max-repos", "2")
    assert result.code == 0, result.stderr
    statuses = {repo["name"]: repo["status"] for repo in result.data["repositories"]}
    assert statuses["churnwatch"] == "scored" and statuses["ml-journey"] == "scored"
    assert statuses["empty-repo"] == statuses["spamfilter"] == "skipped"
    assert result.repository("spamfilter")["note"].startswith("not scanned: past --max-repos 2")


def test_resume_keeps_what_is_unchanged(account: Account, ada: Review, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = review(account, out, "--max-repos", "1")
    again = review(account, out, "--max-repos", "1", "--resume")
    assert again.code == 0 and again.data == first.data


def test_accounts_from_a_list_each_get_a_folder(account: Account, tmp_path: Path) -> None:
    listing = tmp_path / "people.txt"
    listing.write_text("# spring cohort\ngh:ada\ngh:grace  grace-h\n")
    code, stdout, stderr = run_cli(
        ["--from", str(listing), "-o", str(tmp_path / "out"), "--jobs", "1"], account.env()
    )
    assert code == 0, stderr
    assert json.loads((tmp_path / "out" / "ada" / "candidate.json").read_text())["user"] == "ada"
    grace = json.loads((tmp_path / "out" / "grace-h" / "candidate.json").read_text())
    assert [repo["status"] for repo in grace["repositories"]] == ["scored"]
    assert re.search(r"^gh:grace: 1 repository listed; 1 scored$", stdout, re.MULTILINE)


# refusals ----------------------------------------------------------------------------------------
def test_a_rate_limit_is_one_line_that_says_when_it_lifts(account: Account, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli(["gh:limited", "-o", str(tmp_path / "out")], account.env())
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(
        "portfolio-check: error: GitHub rate limit"
    )
    assert "lifts at 00:00 UTC" in stderr and "set GITHUB_TOKEN" in stderr


def test_a_next_page_on_another_host_is_refused(account: Account, tmp_path: Path) -> None:
    code, _, stderr = run_cli(["gh:mallory", "-o", str(tmp_path / "out")], account.env())
    assert code == 2 and "at another address" in stderr and "not followed" in stderr
    assert stderr.count("\n") == 1
    assert account.hostile.hits == []


def test_an_unknown_account_is_one_line(account: Account, tmp_path: Path) -> None:
    code, _, stderr = run_cli(["gh:nobody-here", "-o", str(tmp_path / "out")], account.env())
    assert code == 2
    assert stderr == (
        "portfolio-check: error: GitHub has no user or organisation 'nobody-here' (HTTP 404)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gh:ada", "./somewhere"], "give accounts, or repositories, not both"),
        (["gh:ada"], "give it with -o DIR"),
        (["gh:ada", "--shard", "1/2", "-o", "x"], "--shard splits a list of repositories"),
        (["./repo", "--include-forks", "-o", "x"], "--include-forks applies to gh:USER"),
        (["gh:ada", "gh:ADA", "-o", "x"], "named twice"),
        (["gh:-ada", "-o", "x"], "not a GitHub user or organisation name"),
        (["gh:ada@main", "-o", "x"], "an account has no ref"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str, account: Account) -> None:
    code, _, stderr = run_cli(args, account.env())
    assert code == 2 and message in stderr and stderr.count("\n") == 1, stderr


def test_the_installed_command_reviews_an_account(account: Account, tmp_path: Path) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    out = tmp_path / "out"
    done = subprocess.run(
        [str(ENTRY_POINT), "gh:ada", "-o", str(out), "--jobs", "2", "--no-cache"],
        env=account.env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "gh:ada: 6 repositories listed; 3 scored, 1 empty, 2 forks not scored"
    )
    data = json.loads((out / "candidate.json").read_text())
    assert data["summary"]["strongest"]["name"] == "churnwatch"
    assert {repo["name"] for repo in data["repositories"]} == set(LISTED)
    assert account.hostile.hits == []


# the parts -------------------------------------------------------------------------------------
def test_gh_user_is_an_account_and_not_a_repository() -> None:
    assert github_account("gh:ada") == "ada"
    assert github_account("gh:ada/churn") is None and github_account("./gh:ada") is None
    with pytest.raises(TargetError, match="names an account"):
        parse_target("gh:ada")


def test_gh_repositories_are_cloned_from_the_configured_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    assert parse_target("gh:ada/churn").location == "https://github.com/ada/churn.git"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://ghe.example.com/")
    assert github_target("ada", "churn").location == "https://ghe.example.com/ada/churn.git"
    assert parse_target("gh:ada/churn@v1").ref == "v1"
    monkeypatch.setenv("GITHUB_SERVER_URL", "ext::sh -c id")
    with pytest.raises(TargetError, match="GITHUB_SERVER_URL"):
        github_target("ada", "churn")
    with pytest.raises(TargetError, match="not a GitHub owner/repository name"):
        github_target("ada", "..")


def _repo(
    name: str, real_world: float, own: float | None, lines: int, levels: dict[str, int]
) -> PortfolioRepository:
    return PortfolioRepository(
        name=name,
        spec=f"gh:ada/{name}",
        label=f"ada-{name}",
        status="scored",
        real_world=real_world,
        own_share=own,
        lines=lines,
        own_commits=2,
        first_commit="2025-01-01",
        last_commit="2025-03-01",
        categories=tuple(
            CategoryLevel(id=cid, name=cid.title(), level=level, counted=True)
            for cid, level in levels.items()
        ),
    )


def test_own_work_is_weighted_by_lines_and_coverage_needs_a_real_artefact() -> None:
    small = _repo("small", 40.0, 0.0, 100, {"testing": 4, "ci": 1})
    large = _repo("large", 40.0, 1.0, 900, {"testing": 2})
    fork = PortfolioRepository(name="fork", spec="gh:ada/fork", label="ada-fork", status="fork")
    summary = summarise([small, large, fork], [("testing", "Testing"), ("ci", "CI")])
    assert summary.own_share == pytest.approx(0.9)  # not the 0.5 of a plain average
    assert summary.strongest is large  # a tie on real-world: the larger own share
    assert [(c.id, c.level, c.repository) for c in summary.categories] == [
        ("testing", 4, "small"),
        ("ci", 1, "small"),  # claimed only: not covered
    ]
    assert [c.id for c in summary.uncovered] == ["ci"]
    assert summary.counts["fork"] == 1 and summary.counts["listed"] == 3


def test_a_next_page_outside_the_api_path_is_refused(account: Account) -> None:
    """On GitHub Enterprise the API lives under /api/v3: a page link to the same host but
    outside that path is not the API's."""
    api = account.api
    listing = "/api/v3/users/eve/repos"
    api.routes[(listing, "1")] = Answer(
        200,
        [repo_entry("eve", "model", api.origin, "2026-01-01T10:00:00Z")],
        {"Link": f'<{api.origin}/users/eve/repos?page=2>; rel="next"'},
    )
    client = GitHubClient(token=None, api_url=f"{api.origin}/api/v3", retries=0)
    with pytest.raises(GitHubError, match=r"outside .*/api/v3; not followed"):
        client.list_repositories("eve")
    assert not any(path.startswith("/users/eve/") for path, _ in api.seen)


def test_a_rate_limit_with_a_token_does_not_ask_for_one(account: Account) -> None:
    client = GitHubClient(token=TOKEN, api_url=account.api.origin, retries=0)
    with pytest.raises(GitHubError) as raised:
        client.list_repositories("limited")
    message = str(raised.value)
    assert message.startswith("GitHub rate limit reached (HTTP 403) while trying to list the ")
    assert "lifts at 00:00 UTC" in message and "GITHUB_TOKEN" not in message
    assert TOKEN not in message


def test_the_readme_shows_this_session(ada: Review) -> None:
    """The reviewer's session in the README is this test setup's real output."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    session = readme.split("$ portfolio-check gh:ada -o review/ada\n", 1)[1].split("```", 1)[0]
    shown = session.splitlines()
    assert shown[-1] == "Candidate page: review/ada/candidate.html"
    assert shown[:-1] == ada.stdout.splitlines()


def test_a_repository_that_cannot_be_cloned_is_an_error_and_strict_says_so(
    account: Account, tmp_path: Path
) -> None:
    """Through click's CliRunner: a listed repository missing on the server is an error entry
    with git's reason; the review still writes its files, and --strict exits 1."""
    evil = f"http://127.0.0.1:{account.hostile.server_address[1]}"
    account.api.routes[("/users/bob/repos", "1")] = Answer(
        200, [repo_entry("bob", "moved-away", evil, "2026-01-01T10:00:00Z")]
    )
    env = {**account.env(), "GITHUB_TOKEN": ""}
    runner = CliRunner()
    args = ["gh:bob", "-o", str(tmp_path / "out"), "--jobs", "1", "--no-cache"]
    result = runner.invoke(command, args, env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "gh:bob: 1 repository listed; 0 scored, 1 error",
        "Strongest project: none scored",
    ]
    data = json.loads((tmp_path / "out" / "candidate.json").read_text())
    (entry,) = data["repositories"]
    assert entry["status"] == "error" and "git clone failed" in entry["note"]
    assert data["summary"]["strongest"] is None and data["summary"]["own_work"]["share"] is None
    jsonschema.validate(data, json_schema("candidate.schema.json"))
    strict = runner.invoke(command, [*args, "--strict"], env=env)
    assert strict.exit_code == 1
    assert account.hostile.hits == []
