"""The one walk gives radon's numbers: complexity per block, the blocks' lines, the
Halstead volume and the logical lines, compared with radon's own visitors."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest
from radon.metrics import h_visit_ast
from radon.visitors import Class, ComplexityVisitor, Function

from portfolio_check.analyzers.python import parse_python
from portfolio_check.analyzers.tree_walk import tree_metrics

#: Every construct radon's visitors treat in their own way, and their quirks.
VARIED = '''
"""A module docstring."""
import os
from typing import Any

X = 1 if os.sep == "/" else 2
Y = [a for a in range(10) if a % 2 if a > 3] + [b * 2 for b in range(3)]
Z = {k: v for k, v in {}.items()} or {1, 1.0, True} and not None
assert X and Y or Z, "checked"  # an assert counts 1, its `and`/`or` nothing


def plain(a, b=1 if X else 2, *args, c=lambda q: q or 1, **kwargs) -> int | None:
    """Defaults and annotations are not read."""
    total = 0
    for i in range(a):
        if i % 2 and i > 1 or i == 7:
            total += i
        elif i < 0:
            total -= 1
        else:
            continue
    else:
        total *= 2
    while total > 100:
        total //= 2
    else:
        pass
    try:
        total = int(str(total))
    except ValueError:
        total = -total
    except (TypeError, KeyError) as error:
        raise RuntimeError() from error
    else:
        total ^= 1
    finally:
        total = ~total
    return total if total else None


@decorator(lambda z: z if z else -z)
async def asynchronous(stream):
    async for item in stream:
        async with item as handle:
            await handle.send(item @ item)
    else:
        return [x async for x in stream if x]


def ends_with_a_closure(n):
    counter = n + 1

    def inner(m):
        return m or counter

    class Local:
        def method(self):
            return 1 if self else 0

    return_value = inner

    def last():
        return return_value


def ends_with_an_assert(value):
    if value:
        value = -value
    assert value and value > 0


def matching(command):
    match command:
        case ["go", direction] if direction:
            return direction
        case {"x": 1} | {"y": 2}:
            return 1
        case Point(x=0, y=0):
            return 0
        case [*rest]:
            return rest
        case name:
            return name


def matching_with_wildcard(command):
    match command:
        case 1:
            return 1
        case _:
            return 0


def only_wildcard(command):
    match command:
        case _:
            return 0


class Base(Mixin if X else object, metaclass=Meta):
    """Class bases and decorators count for Halstead, not for complexity."""

    attribute = [i for i in range(3) if i]

    if X:
        def conditional(self):
            return self

    def method(self, other):
        return self.value + other.value - 1 * 2 / 3 % 4 ** 5 << 6 >> 7 | 8 & 9

    @staticmethod
    def helper(value):
        value += 1
        value -= -1
        return value is not None and value in (1, 2) or value not in [3]

    class Inner:
        def inner_method(self):
            return 1 if self else 2

    def last_one(self):
        def closure():
            return 0
        return closure


if X:
    class Conditional:
        pass

    def conditional_function():
        return 1
else:
    def other_function():
        try:
            pass
        except ValueError:
            pass


def walrus(data):
    if (n := len(data)) > 10:
        print(f"{n!r:>{n}} items {data[0]}")
    return lambda: [y for x in data for y in x if y if not x]
'''


def _blocks(functions: Any, classes: Any) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for block in functions:
        found.append(_function(block))
    for cls in classes:
        found.append(_class(cls))
        found.extend(_function(method) for method in cls.methods)
        found.extend(_class(inner) for inner in cls.inner_classes)
    return found


def _function(block: Function) -> tuple[Any, ...]:
    closures = tuple(_function(c) for c in block.closures)
    return (
        block.fullname,
        block.lineno,
        block.col_offset,
        block.endline,
        block.complexity,
        closures,
    )


def _class(block: Class) -> tuple[Any, ...]:
    return (block.name, block.lineno, block.endline, block.real_complexity, block.complexity)


def _statements(tree: ast.AST) -> int:
    return sum(isinstance(node, ast.stmt) for node in ast.walk(tree))


def _ours_and_radons(source: str, path: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Complexity, blocks, Halstead volume and logical lines, from our walk and from radon's
    visitors (and the statement count), side by side."""
    tree = parse_python(source, path)
    radon = ComplexityVisitor.from_ast(tree)
    ours = tree_metrics(tree)
    return (
        (
            ours.total_complexity,
            _blocks(ours.functions, ours.classes),
            ours.halstead_volume,
            ours.logical_lines,
        ),
        (
            radon.total_complexity,
            _blocks(radon.functions, radon.classes),
            h_visit_ast(tree).total.volume,
            _statements(tree),
        ),
    )


def test_varied_code_gives_radons_numbers() -> None:
    ours, radons = _ours_and_radons(VARIED, "varied.py")
    assert ours == radons
    metrics = tree_metrics(parse_python(VARIED, "varied.py"))
    assert metrics.total_complexity > 40  # the sample exercises the counting
    assert len(metrics.classes) == 2


@pytest.mark.parametrize(
    "source",
    [
        "",
        "x = 1\n",
        "def f():\n    pass\n",
        "def f():\n    def g():\n        pass\n",
        "class C:\n    pass\n",
        "assert (a if b else c)\n",
        "f(a and b and c)\n",
        "1 == 1.0 == True\nx = 0 < False\n",  # operands equal as values: one operand
        "x = 'a' + b\ny = a + 'b'\n",
        "def f(x):\n    return x + 1\ndef g(x):\n    return x + 1\n",  # operands per function
        "lambda: (yield)\n",
    ],
)
def test_small_shapes_give_radons_numbers(source: str) -> None:
    ours, radons = _ours_and_radons(source, "small.py")
    assert ours == radons


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11 and later")
def test_try_star_counts_nothing_as_in_radon() -> None:
    ours, radons = _ours_and_radons("try:\n    pass\nexcept* ValueError:\n    pass\n", "star.py")
    assert ours == radons
    assert ours[0] == 1  # the module's one path: radon counts no branch for `except*`


def test_the_packages_own_code_gives_radons_numbers() -> None:
    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "src").rglob("*.py")) + sorted((root / "tests").glob("*/*.py"))
    assert len(files) > 100
    differing = []
    for path in files:
        ours, radons = _ours_and_radons(path.read_text("utf-8"), str(path))
        if ours != radons:
            differing.append(str(path))
    assert differing == []


def test_a_function_ending_in_a_nested_block_is_one_line_long_as_radon_says() -> None:
    source = "def f():\n    x = 1\n\n    def g():\n        return x\n"
    (function,) = tree_metrics(parse_python(source, "f.py")).functions
    assert (function.lineno, function.endline) == (1, 1)
