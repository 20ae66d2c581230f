"""Jupyter notebooks, read with nbformat and never executed.

Code cells go through the same `ast` visitor as modules (with `%` and `!` magics dropped),
so imports and calls in notebooks are facts like any other. Course markers are looked for
in cell sources, stream outputs and notebook and cell metadata.

Besides the counts, each notebook gets some hygiene measures:

- `execution`: the order its code cells were run in, from their execution counts. Code
  cells without source are left out. "never" when none ran, "non-linear" when the counts
  do not strictly increase down the notebook, "partial" when they do but some cells with
  source never ran, and "linear" when every one ran, top to bottom.
- `output_bytes`: the UTF-8 size of the payloads of every output: the `text` of streams,
  the `data` of results and displays (mime types and values, nested JSON walked key by
  key), and the `ename`, `evalue` and `traceback` of errors. Numbers, booleans and nulls
  inside count as their JSON text. JSON quoting, escapes, indentation and output metadata
  do not count, so it is a little under the size on disk. Nothing is re-serialised.
- `absolute_paths`: string literals in code cells that are a whole absolute path on some
  machine: a drive letter (`C:\\...`, `C:/...`) or a POSIX path under a root where personal
  or platform files live (`/home`, `/Users`, `/content`, `/kaggle`, `/mnt`, ...), with at
  least one component after that root. URLs, `/` and routes like `/predict` are not paths.
  F-strings count with their replacement fields shown as `{...}`. The first few become
  `HardcodedPathFact`s with their cell and line.
- `code_lines`: non-blank lines of code-cell source once magics are blanked out.

Findings report an nbformat 3 (or older) notebook, which is read after nbformat converts
it, and error outputs left in the saved notebook.
"""

from __future__ import annotations

import ast
import contextlib
import itertools
import json
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from portfolio_check.analyzers import coursework
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.notebook_notes import (
    MAX_OUTPUT_CHARS,
    MAX_OUTPUTS_READ,
    CellView,
    Evaluation,
    evaluation,
    notes,
)
from portfolio_check.analyzers.python import CodeFacts, ParseFailure, code_facts, parse_python
from portfolio_check.common.plural import counted
from portfolio_check.intake.snapshot import MAX_NOTEBOOK_BYTES, FileEntry
from portfolio_check.model.facts import (
    CourseMarkerFact,
    Fact,
    FindingFact,
    HardcodedPathFact,
    NotebookFact,
)
from portfolio_check.model.location import Location

MAGIC_PREFIXES = ("%", "!", "?")
#: IPython help lines: `df?`, `np.load??`, `np.*load*?`.
HELP_LINE = re.compile(r"^\s*[\w.*]+\?{1,2}\s*$")
#: Line ends as Python counts them (`str.splitlines` also splits on form feeds and U+2028).
LINE_END = re.compile(r"\r\n|\r|\n")

#: Top-level folders whose paths belong to one machine: home folders, mounts, Colab,
#: Kaggle, Databricks and container work folders.
PATH_ROOTS = (
    "home",
    "Users",
    "content",
    "kaggle",
    "mnt",
    "tmp",
    "data",
    "opt",
    "var",
    "root",
    "media",
    "Volumes",
    "srv",
    "dbfs",
    "workspace",
)
_COMPONENT = r"[^/\\\x00-\x1f]+"
#: A whole string that is an absolute path: `/home/ada/x.csv`, `C:\Users\ada`, `D:/data`.
ABSOLUTE_PATH = re.compile(
    rf"/(?:{'|'.join(PATH_ROOTS)})(?:/+[^/\x00-\x1f]+)+/*"
    rf"|[A-Za-z]:[\\/]+{_COMPONENT}(?:[\\/]+{_COMPONENT})*[\\/]*"
)
#: Longer strings are not paths (PATH_MAX is 4096); skipping them keeps the match cheap.
MAX_PATH_CHARS = 4096
#: `HardcodedPathFact`s yielded per notebook; `absolute_paths` counts all of them.
MAX_PATH_FACTS = 5
MAX_PATH_TEXT = 120
#: The keys of an output that hold what it shows.
PAYLOAD_KEYS = ("text", "data", "ename", "evalue", "traceback")


def strip_magics(source: str) -> str:
    """Blank out IPython magics, shell escapes and help lines, keeping line numbers."""
    return "\n".join(
        "" if line.lstrip().startswith(MAGIC_PREFIXES) or HELP_LINE.match(line) else line
        for line in LINE_END.split(source)
    )


def read_notebook(text: str) -> Any:
    """Parse notebook JSON with nbformat, upgraded to v4. Raises ValueError when it is not one.

    A converted notebook keeps its original major version in `metadata.orig_nbformat`
    (nbformat's readers drop that key from files, so only a conversion sets it).
    """
    # imported here: nbformat and its jsonschema cost a scan without notebooks, or a
    # rescan whose notebooks the cache answers, a tenth of a second for nothing
    import nbformat  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
        except Exception as error:  # nbformat raises many kinds on malformed input
            raise ValueError(_reason(error)) from None
    if not isinstance(notebook.get("cells"), list):
        raise ValueError("no list of cells")
    return notebook


def _reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError) or type(error).__name__ == "NotJSONError":
        return "not valid JSON"
    return f"not a readable notebook ({type(error).__name__})"


def execution_order(counts: Sequence[int | None]) -> str:
    """How code cells with source were run, from their execution counts in cell order."""
    ran = [count for count in counts if count is not None]
    if not ran:
        return "never"
    if any(later <= earlier for earlier, later in itertools.pairwise(ran)):
        return "non-linear"
    return "partial" if len(ran) < len(counts) else "linear"


def absolute_path(text: str) -> bool:
    """Whether a string literal is, as a whole, an absolute path on somebody's machine."""
    return len(text) <= MAX_PATH_CHARS and ABSOLUTE_PATH.fullmatch(text) is not None


@dataclass(kw_only=True)
class _Tally:
    """What the cells of one notebook add up to."""

    code: int = 0
    markdown: int = 0
    executed: int = 0
    errors: int = 0
    error_cells: list[int] = field(default_factory=list)
    runs: list[int | None] = field(default_factory=list)  # counts of code cells with source
    output_bytes: int = 0
    code_lines: int = 0
    paths: int = 0
    has_content: bool = False
    views: list[CellView] = field(default_factory=list)  # for the written analysis
    outputs_read: int = 0  # code cells whose outputs were read for metrics


class NotebookAnalyzer:
    """Notebook facts from nbformat's reading; see the module docstring for the measures."""

    name = "notebooks"
    read_limit = MAX_NOTEBOOK_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix == ".ipynb"

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        location = Location(path=entry.path)
        try:
            notebook = read_notebook(text)
        except ValueError as error:
            yield FindingFact(location=location, analyzer=self.name, message=f"notebook {error}")
            return
        metadata = notebook.get("metadata")
        original = metadata.get("orig_nbformat") if isinstance(metadata, Mapping) else None
        if isinstance(original, int) and original < 4:
            yield FindingFact(
                location=location,
                analyzer=self.name,
                message=f"notebook uses nbformat {original}; read after conversion to version 4",
            )
        yield from _metadata_markers(metadata, location)
        sink = CodeFacts(path=entry.path, scope="notebook", context=context)
        tally = _Tally()
        for number, cell in enumerate(notebook["cells"], start=1):
            if not isinstance(cell, Mapping):
                continue
            yield from self._cell(cell, number, sink, tally)
        yield from sink.facts
        yield from notes(entry.path, tally.views)
        if tally.error_cells:
            cells = len(tally.error_cells)
            yield FindingFact(
                location=Location(path=entry.path, cell=tally.error_cells[0]),
                analyzer=self.name,
                message=f"notebook has {counted(cells, 'cell')} with error outputs left in",
            )
        yield NotebookFact(
            location=location,
            code_cells=tally.code,
            markdown_cells=tally.markdown,
            executed_cells=tally.executed,
            error_outputs=tally.errors,
            execution=execution_order(tally.runs),
            output_bytes=tally.output_bytes,
            absolute_paths=tally.paths,
            code_lines=tally.code_lines,
            placeholder=None if tally.has_content else "an empty notebook",
        )

    def _cell(
        self, cell: Mapping[str, Any], number: int, sink: CodeFacts, tally: _Tally
    ) -> Iterator[Fact]:
        source = _text(cell.get("source"))
        cell_location = Location(path=sink.path, cell=number)
        yield from coursework.markers_in_text(source, cell_location)
        yield from _metadata_markers(cell.get("metadata"), cell_location)
        cell_type = cell.get("cell_type")
        has_source = bool(source.strip())
        if cell_type == "markdown":
            tally.markdown += 1
            tally.has_content = tally.has_content or has_source
            tally.views.append(CellView(number=number, markdown=source))
        if cell_type != "code":
            return
        tally.code += 1
        tally.has_content = tally.has_content or has_source
        count = _execution_count(cell.get("execution_count"))
        if count is not None:
            tally.executed += 1
        if has_source:
            tally.runs.append(count)
        outputs = _outputs(cell.get("outputs"))
        errors = sum(1 for output in outputs if output.get("output_type") == "error")
        tally.errors += errors
        if errors:
            tally.error_cells.append(number)
        tally.output_bytes += sum(_output_bytes(output) for output in outputs)
        tally.views.append(CellView(number=number, evaluation=_evaluation(outputs, tally)))
        yield from coursework.markers_in_text(_stream_text(outputs), cell_location)
        code = strip_magics(source)
        tally.code_lines += sum(1 for line in LINE_END.split(code) if line.strip())
        sink.cell = number
        # IPython-only syntax in one cell does not spoil the rest of the notebook
        with contextlib.suppress(ParseFailure):
            tree = parse_python(code, sink.path)
            code_facts(tree, sink)
            yield from _path_facts(tree, cell_location, tally)


def _evaluation(outputs: Sequence[Mapping[str, Any]], tally: _Tally) -> Evaluation | None:
    """What a code cell's outputs report, for the first MAX_OUTPUTS_READ cells with output."""
    if not outputs or tally.outputs_read >= MAX_OUTPUTS_READ:
        return None
    tally.outputs_read += 1
    return evaluation(_shown_text(outputs))


def _path_facts(tree: ast.AST, cell_location: Location, tally: _Tally) -> Iterator[Fact]:
    for text, line in _string_literals(tree):
        if not absolute_path(text):
            continue
        tally.paths += 1
        if tally.paths <= MAX_PATH_FACTS:
            yield HardcodedPathFact(
                location=Location(path=cell_location.path, line=line, cell=cell_location.cell),
                text=_shorten(text, MAX_PATH_TEXT),
            )


def _string_literals(tree: ast.AST) -> Iterator[tuple[str, int | None]]:
    """Every string literal with its line, in source order; an f-string counts as one."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, node.lineno
        elif isinstance(node, ast.JoinedStr):
            yield _fstring_text(node), node.lineno
            fields = [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
            stack.extend(reversed(fields))
        else:
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _fstring_text(node: ast.JoinedStr) -> str:
    return "".join(
        part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{...}"
        for part in node.values
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _outputs(outputs: object) -> list[Mapping[str, Any]]:
    if not isinstance(outputs, list):
        return []
    return [output for output in outputs if isinstance(output, Mapping)]


def _execution_count(value: object) -> int | None:
    """A cell's execution count; anything but a number (a hand-edited file) means not run."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _output_bytes(output: Mapping[str, Any]) -> int:
    """UTF-8 bytes of an output's payload (see the module docstring), walked without recursion."""
    stack: list[object] = [output[key] for key in PAYLOAD_KEYS if key in output]
    total = 0
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            # isascii is O(1) in CPython, so base64 images are never copied to be measured
            total += len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
        elif isinstance(value, Mapping):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif value is None or isinstance(value, (bool, int, float)):
            with contextlib.suppress(ValueError):  # ints too long to print
                total += len(json.dumps(value))
    return total


def _metadata_markers(metadata: object, location: Location) -> Iterator[CourseMarkerFact]:
    if not isinstance(metadata, Mapping):
        return
    for key, (marker, family) in coursework.METADATA_MARKERS.items():
        if key in metadata:
            yield CourseMarkerFact(
                location=location, marker=marker, family=family, text=f'metadata "{key}"'
            )


def _text(source: object) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def _shown_text(outputs: Sequence[Mapping[str, Any]]) -> str:
    """The text a reader sees in a cell's outputs (streams and the plain-text form of
    results and displays), up to MAX_OUTPUT_CHARS."""
    parts: list[str] = []
    left = MAX_OUTPUT_CHARS
    for output in outputs:
        data = output.get("data")
        shown = (
            output.get("text")
            if output.get("output_type") == "stream"
            else data.get("text/plain")
            if isinstance(data, Mapping)
            else None
        )
        text = _text(shown)[:left]
        parts.append(text)
        left -= len(text)
        if left <= 0:
            break
    return "\n".join(parts)


def _stream_text(outputs: Sequence[Mapping[str, Any]]) -> str:
    return "\n".join(
        _text(output.get("text")) for output in outputs if output.get("output_type") == "stream"
    )
