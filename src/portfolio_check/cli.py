"""The command line. Parses options, calls `scan`, picks a renderer, sets the exit code.

Exit codes: 0 scanned; 1 real-world score below --fail-under; 2 usage or input error
(one line on stderr, no traceback); 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import os
import shlex
import sys
import webbrowser
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TextIO

import click

from portfolio_check import __version__, batch, candidate, github, github_relay
from portfolio_check.analysis_cache import default_analysis_dir
from portfolio_check.batch_progress import batch_progress
from portfolio_check.clone import CloneOptions, default_cache_dir
from portfolio_check.errors import PortfolioCheckError, TargetError
from portfolio_check.report import EXTENSIONS, FORMATS, Format, render
from portfolio_check.report.candidate import render_text
from portfolio_check.report_files import default_report_path, prepare_report_folder, write_report
from portfolio_check.rubric import DEFAULT_RUBRIC, load_rubric
from portfolio_check.scan import ScanOptions, scan
from portfolio_check.scorecard import Scorecard
from portfolio_check.targets import parse_target
from portfolio_check.text_safety import one_line, terminal_line

EXIT_OK, EXIT_BELOW_THRESHOLD, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_CANDIDATE_ERRORS = 1  # --strict, and a candidate could not be scored
DEFAULT_REPORT = default_report_path("<ext>").as_posix()  # for --help
PROG = "portfolio-check"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a process Ctrl-C stopped
COMMAND_LINE = "portfolio_check.command_line"  # ctx.meta key: the arguments as given

HELP = f"""Score the ML engineering evidence in a repository, with a file and line for every claim.

TARGET is a local folder (default: the current one). Nothing in it is run, imported or
changed: portfolio-check only reads files and git metadata.

By default a summary is printed and an HTML scorecard is written to
{default_report_path("html").as_posix()} in the current folder: a folder with its own
.gitignore, so `git status` never shows it. Two scores are reported side by side:
real-world evidence (serving, tests, CI, validation, monitoring, reproducibility, tracking,
write-ups) and certification-only evidence (graded course work, teaching datasets,
certificates).

Paths to leave out: `exclude:` globs in the repo's .portfolio-check.yaml or pyproject.toml.

\b
Examples:
  portfolio-check                          scan this folder, write the HTML scorecard
  portfolio-check ~/code/churn-model -o churn.html
  portfolio-check . --open                 write the HTML scorecard and open it in a browser
  portfolio-check . --format json -o -     JSON on stdout, for other tools
  portfolio-check . --format markdown -o scorecard.md
  portfolio-check . --rubric team.yaml     a rubric that says `extends: ml-portfolio`
  portfolio-check . --fail-under 60        exit 1 when the real-world score is below 60
  portfolio-check . --ignore-repo-config   scan every file, whatever the repo's config says

Reviewing many candidates (batch mode): several TARGETs, --from FILE, a git URL or
gh:owner/repo, or any batch option (--jobs, --resume, --shard, --strict, ...). Then -o is a
folder: results.jsonl (one line per candidate, written as each one finishes),
candidates/LABEL.html and .json, and comparison.html. Git URLs are bare-cloned, nothing is
checked out or run, and each candidate's own config is ignored. A candidate that cannot be
scored (missing, refused, too big, too slow) becomes an error row; the others go on.

\b
  portfolio-check ~/cohort/ada ~/cohort/grace -o review/
  portfolio-check gh:ada/churn-model gh:grace/fraud@v1.2 -o review/
  portfolio-check --from candidates.txt -o review/ --jobs 4
  portfolio-check --from candidates.txt -o review/ --resume       after an interruption
  portfolio-check --from candidates.txt -o shard-1/ --shard 1/4   one machine of four
  portfolio-check merge -o review/ shard-1/ shard-2/ shard-3/ shard-4/

candidates.txt has one target a line (a folder, a git URL or gh:owner/repo[@ref]), an
optional label after it, and # comments. A line that cannot be parsed becomes an error row.

One person, all their repositories: gh:USER (a user or an organisation, no /) lists the
account's public repositories through the GitHub API and scans them as a batch, the most
recently pushed first (--max-repos, default 30). Forks are listed and not scored unless
--include-forks finds commits of their own on top of their upstream. -o DIR gets
candidate.json and candidate.html (what the repositories add up to) besides the batch
files; the terminal gets a short version. Clones come from $GITHUB_SERVER_URL (default
https://github.com), the API from $GITHUB_API_URL; GITHUB_TOKEN raises the rate limit.
Several accounts (or --from lines gh:USER [label]) each get a folder DIR/LABEL.

\b
  portfolio-check gh:ada -o review/ada/
  portfolio-check gh:ada --include-forks --max-repos 50 -o review/ada/
  portfolio-check --from people.txt -o review/      review/ada/, review/grace/, ...

\b
Exit codes: 0 scanned (in batch mode: even with error rows, unless --strict), 1 below
--fail-under or, with --strict, a candidate could not be scored, 2 usage or input error.

In CI, against a base commit, with a pull-request comment: `portfolio-check github --help`.
`portfolio-check --version` prints the version.
"""

MERGE_HELP = """Join the output folders of several batch runs (shards) into one.

Each SHARD_DIR is the -o folder of a `portfolio-check ... --shard I/N` run. OUT_DIR gets one
results.jsonl (the last row of each label wins; folders later on the command line win;
sorted by label), the candidates' scorecards, and one comparison.html: the same page one
unsharded run would have written.

\b
Examples:
  portfolio-check merge -o review/ shard-1/ shard-2/ shard-3/ shard-4/
  portfolio-check merge -o review/ shards/*     artifacts downloaded into shards/

\b
Exit codes: 0 merged (with --strict: and no error rows), 1 --strict and an error row,
2 usage or input error.
"""

GITHUB_HELP = """Scan a change against its base and publish the scorecard, for CI.

In GitHub Actions (the portfolio-check action runs this) everything comes from the
environment: the pull request's base commit from GITHUB_EVENT_PATH, the repository from
GITHUB_REPOSITORY, the token from GITHUB_TOKEN, the API from GITHUB_API_URL (GitHub
Enterprise works). It keeps one comment on the pull request up to date (found by a hidden
marker), appends the same Markdown to GITHUB_STEP_SUMMARY, and writes the step outputs
score, certification-score, delta, report-path and artifact-name to GITHUB_OUTPUT. A token
that cannot comment (a pull request from a fork) gives a warning, not a failure.

Outside GitHub (GitLab CI, Jenkins, a laptop) give what the environment would:

\b
  portfolio-check github . --base origin/main --no-comment --markdown scorecard.md
  portfolio-check github . --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --fail-on-drop 5

The base commit is read from git objects, never checked out over the work tree; it must be
in the clone (actions/checkout with fetch-depth: 0, or a `git fetch` of the base).

\b
Exit codes: 0 done, 1 below --fail-under or dropped by more than --fail-on-drop,
2 usage or input error (a missing base commit, for instance).
"""


class DefaultScanGroup(click.Group):
    """`portfolio-check PATH` scans; `portfolio-check github ...` runs a subcommand. Anything
    that is not a subcommand name (or the group's --help/--version) is given to `scan`."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """`portfolio-check --help` shows what most people want, the scan and its options,
        then the other commands."""
        scan = self.commands["scan"]
        scan.format_help(click.Context(scan, info_name=ctx.info_name), formatter)
        self.format_commands(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[COMMAND_LINE] = list(args)  # as typed: an interrupted batch repeats it
        group_options = ("-h", "--help", "-V", "--version")
        if not args or (args[0] not in self.commands and args[0] not in group_options):
            args = ["scan", *args]
        return super().parse_args(ctx, args)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(name=PROG, cls=DefaultScanGroup, help=HELP, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name=PROG)
def command() -> None:
    """The `portfolio-check` command: `scan` is the default subcommand."""


@command.command(name="scan", help=HELP, context_settings=CONTEXT)
@click.argument("targets", nargs=-1, metavar="[TARGET]...", type=str)
@click.option(
    "--from",
    "target_list",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Scan the targets listed in FILE (one a line, optional label, # comments): batch mode.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format. Default: a terminal summary plus the HTML scorecard.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE|DIR",
    help=f"Where to write the report ('-' for stdout). Default: {DEFAULT_REPORT} in the "
    "current folder (git ignores that folder); stdout for --format text. In batch mode: the "
    "output folder (required).",
)
@click.option(
    "--rubric",
    "rubric_name",
    metavar="NAME|PATH",
    default=DEFAULT_RUBRIC,
    show_default=True,
    help="A built-in rubric name, or the path of a rubric YAML file.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="N",
    help="Exit with code 1 when the real-world score is below N (0-100).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the terminal summary. Default: on a TTY, unless NO_COLOR is set.",
)
@click.option(
    "--ignore-repo-config",
    is_flag=True,
    help="Ignore the scanned repository's own .portfolio-check.yaml or [tool.portfolio-check] "
    "(its excludes and the criteria it marks not applicable): a reviewer should not let a "
    "candidate decide what is scanned or scored. (Always so in batch mode.)",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing but errors: no summary, no progress, no 'written to' line (the "
    "report is still written; -o - still writes it to stdout). For hooks and CI gates.",
)
@click.option(
    "--open",
    "open_report",
    is_flag=True,
    help="Open the HTML scorecard in your web browser once it is written (the BROWSER "
    "environment variable picks the browser). Needs an HTML report file, not -o -. In batch "
    "mode: opens comparison.html.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Batch: candidates scanned at once, each in its own process (1: in this process). "
    "Default: the number of CPUs.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Batch: keep the rows already in the output folder's results.jsonl for candidates "
    "still at the same commit; scan the rest, and retry the errors.",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Batch: scan only every N-th candidate, starting with the I-th (1 <= I <= N). "
    "N runs cover the list once; join them with `portfolio-check merge`.",
)
@click.option(
    "--keep-clones",
    is_flag=True,
    help="Batch: with --no-cache, keep the temporary clones (portfolio-check-* folders in the "
    "system's temporary folder) instead of removing them after the scan.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and write no cache: analyse every file afresh instead of reusing the "
    f"results kept for unchanged files ({default_analysis_dir()}), and in a batch, clone "
    f"URLs into temporary folders instead of the clone cache ({default_cache_dir()}).",
)
@click.option(
    "--clone-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Batch: stop a clone or fetch that runs longer (the candidate becomes an error row).",
)
@click.option(
    "--max-repo-size",
    type=click.FloatRange(min=0, min_open=True),
    default=500.0,
    show_default=True,
    metavar="MB",
    help="Batch: stop a clone that grows larger (the candidate becomes an error row).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Batch: exit 1 when any candidate could not be scored (default: exit 0 once the "
    "batch is done, error rows included).",
)
@click.option(
    "--include-forks",
    is_flag=True,
    help="gh:USER: compare each fork with its upstream and score it if it has commits of its "
    "own (default: forks are listed, not scanned).",
)
@click.option(
    "--max-repos",
    type=click.IntRange(min=1),
    default=candidate.DEFAULT_MAX_REPOS,
    show_default=True,
    metavar="N",
    help="gh:USER: scan at most N repositories, the most recently pushed first; the others "
    "are listed as not scanned.",
)
def scan_command(
    targets: tuple[str, ...],
    target_list: Path | None,
    output_format: Format | None,
    output: str | None,
    rubric_name: str,
    fail_under: float | None,
    color: bool | None,
    ignore_repo_config: bool,
    quiet: bool,
    open_report: bool,
    jobs: int | None,
    resume: bool,
    shard: str | None,
    keep_clones: bool,
    no_cache: bool,
    clone_timeout: float,
    max_repo_size: float,
    strict: bool,
    include_forks: bool,
    max_repos: int,
) -> None:
    ctx = click.get_current_context()
    accounts = _accounts(ctx, targets, target_list)
    specs = targets or (() if target_list else (".",))
    batch_options = [
        name
        for name in BATCH_OPTIONS
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    ]
    if (
        accounts is None
        and target_list is None
        and len(specs) == 1
        and not batch_options
        and not _is_url(specs[0])
    ):
        _scan_one(
            specs[0],
            output_format=output_format,
            output=output,
            rubric_name=rubric_name,
            fail_under=fail_under,
            color=color,
            ignore_repo_config=ignore_repo_config,
            quiet=quiet,
            open_report=open_report,
            use_cache=not no_cache,
        )
        return
    for name, flag in (("output_format", "--format"), ("fail_under", "--fail-under")):
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
            raise click.UsageError(
                f"{flag} applies to a single target; a batch writes every candidate's HTML "
                "and JSON scorecard and a comparison page"
            )
    if not output or output == "-":
        raise click.UsageError("batch mode writes a folder: give it with -o DIR")
    options = CloneOptions(
        cache_dir=None if no_cache else default_cache_dir(),
        keep=keep_clones,
        max_bytes=max(1, int(max_repo_size * 1024**2)),
        timeout=clone_timeout,
    )
    if accounts is not None:
        if shard is not None:
            raise click.UsageError("--shard splits a list of repositories, not gh:USER accounts")
        try:
            with batch_progress(enabled=not quiet) as progress:
                request = candidate.CandidateRequest(
                    user="",  # each account's own, below
                    out_dir=Path(output),
                    rubric_name=rubric_name,
                    jobs=jobs or os.cpu_count() or 1,
                    clone_options=options,
                    analysis_cache=None if no_cache else default_analysis_dir(),
                    resume=resume,
                    include_forks=include_forks,
                    max_repos=max_repos,
                    progress=progress,
                    token=os.environ.get("GITHUB_TOKEN") or None,
                    api_url=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
                )
                _review_accounts(
                    accounts, request, quiet=quiet, open_report=open_report, strict=strict
                )
        except batch.BatchInterrupted as stopped:
            click.echo(f"{PROG}: {stopped}; {resume_hint(ctx, stopped)}", err=True)
            sys.exit(EXIT_INTERRUPTED)
        return
    try:
        shard_range = batch.parse_shard(shard) if shard is not None else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--shard'") from None
    try:
        with batch_progress(enabled=not quiet) as progress:
            result = batch.run_batch(
                batch.collect_candidates(specs, target_list),
                rubric_name=rubric_name,
                out_dir=Path(output),
                jobs=jobs or os.cpu_count() or 1,
                clone_options=options,
                analysis_cache=None if no_cache else default_analysis_dir(),
                resume=resume,
                shard=shard_range,
                progress=progress,
            )
    except batch.BatchInterrupted as stopped:
        click.echo(f"{PROG}: {stopped}; {resume_hint(ctx, stopped)}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if not quiet:
        click.echo(batch.summary_line(result), err=True)
    if open_report:
        open_in_browser(Path(output) / batch.COMPARISON_FILE)
    if strict and result.errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


def _accounts(
    ctx: click.Context, targets: Sequence[str], target_list: Path | None
) -> list[candidate.Account] | None:
    """The gh:USER accounts to review, when the targets name accounts; None when they name
    repositories or folders. Accounts and repositories together are a usage error, and so
    are the account options without an account."""
    named = candidate.accounts_in(targets) if targets else None
    listed = candidate.read_accounts(target_list) if target_list is not None else None
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
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                raise click.UsageError(f"{flag} applies to gh:USER targets (a person's account)")
    return accounts or None


def _review_accounts(
    accounts: Sequence[candidate.Account],
    settings: candidate.CandidateRequest,
    *,
    quiet: bool,
    open_report: bool,
    strict: bool,
) -> None:
    """Review each account into `out_dir` (one account) or `out_dir/LABEL` (several); print
    the short version of each. An account that cannot be listed is reported and the others
    go on; the exit code then says so."""
    failed = errors = 0
    for account in accounts:
        folder = settings.out_dir if len(accounts) == 1 else settings.out_dir / account.label
        request = replace(settings, user=account.user, out_dir=folder)
        try:
            result = candidate.run_candidate(request)
        except PortfolioCheckError as error:
            if len(accounts) == 1:
                raise
            click.echo(f"{PROG}: error: gh:{account.user}: {terminal_line(error)}", err=True)
            failed += 1
            continue
        errors += result.portfolio.summary.counts["error"]
        if not quiet:
            click.echo(render_text(result.portfolio), nl=False)
            click.echo(f"Candidate page: {result.html_path}", err=True)
        if open_report:
            open_in_browser(result.html_path)
    if failed:
        sys.exit(EXIT_USAGE)
    if strict and errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


#: Options that only make sense for many candidates: giving one asks for batch mode.
BATCH_OPTIONS = (
    "jobs",
    "resume",
    "shard",
    "keep_clones",
    "clone_timeout",
    "max_repo_size",
    "strict",
)


def _is_url(spec: str) -> bool:
    """Is this single target a git URL (batch mode)? A spec that does not parse at all is
    reported as the one-line input error it is."""
    if Path(spec).exists():
        return False  # a folder that exists is a folder, whatever git would make of its name
    try:
        return parse_target(spec).kind == "url"
    except TargetError:
        if "::" in spec or "://" in spec or spec.startswith("gh:"):
            raise
        return False  # a folder name git would misread: scan() reports what is wrong with it


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


def _scan_one(
    path: str,
    *,
    output_format: Format | None,
    output: str | None,
    rubric_name: str,
    fail_under: float | None,
    color: bool | None,
    ignore_repo_config: bool,
    quiet: bool,
    open_report: bool = False,
    use_cache: bool = True,
) -> None:
    if open_report and (output_format not in (None, "html") or output == "-"):
        raise click.UsageError(
            "--open opens the HTML scorecard: use it without --format (or with --format html) "
            "and with a file for -o, not '-'"
        )
    rubric = load_rubric(rubric_name)
    options = ScanOptions(
        use_repo_config=not ignore_repo_config,
        cache_dir=default_analysis_dir() if use_cache else None,
    )
    scorecard = scan(path, rubric=rubric, options=options)
    report_format: Format = output_format or "html"
    destination = _destination(output, report_format)
    if destination == "-":
        # the text summary with no -o is a summary: -q silences it; an explicit -o - is a
        # document asked for, written whatever -q says
        if output == "-" or not quiet:
            use_color = _color_wanted(color, sys.stdout)
            report = render(scorecard, report_format, color=use_color)
            click.echo(report, nl=False, color=use_color)
    else:
        _write_file(scorecard, report_format, Path(destination), default=output is None)
        if not quiet:
            _print_summary(scorecard, report_format, color, to_stderr=output_format is not None)
            click.echo(f"Scorecard written to {_where(destination, output)}", err=True)
        if open_report:
            open_in_browser(Path(destination))
    if fail_under is not None and scorecard.real_world_score < fail_under:
        score = f"{scorecard.real_world_score:.0f}"
        click.echo(
            f"{PROG}: real-world score {score} is below --fail-under {fail_under:g}", err=True
        )
        sys.exit(EXIT_BELOW_THRESHOLD)


def _destination(output: str | None, report_format: Format) -> str:
    """-o as given; else stdout for the text summary, the default report folder for a file."""
    if output is not None:
        return output
    if report_format == "text":
        return "-"
    return default_report_path(EXTENSIONS[report_format]).as_posix()


def _write_file(scorecard: Scorecard, report_format: Format, path: Path, *, default: bool) -> None:
    """The report in its file; the default place first gets its git-ignored folder."""
    if default:
        prepare_report_folder(path.parent)
    write_report(path, render(scorecard, report_format))


def _print_summary(
    scorecard: Scorecard, report_format: Format, color: bool | None, *, to_stderr: bool
) -> None:
    """The terminal summary beside a report file: on stdout for a learner's default scan,
    on stderr once a format is chosen, so that stdout never mixes with a document."""
    if report_format == "text":
        return  # the report is the summary, and it went to the file
    use_color = _color_wanted(color, sys.stderr if to_stderr else sys.stdout)
    summary = render(scorecard, "text", color=use_color)
    click.echo(summary, nl=False, color=use_color, err=to_stderr)


def _where(destination: str, output: str | None) -> str:
    """Where the report went, saying why git will not show it when the place is ours."""
    if output is not None:
        return destination
    return f"{destination} (a folder git ignores: it holds its own .gitignore)"


@command.command(name="merge", help=MERGE_HELP, context_settings=CONTEXT)
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
    result = batch.merge(shard_dirs, output)
    if not quiet:
        click.echo(batch.summary_line(result), err=True)
    if strict and result.errors:
        sys.exit(EXIT_CANDIDATE_ERRORS)


@command.command(name="github", help=GITHUB_HELP, context_settings=CONTEXT)
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
@click.option(
    "--rubric",
    "rubric_name",
    metavar="NAME|PATH",
    default=DEFAULT_RUBRIC,
    show_default=True,
    help="A built-in rubric name, or a rubric file.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="N",
    help="Exit 1 when the real-world score is below N.",
)
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


GITHUB_COMMENT_HELP = """Post the comment a pull request's run saved (--save-comment), from a
workflow_run workflow.

A pull request from a fork gets a read-only token, so its workflow saves the comment as an
artifact; a workflow on `workflow_run`, which has a write token, downloads it into DIR and
runs this. It never checks out the fork's code. The artifact is untrusted: it is read
bounded, the pull request must still be at the commit the finished run was for (from the
workflow_run event in GITHUB_EVENT_PATH), and the body is sanitised (no mentions, no
references, no HTML but the scorecard's own, links only to this repository's files).

\b
  portfolio-check github-comment portfolio-check-comment/

\b
Exit codes: 0 posted, or not posted because the pull request has moved on; 2 an artifact or
event that is not what the pull request's run saves, or the API refused.
"""


@command.command(name="github-comment", help=GITHUB_COMMENT_HELP, context_settings=CONTEXT)
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


def open_in_browser(page: Path) -> None:
    """Open a written report in the user's browser; without one, say where the file is."""
    if not webbrowser.open(page.resolve().as_uri()):
        click.echo(f"{PROG}: no web browser found to open {page}; open it by hand", err=True)


def _color_wanted(flag: bool | None, stream: TextIO | None) -> bool:
    """--color/--no-color, else colour only on a terminal and never with NO_COLOR set."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return stream is not None and stream.isatty()


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"{PROG}: error: {terminal_line(message)}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point. Every error a user can cause ends as one line on stderr, exit code 2."""
    try:
        code = command.main(args=argv, prog_name=PROG, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else EXIT_OK)
    except BrokenPipeError:
        sys.stderr.close()  # a reader like `head` went away; that is not an error
        sys.exit(EXIT_OK)
    except click.exceptions.Abort:
        _fail("interrupted", 130)
    except click.ClickException as error:
        _fail(f"{error.format_message()} (see '{PROG} --help')", EXIT_USAGE)
    except PortfolioCheckError as error:
        _fail(str(error), EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as error:
        if os.environ.get("PORTFOLIO_CHECK_DEBUG"):
            raise
        _fail(
            f"internal error: {type(error).__name__}: {error} "
            "(set PORTFOLIO_CHECK_DEBUG=1 for a traceback, and please report it)",
            EXIT_INTERNAL,
        )
