"""Fingerprints of a file's content, to tell copied material from the author's own.

Two kinds, as clone detectors use them (MOSS; DéjàVu, Lopes et al. 2017):

- an **exact** fingerprint: a hash of the normalised text (line ends, blank lines and
  trailing space removed; a notebook's cell sources without outputs or metadata), so a
  file copied as it is matches whatever its name;
- **near-duplicate** fingerprints: the k-gram hashes of normalised tokens that winnowing
  selects (Schleimer, Wilkerson and Aiken 2003). Python and notebook code is tokenised
  with its names, strings and numbers blurred (a renamed variable or an edited string
  still matches); prose is read as lower-cased words. Any shared run of at least
  `WINDOW + k - 1` tokens is sure to share a fingerprint.

Hashes only: nothing of the content is kept. Every function here is pure, bounded by
`MAX_FINGERPRINT_CHARS` (a notebook's JSON by `MAX_NOTEBOOK_CHARS`, its cell sources by the
former), never raises on odd input, and is the one home of the
normalisation, shared by the scanner and the script that builds the upstream index.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import keyword
import re
import sys
import token
import tokenize
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_FINGERPRINT_CHARS = 256 * 1024  # of a file's text; the rest is not fingerprinted
#: of a notebook's JSON: its outputs (images, tables) are dropped before the cap above applies
#: to its cell sources, so a notebook saved with its outputs is compared by what it says
MAX_NOTEBOOK_CHARS = 20 * 1024 * 1024
CODE_K = 12  # tokens a code k-gram spans
TEXT_K = 8  # words a prose k-gram spans
WINDOW = 6  # k-grams a winnowing window spans
MIN_TOKENS = 24  # below this a file has too little of its own to fingerprint
_MASK = (1 << 61) - 1  # hashes are kept to 61 bits (they fit a signed 64-bit integer)
_BASE = 1_000_003

PYTHON_SUFFIXES = frozenset({".py"})
NOTEBOOK_SUFFIXES = frozenset({".ipynb"})
TEXT_SUFFIXES = frozenset(
    {".md", ".markdown", ".rst", ".txt", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".sh",
     ".r", ".sql", ".html", ".js", ".ts", ".json"}
)  # fmt: skip
TEXT_NAMES = frozenset({"dockerfile", "makefile", "procfile", "justfile"})
_WORD = re.compile(r"[a-z0-9_]+")
_MAGIC = re.compile(r"^\s*[%!]")  # IPython magics and shell escapes: not Python
#: Python 3.12 and later tokenize an f-string into parts (3.11 and earlier: one STRING); -1
#: matches no token where there is no such type
_FSTRING_START: int = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END: int = getattr(tokenize, "FSTRING_END", -1)
#: Python's operators. Python 3.12 and later call a stray `$`, `?` or `!` an operator too
#: (earlier versions an error token): dropped everywhere, so every version agrees.
_OPERATORS = frozenset(tokenize.EXACT_TOKEN_TYPES) - {"!"}
_KEYWORDS = frozenset(keyword.kwlist)
_NAME, _OP, _STRING, _NUMBER = tokenize.NAME, tokenize.OP, tokenize.STRING, tokenize.NUMBER


#: Python 3.10 and 3.11 only: their `tokenize` is pure Python, ten times slower than the
#: interpreter's own tokenizer, which `_c_code_tokens` reads instead where it can. (From
#: Python 3.12, `tokenize` is that tokenizer.)
def _c_tokenizer() -> Callable[[str], Iterable[tuple[Any, ...]]] | None:
    if sys.version_info >= (3, 12):
        return None
    try:
        module = importlib.import_module("_tokenize")
    except ImportError:  # pragma: no cover - an interpreter without it
        return None
    found: Callable[[str], Iterable[tuple[Any, ...]]] | None = getattr(
        module, "TokenizerIter", None
    )
    return found


_C_TOKENIZER = _c_tokenizer()
#: The C tokenizer's types that stand for a name (`async` and `await` have their own)
_C_NAMES = frozenset(
    {tokenize.NAME, getattr(token, "ASYNC", tokenize.NAME), getattr(token, "AWAIT", tokenize.NAME)}
)
_C_OPERATORS = frozenset(token.EXACT_TOKEN_TYPES.values()) | {tokenize.OP}
_C_LAYOUT = frozenset(
    {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER,
     tokenize.COMMENT}
)  # fmt: skip
_PLAIN_NAME = re.compile(r"\w+")
_C_ENDS = frozenset({tokenize.NEWLINE, tokenize.DEDENT})
_LAYOUT_LINE = re.compile(r"[ \t\f]*(?:#.*)?")  # a blank or comment line


class _Unlike(Exception):
    """The C tokenizer read something the `tokenize` module would read otherwise."""


@dataclass(frozen=True)
class Fingerprint:
    """What a file is, for provenance: its exact hash and its winnowed k-gram hashes."""

    exact: str  # hex digest of the normalised text
    grams: frozenset[int]  # winnowed k-gram hashes (empty for a file too small to judge)
    tokens: int  # normalised tokens it has
    #: non-blank lines of the normalised text (a notebook's cell sources): what a share of
    #: the repository's code and text is counted in
    lines: int = 0


def kind_of(path: str) -> str | None:
    """How a file is fingerprinted: "python", "notebook" or "text"; None for others."""
    name = path.rpartition("/")[2].lower()
    suffix = name[name.rfind(".") :] if "." in name[1:] else ""
    if suffix in PYTHON_SUFFIXES:
        return "python"
    if suffix in NOTEBOOK_SUFFIXES:
        return "notebook"
    if suffix in TEXT_SUFFIXES or name in TEXT_NAMES or name.startswith("dockerfile"):
        return "text"
    return None


def fingerprint(path: str, text: str) -> Fingerprint | None:
    """The fingerprint of a file's text, or None when it is not a kind that is compared."""
    kind = kind_of(path)
    if kind is None:
        return None
    if kind == "notebook":
        code, prose = notebook_sources(text[:MAX_NOTEBOOK_CHARS])
        code, prose = code[:MAX_FINGERPRINT_CHARS], prose[:MAX_FINGERPRINT_CHARS]
        tokens = [*code_tokens(code), *text_tokens(prose)]
        normalised = normalise_text(code + "\n" + prose)
        k = CODE_K
    elif kind == "python":
        text = text[:MAX_FINGERPRINT_CHARS]
        tokens = code_tokens(text)
        normalised, k = normalise_text(text), CODE_K
    else:
        text = text[:MAX_FINGERPRINT_CHARS]
        tokens = text_tokens(text)
        normalised, k = normalise_text(text), TEXT_K
    exact = hashlib.sha1(normalised.encode("utf-8", "replace"), usedforsecurity=False)
    grams = winnow(tokens, k) if len(tokens) >= MIN_TOKENS else frozenset()
    lines = normalised.count("\n") + 1 if normalised else 0
    return Fingerprint(exact=exact.hexdigest()[:20], grams=grams, tokens=len(tokens), lines=lines)


def normalise_text(text: str) -> str:
    """Line ends unified, trailing space and blank lines dropped."""
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def notebook_sources(text: str) -> tuple[str, str]:
    """(code, markdown) of a notebook's cells, without outputs, counts or metadata; both
    empty when the text is not a notebook."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return "", ""
    cells = document.get("cells") if isinstance(document, dict) else None
    code: list[str] = []
    prose: list[str] = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        source = (
            "".join(s for s in source if isinstance(s, str)) if isinstance(source, list) else source
        )
        if not isinstance(source, str):
            continue
        if cell.get("cell_type") == "code":
            code.append("\n".join(line for line in source.splitlines() if not _MAGIC.match(line)))
        else:
            prose.append(source)
    return "\n".join(code), "\n".join(prose)


def code_tokens(source: str) -> list[str]:
    """Python tokens with names, strings and numbers blurred (keywords and operators kept),
    comments and layout dropped. Read by `tokenize`, so an unfinished file keeps the tokens
    before the point where it breaks. (The interpreter's tokenizer gives the same tokens
    faster where it reads the whole source as `tokenize` does; else `tokenize` decides.)"""
    if _C_TOKENIZER is not None:
        try:
            return _c_code_tokens(source, _C_TOKENIZER)
        except (_Unlike, SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
            pass  # an error, or a token `tokenize` would read otherwise: it decides
    return _module_code_tokens(source)


def _c_code_tokens(source: str, tokenizer: Callable[[str], Iterable[tuple[Any, ...]]]) -> list[str]:
    """`code_tokens` from the C tokenizer of Python 3.10 and 3.11, which stops at the
    first error where `tokenize` reads on: any error, and any token `tokenize` could read
    otherwise (an operator it does not know, a name with a character outside `\\w`), and
    an end before the end of the source, raises."""
    tokens: list[str] = []
    append = tokens.append
    item: tuple[Any, ...] = ("", tokenize.NEWLINE, 0, 0)  # (text, kind, line, end line, ...)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "invalid decimal literal" and the like
        for item in tokenizer(source):
            text, kind = item[0], item[1]
            if kind in _C_NAMES:
                if not text.isascii() and not _PLAIN_NAME.fullmatch(text):
                    raise _Unlike(text)
                append(text if text in _KEYWORDS else "N")
            elif kind == _STRING:
                append("S")
            elif kind == _NUMBER:
                append("0")
            elif kind in _C_OPERATORS:
                if text not in _OPERATORS:
                    raise _Unlike(text)
                append(text)
            elif kind not in _C_LAYOUT:
                raise _Unlike(text)
    # it ends without an error at some errors too (a tab where spaces were): then the
    # last token does not end a line, or code follows it
    kind, rest = item[1], source.splitlines()[item[3] :]
    if kind not in _C_ENDS or not all(_LAYOUT_LINE.fullmatch(line) for line in rest):
        raise _Unlike("an early end")
    return tokens


def _module_code_tokens(source: str) -> list[str]:
    """`code_tokens` read by the `tokenize` module: the reference."""
    tokens: list[str] = []
    append = tokens.append
    reader = io.StringIO(source).readline
    depth = 0  # inside an f-string, which Python 3.12 and later tokenize part by part
    try:
        # one test per token, inline: this loop is most of the cost of a fingerprint
        for kind, text, *_ in tokenize.generate_tokens(reader):
            if depth:
                depth += (kind == _FSTRING_START) - (kind == _FSTRING_END)
            elif kind == _NAME:
                append(text if text in _KEYWORDS else "N")
            elif kind == _OP:
                if text in _OPERATORS:
                    append(text)
            elif kind == _STRING:
                append("S")
            elif kind == _NUMBER:
                append("0")
            elif kind == _FSTRING_START:
                append("S")  # one string, as Python 3.11 and earlier see it
                depth = 1
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError):
        pass  # keep what was read
    return tokens


def text_tokens(text: str) -> list[str]:
    """The words of prose or configuration, lower-cased."""
    return _WORD.findall(text.lower())


def winnow(tokens: Sequence[str], k: int, window: int = WINDOW) -> frozenset[int]:
    """The hashes winnowing selects among the k-grams of `tokens`: in every window of
    `window` consecutive k-gram hashes, the smallest (the rightmost of equal ones)."""
    hashes = kgram_hashes(tokens, k)
    if len(hashes) <= window:
        return frozenset([min(hashes)]) if hashes else frozenset()
    # the windows as `window` shifted views zipped together (the shorter ones end the
    # zip where the last whole window ends): each tuple is one window
    windows = zip(*(hashes[shift:] for shift in range(window)), strict=False)
    return frozenset(map(min, windows))


def kgram_hashes(tokens: Sequence[str], k: int) -> list[int]:
    """A rolling hash of each run of `k` tokens (stable across processes and runs)."""
    if len(tokens) < k:
        return []
    known: dict[str, int] = {}  # a file repeats few distinct tokens many times
    ids = [
        known.get(token)
        or known.setdefault(token, zlib.crc32(token.encode("utf-8", "replace")) + 1)
        for token in tokens
    ]
    top = pow(_BASE, k - 1, _MASK)
    value = 0
    for token_id in ids[:k]:
        value = (value * _BASE + token_id) % _MASK
    hashes = [value]
    append = hashes.append
    for leaving, entering in zip(ids, ids[k:], strict=False):  # the rest enters
        value = ((value - leaving * top) * _BASE + entering) % _MASK
        append(value)
    return hashes
