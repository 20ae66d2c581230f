"""Clones: URL targets become bare clones, cached or temporary, bounded, and never run code."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.common.cache_dirs import default_cache_dir
from portfolio_check.common.errors import TargetError
from portfolio_check.intake.clone import (
    PIN_NAMESPACE,
    CloneOptions,
    cache_key,
    cache_path,
    checkout,
)
from portfolio_check.intake.git_runner import directory_size, git_command, git_environment
from portfolio_check.intake.targets import Target, parse_target
from portfolio_check.model.scorecard import Scorecard
from tests.repos import GIT_IDENTITY, RepoBuilder

MB = 1024**2


# helpers ----------------------------------------------------------------------------------
def run_git(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY, **(env or {})},
        check=check,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def bare_remote(source: Path, remote: Path) -> Path:
    """A bare copy of `source`: the "server" side that targets are cloned from."""
    run_git("clone", "-q", "--bare", "--", str(source), str(remote), cwd=source.parent)
    return remote


def remote_sha(remote: Path, revision: str = "HEAD") -> str:
    return run_git("rev-parse", f"{revision}^{{commit}}", cwd=remote).stdout.strip()


def small_project(root: Path) -> RepoBuilder:
    repo = RepoBuilder(root)
    repo.files(
        {
            "pyproject.toml": '[project]\nname = "tiny"\ndependencies = ["scikit-learn==1.5.1"]\n',
            "src/tiny/train.py": "from sklearn.linear_model import LogisticRegression\n",
        }
    ).commit("first", date="2026-02-02T09:00:00+00:00")
    repo.files({"tests/test_train.py": "def test_ok():\n    assert True\n"}).commit(
        "tests", date="2026-02-09T09:00:00+00:00"
    )
    return repo


def scan_clone(target: Target, options: CloneOptions) -> Scorecard:
    with checkout(target, options) as clone:
        return scan(
            clone.root,
            options=ScanOptions(
                revision=clone.revision, display_path=target.spec, use_repo_config=False
            ),
        )


def checkout_error(target: Target, options: CloneOptions) -> str:
    """The one-line reason `checkout` refuses or fails with (it must not yield)."""
    with pytest.raises(TargetError) as raised, checkout(target, options):
        pytest.fail("checkout must not yield")
    message = str(raised.value)
    assert "\n" not in message
    return message


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def evidence_paths(card: Scorecard, criterion: str) -> set[str]:
    for category in card.categories:
        for result in category.criteria:
            if result.id == criterion:
                return {item.path for item in result.evidence}
    raise AssertionError(f"no criterion {criterion}")


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where temporary clones go during the test, to see that they are removed."""
    root = tmp_path / "system-tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def project(tmp_path: Path) -> RepoBuilder:
    return small_project(tmp_path / "work")


@pytest.fixture
def remote(project: RepoBuilder, tmp_path: Path) -> Path:
    return bare_remote(project.root, tmp_path / "server" / "tiny.git")


def push(project: RepoBuilder, remote: Path, *refs: str) -> None:
    project.git("push", "-q", "--force", str(remote), *(refs or ("main",)))


# cloning and scanning ---------------------------------------------------------------------
def test_a_file_url_is_bare_cloned_scanned_and_removed(
    production_path: Path, production_card: Scorecard, tmp_path: Path, temp_root: Path
) -> None:
    remote = bare_remote(production_path, tmp_path / "server" / "churnwatch.git")
    target = parse_target(remote.as_uri())
    with checkout(target, CloneOptions(cache_dir=None)) as clone:
        assert clone.revision == "HEAD"
        assert not clone.cached
        assert clone.root.parent.parent == temp_root
        assert run_git("rev-parse", "--is-bare-repository", cwd=clone.root).stdout.strip() == "true"
        assert not (clone.root / "Dockerfile").exists()  # no work tree, ever
        assert not (clone.root / "hooks").exists()  # no template hooks either
        card = scan(
            clone.root, options=ScanOptions(revision=clone.revision, display_path=target.spec)
        )
    assert listing(temp_root) == []
    assert card.target.path == remote.as_uri()
    assert card.target.commit == remote_sha(remote) == production_card.target.commit
    assert card.target.is_git
    assert card.history is not None and card.history.commits == 3
    assert {"Dockerfile", ".github/workflows/ci.yml"} <= evidence_paths(card, "container-image")
    assert "tests/test_features.py" in evidence_paths(card, "data-model-tests")
    assert card.real_world_score == production_card.real_world_score
    assert card.real_world_score >= 60


def test_keep_leaves_the_temporary_clone(remote: Path, temp_root: Path) -> None:
    target = parse_target(remote.as_uri(), "kept")
    with checkout(target, CloneOptions(cache_dir=None, keep=True)) as clone:
        root = clone.root
    assert root.name == "kept.git"
    assert (root / "HEAD").is_file()
    assert remote_sha(root) == remote_sha(remote)


def test_a_local_path_is_used_in_place(project: RepoBuilder, temp_root: Path) -> None:
    target = parse_target(str(project.root))
    with checkout(target, CloneOptions(cache_dir=temp_root / "cache")) as clone:
        assert clone.root == project.root.resolve()
        assert clone.revision is None
        assert not clone.cached
    assert listing(temp_root) == []  # no cache, no clone


def test_a_cached_clone_is_fetched_not_cloned_again(
    project: RepoBuilder, remote: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    target = parse_target(remote.as_uri(), "ada")
    first_head = remote_sha(remote)
    with checkout(target, CloneOptions(cache_dir=cache)) as clone:
        assert clone.cached and not clone.reused
        root = clone.root
        (root / "marker").write_text("first clone\n")
        inode = root.stat().st_ino
    assert root.parent == cache
    assert root.name == f"ada-{cache_key(target)}.git"
    assert scan_clone(target, CloneOptions(cache_dir=cache)).target.commit == first_head

    project.write("src/tiny/serve.py", "print('serve')\n").commit("serve")
    push(project, remote)
    second_head = remote_sha(remote)
    assert second_head != first_head
    with checkout(target, CloneOptions(cache_dir=cache)) as clone:
        assert clone.reused
        assert clone.root == root
        assert clone.root.stat().st_ino == inode
        assert (clone.root / "marker").read_text() == "first clone\n"
        assert remote_sha(clone.root) == second_head
    assert scan_clone(target, CloneOptions(cache_dir=cache)).target.commit == second_head

    project.write("src/tiny/more.py", "x = 1\n").commit("more")
    push(project, remote)
    stale = CloneOptions(cache_dir=cache, refresh=False)
    assert scan_clone(target, stale).target.commit == second_head  # not fetched
    assert scan_clone(target, CloneOptions(cache_dir=cache)).target.commit == remote_sha(remote)
    assert listing(cache) == [root.name]


def test_the_cache_is_found_by_url_whatever_the_label(remote: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with checkout(parse_target(remote.as_uri(), "first-name"), CloneOptions(cache_dir=cache)):
        pass
    relabelled = parse_target(remote.as_uri(), "other-name")
    assert cache_path(relabelled, cache).name.startswith("first-name-")
    with checkout(relabelled, CloneOptions(cache_dir=cache)) as clone:
        assert clone.reused
    assert len(listing(cache)) == 1
    assert cache_key(relabelled) == cache_key(parse_target(remote.as_uri()))
    assert cache_key(dataclasses.replace(relabelled, ref="main")) != cache_key(relabelled)


def test_a_broken_cache_is_deleted_and_cloned_again(remote: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    target = parse_target(remote.as_uri())
    broken = cache_path(target, cache)
    broken.mkdir(parents=True)
    (broken / "HEAD").write_text("garbage\n")
    with checkout(target, CloneOptions(cache_dir=cache)) as clone:
        assert clone.root == broken
        assert not clone.reused
        assert (clone.root / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert scan_clone(target, CloneOptions(cache_dir=cache)).target.commit == remote_sha(remote)


def test_a_cached_clone_of_another_url_is_not_trusted(
    remote: Path, tmp_path: Path, project: RepoBuilder
) -> None:
    """A bare repo at the cache path whose origin is another URL is replaced, not scanned."""
    cache = tmp_path / "cache"
    target = parse_target(remote.as_uri())
    other = RepoBuilder(tmp_path / "other")
    other.write("other.py", "x = 1\n").commit("other")
    impostor = cache_path(target, cache)
    cache.mkdir()
    bare_remote(other.root, impostor)
    with checkout(target, CloneOptions(cache_dir=cache)) as clone:
        assert not clone.reused
        assert remote_sha(clone.root) == remote_sha(remote) != other.head()


def test_branch_tag_and_commit_refs(project: RepoBuilder, remote: Path, tmp_path: Path) -> None:
    first = project.head()
    project.git("tag", "v1", "HEAD~1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("src/tiny/feature.py", "FEATURE = True\n").commit("feature work")
    feature_sha = project.head()
    project.git("checkout", "-q", "main")
    push(project, remote, "main", "feature", "v1")
    base = parse_target(remote.as_uri())

    for options in (CloneOptions(cache_dir=None), CloneOptions(cache_dir=tmp_path / "cache")):
        with checkout(dataclasses.replace(base, ref="feature"), options) as clone:
            assert clone.revision == "feature"
            card = scan(clone.root, options=ScanOptions(revision=clone.revision))
            assert card.target.commit == feature_sha
        with checkout(dataclasses.replace(base, ref="v1"), options) as clone:
            assert clone.revision == "v1"
            card = scan(clone.root, options=ScanOptions(revision=clone.revision))
            assert card.target.commit == remote_sha(remote, "v1") != first
        # a sha that only a side branch reaches: cloned by default branch, then fetched
        with checkout(dataclasses.replace(base, ref=feature_sha), options) as clone:
            assert clone.revision == feature_sha
            assert remote_sha(clone.root, PIN_NAMESPACE + feature_sha) == feature_sha
            card = scan(clone.root, options=ScanOptions(revision=clone.revision))
            assert card.target.commit == feature_sha
            assert card.history is not None and card.history.commits == 3
        with checkout(dataclasses.replace(base, ref=first), options) as clone:
            assert clone.revision == first
            assert scan(clone.root, options=ScanOptions(revision=first)).target.commit == first

    cache = tmp_path / "cache"
    assert len(listing(cache)) == 4  # one per URL and ref
    with checkout(dataclasses.replace(base, ref="feature"), CloneOptions(cache_dir=cache)) as clone:
        assert clone.reused
    # the cached branch follows the remote branch
    project.git("checkout", "-q", "feature")
    project.write("src/tiny/feature.py", "FEATURE = 2\n").commit("feature v2")
    push(project, remote, "feature")
    with checkout(dataclasses.replace(base, ref="feature"), CloneOptions(cache_dir=cache)) as clone:
        assert clone.reused
        assert remote_sha(clone.root, "feature") == project.head() != feature_sha


def test_gh_style_ref_on_a_parsed_target(remote: Path, tmp_path: Path) -> None:
    """`@ref` is parsed for gh: only; the same ref reaches git for any URL through `ref`."""
    target = dataclasses.replace(parse_target(remote.as_uri()), ref="main")
    with checkout(target, CloneOptions(cache_dir=None)) as clone:
        assert clone.revision == "main"
        assert remote_sha(clone.root, "main") == remote_sha(remote)


@pytest.mark.parametrize("cached", [False, True])
def test_an_unknown_ref_is_a_one_line_error_with_nothing_left(
    remote: Path, tmp_path: Path, temp_root: Path, cached: bool
) -> None:
    cache = tmp_path / "cache" if cached else None
    target = dataclasses.replace(parse_target(remote.as_uri()), ref="no-such-branch")
    message = checkout_error(target, CloneOptions(cache_dir=cache))
    assert message.startswith(f"{remote.as_uri()}: git clone failed: ")
    assert "no-such-branch not found" in message
    assert "\n" not in message and "Traceback" not in message
    assert listing(temp_root) == []
    if cache is not None:
        assert listing(cache) == []


def test_a_missing_repository_is_a_target_error(tmp_path: Path, temp_root: Path) -> None:
    target = parse_target((tmp_path / "nowhere.git").as_uri())
    assert re.search(
        r"does not appear to be a git repository",
        checkout_error(target, CloneOptions(cache_dir=None)),
    )
    assert listing(temp_root) == []


def test_a_fetch_failure_reclones_then_reports(
    remote: Path, tmp_path: Path, project: RepoBuilder
) -> None:
    cache = tmp_path / "cache"
    target = parse_target(remote.as_uri())
    with checkout(target, CloneOptions(cache_dir=cache)) as clone:
        root = clone.root
    moved = remote.with_name("moved.git")
    remote.rename(moved)
    assert re.search(
        "does not appear to be a git repository",
        checkout_error(target, CloneOptions(cache_dir=cache)),
    )
    assert not root.exists()
    # offline reviewers scan what they have
    moved.rename(remote)
    with checkout(target, CloneOptions(cache_dir=cache)):
        pass
    moved_again = remote.rename(moved)
    with checkout(target, CloneOptions(cache_dir=cache, refresh=False)) as clone:
        assert clone.reused
    assert moved_again.exists()


# a git server on 127.0.0.1 ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """`git daemon` serving a folder on 127.0.0.1; yields (folder, port)."""
    base = tmp_path / "served"
    base.mkdir()
    env = {**os.environ, **GIT_IDENTITY}
    for _attempt in range(3):
        port = _free_port()
        with subprocess.Popen(
            [
                "git",
                "daemon",
                "--reuseaddr",
                f"--base-path={base}",
                "--export-all",
                "--informative-errors",
                "--listen=127.0.0.1",
                f"--port={port}",
                str(base),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as daemon:
            try:
                deadline = time.monotonic() + 10
                while daemon.poll() is None and not _accepting(port):
                    if time.monotonic() > deadline:
                        pytest.fail("git daemon did not start")
                    time.sleep(0.05)
                if daemon.poll() is None:
                    yield base, port
                    return
            finally:
                if daemon.poll() is None:
                    daemon.terminate()
                    try:
                        daemon.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        daemon.kill()
                        daemon.wait()
    pytest.fail("git daemon could not listen on a free port")


def test_a_git_daemon_url_is_cloned_and_scanned(
    git_server: tuple[Path, int], project: RepoBuilder, tmp_path: Path
) -> None:
    base, port = git_server
    served = bare_remote(project.root, base / "repo.git")
    target = parse_target(f"git://127.0.0.1:{port}/repo.git")
    assert target.scheme == "git"
    card = scan_clone(target, CloneOptions(cache_dir=tmp_path / "cache"))
    assert card.target.commit == remote_sha(served)
    assert card.target.path == f"git://127.0.0.1:{port}/repo.git"
    assert "tests/test_train.py" in {
        item.path
        for category in card.categories
        for result in category.criteria
        for item in result.evidence
    }
    # a second run fetches from the daemon into the same clone
    project.write("README.md", "# tiny\n").commit("readme")
    push(project, served)
    with checkout(target, CloneOptions(cache_dir=tmp_path / "cache")) as clone:
        assert clone.reused
        assert remote_sha(clone.root) == remote_sha(served)


def test_a_dead_server_is_a_one_line_error(tmp_path: Path) -> None:
    target = parse_target(f"git://127.0.0.1:{_free_port()}/repo.git")
    message = checkout_error(target, CloneOptions(cache_dir=tmp_path / "cache"))
    assert "git clone failed: unable to connect to 127.0.0.1" in message
    assert listing(tmp_path / "cache") == []


# URL safety -------------------------------------------------------------------------------
def _raw_clone(url: str, dest: Path, scheme: str) -> subprocess.CompletedProcess[str]:
    """The hardened clone command, given a URL that `parse_target` would refuse."""
    return subprocess.run(
        git_command("clone", "--bare", "--", url, str(dest), scheme=scheme),
        cwd=dest.parent,
        env=git_environment(scheme),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def _hand_built(location: str) -> Target:
    return Target(spec=location, label="evil", kind="url", location=location)


def test_ext_transport_is_refused_by_the_parser_and_by_git(tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    url = f"ext::sh -c touch% {canary}"
    # the trap is real: git with ext allowed runs the command
    run_git("-c", "protocol.ext.allow=always", "clone", "-q", url, "x", cwd=tmp_path, check=False)
    assert canary.exists()
    canary.unlink()

    with pytest.raises(TargetError, match="transport syntax is refused"):
        parse_target(url)
    assert re.search("refused", checkout_error(_hand_built(url), CloneOptions(cache_dir=None)))
    for scheme in ("file", "https", "ssh", "git"):
        result = _raw_clone(url, tmp_path / f"raw-{scheme}", scheme)
        assert result.returncode != 0
        assert "transport 'ext' not allowed" in result.stderr
    assert not canary.exists()


def test_upload_pack_option_as_a_target_is_refused(remote: Path, tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    spec = f"--upload-pack=touch {canary}"
    # the trap is real: read as an option, git runs it
    run_git("clone", "-q", spec, remote.as_uri(), "x", cwd=tmp_path, check=False)
    assert canary.exists()
    canary.unlink()

    with pytest.raises(TargetError, match="cannot start with '-'"):
        parse_target(spec)
    assert re.search("refused", checkout_error(_hand_built(spec), CloneOptions(cache_dir=None)))
    result = _raw_clone(spec, tmp_path / "raw", "file")  # after `--` it is only a name
    assert "does not exist" in result.stderr
    assert not canary.exists()


@pytest.mark.parametrize(
    "template",
    [
        "ssh://-oProxyCommand=touch%20{canary}/repo.git",
        "ssh://git@-oProxyCommand=touch%20{canary}/repo.git",
        "git@-oProxyCommand=touch:{canary}",
    ],
)
def test_option_looking_hosts_never_reach_ssh(tmp_path: Path, template: str) -> None:
    canary = tmp_path / "canary"
    url = template.format(canary=canary)
    with pytest.raises(TargetError, match=r"cannot start with '-'|percent-encoding"):
        parse_target(url)
    assert re.search("refused", checkout_error(_hand_built(url), CloneOptions(cache_dir=None)))
    result = _raw_clone(url, tmp_path / "raw", "ssh")
    assert result.returncode != 0
    assert not canary.exists()


def test_a_dash_path_on_a_server_is_refused(tmp_path: Path) -> None:
    for url in ("file:///-oProxyCommand=x/repo.git", "git://127.0.0.1/--upload-pack=x"):
        with pytest.raises(TargetError, match="path component cannot start with '-'"):
            parse_target(url)
        assert re.search("refused", checkout_error(_hand_built(url), CloneOptions(cache_dir=None)))


def test_a_password_in_a_hand_built_target_is_never_shown(tmp_path: Path) -> None:
    url = "https://ada:ghp_secret@127.0.0.1/ada/x.git"
    message = checkout_error(_hand_built(url), CloneOptions(cache_dir=tmp_path / "cache"))
    assert "ghp_secret" not in message
    assert "password or token" in message


def _executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_submodules_hooks_and_filters_never_run(
    tmp_path: Path, temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canary = tmp_path / "canary"
    touch = f"touch {canary}"
    # a submodule whose files ask for a smudge filter, and a hook that would run on checkout
    sub = RepoBuilder(tmp_path / "evil-sub")
    sub.files({".gitattributes": "* filter=canary\n", "payload.py": "x = 1\n"}).commit("sub")
    _executable(sub.root / ".git" / "hooks" / "post-checkout", f"#!/bin/sh\n{touch}\n")
    main = RepoBuilder(tmp_path / "main")
    main.files(
        {
            ".gitattributes": "*.py filter=canary\n",
            "train.py": "from sklearn.linear_model import LogisticRegression\n",
            "data.bin": "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n",
        }
    )
    main.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root), "sub")
    main.commit("with a submodule")
    remote = bare_remote(main.root, tmp_path / "server" / "main.git")

    # the environment a careless clone would obey: filters, hooks, recursion, pack hooks
    hooks = tmp_path / "hooks"
    for name in ("post-checkout", "post-merge", "reference-transaction", "pre-auto-gc"):
        _executable(hooks / name, f"#!/bin/sh\n{touch}\n")
    pack_hook = _executable(tmp_path / "pack-hook", f'#!/bin/sh\n{touch}\nexec "$@"\n')
    trap = tmp_path / "trap.gitconfig"
    trap.write_text(
        f'[filter "canary"]\n\tsmudge = sh -c "{touch}; cat"\n\tclean = cat\n'
        f'[filter "lfs"]\n\tsmudge = sh -c "{touch}; cat"\n\tprocess = sh -c "{touch}"\n'
        "\trequired = true\n"
        f"[core]\n\thooksPath = {hooks}\n\tfsmonitor = {pack_hook}\n\tsshCommand = {pack_hook}\n"
        f"[uploadpack]\n\tpackObjectsHook = {pack_hook}\n"
        '[protocol "file"]\n\tallow = always\n'
        "[submodule]\n\trecurse = true\n"
        "[clone]\n\tdefaultRemoteName = origin\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(trap))
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.hooksPath")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(hooks))
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(tmp_path / "templates"))

    # the trap is real: an ordinary recursive clone writes the canary
    subprocess.run(
        ["git", "clone", "-q", "--recurse-submodules", remote.as_uri(), str(tmp_path / "naive")],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert canary.exists()
    canary.unlink()

    target = parse_target(remote.as_uri())
    for options in (CloneOptions(cache_dir=None), CloneOptions(cache_dir=tmp_path / "cache")):
        with checkout(target, options) as clone:
            assert not (clone.root / "sub").exists()
            assert not (clone.root / "modules").exists()
            assert not (clone.root / "train.py").exists()
            card = scan(
                clone.root,
                options=ScanOptions(revision=clone.revision, display_path=target.spec),
            )
        assert card.target.commit == remote_sha(remote)
        assert card.target.files == 4  # .gitattributes, .gitmodules, train.py, data.bin
    # fetching into the cache again runs nothing either
    with checkout(target, CloneOptions(cache_dir=tmp_path / "cache")) as clone:
        assert clone.reused
    assert not canary.exists()
    assert listing(temp_root) == []


def test_clone_settings_allow_only_the_targets_transport() -> None:
    command = git_command("clone", "--bare", "--", "https://example.org/x.git", "x", scheme="https")
    settings = [command[i + 1] for i, part in enumerate(command) if part == "-c"]
    assert settings[-1] == "protocol.https.allow=always"
    assert not any(s.startswith(("protocol.http.", "protocol.file.allow=always")) for s in settings)
    for required in (
        "protocol.allow=never",
        "protocol.ext.allow=never",
        "core.hooksPath=/dev/null",
        "submodule.recurse=false",
        "filter.lfs.smudge=",
        "filter.lfs.process=",
        "filter.lfs.required=false",
        "core.sshCommand=false",
        "credential.helper=",
    ):
        assert required in settings
    assert command[command.index("--") + 1] == "https://example.org/x.git"
    http = git_command("ls-remote", scheme="http")
    assert "protocol.http.allow=always" in http
    with pytest.raises(ValueError, match="unsupported transport"):
        git_command("clone", scheme="ext")


def test_clone_environment_drops_the_callers_git_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv("GIT_SSH_COMMAND", "touch /tmp/canary")
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.sshCommand'='x'")
    monkeypatch.setenv("GIT_ALLOW_PROTOCOL", "ext")
    env = git_environment("ssh")
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert env["GIT_SSH_COMMAND"].startswith("ssh -o BatchMode=yes")
    assert "StrictHostKeyChecking=accept-new" in env["GIT_SSH_COMMAND"]
    assert env["GIT_ALLOW_PROTOCOL"] == "ssh"
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert env["GIT_LFS_SKIP_SMUDGE"] == "1"
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["PATH"] == os.environ["PATH"]


# limits -----------------------------------------------------------------------------------
@pytest.fixture
def big_remote(tmp_path: Path) -> Path:
    repo = RepoBuilder(tmp_path / "big")
    repo.write("model.bin", os.urandom(5 * MB)).write("train.py", "x = 1\n").commit("weights")
    return bare_remote(repo.root, tmp_path / "server" / "big.git")


@pytest.mark.parametrize("cached", [False, True])
def test_a_clone_past_the_size_limit_is_stopped_and_removed(
    big_remote: Path, tmp_path: Path, temp_root: Path, cached: bool
) -> None:
    cache = tmp_path / "cache" if cached else None
    target = parse_target(big_remote.as_uri())
    message = checkout_error(target, CloneOptions(cache_dir=cache, max_bytes=1 * MB))
    assert message == f"{big_remote.as_uri()}: clone is larger than 1 MB, stopped"
    assert listing(temp_root) == []
    if cache is not None:
        assert listing(cache) == []
    # the same repository within a larger limit is fine
    with checkout(target, CloneOptions(cache_dir=cache, max_bytes=20 * MB)) as clone:
        assert 5 * MB < directory_size(clone.root) < 20 * MB


def test_a_fetch_past_the_size_limit_removes_the_cached_clone(
    project: RepoBuilder, remote: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    target = parse_target(remote.as_uri())
    options = CloneOptions(cache_dir=cache, max_bytes=2 * MB)
    with checkout(target, options):
        pass
    project.write("weights.bin", os.urandom(5 * MB)).commit("weights")
    push(project, remote)
    assert re.search(r": clone is larger than 2 MB, stopped$", checkout_error(target, options))
    assert listing(cache) == []


@pytest.mark.parametrize("cached", [False, True])
def test_a_clone_past_the_time_limit_is_stopped_and_removed(
    remote: Path, tmp_path: Path, temp_root: Path, cached: bool
) -> None:
    cache = tmp_path / "cache" if cached else None
    target = parse_target(remote.as_uri())
    started = time.monotonic()
    message = checkout_error(target, CloneOptions(cache_dir=cache, timeout=0.001))
    assert time.monotonic() - started < 10
    assert message == f"{remote.as_uri()}: clone took longer than 0.001 s, stopped"
    assert listing(temp_root) == []
    if cache is not None:
        assert listing(cache) == []


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "portfolio-check" / "clones"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "portfolio-check" / "clones"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "portfolio-check" / "clones"
