"""A CI job as a `WorkflowJobFact`, whatever the system: what its scripts do
(`script_activity`), which project files they name and which tasks and scripts they hand
over to (`command_links`), each script from the folder it runs in, and the actions it
uses that build images or lint.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from collections.abc import Iterable, Iterator

from portfolio_check.analyzers.command_links import command_links
from portfolio_check.analyzers.script_activity import script_activity
from portfolio_check.analyzers.task_invocations import Invocation
from portfolio_check.model.facts import WorkflowJobFact
from portfolio_check.model.location import Location

IMAGE_ACTIONS = ("docker/build-push-action", "docker/bake-action")
SETUP_ACTIONS = (
    "actions/checkout",
    "actions/setup-python",
    "actions/cache",
    "actions/upload-artifact",
)
#: Actions that run linters (pre-commit hooks, ruff, black, flake8, a super-linter).
LINT_ACTIONS = (
    "pre-commit/action",
    "pre-commit-ci/lite-action",
    "astral-sh/ruff-action",
    "chartboost/ruff-action",
    "jpetrucciani/ruff-check",
    "psf/black",
    "py-actions/flake8",
    "reviewdog/action-flake8",
    "wearerequired/lint-action",
    "super-linter/super-linter",
    "github/super-linter",
)


@dataclasses.dataclass(frozen=True)
class Run:
    """A script a job runs, and the folder it starts in (relative to the repository)."""

    script: str
    folder: str = ""

    def located(self) -> str:
        return f"cd {shlex.quote(self.folder)}\n{self.script}" if self.folder else self.script


def job_fact(
    system: str,
    path: str,
    line: int | None,
    workflow: str,
    job: str,
    triggers: tuple[str, ...],
    runs: Iterable[Run],
    uses: Iterable[str] = (),
    *,
    builds_image: bool = False,
    deploys: bool = False,
) -> WorkflowJobFact:
    """A job from what it runs: each script read from its own folder (a `cd` in one
    GitHub step does not carry to the next), and the actions or builders it uses; a
    local action or reusable workflow (`./.github/actions/setup`) is handed over to."""
    scripts = [run.located() for run in runs if run.script.strip()]
    uses = list(uses)
    local = tuple(local_uses(uses))
    activity = script_activity(scripts)
    links = [command_links(script) for script in scripts]
    fact = WorkflowJobFact(
        location=Location(path=path, line=line),
        system=system,
        workflow=workflow,
        job=job,
        triggers=triggers,
        runs_tests=activity.runs_tests,
        builds_image=builds_image
        or activity.builds_image
        or any(u.startswith(IMAGE_ACTIONS) for u in uses),
        runs_pipeline=activity.runs_pipeline,
        lints=activity.lints or any(u.startswith(LINT_ACTIONS) for u in uses),
        deploys=deploys or activity.deploys,
        provisions=activity.provisions,
        scheduled="schedule" in triggers,
        references=unique(ref for references, _ in links for ref in references),
        invokes=unique((*(inv for _, invocations in links for inv in invocations), *local)),
    )
    if (
        not activity.commands
        and not builds_image
        and all(u.startswith(SETUP_ACTIONS) for u in uses)
    ):
        return dataclasses.replace(fact, placeholder="a CI job that only echoes")
    return fact


def local_uses(uses: Iterable[str]) -> Iterator[str]:
    """`./.github/workflows/tests.yml` (a reusable workflow) and `./.github/actions/setup`
    (a composite action): the repository's own, so they can be followed."""
    for use in uses:
        if use.startswith("./") and not re.search(r"[$`{}*?@]", use):
            path = posixpath.normpath(use)
            runner = "workflow" if path.endswith((".yml", ".yaml")) else "action"
            yield Invocation(runner, "", path).encode()


def unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def folder_from(base: str, relative: object) -> str:
    """`relative` (a working directory as a config writes it) from `base`; the base when
    it names somewhere that cannot be known."""
    text = str(relative or "").strip()
    if not text or re.search(r"[$`{}*?]", text) or text.startswith(("/", "~")):
        return base
    joined = posixpath.normpath(posixpath.join(base, text))
    return "" if joined == "." or joined.startswith("..") else joined
