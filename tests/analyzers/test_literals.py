"""The literal prefilter: it may let a text through that the regex then rejects, but must
never rule out a text the regex matches (that would drop a marker from a report)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio_check.analyzers import coursework, templates
from portfolio_check.analyzers.literals import Needle, prefilter
from portfolio_check.model.location import Location

MARKER_PATTERNS = [
    *(marker.pattern for marker in coursework.TEXT_MARKERS),
    *(marker.pattern for marker in coursework.COURSE_MENTIONS),
    *(marker.pattern for template in templates.TEMPLATES for marker in template.texts),
]

#: Shapes where a too eager prefilter would demand a literal the match does not hold.
TRICKY_PATTERNS = [
    r"ab(?:cd)?ef",  # an optional group: "cd" is not needed
    r"x*yz|q+rs",  # a repeat that may be empty, then one that may not
    r"abc|\d+",  # one branch without literals: no filter at all
    r"(?:foo|bar)baz",  # a group of branches, then a literal: either is a fair needle
    r"\bprefix(?i:Case)Suffix",  # a scoped case-insensitive part
    r"(?i)mixed(?-i:EXACT)tail",  # case-insensitive, with a case-sensitive part
    r"(a|b)c{0,3}d",
    r"(?:word\s+){2,}end",
]


@pytest.mark.parametrize("pattern", MARKER_PATTERNS, ids=lambda p: p.pattern[:40])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_no_text_a_marker_matches_is_ruled_out(
    pattern: re.Pattern[str], data: st.DataObject
) -> None:
    text = data.draw(st.from_regex(pattern))
    assert pattern.search(text)
    assert prefilter(pattern).may_match(text)


@pytest.mark.parametrize("source", TRICKY_PATTERNS)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_no_text_a_tricky_pattern_matches_is_ruled_out(source: str, data: st.DataObject) -> None:
    pattern = re.compile(source)
    text = data.draw(st.from_regex(pattern))
    assert prefilter(pattern).may_match(text)


def test_every_marker_has_needles_and_rules_out_plain_code() -> None:
    """The prefilter is in force for every marker, and plain code passes none of them."""
    code = "import numpy as np\n\ndef train(x):\n    return np.mean(x)\n"
    for pattern in MARKER_PATTERNS:
        assert prefilter(pattern).needles, pattern.pattern
        assert not prefilter(pattern).may_match(code), pattern.pattern


def test_an_optional_group_is_not_required() -> None:
    pattern = re.compile(r"ab(?:cd)?ef")
    needles = prefilter(pattern).needles
    assert needles in ((Needle("ab", folded=False),), (Needle("ef", folded=False),))
    assert prefilter(pattern).may_match("xxabefxx")


def test_a_branch_without_literals_turns_the_filter_off() -> None:
    pattern = re.compile(r"abc|\d+")
    assert prefilter(pattern).needles is None
    assert prefilter(pattern).may_match("42")


def test_each_branch_gives_a_needle() -> None:
    pattern = coursework.TEXT_MARKERS[3].pattern  # from public_tests import | import public_tests
    assert pattern.search("import public_tests")
    assert prefilter(pattern).may_match("import public_tests")


def test_case_insensitive_needles_fold_ascii_case() -> None:
    facts = list(coursework.course_mentions("Notes from the MLOPS ZOOMCAMP", Location(path="R")))
    assert [fact.marker for fact in facts] == ["mention:zoomcamp"]


def test_scoped_case_insensitive_part_is_folded() -> None:
    text = "This was my CAPSTONE PROJECT FOR the IBM Data Science Certificate."
    facts = list(coursework.course_mentions(text, Location(path="README.md")))
    assert "mention:course-project" in [fact.marker for fact in facts]


def test_unicode_case_folding_is_not_ruled_out() -> None:
    """The Kelvin sign folds to "k" for the regex, but `str.lower` keeps it: a non-ASCII
    text is never ruled out by a case-insensitive needle."""
    text = "my badge: \u212aaggle.com/learn/python"
    pattern = next(m.pattern for m in coursework.COURSE_MENTIONS if m.id == "mention:kaggle-learn")
    assert pattern.search(text)
    facts = list(coursework.course_mentions(text, Location(path="README.md")))
    assert [fact.marker for fact in facts] == ["mention:kaggle-learn"]


def test_long_s_folds_for_the_regex_and_is_found() -> None:
    text = "This repo contains my own \u017folutions"  # the long s
    pattern = next(m.pattern for m in coursework.COURSE_MENTIONS if m.id == "mention:my-solutions")
    assert pattern.search(text)
    assert prefilter(pattern).may_match(text)


def test_template_marker_found_through_the_prefilter() -> None:
    text = "x = 1\nHYPEN_E_DOT = '-e .'\n"
    facts = list(templates.template_markers_in_text(text, Location(path="setup.py")))
    assert [(fact.marker, fact.location.line) for fact in facts] == [
        ("template:krishnaik-mlproject", 2)
    ]
