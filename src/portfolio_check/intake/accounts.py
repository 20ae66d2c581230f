"""Targets that name a person rather than a repository: `gh:USER`, on the command line or in
a `--from` file (`gh:USER [label]` lines), each with the label its folder takes. Accounts and
repositories are never mixed in one review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from portfolio_check.common.errors import TargetError
from portfolio_check.intake.targets import check_label, github_account, target_lines


@dataclass(frozen=True, kw_only=True)
class Account:
    """A `gh:USER` to review, and the folder its files go into (under a batch's `-o`)."""

    user: str
    label: str


def account_of(spec: str, label: str | None = None) -> Account | None:
    """The account a `gh:USER` spec names, or None for any other spec. Raises `TargetError`
    for a `gh:` name GitHub would refuse, or a label unsafe as a folder name."""
    user = github_account(spec)
    if user is None:
        return None
    return Account(user=user, label=check_label(label) if label is not None else user)


def read_accounts(path: Path) -> list[Account] | None:
    """The accounts of a `--from` file whose lines all name one (`gh:USER [label]`); None
    when none does. A file that mixes accounts and repositories raises `TargetError`."""
    accounts: list[Account] = []
    others = 0
    for line in target_lines(path):
        try:
            account = account_of(line.spec, line.label)
        except TargetError as error:
            raise TargetError(f"{path}:{line.number}: {error}") from None
        if account is None:
            others += 1
        else:
            accounts.append(account)
    if accounts and others:
        raise TargetError(
            f"{path}: lists both accounts (gh:USER) and repositories; review each person "
            "in a run of their own, and repositories in another"
        )
    return accounts or None


def accounts_in(specs: Sequence[str]) -> list[Account] | None:
    """The accounts among command-line targets when every one names an account; None when
    none does. A mix raises `TargetError`."""
    accounts = [account_of(spec) for spec in specs]
    named = [account for account in accounts if account is not None]
    if named and len(named) != len(accounts):
        raise TargetError(
            "gh:USER reviews a person on its own: give accounts, or repositories, not both"
        )
    return named or None
