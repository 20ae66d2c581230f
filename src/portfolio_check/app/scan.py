"""`scan()`: the one call every front end makes, from a target to a Scorecard."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from portfolio_check import __version__
from portfolio_check.analyzers.cache import AnalysisCache
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.analyzers.runner import default_workers
from portfolio_check.common import collector
from portfolio_check.intake.git_links import project_name, source_links
from portfolio_check.intake.repo_config import (
    NO_CONFIG,
    NOT_APPLICABLE_KEY,
    RepoConfig,
    apply_repo_config,
    ignored_config_note,
    read_repo_config,
)
from portfolio_check.intake.sources import open_commit, open_target
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard, TargetInfo
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.rubric.ml_tests import default_ml_tests
from portfolio_check.scoring.engine import evaluate


@dataclass(frozen=True, kw_only=True)
class ScanOptions:
    """Knobs that change how a target is read (more arrive with caching and remotes)."""

    display_path: str | None = None  # how the report names the target; defaults to the path
    #: Apply the target's own `.portfolio-check.yaml` / `[tool.portfolio-check]` excludes.
    #: A reviewer turns this off so that a candidate cannot choose what is scanned.
    use_repo_config: bool = True
    #: Scan this commit of the target repository, read from git objects, instead of its
    #: work tree (the base of a pull request, for instance).
    revision: str | None = None
    #: Folder of the content-keyed analysis cache (`default_analysis_dir()`); None: none.
    cache_dir: Path | None = None
    #: Processes that analyse files in a large repository; None: one per CPU.
    workers: int | None = None


def scan(
    target: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    options: ScanOptions | None = None,
) -> Scorecard:
    options = options or ScanOptions()
    rubric = rubric or load_rubric()
    snapshot = open_commit(target, options.revision) if options.revision else open_target(target)
    config = NO_CONFIG
    if options.use_repo_config:
        config = read_repo_config(snapshot)
        snapshot = apply_repo_config(snapshot, config)
    else:
        note = ignored_config_note(snapshot)
        if note:
            snapshot.notes.append(note)
    ml_tests = default_ml_tests()
    facts = analyze(
        snapshot,
        (*rubric.content_queries, *ml_tests.content_queries),
        cache=AnalysisCache(options.cache_dir) if options.cache_dir is not None else None,
        workers=options.workers or default_workers(),
    )
    not_applicable = _not_applicable(config, rubric, snapshot.notes)
    info = TargetInfo(
        path=options.display_path or os.fspath(target),
        commit=snapshot.commit,
        is_git=snapshot.is_git,
        files=len(snapshot),
        notes=tuple(snapshot.notes),
        name=project_name(snapshot),
    )
    with collector.settled():  # the facts live on: collections need not walk them
        scorecard = evaluate(
            rubric,
            facts,
            info,
            tool_version=__version__,
            not_applicable=not_applicable,
            ml_tests=ml_tests,
        )
    links = source_links(snapshot, scorecard.paths())
    return dataclasses.replace(scorecard, target=dataclasses.replace(info, source_links=links))


def _not_applicable(config: RepoConfig, rubric: Rubric, notes: list[str]) -> dict[str, str]:
    """The criteria and categories the repository's config marks not applicable, with its
    reasons; an id the rubric does not have is left out with a note, and the note of what
    was applied names the file, so a reader knows who said so."""
    known = {category.id for category in rubric.categories} | {
        criterion.id for category in rubric.categories for criterion in category.criteria
    }
    marked: dict[str, str] = {}
    for criterion_id, reason in config.not_applicable:
        if criterion_id in known:
            marked[criterion_id] = reason
        else:
            notes.append(
                f"{config.label}: {NOT_APPLICABLE_KEY}.{criterion_id} ignored: rubric"
                f" {rubric.id} has no criterion or category with that id"
            )
    if marked:
        count = len(marked)
        notes.append(
            f"{count} criteri{'on' if count == 1 else 'a'} marked not applicable by"
            f" {config.label} ({', '.join(marked)}), left out of the score"
        )
    return marked
