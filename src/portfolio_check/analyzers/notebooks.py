"""Jupyter notebooks, read with nbformat and never executed.

Code cells go through the same `ast` visitor as modules (with `%` and `!` magics dropped),
so imports and calls in notebooks are facts like any other. Course markers are looked for
in cell sources, stream outputs and notebook and cell metadata.
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import nbformat

from portfolio_check.analyzers import coursework
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.python import CodeFacts, ParseFailure, code_facts, parse_python
from portfolio_check.facts import CourseMarkerFact, Fact, FindingFact, NotebookFact
from portfolio_check.snapshot import MAX_NOTEBOOK_BYTES, FileEntry, Location

MAGIC_PREFIXES = ("%", "!", "?")
#: IPython help lines: `df?`, `np.load??`, `np.*load*?`.
HELP_LINE = re.compile(r"^\s*[\w.*]+\?{1,2}\s*$")
#: Line ends as Python counts them (`str.splitlines` also splits on form feeds and U+2028).
LINE_END = re.compile(r"\r\n|\r|\n")


def strip_magics(source: str) -> str:
    """Blank out IPython magics, shell escapes and help lines, keeping line numbers."""
    return "\n".join(
        "" if line.lstrip().startswith(MAGIC_PREFIXES) or HELP_LINE.match(line) else line
        for line in LINE_END.split(source)
    )


def read_notebook(text: str) -> Any:
    """Parse notebook JSON with nbformat, upgraded to v4. Raises ValueError when it is not one."""
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


class NotebookAnalyzer:
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
        yield from _metadata_markers(notebook.get("metadata"), location)
        sink = CodeFacts(path=entry.path, scope="notebook", context=context)
        counts = {"code": 0, "markdown": 0, "executed": 0, "errors": 0}
        for number, cell in enumerate(notebook["cells"], start=1):
            if not isinstance(cell, Mapping):
                continue
            yield from self._cell(cell, number, sink, counts)
        yield from sink.facts
        yield NotebookFact(
            location=location,
            code_cells=counts["code"],
            markdown_cells=counts["markdown"],
            executed_cells=counts["executed"],
            error_outputs=counts["errors"],
            placeholder=None if counts["code"] or counts["markdown"] else "an empty notebook",
        )

    def _cell(
        self, cell: Mapping[str, Any], number: int, sink: CodeFacts, counts: dict[str, int]
    ) -> Iterator[Fact]:
        source = _text(cell.get("source"))
        cell_location = Location(path=sink.path, cell=number)
        yield from coursework.markers_in_text(source, cell_location)
        yield from _metadata_markers(cell.get("metadata"), cell_location)
        cell_type = cell.get("cell_type")
        if cell_type == "markdown":
            counts["markdown"] += 1
        if cell_type != "code":
            return
        counts["code"] += 1
        if cell.get("execution_count") is not None:
            counts["executed"] += 1
        outputs = cell.get("outputs") or []
        counts["errors"] += sum(
            1
            for output in outputs
            if isinstance(output, Mapping) and output.get("output_type") == "error"
        )
        yield from coursework.markers_in_text(_stream_text(outputs), cell_location)
        sink.cell = number
        # IPython-only syntax in one cell does not spoil the rest of the notebook
        with contextlib.suppress(ParseFailure):
            code_facts(parse_python(strip_magics(source), sink.path), sink)


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


def _stream_text(outputs: object) -> str:
    if not isinstance(outputs, list):
        return ""
    return "\n".join(
        _text(output.get("text"))
        for output in outputs
        if isinstance(output, Mapping) and output.get("output_type") == "stream"
    )
