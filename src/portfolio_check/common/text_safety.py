"""Untrusted text made safe to show: the one home of the character classes and the policies.

Text from a scanned repository, a clone's git output, a target list, a results file or an
API answer may carry characters a reader's tools obey instead of showing: a terminal runs
ANSI and OSC 8 escapes and returns its cursor on CR, a bidirectional override reorders what
follows it ("Trojan Source"), a line or paragraph separator starts a new line where one line
was meant, and GitHub turns `@name`, `#12` and bare URLs into mentions, references and links.

Character classes (each policy below names the ones it removes or replaces):

- `C0`: C0 controls but tab and line feed (ESC, BEL, CR, ...); `TAB_AND_LINE_FEED` apart,
  because multi-line text keeps them;
- `C1`: DEL and the C1 controls (CSI `\\x9b` among them);
- `BIDI`: bidirectional marks, embeddings, overrides and isolates;
- `SEPARATORS`: the Unicode line and paragraph separators;
- `INVISIBLE`: zero-width spaces and joiners, the word joiner and invisible operators, and
  the byte-order mark;
- `SURROGATES`: lone surrogates (an undecodable file name), which no UTF-8 output can hold.

Policies:

- `terminal`: text for a terminal (the text report): controls, tab and line feed included,
  bidi and separators removed;
- `terminal_line`: one line the tool laid out for a terminal (a table row): every unsafe
  character becomes `?`, spacing kept;
- `one_line`: a message of one line (an error reason, a table cell, a red flag's detail):
  whitespace collapsed, every unsafe character `?`, optionally cut with an ellipsis;
- `markdown`: a value in GitHub Markdown: as text, never markup, link, mention or reference;
- `markdown_body`: a whole Markdown body (a saved PR comment): controls removed, lines kept;
- `printable`: a short name quoted in a note (a key from a repository's config): anything
  `str.isprintable` refuses (every control, format and separator character, and spaces
  other than U+0020) becomes `?`;
- `sarif_message`: a value in a SARIF plain-text message: one line, no embedded link;
- `html`: a value in HTML text or an attribute: escaped (Jinja's autoescape does the same
  for every `{{ }}`); a browser shows controls rather than obeying them, and the page's
  content security policy allows no script;
- `encodable`: any whole report before it is written: lone surrogates become U+FFFD.

`has_control` is the check (not a cleaning) for text that must be refused rather than shown,
such as a target spec.
"""

from __future__ import annotations

import re

import markupsafe

C0 = "\x00-\x08\x0b-\x1f"
TAB_AND_LINE_FEED = "\t\n"
C1 = "\x7f-\x9f"
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
SEPARATORS = "\u2028\u2029"
INVISIBLE = "\u200b-\u200d\u2060-\u2065\ufeff"
SURROGATES = "\ud800-\udfff"

#: C0 and C1 controls, tab and line feed included: refused in a target.
CONTROLS = re.compile(f"[{C0}{TAB_AND_LINE_FEED}{C1}]")
#: What multi-line text (Markdown, a comment body) must not hold: it keeps tab and line feed.
TEXT_UNSAFE = re.compile(f"[{C0}{C1}{BIDI}{SEPARATORS}]")
#: What a terminal must never receive from repository text.
TERMINAL_UNSAFE = re.compile(f"[{C0}{TAB_AND_LINE_FEED}{C1}{BIDI}{SEPARATORS}]")
#: What one line must not hold: everything above, invisible characters and lone surrogates.
LINE_UNSAFE = re.compile(f"[{C0}{TAB_AND_LINE_FEED}{C1}{BIDI}{SEPARATORS}{INVISIBLE}{SURROGATES}]")

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
#: What GitHub turns into a link on its own: `http://`, `https://`, `ftp://` and `www.`.
AUTOLINK = re.compile(r"(?i)(?<![a-z0-9])(?:https?|ftp)(?=:/)|(?<![a-z0-9])www(?=\.)")
_MENTION = re.compile(r"@(?=\w)")
_REFERENCE = re.compile(r"(?<=#)(?=\d)")
_WHITESPACE = re.compile(r"\s+")
#: Lone surrogates: an undecodable file name (`os.fsdecode`) or a `\udcff` escape in JSON.
_LONE_SURROGATE = re.compile(f"[{SURROGATES}]")
ZERO_WIDTH_SPACE = "\u200b"
ELLIPSIS = "\u2026"


def has_control(text: str) -> bool:
    """Whether `text` holds a C0 or C1 control character (tab and line feed included)."""
    return CONTROLS.search(text) is not None


def terminal(value: object) -> str:
    """Text for a terminal: controls (tab and line feed too), bidi and separators removed."""
    return TERMINAL_UNSAFE.sub("", str(value))


def terminal_line(value: object) -> str:
    """A line laid out for a terminal: each unsafe character `?`, spacing kept as it is."""
    return LINE_UNSAFE.sub("?", str(value))


def one_line(value: object, *, limit: int | None = None) -> str:
    """One line: whitespace runs become one space, each unsafe character `?`; longer than
    `limit` characters, cut to fit with an ellipsis."""
    line = LINE_UNSAFE.sub("?", " ".join(str(value).split()))
    return _cut(line, limit)


def printable(value: object) -> str:
    """`value` with each character `str.isprintable` refuses replaced by `?`."""
    return "".join(char if char.isprintable() else "?" for char in str(value))


def markdown(value: object) -> str:
    """A value rendered literally in GitHub Markdown: one line, no HTML, link, mention or
    issue reference."""
    text = TEXT_UNSAFE.sub("", str(value)).replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return defuse_github_links(MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_body(body: str) -> str:
    """A whole Markdown body with unsafe characters removed; lines (CRLF or LF) kept as LF."""
    return TEXT_UNSAFE.sub("", body.replace("\r\n", "\n"))


def defuse_github_links(text: str) -> str:
    """`text` with a zero-width space where GitHub would otherwise make a bare URL a link,
    `@name` a mention or `#12` a reference."""
    text = AUTOLINK.sub(lambda match: f"{match.group(0)}{ZERO_WIDTH_SPACE}", text)
    text = _MENTION.sub(f"@{ZERO_WIDTH_SPACE}", text)
    return _REFERENCE.sub(ZERO_WIDTH_SPACE, text)


def sarif_message(value: str, *, limit: int) -> str:
    """A value in one line of a SARIF plain-text message, cut to `limit` characters."""
    flat = _WHITESPACE.sub(" ", LINE_UNSAFE.sub(" ", value)).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + ELLIPSIS
    # SARIF 3.11.6: `[text](target)` in a plain-text message is an embedded link; an escaped
    # bracket is a literal one, so repository text can never become a link
    return flat.replace("[", "\\[").replace("]", "\\]")


def html(value: object) -> markupsafe.Markup:
    """A value escaped for HTML text or a quoted attribute (`<`, `>`, `&`, `"` and `'`)."""
    return markupsafe.escape(value)


def encodable(text: str) -> str:
    """`text` with lone surrogates replaced (U+FFFD), so that it can be written as UTF-8:
    no UTF-8 file can hold one, so every report goes through this."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _cut(line: str, limit: int | None) -> str:
    if limit is None or len(line) <= limit:
        return line
    return line[: limit - 1] + ELLIPSIS
