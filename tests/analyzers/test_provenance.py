"""Provenance, file by file and for the whole repository: a copied, renamed or reformatted
starter file matches its upstream; a starter with its blanks filled in is an upstream file
the author changed; the author's own files match nothing; one boilerplate file shared with
a template does not make a copy of it; an upstream scanned as itself is not a copy."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.analyzers.provenance import COPY_SIMILARITY, MATCH_SIMILARITY
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import (
    CopiedFileFact,
    Facts,
    HistoryFact,
    OwnFileFact,
    UpstreamRepositoryFact,
)
from tests import repos
from tests.analyzers.test_history import commit_as
from tests.repos import RepoBuilder
from tests.upstreams import (
    STAFF_EMAIL,
    STARTER,
    STARTER_FILES,
    STARTER_MODEL,
    STARTER_WORKFLOW,
    TEMPLATE,
    TEMPLATE_FILES,
    Upstream,
    starter_upstream,
    template_upstream,
    use_index,
    write_index,
)

#: What a learner adds to the starter's model module: a threshold search and a slice report.
FILLED_IN = '''

def calibrated_threshold(model, X_valid, y_valid, target_precision=0.8):
    """The lowest threshold whose precision on the validation data reaches the target."""
    scores = model.predict_proba(X_valid)[:, 1]
    best = 1.0
    for threshold in sorted(set(scores), reverse=True):
        predicted = scores >= threshold
        if predicted.sum() == 0:
            continue
        precision = (y_valid[predicted] == 1).mean()
        if precision >= target_precision:
            best = threshold
    return best


def slice_report(data, categorical_features, label, encoder, lb, model):
    rows = []
    for feature in categorical_features:
        for value in sorted(data[feature].unique()):
            precision, recall, fbeta = performance_on_categorical_slice(
                data, feature, value, categorical_features, label, encoder, lb, model
            )
            rows.append(f"{feature}={value}: p {precision:.3f} r {recall:.3f} f1 {fbeta:.3f}")
    return "\\n".join(rows)
'''


@pytest.fixture
def starter_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_index(tmp_path / "index", [starter_upstream(), template_upstream()])
    use_index(monkeypatch, folder)
    return folder


def facts_of(root: Path) -> Facts:
    return analyze(open_target(root))


def copies(facts: Facts) -> dict[str, CopiedFileFact]:
    return {f.path: f for f in facts.of("copied_file") if isinstance(f, CopiedFileFact)}


def own(facts: Facts) -> dict[str, OwnFileFact]:
    return {f.path: f for f in facts.of("own_file") if isinstance(f, OwnFileFact)}


def test_a_starter_copied_whole_matches_it_file_by_file(
    tmp_path: Path, starter_index: Path
) -> None:
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    found = copies(facts_of(repo.root))
    assert set(found) == set(STARTER_FILES) - {"ml/__init__.py"}  # an empty file weighs nothing
    model = found["ml/model.py"]
    assert (model.upstream, model.family, model.material) == (STARTER, "Demo ML DevOps", "starter")
    assert (model.exact, model.copied, model.similarity, model.upstream_path) == (
        True,
        True,
        1.0,
        "ml/model.py",
    )
    assert model.lines == 42
    assert model.describe() == (
        "copied from coursera-demo/census-fastapi-starter (Demo ML DevOps starter): ml/model.py"
    )


def test_a_renamed_file_with_renamed_variables_is_still_a_copy(
    tmp_path: Path, starter_index: Path
) -> None:
    renamed = (
        STARTER_MODEL.replace("X_train", "features")
        .replace("y_train", "labels")
        .replace("n_estimators=100", "n_estimators=300")
        .replace("Trains a machine learning model and returns it.", "Fit the forest.")
    )
    repo = RepoBuilder(tmp_path / "renamed").files({"src/census/classifier.py": renamed})
    repo.commit("Model")
    copy = copies(facts_of(repo.root))["src/census/classifier.py"]
    assert not copy.exact and copy.copied
    assert copy.similarity >= COPY_SIMILARITY
    assert copy.upstream_path == "ml/model.py"


def test_a_reformatted_copy_is_the_same_text(tmp_path: Path, starter_index: Path) -> None:
    """Windows line ends, trailing spaces and extra blank lines change nothing."""
    reformatted = STARTER_WORKFLOW.replace("\n", "  \r\n").replace("jobs:", "\r\n\r\njobs:")
    repo = RepoBuilder(tmp_path / "crlf").write(".github/workflows/ci.yml", reformatted.encode())
    repo.commit("CI")
    assert copies(facts_of(repo.root))[".github/workflows/ci.yml"].exact


def test_a_starter_with_its_blanks_filled_in_is_changed_not_copied(
    tmp_path: Path, starter_index: Path
) -> None:
    repo = RepoBuilder(tmp_path / "filled").files({"ml/model.py": STARTER_MODEL + FILLED_IN})
    repo.commit("Fill in the model")
    copy = copies(facts_of(repo.root))["ml/model.py"]
    assert not copy.copied
    assert MATCH_SIMILARITY <= copy.similarity < COPY_SIMILARITY
    assert copy.describe().startswith("62% matches ml/model.py of coursera-demo/")
    assert copy.upstream_lines == pytest.approx(copy.lines * copy.similarity)


def test_the_authors_own_project_matches_nothing(tmp_path: Path, starter_index: Path) -> None:
    facts = facts_of(repos.production_repo(tmp_path / "churnwatch"))
    assert copies(facts) == {}
    mine = own(facts)
    assert {"src/churnwatch/api.py", "tests/test_api.py", "README.md", "Dockerfile"} <= set(mine)
    assert mine["src/churnwatch/api.py"].lines > 10


def test_a_licence_is_not_compared(tmp_path: Path, starter_index: Path) -> None:
    repo = RepoBuilder(tmp_path / "licensed").files(
        {"LICENSE.md": "MIT License\n\nPermission is hereby granted, free of charge.\n" * 5}
    )
    repo.commit("Licence")
    facts = facts_of(repo.root)
    assert copies(facts) == {} and own(facts) == {}


def test_without_an_index_nothing_is_compared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_index(monkeypatch, tmp_path / "no-index")  # a folder without one
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    facts = facts_of(repo.root)
    assert facts.count("copied_file") == facts.count("own_file") == 0
    assert {"copied_file", "own_file"} <= facts.unknown  # nothing to compare with: unknown


def test_one_boilerplate_file_shared_with_a_starter_is_no_copy_of_it(
    tmp_path: Path, starter_index: Path
) -> None:
    """GitHub's starter workflow, say: the author's own project is not the course's."""
    root = repos.production_repo(tmp_path / "churnwatch")
    RepoBuilder(root).write(".github/workflows/manual.yml", STARTER_WORKFLOW).commit("Lint")
    facts = facts_of(root)
    assert copies(facts) == {}
    assert ".github/workflows/manual.yml" in own(facts)


def test_one_tutorial_notebook_that_is_most_of_a_small_repository_is_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = [
        ("markdown", "# Titanic tutorial\n\nPredict who survived with a random forest."),
        ("code", "import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier"),
        (
            "code",
            'train = pd.read_csv("/kaggle/input/titanic/train.csv")\n'
            'women = train.loc[train.Sex == "female"]["Survived"]\n'
            'print("% of women who survived:", sum(women) / len(women))',
        ),
        (
            "code",
            'features = ["Pclass", "Sex", "SibSp", "Parch"]\n'
            "X = pd.get_dummies(train[features])\n"
            "model = RandomForestClassifier(n_estimators=100, max_depth=5, random_state=1)\n"
            'model.fit(X, train["Survived"])\n'
            'print("Your submission was successfully saved!")',
        ),
    ]
    tutorial = RepoBuilder(tmp_path / "tutorial").notebook("titanic-tutorial.ipynb", cells)
    text = (tutorial.root / "titanic-tutorial.ipynb").read_text()
    upstream = Upstream(
        repo="learned/kaggle-titanic",
        family="Kaggle Titanic",
        kind="tutorial",
        files={"titanic-tutorial.ipynb": text},
    )
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    learner = RepoBuilder(tmp_path / "learner").notebook("survival.ipynb", cells, outputs={1: "ok"})
    learner.write("README.md", "# Titanic survival\n\nMy analysis of who survived.\n")
    learner.commit("Add files via upload")
    found = copies(facts_of(learner.root))
    assert set(found) == {"survival.ipynb"}  # one file, but most of the repository
    assert found["survival.ipynb"].exact  # outputs are not the notebook's text


def test_a_file_two_upstreams_hold_goes_to_the_one_the_repository_matches_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second course ships the same data module: the repository is the first course's."""
    other = Upstream(
        repo="academy/census-lab",
        family="Other School",
        kind="lab",
        files={"census/data.py": STARTER_FILES["ml/data.py"]},
    )
    # the other course sorts first by name: on its own, the data module would be its copy
    use_index(monkeypatch, write_index(tmp_path / "index", [other, starter_upstream()]))
    repo = RepoBuilder(tmp_path / "census").files(STARTER_FILES).commit("Add files via upload")
    found = copies(facts_of(repo.root))
    assert {copy.upstream for copy in found.values()} == {STARTER}
    assert found["ml/data.py"].others == ("academy/census-lab",)
    assert found["ml/data.py"].upstream_path == "ml/data.py"


def test_a_template_with_own_work_on_top_matches_the_template_files_only(
    tmp_path: Path, starter_index: Path
) -> None:
    repo = template_with_own_work(tmp_path / "fraud")
    facts = facts_of(repo.root)
    found = copies(facts)
    assert set(found) == set(TEMPLATE_FILES)
    assert {copy.upstream for copy in found.values()} == {TEMPLATE}
    assert {"src/fraud/features.py", "tests/test_features.py"} <= set(own(facts))


def template_with_own_work(root: Path) -> RepoBuilder:
    """A cookiecutter project left as generated, plus the author's own module, its tests
    and a CI workflow that runs them."""
    repo = RepoBuilder(root).files(TEMPLATE_FILES).commit("Generate from the template")
    repo.files(
        {
            "src/fraud/__init__.py": "",
            "src/fraud/features.py": """
                import pandas as pd


                def amount_zscore(frame: pd.DataFrame) -> pd.Series:
                    mean = frame["amount"].mean()
                    spread = frame["amount"].std(ddof=0) or 1.0
                    return (frame["amount"] - mean) / spread


                def night_time(frame: pd.DataFrame) -> pd.Series:
                    hours = pd.to_datetime(frame["timestamp"]).dt.hour
                    return (hours < 6) | (hours >= 22)
            """,
            "tests/test_features.py": """
                import pandas as pd

                from fraud.features import amount_zscore, night_time


                def test_zscore_centres_the_amounts():
                    frame = pd.DataFrame({"amount": [10.0, 20.0, 30.0]})
                    assert amount_zscore(frame).tolist() == [-1.224744871391589, 0.0, 1.224744871391589]


                def test_night_time_flags_late_transactions():
                    frame = pd.DataFrame({"timestamp": ["2025-01-01 23:10", "2025-01-01 12:00"]})
                    assert night_time(frame).tolist() == [True, False]
            """,
            ".github/workflows/ci.yml": """
                name: ci
                on: [push, pull_request]
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4
                      - uses: actions/setup-python@v5
                        with:
                          python-version: "3.11"
                      - run: pip install -e . pandas pytest
                      - run: pytest tests
            """,
        }
    )
    repo.commit("Fraud features and their tests", date="2026-03-09T10:00:00+00:00")
    return repo


# forks, dumps and the upstream itself ------------------------------------------------------
COURSE_STAFF = ("Course Staff", STAFF_EMAIL)


def starter_repository(root: Path) -> RepoBuilder:
    """The starter as its authors built it: six commits over three weeks."""
    repo = RepoBuilder(root)
    steps = [
        ("ml/__init__.py", "ml/data.py"),
        ("ml/model.py",),
        ("main.py",),
        ("test_ml.py",),
        (".github/workflows/manual.yml", "requirements.txt"),
        ("README.md",),
    ]
    for day, paths in enumerate(steps, start=1):
        repo.files({path: STARTER_FILES[path] for path in paths})
        name, email = COURSE_STAFF
        commit_as(repo, f"Starter step {day}", f"2023-04-{day * 3:02d}T10:00:00+00:00", email, name)
    return repo


def root_commit(root: Path) -> str:
    out = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.split()[0]


def forked(starter: RepoBuilder, root: Path) -> RepoBuilder:
    subprocess.run(
        ["git", "clone", "-q", str(starter.root), str(root)], check=True, capture_output=True
    )
    learner = RepoBuilder(root)
    learner.write("ml/model.py", STARTER_MODEL + FILLED_IN).commit(
        "Fill in the model", date="2025-08-05T10:00:00+00:00"
    )
    learner.write("model_card.md", "# Model card\n\nA random forest on census data.\n").commit(
        "Model card", date="2025-08-05T12:00:00+00:00"
    )
    return learner


def test_a_fork_with_the_starters_history_is_a_copy_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = starter_repository(tmp_path / "starter")
    upstream = starter_upstream(root=root_commit(starter.root), authors=(STAFF_EMAIL,))
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    facts = facts_of(forked(starter, tmp_path / "learner").root)
    history = next(f for f in facts.of("history") if isinstance(f, HistoryFact))
    assert history.root_commit == root_commit(starter.root)
    assert (history.inherited_commits, history.commits) == (6, 2)
    assert facts.count("upstream_repository") == 0  # the same root, but an inherited era
    found = copies(facts)
    assert found["main.py"].copied and not found["ml/model.py"].copied
    assert "model_card.md" in own(facts)


@pytest.mark.parametrize("known", ["authors", "root"])
def test_the_upstream_scanned_as_itself_is_not_a_copy_of_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, known: str
) -> None:
    """By its main authors, or (where the index knows none) by its root commit."""
    starter = starter_repository(tmp_path / "starter")
    upstream = (
        starter_upstream(authors=(STAFF_EMAIL,))
        if known == "authors"
        else starter_upstream(root=root_commit(starter.root))
    )
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    facts = facts_of(starter.root)
    assert copies(facts) == {}
    assert set(own(facts)) == set(STARTER_FILES) - {"ml/__init__.py"}
    (itself,) = facts.of("upstream_repository")
    assert isinstance(itself, UpstreamRepositoryFact)
    assert (itself.upstream, itself.family, itself.material) == (
        STARTER,
        "Demo ML DevOps",
        "starter",
    )


def test_a_later_edition_by_the_same_authors_is_their_work_not_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staff's next edition starts a new history: the index knows the labs edition
    (another root), and its main authors are the same people."""
    use_index(
        monkeypatch,
        write_index(tmp_path / "index", [starter_upstream(root="f" * 40, authors=(STAFF_EMAIL,))]),
    )
    edition = RepoBuilder(tmp_path / "edition").files(STARTER_FILES)
    name, email = COURSE_STAFF
    commit_as(edition, "Next edition", "2024-04-02T10:00:00+00:00", email, name)
    edition.write("ml/model.py", STARTER_MODEL + FILLED_IN)
    commit_as(edition, "Calibrated threshold", "2024-04-09T10:00:00+00:00", email, name)
    facts = facts_of(edition.root)
    assert copies(facts) == {}
    assert facts.count("upstream_repository") == 1


def test_a_learners_copy_with_the_upstreams_root_but_not_its_authors_is_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three starter commits are too few to call an inherited era: the root alone does
    not make the learner's repository the course's own."""
    starter = RepoBuilder(tmp_path / "starter")
    name, email = COURSE_STAFF
    for day, (path, text) in enumerate(sorted(STARTER_FILES.items())[:3], start=1):
        starter.write(path, text)
        commit_as(starter, f"Step {day}", f"2023-04-0{day}T10:00:00+00:00", email, name)
    upstream = starter_upstream(root=root_commit(starter.root), authors=(STAFF_EMAIL,))
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    learner = forked(starter, tmp_path / "learner")
    learner.files(STARTER_FILES).commit("The rest", date="2025-08-06T10:00:00+00:00")
    facts = facts_of(learner.root)
    history = next(f for f in facts.of("history") if isinstance(f, HistoryFact))
    assert history.inherited_commits == 0 and history.root_commit == upstream.root
    assert facts.count("upstream_repository") == 0
    assert len(copies(facts)) >= 5


def test_a_copy_dumped_in_one_commit_is_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    starter = starter_repository(tmp_path / "starter")
    upstream = starter_upstream(root=root_commit(starter.root), authors=(STAFF_EMAIL,))
    use_index(monkeypatch, write_index(tmp_path / "index", [upstream]))
    dump = RepoBuilder(tmp_path / "dump").files(STARTER_FILES)
    dump.write("ml/model.py", STARTER_MODEL + FILLED_IN).commit("Add files via upload")
    facts = facts_of(dump.root)
    assert facts.count("upstream_repository") == 0
    assert len(copies(facts)) == len(STARTER_FILES) - 1
    history = next(f for f in facts.of("history") if isinstance(f, HistoryFact))
    assert history.placeholder == "a one-day dump of the work"
