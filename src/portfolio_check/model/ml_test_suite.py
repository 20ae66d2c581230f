"""The ML Test Score's 28 tests as data: each with the signals that show it run by hand or
automatically (loaded from `rubrics/ml-test-score.yaml` by `rubric.ml_tests`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from portfolio_check.model.content_query import ContentQuery
from portfolio_check.model.ml_test_results import Section
from portfolio_check.model.rubric import Signal


@dataclass(frozen=True, kw_only=True)
class MLTest:
    """One of the 28 tests, with the signals that show it run by hand or automatically."""

    id: str  # D1-D7, M1-M7, I1-I7, Mo1-Mo7
    section: Section
    title: str
    manual: tuple[Signal, ...]
    automated: tuple[Signal, ...]
    static: str = ""  # the catalogue's visibility: H, P, L, N or a pair such as "P/L"


@dataclass(frozen=True, kw_only=True)
class MLTestSuite:
    id: str
    version: str
    source: str  # the file it was loaded from, as errors name it
    tests: tuple[MLTest, ...]
    shared: tuple[Signal, ...] = ()  # signals that tests `require`; they score nothing

    def signals(self) -> Iterator[Signal]:
        yield from self.shared
        for test in self.tests:
            yield from test.manual
            yield from test.automated

    @property
    def content_queries(self) -> tuple[ContentQuery, ...]:
        return tuple(signal.query for signal in self.signals() if signal.query is not None)
