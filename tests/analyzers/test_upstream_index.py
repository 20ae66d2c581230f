"""The upstream index: built from a manifest and git mirrors by scripts/build_upstream_index.py,
read by analyzers/upstream_index.py. Synthetic upstreams (real git repositories) stand for
a course starter, a tutorial notebook and a template; the tests look copies of them up the
way a scan does: fingerprint a file, then `by_exact` and `near`."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from portfolio_check.analyzers.fingerprints import fingerprint
from portfolio_check.analyzers.upstream_index import (
    GRAMS_FILE,
    INDEX_FILE,
    UPSTREAMS_DIR,
    UpstreamIndex,
    author_key,
    content_digest,
    load_index,
    upstream_index,
)
from tests.repos import GIT_IDENTITY, RepoBuilder
from tests.scripts import SCRIPTS, load_script
from tests.upstreams import OWN_CODE, STARTER_MODEL

HEADER = "repo\tsha\tfamily\tkind\tnote\n"

# what a learner commits: names changed, layout reflowed, one function rewritten
LEARNER_MODEL = (
    STARTER_MODEL.replace("X_train", "features")
    .replace("y_train", "labels")
    .replace("n_estimators=100, random_state=42", "n_estimators=300,\n        random_state=7")
    .replace(
        '    """Run model inferences and return the predictions."""\n    return model.predict(X)',
        "    probabilities = model.predict_proba(X)[:, 1]\n    return (probabilities > 0.4).astype(int)",
    )
    .replace("\n\n\n", "\n\n")
)
TUTORIAL_CODE = """
train_data = pd.read_csv("/kaggle/input/titanic/train.csv")
women = train_data.loc[train_data.Sex == 'female']["Survived"]
rate_women = sum(women)/len(women)
print("% of women who survived:", rate_women)
men = train_data.loc[train_data.Sex == 'male']["Survived"]
rate_men = sum(men)/len(men)
print("% of men who survived:", rate_men)
y = train_data["Survived"]
features = ["Pclass", "Sex", "SibSp", "Parch"]
X = pd.get_dummies(train_data[features])
model = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=1)
model.fit(X, y)
"""
SHARED_SETUP = """
from setuptools import find_packages, setup

HYPHEN_E_DOT = "-e ."


def get_requirements(file_path):
    with open(file_path) as file_obj:
        requirements = [line.replace("\\n", "") for line in file_obj.readlines()]
    if HYPHEN_E_DOT in requirements:
        requirements.remove(HYPHEN_E_DOT)
    return requirements


setup(name="{name}", version="0.0.1", packages=find_packages(), install_requires=get_requirements("requirements.txt"))
"""


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return load_script("build_upstream_index", SCRIPTS)


def mirror(mirrors: Path, repo: str, files: dict[str, str], message: str = "starter") -> str:
    """A git repository laid out as `fetch` brings it (`owner+name/repo`); its head commit."""
    owner, _, name = repo.partition("/")
    builder = RepoBuilder(mirrors / f"{owner}+{name}" / "repo").files(files)
    return builder.commit(message, date="2024-04-18T10:00:00+00:00").head()


def write_manifest(folder: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = folder / "manifest.tsv"
    lines = [f"{repo}\t{sha}\t{family}\t{kind}\tsynthetic\n" for repo, sha, family, kind in rows]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def built_index(
    build: ModuleType, folder: Path, mirrors: Path, learned: Path | None = None
) -> UpstreamIndex:
    index, grams = build.build(folder / "manifest.tsv", learned or folder / "learned.tsv", mirrors)
    out = folder / "out"
    out.mkdir(exist_ok=True)
    (out / INDEX_FILE).write_bytes(index)
    (out / GRAMS_FILE).write_bytes(grams)
    return load_index(out)


def best(index: UpstreamIndex, path: str, text: str) -> tuple[str, float] | None:
    """(upstream/path, share of the file's grams found there) of the closest indexed file."""
    found = fingerprint(path, text)
    assert found is not None and found.grams
    near = index.near(found.grams, limit=1)
    if not near:
        return None
    indexed, shared = near[0]
    return f"{indexed.upstream.repo}/{indexed.path}", shared / len(found.grams)


@pytest.fixture
def starter_index(build: ModuleType, tmp_path: Path) -> UpstreamIndex:
    mirrors = tmp_path / "mirrors"
    sha = mirror(
        mirrors,
        "acme/census-starter",
        {
            "ml/model.py": STARTER_MODEL,
            "ml/__init__.py": '"""Census model."""\n',
            "LICENSE": "MIT License\n\nCopyright (c) 2024 Acme\n" * 20,
            ".gitignore": "__pycache__/\n*.pkl\n",
            "data/census.json": json.dumps({"rows": list(range(40_000))}),  # over 256 KiB
        },
    )
    write_manifest(tmp_path, [("acme/census-starter", sha, "Acme ML DevOps", "starter")])
    return built_index(build, tmp_path, mirrors)


def test_a_renamed_reformatted_and_partly_edited_copy_is_found(
    starter_index: UpstreamIndex,
) -> None:
    match = best(starter_index, "src/model.py", LEARNER_MODEL)
    assert match is not None
    where, share = match
    assert where == "acme/census-starter/ml/model.py"
    assert share >= 0.6
    upstream = starter_index.upstreams[0]
    assert (upstream.family, upstream.kind) == ("Acme ML DevOps", "starter")


def test_unrelated_code_is_not_found(starter_index: UpstreamIndex) -> None:
    match = best(starter_index, "recognizer/model.py", OWN_CODE)
    assert match is None or match[1] < 0.1


def test_a_file_copied_as_it_is_is_found_whatever_its_name(starter_index: UpstreamIndex) -> None:
    copied = fingerprint("census/training/model_utils.py", STARTER_MODEL.replace("\n", "\r\n"))
    assert copied is not None
    assert [f.path for f in starter_index.by_exact(copied.exact)] == ["ml/model.py"]


def test_licences_ignore_files_and_large_files_are_left_out_and_tiny_files_keep_their_text(
    starter_index: UpstreamIndex,
) -> None:
    paths = {indexed.path: indexed for indexed in starter_index.files}
    assert set(paths) == {"ml/model.py", "ml/__init__.py"}
    tiny = fingerprint("pkg/__init__.py", '"""Census model."""\n')
    assert tiny is not None
    assert starter_index.by_exact(tiny.exact) == [paths["ml/__init__.py"]]
    assert paths["ml/__init__.py"].grams == 0  # too small to compare in part


def test_the_same_manifest_and_mirrors_give_the_same_bytes(
    build: ModuleType, tmp_path: Path
) -> None:
    mirrors = tmp_path / "mirrors"
    rows = [
        ("acme/census-starter", mirror(mirrors, "acme/census-starter", {"ml/model.py": STARTER_MODEL}), "Acme", "starter"),
        ("kaggle/titanic", mirror(mirrors, "kaggle/titanic", {"tutorial.py": TUTORIAL_CODE}), "Kaggle", "tutorial"),
    ]  # fmt: skip
    write_manifest(tmp_path, rows)
    first = build.build(tmp_path / "manifest.tsv", tmp_path / "learned.tsv", mirrors)
    copied = tmp_path / "copied"
    shutil.copytree(mirrors, copied)
    second = build.build(tmp_path / "manifest.tsv", tmp_path / "learned.tsv", copied)
    assert first == second
    assert load_index_bytes(tmp_path / "check", *first).digest


def load_index_bytes(folder: Path, index: bytes, grams: bytes) -> UpstreamIndex:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / INDEX_FILE).write_bytes(index)
    (folder / GRAMS_FILE).write_bytes(grams)
    return load_index(folder)


def test_an_index_built_with_other_fingerprint_parameters_is_refused(
    starter_index: UpstreamIndex, tmp_path: Path
) -> None:
    assert starter_index  # the index as built is read
    source = tmp_path / "out"
    document = json.loads(gzip.decompress((source / INDEX_FILE).read_bytes()))
    document["parameters"]["window"] += 1
    changed = gzip.compress(json.dumps(document).encode())
    refused = load_index_bytes(tmp_path / "other", changed, (source / GRAMS_FILE).read_bytes())
    assert not refused
    assert refused.near(frozenset(range(1000))) == [] and refused.digest == ""


@pytest.mark.parametrize(
    "damage",
    [
        lambda index, grams: (index[:-20], grams),  # a cut-off gzip stream
        lambda index, grams: (index, gzip.compress(gzip.decompress(grams)[:-4])),  # short
        lambda index, grams: (b"not gzip", grams),
        lambda index, grams: (gzip.compress(b'{"version": 1, "files": "x"}'), grams),
    ],
)
def test_a_damaged_index_reads_as_no_index(
    starter_index: UpstreamIndex, tmp_path: Path, damage: object
) -> None:
    assert callable(damage)
    source = tmp_path / "out"
    index, grams = damage((source / INDEX_FILE).read_bytes(), (source / GRAMS_FILE).read_bytes())
    assert not load_index_bytes(tmp_path / "damaged", index, grams)


def test_a_file_number_past_the_files_is_refused(
    starter_index: UpstreamIndex, tmp_path: Path
) -> None:
    source = tmp_path / "out"
    table = bytearray(gzip.decompress((source / GRAMS_FILE).read_bytes()))
    table[-4:] = (len(starter_index.files)).to_bytes(4, "little")  # one past the last file
    index = (source / INDEX_FILE).read_bytes()
    assert not load_index_bytes(tmp_path / "bad", index, gzip.compress(bytes(table)))


def test_boilerplate_that_more_than_three_families_share_is_dropped(
    build: ModuleType, tmp_path: Path
) -> None:
    """The `setup.py` every end-to-end template carries tells no family from another; what
    only three families share still names them."""
    mirrors = tmp_path / "mirrors"
    families = ["Alpha", "Beta", "Gamma", "Delta"]
    rows = []
    for number, family in enumerate(families):
        files = {"setup.py": SHARED_SETUP.format(name=family.lower())}
        if number < 3:  # the census starter's model is in three families
            files["ml/model.py"] = STARTER_MODEL
        repo = f"{family.lower()}/template"
        rows.append((repo, mirror(mirrors, repo, files, message=family), family, "template"))
    write_manifest(tmp_path, rows)
    index = built_index(build, tmp_path, mirrors)
    setup = fingerprint("setup.py", SHARED_SETUP.format(name="mine"))
    model = fingerprint("model.py", STARTER_MODEL)
    assert setup is not None and model is not None
    assert setup.grams and setup.grams <= index.boilerplate
    assert index.near(setup.grams) == []
    assert {f.upstream.family for f, _ in index.near(model.grams)} == {"Alpha", "Beta", "Gamma"}


def test_material_in_three_unrelated_copies_is_learned_and_forks_count_once(
    build: ModuleType, tmp_path: Path
) -> None:
    mirrors = tmp_path / "mirrors"
    own = [OWN_CODE, STARTER_MODEL, SHARED_SETUP.format(name="x")]
    copies = []
    for number, learner in enumerate(["ann", "bob", "cy"]):
        files = {
            f"notebooks/titanic_{learner}.py": TUTORIAL_CODE.replace("rate_", f"{learner}_rate_"),
            "mine.py": own[number],
        }
        copies.append((learner, mirror(mirrors, f"{learner}/titanic", files, message=learner)))
    # a fork of ann's copy (same root commit) is not a third witness
    fork = mirrors / "dee+titanic" / "repo"
    subprocess.run(
        ["git", "clone", "-q", str(mirrors / "ann+titanic" / "repo"), str(fork)],
        check=True,
        env={**os.environ, **GIT_IDENTITY},
    )
    fork_sha = RepoBuilder(fork, git=False).head()
    learned = tmp_path / "learned.tsv"

    def learn_from(witnesses: list[tuple[str, str]]) -> UpstreamIndex:
        rows = "".join(f"titanic\t{who}/titanic\t{sha}\n" for who, sha in witnesses)
        learned.write_text("slug\trepo\tsha\n" + rows, encoding="utf-8")
        write_manifest(tmp_path, [("learned/titanic", "-", "Kaggle Titanic tutorial", "tutorial")])
        return built_index(build, tmp_path, mirrors, learned)

    tutorial = fingerprint("titanic.ipynb.py", TUTORIAL_CODE)
    assert tutorial is not None
    index = learn_from(copies)
    found = index.near(tutorial.grams, limit=1)
    assert found and found[0][1] >= 0.8 * len(tutorial.grams)
    assert found[0][0].upstream.repo == "learned/titanic"
    assert [f.path for f in index.files] == ["notebooks/titanic_ann.py"]
    for text in own:  # each learner's own file is in one copy only: not course material
        mine = fingerprint("mine.py", text)
        assert mine is not None
        assert sum(shared for _, shared in index.near(mine.grams)) < 0.1 * len(mine.grams)
    forked = learn_from([copies[0], ("dee", fork_sha), copies[1]])
    assert forked.near(tutorial.grams) == []


def test_a_cookiecutter_template_is_indexed_as_what_it_generates(
    build: ModuleType, tmp_path: Path
) -> None:
    mirrors = tmp_path / "mirrors"
    template = "{{ cookiecutter.repo_name }}"
    makefile = """
        .PHONY: clean data lint requirements

        PROJECT_NAME = {{ cookiecutter.repo_name }}
        PYTHON_INTERPRETER = {{ cookiecutter.python_interpreter }}

        ## Install Python Dependencies
        requirements: test_environment
        \t$(PYTHON_INTERPRETER) -m pip install -U pip setuptools wheel
        \t$(PYTHON_INTERPRETER) -m pip install -r requirements.txt

        ## Make Dataset
        data: requirements
        \t$(PYTHON_INTERPRETER) src/data/make_dataset.py data/raw data/processed
        {% if cookiecutter.python_interpreter == 'python3' %}
        ## Lint using flake8
        lint:
        \tflake8 src
        {% endif %}
    """
    sha = mirror(
        mirrors,
        "drivendata/cookiecutter-data-science",
        {
            f"{template}/Makefile": makefile,
            f"{template}/src/data/make_dataset.py": STARTER_MODEL,
            "hooks/post_gen_project.py": OWN_CODE,  # the generator's own code
            "cookiecutter.json": '{"repo_name": "project"}',
        },
    )
    write_manifest(
        tmp_path,
        [("drivendata/cookiecutter-data-science", sha, "cookiecutter-data-science v1", "template")],
    )
    index = built_index(build, tmp_path, mirrors)
    assert sorted(f.path for f in index.files) == ["Makefile", "src/data/make_dataset.py"]
    generated = (
        makefile.replace("{{ cookiecutter.repo_name }}", "fraud_detection")
        .replace("{{ cookiecutter.python_interpreter }}", "python3")
        .replace("{% if cookiecutter.python_interpreter == 'python3' %}", "")
        .replace("{% endif %}", "")
    )
    match = best(index, "Makefile", generated)
    assert match is not None and match[0].endswith("/Makefile") and match[1] >= 0.75


def test_the_main_authors_of_an_upstream_are_recorded(build: ModuleType, tmp_path: Path) -> None:
    mirrors = tmp_path / "mirrors"
    builder = RepoBuilder(mirrors / "fsdl+labs" / "repo").files({"lab1.py": STARTER_MODEL})
    builder.commit("lab 1")
    for number in range(2, 60):  # Ada writes the labs; Bob fixes one typo
        builder.write(f"lab{number}.py", OWN_CODE.replace("256", str(number))).commit(
            f"lab {number}"
        )
    builder.write("README.md", "Labs for the course.\n")
    builder.git("add", "-A")
    builder.git("commit", "-q", "-m", "typo", "--author=Bob Typo <bob@example.com>")
    write_manifest(tmp_path, [("fsdl/labs", builder.head(), "Full Stack Deep Learning", "lab")])
    (upstream,) = built_index(build, tmp_path, mirrors).upstreams
    assert upstream.authors == (author_key("ADA@example.com "),)
    root = builder.git("rev-list", "--max-parents=0", "HEAD").strip()
    assert upstream.root == root


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("acme/starter\tabc123\tAcme\tstarter\tshort sha", "40-hex sha"),
        ("acme/starter\t" + "a" * 40 + "\tAcme\tnotebook\tbad kind", "kind must be one of"),
        ("acme/starter\t" + "a" * 40 + "\tAcme\tstarter", "5 tab-separated fields"),
    ],
)
def test_a_malformed_manifest_line_is_named(
    build: ModuleType, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "manifest.tsv"
    path.write_text(HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(build.BuildError, match=rf"manifest.tsv:2: .*{message}"):
        build.read_manifest(path)


def test_a_pinned_commit_missing_from_its_mirror_stops_the_build(
    build: ModuleType, tmp_path: Path
) -> None:
    mirrors = tmp_path / "mirrors"
    mirror(mirrors, "acme/starter", {"ml/model.py": STARTER_MODEL})
    write_manifest(tmp_path, [("acme/starter", "b" * 40, "Acme", "starter")])
    with pytest.raises(build.BuildError, match=r"acme/starter: commit b{40} cannot be read"):
        built_index(build, tmp_path, mirrors)


def test_the_packaged_index_is_built_from_the_packaged_manifest(build: ModuleType) -> None:
    """The shipped index and its manifest agree, so the index was rebuilt after every
    manifest edit; and it is read with this version's fingerprint parameters."""
    index = upstream_index()
    assert index is upstream_index()  # read once per process
    entries = build.read_manifest(UPSTREAMS_DIR / "manifest.tsv")
    assert [(e.repo, e.sha, e.family, e.kind) for e in entries] == [
        (u.repo, u.sha, u.family, u.kind) for u in index.upstreams
    ]
    assert len(entries) >= 40 and len({u.family for u in index.upstreams}) >= 15
    starter = next(
        u for u in index.upstreams if u.repo.endswith("Scalable-ML-Pipeline-with-FastAPI")
    )
    assert starter.kind == "starter" and len(starter.root) == 40
    assert index.digest == content_digest(UPSTREAMS_DIR)  # what the analysis cache keys on


def test_the_files_are_numbered_in_order_and_made_once(starter_index: UpstreamIndex) -> None:
    files = starter_index.files
    assert [indexed.id for indexed in files] == list(range(len(files)))
    assert files[-1] is files[len(files) - 1] is list(files)[-1]
    assert list(files[:2]) == [files[0], files[1]]
    with pytest.raises(IndexError):
        files[len(files)]
