"""What the browser tests need, installed on first use from the project's own files, so that
the README's test command works on a fresh machine as it does in `.ci/run`.

- Chromium: Debian's `chromium` package, with apt, when the tests run as root (as on a CI
  machine or in a container). Otherwise the tests fail and say what to install.
- axe-core: `npm ci` from `tests/browser/package-lock.json` into `tests/browser/node_modules`.

`PORTFOLIO_CHECK_NO_INSTALL=1` turns both off: then a missing piece fails the tests at once.
Nothing is ever skipped: a browser test that cannot run is a failing test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).parent
#: Long enough for `apt-get update` and a ~100 MB download on a slow mirror.
INSTALL_TIMEOUT = 900


class ProvisionError(Exception):
    """A piece the browser tests need is missing and could not be installed."""


def may_install() -> bool:
    return os.environ.get("PORTFOLIO_CHECK_NO_INSTALL", "") in ("", "0")


def install_chromium() -> None:
    """`apt-get install chromium`, as root only: never a sudo prompt in a test run."""
    if not may_install():
        raise ProvisionError("PORTFOLIO_CHECK_NO_INSTALL is set")
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise ProvisionError("installing it needs apt-get, as root")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        _run(command, environment)


def install_axe() -> None:
    """`npm ci` of the locked axe-core, into this folder's node_modules."""
    if not may_install():
        raise ProvisionError("PORTFOLIO_CHECK_NO_INSTALL is set")
    if shutil.which("npm") is None:
        raise ProvisionError("installing it needs npm")
    command = ["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"]
    _run(command, dict(os.environ))


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        subprocess.run(
            command,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.CalledProcessError as error:
        last = (error.stderr or error.stdout or "").strip().splitlines()[-1:] or ["no output"]
        raise ProvisionError(f"`{' '.join(command)}` failed: {last[0]}") from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ProvisionError(f"`{' '.join(command)}` failed: {error}") from None
