"""Targets: what a reviewer writes (paths, git URLs, gh:owner/repo) parsed, or refused."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from portfolio_check.common.errors import TargetError
from portfolio_check.intake.targets import (
    Target,
    check_label,
    check_ref,
    parse_target,
    read_target_list,
    redact,
)

SAFE_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


@pytest.mark.parametrize(
    ("spec", "location", "label", "ref", "scheme"),
    [
        (
            "https://github.com/ada/churn-model.git",
            "https://github.com/ada/churn-model.git",
            "ada-churn-model",
            None,
            "https",
        ),
        (
            "https://gitlab.example.org/group/sub/churn-model",
            "https://gitlab.example.org/group/sub/churn-model",
            "sub-churn-model",
            None,
            "https",
        ),
        (
            "HTTPS://github.com/ada/churn-model",
            "https://github.com/ada/churn-model",
            "ada-churn-model",
            None,
            "https",
        ),
        (
            "https://git.example.org:8443/ada/x.git",
            "https://git.example.org:8443/ada/x.git",
            "ada-x",
            None,
            "https",
        ),
        (
            "http://127.0.0.1:8080/ada/x.git",
            "http://127.0.0.1:8080/ada/x.git",
            "ada-x",
            None,
            "http",
        ),
        ("http://localhost/x.git", "http://localhost/x.git", "x", None, "http"),
        ("http://[::1]:8080/x.git", "http://[::1]:8080/x.git", "x", None, "http"),
        (
            "ssh://git@github.com/ada/churn-model.git",
            "ssh://git@github.com/ada/churn-model.git",
            "ada-churn-model",
            None,
            "ssh",
        ),
        (
            "ssh://host.example.org:2222/srv/git/x.git",
            "ssh://host.example.org:2222/srv/git/x.git",
            "git-x",
            None,
            "ssh",
        ),
        ("ssh://host/~ada/x.git", "ssh://host/~ada/x.git", "ada-x", None, "ssh"),
        (
            "git@github.com:ada/churn-model.git",
            "git@github.com:ada/churn-model.git",
            "ada-churn-model",
            None,
            "ssh",
        ),
        ("github-work:ada/x", "github-work:ada/x", "ada-x", None, "ssh"),
        (
            "git://127.0.0.1:9418/repo.git",
            "git://127.0.0.1:9418/repo.git",
            "repo",
            None,
            "git",
        ),
        (
            "file:///srv/git/churn-model.git",
            "file:///srv/git/churn-model.git",
            "git-churn-model",
            None,
            "file",
        ),
        (
            "gh:ada/churn-model",
            "https://github.com/ada/churn-model.git",
            "ada-churn-model",
            None,
            "https",
        ),
        (
            "gh:ada/churn-model.git",
            "https://github.com/ada/churn-model.git",
            "ada-churn-model",
            None,
            "https",
        ),
        (
            "gh:ada/churn-model@v1.2",
            "https://github.com/ada/churn-model.git",
            "ada-churn-model",
            "v1.2",
            "https",
        ),
        (
            "gh:Ada-L/model.v2@feature/api",
            "https://github.com/Ada-L/model.v2.git",
            "Ada-L-model.v2",
            "feature/api",
            "https",
        ),
        (
            "gh:ada/x@" + "a" * 40,
            "https://github.com/ada/x.git",
            "ada-x",
            "a" * 40,
            "https",
        ),
    ],
)
def test_url_forms_are_accepted(
    spec: str, location: str, label: str, ref: str | None, scheme: str
) -> None:
    target = parse_target(spec)
    assert target == Target(spec=spec, label=label, kind="url", location=location, ref=ref)
    assert target.scheme == scheme


def test_a_url_suffix_is_not_read_as_a_ref() -> None:
    """Only gh: takes @ref: on a URL, '@' belongs to the URL (scp-like user) and stays."""
    target = parse_target("https://example.org/ada/x.git@v1")
    assert target.ref is None
    assert target.location == "https://example.org/ada/x.git@v1"


@pytest.mark.parametrize(
    ("spec", "relative", "label"),
    [
        ("repos/churn-model", "repos/churn-model", "churn-model"),
        ("./candidates/ada smith", "candidates/ada smith", "ada-smith"),
        ("./-dash", "-dash", "dash"),
        ("./name:with:colon", "name:with:colon", "name-with-colon"),
        ("missing/not-yet-there", "missing/not-yet-there", "not-yet-there"),
    ],
)
def test_local_paths_become_absolute_and_need_not_exist(
    spec: str, relative: str, label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = parse_target(spec)
    assert target.kind == "path"
    assert target.location == str(tmp_path.resolve() / relative)
    assert Path(target.location).is_absolute()
    assert target.label == label
    assert target.ref is None
    assert target.scheme is None


def test_home_and_root_paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "ada"))
    assert parse_target("~/work").location == str(tmp_path / "ada" / "work")
    root = parse_target("/")
    assert root.location == "/"
    assert root.label == "target"  # never empty


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_target("  gh:ada/x \n").location == "https://github.com/ada/x.git"


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("", "empty target"),
        ("   ", "empty target"),
        ("ext::sh -c touch% /tmp/canary", "'ext::' transport syntax is refused"),
        ("ext::ssh host", "'ext::' transport syntax is refused"),
        ("fd::3", "'fd::' transport syntax is refused"),
        ("git-remote-x::https://example.org/x", "transport syntax is refused"),
        ("--upload-pack=touch /tmp/canary", "cannot start with '-'"),
        ("-oProxyCommand=touch /tmp/canary", "cannot start with '-'"),
        ("-", "cannot start with '-'"),
        ("ssh://-oProxyCommand=touch%20x/repo", "percent-encoding"),
        ("ssh://-oProxyCommand=x/", "host cannot start with '-'"),
        ("ssh://-evil.example.org/x", "host cannot start with '-'"),
        ("ssh://-l@host/x", "user name cannot start with '-'"),
        ("git@-evil:x", "host cannot start with '-'"),
        ("git@-oProxyCommand=x:repo", "host cannot start with '-'"),
        ("-oProxyCommand=x:repo", "cannot start with '-'"),
        ("host:-x/repo", "path component cannot start with '-'"),
        ("https://example.org/-x/repo", "path component cannot start with '-'"),
        ("https://example.org/ada/--upload-pack=x", "path component cannot start with '-'"),
        ("https://example.org/%2Dx/repo", "path component cannot start with '-'"),
        ("file:///-x/repo", "path component cannot start with '-'"),
        ("git://127.0.0.1/--upload-pack", "path component cannot start with '-'"),
        ("http://example.org/ada/x.git", "http:// is only allowed for 127.0.0.1 and localhost"),
        ("http://10.0.0.1/ada/x.git", "without TLS"),
        ("ftp://example.org/x.git", "the ftp:// scheme is not supported"),
        ("git+ssh://example.org/x.git", "the git+ssh:// scheme is not supported"),
        ("javascript://x/y", "scheme is not supported"),
        ("https://example.org/ada/x y", "whitespace is not allowed"),
        ("https://example.org/ada/x\u00a0y", "whitespace is not allowed"),
        ("git@github.com:ada/x y", "whitespace is not allowed"),
        ("https://example.org/ada/x\x1b[31m", "control characters"),
        ("https://example.org/ada/x%0Ay", "control characters"),
        ("./repo\nother", "control characters"),
        ("https://example.org/ada/x.git#main", "'#' is not allowed"),
        ("https://example.org/ada/x.git?ref=main", "query strings"),
        ("https://ada:ghp_secret@example.org/ada/x.git", "password or token"),
        ("https://example.org", "names no repository path"),
        ("https://example.org/", "names no repository path"),
        ("git@github.com:", "names no repository path"),
        ("https:///ada/x.git", "no host"),
        ("https://example.org:99999/x", "not a port number"),
        ("https://example.org:/x", "not a port number"),
        ("https://exa_mple!.org/x", "not a valid host name"),
        ("https://[::1/x", "malformed host"),
        ("file://host/srv/x.git", "file:///absolute/path"),
        ("gh:ada", "names an account, not a repository"),
        ("gh:/x", "expected gh:owner/repo"),
        ("gh:-ada/x", "cannot start with '-'"),
        ("gh:ada/-x", "cannot start with '-'"),
        ("gh:ada/x/y", "not a GitHub repository name"),
        ("gh:ada_l/x", "not a GitHub user or organisation name"),
        ("gh:ada/..", "not a GitHub repository name"),
        ("gh:ada/x@", "empty ref"),
        ("gh:ada/x@--upload-pack=y", "ref '--upload-pack=y': cannot start with '-'"),
        ("gh:ada/x@main..evil", "cannot contain '..'"),
        ("gh:ada/x@ma\x07in", "control characters"),
        ("gh:ada/x@a:b", "not a valid branch, tag or commit name"),
        ("gh:ada/x@HEAD@{1}", "not a valid branch, tag or commit name"),
        ("gh:ada/x@feature.lock", "not a valid branch, tag or commit name"),
    ],
)
def test_unsafe_or_malformed_specs_are_refused(spec: str, reason: str) -> None:
    with pytest.raises(TargetError) as raised:
        parse_target(spec)
    message = str(raised.value)
    assert reason in message
    assert "\n" not in message


def test_a_refused_password_is_not_repeated() -> None:
    with pytest.raises(TargetError) as raised:
        parse_target("https://ada:ghp_secret@example.org/ada/x.git")
    assert "ghp_secret" not in str(raised.value)
    assert "https://ada:***@example.org" in str(raised.value)
    assert (
        redact("see https://u:tok@h/x and ssh://git@h/y")
        == "see https://u:***@h/x and ssh://git@h/y"
    )


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("", "empty ref"),
        ("-x", "cannot start with '-'"),
        ("--orphan", "cannot start with '-'"),
        ("a..b", "cannot contain '..'"),
        ("..", "cannot contain '..'"),
        ("a\x00b", "whitespace and control characters"),
        ("a b", "whitespace and control characters"),
        ("a\tb", "whitespace and control characters"),
        ("a~1", "not a valid"),
        ("a^", "not a valid"),
        ("*", "not a valid"),
        ("/main", "not a valid"),
        ("main/", "not a valid"),
        ("a//b", "not a valid"),
        (".hidden", "not a valid"),
        ("x/.hidden", "not a valid"),
    ],
)
def test_bad_refs_are_refused(ref: str, reason: str) -> None:
    with pytest.raises(TargetError, match=re.escape(reason)):
        check_ref(ref)


@pytest.mark.parametrize("ref", ["main", "feature/api", "v1.2.3", "release-2026", "a" * 40])
def test_good_refs_pass(ref: str) -> None:
    assert check_ref(ref) == ref


def test_explicit_labels_are_used_when_safe() -> None:
    target = parse_target("gh:ada/churn-model@v2", "ada_v2")
    assert target.label == "ada_v2"
    assert target.ref == "v2"
    assert target.location == "https://github.com/ada/churn-model.git"
    assert check_label("Ada.L-2") == "Ada.L-2"


@pytest.mark.parametrize(
    "label", ["", ".", "..", ".hidden", "-x", "a/b", "../up", "a b", "é", "x" * 101]
)
def test_unsafe_labels_are_refused(label: str) -> None:
    with pytest.raises(TargetError, match="label"):
        parse_target("gh:ada/x", label)


@pytest.mark.parametrize(
    "spec",
    [
        "https://example.org/...git",
        "https://example.org/%2E%2E",
        "file:///srv/x/..",
        "file:///srv/__/_.git",
        "./....",
        "https://example.org/ada/re%20po",
        "ssh://host/~",
        "https://example.org/%C3%A9l%C3%A8ve/d%C3%A9p%C3%B4t",
    ],
)
def test_derived_labels_are_always_safe_file_names(
    spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    label = parse_target(spec).label
    assert SAFE_LABEL.match(label), label
    assert label not in {"", ".", ".."}
    assert len(label) <= 100


# target lists -----------------------------------------------------------------------------
def test_target_list_with_comments_labels_and_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    listing = tmp_path / "candidates.txt"
    listing.write_text(
        "\ufeff# spring cohort\n"
        "\n"
        "https://github.com/ada/churn-model.git  ada\n"
        "gh:grace/churn-model@v1   # tagged for review\n"
        "   gh:ada/other-model\tada\n"
        "repos/local-one\n"
        "gh:ADA/x ada\n"
        "file:///srv/git/ada-2.git ada-2\n"
        "  # indented comment\n",
        encoding="utf-8",
    )
    targets = read_target_list(listing)
    assert [(t.label, t.location, t.ref) for t in targets] == [
        ("ada", "https://github.com/ada/churn-model.git", None),
        ("grace-churn-model", "https://github.com/grace/churn-model.git", "v1"),
        ("ada-2", "https://github.com/ada/other-model.git", None),
        ("local-one", str(tmp_path.resolve() / "repos" / "local-one"), None),
        ("ada-3", "https://github.com/ADA/x.git", None),
        # an explicit label taken by an earlier suffix still gets a unique one
        ("ada-2-2", "file:///srv/git/ada-2.git", None),
    ]
    assert targets[0].spec == "https://github.com/ada/churn-model.git"
    assert len({t.label.casefold() for t in targets}) == len(targets)


def test_labels_differing_only_by_case_are_made_unique(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("gh:ada/x Ada\ngh:ada/y ada\n", encoding="utf-8")
    assert [t.label for t in read_target_list(listing)] == ["Ada", "ada-2"]


def test_an_empty_list_has_no_targets(tmp_path: Path) -> None:
    listing = tmp_path / "empty.txt"
    listing.write_text("# nothing yet\n\n", encoding="utf-8")
    assert read_target_list(listing) == []


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ("gh:ada/x\n\n# c\next::sh%20-c%20touch%20x\n", ":4: ", "transport syntax is refused"),
        ("gh:ada/x\n--upload-pack=touch\n", ":2: ", "cannot start with '-'"),
        ("gh:ada/x ada extra\n", ":1: ", "expected a target and an optional label, found 3"),
        ("gh:ada/x ../evil\n", ":1: ", "label '../evil'"),
        ("\n\nhttp://example.org/x.git\n", ":3: ", "http:// is only allowed"),
    ],
)
def test_list_errors_name_the_file_and_line(
    tmp_path: Path, content: str, where: str, reason: str
) -> None:
    listing = tmp_path / "candidates.txt"
    listing.write_text(content, encoding="utf-8")
    with pytest.raises(TargetError) as raised:
        read_target_list(listing)
    message = str(raised.value)
    assert message.startswith(f"{listing}{where}")
    assert reason in message


def test_unreadable_lists_are_target_errors(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="cannot read the target list"):
        read_target_list(tmp_path / "missing.txt")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00gh:ada/x\n")
    with pytest.raises(TargetError, match="not a UTF-8 text file"):
        read_target_list(binary)


def test_targets_are_frozen() -> None:
    target = parse_target("gh:ada/x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.label = "y"  # type: ignore[misc]
