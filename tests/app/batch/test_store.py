"""results.jsonl as the batch writes and reads it: byte-compatible with the files written
before rows were typed, so that --resume and merge go on where an older batch stopped."""

from __future__ import annotations

from pathlib import Path

from portfolio_check.app import batch
from portfolio_check.app.batch.store import jsonl, load_results
from portfolio_check.intake.clone import CloneOptions
from portfolio_check.intake.targets import parse_target
from tests import repos

#: Lines exactly as the batch wrote them before `Row` (json.dumps of a dict, ROW_KEYS order,
#: ensure_ascii=False): a row with red flags (one without a place, one in a notebook cell),
#: non-ASCII text, an error row. {spec} and {commit} are filled in with a real repository's.
OLDER_LINES = (
    '{{"label": "honest", "spec": "{spec}", "status": "ok", "commit": "{commit}", '
    '"real_world": 42.0, "certification": 0.0, "own_share": 0.125, '
    '"upstream": "Démo ML starter (école/lab)", "grade": "D", "profile": "Early learner", '
    '"strengths": ["Testing"], "gaps": ["Deployment and serving", "Containerisation and '
    'infrastructure", "CI/CD and automation"], "claims": 17, "red_flags": [{{"kind": '
    '"one-day-history", "detail": "a one-day dump of the work (1 commit on 1 day)", "path": '
    'null, "line": null}}, {{"kind": "unbacked-claims", "detail": "10 README claims have no '
    'evidence", "path": "README.md", "line": 5}}, {{"kind": "hard-coded-secret", "detail": '
    '"an AWS key", "path": "explore.ipynb", "line": 3, "cell": 2}}], "error": null, '
    '"seconds": 3.21}}',
    '{{"label": "gone", "spec": "gh:ada/gone", "status": "error", "commit": null, '
    '"real_world": null, "certification": null, "own_share": null, "upstream": null, '
    '"grade": null, "profile": null, "strengths": [], "gaps": [], "claims": null, '
    '"red_flags": [], "error": "repository not found — gone?", "seconds": 0.0}}',
)


def older_results(spec: str, commit: str) -> str:
    return "".join(line.format(spec=spec, commit=commit) + "\n" for line in OLDER_LINES)


def test_an_older_results_file_reads_and_writes_back_byte_for_byte(tmp_path: Path) -> None:
    text = older_results("/srv/cohort/honest", "0" * 40)
    (tmp_path / "results.jsonl").write_text(text, encoding="utf-8")
    read = load_results(tmp_path / "results.jsonl")
    assert read.problems == ()
    assert [row.label for row in read.rows] == ["honest", "gone"]
    assert jsonl(read.rows) == text


def test_resume_keeps_the_rows_of_an_older_results_file(tmp_path: Path) -> None:
    """A batch of the format before `Row`, killed mid-line: --resume skips the candidate
    still at its commit, keeps the other shard's row, drops the half line, and the rows it
    keeps are the lines they were."""
    honest = repos.honest_repo(tmp_path / "honest")
    head = repos.RepoBuilder(honest).head()
    target = parse_target(str(honest))
    out = tmp_path / "out"
    (out / "candidates").mkdir(parents=True)
    (out / "candidates" / "honest.html").write_text("<!DOCTYPE html>")
    older = older_results(target.spec, head)
    (out / "results.jsonl").write_text(older + '{"label": "half", "sta', encoding="utf-8")

    result = batch.run_batch(
        [target],
        rubric_name="ml-portfolio",
        out_dir=out,
        jobs=1,
        clone_options=CloneOptions(cache_dir=None, timeout=60.0),
        resume=True,
        shard=None,
        progress=None,
    )
    assert (result.ok, result.errors, result.skipped) == (1, 0, 1)
    assert result.problems == (
        f"{out / 'results.jsonl'}:3: not a complete JSON object (a batch stopped mid-write?)",
    )
    assert (out / "results.jsonl").read_text(encoding="utf-8") == older
    comparison = result.comparison.read_text(encoding="utf-8")
    assert "Démo ML starter (école/lab)" in comparison
    assert "more than 0" not in comparison and "1 hard-coded secret" in comparison


def test_merge_reads_an_older_results_file_and_says_which_line_it_left_out(
    tmp_path: Path,
) -> None:
    shard = tmp_path / "shard-1"
    shard.mkdir()
    older = older_results("/srv/cohort/honest", "0" * 40)
    (shard / "results.jsonl").write_text(older + "not json\n", encoding="utf-8")
    merged = batch.merge([shard], tmp_path / "merged")
    assert [row.label for row in merged.rows] == ["gone", "honest"]
    assert merged.problems == (
        f"{shard / 'results.jsonl'}:3: not a complete JSON object (a batch stopped mid-write?)",
    )
    lines = (tmp_path / "merged" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(older.splitlines())


def test_a_row_whose_spec_holds_a_line_separator_is_read_back_whole(tmp_path: Path) -> None:
    """Rows are written with ensure_ascii=False, so a spec may hold U+2028 as is: only "\\n"
    ends a row."""
    text = older_results("/srv/cohort/odd\u2028name\u2029x", "0" * 40)
    (tmp_path / "results.jsonl").write_text(text, encoding="utf-8")
    read = load_results(tmp_path / "results.jsonl")
    assert read.problems == ()
    assert read.rows[0].spec == "/srv/cohort/odd\u2028name\u2029x"
