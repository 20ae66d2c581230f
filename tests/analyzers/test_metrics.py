"""Code metrics: radon's complexity from our parse, and line counts in linear time."""

from __future__ import annotations

import textwrap

import pytest
from radon.complexity import cc_visit
from radon.metrics import mi_visit
from radon.raw import analyze as radon_raw

from portfolio_check.analyzers.metrics import _token_line_counts, line_counts, module_metrics
from portfolio_check.analyzers.python import parse_python

SOURCE = textwrap.dedent(
    '''
    """Feature engineering for the churn model."""
    import math


    # charges are skewed: log them
    def log_charges(value: float) -> float:
        """Log-transform a monthly charge."""
        if value <= 0:
            return 0.0
        return math.log(value)


    class Bucketer:
        def bucket(self, tenure: int) -> str:
            if tenure < 3:
                return "new"
            elif tenure < 12:
                return "settling"
            for limit in (24, 48):
                if tenure < limit and tenure % 2 == 0:
                    return f"under-{limit}"
            return "loyal"
    '''
).lstrip()


def test_line_counts_match_radon_raw_on_ordinary_code() -> None:
    ours = line_counts(SOURCE)
    theirs = radon_raw(SOURCE)
    assert ours.comments == theirs.comments
    assert ours.blank == theirs.blank
    assert ours.multi == theirs.multi == 0  # one-line docstrings are not multi-line strings
    # radon files one-line docstrings under comments; here they are code (two of them)
    assert ours.sloc == theirs.sloc + 2


def test_multi_line_strings_and_comments_are_told_apart() -> None:
    source = 'x = 1  # one\n"""\nA long\ndocstring\n"""\n\n# alone\ny = (\n    2,\n)\n'
    counts = line_counts(source)
    assert (counts.sloc, counts.comments, counts.blank, counts.multi) == (4, 2, 1, 4)


def test_complexity_per_function_and_method_matches_radon() -> None:
    metrics = module_metrics(parse_python(SOURCE, "f.py"), SOURCE, path="f.py", scope="code")
    ours = {f.name: f.complexity for f in metrics.functions if f.type != "class"}
    theirs = {
        block.fullname: block.complexity
        for block in cc_visit(SOURCE)
        if not hasattr(block, "methods")
    }
    assert ours == theirs == {"log_charges": 2, "Bucketer.bucket": 6}
    bucket = next(f for f in metrics.functions if f.name == "Bucketer.bucket")
    assert (bucket.type, bucket.rank, bucket.location.line, bucket.lines) == ("method", "B", 14, 9)
    assert metrics.classes == 1


def test_maintainability_index_is_close_to_radon(tmp_path: pytest.TempPathFactory) -> None:
    metrics = module_metrics(parse_python(SOURCE, "f.py"), SOURCE, path="f.py", scope="code")
    assert metrics.maintainability is not None
    assert abs(metrics.maintainability - mi_visit(SOURCE, multi=True)) < 5


def test_a_five_thousand_line_literal_is_counted_exactly() -> None:
    """radon's raw analysis is quadratic in such a statement (rubik/radon#223); ours is not."""
    rows = "".join(f"    ({i}, 'row {i}', {i * 0.5}),\n" for i in range(5000))
    source = f"TABLE = (\n{rows})\n"
    metrics = module_metrics(parse_python(source, "t.py"), source, path="t.py", scope="code")
    assert metrics.lines.sloc == 5002
    assert metrics.complexity <= 1  # straight-line code


def test_empty_module_has_no_maintainability_index() -> None:
    metrics = module_metrics(parse_python("", "e.py"), "", path="e.py", scope="code")
    assert metrics.maintainability is None and metrics.functions == ()


TRICKY_SOURCES = [
    'x = """a\n# not a comment\nb"""  # but this is\n',
    "s = rb'\\x00' + Rb\"\\\\\" + f'{x!r:>{w}}'\n",
    "t = ('one'\n     'two')\n\\\n\ny = 1\n",
    "def f():\n    '''Doc\n    string'''\n\n    return '#' \\\n        + '''x'''\n",
    "a = 1\r\n# crlf\r\n\r\nb = '''\r\n'''\r\n",
    'q = "it\'s" + \'say "hi"\' + """\'\'\' inside""" + \'\'\'"""\'\'\'\n',
    "\n\n   \n\t\n",
    "x = [\n    1,  # one\n    2,\n]\n",
]


@pytest.mark.parametrize("source", TRICKY_SOURCES)
def test_the_line_scan_agrees_with_the_tokenizer(source: str) -> None:
    compile(source, "tricky.py", "exec")  # every case is valid Python
    assert line_counts(source) == _token_line_counts(source)
