"""Builders of hostile repositories, and the harness that scans them.

Everything is made at test time, in temporary folders: symlinks, hard links, sparse files,
bytes file names and crafted git objects never sit in the project's own tree. Each builder
plants payloads that would leave a trace if anything ran them (a `Canary`), secrets outside
the repository that must never reach a report (`plant_secrets`), markup and terminal
escapes meant to break out of a report, or files sized to exhaust time or memory.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import uuid
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from portfolio_check.model.scorecard import Scorecard
from portfolio_check.report import FORMATS, render
from tests.repos import GIT_IDENTITY, RepoBuilder

#: The installed command, next to the interpreter running the tests.
ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
#: Address space a scan may use in the exhaustion tests.
MEMORY_LIMIT = 1536 * 1024 * 1024
#: Seconds a scan of a bomb may take before the test fails.
SCAN_TIMEOUT = 120


# running the tool ---------------------------------------------------------------------
def clean_env(**extra: str) -> dict[str, str]:
    """The environment for the command: no GitHub context (no comment is ever posted), no
    debug tracebacks, no colour, and git without the user's own config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "PORTFOLIO_CHECK_", "GIT_"))
        and key not in ("NO_COLOR", "FORCE_COLOR")
    }
    return {**env, "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            **extra}  # fmt: skip


def _limit_memory() -> None:  # runs in the child, between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    limit_memory: bool = False,
    timeout: float = SCAN_TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run the installed `portfolio-check` with `args`, optionally under RLIMIT_AS."""
    return subprocess.run(
        [str(ENTRY_POINT), *map(str, args)],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory if limit_memory else None,
        check=False,
    )


#: Formats that carry the scores and nothing quoted from the repository (the badge).
SCORE_ONLY_FORMATS = frozenset({"shields"})


def all_formats(card: Scorecard) -> dict[str, str]:
    """Every report format of one scorecard, as the renderers write them."""
    return {output_format: render(card, output_format) for output_format in FORMATS}


def fingerprint(root: Path) -> dict[str, tuple[int, str]]:
    """Every path under `root` (`.git` included, links not followed) with its mode and a
    hash of what it holds: any write into the scanned folder changes it."""
    seen: dict[str, tuple[int, str]] = {}
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                content = str(path.readlink())
            elif path.is_file():
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                content = ""
            seen[os.fsdecode(path.relative_to(root))] = (info.st_mode, f"{content}")
    return seen


def git(root: Path, *args: str, check: bool = True, input_text: str | None = None) -> str:
    """Plain git (not the tool's hardened one) in a corpus repository."""
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=check,
        input=input_text,
        stdin=None if input_text is not None else subprocess.DEVNULL,
    )
    return result.stdout


def git_refuses(root: Path, *args: str, input_text: str | None = None) -> str:
    """Run git expecting it to fail; its error output."""
    result = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
        input=input_text,
    )
    assert result.returncode != 0, f"git {' '.join(args)} was expected to fail"
    return result.stderr


def write_bytes_name(path: bytes, content: bytes = b"") -> None:
    """Create a file whose name is not UTF-8, by bytes path."""
    Path(os.fsdecode(path.rpartition(b"/")[0])).mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)


# code execution -----------------------------------------------------------------------
@dataclass(frozen=True)
class Canary:
    """A folder outside every scanned repository: a payload that runs leaves a file here."""

    folder: Path

    def python(self, name: str) -> str:
        """Python that leaves canary `name` when run."""
        return f"open({str(self.folder / f'fired-{name}')!r}, 'w').write('ran')\n"

    def program(self, name: str) -> str:
        """The path of an executable, outside the repository, that leaves canary `name`."""
        script = self.folder / "bin" / name
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(f"#!/bin/sh\ntouch '{self.folder / f'fired-{name}'}'\nexit 0\n")
        script.chmod(0o755)
        return str(script)

    def fired(self) -> list[str]:
        return sorted(path.name.removeprefix("fired-") for path in self.folder.glob("fired-*"))


#: Repository config keys that name a program git would run.
PROGRAM_KEYS = (
    "core.fsmonitor",
    "core.pager",
    "core.editor",
    "core.sshCommand",
    "core.askPass",
    "core.gitProxy",
    "core.alternateRefsCommand",
    "diff.external",
    "diff.x.textconv",
    "diff.x.command",
    "filter.x.clean",
    "filter.x.smudge",
    "filter.x.process",
    "filter.lfs.clean",
    "filter.lfs.smudge",
    "filter.lfs.process",
    "gpg.program",
    "gpg.ssh.program",
    "sequence.editor",
    "uploadpack.packObjectsHook",
    "pager.log",
    "pager.ls-files",
    "pager.show-ref",
)
HOOKS = (
    "pre-commit",
    "post-commit",
    "post-checkout",
    "post-merge",
    "post-rewrite",
    "post-index-change",
    "reference-transaction",
    "pre-auto-gc",
    "fsmonitor-watchman",
    "pre-push",
    "push-to-checkout",
)
LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 104857600\n"
)


@dataclass(frozen=True)
class ExecutionRepo:
    root: Path
    first_commit: str  # the base a pull request would be compared against
    canary: Canary


def execution_repo(root: Path, canary: Canary) -> ExecutionRepo:
    """Every file a careless tool would run, and a `.git` whose config, attributes and hooks
    would run a program under plain git. HEAD is a commit with a (fake) GPG signature, so
    that `git log --show-signature` would start `gpg.program`."""
    repo = RepoBuilder(root)
    repo.files(
        {
            "setup.py": canary.python("setup.py") + "from setuptools import setup\n\nsetup()\n",
            "conftest.py": canary.python("conftest.py"),
            "tests/test_payload.py": canary.python("test-module")
            + "\n\ndef test_two():\n    assert 1 + 1 == 2\n",
            "evil/__init__.py": canary.python("package-init"),
            "evil/train.py": "from evil import model\n\nmodel.fit()\n",
            "README.md": "# evil\n\nA model that trains.\n",
            ".gitattributes": "* filter=x diff=x\n*.pt filter=lfs diff=lfs merge=lfs -text\n",
            "models/model.pt": LFS_POINTER,
            "data/train.csv": LFS_POINTER,
            "notebooks/big.ipynb": LFS_POINTER,  # an LFS pointer where a notebook should be
        }
    )
    repo.notebook(
        "notebooks/analysis.ipynb",
        [("markdown", "# Analysis"), ("code", canary.python("notebook-cell"))],
    )
    repo.commit("first", date="2026-01-05T10:00:00+00:00")
    first = repo.head()
    repo.write("evil/train.py", "from evil import model\n\nmodel.fit(epochs=3)\n")
    repo.write(".gitconfig-included", f"[core]\n\tfsmonitor = {canary.program('included')}\n")
    repo.commit("second", date="2026-01-12T10:00:00+00:00")
    _sign_head(repo)
    # from here on plain git in this repository would run the payloads
    for key in PROGRAM_KEYS:
        repo.git("config", key, canary.program(key))
    repo.git("config", "credential.helper", "!" + canary.program("credential.helper"))
    repo.git("config", "filter.x.required", "true")
    repo.git("config", "log.showSignature", "true")
    repo.git("config", "include.path", "../.gitconfig-included")
    hooks_path = canary.folder / "hookspath"
    for name in HOOKS:
        for folder, prefix in ((root / ".git" / "hooks", "hook-"), (hooks_path, "hookspath-")):
            folder.mkdir(parents=True, exist_ok=True)
            hook = folder / name
            hook.write_text(Path(canary.program(prefix + name)).read_text())
            hook.chmod(0o755)
    repo.git("config", "core.hooksPath", str(hooks_path))
    return ExecutionRepo(root=root, first_commit=first, canary=canary)


def _sign_head(repo: RepoBuilder) -> None:
    """Replace HEAD by the same commit with a `gpgsig` header."""
    raw = repo.git("cat-file", "commit", "HEAD")
    header, _, message = raw.partition("\n\n")
    signature = (
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----"
    )
    signed = f"{header}\n{signature}\n\n{message}"
    result = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo.root,
        input=signed,
        capture_output=True,
        text=True,
        check=True,
    )
    repo.git("update-ref", "refs/heads/main", result.stdout.strip())


# reading outside the repository -------------------------------------------------------
@dataclass(frozen=True)
class Secrets:
    """A unique token planted outside the repository in files a scan would quote if it read
    them: a heading, a requirement, a Dockerfile command."""

    token: str
    folder: Path

    @property
    def markers(self) -> tuple[str, ...]:
        """What must appear in no report: the token, and the first line of /etc/passwd."""
        return (self.token, "root:x:0:0")


def plant_secrets(folder: Path) -> Secrets:
    token = f"pcsecret{uuid.uuid4().hex}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.md").write_text(
        f"# Results {token}\n\nAccuracy 0.93 on {token}.\n\n## Error analysis {token}\n\n"
        f"Most errors {token} are false negatives: recall 0.41.\n"
    )
    (folder / "requirements.txt").write_text(f"{token}==1.0\nfastapi==0.110.0\n")
    (folder / "Dockerfile").write_text(f'FROM python:3.11\nCMD ["uvicorn", "{token}.api:app"]\n')
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "README.md").write_text(f"# {token}\n\n## Results\n\n{token} 0.99\n")
    (folder / "docs" / "requirements.txt").write_text(f"{token}-docs==2.0\n")
    return Secrets(token=token, folder=folder)


def escape_repo(root: Path, secrets: Secrets, *, use_git: bool) -> Path:
    """Links that lead out of the repository: symlinks to /etc/passwd and to a folder
    outside, loops, and hard links to files outside (created after the last commit, so the
    secrets are never in the repository's own history)."""
    repo = RepoBuilder(root, git=use_git)
    repo.files(
        {
            "README.md": "# escape\n\nA service.\n",
            "src/app.py": "import fastapi\n\napp = fastapi.FastAPI()\n",
            "deep/er/file.txt": "x\n",
        }
    )
    links = {
        "requirements.txt": "/etc/passwd",
        "passwd.md": "/etc/passwd",
        "Dockerfile": str(secrets.folder / "Dockerfile"),
        "docs": str(secrets.folder / "docs"),
        "notes-link.md": str(secrets.folder / "notes.md"),
        "loop-a": "loop-b",
        "loop-b": "loop-a",
        "self": ".",
        "up": "..",
        "deep/er/root": "../../..",
        "deep/etc": "/etc",
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    if use_git:
        repo.commit("links", date="2026-02-01T10:00:00+00:00")
    hard_links = {
        "notes.md": secrets.folder / "notes.md",
        "requirements-dev.txt": secrets.folder / "requirements.txt",
        "deploy/Dockerfile": secrets.folder / "Dockerfile",
    }
    for name, target in hard_links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(target, root / name)
    return root


# injection into reports ---------------------------------------------------------------
#: Text from the repository meant to become markup, a link, a mention or a terminal escape.
MARKUP = "<script>alert(1)</script>"
HANDLER = "<img src=x onerror=alert(2)>"
BREAKOUT = "</details></table></code>"
MD_LINK = "[click](javascript:alert(3))"
MD_IMAGE = "![pixel](https://evil.example/p.png)"
MENTION = "@octocat"
BARE_URL = "https://evil.example/x"
ANSI = "\x1b[31mred\x1b[0m\x1b[2J"
OSC8 = "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
BELL = "\x07"
CR = "ok\roverwritten"
BIDI = "\u202eexe.txt\u202c\u2066x\u2069\u200f"
PAYLOAD = " ".join((MARKUP, HANDLER, BREAKOUT, MD_LINK, MD_IMAGE, MENTION, BARE_URL, ANSI, OSC8))
PAYLOAD += f" {BELL} {CR} {BIDI}"
#: Characters that must never reach a terminal: ESC, CSI, BEL, CR and bidirectional controls.
TERMINAL_UNSAFE = frozenset(
    "\x1b\x9b\x07\r\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def injection_repo(root: Path) -> Path:
    """File names, README text, notebook text, a Dockerfile, a workflow and commit messages
    carrying markup, Markdown links, mentions and terminal escapes."""
    repo = RepoBuilder(root)
    names = {
        f"tests/test_{HANDLER}.py": "def test_nothing():\n    pass\n",
        f"src/{MARKUP}.py": "import os\n",
        f"docs/{BREAKOUT}.md": f"# Results {PAYLOAD}\n\nAccuracy 0.91.\n",
        f"notes/{MD_LINK}.md": "# Notes\n",
        f"notes/{MENTION} {ANSI}.md": "# Notes\n",
        f"notes/{OSC8.replace('/', '_')}.md": "# Notes\n",
        f"notes/{CR}{BELL}{BIDI}.md": "# Notes\n",
        "notes/line\nbreak.md": "# Notes\n",
    }
    repo.files(names)
    repo.files(
        {
            "README.md": (
                f"# Churn model {PAYLOAD}\n\n"
                f"Uses Docker, Kubernetes and MLflow {PAYLOAD}\n\n"
                f"## Results {PAYLOAD}\n\nAccuracy 0.91, recall 0.78 {PAYLOAD}.\n\n"
                f"## Error analysis {PAYLOAD}\n\n| class | recall |\n|---|---|\n| a | 0.5 |\n\n"
                f"## Monitoring {PAYLOAD}\n\nWe monitor drift with Prometheus {PAYLOAD}.\n\n"
                f"Certificate: https://coursera.org/verify/{PAYLOAD.replace(' ', '')}\n"
            ),
            "requirements.txt": "fastapi==0.110.0\nmlflow==2.14.1\nprometheus-client==0.20\n",
            "Dockerfile": f'FROM python:3.11\nCMD ["uvicorn", "{PAYLOAD}:app"]\n',
            ".github/workflows/ci.yml": (
                f"name: '{MARKUP}'\non: [push]\njobs:\n"
                f"  '{HANDLER} {MENTION}':\n    runs-on: ubuntu-latest\n"
                f"    steps:\n      - run: pytest '{MD_LINK}' \"\\e]8;;x\\a\"\n"
            ),
            "dvc.yaml": f"stages:\n  train:\n    cmd: python '{MARKUP}.py'\n",
        }
    )
    repo.notebook(
        "notebooks/analysis.ipynb",
        [
            ("markdown", f"# Analysis {PAYLOAD}"),
            ("code", f"# GRADED FUNCTION: {PAYLOAD}\ndf = load('/home/{MARKUP}{BIDI}/x.csv')"),
            ("code", "print('done')"),
        ],
        outputs={2: f"All tests passed! {PAYLOAD}\n"},
    )
    repo.commit(f"Merge pull request #1 from evil/{MARKUP}\n\n{PAYLOAD}")
    repo.write("src/model.py", "import mlflow\n").commit(f"{HANDLER} {MENTION} {ANSI}{OSC8}")
    return root


# resource exhaustion ------------------------------------------------------------------
def sparse_file(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no disk space (what `truncate -s` makes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)


def gzip_bomb(path: Path, expanded: int) -> None:
    """A multi-member gzip file that expands to `expanded` bytes of zeros: members of 1 MiB
    each compress to about 1 KiB and are simply repeated."""
    member = gzip.compress(bytes(1 << 20), compresslevel=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(member * (expanded >> 20))


def zip_bomb(path: Path, expanded: int) -> None:
    """A zip archive holding one file of `expanded` bytes of zeros."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("train.csv", "w", force_zip64=True) as handle,
    ):
        chunk = bytes(1 << 20)
        for _ in range(expanded >> 20):
            handle.write(chunk)


def notebook_with_outputs(path: Path, output_bytes: int) -> None:
    cell = {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": "print(data)",
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "0" * output_bytes}],
    }
    document = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))


def yaml_alias_bomb(levels: int = 9, width: int = 9) -> str:
    """ "Billion laughs": each level a list of `width` aliases of the one above."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def yaml_many_aliases(count: int = 1000) -> str:
    return "x: &x [1]\ny: [" + ", ".join(["*x"] * count) + "]\n"


@dataclass(frozen=True)
class Expectation:
    """How a bomb must end up: analysed (no finding), or a finding saying why not."""

    path: str
    finding: str | None  # a substring of the finding's message; None: no finding


EXHAUSTION: tuple[Expectation, ...] = (
    Expectation(path="src/huge.py", finding="too large (1,073,741,824 bytes)"),
    Expectation(path="notebooks/huge.ipynb", finding="too large"),
    Expectation(path="notebooks/outputs-50mb.ipynb", finding="too large"),
    Expectation(path="notebooks/outputs-5mb.ipynb", finding=None),
    Expectation(path="src/deep_sum.py", finding="cannot be parsed"),
    Expectation(path="src/deep_unary.py", finding="cannot be parsed"),
    Expectation(path="src/deep_tree.py", finding="nesting too deep"),
    Expectation(path="src/deep_parens.py", finding="syntax error"),
    Expectation(path="docs/one-line.md", finding="too large"),
    Expectation(path="docs/long-line.md", finding=None),
    Expectation(path="src/table.py", finding=None),
    Expectation(path=".github/workflows/bomb.yml", finding="alias bomb"),
    Expectation(path=".github/workflows/many-aliases.yml", finding="more than 200 aliases"),
    Expectation(path="environment.yml", finding="alias bomb"),
    Expectation(path="k8s/nested.yaml", finding="nested too deeply"),
    Expectation(path="pyproject.toml", finding="nested too deeply"),
    Expectation(path="Pipfile", finding="nested too deeply"),
    Expectation(path="tools/pyproject.toml", finding="dotted key of more than 64 parts"),
    Expectation(path="notebooks/nested.ipynb", finding="notebook not"),
    Expectation(path="src/latin1.py", finding=None),
    Expectation(path="README.md", finding=None),
    Expectation(path="src/binary.py", finding="not analysed: binary"),
    Expectation(path="notebooks/binary.ipynb", finding="not analysed: binary"),
    Expectation(path="src/noise.py", finding="syntax error"),
    Expectation(path="requirements.txt", finding=None),
    Expectation(path="docker/Dockerfile", finding=None),
)
GIB = 1 << 30


def exhaustion_repo(root: Path) -> Path:
    """One repository holding every bomb in `EXHAUSTION`, plus zip and gzip bombs posing as
    data and files with names that are not UTF-8. A git repository whose bombs are all
    untracked: nothing this size is ever hashed into objects."""
    repo = RepoBuilder(root)
    repo.files({"src/app.py": "import pandas\n", ".gitignore": "*.log\n"})
    repo.commit("start")
    sparse_file(root / "src/huge.py", GIB)
    sparse_file(root / "notebooks/huge.ipynb", GIB)
    sparse_file(root / "data/big.csv", GIB)
    notebook_with_outputs(root / "notebooks/outputs-50mb.ipynb", 50 << 20)
    notebook_with_outputs(root / "notebooks/outputs-5mb.ipynb", 5 << 20)
    text = {
        "src/deep_sum.py": "x = " + "1+" * 100_000 + "1\n",
        "src/deep_unary.py": "x = " + "-" * 1_000_000 + "1\n",
        "src/deep_tree.py": "x = " + "-" * 400 + "1\n",
        "src/deep_parens.py": "x = " + "(" * 5_000 + ")" * 5_000 + "\n",
        "docs/one-line.md": "word " * (2 << 20),  # 10 MiB on one line
        "docs/long-line.md": "# Results\n\n" + "recall 0.5 " * 150_000,  # 1.5 MB line
        "src/table.py": "TABLE = [\n" + "    (1, 'a', 2.5, None),\n" * 5_000 + "]\n",
        ".github/workflows/bomb.yml": "on: push\n" + yaml_alias_bomb(),
        ".github/workflows/many-aliases.yml": yaml_many_aliases(),
        "environment.yml": "name: bomb\n" + yaml_alias_bomb(),
        "k8s/nested.yaml": "apiVersion: v1\nkind: x\ny: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "pyproject.toml": "[project]\ndependencies = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "Pipfile": "[packages]\nx = " + "{a = " * 50_000 + "1" + "}" * 50_000 + "\n",
        "tools/pyproject.toml": "[project]\n" + "a." * 200_000 + "b = 1\n",
        "notebooks/nested.ipynb": '{"cells": ' + "[" * 200_000 + "]" * 200_000 + "}",
        # quadratic before: every line start re-scanned the blank lines after it
        "requirements.txt": "\n" * 300_000 + "pandas==2.2.2\n",
        # quadratic before: an unclosed exec-form string re-scanned from every quote
        "docker/Dockerfile": 'FROM python:3.11\nCMD ["' + '\\"' * 60_000 + "\n",
    }
    for path, content in text.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    binary = {
        "src/latin1.py": "name = 'café'  # naïve\n".encode("latin-1") + b"# \xff\xfe\n",
        "README.md": b"# Results \xff\xfe\xfd\n\nAccuracy 0.9 \x80\x81.\n",
        "src/binary.py": b"\x7fELF\x02\x01\x01\x00" + os.urandom(4096),
        "notebooks/binary.ipynb": b"\x00\x01\x02" * 1000,
        "src/noise.py": bytes(range(0x80, 0x100)) * 64,  # no NUL: read, then unparseable
    }
    for path, content in binary.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    gzip_bomb(root / "data/train.csv.gz", 2 * GIB)
    gzip_bomb(root / "data/images.tar.gz", 2 * GIB)
    (root / "data/train.csv").write_bytes((root / "data/train.csv.gz").read_bytes()[:65536])
    zip_bomb(root / "data/train.zip", 512 << 20)
    base = os.fsencode(root)
    write_bytes_name(base + b"/src/caf\xe9.py", b"import os\n")
    write_bytes_name(base + b"/notes/\xff\xfe.md", b"# Notes\n")
    write_bytes_name(base + b"/data/\x80\x81.csv", b"a,b\n1,2\n")
    return root


def many_files(root: Path, count: int) -> Path:
    """`count` empty files, ten to a folder named like a course week (so the course-folder
    logic meets thousands of places), made with bare `os.open` calls to stay fast."""
    root.mkdir(parents=True, exist_ok=True)
    base = os.fsencode(root)
    for folder_number in range(count // 10):
        folder = base + b"/week%d" % folder_number
        Path(os.fsdecode(folder)).mkdir()
        for number in range(10):
            os.close(os.open(folder + b"/f%d.txt" % number, os.O_WRONLY | os.O_CREAT, 0o644))
    (root / "README.md").write_text("# Many files\n")
    return root


def findings_by_path(report: Mapping[str, object]) -> dict[str, list[str]]:
    """The JSON report's findings, grouped by path."""
    grouped: dict[str, list[str]] = {}
    findings = report.get("findings")
    assert isinstance(findings, list)
    for finding in findings:
        assert isinstance(finding, dict)
        grouped.setdefault(str(finding["path"]), []).append(str(finding["message"]))
    return grouped


def craft_index(root: Path, paths: Sequence[str], blob: str) -> None:
    """Write `.git/index` by hand (version 2), naming `paths` that git itself would refuse
    (`../x`): the kind of index a hostile archive of a repository could ship."""

    def entry(name: bytes) -> bytes:
        fields = struct.pack(">10I", 0, 0, 0, 0, 0, 0, 0o100644, 0, 0, 0)
        record = fields + bytes.fromhex(blob) + struct.pack(">H", len(name)) + name
        return record + b"\0" * (8 - len(record) % 8)

    names = sorted(path.encode() for path in paths)
    body = b"DIRC" + struct.pack(">II", 2, len(names)) + b"".join(map(entry, names))
    (root / ".git" / "index").write_bytes(body + hashlib.sha1(body).digest())


def dotdot_commit(root: Path, content: str) -> str:
    """A commit whose tree holds a folder named `..` with `evil.md` in it: `git ls-tree -r`
    then names `../evil.md`. `git mktree` accepts `..` as a name; checkout would refuse."""
    blob = git(root, "hash-object", "-w", "--stdin", input_text=content).strip()
    inner = git(root, "mktree", input_text=f"100644 blob {blob}\tevil.md\n").strip()
    readme = git(root, "hash-object", "-w", "--stdin", input_text="# fine\n").strip()
    tree = git(
        root, "mktree", input_text=f"040000 tree {inner}\t..\n100644 blob {readme}\tREADME.md\n"
    ).strip()
    return git(root, "commit-tree", tree, "-m", "dotdot").strip()


def deep_tree(root: Path, depth: int, content: bytes) -> str:
    """Folders `depth` levels deep with one Python file at the bottom, made through folder
    descriptors (no path grows past what the system allows while building). Its path."""
    root.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=descriptor)
            inner = os.open("d", os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        handle = os.open("deep.py", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(handle, content)
        os.close(handle)
    finally:
        os.close(descriptor)
    return "d/" * depth + "deep.py"


def remove_deep_tree(root: Path, depth: int) -> None:
    """Undo `deep_tree` without recursion (shutil.rmtree recurses once per level)."""
    descriptors = [os.open(root, os.O_RDONLY)]
    try:
        for _ in range(depth):
            descriptors.append(os.open("d", os.O_RDONLY, dir_fd=descriptors[-1]))
        os.unlink("deep.py", dir_fd=descriptors[-1])
        for level in range(depth, 0, -1):
            os.close(descriptors.pop())
            os.rmdir("d", dir_fd=descriptors[level - 1])
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def git_blob_bomb(root: Path, size: int) -> str:
    """A loose blob of `size` zero bytes written straight into the object store, where it
    takes a few megabytes: a zip bomb in git form. Its id. The zlib stream is the header,
    then one block of 1 MiB of zeros repeated (each block is self-contained after a full
    flush), then the end; the checksum of zeros is computed, not accumulated."""
    chunk = 1 << 20
    assert size % chunk == 0
    header = b"blob %d\0" % size
    start = zlib.compressobj(1, zlib.DEFLATED, -15)
    prefix = start.compress(header) + start.flush(zlib.Z_FULL_FLUSH)
    zeros = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = zeros.compress(bytes(chunk)) + zeros.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(1, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    adler = zlib.adler32(header)
    low, high = adler & 0xFFFF, adler >> 16
    high = (high + size * low) % 65521  # each zero byte adds the running sum to `high`
    digest = hashlib.sha1(header)
    empty = bytes(chunk)
    for _ in range(size // chunk):
        digest.update(empty)
    blob = digest.hexdigest()
    stream = b"\x78\x01" + prefix + block * (size // chunk) + end
    target = root / ".git" / "objects" / blob[:2] / blob[2:]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(stream + struct.pack(">I", (high << 16) | low))
    return blob


def commit_with_files(root: Path, files: Mapping[str, str]) -> str:
    """A commit (not checked out) whose tree holds `files`, path -> blob id."""
    folders: dict[str, dict[str, tuple[str, str]]] = {"": {}}
    for path, blob in files.items():
        parent, _, name = path.rpartition("/")
        folders.setdefault(parent, {})[name] = ("100644 blob", blob)
    for folder in sorted(folders, key=lambda name: -name.count("/") if name else 1):
        if not folder:
            continue
        listing = "".join(
            f"{mode} {sha}\t{name}\n" for name, (mode, sha) in folders[folder].items()
        )
        tree = git(root, "mktree", input_text=listing).strip()
        parent, _, name = folder.rpartition("/")
        folders.setdefault(parent, {})[name] = ("040000 tree", tree)
    listing = "".join(f"{mode} {sha}\t{name}\n" for name, (mode, sha) in folders[""].items())
    tree = git(root, "mktree", input_text=listing).strip()
    return git(root, "commit-tree", tree, "-m", "bomb").strip()
