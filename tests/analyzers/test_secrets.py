"""Hard-coded secrets: found by detect-secrets in code, notebooks, configs and the README,
shown as red flags with their kind and place in every format, and never printed, cached or
written anywhere by value. Placeholders, references and local demo defaults are not
flagged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from detect_secrets.plugins import keyword

from portfolio_check import __version__
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.analyzers.secrets import KEYWORD_WORDS, MAX_PER_FILE, SecretsAnalyzer
from portfolio_check.app.scan import scan
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Facts
from portfolio_check.model.scorecard import TargetInfo
from portfolio_check.report import FORMATS, render
from portfolio_check.report.view import reviewer_line
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.scoring import red_flags
from portfolio_check.scoring.engine import evaluate
from tests.repos import RepoBuilder

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"

GITHUB_TOKEN = "ghp_R7kQ2mX9vL4pT8wZ1nB6cF3hJ5dS0aYeUiOq"
AWS_KEY = "AKIAZ3MSJV4WWQ2ZZ5LX"
TRACKING_PASSWORD = "6824692c47a4545eac5b10041d5c8edbcef0"
SLACK_TOKEN = "xoxb-2846392746-7720194755-k3jd9s8f7g6h5j4k3l2m1n0b"
OPENAI_KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRsT3BlbkFJUv8wXy1zAb4cDe7fGh0i"
SECRETS = (GITHUB_TOKEN, AWS_KEY, TRACKING_PASSWORD, SLACK_TOKEN, OPENAI_KEY)


def leaky_repo(root: Path) -> Path:
    """A template clone with the tokens its author pasted in, beside values that only look
    like secrets: a placeholder, a reference to the environment, a local database's
    default password and the AWS documentation's example key."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "src/tracker/__init__.py": "",
            "src/tracker/client.py": f"""
                import os

                from openai import OpenAI

                client = OpenAI(api_key="{OPENAI_KEY}")
                api_key = "your_api_key_here"
                password = os.environ["DB_PASSWORD"]
                aws_example = "AKIAIOSFODNN7EXAMPLE"
            """,
            ".env": f"MLFLOW_TRACKING_USERNAME=ada\nMLFLOW_TRACKING_PASSWORD={TRACKING_PASSWORD}\n",
            "config/settings.yaml": f"aws:\n  access_key_id: {AWS_KEY}\n  region: eu-west-1\n",
            "docker-compose.yml": """
                services:
                  db:
                    image: postgres:16
                    environment:
                      POSTGRES_PASSWORD: postgres
                      DATABASE_URL: postgresql://postgres:postgres@db:5432/app
            """,
            "README.md": f"""
                # Tracker

                Post results to the team channel:

                ```bash
                export SLACK_BOT_TOKEN={SLACK_TOKEN}
                ```
            """,
        }
    )
    repo.notebook(
        "notebooks/explore.ipynb",
        [
            ("markdown", "# Explore"),
            ("code", f'import os\nos.environ["GITHUB_TOKEN"] = "{GITHUB_TOKEN}"'),
        ],
    )
    repo.commit("Start the tracker", date="2026-02-02T09:00:00+00:00")
    repo.write("src/tracker/report.py", "def report():\n    return 1\n")
    repo.commit("Add a report", date="2026-02-20T09:00:00+00:00")
    return root


EXPECTED = [
    {
        "kind": "hard-coded-secret",
        "detail": "hard-coded secret (Secret Keyword)",
        "path": ".env",
        "line": 2,
    },
    {
        "kind": "hard-coded-secret",
        "detail": "hard-coded secret (Slack Token)",
        "path": "README.md",
        "line": 6,
    },
    {
        "kind": "hard-coded-secret",
        "detail": "hard-coded secret (AWS Access Key)",
        "path": "config/settings.yaml",
        "line": 2,
    },
    {
        "kind": "hard-coded-secret",
        "detail": "hard-coded secret (GitHub Token)",
        "path": "notebooks/explore.ipynb",
        "line": 2,
        "cell": 2,
    },
    {
        "kind": "hard-coded-secret",
        "detail": "hard-coded secret (OpenAI Token)",
        "path": "src/tracker/client.py",
        "line": 5,
    },
]


@pytest.fixture(scope="module")
def leaky_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return leaky_repo(tmp_path_factory.mktemp("repos") / "tracker")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    return subprocess.run(
        [str(ENTRY_POINT), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=180,
        check=False,
    )


def test_the_installed_command_flags_each_secret_by_kind_and_place(
    leaky_path: Path, tmp_path: Path
) -> None:
    done = _run(str(leaky_path), "-f", "json", "-o", str(tmp_path / "card.json"))
    assert done.returncode == 0, done.stderr
    card = json.loads((tmp_path / "card.json").read_text(encoding="utf-8"))
    secrets = [flag for flag in card["red_flags"] if flag["kind"] == "hard-coded-secret"]
    assert secrets == EXPECTED  # not the placeholder, the reference, the demo default


def test_no_format_and_no_cache_entry_holds_a_secret_value(
    leaky_path: Path, tmp_path: Path
) -> None:
    """Every report the command writes, what it prints, and the analysis cache it fills
    (scanned twice: the second scan reads the facts back) name secrets, never show them."""
    cache = tmp_path / "xdg"
    written = []
    for output_format in FORMATS:
        target = tmp_path / f"card.{output_format}"
        done = subprocess.run(
            [str(ENTRY_POINT), str(leaky_path), "-f", output_format, "-o", str(target)],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)},
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        written.extend([target.read_text(encoding="utf-8"), done.stdout, done.stderr])
    assert "hard-coded secret (GitHub Token)" in written[0]  # text: the flag is there
    cached = [path.read_text(encoding="utf-8") for path in cache.rglob("*.json")]
    assert cached  # the second scan was answered from these
    for value in SECRETS:
        assert not [text for text in written + cached if value in text], value


def test_a_secret_is_a_red_flag_under_the_verdict_in_every_view(leaky_path: Path) -> None:
    card = scan(leaky_path)
    text = render(card, "text")
    assert text.index("Red flags (") < text.index("Real-world evidence\n")
    assert "! hard-coded secret (AWS Access Key) (config/settings.yaml:2)" in text
    markdown = render(card, "markdown")
    assert "- hard-coded secret \\(GitHub Token\\) (notebooks/explore.ipynb cell 2:2)" in markdown
    html = render(card, "html")
    verdict, flags = html.index('id="verdict"'), html.index('id="red-flags"')
    assert verdict < flags < html.index('class="quadrant"')
    assert "red flags, listed below." in html[verdict:flags]  # the reviewer line counts them
    assert "5 hard-coded secrets" in (reviewer_line(card) or "")  # and names them elsewhere


def test_scores_do_not_see_the_secrets(leaky_path: Path) -> None:
    """Red flags are reporting: the same facts without the secrets score the same."""
    rubric = load_rubric()
    facts = analyze(open_target(leaky_path), rubric.content_queries)
    without = Facts([f for f in facts if f.kind != "secret"], unknown=facts.unknown)
    target = TargetInfo(path="tracker", commit=None, is_git=True, files=8)
    cards = [
        evaluate(rubric, found, target, tool_version=__version__) for found in (facts, without)
    ]
    assert len(cards[0].red_flags) == len(cards[1].red_flags) + 5
    assert [c.score for c in cards[0].categories] == [c.score for c in cards[1].categories]
    assert cards[0].real_world_score == cards[1].real_world_score


def test_a_file_full_of_secrets_is_reported_up_to_a_bound(tmp_path: Path) -> None:
    tokens = "".join(
        f'KEY_{n} = "ghp_{n:02d}R7kQ2mX9vL4pT8wZ1nB6cF3hJ5dS0aYeUi"\n' for n in range(30)
    )
    RepoBuilder(tmp_path / "repo").write("keys.py", tokens).commit("Add keys")
    card = scan(tmp_path / "repo")
    secrets = [flag for flag in card.red_flags if flag.kind == "hard-coded-secret"]
    assert len(secrets) == red_flags.SECRETS_LISTED + 1
    assert (
        secrets[-1].detail
        == f"and {MAX_PER_FILE - red_flags.SECRETS_LISTED} more hard-coded secrets"
    )
    assert secrets[-1].path is None
    assert red_flags.summary(card.red_flags)[0] == "more than 10 hard-coded secrets"


def test_lock_files_and_large_files_are_not_scanned() -> None:
    analyzer = SecretsAnalyzer()
    for name in ("poetry.lock", "uv.lock", "package-lock.json", "Pipfile.lock"):
        assert not analyzer.wants(FileEntry(path=name, size=100, kind=EntryKind.FILE)), name
    huge = FileEntry(path="data/records.json", size=50 * 1024 * 1024, kind=EntryKind.FILE)
    assert not analyzer.wants(huge)
    assert analyzer.wants(FileEntry(path=".env.production", size=100, kind=EntryKind.FILE))


def test_the_keyword_gate_covers_every_name_the_keyword_detector_knows() -> None:
    """A text without any of `KEYWORD_WORDS` is never given to the keyword detector: each
    of the library's secret-sounding names must contain one of them."""
    for name in keyword.DENYLIST:
        plain = name.replace("_?", "_")
        assert any(word in plain for word in KEYWORD_WORDS), name
