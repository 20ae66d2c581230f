"""CI support: scan a change against its base, and publish the result.

Works in GitHub Actions (it reads the event, writes the job summary and step outputs, and
keeps one pull-request comment up to date) and anywhere else (GitLab CI, Jenkins, a
laptop), where the same flags are given by hand and the Markdown goes to a file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portfolio_check.app.github.answers import GitHubError, Repo
from portfolio_check.app.github.api import GitHubClient
from portfolio_check.app.github.relay import save_comment
from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.model.rubric import Rubric
from portfolio_check.model.scorecard import Scorecard
from portfolio_check.model.source_links import SourceLinks
from portfolio_check.report import render
from portfolio_check.report.pr_comment import render as render_comment
from portfolio_check.scoring.compare import Comparison, compare

ARTIFACT_PREFIX = "portfolio-check"
#: GitHub refuses `" : < > | * ? \\ /`, CR and LF in an artifact name; keep it to plain words.
_ARTIFACT_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_ARTIFACT_NAME = 120
_ARTIFACT_REFUSED = re.compile(r'[":<>|*?\\/\x00-\x1f\x7f]')


@dataclass(frozen=True, kw_only=True)
class PullRequest:
    number: int
    base_sha: str
    head_sha: str
    from_fork: bool


@dataclass(frozen=True, kw_only=True)
class CheckRequest:
    """Everything one CI run of portfolio-check needs, whatever the CI system."""

    path: Path
    rubric: Rubric
    base: str | None  # revision to compare against (a PR's base commit)
    repository: str | None  # owner/name, for links and the comment
    pull_request: PullRequest | None
    comment: bool
    token: str | None
    api_url: str
    server_url: str
    report_dir: Path
    use_repo_config: bool = True
    job: str | None = None  # the workflow's job id (GITHUB_JOB), for the artifact's name
    artifact_name: str | None = None  # chosen by the user (checked), instead of the default
    #: a fork's pull request: save the comment here for a workflow_run job, post nothing
    save_comment: Path | None = None


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    comparison: Comparison
    markdown: str
    report_path: Path
    warnings: tuple[str, ...]
    artifact_name: str = ARTIFACT_PREFIX
    comment_path: Path | None = None  # the saved comment's folder (`save_comment`)

    @property
    def delta(self) -> float | None:
        return self.comparison.real_world_delta


def read_event(path: str | None) -> Mapping[str, Any]:
    """The webhook payload GitHub Actions leaves at GITHUB_EVENT_PATH, or {}."""
    if not path:
        return {}
    try:
        with Path(path).open(encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError) as error:
        raise PortfolioCheckError(f"{path}: cannot read the event file ({error})") from None
    return event if isinstance(event, dict) else {}


def pull_request_of(event: Mapping[str, Any]) -> PullRequest | None:
    pull = event.get("pull_request")
    if not isinstance(pull, Mapping):
        return None
    base, head = pull.get("base") or {}, pull.get("head") or {}
    base_repo = (base.get("repo") or {}).get("full_name")
    head_repo = (head.get("repo") or {}).get("full_name")
    return PullRequest(
        number=int(pull.get("number") or event.get("number") or 0),
        base_sha=str(base.get("sha") or ""),
        head_sha=str(head.get("sha") or ""),
        from_fork=bool(head_repo and base_repo and head_repo != base_repo),
    )


def run_check(request: CheckRequest) -> CheckResult:
    """Scan head (and base), render the Markdown and HTML, and update the PR comment."""
    options = ScanOptions(display_path=".", use_repo_config=request.use_repo_config)
    head = scan(request.path, rubric=request.rubric, options=options)
    base = _scan_base(request, options)
    comparison = compare(head, base)
    links = _links(request, head)
    title = request.repository or ""
    if request.pull_request and request.repository:
        title = f"{request.repository} #{request.pull_request.number}"
    markdown = render_comment(comparison, links=links, title=title)
    request.report_dir.mkdir(parents=True, exist_ok=True)
    report_path = request.report_dir / "portfolio-check-report.html"
    report_path.write_text(render(head, "html"), encoding="utf-8")
    comment_path = _save(request, markdown)
    warnings = () if request.save_comment else _publish(request, markdown)
    return CheckResult(
        comparison=comparison,
        markdown=markdown,
        report_path=report_path,
        warnings=warnings,
        artifact_name=request.artifact_name or artifact_name(request.job, head, request.path),
        comment_path=comment_path,
    )


def _save(request: CheckRequest, markdown: str) -> Path | None:
    """`save_comment`: the comment and its pull request, for the run that posts it."""
    pull = request.pull_request
    if request.save_comment is None or pull is None or not pull.number:
        return None
    if not pull.head_sha:
        raise PortfolioCheckError("the pull_request event names no head commit to save with")
    return save_comment(request.save_comment, markdown, number=pull.number, head_sha=pull.head_sha)


def checked_artifact_name(name: str) -> str:
    """A name given by hand, or a one-line reason why GitHub (or the outputs file, one
    `name=value` a line) would not take it."""
    name = name.strip()
    if not name or len(name) > MAX_ARTIFACT_NAME or _ARTIFACT_REFUSED.search(name):
        raise PortfolioCheckError(
            f"artifact name {name[:MAX_ARTIFACT_NAME]!r}: give 1 to {MAX_ARTIFACT_NAME} "
            'characters, without " : < > | * ? \\ / or control characters'
        )
    return name


def artifact_name(job: str | None, head: Scorecard, path: Path) -> str:
    """`portfolio-check-JOB-OWNER-NAME[-PATH]`: one name per job and, in a matrix, per
    candidate, so that no two jobs of a run upload the same artifact. The candidate is the
    scanned repository's `origin` on GitHub or GitLab (what `actions/checkout` sets), else
    its folder's name; a subfolder scanned is added."""
    links = head.target.source_links
    if links is not None:
        project = links.repository_url.split("://", 1)[-1].split("/", 1)[-1]
    else:
        project = path.resolve().name
    parts = [ARTIFACT_PREFIX, job or "", project]
    if links is not None and path.as_posix() not in ("", "."):
        parts.append(path.as_posix())
    slugs = (_ARTIFACT_UNSAFE.sub("-", part).strip("-.") for part in parts)
    name = "-".join(slug for slug in slugs if slug)
    return name[:MAX_ARTIFACT_NAME].rstrip("-.")


def _scan_base(request: CheckRequest, options: ScanOptions) -> Scorecard | None:
    if not request.base:
        return None
    base_options = ScanOptions(
        display_path=".", use_repo_config=options.use_repo_config, revision=request.base
    )
    return scan(request.path, rubric=request.rubric, options=base_options)


def _links(request: CheckRequest, head: Scorecard) -> SourceLinks | None:
    commit = (request.pull_request.head_sha if request.pull_request else "") or head.target.commit
    if not (request.repository and commit):
        return None
    return SourceLinks.on_github(
        server_url=request.server_url,
        repository=request.repository,
        commit=commit,
        paths=head.paths(),
    )


def _publish(request: CheckRequest, markdown: str) -> tuple[str, ...]:
    """Create, update or delete the sticky comment. Failing to write one is a warning: a
    fork's token is read-only, and the job summary still carries the scorecard."""
    pull, repository = request.pull_request, request.repository
    if pull is None or not repository or not pull.number:
        return ()
    if not request.token:
        return ("no GitHub token: the scorecard is in the job summary only",)
    try:
        client = GitHubClient(token=request.token, api_url=request.api_url)
        repo = Repo.parse(repository)
        if request.comment:
            client.upsert_comment(repo, pull.number, markdown)
        else:
            client.delete_comment(repo, pull.number)
    except GitHubError as error:
        return (f"could not update the pull-request comment: {error}",)
    return ()


def append_step_summary(markdown: str, path: str | None) -> None:
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(markdown if markdown.endswith("\n") else markdown + "\n")


def write_outputs(result: CheckResult, path: str | None) -> None:
    """Step outputs for later steps: `score`, `certification-score`, `delta`, `report-path`,
    `artifact-name`, `comment-path`."""
    if not path:
        return
    head = result.comparison.head
    delta = result.delta
    values = {
        "score": f"{head.real_world_score:.1f}",
        "certification-score": f"{head.certification_score:.1f}",
        "delta": "" if delta is None else f"{delta:+.1f}",
        "report-path": os.fspath(result.report_path),
        "artifact-name": result.artifact_name,
        "comment-path": os.fspath(result.comment_path) if result.comment_path else "",
    }
    with Path(path).open("a", encoding="utf-8") as handle:
        for name, value in values.items():
            handle.write(f"{name}={value}\n")


def gate(
    result: CheckResult, *, fail_under: float | None, fail_on_drop: float | None
) -> str | None:
    """Why the job should fail, or None: below `fail_under`, or down by more than
    `fail_on_drop` points against the base."""
    score = result.comparison.head.real_world_score
    if fail_under is not None and score < fail_under:
        return f"real-world score {score:.0f} is below --fail-under {fail_under:g}"
    delta = result.delta
    if fail_on_drop is not None and delta is not None and -delta > fail_on_drop:
        return (
            f"the change lowers the real-world score by {-delta:.1f} points, "
            f"more than --fail-on-drop {fail_on_drop:g}"
        )
    return None
