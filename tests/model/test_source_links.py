"""Evidence links: a path and line of the scanned commit, on GitHub or GitLab, or plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.intake import git_links
from portfolio_check.model import source_links
from portfolio_check.model.source_links import SourceLinks, repository_url
from portfolio_check.report import render
from tests.repos import RepoBuilder


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/ada/churn.git", ("github", "https://github.com/ada/churn")),
        ("https://github.com/ada/churn", ("github", "https://github.com/ada/churn")),
        ("git@github.com:ada/churn.git", ("github", "https://github.com/ada/churn")),
        ("ssh://git@github.com/ada/churn.git", ("github", "https://github.com/ada/churn")),
        (
            "https://ada:ghp_secret@github.com/ada/churn.git",
            ("github", "https://github.com/ada/churn"),
        ),
        ("https://GitHub.com/Ada/Churn.git/", ("github", "https://github.com/Ada/Churn")),
        ("git@gitlab.com:team/ml/churn.git", ("gitlab", "https://gitlab.com/team/ml/churn")),
        ("https://oauth2:tok@gitlab.com/ada/churn.git", ("gitlab", "https://gitlab.com/ada/churn")),
    ],
)
def test_github_and_gitlab_remotes_become_plain_https_repository_urls(
    remote: str, expected: tuple[str, str]
) -> None:
    assert repository_url(remote) == expected


@pytest.mark.parametrize(
    "remote",
    [
        "",
        "https://bitbucket.org/ada/churn.git",
        "https://github.com.evil.example/ada/churn.git",
        "/srv/git/churn.git",
        "file:///srv/git/churn.git",
        "ext::sh -c touch% /tmp/pwned",
        "https://github.com/ada",
        "https://github.com/ada/churn/extra",
        'https://github.com/ada/"><script>alert(1)</script>',
        "https://github.com/ada/churn?x=1#frag/..",
        "javascript:alert(1)//github.com/ada/churn",
        "https://github.com/../../etc",
    ],
)
def test_other_hosts_and_odd_remotes_give_no_links(remote: str) -> None:
    assert repository_url(remote) is None


def test_a_url_names_the_commit_path_and_line_on_each_host() -> None:
    commit = "a" * 40
    github = SourceLinks(
        host="github",
        repository_url="https://github.com/ada/churn",
        commit=commit,
        paths=frozenset({"src/my api.py"}),
    )
    gitlab = SourceLinks(
        host="gitlab",
        repository_url="https://gitlab.com/ada/churn",
        commit=commit,
        paths=frozenset({"a.py"}),
    )
    assert (
        github.url("src/my api.py", 12)
        == f"https://github.com/ada/churn/blob/{commit}/src/my%20api.py#L12"
    )
    assert (
        github.url("src/my api.py") == f"https://github.com/ada/churn/blob/{commit}/src/my%20api.py"
    )
    assert gitlab.url("a.py", 3) == f"https://gitlab.com/ada/churn/-/blob/{commit}/a.py#L3"
    assert github.url("not/in/the/commit.py", 1) is None


def _service(root: Path, remote: str | None) -> RepoBuilder:
    repo = RepoBuilder(root).files(
        {
            "src/churn/api.py": "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('/health')\ndef health():\n    return {'ok': True}\n",
            "tests/test_api.py": "from churn.api import health\n\ndef test_health():\n    assert health() == {'ok': True}\n",
            "requirements.txt": "fastapi==0.111.1\n",
        }
    )
    repo.commit("Serve the model")
    if remote is not None:
        repo.git("remote", "add", "origin", remote)
    return repo


def test_evidence_links_to_the_file_at_the_commit_and_never_shows_credentials(
    tmp_path: Path,
) -> None:
    repo = _service(tmp_path / "svc", "https://ada:ghp_TOPSECRET@github.com/ada/churn.git")
    card = scan(repo.root)
    commit = repo.head()
    assert card.target.link("tests/test_api.py", 4) == (
        f"https://github.com/ada/churn/blob/{commit}/tests/test_api.py#L4"
    )
    page = render(card, "html")
    assert f'href="https://github.com/ada/churn/blob/{commit}/tests/test_api.py#L' in page
    assert "TOPSECRET" not in page
    assert "ada:" not in page


def test_a_file_changed_or_added_since_the_commit_is_plain_text(tmp_path: Path) -> None:
    repo = _service(tmp_path / "svc", "git@github.com:ada/churn.git")
    repo.write(
        "tests/test_api.py",
        "from churn.api import health\n\n\ndef test_health():\n    assert health()\n",
    )
    repo.write(
        "tests/test_more.py", "from churn.api import app\n\ndef test_app():\n    assert app\n"
    )
    card = scan(repo.root)
    assert card.target.link("src/churn/api.py", 4) is not None  # unchanged: linked
    assert card.target.link("tests/test_api.py", 4) is None  # edited: its lines moved
    assert card.target.link("tests/test_more.py", 3) is None  # not in the commit at all
    assert "tests/test_more.py" in card.paths()


@pytest.mark.parametrize("remote", [None, "https://git.example.org/ada/churn.git"])
def test_no_remote_or_an_unknown_host_gives_plain_text(tmp_path: Path, remote: str | None) -> None:
    repo = _service(tmp_path / "svc", remote)
    card = scan(repo.root)
    assert card.target.source_links is None
    assert 'href="http' not in render(card, "html")


def test_a_plain_folder_gives_plain_text(tmp_path: Path) -> None:
    RepoBuilder(tmp_path / "plain", git=False).write("src/model.py", "import sklearn\n")
    card = scan(tmp_path / "plain")
    assert card.target.commit is None
    assert card.target.source_links is None


def test_a_scan_of_a_commit_links_the_commit_it_read(tmp_path: Path) -> None:
    repo = _service(tmp_path / "svc", "https://gitlab.com/ada/churn.git")
    base = repo.head()
    repo.write("tests/test_api.py", "").commit("Empty the test")
    card = scan(repo.root, options=ScanOptions(revision=base))
    assert card.target.link("tests/test_api.py", 4) == (
        f"https://gitlab.com/ada/churn/-/blob/{base}/tests/test_api.py#L4"
    )


def test_files_past_the_hashing_budget_stay_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _service(tmp_path / "svc", "https://github.com/ada/churn.git")
    first = scan(repo.root).target.source_links
    assert first is not None and "src/churn/api.py" in first.paths
    size = (repo.root / "requirements.txt").stat().st_size
    monkeypatch.setattr(git_links, "HASH_BUDGET_BYTES", size)  # room for the first path only
    card = scan(repo.root)
    assert card.target.source_links is not None
    assert card.target.source_links.paths == {"requirements.txt"}


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/ada/churn-model.git", "churn-model"),
        ("git@gitlab.example.org:team/ml/churn_model.git", "churn_model"),
        ("ssh://git@git.example.com:2222/ada/churn.git/", "churn"),
        ("https://ada:ghp_secret@github.com/ada/churn", "churn"),
        ("/srv/git/churn-model.git", "churn-model"),
        ("file:///srv/git/churn-model", "churn-model"),
        ("https://github.com/ada/", "ada"),
        ("https://github.com/", None),
        ("https://example.com/ada/<script>.git", None),
        ("", None),
    ],
)
def test_repository_name_is_the_last_plain_segment_of_any_remote(
    remote: str, expected: str | None
) -> None:
    assert source_links.repository_name(remote) == expected


def test_the_project_is_named_after_origin_else_its_folder(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "local-folder").write("a.py", "x = 1\n").commit("a")
    assert scan(repo.root).target.name == "local-folder"
    repo.git("remote", "add", "origin", "https://gitlab.com/ada/fraud-detector.git")
    card = scan(repo.root, options=ScanOptions(display_path="."))
    assert (card.target.name, card.target.path, card.target.title) == (
        "fraud-detector",
        ".",
        "fraud-detector",
    )
    plain = RepoBuilder(tmp_path / "plain", git=False).write("a.py", "x = 1\n")
    assert scan(plain.root).target.name == "plain"


def test_a_github_actions_run_links_only_the_scorecards_paths_on_its_server() -> None:
    commit = "b" * 40
    links = SourceLinks.on_github(
        server_url="https://ghe.example.com/",
        repository="octo/churn watch",
        commit=commit,
        paths=["src/train.py"],
    )
    assert (
        links.url("src/train.py", 4)
        == f"https://ghe.example.com/octo/churn%20watch/blob/{commit}/src/train.py#L4"
    )
    assert links.url("elsewhere.py") is None
    assert links.commit_url() == f"https://ghe.example.com/octo/churn%20watch/commit/{commit}"
