"""The scanned repository's own config: `exclude:` globs in `.portfolio-check.yaml` or in
`[tool.portfolio-check]`, untrusted, and ignorable by a reviewer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.cli import command
from portfolio_check.intake.repo_config import (
    MAX_PATTERN_CHARS,
    MAX_PATTERNS,
    RepoConfig,
    apply_repo_config,
    read_repo_config,
)
from portfolio_check.intake.snapshot import EntryKind
from portfolio_check.intake.sources import open_target
from portfolio_check.model.scorecard import Scorecard
from tests.repos import COURSEWORK_NOTEBOOK_CELLS, RepoBuilder

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"

#: A small real project of the learner's own: a package, tests that use it, a README.
PROJECT = {
    "requirements.txt": "pandas==2.2.2\nscikit-learn==1.5.1\npytest==8.2.2\n",
    "spamfilter/__init__.py": "",
    "spamfilter/tokenize.py": """
        import re


        def tokens(text: str) -> list[str]:
            return re.findall(r"[a-z']+", text.lower())
    """,
    "tests/test_tokenize.py": """
        from spamfilter.tokenize import tokens


        def test_lowercases():
            assert tokens("Win NOW") == ["win", "now"]
    """,
    "README.md": """
        # spamfilter

        A small naive Bayes spam filter trained on my own mailbox export.

        ## Results

        On 800 held-out messages the filter reaches 0.94 precision and 0.88 recall.
    """,
}

#: Someone else's code copied in: a container, tests, and a graded course notebook.
VENDOR = {
    "vendor/fastserve/Dockerfile": """
        FROM python:3.11-slim
        WORKDIR /app
        COPY . .
        RUN pip install --no-cache-dir .
        CMD ["python", "-m", "fastserve"]
    """,
    "vendor/fastserve/fastserve/__init__.py": "def serve() -> int:\n    return 1\n",
    "vendor/fastserve/tests/test_serve.py": """
        from fastserve import serve


        def test_serve():
            assert serve() == 1
    """,
    "vendor/fastserve/broken.py": "def oops(:\n",  # would be a finding if it were scanned
}
VENDOR_NOTEBOOK = "vendor/course/C1_W2_Logistic_Regression.ipynb"


def build_repo(root: Path, config: Mapping[str, str], *, git: bool = True) -> Path:
    """The learner's project, a vendored folder, and the given config files."""
    repo = RepoBuilder(root, git=git)
    repo.files(PROJECT).files(VENDOR).files(config)
    repo.notebook(
        VENDOR_NOTEBOOK,
        COURSEWORK_NOTEBOOK_CELLS,
        metadata={"coursera": {"course_slug": "machine-learning", "graded_item_id": "ZBe4f"}},
        cell_metadata={2: {"nbgrader": {"grade": True, "grade_id": "cell-1", "solution": True}}},
        outputs={4: "All tests passed!\n"},
    )
    if git:
        repo.commit("Spam filter with a vendored server", date="2026-03-01T10:00:00+00:00")
    return root


def vendored_paths(paths: set[str]) -> set[str]:
    return {path for path in paths if path.startswith("vendor/")}


def category(card: Scorecard, category_id: str) -> float:
    return next(item.score for item in card.categories if item.id == category_id)


def evidence_paths(card: Scorecard) -> set[str]:
    return {
        evidence.path
        for item in card.categories
        for criterion in item.criteria
        for evidence in criterion.evidence
    }


@pytest.fixture(scope="module")
def vendored_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_repo(
        tmp_path_factory.mktemp("repos") / "spamfilter",
        {".portfolio-check.yaml": 'exclude: ["vendor/**"]\n'},
    )


# Reading the config ----------------------------------------------------------------------


def test_yaml_config_in_a_git_repo_excludes_the_vendored_folder(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo",
        {".portfolio-check.yaml": "# vendored code is not mine\nexclude:\n  - vendor/**\n"},
    )
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert config == RepoConfig(exclude=("vendor/**",), source=".portfolio-check.yaml")
    assert snapshot.notes == []
    applied = apply_repo_config(snapshot, config)
    paths = {entry.path for entry in applied}
    assert vendored_paths(paths) == set()
    assert {"spamfilter/tokenize.py", "tests/test_tokenize.py", ".portfolio-check.yaml"} <= paths
    assert len(applied) == len(snapshot) - 5
    assert applied.notes == ["5 files excluded by .portfolio-check.yaml (vendor/**)"]
    assert (applied.is_git, applied.commit, applied.root) == (True, snapshot.commit, root)
    assert len(snapshot) == len(paths) + 5  # the original snapshot is left as it was


def test_yml_spelling_in_a_plain_folder(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "folder",
        {".portfolio-check.yml": 'exclude: ["vendor/fastserve/**", "*.ipynb"]\n'},
        git=False,
    )
    snapshot = open_target(root)
    assert not snapshot.is_git
    applied = apply_repo_config(snapshot, read_repo_config(snapshot))
    assert vendored_paths({entry.path for entry in applied}) == set()
    assert applied.notes == [
        "5 files excluded by .portfolio-check.yml (vendor/fastserve/**, *.ipynb)"
    ]


def test_pyproject_table(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo",
        {
            "pyproject.toml": """
                [project]
                name = "spamfilter"
                version = "0.1.0"

                [tool.portfolio-check]
                exclude = ["vendor/course/**", "vendor/fastserve/Dockerfile"]
            """
        },
    )
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert config == RepoConfig(
        exclude=("vendor/course/**", "vendor/fastserve/Dockerfile"), source="pyproject.toml"
    )
    applied = apply_repo_config(snapshot, config)
    assert vendored_paths({entry.path for entry in applied}) == {
        "vendor/fastserve/fastserve/__init__.py",
        "vendor/fastserve/tests/test_serve.py",
        "vendor/fastserve/broken.py",
    }
    assert applied.notes == [
        "2 files excluded by [tool.portfolio-check] in pyproject.toml"
        " (vendor/course/**, vendor/fastserve/Dockerfile)"
    ]


def test_pyproject_without_our_table_is_no_config(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo",
        {"pyproject.toml": '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n'},
    )
    snapshot = open_target(root)
    assert read_repo_config(snapshot) == RepoConfig(exclude=(), source=None)
    assert snapshot.notes == []
    assert apply_repo_config(snapshot, RepoConfig()) is snapshot


def test_yaml_wins_over_pyproject_and_says_so(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo",
        {
            ".portfolio-check.yaml": 'exclude: ["vendor/course/**"]\n',
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.portfolio-check]\nexclude = ["**"]\n',
        },
    )
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert config.source == ".portfolio-check.yaml"
    assert config.exclude == ("vendor/course/**",)
    assert snapshot.notes == [
        "`[tool.portfolio-check] in pyproject.toml` ignored: `.portfolio-check.yaml` takes"
        " precedence"
    ]
    applied = apply_repo_config(snapshot, config)
    assert VENDOR_NOTEBOOK not in {entry.path for entry in applied}
    assert "vendor/fastserve/Dockerfile" in {entry.path for entry in applied}
    assert applied.notes[-1] == "1 file excluded by .portfolio-check.yaml (vendor/course/**)"


def test_yaml_wins_over_yml(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo",
        {
            ".portfolio-check.yaml": 'exclude: ["vendor/course/**"]\n',
            ".portfolio-check.yml": 'exclude: ["**"]\n',
        },
        git=False,
    )
    snapshot = open_target(root)
    assert read_repo_config(snapshot).exclude == ("vendor/course/**",)
    assert snapshot.notes == [
        "`.portfolio-check.yml` ignored: `.portfolio-check.yaml` takes precedence"
    ]


def test_the_config_file_itself_stays_listed(tmp_path: Path) -> None:
    root = build_repo(
        tmp_path / "repo", {".portfolio-check.yaml": 'exclude: [".*", "*.yaml", "vendor/**"]\n'}
    )
    snapshot = open_target(root)
    applied = apply_repo_config(snapshot, read_repo_config(snapshot))
    assert applied.get(".portfolio-check.yaml") is not None
    assert vendored_paths({entry.path for entry in applied}) == set()
    assert applied.notes == ["5 files excluded by .portfolio-check.yaml (vendor/**)"]


def test_glob_semantics_of_the_documented_example(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo", git=False)
    repo.files(
        {
            ".portfolio-check.yaml": """
                exclude: ["vendor/**", "third_party/**", "notebooks/scratch/*.ipynb",
                          "docs/_build/**"]
            """,
            "vendor/a/b/c/deep.py": "x = 1\n",
            "third_party/lib.py": "x = 1\n",
            "notebooks/scratch/try.ipynb": "{}",
            "notebooks/scratch/notes.md": "# kept\n",
            "notebooks/analysis.ipynb": "{}",
            "docs/_build/html/index.html": "<p>built</p>\n",
            "docs/index.md": "# kept\n",
            "src/vendor.py": "x = 1\n",  # a name, not the folder
        }
    )
    snapshot = open_target(repo.root)
    applied = apply_repo_config(snapshot, read_repo_config(snapshot))
    assert {entry.path for entry in applied} == {
        ".portfolio-check.yaml",
        "notebooks/scratch/notes.md",
        "notebooks/analysis.ipynb",
        "docs/index.md",
        "src/vendor.py",
    }
    assert applied.notes == [
        "4 files excluded by .portfolio-check.yaml"
        " (vendor/**, third_party/**, notebooks/scratch/*.ipynb, docs/_build/**)"
    ]


def test_patterns_that_match_nothing_say_so(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "repo", {".portfolio-check.yaml": 'exclude: ["/vendor/**"]\n'})
    snapshot = open_target(root)
    applied = apply_repo_config(snapshot, read_repo_config(snapshot))
    assert len(applied) == len(snapshot)
    assert applied.notes == ["no file matched the exclude patterns of .portfolio-check.yaml"]


def test_an_empty_config_excludes_nothing(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "repo", {".portfolio-check.yaml": "# nothing yet\n"})
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert config == RepoConfig(exclude=(), source=".portfolio-check.yaml")
    assert apply_repo_config(snapshot, config).notes == []


def test_the_limits_themselves_are_accepted(tmp_path: Path) -> None:
    patterns = [f"vendor/{index:03d}/" + "x" * (MAX_PATTERN_CHARS - 11) for index in range(99)]
    patterns.append("vendor/**")
    assert len(patterns) == MAX_PATTERNS and {len(p) for p in patterns[:-1]} == {200}
    root = build_repo(
        tmp_path / "repo", {".portfolio-check.yaml": json.dumps({"exclude": patterns})}
    )
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert snapshot.notes == []
    assert len(config.exclude) == MAX_PATTERNS
    applied = apply_repo_config(snapshot, config)
    assert applied.notes == ["5 files excluded by .portfolio-check.yaml (vendor/**)"]


# Malformed configs -----------------------------------------------------------------------

MALFORMED = [
    pytest.param(
        ".portfolio-check.yaml",
        'exclude: ["vendor/**"\n  - oops: [\n',
        "`.portfolio-check.yaml` ignored: not valid YAML (line ",
        id="bad-yaml",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        'exclude: "vendor"\n',
        "`.portfolio-check.yaml` ignored: exclude must be a list of strings, found a string",
        id="string-not-list",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        "exclude: [1, 2, 3]\n",
        "`.portfolio-check.yaml` ignored: exclude must be a list of strings, item 1 is a number",
        id="numbers",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        json.dumps({"exclude": [f"vendor/{n}/**" for n in range(MAX_PATTERNS + 1)]}),
        "`.portfolio-check.yaml` ignored: exclude has 101 patterns, at most 100 are allowed",
        id="101-patterns",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        json.dumps({"exclude": ["vendor/**", "v" * (MAX_PATTERN_CHARS + 1)]}),
        "`.portfolio-check.yaml` ignored: exclude item 2 is 201 characters long,"
        " at most 200 are allowed",
        id="pattern-too-long",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        'exclude: ["vendor/**"]\ninclude: ["src/**"]\n',
        "`.portfolio-check.yaml` ignored: unknown key 'include' (expected: exclude, not-applicable)",
        id="unknown-key",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        "- vendor/**\n",
        "`.portfolio-check.yaml` ignored: expected a mapping with `exclude:` or `not-applicable:`, found a list",
        id="top-level-list",
    ),
    pytest.param(
        ".portfolio-check.yml",
        "exclude: [vendor/**, '']\n",
        "`.portfolio-check.yml` ignored: exclude item 2 is empty",
        id="empty-pattern",
    ),
    pytest.param(
        ".portfolio-check.yaml",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n"
            for a, b in zip("abcdef", "bcdefg", strict=True)
        )
        + "exclude: *g\n",
        "`.portfolio-check.yaml` ignored: not valid YAML (more than 1,000,000 nodes",
        id="alias-bomb",
    ),
    pytest.param(
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.portfolio-check]\nexclude = ["vendor/**"\n',
        "`[tool.portfolio-check] in pyproject.toml` ignored: pyproject.toml is not valid TOML (",
        id="bad-toml",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool]\nportfolio-check = "vendor/**"\n',
        "`[tool.portfolio-check] in pyproject.toml` ignored: tool.portfolio-check must be a"
        " table, found a string",
        id="toml-not-a-table",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.portfolio-check]\nexclude = "vendor/**"\n',
        "`[tool.portfolio-check] in pyproject.toml` ignored: exclude must be a list of strings,"
        " found a string",
        id="toml-string-not-list",
    ),
    pytest.param(
        "pyproject.toml",
        '[tool.portfolio-check]\nexclude = ["vendor/**"]\nexcludes = ["x"]\n',
        "`[tool.portfolio-check] in pyproject.toml` ignored: unknown key 'excludes'"
        " (expected: exclude, not-applicable)",
        id="toml-unknown-key",
    ),
]


@pytest.mark.parametrize(("name", "content", "note"), MALFORMED)
def test_malformed_config_is_a_note_and_excludes_nothing(
    name: str, content: str, note: str, tmp_path: Path
) -> None:
    root = build_repo(tmp_path / "repo", {name: content})
    snapshot = open_target(root)
    config = read_repo_config(snapshot)
    assert config == RepoConfig(exclude=(), source=None)
    assert len(snapshot.notes) == 1 and snapshot.notes[0].startswith(note), snapshot.notes
    card = scan(root)  # the whole scan runs on, with every file
    assert card.target.files == len(snapshot)
    assert len(vendored_paths({entry.path for entry in snapshot})) == 5
    assert [item for item in card.target.notes if item.startswith(note)] == [snapshot.notes[0]]
    assert category(card, "coursework") > 0  # the vendored graded notebook still counts


def test_unknown_keys_are_shown_short_and_printable(tmp_path: Path) -> None:
    key = "\x1b[31m" + "k" * 100
    root = build_repo(tmp_path / "repo", {".portfolio-check.yaml": json.dumps({key: 1})})
    snapshot = open_target(root)
    assert read_repo_config(snapshot).source is None
    (note,) = snapshot.notes
    assert "\x1b" not in note
    assert note == f"`.portfolio-check.yaml` ignored: unknown key '?[31m{'k' * 35}...'" + (
        " (expected: exclude, not-applicable)"
    )


@pytest.mark.parametrize("git", [True, False], ids=["git", "folder"])
def test_symlinked_config_pointing_outside_is_not_followed(tmp_path: Path, git: bool) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text('exclude: ["**"]\n', encoding="utf-8")
    root = build_repo(tmp_path / "repo", {}, git=False)
    (root / ".portfolio-check.yaml").symlink_to(outside)
    if git:
        repo = RepoBuilder(root)
        repo.commit("Link a config", date="2026-03-02T10:00:00+00:00")
    snapshot = open_target(root)
    entry = snapshot.get(".portfolio-check.yaml")
    assert entry is not None and entry.kind is EntryKind.SYMLINK
    assert read_repo_config(snapshot) == RepoConfig()
    assert snapshot.notes == [
        "`.portfolio-check.yaml` ignored: not read, symlink (recorded, not followed)"
    ]
    card = scan(root)
    assert card.target.files == len(snapshot)
    assert category(card, "containerisation") > 0


# Exclusions change real scores -----------------------------------------------------------


def test_excluded_files_are_invisible_to_every_analyzer(vendored_path: Path) -> None:
    excluded = scan(vendored_path)
    everything = scan(vendored_path, options=ScanOptions(use_repo_config=False))

    assert excluded.target.notes == ("5 files excluded by .portfolio-check.yaml (vendor/**)",)
    assert everything.target.notes == (
        "`.portfolio-check.yaml` not applied: the repository's own config was ignored",
    )
    assert everything.target.files == excluded.target.files + 5

    # the vendored Dockerfile and graded notebook count only when the folder is scanned
    assert category(everything, "containerisation") > 0
    assert category(excluded, "containerisation") == 0
    assert category(everything, "coursework") > 0
    assert excluded.certification_score == 0 < everything.certification_score
    assert excluded.real_world_score < everything.real_world_score

    # nothing under vendor/ is evidence, a claim, a finding or a hygiene problem
    assert vendored_paths(evidence_paths(everything))
    assert vendored_paths(evidence_paths(excluded)) == set()
    assert "vendor/fastserve/broken.py" in {finding.path for finding in everything.findings}
    assert vendored_paths({finding.path for finding in excluded.findings}) == set()
    assert vendored_paths({claim.path for claim in excluded.claims}) == set()
    assert vendored_paths({notebook.path for notebook in excluded.notebooks}) == set()
    assert vendored_paths({spot.path for spot in excluded.hotspots}) == set()


def test_cli_applies_the_config_unless_told_to_ignore_it(vendored_path: Path) -> None:
    runner = CliRunner()
    applied = runner.invoke(command, [str(vendored_path), "-f", "json", "-o", "-"])
    ignored = runner.invoke(
        command, [str(vendored_path), "-f", "json", "-o", "-", "--ignore-repo-config"]
    )
    assert applied.exit_code == 0, applied.output
    assert ignored.exit_code == 0, ignored.output
    with_config, without_config = json.loads(applied.output), json.loads(ignored.output)
    assert with_config["certification"]["score"] == 0
    assert without_config["certification"]["score"] > 0
    assert with_config["real_world"]["score"] < without_config["real_world"]["score"]
    assert not vendored_paths(_json_evidence_paths(with_config))
    assert "vendor/fastserve/Dockerfile" in _json_evidence_paths(without_config)


def test_cli_text_summary_shows_the_exclusion_note(vendored_path: Path) -> None:
    result = CliRunner().invoke(command, [str(vendored_path), "-f", "text", "--no-color"])
    assert result.exit_code == 0, result.output
    assert "! 5 files excluded by .portfolio-check.yaml (vendor/**)" in result.output
    ignored = CliRunner().invoke(
        command, [str(vendored_path), "-f", "text", "--no-color", "--ignore-repo-config"]
    )
    assert "files excluded" not in ignored.output
    assert "`.portfolio-check.yaml` not applied" in ignored.output


def test_installed_entry_point_honours_the_flag(vendored_path: Path) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    env = {**os.environ, "NO_COLOR": "1"}
    cards = {}
    for flags in ((), ("--ignore-repo-config",)):
        done = subprocess.run(
            [str(ENTRY_POINT), str(vendored_path), "-f", "json", "-o", "-", *flags],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        cards[flags] = json.loads(done.stdout)
    applied, ignored = cards[()], cards[("--ignore-repo-config",)]
    assert applied["certification"]["score"] == 0 < ignored["certification"]["score"]
    assert applied["real_world"]["score"] < ignored["real_world"]["score"]
    assert not vendored_paths(_json_evidence_paths(applied))
    assert VENDOR_NOTEBOOK in _json_evidence_paths(ignored)


def test_help_names_the_config_and_the_flag() -> None:
    result = CliRunner().invoke(command, ["--help"], terminal_width=120)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--ignore-repo-config Ignore the scanned repository's own" in text
    assert "a reviewer should not let a candidate decide what is scanned" in text
    assert (
        "Paths to leave out: `exclude:` globs in the repo's .portfolio-check.yaml or"
        " pyproject.toml." in result.output
    )


def _json_evidence_paths(card: dict[str, Any]) -> set[str]:
    return {
        evidence["path"]
        for item in card["categories"]
        for criterion in item["criteria"]
        for evidence in criterion["evidence"]
    }
