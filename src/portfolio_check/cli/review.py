"""`portfolio-check review` (many candidates into one folder, compared) and `merge` (the
folders of several shards joined). `scan` with several targets hands over to `review`.

The batch, the candidate review and the clone machinery are imported where a command runs
them, so that `--help`, a usage error and a one-repository scan never pay for them."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from portfolio_check.cli.help import MERGE_HELP, REVIEW_HELP
from portfolio_check.cli.options import (
    COMMAND_LINE,
    CONTEXT,
    EXIT_CANDIDATE_ERRORS,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    given,
    open_in_browser,
    review_options,
    review_output_option,
    rubric_option,
    target_list_option,
)
from portfolio_check.common.cache_dirs import default_analysis_dir, default_cache_dir
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.common.text_safety import terminal_line
from portfolio_check.intake.accounts import Account, accounts_in, read_accounts

if TYPE_CHECKING:
    from portfolio_check.app import batch, candidate
    from portfolio_check.intake.clone import CloneOptions


@dataclass(frozen=True, kw_only=True)
class Review:
    """A review as the command line asked for it."""

    specs: tuple[str, ...]
    target_list: Path | None
    output: str | None
    rubric_name: str
    quiet: bool
    open_report: bool
    jobs: int | None
    resume: bool
    shard: str | None
    keep_clones: bool
    no_cache: bool
    clone_timeout: float
    max_repo_size: float
    strict: bool
    include_forks: bool
    max_repos: int


@click.command(name="review", help=REVIEW_HELP, context_settings=CONTEXT)
@click.argument("targets", nargs=-1, metavar="[TARGET]...", type=str)
@target_list_option
@review_output_option
@rubric_option
@review_options
def review_command(targets: tuple[str, ...], target_list: Path | None, **settings: Any) -> None:
    ctx = click.get_current_context()
    accounts = accounts_of(ctx, targets, target_list)
    if not targets and target_list is None:
        raise click.UsageError("review: give the candidates, as TARGET... or --from FILE")
    run_review(ctx, Review(specs=targets, target_list=target_list, **settings), accounts)


def run_review(ctx: click.Context, review: Review, accounts: Sequence[Account] | None) -> None:
    """Review the candidates, or the gh:USER `accounts`, into the -o folder; exit codes as
    the help says."""
    from portfolio_check.app import batch
    from portfolio_check.intake.clone import CloneOptions

    if not review.output or review.output == "-":
        raise click.UsageError("batch mode writes a folder: give it with -o DIR")
    options = CloneOptions(
        cache_dir=None if review.no_cache else default_cache_dir(),
        keep=review.keep_clones,
        max_bytes=max(1, int(review.max_repo_size * 1024**2)),
        timeout=review.clone_timeout,
    )
    try:
        if accounts is not None:
            _review_accounts(accounts, review, options)
        else:
            _review_targets(ctx, review, options)
    except batch.BatchInterrupted as stopped:
        click.echo(f"{PROG}: {stopped}; {resume_hint(ctx, stopped)}", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _review_targets(ctx: click.Context, review: Review, options: CloneOptions) -> None:
    from portfolio_check.app import batch
    from portfolio_check.app.batch.progress import batch_progress

    try:
        shard_range = batch.parse_shard(review.shard) if review.shard is not None else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--shard'") from None
    output = Path(review.output or "")
    with batch_progress(enabled=not review.quiet) as progress:
        result = batch.run_batch(
            batch.collect_candidates(review.specs, review.target_list),
            rubric_name=review.rubric_name,
            out_dir=output,
            jobs=review.jobs or os.cpu_count() or 1,
            clone_options=options,
            analysis_cache=None if review.no_cache else default_analysis_dir(),
            resume=review.resume,
            shard=shard_range,
            progress=progress,
        )
    if not review.quiet:
        _warn_left_out(result)
        click.echo(batch.summary_line(result), err=True)
    if review.open_report:
        open_in_browser(output / batch.COMPARISON_FILE)
    if review.strict and result.errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


def accounts_of(
    ctx: click.Context, targets: Sequence[str], target_list: Path | None
) -> list[Account] | None:
    """The gh:USER accounts to review, when the targets name accounts; None when they name
    repositories or folders. Accounts and repositories together are a usage error, and so
    are the account options without an account."""
    named = accounts_in(targets) if targets else None
    listed = read_accounts(target_list) if target_list is not None else None
    if (named is None and targets and listed) or (listed is None and target_list and named):
        raise click.UsageError(
            "gh:USER reviews a person on its own: give accounts, or repositories, not both"
        )
    accounts = [*(named or []), *(listed or [])]
    seen: set[str] = set()
    for account in accounts:
        if account.label.casefold() in seen:
            raise click.UsageError(f"gh:{account.user}: named twice (or two labels the same)")
        seen.add(account.label.casefold())
    if not accounts:
        for name, flag in (("include_forks", "--include-forks"), ("max_repos", "--max-repos")):
            if given(ctx, name):
                raise click.UsageError(f"{flag} applies to gh:USER targets (a person's account)")
    return accounts or None


def _review_accounts(
    accounts: Sequence[Account],
    review: Review,
    options: CloneOptions,
) -> None:
    """Review each account into `out_dir` (one account) or `out_dir/LABEL` (several); print
    the short version of each. An account that cannot be listed is reported and the others
    go on; the exit code then says so."""
    from portfolio_check.app import candidate
    from portfolio_check.app.batch.progress import batch_progress

    if review.shard is not None:
        raise click.UsageError("--shard splits a list of repositories, not gh:USER accounts")
    with batch_progress(enabled=not review.quiet) as progress:
        settings = candidate.CandidateRequest(
            user="",  # each account's own, below
            out_dir=Path(review.output or ""),
            rubric_name=review.rubric_name,
            jobs=review.jobs or os.cpu_count() or 1,
            clone_options=options,
            analysis_cache=None if review.no_cache else default_analysis_dir(),
            resume=review.resume,
            include_forks=review.include_forks,
            max_repos=review.max_repos,
            progress=progress,
            token=os.environ.get("GITHUB_TOKEN") or None,
            api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
        )
        failed, errors = _run_accounts(accounts, settings, review)
    if failed:
        sys.exit(EXIT_USAGE)
    if review.strict and errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


def _run_accounts(
    accounts: Sequence[Account], settings: candidate.CandidateRequest, review: Review
) -> tuple[int, int]:
    """The accounts that could not be listed, and the repositories that could not be scored."""
    from portfolio_check.app import candidate
    from portfolio_check.report.candidate import render_text

    failed = errors = 0
    for account in accounts:
        folder = settings.out_dir if len(accounts) == 1 else settings.out_dir / account.label
        request = replace(settings, user=account.user, out_dir=folder)
        try:
            result = candidate.run_candidate(request)
        except PortfolioCheckError as error:
            if len(accounts) == 1:
                raise
            click.echo(f"{PROG}: error: gh:{account.user}: {terminal_line(str(error))}", err=True)
            failed += 1
            continue
        errors += result.portfolio.summary.counts["error"]
        if not review.quiet:
            click.echo(render_text(result.portfolio), nl=False)
            click.echo(f"Candidate page: {result.html_path}", err=True)
        if review.open_report:
            open_in_browser(result.html_path)
    return failed, errors


def resume_hint(ctx: click.Context, stopped: batch.BatchInterrupted) -> str:
    """What to run to finish an interrupted batch: the same command with --resume."""
    args = list(ctx.meta.get(COMMAND_LINE) or sys.argv[1:])
    if args[:1] == ["scan"]:
        args = args[1:]
    if "--resume" not in args:
        args.append("--resume")
    return (
        f"the comparison of those finished is {stopped.comparison}. To scan the rest, run:\n"
        f"  {shlex.join([PROG, *args])}"
    )


@click.command(name="merge", help=MERGE_HELP, context_settings=CONTEXT)
@click.argument(
    "shard_dirs",
    nargs=-1,
    required=True,
    metavar="SHARD_DIR...",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="OUT_DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the merged results and comparison into.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any merged row is an error.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary line.")
def merge_command(shard_dirs: Sequence[Path], output: Path, strict: bool, quiet: bool) -> None:
    from portfolio_check.app import batch

    result = batch.merge(shard_dirs, output)
    if not quiet:
        _warn_left_out(result)
        click.echo(batch.summary_line(result), err=True)
    if strict and result.errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


def _warn_left_out(result: batch.BatchResult) -> None:
    """A line of an earlier results file that is not a row: what and where, one line each."""
    for problem in result.problems:
        click.echo(f"{PROG}: warning: {problem}; left out", err=True)
