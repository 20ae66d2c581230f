"""Every criterion of the default rubric can be awarded, and a near miss is withheld.

For each criterion a pair of builders makes synthetic facts, as the analyzers would report
them: `award()` reaches the criterion's max level (a score of 100 for share and presence
scoring), and `withhold()` looks like evidence but earns no more than a claim (a score of 0
for certification criteria): a placeholder, a condition just missed, a broken `requires`
chain, or the artefact sitting under a course folder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.common.globs import glob_match
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import (
    CallFact,
    CallUsage,
    CertificateFact,
    CodeBalanceFact,
    CodeHealthFact,
    ComposeServiceFact,
    ContentMatchFact,
    CopiedFileFact,
    CourseFolderFact,
    CourseMarkerFact,
    DependencyFact,
    DependencyManifestFact,
    DockerfileFact,
    DvcStageFact,
    Fact,
    Facts,
    HeadingFact,
    HistoryFact,
    ImportFact,
    InfrastructureFact,
    LockfileFact,
    NotebookFact,
    OwnFileFact,
    PrecommitHookFact,
    PythonModuleFact,
    Scope,
    SourceFileFact,
    TaskFact,
    TestFunctionFact,
    ToyDatasetFact,
    TrainServeParityFact,
    WorkflowJobFact,
)
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.location import Location
from portfolio_check.model.rubric import Criterion
from portfolio_check.model.scorecard import CriterionResult, Scorecard, TargetInfo
from portfolio_check.rubric.loading import load_rubric
from portfolio_check.scoring import engine

RUBRIC = load_rubric()
CRITERIA: dict[str, Criterion] = {
    criterion.id: criterion for category in RUBRIC.categories for criterion in category.criteria
}
CRITERION_IDS = list(CRITERIA)

Builder = Callable[[], list[Fact]]


class Case(NamedTuple):
    award: Builder  # facts that reach the criterion's max level (or a score of 100)
    withhold: Builder  # a near miss: no more than "claimed" (or a score of 0)


def evaluate_facts(facts: list[Fact]) -> Scorecard:
    target = TargetInfo(path="repo", commit=None, is_git=True, files=len(facts))
    return engine.evaluate(RUBRIC, Facts(facts), target, tool_version="test")


def result(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def explain(outcome: CriterionResult) -> str:
    """The level, score and evidence of a result, for an assertion message."""
    evidence = "; ".join(
        f"{item.level.label} {item.path} ({item.detail}"
        + (f", capped: {item.placeholder})" if item.placeholder else ")")
        for item in outcome.evidence
    )
    return f"{outcome.id}: {outcome.level.label}, score {outcome.score:g}; evidence: {evidence or 'none'}"


# little factories ------------------------------------------------------------------------
def at(path: str, line: int | None = None) -> Location:
    return Location(path=path, line=line)


def file(path: str, size: int = 400, placeholder: str | None = None) -> SourceFileFact:
    return SourceFileFact(location=at(path), size=size, empty=size == 0, placeholder=placeholder)


def dep(
    name: str, spec: str = "", *, used: bool = True, manifest: str = "pyproject"
) -> DependencyFact:
    return DependencyFact(
        location=at("pyproject.toml", 12),
        name=name,
        spec=spec,
        pinned=spec.startswith("=="),
        manifest=manifest,
        unused=not used,
    )


def manifest(path: str, dependencies: int, pinned: int) -> DependencyManifestFact:
    return DependencyManifestFact(
        location=at(path),
        manifest="requirements",
        dependencies=dependencies,
        pinned=pinned,
        pinned_share=pinned / dependencies if dependencies else 0.0,
        fully_pinned=dependencies > 0 and pinned == dependencies,
    )


def imp(
    module: str, path: str = "src/churn/api.py", scope: Scope = "code", *, project: bool = False
) -> ImportFact:
    return ImportFact(
        location=at(path, 1),
        module=module,
        top=module.split(".", maxsplit=1)[0],
        scope=scope,
        project=project,
        target=f"src/{module.replace('.', '/')}.py" if project else None,
    )


def call(
    name: str,
    path: str = "src/churn/api.py",
    scope: Scope = "code",
    *,
    usage: CallUsage = "call",
    keywords: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
) -> CallFact:
    return CallFact(
        location=at(path, 20), name=name, scope=scope, usage=usage, keywords=keywords, roles=roles
    )


def a_test(
    name: str,
    path: str = "tests/test_features.py",
    asserts: int = 2,
    *,
    imports_project: bool = True,
    covers: tuple[str, ...] = ("src/churn/features.py",),
    line: int = 10,
) -> TestFunctionFact:
    return TestFunctionFact(
        location=at(path, line),
        name=name,
        asserts=asserts,
        imports_project=imports_project,
        covers=covers if imports_project else (),
        placeholder=None if asserts else "a test that asserts nothing",
    )


def job(
    name: str = "test",
    *,
    runs_tests: bool = False,
    builds_image: bool = False,
    runs_pipeline: bool = False,
    lints: bool = False,
    scheduled: bool = False,
    deploys: bool = False,
    provisions: bool = False,
    triggers: tuple[str, ...] | None = None,
    placeholder: str | None = None,
) -> WorkflowJobFact:
    return WorkflowJobFact(
        location=at(".github/workflows/ci.yml", 8),
        system="github-actions",
        workflow="ci",
        job=name,
        triggers=triggers or (("schedule",) if scheduled else ("push", "pull_request")),
        runs_tests=runs_tests,
        builds_image=builds_image,
        runs_pipeline=runs_pipeline,
        lints=lints,
        scheduled=scheduled,
        deploys=deploys,
        provisions=provisions,
        placeholder=placeholder,
    )


def heading(title: str, markdown: str, *, path: str = "README.md") -> HeadingFact:
    """The heading fact the docs analyzer reports for `## title` over `markdown`."""
    text = f"## {title}\n\n{markdown}\n"
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    context = AnalysisContext(layout=ProjectLayout())
    facts = DocsAnalyzer().analyze(entry, text, context)
    return next(fact for fact in facts if isinstance(fact, HeadingFact) and fact.text == title)


def card(sections: dict[str, str], path: str = "MODEL_CARD.md") -> list[Fact]:
    """Every heading fact of a model card with these sections, as the docs analyzer reads it."""
    text = "# Model card\n\n" + "".join(f"## {t}\n\n{body}\n\n" for t, body in sections.items())
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    context = AnalysisContext(layout=ProjectLayout())
    return [fact for fact in DocsAnalyzer().analyze(entry, text, context) if fact.kind == "heading"]


def content(criterion_id: str, path: str, text: str) -> ContentMatchFact:
    """The line the content analyzer reports for the criterion's `file: {contains}` signal,
    or for a README claim the rubric files under the criterion, whose glob and pattern
    match, under that query's id as the rubric names it."""
    queries = [signal.query for signal in CRITERIA[criterion_id].signals if signal.query]
    queries += [claim.query for claim in RUBRIC.claims if claim.criterion == criterion_id]
    for query in queries:
        if glob_match(path, query.glob) and query.pattern.search(text):
            return ContentMatchFact(location=at(path, 3), query=query.id, text=text)
    raise LookupError(f"no content query of '{criterion_id}' matches {path}: {text!r}")


def course_folder(folder: str) -> CourseFolderFact:
    return CourseFolderFact(location=at(folder), folder=folder)


def module(name: str, path: str, lines: int = 120) -> PythonModuleFact:
    return PythonModuleFact(location=at(path), module=name, scope="code", lines=lines)


def history(**fields: int | float | str | None) -> HistoryFact:
    base: dict[str, int | float | str | None] = {
        "commits": 48,
        "authors": 1,
        "active_days": 21,
        "active_weeks": 7,
        "span_days": 52,
        "merges": 4,
        "pr_merges": 4,
        "web_uploads": 0,
        "largest_commit_share": 0.18,
        "first_commit": "2025-03-02",
        "last_commit": "2025-04-23",
    }
    return HistoryFact(location=at(".git"), shallow=False, **{**base, **fields})  # type: ignore[arg-type]


MODEL_CARD_PROSE = (
    "A gradient-boosted classifier that scores monthly churn risk for subscription customers, "
    "trained on eighteen months of anonymised billing and support data from our own warehouse."
)
TEMPLATE_PROSE = (
    "Users (both direct and downstream) should be made aware of the risks, biases and "
    "limitations of the model. More information needed for further recommendations. "
    "[More Information Needed]"
)


# award and withhold, per criterion --------------------------------------------------------
CASES: dict[str, Case] = {
    # deployment
    "model-api": Case(
        award=lambda: [
            imp("fastapi"),
            call("fastapi.FastAPI().post", usage="decorator"),
            call("fastapi.testclient.TestClient", "tests/test_api.py", "test"),
        ],
        # a declared framework nobody imports, and a README that says "deployed"
        withhold=lambda: [
            dep("fastapi", ">=0.110", used=False),
            content("model-api", "README.md", "The model is deployed behind a FastAPI endpoint."),
        ],
    ),
    "train-serve-parity": Case(
        award=lambda: [
            TrainServeParityFact(
                location=at("src/churn/api.py"),
                side="serving",
                shared_module="churn.features",
                other_path="src/churn/train.py",
            )
        ],
        withhold=lambda: [
            course_folder("capstone"),
            TrainServeParityFact(
                location=at("capstone/serve.py"),
                side="serving",
                shared_module="capstone.features",
                other_path="capstone/train.py",
            ),
        ],
    ),
    "model-release": Case(
        # a CD job that deploys after CI, on its own
        award=lambda: [
            job("deploy", deploys=True, triggers=("workflow_run", "workflow_dispatch")),
            call("mlflow.MlflowClient().set_registered_model_alias", "src/churn/train.py"),
        ],
        # a deploy only a person starts, and a registration in a course folder
        withhold=lambda: [
            job("deploy", deploys=True, triggers=("workflow_dispatch",)),
            course_folder("week4"),
            call("mlflow.sklearn.log_model", "week4/train.py", keywords=("registered_model_name",)),
        ],
    ),
    # containerisation
    "container-image": Case(
        award=lambda: [
            file("Dockerfile"),
            DockerfileFact(
                location=at("Dockerfile", 1),
                base_image="python:3.11-slim",
                command='["uvicorn", "churn.api:app", "--host", "0.0.0.0"]',
                instructions=8,
                exposes=True,
            ),
            job("image", builds_image=True),
        ],
        # an empty Dockerfile, even when CI "builds" it
        withhold=lambda: [
            file("Dockerfile", size=0, placeholder="an empty file"),
            DockerfileFact(
                location=at("Dockerfile"),
                base_image=None,
                command=None,
                instructions=0,
                exposes=False,
                placeholder="an empty Dockerfile",
            ),
            job("image", builds_image=True),
        ],
    ),
    "multi-service": Case(
        award=lambda: [
            ComposeServiceFact(
                location=at("docker-compose.yml", 3),
                service="api",
                image=None,
                builds=True,
                healthcheck=True,
            )
        ],
        withhold=lambda: [
            ComposeServiceFact(
                location=at("docker-compose.yml", 3),
                service="api",
                image=None,
                builds=False,
                healthcheck=False,
                placeholder="a service with no image",
            )
        ],
    ),
    "infrastructure-as-code": Case(
        award=lambda: [
            InfrastructureFact(
                location=at("infra/main.tf", 12),
                tool="terraform",
                resource="google_cloud_run_v2_service",
                name="scoring_api",
            ),
            job("infra", provisions=True),
        ],
        # a README that names Terraform, and a CI step that runs it on nothing in the repo
        withhold=lambda: [
            content("infrastructure-as-code", "README.md", "Provisioned with Terraform."),
            job("infra", provisions=True),
        ],
    ),
    # ci
    "ci-pipeline": Case(
        award=lambda: [a_test("test_scale_amounts"), job(runs_tests=True)],
        withhold=lambda: [
            content("ci-pipeline", "README.md", "Checked by GitHub Actions on every push."),
            job(placeholder="a CI job that only echoes"),
        ],
    ),
    # testing
    "unit-tests": Case(
        award=lambda: [a_test("test_scale_amounts"), job(runs_tests=True)],
        # CI running a test that asserts nothing
        withhold=lambda: [a_test("test_scale_amounts", asserts=0), job(runs_tests=True)],
    ),
    "data-model-tests": Case(
        award=lambda: [
            a_test(
                "test_predict_returns_probabilities",
                "tests/test_model.py",
                covers=("src/churn/model.py",),
            ),
            job(runs_tests=True),
        ],
        withhold=lambda: [
            a_test("test_prediction_shape", "tests/test_model.py", asserts=0),
            job(runs_tests=True),
        ],
    ),
    "test-breadth": Case(
        award=lambda: [
            a_test(f"test_feature_{n}", "tests/test_features.py", line=10 * n) for n in range(10)
        ],
        # one fewer asserting test than the smallest suite that counts
        withhold=lambda: [
            a_test(f"test_feature_{n}", "tests/test_features.py", line=10 * n) for n in range(3)
        ],
    ),
    # data validation
    "schema-validation": Case(
        award=lambda: [
            imp("pandera", "src/churn/schema.py"),
            call("pandera.DataFrameModel", "src/churn/schema.py", usage="base"),
            imp("pandera", "tests/test_schema.py", "test"),
        ],
        withhold=lambda: [dep("pandera", "==0.20.4", used=False)],
    ),
    # monitoring
    "metrics-and-drift": Case(
        award=lambda: [
            imp("prometheus_client"),
            call("prometheus_client.Histogram", roles=("serving",)),
        ],
        withhold=lambda: [
            dep("prometheus-client", "==0.20.0", used=False),
            content("metrics-and-drift", "README.md", "Monitoring with Prometheus and Grafana."),
        ],
    ),
    "logging": Case(
        award=lambda: [imp("logging"), call("logging.getLogger")],
        # logging set up in a notebook only, where the rubric asks for code
        withhold=lambda: [
            imp("logging", "notebooks/train.ipynb", "notebook"),
            call("logging.basicConfig", "notebooks/train.ipynb", "notebook"),
        ],
    ),
    # reproducibility
    "pinned-dependencies": Case(
        award=lambda: [
            dep("scikit-learn", "==1.5.2"),
            dep("pandas", "==2.2.3"),
            manifest("pyproject.toml", 2, 2),
            LockfileFact(location=at("uv.lock"), tool="uv"),
        ],
        # one pin among ranges: the manifest does not pin the install
        withhold=lambda: [
            dep("scikit-learn", "==1.5.2"),
            dep("pandas", ">=2.0"),
            manifest("pyproject.toml", 2, 1),
        ],
    ),
    "seeds": Case(
        award=lambda: [call("numpy.random.seed", "src/churn/train.py")],
        # a split in the training code without random_state
        withhold=lambda: [
            call(
                "sklearn.model_selection.train_test_split",
                "src/churn/train.py",
                keywords=("test_size", "stratify"),
            )
        ],
    ),
    "configs": Case(
        award=lambda: [file("params.yaml"), call("yaml.safe_load", "src/churn/train.py")],
        withhold=lambda: [
            course_folder("week5"),
            file("week5/params.yaml"),
            call("yaml.safe_load", "week5/train.py"),
        ],
    ),
    "pipeline": Case(
        award=lambda: [
            file("Makefile"),
            DvcStageFact(
                location=at("dvc.yaml", 2),
                stage="train",
                command="python -m churn.train",
                deps=2,
                outs=1,
            ),
            job("pipeline", runs_pipeline=True),
        ],
        withhold=lambda: [
            content("pipeline", "README.md", "Every result here is fully reproducible."),
            DvcStageFact(
                location=at("dvc.yaml", 2),
                stage="train",
                command="",
                deps=0,
                outs=0,
                placeholder="a stage with no command",
            ),
        ],
    ),
    # tracking
    "experiment-tracking": Case(
        award=lambda: [
            imp("mlflow", "src/churn/train.py"),
            call("mlflow.log_metric", "src/churn/train.py", roles=("pipeline", "ci")),
        ],
        withhold=lambda: [
            dep("mlflow", "==2.16.2", used=False),
            content("experiment-tracking", "README.md", "Experiments are tracked with MLflow."),
        ],
    ),
    "data-versioning": Case(
        award=lambda: [file("data/raw.csv.dvc"), file("dvc.lock")],
        withhold=lambda: [file(".gitattributes", size=0, placeholder="an empty file")],
    ),
    # documentation
    "results": Case(
        award=lambda: [
            heading(
                "Results",
                "| model | ROC AUC | recall |\n|---|---|---|\n"
                "| majority class | 0.50 | 0.00 |\n| gbm | 0.87 | 0.71 |",
            )
        ],
        # a number, but only an estimate nothing measured ("around 75-80% accuracy")
        withhold=lambda: [
            heading(
                "Result",
                "Generated a valid submission file. The model achieved around 75-80% "
                "accuracy (depending on parameters and seed).",
            )
        ],
    ),
    "error-analysis": Case(
        # thirty words and a slice table are real analysis
        award=lambda: [
            heading(
                "Where it fails",
                "| plan | recall | churners |\n|---|---|---|\n"
                "| monthly | 0.81 | 950 |\n| annual | 0.42 | 120 |\n\n"
                "Most false negatives are annual-plan customers: recall on that segment is "
                "0.42, because they cancel at renewal without a support ticket first.",
            )
        ],
        # three hundred words of generic prose are not
        withhold=lambda: [
            heading(
                "Error analysis",
                "Error analysis is an important part of any machine learning project. It helps "
                "us understand where a model could be improved and what it gets wrong. " * 15,
            )
        ],
    ),
    "limitations": Case(
        award=lambda: [
            heading(
                "Limitations",
                "Trained on customers from one country only; not for business accounts, "
                "which behave differently, nor for customers in their first month, who have "
                "no billing history yet.",
            )
        ],
        # a model card template's section, long enough but unfilled
        withhold=lambda: [
            heading("Bias, Risks, and Limitations", TEMPLATE_PROSE, path="MODEL_CARD.md")
        ],
    ),
    "model-card": Case(
        award=lambda: [
            file("MODEL_CARD.md"),
            *card(
                {
                    "Model details": MODEL_CARD_PROSE,
                    "Intended use": MODEL_CARD_PROSE,
                    "Training data": MODEL_CARD_PROSE,
                    "Evaluation results": "| metric | value |\n|---|---|\n| ROC AUC | 0.87 |\n"
                    f"| recall | 0.71 |\n\n{MODEL_CARD_PROSE}",
                }
            ),
        ],
        # an untouched Hugging Face template
        withhold=lambda: [
            file("MODEL_CARD.md"),
            content("model-card", "MODEL_CARD.md", "[More Information Needed]"),
            *card(
                dict.fromkeys(
                    ("Model Details", "Uses", "Training Data", "Evaluation Results"),
                    "<!-- Describe the model. -->\n\n[More Information Needed]",
                )
            ),
        ],
    ),
    "setup-instructions": Case(
        award=lambda: [
            heading(
                "Quick start",
                "Install the package and run the tests:\n\n```bash\nuv sync\n```\n\n"
                "```bash\nmake test\n```",
            )
        ],
        withhold=lambda: [heading("Installation", "")],
    ),
    # code quality
    "package-structure": Case(
        award=lambda: [
            module("churn.api", "src/churn/api.py"),
            module("churn.features", "src/churn/features.py"),
            imp("churn.features", "src/churn/api.py", project=True),
            imp("churn.features", "src/churn/train.py", project=True),
        ],
        # top-level scripts, most of the work in notebooks, one notebook importing a script
        withhold=lambda: [
            module("train", "train.py", lines=40),
            module("utils", "utils.py", lines=10),
            imp("utils", "notebooks/eda.ipynb", "notebook", project=True),
            CodeBalanceFact(
                location=at("."),
                module_lines=50,
                notebook_lines=450,
                notebook_share=0.9,
                notebooks_importing_project=1,
            ),
        ],
    ),
    "simple-code": Case(
        award=lambda: [
            CodeHealthFact(
                location=at("."),
                functions=24,
                max_complexity=9,
                simple_share=1.0,
                mean_maintainability=71.5,
            )
        ],
        # every function simple, but one fewer function than the rubric needs to judge
        withhold=lambda: [
            CodeHealthFact(
                location=at("."),
                functions=4,
                max_complexity=3,
                simple_share=1.0,
                mean_maintainability=80.0,
            )
        ],
    ),
    "lint-config": Case(
        award=lambda: [
            content("lint-config", "pyproject.toml", "[tool.ruff]"),
            PrecommitHookFact(
                location=at(".pre-commit-config.yaml", 4),
                hook="ruff",
                repo="https://github.com/astral-sh/ruff-pre-commit",
            ),
            job("lint", lints=True),
        ],
        # a make target and a CI job whose lint can never fail (`|| true`): no lint flag
        withhold=lambda: [
            TaskFact(
                location=at("Makefile", 7),
                runner="make",
                name="lint",
                commands="ruff check . || true",
                runs_tests=False,
                builds_image=False,
                runs_pipeline=False,
                lints=False,
            ),
            job("lint"),
        ],
    ),
    # responsible AI
    "slice-evaluation": Case(
        award=lambda: [
            imp("fairlearn.metrics", "src/churn/evaluate.py"),
            call("fairlearn.metrics.MetricFrame", "src/churn/evaluate.py", roles=("tested",)),
        ],
        withhold=lambda: [
            dep("fairlearn", "==0.10.0", used=False),
            heading("Fairness", "We plan to check the model for bias across customer groups."),
        ],
    ),
    "explainability": Case(
        award=lambda: [call("shap.TreeExplainer", "src/churn/explain.py")],
        withhold=lambda: [course_folder("week4"), call("shap.TreeExplainer", "week4/explain.py")],
    ),
    # history
    "iterative-history": Case(
        award=lambda: [history()],
        withhold=lambda: [
            history(
                commits=3,
                active_days=1,
                active_weeks=1,
                span_days=0,
                merges=0,
                pr_merges=0,
                web_uploads=2,
                largest_commit_share=0.94,
                last_commit="2025-03-02",
                placeholder="a one-day dump of the work",
            )
        ],
    ),
    # certification side
    "graded-material": Case(
        award=lambda: [
            course_folder("C1W2"),
            NotebookFact(
                location=at("C1W2/C1W2_Assignment.ipynb"),
                code_cells=14,
                markdown_cells=9,
                executed_cells=14,
                error_outputs=0,
            ),
            CourseMarkerFact(
                location=Location(path="C1W2/C1W2_Assignment.ipynb", line=1, cell=4),
                marker="graded-function",
                family="DeepLearning.AI",
                text="# GRADED FUNCTION: initialize_parameters",
            ),
        ],
        # `weekly_reports/` is not a course layout: the analyzer reports no course facts
        withhold=lambda: [
            file("weekly_reports/2025-03-10.md"),
            NotebookFact(
                location=at("weekly_reports/churn_trends.ipynb"),
                code_cells=6,
                markdown_cells=3,
                executed_cells=6,
                error_outputs=0,
            ),
        ],
    ),
    "template-clone": Case(
        award=lambda: [
            CourseMarkerFact(
                location=at(".github/workflows/course4-week3-lab.yml"),
                marker="template-clone:dlai-mlep",
                family="DeepLearning.AI ML Engineering for Production labs",
                text="3 markers of the DeepLearning.AI ML Engineering for Production labs template",
            )
        ],
        # one fingerprint of a template is not a clone of it
        withhold=lambda: [
            CourseMarkerFact(
                location=at(".github/workflows/course4-week3-lab.yml"),
                marker="template:dlai-mlep",
                family="DeepLearning.AI ML Engineering for Production labs",
                text=".github/workflows/course4-week3-lab.yml",
            )
        ],
    ),
    # the whole repository is a course starter, copied as it was
    "upstream-copies": Case(
        award=lambda: [
            copied("ml/model.py", lines=42),
            copied(".github/workflows/manual.yml", lines=26),
            copied("README.md", lines=24, similarity=1.0),
        ],
        # the author's own files: nothing matches a known upstream
        withhold=lambda: [
            OwnFileFact(location=at("src/churn/model.py"), lines=120),
            OwnFileFact(location=at("README.md"), lines=40),
        ],
    ),
    "toy-datasets": Case(
        award=lambda: [
            call("sklearn.datasets.load_iris", "src/churn/demo.py"),
            ToyDatasetFact(location=at("src/churn/demo.py", 20), dataset="Iris", via="loader"),
        ],
        # data the author sourced: a CSV of their own, read with pandas
        withhold=lambda: [
            file("data/customers.csv", size=48_000),
            call("pandas.read_csv", "src/churn/data.py"),
        ],
    ),
    "certificate-files": Case(
        award=lambda: [
            CertificateFact(
                location=at("README.md", 40),
                via="link",
                text="https://www.coursera.org/verify/ABC123XYZ",
            )
        ],
        # an architecture diagram is not a certificate
        withhold=lambda: [file("docs/architecture.png", size=82_000)],
    ),
}


def copied(path: str, *, lines: int, similarity: float = 1.0) -> CopiedFileFact:
    return CopiedFileFact(
        location=at(path),
        upstream="udacity/Deploying-a-Scalable-ML-Pipeline-with-FastAPI",
        family="Udacity ML DevOps",
        material="starter",
        upstream_path=path,
        similarity=similarity,
        exact=similarity == 1.0,
        copied=similarity >= 0.8,
        lines=lines,
    )


def case_for(criterion_id: str) -> Case:
    if criterion_id not in CASES:
        pytest.fail(
            f"criterion '{criterion_id}' of {RUBRIC.source} has no award/withhold case: "
            "add one to CASES in tests/test_rubric_criteria.py"
        )
    return CASES[criterion_id]


@pytest.mark.parametrize("criterion_id", CRITERION_IDS)
def test_award_reaches_max_level(criterion_id: str) -> None:
    facts = case_for(criterion_id).award()
    assert facts, "an award case needs facts"
    outcome = result(evaluate_facts(facts), criterion_id)
    criterion = CRITERIA[criterion_id]
    if criterion.scoring == "levels":
        assert outcome.level == criterion.max_level, explain(outcome)
    assert outcome.score == 100, explain(outcome)


@pytest.mark.parametrize("criterion_id", CRITERION_IDS)
def test_near_miss_is_withheld(criterion_id: str) -> None:
    facts = case_for(criterion_id).withhold()
    assert facts, "a near miss needs facts that look like evidence"
    outcome = result(evaluate_facts(facts), criterion_id)
    if CRITERIA[criterion_id].scoring == "levels":
        assert outcome.level <= EvidenceLevel.CLAIMED, explain(outcome)
    else:
        assert outcome.score == 0, explain(outcome)


def test_cases_name_only_criteria_of_the_rubric() -> None:
    stale = sorted(set(CASES) - set(CRITERIA))
    assert not stale, f"CASES has entries for criteria not in {RUBRIC.source}: {stale}"


@pytest.mark.parametrize(
    ("image", "level"),
    [
        ("grafana/grafana:10.4.2", EvidenceLevel.PRESENT),
        ("prom/prometheus", EvidenceLevel.PRESENT),
        ("langfuse/langfuse:2", EvidenceLevel.PRESENT),
        ("postgres:16", EvidenceLevel.ABSENT),
        ("qdrant/qdrant", EvidenceLevel.ABSENT),
    ],
)
def test_a_monitoring_service_in_the_compose_stack(image: str, level: EvidenceLevel) -> None:
    service = ComposeServiceFact(
        location=at("docker-compose.yml", 12),
        service="observability",
        image=image,
        builds=False,
        healthcheck=False,
    )
    assert result(evaluate_facts([service]), "metrics-and-drift").level == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        # a typed request model whose fields only carry examples: types, not ranges
        (
            [
                call("pydantic.BaseModel", usage="base"),
                call("pydantic.Field", keywords=("example", "alias")),
            ],
            EvidenceLevel.PRESENT,
        ),
        (
            [call("pydantic.BaseModel", usage="base"), call("pydantic.Field", keywords=("ge",))],
            EvidenceLevel.WIRED,
        ),
        ([call("tfx.components.ExampleValidator")], EvidenceLevel.WIRED),
        (
            [call("pydantic.Field", "notebooks/eda.ipynb", "notebook", keywords=("gt",))],
            EvidenceLevel.ABSENT,
        ),
    ],
)
def test_schema_validation_reads_what_the_schema_constrains(
    facts: list[Fact], level: EvidenceLevel
) -> None:
    assert result(evaluate_facts(facts), "schema-validation").level == level


def test_dbt_schema_tests_validate_the_data() -> None:
    tests = ContentMatchFact(
        location=at("models/schema.yml", 9),
        query=next(
            s.query.id
            for s in CRITERIA["schema-validation"].signals
            if s.query and s.query.pattern.search("          - not_null")
        ),
        text="- not_null",
    )
    assert result(evaluate_facts([tests]), "schema-validation").level == EvidenceLevel.WIRED


@pytest.mark.parametrize(
    ("fact", "level"),
    [
        # a RecList suite of the recommender, which a Metaflow step runs after training
        (
            call(
                "reclist.abstractions.RecList",
                "src/model/checks.py",
                usage="base",
                roles=("pipeline",),
            ),
            EvidenceLevel.WIRED,
        ),
        (
            call("deepchecks.tabular.suites.full_suite", "src/churn/validate.py"),
            EvidenceLevel.PRESENT,
        ),
        # the same suite only tried in a notebook is exploration, not a test
        (
            call("deepchecks.tabular.suites.full_suite", "eda.ipynb", "notebook"),
            EvidenceLevel.ABSENT,
        ),
    ],
)
def test_behavioural_test_suites_the_pipeline_runs(fact: Fact, level: EvidenceLevel) -> None:
    assert result(evaluate_facts([fact]), "data-model-tests").level == level


@pytest.mark.parametrize(
    ("title", "markdown", "level"),
    [
        # instructions under a heading no keyword list would guess
        (
            "Running the API",
            "```bash\npip install -r requirements.txt\n$ uvicorn api.main:app --reload\n```",
            EvidenceLevel.PRESENT,
        ),
        (
            "Option 2: Local",
            "```\nsudo podman machine init\npodman compose up\n```",
            EvidenceLevel.PRESENT,
        ),
        # example output and a request are not instructions to set the project up
        ("Example", '```\ncurl localhost:8000/predict\n{"label": 1}\n```', EvidenceLevel.ABSENT),
    ],
)
def test_setup_instructions_are_read_from_their_commands(
    title: str, markdown: str, level: EvidenceLevel
) -> None:
    fact = heading(title, markdown)
    assert result(evaluate_facts([fact]), "setup-instructions").level == level


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        # line endings are not version control of data
        ([file(".gitattributes", size=40)], EvidenceLevel.ABSENT),
        (
            [
                content(
                    "data-versioning", ".gitattributes", "*.pt filter=lfs diff=lfs merge=lfs -text"
                )
            ],
            EvidenceLevel.PRESENT,
        ),
        # a W&B artifact staged by the training code, and the same run by the pipeline
        ([call("wandb.Artifact", "src/churn/stage_model.py")], EvidenceLevel.PRESENT),
        (
            [call("mlflow.sklearn.log_model", "src/churn/train.py", roles=("pipeline",))],
            EvidenceLevel.WIRED,
        ),
        ([call("metaflow.FlowSpec", "flows/train.py", usage="base")], EvidenceLevel.PRESENT),
        ([call("mlflow.sklearn.log_model", "eda.ipynb", "notebook")], EvidenceLevel.ABSENT),
    ],
)
def test_models_and_data_under_version_control(facts: list[Fact], level: EvidenceLevel) -> None:
    assert result(evaluate_facts(facts), "data-versioning").level == level


def test_a_lint_task_is_configured_linting_until_ci_runs_it() -> None:
    """A Makefile `lint` target next to a CI pipeline that never calls it enforces
    nothing; CI that reaches it through `make lint` does (the task graph sets the job's
    `lints`)."""
    lint = TaskFact(
        location=at("Makefile", 7),
        runner="make",
        name="lint",
        commands="ruff check .",
        runs_tests=False,
        builds_image=False,
        runs_pipeline=False,
        lints=True,
    )
    beside = result(evaluate_facts([lint, job("test", runs_tests=True)]), "lint-config")
    assert beside.level == EvidenceLevel.PRESENT
    through = result(evaluate_facts([lint, job("lint", lints=True)]), "lint-config")
    assert through.level == EvidenceLevel.AUTOMATED


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        # Vertex AI Experiments from the training task, and only from a walkthrough notebook
        (
            [
                call("google.cloud.aiplatform.start_run", "src/model_training/task.py"),
                call("google.cloud.aiplatform.log_metrics", "src/model_training/task.py"),
            ],
            EvidenceLevel.WIRED,
        ),
        (
            [call("google.cloud.aiplatform.log_params", "02-experimentation.ipynb", "notebook")],
            EvidenceLevel.PRESENT,
        ),
        ([call("google.cloud.aiplatform.init", "src/common/utils.py")], EvidenceLevel.ABSENT),
    ],
)
def test_managed_experiment_trackers(facts: list[Fact], level: EvidenceLevel) -> None:
    assert result(evaluate_facts(facts), "experiment-tracking").level == level


@pytest.mark.parametrize(
    ("fields", "level"),
    [
        # a reference project published in one commit, then changed on 20 more days
        (
            {"largest_commit_share": 1.0, "days_after_largest": 20, "pr_merges": 0},
            EvidenceLevel.WIRED,
        ),
        (
            {"largest_commit_share": 1.0, "days_after_largest": 20, "pr_merges": 3},
            EvidenceLevel.AUTOMATED,
        ),
        # the same upload followed by a couple of touch-ups is not weeks of work
        (
            {"largest_commit_share": 0.9, "days_after_largest": 2, "pr_merges": 0},
            EvidenceLevel.PRESENT,
        ),
    ],
)
def test_an_import_followed_by_weeks_of_work_is_iterative(
    fields: dict[str, int | float], level: EvidenceLevel
) -> None:
    assert result(evaluate_facts([history(**fields)]), "iterative-history").level == level
