"""Reading outside the repository: symlinks (to /etc/passwd, to a folder outside, in loops),
hard links to files outside, and `..` in paths of a crafted git tree or index.

A unique secret is planted outside the repository in files a scan would quote if it read
them (a heading, a requirement, a Dockerfile command); a control shows it would surface.
It must appear in no report: text, HTML, JSON, Markdown or SARIF.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.intake.snapshot import EntryKind
from portfolio_check.intake.sources import open_target
from tests.hostile import corpus
from tests.repos import RepoBuilder


def assert_no_secret(reports: dict[str, str], secrets: corpus.Secrets) -> None:
    for output_format, report in reports.items():
        for marker in secrets.markers:
            assert marker not in report.lower(), f"{marker} leaked into the {output_format} report"


def test_the_secrets_would_show_if_they_were_read(secrets: corpus.Secrets) -> None:
    """The control: scanned where they are regular files, the planted files do surface in
    every report (in the README, the requirement and the Dockerfile command)."""
    RepoBuilder(secrets.folder, git=False).write("app.py", "import fastapi\n")
    reports = corpus.all_formats(scan(secrets.folder))
    for output_format, report in reports.items():
        if output_format in corpus.SCORE_ONLY_FORMATS:
            continue  # a badge names no file
        assert secrets.token in report.lower(), output_format


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "plain"])
def test_links_out_of_the_repository_are_listed_never_followed(
    tmp_path: Path, secrets: corpus.Secrets, use_git: bool
) -> None:
    root = corpus.escape_repo(tmp_path / "repo", secrets, use_git=use_git)
    kinds = {entry.path: entry.kind for entry in open_target(root)}
    for link in ("requirements.txt", "passwd.md", "Dockerfile", "docs", "loop-a", "self", "up"):
        assert kinds[link] is EntryKind.SYMLINK, link
    for link in ("notes.md", "requirements-dev.txt", "deploy/Dockerfile"):
        assert kinds[link] is EntryKind.HARDLINK, link
    assert not any(path.startswith(("docs/", "self/", "up/", "deep/etc/")) for path in kinds)
    card = scan(root)
    assert_no_secret(corpus.all_formats(card), secrets)
    skipped = {f.path: f.message for f in card.findings if "hard link" in f.message}
    assert set(skipped) == {"notes.md", "requirements-dev.txt", "deploy/Dockerfile"}
    assert card.target.files == len(kinds)


def test_the_command_leaks_nothing(tmp_path: Path, secrets: corpus.Secrets, outside: Path) -> None:
    """End to end, as files written by the command: the summary and HTML of a default run,
    and the JSON (every other format is rendered from the same scorecard above)."""
    root = corpus.escape_repo(tmp_path / "repo", secrets, use_git=True)
    summary = corpus.run_cli([root, "-o", outside / "card.html"], cwd=outside)
    as_json = corpus.run_cli([root, "-f", "json", "-o", outside / "card.json"], cwd=outside)
    assert summary.returncode == 0 and as_json.returncode == 0, summary.stderr + as_json.stderr
    reports = {
        "text": summary.stdout,
        "html": (outside / "card.html").read_text(encoding="utf-8"),
        "json": (outside / "card.json").read_text(encoding="utf-8"),
    }
    assert_no_secret(reports, secrets)
    assert "hard link" in reports["json"]


def test_git_refuses_dotdot_names_outright(tmp_path: Path) -> None:
    repo = RepoBuilder(tmp_path / "repo").write("a.txt", "a\n").commit("a")
    blob = corpus.git(repo.root, "hash-object", "a.txt").strip()
    error = corpus.git_refuses(repo.root, "mktree", input_text=f"100644 blob {blob}\t../evil\n")
    assert "contains slash" in error
    error = corpus.git_refuses(
        repo.root, "update-index", "--add", "--cacheinfo", f"100644,{blob},../evil"
    )
    assert "invalid path" in error.lower()


def test_a_tree_with_a_dotdot_folder_is_read_without_its_paths(
    tmp_path: Path, secrets: corpus.Secrets
) -> None:
    """`git mktree` does take a folder named `..`; the commit's listing then says
    `../evil.md`. The scan of that commit skips the path, says so, and quotes nothing."""
    repo = RepoBuilder(tmp_path / "repo").write("README.md", "# repo\n").commit("first")
    commit = corpus.dotdot_commit(repo.root, f"# Results {secrets.token}\n\nrecall 0.5\n")
    assert "../evil.md" in corpus.git(repo.root, "ls-tree", "-r", "--name-only", commit)
    card = scan(repo.root, options=ScanOptions(revision=commit))
    assert card.target.notes == (
        "1 path that would lead outside the repository (such as `..`) was skipped",
    )
    assert card.target.files == 1
    reports = corpus.all_formats(card)
    assert_no_secret(reports, secrets)
    assert not any("../evil" in report for report in reports.values())


def test_a_crafted_index_naming_a_file_outside_is_not_read(
    tmp_path: Path, secrets: corpus.Secrets, outside: Path
) -> None:
    """An index written by hand can name `../outside/notes.md`; `git ls-files` prints it.
    Reading it used to crash the scan (UnsafePathError); now it is skipped with a note."""
    repo = RepoBuilder(tmp_path / "repo").write("README.md", "# repo\n").commit("first")
    blob = corpus.git(repo.root, "hash-object", "README.md").strip()
    escape = f"../{secrets.folder.name}/notes.md"
    corpus.craft_index(repo.root, ["README.md", escape], blob)
    assert escape in corpus.git(repo.root, "ls-files")
    card = scan(repo.root)
    assert "1 path that would lead outside the repository" in card.target.notes[0]
    assert_no_secret(corpus.all_formats(card), secrets)
    result = corpus.run_cli([repo.root, "-f", "text", "-o", "-"], cwd=outside)
    assert result.returncode == 0, result.stderr
    assert "would lead outside the repository" in result.stdout
