"""Facts about what the project depends on: each declared dependency, each manifest as a
whole, and lock files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from portfolio_check.model.facts.base import Fact


@dataclass(frozen=True, kw_only=True, slots=True)
class DependencyFact(Fact):
    kind: ClassVar[str] = "dependency"
    name: str  # normalised distribution name (PEP 503), or the conda package's name
    spec: str
    pinned: bool  # exactly one version: `==1.2.3` (no wildcard), `===`, conda's `=1.2.3`
    #: requirements, lock (compiled pins), freeze (an environment snapshot, as `pip freeze`
    #: writes), pyproject, environment, pipfile, setup.cfg
    manifest: str
    conda: bool = False  # a conda package (environment.yml), not a PyPI distribution
    #: set once every file is read: declared, yet no module, test or notebook imports it
    #: and it is no tool that is run rather than imported
    unused: bool = False

    def describe(self) -> str:
        return f"dependency {self.name}{self.spec} in {self.manifest}"


@dataclass(frozen=True, kw_only=True, slots=True)
class DependencyManifestFact(Fact):
    """One manifest as a whole: how many of its dependencies are pinned, what it includes."""

    kind: ClassVar[str] = "dependency_manifest"
    manifest: str  # as DependencyFact.manifest
    dependencies: int  # named dependencies (not `-e .`, includes or options)
    pinned: int
    pinned_share: float  # pinned / dependencies, 0.0 when it names none
    fully_pinned: bool  # it names dependencies, and every one is pinned
    includes: tuple[str, ...] = ()  # files it reads with `-r` or `-c`, from the repo root
    #: for a pip-compile (or `uv pip compile`) output, the input files it was compiled from
    compiled_from: tuple[str, ...] = ()
    #: set once every file is read: the lock file that pins what this manifest leaves open
    locked_by: str | None = None

    def describe(self) -> str:
        lock = f", pinned by {self.locked_by}" if self.locked_by else ""
        return f"{self.pinned} of {self.dependencies} dependencies pinned in {self.manifest}{lock}"


@dataclass(frozen=True, kw_only=True, slots=True)
class LockfileFact(Fact):
    kind: ClassVar[str] = "lockfile"
    tool: str

    def describe(self) -> str:
        return f"{self.tool} lock file"
