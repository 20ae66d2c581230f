"""The command line, as learners use it: through click's runner and the installed script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_check.cli import command, main

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"


def run_main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_default_run_prints_summary_and_writes_html(
    production_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main([str(production_path)], monkeypatch, capsys)
    assert code == 0
    assert "Real-world evidence" in out and "Next steps" in out
    report = tmp_path / "portfolio-check-report" / "scorecard.html"
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert "Scorecard written to portfolio-check-report/scorecard.html" in err
    assert (tmp_path / "portfolio-check-report" / ".gitignore").read_text().endswith("\n*\n")


def test_json_to_stdout_is_pure_json(
    production_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(
        [str(production_path), "--format", "json", "-o", "-"], monkeypatch, capsys
    )
    assert code == 0
    assert json.loads(out)["real_world"]["score"] > 60


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [("markdown", "## portfolio-check"), ("json", '"schema_version"'), ("html", "<!DOCTYPE html>")],
)
def test_format_and_output_file(
    fmt: str,
    marker: str,
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / f"card.{fmt}"
    code, out, _ = run_main(
        [str(honest_path), "-f", fmt, "-o", str(target), "--quiet"], monkeypatch, capsys
    )
    assert code == 0 and out == ""
    assert marker in target.read_text()


def test_text_format_goes_to_stdout_and_writes_no_file(
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_main([str(honest_path), "-f", "text"], monkeypatch, capsys)
    assert code == 0 and "Real-world evidence" in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("threshold", "expected"), [("95", 1), ("5", 0)])
def test_fail_under(
    threshold: str,
    expected: int,
    honest_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_main(
        [str(honest_path), "-q", "-f", "json", "-o", "-", "--fail-under", threshold],
        monkeypatch,
        capsys,
    )
    assert code == expected
    assert ("below --fail-under 95" in err) is (expected == 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/definitely/not/here"], "/definitely/not/here: no such file or directory"),
        (["--rubric", "nonexistent"], "nonexistent: no rubric by that name or path"),
        (["--format", "pdf"], "'pdf' is not one of"),
        (["--fail-under", "120"], "is not in the range 0<=x<=100"),
        (["--no-such-option"], "No such option"),
    ],
)
def test_input_errors_are_one_line_with_exit_code_2(
    args: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_main(args, monkeypatch, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("portfolio-check: error: ")
    assert message in err
    assert "Traceback" not in err + out


def test_a_file_target_and_a_broken_rubric(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.pkl").write_bytes(b"x")
    code, _, err = run_main([str(tmp_path / "model.pkl")], monkeypatch, capsys)
    assert code == 2 and "is a file, expected a directory" in err
    rubric = tmp_path / "team.yaml"
    rubric.write_text(
        "id: team\nextends: ml-portfolio\ncategories:\n  - id: testing\n    weight: heavy\n"
    )
    code, _, err = run_main([str(tmp_path), "--rubric", str(rubric)], monkeypatch, capsys)
    assert code == 2
    assert err.strip().endswith("team.yaml: categories[0].weight: expected a number")


def test_unwritable_output_is_an_input_error(
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run_main(
        [str(honest_path), "-o", str(tmp_path / "missing" / "r.html")], monkeypatch, capsys
    )
    assert code == 2 and "folder" in err and "does not exist" in err


def test_existing_report_survives_a_failed_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "card.html"
    report.write_text("previous report")
    code, _, _ = run_main([str(tmp_path / "gone"), "-o", str(report)], monkeypatch, capsys)
    assert code == 2 and report.read_text() == "previous report"


def test_help_teaches_with_examples() -> None:
    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert "--fail-under" in result.output and "extends: ml-portfolio" in result.output
    assert "Nothing in it is run" in result.output


def test_no_color_env_is_honoured(honest_path: Path) -> None:
    result = CliRunner().invoke(
        command, [str(honest_path), "-f", "text", "--color"], env={"NO_COLOR": "1"}
    )
    assert "\x1b[" in result.output  # an explicit --color wins
    result = CliRunner().invoke(command, [str(honest_path), "-f", "text"], env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.output


def test_installed_entry_point_in_a_subprocess(production_path: Path, tmp_path: Path) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [str(ENTRY_POINT), str(production_path), "-o", str(tmp_path / "card.html")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Real-world evidence" in done.stdout
    assert (tmp_path / "card.html").stat().st_size > 2000
    failed = subprocess.run(
        [str(ENTRY_POINT), str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert failed.returncode == 2
    assert (
        failed.stderr
        == f"portfolio-check: error: {tmp_path / 'missing'}: no such file or directory\n"
    )


def test_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(["--version"], monkeypatch, capsys)
    assert code == 0 and out.startswith("portfolio-check, version ")


def test_report_file_gets_ordinary_permissions(
    honest_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old_umask = os.umask(0o022)
    try:
        code, _, _ = run_main(
            [str(honest_path), "-q", "-o", str(tmp_path / "card.html")], monkeypatch, capsys
        )
    finally:
        os.umask(old_umask)
    assert code == 0
    assert (tmp_path / "card.html").stat().st_mode & 0o777 == 0o644
    assert not [
        p for p in tmp_path.iterdir() if p.name.startswith(".card.html.")
    ]  # no temp file left


def test_a_report_written_to_a_fifo_reaches_its_reader_and_leaves_the_fifo(
    honest_path: Path, tmp_path: Path
) -> None:
    """`-o /dev/null` or a named pipe: written through, never renamed over. A rename
    replaced `/dev/null` itself with a regular file when the tool ran as root."""
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text("utf-8")))
    reader.start()
    held_open = os.open(fifo, os.O_WRONLY)  # the reader sees the end once the scan is done
    try:
        scan = subprocess.run(
            [str(ENTRY_POINT), str(honest_path), "-q", "-f", "json", "-o", str(fifo)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.close(held_open)
    reader.join()
    assert scan.returncode == 0, scan.stderr
    assert fifo.is_fifo()
    assert json.loads(received[0])["schema_version"] == "1"
