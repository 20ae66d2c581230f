"""The command line, click only: options -> app calls -> exit codes.

`group` (the command, its default subcommand, `main`), `scan` (one repository), `review`
(many candidates, and `merge`), `github` (CI), `options` (every option declared once) and
`help` (the words of --help).

Exit codes: 0 scanned; 1 real-world score below --fail-under; 2 usage or input error
(one line on stderr, no traceback); 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

from portfolio_check.cli.group import command, main
from portfolio_check.cli.options import open_in_browser
from portfolio_check.cli.review import resume_hint

__all__ = ["command", "main", "open_in_browser", "resume_hint"]
