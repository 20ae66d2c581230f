"""Whether a scan imported a library, asked of a fresh interpreter: libraries a scan needs
only for some files (nbformat, markdown-it) must not be imported by a scan without them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCAN_THEN_ASK = """
import sys
from portfolio_check.app.scan import ScanOptions, scan
scan(sys.argv[1], options=ScanOptions(workers=1))
print(sys.argv[2] in sys.modules)
"""


def imported_by_scan(root: Path, module: str) -> bool:
    """Whether scanning `root` (one process, no workers) imports `module`."""
    done = subprocess.run(
        [sys.executable, "-c", SCAN_THEN_ASK, str(root), module],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip() == "True"
