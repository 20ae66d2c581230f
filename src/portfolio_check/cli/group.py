"""The `portfolio-check` command: a group whose default subcommand is `scan`, its
subcommands, and `main`, which turns every error a user can cause into one line on stderr
and an exit code. Each command module only turns options into an app call and an exit code.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import click

from portfolio_check import __version__
from portfolio_check.cli.github import github_command, github_comment_command
from portfolio_check.cli.help import HELP
from portfolio_check.cli.options import (
    COMMAND_LINE,
    CONTEXT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
)
from portfolio_check.cli.review import merge_command, review_command
from portfolio_check.cli.scan import scan_command
from portfolio_check.common.errors import PortfolioCheckError
from portfolio_check.common.text_safety import terminal_line


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


@click.group(name=PROG, cls=DefaultScanGroup, help=HELP, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name=PROG)
def command() -> None:
    """The `portfolio-check` command: `scan` is the default subcommand."""


for _subcommand in (
    scan_command,
    review_command,
    merge_command,
    github_command,
    github_comment_command,
):
    command.add_command(_subcommand)


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
