"""`portfolio-check --open`: the written scorecard opens in the user's browser (never a real
one here: `webbrowser.open` is replaced, or BROWSER names a script that records its URL)."""

from __future__ import annotations

import os
import stat
import subprocess
import webbrowser
from pathlib import Path

import pytest

from portfolio_check.cli import main
from tests.cli.test_cli import ENTRY_POINT, run_main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []

    def record(url: str, *args: object, **kwargs: object) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", record)
    return urls


def test_open_shows_the_written_scorecard(
    honest_path: Path,
    tmp_path: Path,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = tmp_path / "card.html"
    code, _, _ = run_main(
        [str(honest_path), "-o", str(report), "--open", "-q"], monkeypatch, capsys
    )
    assert code == 0
    assert opened == [report.resolve().as_uri()]
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "extra",
    [["-o", "-"], ["--format", "json"], ["--format", "text"], ["-f", "markdown", "-o", "x.md"]],
)
def test_open_without_an_html_file_is_a_one_line_usage_error(
    extra: list[str],
    honest_path: Path,
    tmp_path: Path,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main([str(honest_path), "--open", *extra], monkeypatch, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "--open opens the HTML scorecard" in err
    assert out == "" and opened == []


def test_no_browser_is_a_note_not_a_failure(
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: False)
    report = tmp_path / "card.html"
    code, _, err = run_main(
        [str(honest_path), "-o", str(report), "--open", "-q"], monkeypatch, capsys
    )
    assert code == 0
    assert f"no web browser found to open {report}" in err


def test_the_installed_command_hands_the_page_to_the_browser_variable(
    honest_path: Path, tmp_path: Path
) -> None:
    """webbrowser honours BROWSER, as a user's shell sets it: here a script that records."""
    record = tmp_path / "opened.txt"
    browser = tmp_path / "fake-browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{record}"\n', encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    report = tmp_path / "out" / "card.html"
    report.parent.mkdir()
    done = subprocess.run(
        [str(ENTRY_POINT), str(honest_path), "-o", str(report), "--open", "-q"],
        env={**os.environ, "BROWSER": str(browser)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert record.read_text(encoding="utf-8") == report.resolve().as_uri()


def test_help_text_names_open(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    assert "--open" in help_text and "BROWSER" in help_text


def test_open_in_batch_mode_shows_the_comparison_page(
    honest_path: Path,
    coursework_path: Path,
    tmp_path: Path,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "review"
    code, _, _ = run_main(
        [str(honest_path), str(coursework_path), "-o", str(out), "--jobs", "1", "--open", "-q"],
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert opened == [(out / "comparison.html").resolve().as_uri()]
