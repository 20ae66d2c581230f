"""Code metrics from the one parse each module gets: radon's cyclomatic complexity and
maintainability index, and line counts in linear time.

radon's own raw analysis (`radon raw`, and so `radon mi`) is quadratic in the length of a
multi-line statement (rubik/radon#223): a 4,000-line literal takes minutes. Line counts
here come from one pass over the tokens instead, and the maintainability index is computed
from radon's visitors run on the tree we already have.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

from radon.complexity import cc_rank
from radon.metrics import h_visit_ast, mi_compute
from radon.visitors import Class, CodeVisitor, ComplexityVisitor, Function

from portfolio_check.model.facts import FunctionFact, Scope
from portfolio_check.model.location import Location

# radon's visitors inherit ast.NodeVisitor.visit_Constant, a deprecation shim that looks
# for the visit_Num and visit_Str of old Pythons by raising AttributeError at every constant
# before falling back to generic_visit: a third of the time radon's metrics take. radon
# defines none of those methods, so going to generic_visit directly computes the same.
if "visit_Constant" not in vars(CodeVisitor):
    CodeVisitor.visit_Constant = lambda self, node: self.generic_visit(node)

NON_CODE_TOKENS = frozenset(
    {
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,
        tokenize.COMMENT,
    }
)


@dataclass(frozen=True, kw_only=True)
class LineCounts:
    sloc: int  # lines holding code outside multi-line strings
    comments: int
    blank: int
    multi: int  # lines of multi-line strings


@dataclass(frozen=True, kw_only=True)
class ModuleMetrics:
    lines: LineCounts
    complexity: int
    maintainability: float | None
    functions: tuple[FunctionFact, ...]
    classes: int


#: The token classes that decide a line's kind, in the order the tokenizer tries them: a
#: string (any prefix and quote; triple-quoted ones may span lines), a comment, a line end,
#: blanks and backslash continuations, then a run of anything else (names, numbers,
#: operators). Each alternative consumes what it matches, so a scan is linear in the source.
_TOKEN = re.compile(
    r"""
    (?P<string>[A-Za-z]{0,2}(?:
        '''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n]|\\.)*'
      | "(?:[^"\\\n]|\\.)*"
    ))
  | (?P<comment>\#[^\n]*)
  | (?P<newline>\n)
  | (?P<blank>[ \t\f\r]+|\\\r?\n)
  | (?P<code>\w+|[^'"\#\n \t\f\r\\\w]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)


def line_counts(source: str) -> LineCounts:
    """Classify every line in one regex scan of a source that parsed: linear in its size,
    and the same counts as `tokenize` gives (`_token_line_counts`) at a fifth of the cost."""
    code: set[int] = set()
    comments: set[int] = set()
    multi: set[int] = set()
    line = 1
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        if kind == "newline":
            line += 1
        elif kind == "code":
            code.add(line)
        elif kind == "comment":
            comments.add(line)
        elif kind == "string":
            breaks = match.group().count("\n")
            if breaks:
                multi.update(range(line, line + breaks + 1))
                line += breaks
            else:
                code.add(line)
        else:  # blanks, or a backslash continuation
            line += match.group().count("\n")
    blank = sum(1 for text in source.splitlines() if not text.strip())
    return LineCounts(sloc=len(code - multi), comments=len(comments), blank=blank, multi=len(multi))


def _token_line_counts(source: str) -> LineCounts:
    """The counts from `tokenize`, token by token: the reference for `line_counts`."""
    code: set[int] = set()
    comments: set[int] = set()
    multi: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            first, last = token.start[0], token.end[0]
            if token.type == tokenize.COMMENT:
                comments.add(first)
            elif token.type == tokenize.STRING and last > first:
                multi.update(range(first, last + 1))
            elif token.type not in NON_CODE_TOKENS:
                code.update(range(first, last + 1))
    except (tokenize.TokenError, SyntaxError):
        pass  # counts so far stand; the parse already accepted the file
    lines = source.splitlines()
    blank = sum(1 for line in lines if not line.strip())
    return LineCounts(sloc=len(code - multi), comments=len(comments), blank=blank, multi=len(multi))


def module_metrics(tree: ast.Module, source: str, *, path: str, scope: Scope) -> ModuleMetrics:
    counts = line_counts(source)
    visitor = ComplexityVisitor.from_ast(tree)
    functions = tuple(_function_facts(visitor, path=path, scope=scope))
    return ModuleMetrics(
        lines=counts,
        complexity=int(visitor.total_complexity),
        maintainability=_maintainability(tree, counts, int(visitor.total_complexity)),
        functions=functions,
        classes=len(visitor.classes),
    )


def _maintainability(tree: ast.Module, counts: LineCounts, complexity: int) -> float | None:
    """radon's MI formula on radon's Halstead volume, with linear line counts."""
    logical_lines = _statements(tree)
    if logical_lines == 0:
        return None
    comment_share = 100 * (counts.comments + counts.multi) / max(counts.sloc, 1)
    volume = h_visit_ast(tree).total.volume
    return round(float(mi_compute(volume, complexity, logical_lines, comment_share)), 1)


def _statements(tree: ast.AST) -> int:
    """The statements in the tree (radon's logical lines), without `ast.walk`'s generators:
    statements sit only in statement bodies, so expressions need not be entered."""
    count = 0
    stack: list[ast.AST] = [tree]
    statement = ast.stmt
    while stack:
        node = stack.pop()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, statement):
                        count += 1
                        stack.append(item)
                    elif isinstance(item, (ast.excepthandler, ast.match_case)):
                        stack.append(item)
    return count


def _function_facts(visitor: ComplexityVisitor, *, path: str, scope: Scope) -> list[FunctionFact]:
    facts: list[FunctionFact] = []
    for block in visitor.functions:
        facts.append(_fact(block, "function", path, scope))
    for cls in visitor.classes:
        facts.append(_fact(cls, "class", path, scope))
        facts.extend(_fact(method, "method", path, scope) for method in cls.methods)
    return facts


def _fact(block: Function | Class, kind: str, path: str, scope: Scope) -> FunctionFact:
    complexity = int(block.real_complexity if isinstance(block, Class) else block.complexity)
    return FunctionFact(
        location=Location(path=path, line=block.lineno),
        name=block.fullname,
        type="method" if kind == "method" else ("class" if kind == "class" else "function"),
        complexity=complexity,
        rank=cc_rank(complexity),
        lines=block.endline - block.lineno + 1,
        scope=scope,
    )
