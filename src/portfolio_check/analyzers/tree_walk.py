"""radon's cyclomatic complexity and Halstead volume, and the logical lines, in one walk of
a parsed module.

radon computes them with two visitors (`ComplexityVisitor`, `HalsteadVisitor`), each a
full walk of the tree through `ast.NodeVisitor`'s per-node lookups: most of the time a
module's metrics take. This walk computes the same numbers in one pass, reproducing each
visitor's rules, quirks included (tests/test_tree_walk.py compares both on varied code):

- complexity: 1 per `if`, conditional expression, loop (and its `else`), comprehension
  (and each of its `if`s), `except` handler and `try`'s `else`, `and`/`or` operand after
  the first, `match` case (but a catch-all), `assert`; nothing inside an `assert`, a
  decorator, a function's signature or a class's bases. A function's complexity is 1 plus
  its body's, without nested functions or classes; a class's is 1 plus its body's and its
  methods'; the module's total adds its functions and classes to its own.
- a block's last line: the highest `lineno` radon's visitor saw in the block's last
  statement (a function) or in any statement (a class), nested blocks not entered.
- Halstead: each binary, unary, boolean, augmented-assignment and comparison operator;
  its operands, distinct per enclosing function name (a name, attribute or constant by its
  value, anything else by identity). Function signatures and decorators are not read.

The blocks are radon's own `Function` and `Class` records, so ranks and names stay radon's.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from radon.visitors import Class, Function

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.While, ast.AsyncFor)
_MATCH: type | None = getattr(ast, "Match", None)


@dataclass(eq=False)
class _Block:
    """One radon `ComplexityVisitor`: what it counts and collects."""

    complexity: int
    to_method: bool = False
    classname: str | None = None
    max_line: float = -math.inf
    functions: list[Function] = field(default_factory=list)
    classes: list[Class] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class TreeMetrics:
    total_complexity: int
    functions: tuple[Function, ...]  # module-level functions, as radon lists them
    classes: tuple[Class, ...]
    halstead_volume: float
    logical_lines: int  # statements


def tree_metrics(tree: ast.Module) -> TreeMetrics:
    """The metrics of a parsed module (whose depth the caller has bounded)."""
    walk = _Walk()
    module = _Block(complexity=1)
    walk.visit(tree, module, None)
    total = (
        module.complexity
        + sum(f.complexity for f in module.functions)
        - len(module.functions)
        + sum(c.real_complexity for c in module.classes)
        - len(module.classes)
    )
    return TreeMetrics(
        total_complexity=total,
        functions=tuple(module.functions),
        classes=tuple(module.classes),
        halstead_volume=walk.volume(),
        logical_lines=walk.statements,
    )


class _Walk:
    """The walk: complexity goes to the current block (None where radon's complexity
    visitor does not go), Halstead counts to the walk, per function name (`context`)."""

    def __init__(self) -> None:
        self.operators = 0
        self.operands = 0
        self.operators_seen: set[str] = set()
        self.operands_seen: set[tuple[str | None, Any]] = set()
        self.statements = 0

    def volume(self) -> float:
        """radon's `halstead_visitor_report(...).volume`, the same float."""
        distinct = len(self.operators_seen) + len(self.operands_seen)
        length = self.operators + self.operands
        return length * math.log(distinct, 2) if distinct != 0 else 0

    def visit(self, node: ast.AST, block: _Block | None, context: str | None) -> None:
        kind = node.__class__
        if kind in _FUNCTIONS:
            self.statements += 1
            self._function(node, block)  # type: ignore[arg-type]
            return
        if kind is ast.ClassDef:
            self.statements += 1
            self._class(node, block, context)  # type: ignore[arg-type]
            return
        if isinstance(node, ast.stmt):
            self.statements += 1
        if kind is ast.Assert:
            if block is not None:
                block.complexity += 1
            self._children(node, None, context)
            return
        counter = _HALSTEAD.get(kind)
        if counter is not None:
            self._halstead(node, counter, context)
        if block is not None:
            line = getattr(node, "lineno", None)
            if line is not None and line > block.max_line:
                block.max_line = line
            decisions = _DECISIONS.get(kind)
            if decisions is not None:
                block.complexity += decisions(node)
        self._children(node, block, context)

    def _children(self, node: ast.AST, block: _Block | None, context: str | None) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item, block, context)
            elif isinstance(value, ast.AST):
                self.visit(value, block, context)

    def _halstead(
        self,
        node: ast.AST,
        counter: Callable[[Any], tuple[int, list[ast.AST], list[str]]],
        context: str | None,
    ) -> None:
        operators, operands, names = counter(node)
        self.operators += operators
        self.operands += len(operands)
        self.operators_seen.update(names)
        seen = self.operands_seen
        for operand in operands:
            kind = operand.__class__
            if kind is ast.Name:
                seen.add((context, operand.id))  # type: ignore[attr-defined]
            elif kind is ast.Attribute:
                seen.add((context, operand.attr))  # type: ignore[attr-defined]
            elif kind is ast.Constant:
                seen.add((context, operand.value))  # type: ignore[attr-defined]
            else:
                seen.add((context, operand))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, block: _Block | None) -> None:
        """Only the body is read, each statement as radon's visitor of its own."""
        complexity = 1
        closures: list[Function] = []
        last: _Block | None = None
        for child in node.body:
            last = _Block(complexity=0)
            self.visit(child, last if block is not None else None, node.name)
            closures.extend(last.functions)
            complexity += last.complexity
        if block is None:
            return
        end = node.lineno if last is None else max(node.lineno, last.max_line)
        block.functions.append(
            Function(
                node.name,
                node.lineno,
                node.col_offset,
                end,
                block.to_method,
                block.classname,
                closures,
                complexity,
            )
        )

    def _class(self, node: ast.ClassDef, block: _Block | None, context: str | None) -> None:
        """The body for complexity, statement by statement; all of it for Halstead."""
        complexity = 1
        methods: list[Function] = []
        inner: list[Class] = []
        ends: list[float] = [node.lineno]
        for name in node._fields:
            value = getattr(node, name, None)
            if name != "body":
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST):
                            self.visit(item, None, context)
                elif isinstance(value, ast.AST):
                    self.visit(value, None, context)
                continue
            for child in node.body:
                part = _Block(complexity=0, to_method=True, classname=node.name)
                self.visit(child, part if block is not None else None, context)
                methods.extend(part.functions)
                complexity += part.complexity + sum(f.complexity for f in part.functions)
                ends.append(part.max_line)
                inner.extend(part.classes)
        if block is None:
            return
        end = max(ends + [method.endline for method in methods])
        block.classes.append(
            Class(node.name, node.lineno, node.col_offset, end, methods, inner, complexity)
        )


def _match_decisions(node: Any) -> int:
    catch_all = any(getattr(case.pattern, "pattern", False) is None for case in node.cases)
    return max(0, len(node.cases) - catch_all)


_DECISIONS: dict[type, Callable[[Any], int]] = {
    ast.Try: lambda node: len(node.handlers) + bool(node.orelse),
    ast.BoolOp: lambda node: len(node.values) - 1,
    ast.If: lambda node: 1,
    ast.IfExp: lambda node: 1,
    ast.comprehension: lambda node: len(node.ifs) + 1,
    **{loop: (lambda node: bool(node.orelse) + 1) for loop in _LOOPS},
    **({_MATCH: _match_decisions} if _MATCH is not None else {}),
}


def _name(node: ast.AST) -> str:
    return node.__class__.__name__


#: (operators, operands, operator names) of the nodes radon's Halstead visitor counts
_HALSTEAD: dict[type, Callable[[Any], tuple[int, list[ast.AST], list[str]]]] = {
    ast.BinOp: lambda node: (1, [node.left, node.right], [_name(node.op)]),
    ast.UnaryOp: lambda node: (1, [node.operand], [_name(node.op)]),
    ast.BoolOp: lambda node: (1, node.values, [_name(node.op)]),
    ast.AugAssign: lambda node: (1, [node.target, node.value], [_name(node.op)]),
    ast.Compare: lambda node: (
        len(node.ops),
        [*node.comparators, node.left],
        [_name(op) for op in node.ops],
    ),
}
