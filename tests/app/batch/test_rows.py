"""The typed row of results.jsonl: made from a scan or a failure, written, read back, and
validated once where it is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_check.app.batch.rows import (
    ROW_KEYS,
    Row,
    RowError,
    error_row,
    parse_row,
    row_from_json,
    scored_row,
)
from portfolio_check.intake.targets import parse_target
from portfolio_check.model.scorecard import RedFlag, Scorecard

WHERE = Path("review/results.jsonl")


def test_a_scored_row_is_read_back_equal_and_written_the_same(buzzword_card: Scorecard) -> None:
    row = scored_row(parse_target("mlops-platform"), buzzword_card, seconds=1.5)
    line = row.to_line()
    assert list(json.loads(line)) == list(ROW_KEYS)
    again = parse_row(line, path=WHERE, number=1)
    assert again == row
    assert again.to_line() == line
    assert again.red_flags == tuple(buzzword_card.red_flags)


def test_an_error_row_has_no_scores_and_a_one_line_reason() -> None:
    row = error_row(label="gone", spec="gh:ada/gone", reason="not\nfound\u202e")
    assert (row.ok, row.error, row.real_world, row.claims, row.red_flags) == (
        False,
        "not found?",
        None,
        None,
        (),
    )
    assert parse_row(row.to_line(), path=WHERE, number=1) == row


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"label": "ada", "status": "ok", "comm', "review/results.jsonl:7: not a complete JSON"),
        ("[1, 2]", "review/results.jsonl:7: not a JSON object"),
        ('{"status": "ok"}', "review/results.jsonl:7: no label"),
        ('{"label": "", "status": "ok"}', "review/results.jsonl:7: no label"),
        ('{"label": "ada", "status": "done"}', "review/results.jsonl:7: no status"),
        ("[" * 100_000, "review/results.jsonl:7: not a complete JSON"),
    ],
)
def test_a_line_that_is_not_a_row_is_one_line_naming_file_and_line(line: str, message: str) -> None:
    with pytest.raises(RowError) as raised:
        parse_row(line, path=WHERE, number=7)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_a_field_of_the_wrong_type_is_read_as_missing() -> None:
    row = row_from_json(
        {
            "label": "ada",
            "status": "ok",
            "real_world": "high",
            "certification": True,
            "own_share": 7,
            "claims": "many",
            "strengths": ["Testing", 3],
            "gaps": "all",
            "red_flags": [
                {"kind": "gossip", "detail": "not a kind of flag"},
                {"kind": "unbacked-claims", "detail": "3 README claims"},
                "not a flag",
            ],
            "seconds": None,
        }
    )
    assert row == Row(
        label="ada",
        spec="",
        status="ok",
        strengths=("Testing",),
        red_flags=(RedFlag(kind="unbacked-claims", detail="3 README claims"),),
    )


def test_numbers_keep_the_type_they_were_read_with() -> None:
    line = json.dumps({"label": "ada", "status": "ok", "real_world": 70, "seconds": 2})
    row = parse_row(line, path=WHERE, number=1)
    assert json.loads(row.to_line())["real_world"] == 70
    assert '"real_world": 70,' in row.to_line() and '"seconds": 2}' in row.to_line()
