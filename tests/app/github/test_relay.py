"""The sanitiser of a comment body that another workflow run (a fork's) made."""

from __future__ import annotations

import pytest

from portfolio_check.app.github.comment import MARKER
from portfolio_check.app.github.relay import sanitise
from tests.test_action_workflows import HEAD, HOSTILE

FILES = f"https://github.com/octo/churnwatch/blob/{HEAD}/"


def test_sanitising_is_stable() -> None:
    once = sanitise(HOSTILE, files_url=FILES)
    assert sanitise(once, files_url=FILES) == once


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        # a file name with an escaped bracket is still a link into the repository
        (f"[src/a\\]b.py:3]({FILES}src/a%5Db.py#L3)", f"[src/a\\]b.py:3]({FILES}src/a%5Db.py#L3)"),
        # an image, even from the repository, is not shown: only its text
        (f"![chart]({FILES}chart.png)", "chart"),
        # a link to another repository on the same host is text
        ("[x](https://github.com/evil/repo)", "x"),
        # a mention split by an entity, a team mention, a cross-reference
        ("&#64;admin @org/team #12", "&amp;#\u200b64;admin @\u200borg/team #\u200b12"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("line\r\nnext\u2066", "line\nnext"),
    ],
)
def test_sanitise(body: str, shown: str) -> None:
    assert sanitise(body, files_url=FILES) == f"{MARKER}\n{shown}"
