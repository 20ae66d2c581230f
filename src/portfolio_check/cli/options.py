"""The options of the command line, each declared once: `scan` and `review` share the
rubric, cache, output and batch options; `scan` and `github` share the rubric and the gate.
Also the names every command module uses: the program name, exit codes, click settings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, TypeVar

import click

from portfolio_check.app.report_files import default_report_path
from portfolio_check.common.cache_dirs import default_analysis_dir, default_cache_dir
from portfolio_check.intake.targets import DEFAULT_MAX_REPOS
from portfolio_check.report import FORMATS
from portfolio_check.rubric import DEFAULT_RUBRIC

PROG = "portfolio-check"
EXIT_OK, EXIT_BELOW_THRESHOLD, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_CANDIDATE_ERRORS = 1  # --strict, and a candidate could not be scored
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a process Ctrl-C stopped
COMMAND_LINE = "portfolio_check.command_line"  # ctx.meta key: the arguments as given
DEFAULT_REPORT = default_report_path("<ext>").as_posix()  # for --help
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: Options that only make sense for many candidates: giving one to `scan` asks for a review.
BATCH_OPTIONS = (
    "jobs",
    "resume",
    "shard",
    "keep_clones",
    "clone_timeout",
    "max_repo_size",
    "strict",
)

F = TypeVar("F", bound=Callable[..., object])


def options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several option decorators as one, listed in the order --help shows them."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def given(ctx: click.Context, name: str) -> bool:
    """Did the user give this option (rather than leave its default)?"""
    return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT


# shared by several commands ---------------------------------------------------------------------
rubric_option = click.option(
    "--rubric",
    "rubric_name",
    metavar="NAME|PATH",
    default=DEFAULT_RUBRIC,
    show_default=True,
    help="A built-in rubric name, or the path of a rubric YAML file.",
)
target_list_option = click.option(
    "--from",
    "target_list",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Scan the targets listed in FILE (one a line, optional label, # comments): batch mode.",
)
quiet_option = click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Print nothing but errors: no summary, no progress, no 'written to' line (the "
    "report is still written; -o - still writes it to stdout). For hooks and CI gates.",
)
open_option = click.option(
    "--open",
    "open_report",
    is_flag=True,
    help="Open the HTML scorecard in your web browser once it is written (the BROWSER "
    "environment variable picks the browser). Needs an HTML report file, not -o -. In batch "
    "mode: opens comparison.html.",
)
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Read and write no cache: analyse every file afresh instead of reusing the "
    f"results kept for unchanged files ({default_analysis_dir()}), and in a batch, clone "
    f"URLs into temporary folders instead of the clone cache ({default_cache_dir()}).",
)

# a single target ----------------------------------------------------------------------------------
format_option = click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format. Default: a terminal summary plus the HTML scorecard.",
)
output_option = click.option(
    "-o",
    "--output",
    metavar="FILE|DIR",
    help=f"Where to write the report ('-' for stdout). Default: {DEFAULT_REPORT} in the "
    "current folder (git ignores that folder); stdout for --format text. In batch mode: the "
    "output folder (required).",
)
fail_under_option = click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="N",
    help="Exit with code 1 when the real-world score is below N (0-100).",
)
color_option = click.option(
    "--color/--no-color",
    default=None,
    help="Colour the terminal summary. Default: on a TTY, unless NO_COLOR is set.",
)
ignore_repo_config_option = click.option(
    "--ignore-repo-config",
    is_flag=True,
    help="Ignore the scanned repository's own .portfolio-check.yaml or [tool.portfolio-check] "
    "(its excludes and the criteria it marks not applicable): a reviewer should not let a "
    "candidate decide what is scanned or scored. (Always so in batch mode.)",
)

# many candidates ----------------------------------------------------------------------------------
review_output_option = click.option(
    "-o",
    "--output",
    metavar="DIR",
    help="The output folder (required): results.jsonl, candidates/, comparison.html.",
)
batch_options = options(
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        metavar="N",
        help="Batch: candidates scanned at once, each in its own process (1: in this process). "
        "Default: the number of CPUs.",
    ),
    click.option(
        "--resume",
        is_flag=True,
        help="Batch: keep the rows already in the output folder's results.jsonl for candidates "
        "still at the same commit; scan the rest, and retry the errors.",
    ),
    click.option(
        "--shard",
        metavar="I/N",
        help="Batch: scan only every N-th candidate, starting with the I-th (1 <= I <= N). "
        "N runs cover the list once; join them with `portfolio-check merge`.",
    ),
    click.option(
        "--keep-clones",
        is_flag=True,
        help="Batch: with --no-cache, keep the temporary clones (portfolio-check-* folders in "
        "the system's temporary folder) instead of removing them after the scan.",
    ),
)
clone_limit_options = options(
    click.option(
        "--clone-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=300.0,
        show_default=True,
        metavar="SECONDS",
        help="Batch: stop a clone or fetch that runs longer (the candidate becomes an error row).",
    ),
    click.option(
        "--max-repo-size",
        type=click.FloatRange(min=0, min_open=True),
        default=500.0,
        show_default=True,
        metavar="MB",
        help="Batch: stop a clone that grows larger (the candidate becomes an error row).",
    ),
    click.option(
        "--strict",
        is_flag=True,
        help="Batch: exit 1 when any candidate could not be scored (default: exit 0 once the "
        "batch is done, error rows included).",
    ),
)
account_options = options(
    click.option(
        "--include-forks",
        is_flag=True,
        help="gh:USER: compare each fork with its upstream and score it if it has commits of "
        "its own (default: forks are listed, not scanned).",
    ),
    click.option(
        "--max-repos",
        type=click.IntRange(min=1),
        default=DEFAULT_MAX_REPOS,
        show_default=True,
        metavar="N",
        help="gh:USER: scan at most N repositories, the most recently pushed first; the others "
        "are listed as not scanned.",
    ),
)


#: What `scan` and `review` share after their own options, in --help order.
review_options = options(
    quiet_option,
    open_option,
    batch_options,
    no_cache_option,
    clone_limit_options,
    account_options,
)


# small things every command needs -----------------------------------------------------------------
def open_in_browser(page: Path) -> None:
    """Open a written report in the user's browser; without one, say where the file is."""
    import webbrowser  # only with --open: most scans never need it

    if not webbrowser.open(page.resolve().as_uri()):
        click.echo(f"{PROG}: no web browser found to open {page}; open it by hand", err=True)


def color_wanted(flag: bool | None, stream: TextIO | None) -> bool:
    """--color/--no-color, else colour only on a terminal and never with NO_COLOR set."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return stream is not None and stream.isatty()
