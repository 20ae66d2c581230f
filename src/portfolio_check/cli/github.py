"""`portfolio-check github` (a change scanned against its base, for CI, with a pull-request
comment) and `github-comment` (the comment a fork's run saved, posted from workflow_run).

The check, the relay and the rubric loader are imported when a command runs, so that the
other commands never pay for them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from portfolio_check.app.report_files import write_report
from portfolio_check.cli.help import GITHUB_COMMENT_HELP, GITHUB_HELP
from portfolio_check.cli.options import (
    CONTEXT,
    EXIT_BELOW_THRESHOLD,
    PROG,
    fail_under_option,
    rubric_option,
)
from portfolio_check.common.text_safety import one_line
from portfolio_check.report import render


@click.command(name="github", help=GITHUB_HELP, context_settings=CONTEXT)
@click.argument("path", default=".", metavar="[PATH]", type=click.Path(path_type=str))
@click.option(
    "--base", metavar="REV", help="Compare against this commit. Default: the pull request's base."
)
@click.option(
    "--event",
    metavar="FILE",
    envvar="GITHUB_EVENT_PATH",
    help="GitHub event payload. [env: GITHUB_EVENT_PATH]",
)
@click.option(
    "--repository",
    metavar="OWNER/NAME",
    envvar="GITHUB_REPOSITORY",
    help="For links and the comment. [env: GITHUB_REPOSITORY]",
)
@click.option(
    "--comment/--no-comment",
    default=True,
    show_default=True,
    help="Keep a comment on the pull request; --no-comment deletes ours.",
)
@click.option(
    "--markdown",
    "markdown_path",
    metavar="FILE",
    help="Also write the comment's Markdown here ('-' for stdout).",
)
@click.option(
    "--summary",
    metavar="FILE",
    envvar="GITHUB_STEP_SUMMARY",
    help="Append the Markdown here. [env: GITHUB_STEP_SUMMARY]",
)
@click.option(
    "--outputs",
    metavar="FILE",
    envvar="GITHUB_OUTPUT",
    help="Write step outputs here. [env: GITHUB_OUTPUT]",
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Where the HTML scorecard goes.",
)
@click.option(
    "--sarif", "sarif_path", metavar="FILE", help="Also write SARIF 2.1.0 for code scanning."
)
@rubric_option
@fail_under_option
@click.option(
    "--fail-on-drop",
    type=click.FloatRange(0, 100),
    metavar="N",
    help="Exit 1 when the change lowers the real-world score by more than N points.",
)
@click.option(
    "--ignore-repo-config",
    is_flag=True,
    help="Ignore the repository's own config (excludes, criteria marked not applicable).",
)
@click.option(
    "--save-comment",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="A pull request from a fork: save the comment and its pull request's number in DIR "
    "(upload it as an artifact) for `portfolio-check github-comment` in a workflow_run "
    "workflow to post, and call no API here.",
)
@click.option(
    "--artifact-name",
    metavar="NAME",
    help="The artifact-name output. Default: portfolio-check-JOB-OWNER-REPO, from --job and "
    "the scanned repository's origin (plus PATH when it is not '.').",
)
@click.option(
    "--job",
    metavar="ID",
    envvar="GITHUB_JOB",
    help="The job's id, which names the artifact-name output. [env: GITHUB_JOB]",
)
def github_command(
    path: str,
    base: str | None,
    event: str | None,
    repository: str | None,
    comment: bool,
    markdown_path: str | None,
    summary: str | None,
    outputs: str | None,
    report_dir: Path,
    sarif_path: str | None,
    rubric_name: str,
    fail_under: float | None,
    fail_on_drop: float | None,
    ignore_repo_config: bool,
    save_comment: Path | None,
    artifact_name: str | None,
    job: str | None,
) -> None:
    from portfolio_check.app.github import check as github
    from portfolio_check.rubric.loading import load_rubric

    chosen_name = github.checked_artifact_name(artifact_name) if artifact_name else None
    payload = github.read_event(event)
    pull = github.pull_request_of(payload)
    request = github.CheckRequest(
        path=Path(path),
        rubric=load_rubric(rubric_name),
        base=base or (pull.base_sha if pull else None) or None,
        repository=repository or None,
        pull_request=pull,
        comment=comment,
        token=os.environ.get("GITHUB_TOKEN") or None,
        api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
        server_url=os.environ.get("GITHUB_SERVER_URL") or "https://github.com",
        report_dir=report_dir,
        use_repo_config=not ignore_repo_config,
        job=job or None,
        save_comment=save_comment,
        artifact_name=chosen_name,
    )
    result = github.run_check(request)
    for warning in result.warnings:
        click.echo(f"::warning title=portfolio-check::{one_line(warning)}", err=True)
    github.append_step_summary(result.markdown, summary)
    github.write_outputs(result, outputs)
    if markdown_path == "-":
        click.echo(result.markdown, nl=False)
    elif markdown_path:
        write_report(Path(markdown_path), result.markdown)
    if sarif_path:
        write_report(Path(sarif_path), render(result.comparison.head, "sarif"))
    head = result.comparison.head
    delta = result.delta
    change = "" if delta is None else f" ({delta:+.0f} against the base)"
    click.echo(
        f"Real-world evidence {head.real_world_score:.0f}/100{change}, certification-only "
        f"{head.certification_score:.0f}/100. Scorecard: {result.report_path}",
        err=True,
    )
    failure = github.gate(result, fail_under=fail_under, fail_on_drop=fail_on_drop)
    if failure:
        click.echo(f"{PROG}: {failure}", err=True)
        sys.exit(EXIT_BELOW_THRESHOLD)


@click.command(name="github-comment", help=GITHUB_COMMENT_HELP, context_settings=CONTEXT)
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--event",
    metavar="FILE",
    envvar="GITHUB_EVENT_PATH",
    required=True,
    help="The workflow_run event payload. [env: GITHUB_EVENT_PATH]",
)
@click.option(
    "--repository",
    metavar="OWNER/NAME",
    envvar="GITHUB_REPOSITORY",
    required=True,
    help="Where the pull request is. [env: GITHUB_REPOSITORY]",
)
def github_comment_command(directory: Path, event: str, repository: str) -> None:
    from portfolio_check.app.github import check as github
    from portfolio_check.app.github import relay as github_relay

    request = github_relay.RelayRequest(
        directory=directory,
        event=dict(github.read_event(event)),
        repository=repository,
        token=os.environ.get("GITHUB_TOKEN") or "",
        api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
        server_url=os.environ.get("GITHUB_SERVER_URL") or "https://github.com",
    )
    _, message = github_relay.post_saved_comment(request)
    click.echo(message, err=True)
