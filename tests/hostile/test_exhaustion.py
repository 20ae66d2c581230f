"""Resource exhaustion: every bomb is bounded in time and memory, and reported as a
finding where it should be.

The repository of bombs is scanned by the installed command in a child process limited to
1.5 GB of address space (RLIMIT_AS) and a timeout: a 1 GiB sparse file, notebooks of 5 and
50 MB of outputs, Python nested past the parser's limits, a 10 MB line, a 5,000-line
literal, YAML alias and nesting bombs, TOML and JSON nesting bombs, a TOML dotted-key bomb,
zip and gzip bombs posing as data, invalid UTF-8 contents and file names, and binary data
named `.py`. Files shaped to make a quadratic algorithm take hours are timed one by one.
"""

from __future__ import annotations

import ast
import bz2
import gzip
import json
import lzma
import os
import shutil
import tarfile
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from portfolio_check.analyzers import (
    ci_github_actions,
    ci_other_systems,
    configs,
    makefiles,
    markdown,
    script_activity,
)
from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.coursework import CourseworkListingAnalyzer
from portfolio_check.analyzers.provenance import ProvenanceAnalyzer
from portfolio_check.analyzers.python import CodeFacts, PythonAnalyzer, code_facts
from portfolio_check.analyzers.runner import file_analyzers
from portfolio_check.analyzers.secrets import MAX_PER_FILE, SecretsAnalyzer
from portfolio_check.analyzers.task_graph import follow_tasks
from portfolio_check.app.scan import ScanOptions, scan
from portfolio_check.intake.snapshot import EntryKind, FileEntry, Snapshot
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Fact, PythonModuleFact, SourceFileFact
from portfolio_check.model.location import Location
from portfolio_check.report import FORMATS, render
from tests.hostile import corpus
from tests.repos import RepoBuilder

#: Seconds one analyzer may take on one file shaped to be quadratic. Each took from 15 s to
#: hours before it was made linear; each takes well under a second now.
QUADRATIC_BUDGET = 5.0


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus.exhaustion_repo(tmp_path_factory.mktemp("bombs") / "repo")


@pytest.fixture(scope="module")
def bomb_scan(bombs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The command's JSON report of the bombs, scanned under RLIMIT_AS and a timeout."""
    work = tmp_path_factory.mktemp("bomb-report")
    started = time.monotonic()
    result = corpus.run_cli(
        [bombs, "--format", "json", "--output", work / "report.json", "--quiet"],
        cwd=work,
        limit_memory=True,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stderr == ""
    report: dict[str, Any] = json.loads((work / "report.json").read_text(encoding="utf-8"))
    report["_elapsed"] = elapsed
    return report


def test_the_bombs_scan_in_bounded_time_and_memory(bomb_scan: dict[str, Any]) -> None:
    assert bomb_scan["_elapsed"] < corpus.SCAN_TIMEOUT
    assert bomb_scan["schema_version"] == "1"
    assert bomb_scan["history"]["commits"] == 1
    assert bomb_scan["provenance"] is not None  # every bomb went through provenance too


@pytest.mark.parametrize("expected", corpus.EXHAUSTION, ids=lambda e: e.path)
def test_each_bomb_is_analysed_or_reported(
    bomb_scan: dict[str, Any], expected: corpus.Expectation
) -> None:
    findings = corpus.findings_by_path(bomb_scan).get(expected.path, [])
    if expected.finding is None:
        assert findings == []
    else:
        assert any(expected.finding in message for message in findings), findings


def test_the_large_notebook_under_the_limit_is_measured(bomb_scan: dict[str, Any]) -> None:
    notebooks = {item["path"]: item for item in bomb_scan["notebooks"]}
    problems = " ".join(notebooks["notebooks/outputs-5mb.ipynb"]["problems"])
    assert "MB of outputs" in problems


@pytest.fixture
def no_decompression(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way the standard library opens a compressed file, made to record its use."""
    calls: list[str] = []

    def recorder(name: str) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise AssertionError(f"{name} was called during a scan")

        return record

    for module, names in (
        (gzip, ("open", "decompress", "GzipFile")),
        (zipfile, ("ZipFile", "is_zipfile")),
        (zlib, ("decompress", "decompressobj")),
        (tarfile, ("open", "TarFile")),
        (bz2, ("open", "decompress", "BZ2File")),
        (lzma, ("open", "decompress", "LZMAFile")),
    ):
        for name in names:
            monkeypatch.setattr(module, name, recorder(f"{module.__name__}.{name}"))
    yield calls


def test_archives_posing_as_data_are_never_decompressed(
    tmp_path: Path, no_decompression: list[str]
) -> None:
    root = tmp_path / "repo"
    corpus.gzip_bomb(root / "data/train.csv.gz", 2 * corpus.GIB)
    corpus.gzip_bomb(root / "data/model.pkl.gz", 64 << 20)
    (root / "data/train.csv").write_bytes((root / "data/train.csv.gz").read_bytes()[:4096])
    (root / "data/train.zip").write_bytes(b"PK\x03\x04" + bytes(4096))
    (root / "data/images.tar.gz").write_bytes((root / "data/model.pkl.gz").read_bytes())
    (root / "data/train.parquet.bz2").write_bytes(b"BZh9" + bytes(64))
    card = scan(root)
    assert card.target.files == 6
    for output_format in FORMATS:
        render(card, output_format)
    assert no_decompression == []


def test_a_blob_that_inflates_to_gigabytes_is_never_read_whole(
    tmp_path: Path, outside: Path
) -> None:
    """The base of a pull request is read from git objects. A 2 GiB blob of zeros takes
    2 MB there; sniffing the header of `data/train.csv` used to load all of it (GitPython
    reads a whole object, even to skip it): a MemoryError under the 1.5 GB limit."""
    repo = RepoBuilder(tmp_path / "repo")
    repo.files({"README.md": "# model\n", "src/app.py": "import os\n"}).commit("first")
    bomb = corpus.git_blob_bomb(repo.root, 2 * corpus.GIB)
    assert int(corpus.git(repo.root, "cat-file", "-s", bomb)) == 2 * corpus.GIB
    readme = corpus.git(repo.root, "rev-parse", "HEAD:README.md").strip()
    base = corpus.commit_with_files(
        repo.root, {"README.md": readme, "data/train.csv": bomb, "src/model.py": bomb}
    )
    result = corpus.run_cli(
        ["github", repo.root, "--base", base, "--no-comment", "--report-dir", outside,
         "--markdown", outside / "comment.md"],
        cwd=outside,
        limit_memory=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "against the base" in result.stderr
    card = scan(repo.root, options=ScanOptions(revision=base))
    assert [f.message for f in card.findings if f.path == "src/model.py"] == [
        "not analysed: too large (2,147,483,648 bytes)"
    ]


def test_names_that_are_not_utf8_are_reported_with_a_replacement_character(
    tmp_path: Path,
) -> None:
    """Undecodable names are listed (as surrogates) and written as U+FFFD: before, every
    report but SARIF failed to encode."""
    base = bytes(tmp_path) + b"/repo"
    corpus.write_bytes_name(base + b"/src/caf\xe9.py", b"def f(:\n")  # a finding names it
    corpus.write_bytes_name(base + b"/notes/\xff\xfe.md", b"# Notes\n")
    corpus.write_bytes_name(base + b"/ok.py", b"import os\n")
    root = tmp_path / "repo"
    assert {entry.path for entry in open_target(root)} == {
        "ok.py",
        "notes/\udcff\udcfe.md",
        "src/caf\udce9.py",
    }
    card = scan(root)
    for output_format in FORMATS:
        report = render(card, output_format)
        report.encode("utf-8")  # raised UnicodeEncodeError before
        if output_format == "sarif":  # SARIF percent-encodes the original bytes instead
            continue
        if output_format not in corpus.SCORE_ONLY_FORMATS:  # a badge names no file
            assert "caf\ufffd.py" in report, output_format
    assert "src/caf%E9.py" in render(card, "sarif")


def test_special_files_and_deep_trees_are_never_opened(tmp_path: Path) -> None:
    """FIFOs where a README and manifests should be (opening one would block forever),
    links to /dev/zero and /dev/urandom, and folders 1,500 deep (os.walk's recursion
    overflowed past about 990, an internal error before)."""
    root = tmp_path / "repo"
    deep = corpus.deep_tree(root, 1_500, b"def f(:\n")  # a syntax error: a finding names it
    for name in ("README.md", "requirements.txt", "data.csv", "analysis.ipynb"):
        os.mkfifo(root / name)
    (root / "model.py").symlink_to("/dev/zero")
    (root / "train.csv").symlink_to("/dev/urandom")
    started = time.monotonic()
    try:
        card = scan(root)
    finally:
        corpus.remove_deep_tree(root, 1_500)
    assert time.monotonic() - started < 30
    assert card.target.files == 7
    findings = {finding.path: finding.message for finding in card.findings}
    for name in ("README.md", "requirements.txt", "analysis.ipynb"):
        assert findings[name] == "not analysed: not a regular file"
    assert findings[deep].startswith("syntax error")


@pytest.fixture
def memory_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (/dev/shm) where the machine has one: making 100,000 files on a
    busy disk can take half a minute, in memory two seconds. Removed afterwards."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="portfolio-check-hostile-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_hundred_thousand_files_are_scanned_not_stuck(memory_folder: Path, outside: Path) -> None:
    """100,000 empty files in 10,000 course-like folders: the listing, the course-folder
    logic (quadratic in the folders before: it never finished) and the rubric's globs over
    every file. A hang guard, not a speed test: the time is benchmarks/run.py's to measure;
    the scan must finish within the hostile suite's scan timeout and under its memory limit."""
    root = corpus.many_files(memory_folder / "repo", 100_000)
    result = corpus.run_cli(
        [root, "-f", "text", "-o", "-"], cwd=outside, limit_memory=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "(100,001 files)" in result.stdout


def test_a_five_thousand_line_literal_is_analysed_quickly() -> None:
    """radon's raw analysis is quadratic in the lines of one statement; the analyzer counts
    lines from the tokens instead, and still runs radon's complexity and maintainability."""
    source = "TABLE = [\n" + "    (1, 'a', 2.5, None),\n" * 5_000 + "]\n"
    entry = FileEntry(path="src/table.py", size=len(source), kind=EntryKind.FILE)
    started = time.perf_counter()
    facts = list(PythonAnalyzer().analyze(entry, source, _context()))
    elapsed = time.perf_counter() - started
    (module,) = [fact for fact in facts if isinstance(fact, PythonModuleFact)]
    assert not module.parse_error
    assert module.sloc == 5_002 and module.lines == 5_002
    assert module.maintainability is not None
    assert elapsed < 2.0


def _context() -> AnalysisContext:
    return AnalysisContext(layout=ProjectLayout())


def _analyzed(path: str, text: str) -> Callable[[], list[Fact]]:
    """Every analyzer that wants `path`, run on `text`."""
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzers = [analyzer for analyzer in file_analyzers(_context()) if analyzer.wants(entry)]
    assert analyzers
    return lambda: [f for analyzer in analyzers for f in analyzer.analyze(entry, text, _context())]


def _secrets_scanned(path: str, text: str) -> Callable[[], list[Fact]]:
    """The secret scan alone; the file analysed (a finding-free list is still an answer)."""
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzer = SecretsAnalyzer()
    assert analyzer.wants(entry)

    def work() -> list[Fact]:
        facts = list(analyzer.analyze(entry, text, _context()))
        assert len(facts) <= MAX_PER_FILE
        return [*facts, SourceFileFact(location=Location(path=path), size=len(text))]

    return work


def _fingerprinted(path: str, text: str) -> Callable[[], list[Fact]]:
    """The provenance analyzer alone, with the index that ships."""
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    analyzer = ProvenanceAnalyzer()
    assert analyzer.wants(entry)
    return lambda: list(analyzer.analyze(entry, text, _context()))


def _keyed(count: int, parent: str | None, value: str, spec: object) -> tuple[str, object]:
    """YAML text with `count` keys (under `parent:`), and the document it parses to, built
    directly: the part under test is finding each key's line, not the YAML parser."""
    indent = "  " if parent else ""
    lines = "".join(f"{indent}k{n}: {value}\n" for n in range(count))
    keys = {f"k{n}": spec for n in range(count)}
    if parent is None:
        return lines, keys
    return f"{parent}:\n{lines}", {parent: keys}


def _configs(count: int, parent: str | None, value: str, spec: object, facts: Any) -> Any:
    text, document = _keyed(count, parent, value, spec)
    return lambda: list(facts("x.yml", text, document))


def _hooks(count: int) -> Callable[[], list[Fact]]:
    """Hook ids written as folded scalars: no line matches, so each search used to run to
    the end of the file."""
    text = "repos:\n- repo: local\n  hooks:\n" + "".join(
        f"  - id: >-\n      hook{n}\n" for n in range(count)
    )
    document = {"repos": [{"repo": "local", "hooks": [{"id": f"hook{n}"} for n in range(count)]}]}
    return lambda: list(configs.precommit_facts(".pre-commit-config.yaml", text, document))


def _tests(count: int) -> Callable[[], list[Fact]]:
    source = "".join(f"def test_{n}():\n    check({n})\n" for n in range(count))
    tree = ast.parse(source)

    def run() -> list[Fact]:
        sink = CodeFacts(path="tests/test_many.py", scope="test", context=_context())
        return code_facts(tree, sink)

    return run


def _followed_makefile(targets: int, fan_out: int) -> Callable[[], list[Fact]]:
    """Targets that each name dozens of others as prerequisites: every target used to
    walk most of the file, through the linker's task graph."""
    text = "".join(
        f"t{n}: " + " ".join(f"t{(n * 7 + k) % targets}" for k in range(fan_out)) + "\n\tpytest\n"
        for n in range(targets)
    )
    entry = FileEntry(path="Makefile", size=len(text), kind=EntryKind.FILE)
    snapshot = Snapshot(root=Path("/"), entries=(entry,))
    return lambda: follow_tasks(list(makefiles.make_target_facts("Makefile", text)), snapshot)


def _notes_notebook(count: int) -> str:
    """Markdown cells that quote numbers, each beside a code cell that prints metrics."""
    output = {"output_type": "stream", "name": "stdout", "text": "accuracy 0.91 f1 0.87\n"}
    cells: list[dict[str, Any]] = []
    for _ in range(count):
        cells.append({"cell_type": "markdown", "metadata": {}, "source": "F1 is 0.87 vs 0.5."})
        cells.append(
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "source": "print(report)",
                "outputs": [output],
            }
        )
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _headings(count: int) -> Callable[[], list[Fact]]:
    text = "# a\n" + "## b\n### c\n" * (count // 2)
    return lambda: list(markdown.parse(text).sections())  # type: ignore[arg-type]


STEP = {"runs-on": "x", "steps": [{"run": "pytest"}]}
#: Each took from 15 s to hours before (measured on the reference machine), and each runs
#: in well under a second now.
QUADRATIC: dict[str, Callable[[], Callable[[], list[Any]]]] = {
    "conda-5k-deps": lambda: _analyzed(
        "environment.yml", "dependencies:\n" + "".join(f"  - pkg{n}\n" for n in range(5_000))
    ),
    "setup-cfg-10k-deps": lambda: _analyzed(
        "setup.cfg",
        "[options]\ninstall_requires =\n" + "".join(f"    pkg{n}\n" for n in range(10_000)),
    ),
    "poetry-8k-deps": lambda: _analyzed(
        "pyproject.toml",
        "[tool.poetry.dependencies]\n" + "".join(f'pkg{n} = "1"\n' for n in range(8_000)),
    ),
    "pyproject-10k-deps": lambda: _analyzed(
        "pyproject.toml",
        "[project]\ndependencies = [\n" + "".join(f'"p{n}",\n' for n in range(10_000)) + "]\n",
    ),
    "requirements-blank-lines": lambda: _analyzed("requirements.txt", "\n" * 100_000 + "x\n"),
    "requirements-100k-continuations": lambda: _analyzed(
        "requirements.txt", "numpy==1 \\\n" * 100_000 + "\npandas==2\n"
    ),
    "requirements-100k-includes": lambda: _analyzed(
        "requirements/dev.in", "".join(f"-r base{n}.txt\n" for n in range(100_000)) + "x\n"
    ),
    "requirement-line-of-spaces": lambda: _analyzed(
        "requirements.txt", "numpy" + " " * 200_000 + "=\npandas==2\n"
    ),
    "conda-item-of-spaces": lambda: _analyzed(
        "environment.yml", "dependencies:\n  - 'numpy" + " " * 200_000 + "x'\n  - pandas\n"
    ),
    "pip-compile-header-of-inputs": lambda: _analyzed(
        "requirements.txt",
        "#    pip-compile " + "a.in " * 100_000 + "\npandas==2\n    # via x\n",
    ),
    "toml-dotted-key": lambda: _analyzed("pyproject.toml", "a." * 200_000 + "b = 1\n"),
    "workflow-8k-jobs": lambda: _configs(8_000, "jobs", "{}", STEP, ci_github_actions.github_facts),
    "compose-8k-services": lambda: _configs(
        8_000, "services", "{image: x}", {"image": "x"}, configs.compose_facts
    ),
    "dvc-5k-stages": lambda: _configs(
        5_000, "stages", "{cmd: x}", {"cmd": "python train.py"}, configs.dvc_facts
    ),
    "gitlab-4k-jobs": lambda: _configs(
        4_000, None, "{script: [x]}", {"script": ["pytest"]}, ci_other_systems.gitlab_facts
    ),
    "precommit-5k-unfindable-ids": lambda: _hooks(5_000),
    "dockerfile-unclosed-string": lambda: (
        lambda: [configs.dockerfile_fact("Dockerfile", 'CMD ["' + '\\"' * 30_000)]
    ),
    "readme-100k-headings": lambda: _headings(100_000),
    "cloudformation-5k-resources": lambda: _analyzed(
        "template.yaml",
        "Resources:\n"
        + "".join(
            f"  F{n}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            f"      Handler: app.h{n}\n"
            for n in range(5_000)
        ),
    ),
    "serverless-5k-functions": lambda: _analyzed(
        "serverless.yml",
        "functions:\n" + "".join(f"  f{n}:\n    handler: h.f{n}\n" for n in range(5_000)),
    ),
    "template-lookalike-blank-lines": lambda: _analyzed(
        "stack.yaml", "Resources:\n" + " \n" * 200_000 + "  Bucket:\n    Type: AWS::S3::Bucket\n"
    ),
    "deploy-commands-without-a-verb": lambda: (
        lambda: [
            script_activity.script_activity(
                [
                    "terraform" + " -x" * 50_000,
                    "docker " * 50_000,
                    "huggingface.co/spaces " * 20_000,
                ]
            )
        ]
    ),
    "makefile-3k-targets-fanning-out": lambda: _followed_makefile(3_000, 60),
    "jenkinsfile-20k-stages": lambda: _analyzed(
        "Jenkinsfile", "".join(f"stage('s{n}') {{ sh 'pytest' }}\n" for n in range(20_000))
    ),
    "jenkinsfile-unclosed-script": lambda: _analyzed(
        "Jenkinsfile", "sh '''" + "pytest\n" * 200_000
    ),
    "justfile-20k-recipes": lambda: _analyzed(
        "justfile", "".join(f"r{n}: r{n + 1}\n  pytest\n" for n in range(20_000))
    ),
    "script-100k-invocations": lambda: _analyzed("ci/run.sh", "make test && ./x.sh\n" * 100_000),
    # nested launchers used to recurse (a thousand overflowed the stack), and each
    # prefix (`sudo -E`) copied the rest of the command
    "script-nested-launchers": lambda: _analyzed(
        "ci/run.sh",
        "docker run img " * 5_000 + "pytest\n" + "coverage run -m " * 3_000 + "x\n"
        "sudo -E " * 40_000 + "x\n",
    ),
    # markdown-it-py's block parser costs tens of microseconds a token: dense documents,
    # one token every few characters, are bounded by the lines and cells it is given
    "readme-500k-list-items": lambda: _analyzed("README.md", "# Notes\n" + "- a\n" * 500_000),
    "readme-170k-table-rows": lambda: _analyzed(
        "README.md", "# Results\n\n| F1 | x |\n|---|---|\n" + "| 0.5 | 1 |\n" * 170_000
    ),
    "readme-5k-column-table": lambda: _analyzed(
        "README.md",
        "# Results\n\n|"
        + "F1|" * 5_000
        + "\n|"
        + "-|" * 5_000
        + "\n"
        + ("|" + "1.0|" * 5_000 + "\n") * 50,
    ),
    "readme-1m-brackets": lambda: _analyzed("README.md", "# Results\n\n" + "![" * 1_000_000),
    "readme-deep-quotes-and-lists": lambda: _analyzed(
        "README.md",
        "# Notes\n\n"
        + "> " * 100_000
        + "\n"
        + "".join("  " * (n % 100) + "- x\n" for n in range(8_000)),
    ),
    "readme-one-statement-of-numbers": lambda: _analyzed(
        "README.md", "## Results\n\n" + "F1 ~0.5 vs 0.6 - " * 100_000
    ),
    "notebook-5k-notes-beside-metrics": lambda: _analyzed(
        "notebooks/eval.ipynb", _notes_notebook(5_000)
    ),
    "test-module-20k-tests": lambda: _tests(20_000),
    # the secret scan: detect-secrets' keyword patterns are cubic in the length of a line
    # that repeats a secret-sounding name, one of its filters is quadratic, and each value
    # found costs the filters: lines are cut, and values examined per file are capped
    "secrets-2k-lines-of-secret-names": lambda: _secrets_scanned(
        "settings.py", ("secret_key: " + "secret_" * 130 + "\n") * 2_000
    ),
    "secrets-2k-lines-of-password-words": lambda: _secrets_scanned(
        ".env", ("secret_key= " + "password" * 130 + "\n") * 1_900
    ),
    "secrets-2k-long-token-lines": lambda: _secrets_scanned(
        "config.yaml", ("AKIAZ3MSJV4WWQ2ZZ5LX " + "a" * 900 + "\n") * 2_000
    ),
    "secrets-60k-private-key-headers": lambda: _secrets_scanned(
        "keys.md", "-----BEGIN RSA PRIVATE KEY-----\n" * 60_000
    ),
    "secrets-notebook-50k-cells-of-tokens": lambda: _secrets_scanned(
        "notebooks/keys.ipynb",
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "source": f'api_key = "sk{n:030d}Zq9Xw8Vu7"\n'}
                    for n in range(50_000)
                ]
            }
        ),
    ),
    # provenance: every file of code or text is fingerprinted and looked up in the index
    "fingerprint-notebook-50k-cells": lambda: _fingerprinted(
        "notebooks/cells.ipynb",
        json.dumps(
            {"cells": [{"cell_type": "code", "source": f"x{n} = {n}\n"} for n in range(50_000)]}
        ),
    ),
    "fingerprint-250k-of-distinct-names": lambda: _fingerprinted(
        "src/names.py", "".join(f"n{n} = m{n}\n" for n in range(20_000))[: 250 * 1024]
    ),
    "fingerprint-250k-of-one-word": lambda: _fingerprinted("notes.md", "word " * 50_000),
}


@pytest.mark.parametrize("case", QUADRATIC, ids=str)
def test_files_shaped_to_be_quadratic_are_analysed_in_linear_time(case: str) -> None:
    work = QUADRATIC[case]()
    started = time.perf_counter()
    results = work()
    elapsed = time.perf_counter() - started
    assert elapsed < QUADRATIC_BUDGET, f"{elapsed:.1f} s"
    assert results


def test_thousands_of_course_folders_are_listed_in_linear_time(tmp_path: Path) -> None:
    """Each course folder used to be compared with every other one."""
    entries = tuple(
        FileEntry(path=f"week{n}/lab{n}/notes.txt", size=1, kind=EntryKind.FILE)
        for n in range(30_000)
    )
    snapshot = Snapshot(root=tmp_path, entries=entries)
    started = time.perf_counter()
    facts = list(CourseworkListingAnalyzer().analyze_listing(snapshot, _context()))
    elapsed = time.perf_counter() - started
    folders = [fact for fact in facts if fact.kind == "course_folder"]
    assert len(folders) == 30_000 and elapsed < QUADRATIC_BUDGET


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (".portfolio-check.yaml", "exclude: " + corpus.yaml_alias_bomb().replace("\n", "\n  ")),
        (".portfolio-check.yml", corpus.yaml_many_aliases()),
        ("pyproject.toml", "[tool.portfolio-check]\n" + "a." * 100_000 + "b = 1\n"),
        ("pyproject.toml", "[tool.portfolio-check]\nexclude = " + "[" * 50_000 + "]" * 50_000),
    ],
    ids=["yaml-expansion", "yaml-aliases", "toml-dotted-key", "toml-nesting"],
)
def test_a_repository_config_bomb_is_ignored_with_a_note(
    tmp_path: Path, name: str, content: str
) -> None:
    RepoBuilder(tmp_path, git=False).write("app.py", "import os\n").write(name, content)
    started = time.perf_counter()
    card = scan(tmp_path)
    assert time.perf_counter() - started < QUADRATIC_BUDGET
    assert card.target.files == 2
    assert any("ignored" in note for note in card.target.notes), card.target.notes
