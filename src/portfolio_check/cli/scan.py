"""`portfolio-check [TARGET]`: one repository scanned, its report written and summarised.
Several targets, a git URL, --from or a batch option make it a review (`cli.review`), so
that what people typed before `review` existed still works.

The scanner and the rubric loader are imported when a scan runs: `--help` and a usage
error never pay for the analyzers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from portfolio_check.app.report_files import (
    default_report_path,
    prepare_report_folder,
    write_report,
)
from portfolio_check.cli.help import HELP
from portfolio_check.cli.options import (
    BATCH_OPTIONS,
    CONTEXT,
    EXIT_BELOW_THRESHOLD,
    PROG,
    color_option,
    color_wanted,
    fail_under_option,
    format_option,
    given,
    ignore_repo_config_option,
    open_in_browser,
    output_option,
    review_options,
    rubric_option,
    target_list_option,
)
from portfolio_check.cli.review import Review, accounts_of, run_review
from portfolio_check.common.cache_dirs import default_analysis_dir
from portfolio_check.common.errors import TargetError
from portfolio_check.intake.targets import parse_target
from portfolio_check.report import EXTENSIONS, Format, render

if TYPE_CHECKING:
    from portfolio_check.model.scorecard import Scorecard


@click.command(name="scan", help=HELP, context_settings=CONTEXT)
@click.argument("targets", nargs=-1, metavar="[TARGET]...", type=str)
@target_list_option
@format_option
@output_option
@rubric_option
@fail_under_option
@color_option
@ignore_repo_config_option
@review_options
def scan_command(
    targets: tuple[str, ...],
    target_list: Path | None,
    output_format: Format | None,
    fail_under: float | None,
    color: bool | None,
    ignore_repo_config: bool,
    **settings: Any,
) -> None:
    ctx = click.get_current_context()
    accounts = accounts_of(ctx, targets, target_list)
    specs = targets or (() if target_list else (".",))
    if (
        accounts is None
        and target_list is None
        and len(specs) == 1
        and not any(given(ctx, name) for name in BATCH_OPTIONS)
        and not _is_url(specs[0])
    ):
        _scan_one(
            specs[0],
            output_format=output_format,
            output=settings["output"],
            rubric_name=settings["rubric_name"],
            fail_under=fail_under,
            color=color,
            ignore_repo_config=ignore_repo_config,
            quiet=settings["quiet"],
            open_report=settings["open_report"],
            use_cache=not settings["no_cache"],
        )
        return
    for name, flag in (("output_format", "--format"), ("fail_under", "--fail-under")):
        if given(ctx, name):
            raise click.UsageError(
                f"{flag} applies to a single target; a batch writes every candidate's HTML "
                "and JSON scorecard and a comparison page"
            )
    run_review(ctx, Review(specs=specs, target_list=target_list, **settings), accounts)


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
    from portfolio_check.app.scan import ScanOptions, scan
    from portfolio_check.rubric.loading import load_rubric

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
            use_color = color_wanted(color, sys.stdout)
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
    use_color = color_wanted(color, sys.stderr if to_stderr else sys.stdout)
    summary = render(scorecard, "text", color=use_color)
    click.echo(summary, nl=False, color=use_color, err=to_stderr)


def _where(destination: str, output: str | None) -> str:
    """Where the report went, saying why git will not show it when the place is ours."""
    if output is not None:
        return destination
    return f"{destination} (a folder git ignores: it holds its own .gitignore)"
