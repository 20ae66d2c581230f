"""Reviewer mode: many candidates scanned in parallel, resumably, in shards, and compared.

Every candidate is local: folders built with RepoBuilder, and `file://` "remotes" made with
`git clone --bare`. Nothing here touches the network.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.app import batch
from portfolio_check.app.batch import (
    BatchResult,
    CandidateEvent,
    CandidateJob,
    CandidateOutcome,
    RejectedTarget,
    run_batch,
    worker,
)
from portfolio_check.app.batch.rows import Row, row_from_json
from portfolio_check.cli import main
from portfolio_check.intake.clone import CloneOptions
from portfolio_check.intake.targets import Target, parse_target
from portfolio_check.report.templating import html_environment
from tests import repos

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
NO_CACHE = CloneOptions(cache_dir=None, timeout=60.0)
GIT_ENV = {**os.environ, **repos.GIT_IDENTITY}


# fixtures ----------------------------------------------------------------------------------
def bare_remote(source: Path, destination: Path) -> str:
    """A "remote" for `source`: a bare clone, named by a file:// URL."""
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(source), str(destination)],
        check=True,
        capture_output=True,
        env=GIT_ENV,
        timeout=60,
    )
    return destination.as_uri()


def head_of(path: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=path,
        check=True,
        capture_output=True,
        text=True,
        env=GIT_ENV,
    ).stdout.strip()


def garbage_repo(root: Path) -> Path:
    """A notebook that is not JSON, Python that does not parse, bytes in a .py: still scored."""
    repo = repos.RepoBuilder(root)
    repo.files(
        {
            "analysis.ipynb": '{"cells": [ {"cell_type": "code", "source": ',
            "train.py": "def train(:\n    return ))\n",
            "model.py": b"\x00\x01\xff\xfe not python at all \x80\x81",
            "README.md": "# garbage\n\nNothing here parses.\n",
        }
    ).commit("Upload", date="2026-03-01T10:00:00+00:00")
    return root


def plain_folder(root: Path) -> Path:
    """Not a git repository: walked, and it has no commit."""
    repos.RepoBuilder(root, git=False).files(
        {
            "README.md": "# notes\n\nA folder of scripts, never committed.\n",
            "fit.py": "import numpy as np\n\n\ndef fit(x):\n    return np.polyfit(x, x, 1)\n",
        }
    )
    return root


def oversized_repo(root: Path) -> Path:
    """About 2 MB of incompressible data: over a 1 MB --max-repo-size."""
    repo = repos.RepoBuilder(root)
    repo.files({"weights.bin": os.urandom(2 * 1024 * 1024), "README.md": "# big\n"})
    repo.commit("Add the weights", date="2026-03-01T10:00:00+00:00")
    return root


@dataclass(frozen=True)
class Fleet:
    """The 21 candidates of one reviewer's --from file, and what each should become."""

    list_file: Path
    good: dict[str, Path | None]  # label -> the git work tree whose HEAD it must be at
    bad: dict[str, str]  # label -> a phrase its error must contain
    ext_marker: Path  # a file the refused ext:: command would have created


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = tmp_path_factory.mktemp("fleet")
    builders: dict[str, Callable[[Path], Path]] = {
        "ada": repos.production_repo,
        "alan": repos.production_repo,
        "grace": repos.coursework_repo,
        "edsger": repos.coursework_repo,
        "barbara": repos.buzzword_repo,
        "ken": repos.buzzword_repo,
        "margaret": repos.honest_repo,
        "dennis": repos.honest_repo,
        "junk": garbage_repo,
    }
    good: dict[str, Path | None] = {}
    lines = ["# candidates for the spring cohort", ""]
    for label, build in builders.items():
        path = build(root / "repos" / label)
        good[label] = path
        lines.append(f"{path} {label}  # local folder")
    good["notes"] = None
    lines.append(f"{plain_folder(root / 'repos' / 'notes')} notes")
    remotes = {"ada-remote": "ada", "grace-remote": "grace", "dennis-remote": "dennis"}
    remotes["margaret-remote"] = "margaret"
    for label, source in remotes.items():
        source_path = root / "repos" / source
        lines.append(f"{bare_remote(source_path, root / 'remotes' / f'{label}.git')} {label}")
        good[label] = source_path
    big = bare_remote(oversized_repo(root / "repos" / "big"), root / "remotes" / "big.git")
    (root / "a-file").write_text("not a folder\n")
    marker = root / "ext-ran"
    bad = {
        "gone": "no such file or directory",
        "a-file": "is a file, expected a directory",
        "refused-ext": "transport syntax is refused",
        "ext-sh": "found 3 words",  # `ext::sh -c ...` split into words: a line that cannot parse
        "plain-http": "http:// is only allowed",
        "no-remote": "git clone failed",
        "too-big": "larger than 1 MB",
    }
    lines += [
        f"{root / 'gone'} gone",
        f"{root / 'a-file'} a-file",
        f"ext::sh%20-c%20touch%20{marker} refused-ext",
        f"ext::sh -c touch%20{marker}",
        "http://example.com/mallory/model.git plain-http",
        f"{(root / 'remotes' / 'nothing-here.git').as_uri()} no-remote",
        f"{big} too-big",
    ]
    list_file = root / "candidates.txt"
    list_file.write_text("\n".join(lines) + "\n")
    assert len(good) + len(bad) == 21
    return Fleet(list_file=list_file, good=good, bad=bad, ext_marker=marker)


@dataclass(frozen=True)
class FleetRun:
    out: Path
    code: int
    stdout: str
    stderr: str
    rows: list[dict[str, Any]]


@pytest.fixture(scope="module")
def fleet_run(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> FleetRun:
    """One CLI run over the whole fleet: two workers, no clone cache, a 1 MB clone limit."""
    out = tmp_path_factory.mktemp("review") / "out"
    args = ["--from", str(fleet.list_file), "-o", str(out), "--jobs", "2", "--no-cache"]
    code, stdout, stderr = run_cli([*args, "--max-repo-size", "1"])
    return FleetRun(out=out, code=code, stdout=stdout, stderr=stderr, rows=results_of(out))


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """`main(args)` in this process, with stdout and stderr captured (neither is a TTY)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            main(args)
        except SystemExit as exited:
            code = int(exited.code or 0)
        else:  # pragma: no cover - main always exits
            code = -1
    return code, stdout.getvalue(), stderr.getvalue()


def results_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def as_dicts(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Typed rows as results.jsonl holds them."""
    return [row.to_json_dict() for row in rows]


def by_label(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["label"]: row for row in rows}


def without_seconds(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in row.items() if k != "seconds"} for row in rows), key=str)


# the whole fleet --------------------------------------------------------------------------------
def test_fleet_batch_exits_0_with_error_rows_and_prints_one_summary_line(
    fleet_run: FleetRun,
) -> None:
    assert fleet_run.code == 0, fleet_run.stderr
    assert fleet_run.stdout == ""
    assert fleet_run.stderr == (
        f"21 candidates: 14 scored, 7 errors; comparison: {fleet_run.out / 'comparison.html'}\n"
    )


def test_fleet_results_have_exactly_one_line_per_candidate(
    fleet: Fleet, fleet_run: FleetRun
) -> None:
    labels = [row["label"] for row in fleet_run.rows]
    assert sorted(labels) == sorted([*fleet.good, *fleet.bad])
    assert all(list(row) == list(batch.ROW_KEYS) for row in fleet_run.rows)


def test_every_good_candidate_is_scored_at_its_commit(fleet: Fleet, fleet_run: FleetRun) -> None:
    rows = by_label(fleet_run.rows)
    for label, work_tree in fleet.good.items():
        row = rows[label]
        assert row["status"] == "ok", row
        assert row["error"] is None
        assert isinstance(row["real_world"], float) and isinstance(row["certification"], float)
        assert row["grade"] and row["profile"]
        assert row["commit"] == (head_of(work_tree) if work_tree else None)
        assert (
            (fleet_run.out / "candidates" / f"{label}.html")
            .read_text()
            .startswith("<!DOCTYPE html>")
        )
        card = json.loads((fleet_run.out / "candidates" / f"{label}.json").read_text())
        assert card["real_world"]["score"] == row["real_world"]
    # what a reviewer reads off the rows
    assert rows["ada"]["real_world"] > 60 and rows["ada"]["profile"] == (
        "Production-minded practitioner"
    )
    assert rows["ada"]["strengths"][0] == "Deployment and serving" and len(rows["ada"]["gaps"]) == 3
    assert rows["grace"]["certification"] > 50 and rows["grace"]["strengths"] == []
    assert rows["ada-remote"]["real_world"] == rows["ada"]["real_world"]
    assert rows["ada-remote"]["spec"].startswith("file://")


def test_every_bad_candidate_is_an_error_row_with_its_reason(
    fleet: Fleet, fleet_run: FleetRun
) -> None:
    rows = by_label(fleet_run.rows)
    for label, phrase in fleet.bad.items():
        row = rows[label]
        assert row["status"] == "error", row
        assert phrase in row["error"], row["error"]
        assert "\n" not in row["error"]
        assert row["real_world"] is None and row["strengths"] == []
        assert not (fleet_run.out / "candidates" / f"{label}.html").exists()
    # a parse error given via --from names the file and the line
    assert re.search(r"candidates\.txt:\d+: ", rows["ext-sh"]["error"])
    assert not fleet.ext_marker.exists()


def test_comparison_lists_every_candidate_and_marks_the_errors(
    fleet: Fleet, fleet_run: FleetRun
) -> None:
    html = (fleet_run.out / "comparison.html").read_text()
    page = Page.of(html)
    assert page.view_ids == ["by-certification", "by-label", "by-real-world"]
    for view in page.view_ids:
        assert sorted(page.labels[view]) == sorted([*fleet.good, *fleet.bad])
        assert page.error_rows[view] == len(fleet.bad)
    assert sorted(page.links) == sorted(
        f"candidates/{label}.html" for label in fleet.good
    )  # each once per view, each good one linked
    assert page.links[0].startswith("candidates/")
    # by real-world: best first, errors last
    ranked = page.labels["by-real-world"]
    assert ranked[0] in {"ada", "alan", "ada-remote"}
    assert set(ranked[-len(fleet.bad) :]) == set(fleet.bad)


# the comparison page ----------------------------------------------------------------------------
class Page(HTMLParser):
    """What a browser would show of comparison.html: views, their rows, links, tags."""

    def __init__(self) -> None:
        super().__init__()
        self.view_ids: list[str] = []
        self.labels: dict[str, list[str]] = {}
        self.error_rows: dict[str, int] = {}
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._view = ""
        self._cell = 0
        self._in_label = False

    @classmethod
    def of(cls, html: str) -> Page:
        page = cls()
        page.feed(html)
        page.links = sorted(set(page.links))
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if tag == "section" and "view" in classes:
            self._view = attributes.get("id") or ""
            self.view_ids.append(self._view)
            self.labels[self._view] = []
            self.error_rows[self._view] = 0
        elif tag == "tr" and self._view:
            self._cell = 0
            if "error" in classes:
                self.error_rows[self._view] += 1
        elif tag == "td":
            self._cell += 1
            self._in_label = self._cell == 2
        elif tag == "br":
            self._in_label = False
        elif tag == "a" and self._in_label:
            self.links.append(attributes.get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._in_label and data.strip():
            self.labels[self._view].append(data.strip())
            self._in_label = False


def ok_row(label: str, real_world: float, certification: float, **extra: Any) -> Row:
    row: dict[str, Any] = {
        "label": label,
        "spec": f"gh:someone/{label}",
        "status": "ok",
        "commit": "0" * 40,
        "real_world": real_world,
        "certification": certification,
        "grade": "C",
        "profile": "Builder with gaps",
        "strengths": ["Testing"],
        "gaps": ["Monitoring"],
        "error": None,
        "seconds": 987.65,
    }
    return row_from_json({**row, **extra})


def test_comparison_is_self_contained_with_the_scorecard_csp(tmp_path: Path) -> None:
    (tmp_path / "candidates").mkdir()
    (tmp_path / "candidates" / "linked.html").write_text("<!DOCTYPE html>")
    path = batch.write_comparison(tmp_path, [ok_row("linked", 70, 5), ok_row("unlinked", 40, 20)])
    html = path.read_text()
    page = Page.of(html)
    scorecard_head = html_environment().get_template("_page_head.html.j2").render()
    csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', scorecard_head)
    assert csp and csp.group(0) in html
    assert "default-src 'none'" in csp.group(0)
    assert not [tag for tag, _ in page.tags if tag in {"script", "img", "iframe", "link", "form"}]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    hrefs = [attrs["href"] or "" for tag, attrs in page.tags if tag == "a"]
    assert hrefs and all(h.startswith(("#", "candidates/")) for h in hrefs)
    assert page.links == ["candidates/linked.html"]  # no scorecard file: no link
    assert "--real:" in html and ":target" in html  # the scorecard's colours; CSS sorting


def test_comparison_sorts_three_ways_without_javascript(tmp_path: Path) -> None:
    rows = [
        ok_row("bravo", 80, 10),
        ok_row("alpha", 30, 60),
        ok_row("charlie", 55, 0),
        batch.error_row(label="delta", spec="gh:x/delta", reason="clone refused"),
    ]
    page = Page.of(batch.write_comparison(tmp_path, rows).read_text())
    assert page.labels == {
        "by-certification": ["alpha", "bravo", "charlie", "delta"],
        "by-label": ["alpha", "bravo", "charlie", "delta"],
        "by-real-world": ["bravo", "charlie", "alpha", "delta"],
    }
    html = (tmp_path / "comparison.html").read_text()
    for fragment, text in (
        ("#by-real-world", "sort by real-world"),
        ("#by-certification", "sort by certification-only"),
        ("#by-label", "sort by label"),
    ):
        assert f'<a href="{fragment}">{text}</a>' in html
    # only the default view shows without a fragment; a targeted one hides it
    assert 'id="by-real-world" class="view default"' in html
    assert ".view { display: none; }" in html
    assert ".view:target ~ .view.default { display: none; }" in html
    assert "<script" not in html


def test_comparison_is_byte_identical_whatever_the_row_order(tmp_path: Path) -> None:
    rows = [ok_row(f"c{n}", n * 7 % 100, n * 13 % 100) for n in range(12)]
    rows.append(batch.error_row(label="broken", spec="./broken", reason="no such folder"))
    first = batch.write_comparison(tmp_path / "a", rows).read_bytes()
    second = batch.write_comparison(tmp_path / "b", list(reversed(rows))).read_bytes()
    assert first == second
    assert b"987" not in first  # seconds vary between runs: never shown


def test_candidate_text_is_escaped_and_only_safe_labels_link(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    (tmp_path / "candidates").mkdir()
    (tmp_path / "candidates" / "a b.html").write_text("x")
    rows = [
        ok_row("a b", 50, 0, spec=hostile, profile=hostile, strengths=[hostile], gaps=[hostile]),
        batch.error_row(label="mallory", spec="gh:m/x", reason=f'clone failed: "{hostile}"'),
    ]
    html = batch.write_comparison(tmp_path, rows).read_text()
    page = Page.of(html)
    assert not [tag for tag, _ in page.tags if tag == "script"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page.links == []  # "a b" is not a label run_batch could have written


def test_error_reasons_are_one_printable_line() -> None:
    row = batch.error_row(label="x", spec="./x", reason="bad\n  file \x1b[31mred\u202e.py\tthere")
    assert row.error == "bad file ?[31mred?.py there"
    assert len(batch.error_row(label="x", spec="x", reason="y" * 1000).error) == batch.MAX_REASON


def test_href_is_url_quoted(tmp_path: Path) -> None:
    (tmp_path / "candidates").mkdir()
    (tmp_path / "candidates" / "ada_v1.2-final.html").write_text("x")
    page = Page.of(batch.write_comparison(tmp_path, [ok_row("ada_v1.2-final", 1, 2)]).read_text())
    assert page.links == ["candidates/ada_v1.2-final.html"]


# the small list: parallel, shards, merge --------------------------------------------------------
@pytest.fixture(scope="module")
def small_list(tmp_path_factory: pytest.TempPathFactory) -> list[Target | RejectedTarget]:
    root = tmp_path_factory.mktemp("small")
    honest = repos.honest_repo(root / "honest")
    specs = [
        (str(repos.production_repo(root / "churn")), None),
        (str(repos.coursework_repo(root / "course")), None),
        (str(honest), None),
        (str(repos.buzzword_repo(root / "buzz")), None),
        (str(plain_folder(root / "plain")), None),
        (bare_remote(honest, root / "honest-remote.git"), "honest-remote"),
        (str(root / "missing"), None),
    ]
    candidates = [parse_target(spec, label) for spec, label in specs]
    return [*candidates, RejectedTarget(spec="ext::sh", label="ext-sh", reason="refused")]


def batch_into(
    out: Path,
    candidates: Sequence[Target | RejectedTarget],
    *,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
    resume: bool = False,
    progress: Callable[[CandidateEvent], None] | None = None,
) -> BatchResult:
    return run_batch(
        candidates,
        rubric_name="ml-portfolio",
        out_dir=out,
        jobs=jobs,
        clone_options=NO_CACHE,
        resume=resume,
        shard=shard,
        progress=progress,
    )


@pytest.fixture(scope="module")
def unsharded(
    small_list: list[Target | RejectedTarget], tmp_path_factory: pytest.TempPathFactory
) -> BatchResult:
    return batch_into(tmp_path_factory.mktemp("unsharded") / "out", small_list)


def test_batch_result_rows_are_in_input_order_with_counts(
    small_list: list[Target | RejectedTarget], unsharded: BatchResult
) -> None:
    assert [row.label for row in unsharded.rows] == [c.label for c in small_list]
    assert (unsharded.ok, unsharded.errors, unsharded.skipped) == (6, 2, 0)
    assert unsharded.comparison.name == "comparison.html" and unsharded.comparison.is_file()
    assert len(results_of(unsharded.comparison.parent)) == 8


def test_two_jobs_give_the_same_rows_as_one(
    small_list: list[Target | RejectedTarget], unsharded: BatchResult, tmp_path: Path
) -> None:
    parallel = batch_into(tmp_path / "out", small_list, jobs=2)
    assert without_seconds(as_dicts(parallel.rows)) == without_seconds(as_dicts(unsharded.rows))
    assert without_seconds(results_of(tmp_path / "out")) == without_seconds(
        as_dicts(unsharded.rows)
    )
    assert parallel.comparison.read_bytes() == unsharded.comparison.read_bytes()


def test_three_shards_merged_equal_one_unsharded_run(
    small_list: list[Target | RejectedTarget], unsharded: BatchResult, tmp_path: Path
) -> None:
    shards = [tmp_path / f"shard-{i}" for i in (1, 2, 3)]
    covered: list[str] = []
    for index, folder in enumerate(shards, start=1):
        result = batch_into(folder, small_list, shard=(index, 3))
        covered += [row.label for row in result.rows]
        assert [row.label for row in result.rows] == [c.label for c in small_list[index - 1 :: 3]]
    assert sorted(covered) == sorted(c.label for c in small_list)  # each exactly once
    merged = batch.merge(shards, tmp_path / "merged")
    assert merged.comparison.read_bytes() == unsharded.comparison.read_bytes()
    assert without_seconds(as_dicts(merged.rows)) == without_seconds(as_dicts(unsharded.rows))
    merged_lines = results_of(tmp_path / "merged")
    assert [row["label"] for row in merged_lines] == sorted(c.label for c in small_list)
    for row in merged.rows:
        copied = tmp_path / "merged" / "candidates" / f"{row.label}.html"
        assert copied.is_file() is (row.status == "ok")


def test_merge_keeps_the_latest_row_of_a_label(tmp_path: Path) -> None:
    for name, rows in (
        ("first", [ok_row("ada", 10, 0), ok_row("bob", 20, 0)]),
        ("second", [batch.error_row(label="ada", spec="./ada", reason="gone")]),
    ):
        (tmp_path / name).mkdir()
        lines = [row.to_line() for row in rows]
        (tmp_path / name / "results.jsonl").write_text("\n".join([*lines, '{"label": "tr']))
    (tmp_path / "first" / "candidates").mkdir()
    (tmp_path / "first" / "candidates" / "ada.html").write_text("stale")
    result = batch.merge([tmp_path / "first", tmp_path / "second"], tmp_path / "out")
    assert [(row.label, row.status) for row in result.rows] == [
        ("ada", "error"),
        ("bob", "ok"),
    ]
    assert (result.ok, result.errors) == (1, 1)
    assert not (tmp_path / "out" / "candidates" / "ada.html").exists()


def test_shards_cover_any_list_exactly_once() -> None:
    items = [RejectedTarget(spec=str(n), label=f"t{n}", reason="x") for n in range(11)]
    for count in range(1, 6):
        seen = [c.label for i in range(1, count + 1) for c in batch.select_shard(items, (i, count))]
        assert sorted(seen) == sorted(c.label for c in items)
    assert [c.label for c in batch.select_shard(items, (2, 4))] == ["t1", "t5", "t9"]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "x", "1-3", "-1/3"])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"I/N|between 1 and N"):
        batch.parse_shard(text)


def test_repeated_labels_are_made_unique() -> None:
    one = parse_target("/srv/a/model")
    two = parse_target("/srv/b/model")
    three = parse_target("/srv/c/MODEL")
    labels = [c.label for c in batch.unique_labels([one, two, three])]
    assert labels == ["model", "model-2", "MODEL-3"]


def test_progress_events_cover_every_candidate(
    small_list: list[Target | RejectedTarget], tmp_path: Path
) -> None:
    events: list[CandidateEvent] = []
    batch_into(tmp_path / "out", small_list[:3] + small_list[-2:], progress=events.append)
    finished = [event for event in events if event.state != "started"]
    # a target that did not parse is settled first, then the scans in list order
    assert [(e.label, e.state, e.done) for e in finished] == [
        ("ext-sh", "error", 1),
        ("churn", "ok", 2),
        ("course", "ok", 3),
        ("honest", "ok", 4),
        ("missing", "error", 5),
    ]
    assert all(event.total == 5 for event in events)
    assert [e.label for e in events if e.state == "started"] == [
        "ext-sh",
        "churn",
        "course",
        "honest",
        "missing",
    ]
    lines = [batch.describe_event(event) for event in finished]
    assert lines[1] and re.match(
        r"\[2/5\] scored +churn: real-world \d+, certification \d+ \(", lines[1]
    )
    assert (
        lines[4] and lines[4].startswith("[5/5] error ") and "no such file or directory" in lines[4]
    )


# resume -----------------------------------------------------------------------------------------
def test_resume_skips_unchanged_rescans_changed_and_retries_errors(tmp_path: Path) -> None:
    stays = repos.honest_repo(tmp_path / "stays")
    moves = repos.RepoBuilder(tmp_path / "moves")
    moves.files({"README.md": "# moves\n", "a.py": "x = 1\n"}).commit("One")
    remote = bare_remote(stays, tmp_path / "stays.git")
    candidates = [
        parse_target(str(stays)),
        parse_target(str(tmp_path / "moves")),
        parse_target(str(tmp_path / "later")),
        parse_target(remote, "remote"),
    ]
    out = tmp_path / "out"
    first = batch_into(out, candidates)
    assert [row.status for row in first.rows] == ["ok", "ok", "error", "ok"]
    stays_page = (out / "candidates" / "stays.html").stat()

    moves.write("b.py", "y = 2\n").commit("Two", date="2026-03-05T10:00:00+00:00")
    repos.honest_repo(tmp_path / "later")
    with (out / "results.jsonl").open("a") as handle:
        handle.write('{"label": "stays", "status": "ok", "comm')  # a batch killed mid-line

    events: list[CandidateEvent] = []
    second = batch_into(out, candidates, resume=True, progress=events.append)
    rows = by_label(as_dicts(second.rows))
    assert rows["stays"] == first.rows[0].to_json_dict()  # the same row, seconds included
    assert rows["remote"] == first.rows[3].to_json_dict()  # fetched, same commit: not scanned
    assert rows["moves"]["commit"] == moves.head() != first.rows[1].commit
    assert rows["later"]["status"] == "ok"
    assert (second.ok, second.errors, second.skipped) == (4, 0, 2)
    assert [e.label for e in events if e.state == "skipped"] == ["stays", "remote"]
    assert (out / "candidates" / "stays.html").stat().st_mtime_ns == stays_page.st_mtime_ns
    lines = results_of(out)  # every line parses: the partial one is gone
    assert sorted(row["label"] for row in lines) == ["later", "moves", "remote", "stays"]
    assert by_label(lines) == rows


def test_without_resume_a_batch_starts_afresh(tmp_path: Path) -> None:
    target = parse_target(str(repos.honest_repo(tmp_path / "honest")))
    batch_into(tmp_path / "out", [target])
    batch_into(tmp_path / "out", [target])
    assert len(results_of(tmp_path / "out")) == 1


def test_a_killed_batch_resumes_without_rescanning_what_it_finished(tmp_path: Path) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    labels = [f"cand{n}" for n in range(8)]
    lines = [f"{repos.production_repo(tmp_path / label)} {label}" for label in labels]
    (tmp_path / "list.txt").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    results = out / "results.jsonl"
    args = ["--from", str(tmp_path / "list.txt"), "-o", str(out), "--jobs", "1"]
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def finished_lines() -> int:
        try:
            return results.read_bytes().count(b"\n")
        except FileNotFoundError:
            return 0

    with subprocess.Popen(
        [str(ENTRY_POINT), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        deadline = time.monotonic() + 60
        while finished_lines() < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
    before = by_label(as_dicts(batch.read_results(results)))
    assert 4 <= len(before) < len(labels)
    pages = {label: (out / "candidates" / f"{label}.html").stat() for label in before}

    code, _, stderr = run_cli([*args, "--resume"])
    assert code == 0, stderr
    assert f"({len(before)} unchanged since the last run)" in stderr
    after = results_of(out)
    assert sorted(row["label"] for row in after) == labels  # every candidate exactly once
    for label, row in before.items():
        assert by_label(after)[label] == row  # same row, same seconds: not scanned again
        page = (out / "candidates" / f"{label}.html").stat()
        assert (page.st_ino, page.st_mtime_ns) == (pages[label].st_ino, pages[label].st_mtime_ns)


# crashes ----------------------------------------------------------------------------------------
def die_on_victim(job: CandidateJob) -> CandidateOutcome:
    """A worker that is killed (as by the OOM killer) when it reaches the candidate "victim"."""
    if job.target.label == "victim":
        os.kill(os.getpid(), signal.SIGKILL)
    return batch.scan_candidate(job)


def test_a_killed_worker_becomes_an_error_row_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "scan_in_worker", die_on_victim)
    honest = repos.honest_repo(tmp_path / "honest")
    candidates = [
        parse_target(str(honest), "first"),
        parse_target(str(honest), "victim"),
        parse_target(str(honest), "second"),
        parse_target(str(honest), "third"),
    ]
    result = batch_into(tmp_path / "out", candidates, jobs=2)
    rows = by_label(as_dicts(result.rows))
    assert rows["victim"]["status"] == "error"
    assert "worker process scanning it died" in rows["victim"]["error"]
    assert [rows[label]["status"] for label in ("first", "second", "third")] == ["ok"] * 3
    assert len(results_of(tmp_path / "out")) == 4


def test_a_crash_inside_the_scan_is_an_error_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_scan(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(worker, "scan", broken_scan)
    target = parse_target(str(repos.honest_repo(tmp_path / "honest")))
    result = batch_into(tmp_path / "out", [target])  # in-process: the monkeypatch applies
    assert result.rows[0].status == "error"
    assert (
        result.rows[0].error == "internal error: RecursionError: maximum recursion depth exceeded"
    )


# the command line -------------------------------------------------------------------------------
@pytest.fixture
def two_candidates(tmp_path: Path) -> tuple[str, str]:
    return str(repos.honest_repo(tmp_path / "honest")), str(tmp_path / "missing")


def test_strict_exits_1_when_a_candidate_errored(
    two_candidates: tuple[str, str], tmp_path: Path
) -> None:
    args = [*two_candidates, "-o", str(tmp_path / "out"), "--jobs", "1"]
    assert run_cli(args)[0] == 0
    code, _, stderr = run_cli([*args, "--strict"])
    assert code == 1
    assert stderr.endswith(
        f"2 candidates: 1 scored, 1 error; comparison: {tmp_path / 'out' / 'comparison.html'}\n"
    )
    honest_only = [two_candidates[0], "-o", str(tmp_path / "solo"), "--strict"]
    assert run_cli(honest_only)[0] == 0  # a batch option alone asks for batch mode


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "batch mode writes a folder: give it with -o DIR"),
        (["-o", "-"], "batch mode writes a folder"),
        (["-o", "{tmp}/out", "--shard", "0/2"], "'--shard': '0/2': I must be between 1 and N"),
        (["-o", "{tmp}/out", "--shard", "3/2"], "I must be between 1 and N"),
        (["-o", "{tmp}/out", "--shard", "half"], "expected I/N"),
        (["-o", "{tmp}/out", "--jobs", "0"], "'--jobs'"),
        (["-o", "{tmp}/out", "--format", "json"], "--format applies to a single target"),
        (["-o", "{tmp}/out", "--from", "{tmp}/nope.txt"], "cannot read the target list"),
        (["-o", "{tmp}/out", "--rubric", "nonexistent"], "no rubric by that name or path"),
    ],
)
def test_batch_usage_errors_are_one_line_with_exit_code_2(
    extra: list[str], message: str, two_candidates: tuple[str, str], tmp_path: Path
) -> None:
    args = [*two_candidates, *(part.replace("{tmp}", str(tmp_path)) for part in extra)]
    code, stdout, stderr = run_cli(args)
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith("portfolio-check: error: "), stderr
    assert message in stderr
    assert not (tmp_path / "out" / "results.jsonl").exists()
    assert stdout == ""


def test_a_single_url_is_a_batch(tmp_path: Path) -> None:
    remote = bare_remote(repos.honest_repo(tmp_path / "honest"), tmp_path / "honest.git")
    code, _, stderr = run_cli([remote])
    assert code == 2 and "give it with -o DIR" in stderr
    code, _, stderr = run_cli([remote, "-o", str(tmp_path / "out"), "--no-cache"])
    assert code == 0, stderr
    (row,) = results_of(tmp_path / "out")
    assert row["label"].endswith("-honest") and row["status"] == "ok"
    assert row["commit"] == head_of(tmp_path / "honest")


def test_a_single_refused_url_is_an_input_error(
    two_candidates: tuple[str, str], tmp_path: Path
) -> None:
    code, _, stderr = run_cli(["ext::sh -c id"])
    assert code == 2 and "transport syntax is refused" in stderr
    code, _, stderr = run_cli(["ext::sh", two_candidates[0], "-o", str(tmp_path / "out")])
    assert code == 0  # among several targets, the refused one is an error row
    assert by_label(results_of(tmp_path / "out"))["ext-sh"]["status"] == "error"


def test_progress_lines_only_on_a_terminal(
    two_candidates: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [*two_candidates, "-o", str(tmp_path / "out"), "--jobs", "1"]
    with pytest.raises(SystemExit):
        main(args)
    assert capsys.readouterr().err.count("\n") == 1
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with pytest.raises(SystemExit):
        main(args)
    # finished lines above the live area of those in flight, which is erased at the end
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", capsys.readouterr().err)
    lines = [line for line in text.splitlines() if line.startswith(("[", "2 candidates"))]
    assert len(lines) == 3, text
    assert re.match(
        r"\[1/2\] scored +honest: real-world \d+, certification \d+ \(\d+\.\ds\)", lines[0]
    )
    assert lines[1].startswith("[2/2] error     missing: ") and "no such file" in lines[1]
    assert lines[2].startswith("2 candidates: 1 scored, 1 error")


def test_merge_command(tmp_path: Path, two_candidates: tuple[str, str]) -> None:
    honest, missing = two_candidates
    for index in (1, 2):
        args = [honest, missing, "-o", str(tmp_path / f"s{index}"), "--shard", f"{index}/2"]
        assert run_cli([*args, "--jobs", "1"])[0] == 0
    code, _, stderr = run_cli(
        ["merge", "-o", str(tmp_path / "all"), str(tmp_path / "s1"), str(tmp_path / "s2")]
    )
    assert code == 0, stderr
    assert (
        stderr
        == f"2 candidates: 1 scored, 1 error; comparison: {tmp_path / 'all' / 'comparison.html'}\n"
    )
    assert [row["label"] for row in results_of(tmp_path / "all")] == ["honest", "missing"]
    strict = [
        "merge",
        "--strict",
        "-o",
        str(tmp_path / "all"),
        str(tmp_path / "s1"),
        str(tmp_path / "s2"),
    ]
    assert run_cli(strict)[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge"], "Missing argument 'SHARD_DIR...'"),
        (["merge", "{tmp}"], "Missing option '-o'"),
        (["merge", "-o", "{tmp}/all", "{tmp}/absent"], "does not exist"),
        (["merge", "-o", "{tmp}/all", "{tmp}"], "no results.jsonl in it"),
    ],
)
def test_merge_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    code, _, stderr = run_cli([part.replace("{tmp}", str(tmp_path)) for part in args])
    assert code == 2
    assert stderr.count("\n") == 1 and message in stderr, stderr


def test_help_teaches_reviewers() -> None:
    code, stdout, _ = run_cli(["--help"])
    assert code == 0
    for example in (
        "--from candidates.txt",
        "gh:ada/churn-model",
        "--shard 1/4",
        "merge -o",
        "--resume",
    ):
        assert example in stdout
    code, stdout, _ = run_cli(["merge", "--help"])
    assert code == 0 and "SHARD_DIR" in stdout and "shards/*" in stdout


@pytest.fixture(autouse=True)
def _no_clone_cache_in_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Clones the CLI caches go under the test's folder, never the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
