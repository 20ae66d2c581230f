"""Deployment is more than a web API: batch jobs, serverless handlers, endpoints and apps.

Each repository here is shaped like a real way of shipping a model (an hourly Airflow DAG
that scores news, a Lambda container, a cron workflow running a Prefect flow, a Metaflow
flow that deploys a SageMaker endpoint, a Gradio app, a Dagster schedule). The tests scan it
as a user would and assert on the criterion levels, the evidence paths and the roles.
"""

from __future__ import annotations

from pathlib import Path

from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.app.scan import scan
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import EntryPointFact, Facts
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CriterionResult, Scorecard
from tests.repos import RepoBuilder

# an hourly Airflow DAG scoring new articles with the project's saved model ----------------
SCORING = """
    import pandas as pd
    from tensorflow.keras.models import load_model


    def score_new_articles(path: str = "articles.parquet") -> pd.DataFrame:
        model = load_model("models/risk.keras")
        frame = pd.read_parquet(path)
        frame["risk"] = model.predict(frame["text"])
        return frame
"""
HOURLY_DAG = """
    from datetime import datetime, timedelta

    from airflow import DAG
    from airflow.operators.python import PythonOperator

    from newsrisk.scoring import score_new_articles

    dag = DAG(
        "score_articles",
        start_date=datetime(2024, 1, 1),
        schedule_interval=timedelta(hours=1),
        catchup=False,
    )
    PythonOperator(task_id="score", python_callable=score_new_articles, dag=dag)
"""
TRAINING = """
    from sklearn.linear_model import LogisticRegression


    def fit_model(frame):
        model = LogisticRegression(max_iter=200)
        model.fit(frame[["a", "b"]], frame["y"])
        print(model.predict(frame[["a", "b"]]).mean())  # evaluation, not serving
        return model
"""


def criterion(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def category_score(card: Scorecard, category_id: str) -> float:
    return next(cat.score for cat in card.categories if cat.id == category_id)


def details(result: CriterionResult) -> set[tuple[str, str]]:
    return {(item.path, item.detail) for item in result.evidence}


def build(root: Path, files: dict[str, str]) -> Path:
    RepoBuilder(root, git=False).files(files)
    return root


def entry_points(root: Path) -> list[EntryPointFact]:
    facts: Facts = analyze(open_target(root))
    return [fact for fact in facts.of("entry_point") if isinstance(fact, EntryPointFact)]


def roles_of(root: Path, path: str) -> set[str]:
    facts = analyze(open_target(root))
    return {role for fact in facts.of("python_module") if fact.path == path for role in fact.roles}


def test_a_scheduled_airflow_dag_that_scores_with_the_model_is_automated_serving(
    tmp_path: Path,
) -> None:
    root = build(
        tmp_path,
        {
            "newsrisk/__init__.py": "",
            "newsrisk/scoring.py": SCORING,
            "dags/score_articles.py": HOURLY_DAG,
        },
    )
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.AUTOMATED
    assert ("dags/score_articles.py", "a schedule runs it") in details(serving)
    [entry] = entry_points(root)
    assert (entry.form, entry.framework, entry.scheduled, entry.reaches_model) == (
        "pipeline",
        "airflow",
        True,
        True,
    )
    # the model code the DAG calls runs on the schedule too
    assert {"pipeline", "scheduled"} <= roles_of(root, "newsrisk/scoring.py")


def test_a_dag_without_a_schedule_is_wired_not_automated(tmp_path: Path) -> None:
    manual = HOURLY_DAG.replace("schedule_interval=timedelta(hours=1)", "schedule_interval=None")
    root = build(
        tmp_path,
        {"newsrisk/__init__.py": "", "newsrisk/scoring.py": SCORING, "dags/score.py": manual},
    )
    assert criterion(scan(root), "model-api").level is EvidenceLevel.WIRED
    assert "scheduled" not in roles_of(root, "newsrisk/scoring.py")


def test_a_training_pipeline_is_a_reproducible_pipeline_not_a_deployment(tmp_path: Path) -> None:
    """It predicts only to evaluate what it trained: that is no batch scoring."""
    dag = """
        from datetime import datetime

        from airflow.decorators import dag, task

        from churn.training import fit_model


        @dag(start_date=datetime(2024, 1, 1), schedule="@weekly")
        def retrain():
            @task
            def fit():
                fit_model(None)

            fit()


        retrain()
    """
    root = build(
        tmp_path,
        {"churn/__init__.py": "", "churn/training.py": TRAINING, "dags/retrain.py": dag},
    )
    card = scan(root)
    assert criterion(card, "model-api").level is EvidenceLevel.ABSENT
    pipeline = criterion(card, "pipeline")
    assert pipeline.level is EvidenceLevel.AUTOMATED
    assert ("dags/retrain.py", "a schedule reruns the training pipeline") in details(pipeline)


# a Lambda container image whose handler calls the project's recogniser -----------------
LAMBDA_DOCKERFILE = """
    FROM public.ecr.aws/lambda/python:3.10
    COPY requirements/prod.txt ./requirements.txt
    RUN pip install -r requirements.txt
    COPY recognizer/ ./recognizer
    COPY api_serverless/api.py ./api.py
    CMD ["api.handler"]
"""
HANDLER = """
    import json

    from recognizer.predictor import Predictor

    model = Predictor()


    def handler(event, _context):
        image = json.loads(event["body"])["image"]
        return {"statusCode": 200, "body": json.dumps({"pred": model.predict(image)})}
"""
PREDICTOR = """
    import torch


    class Predictor:
        def __init__(self, path: str = "artifacts/model.pt") -> None:
            self.model = torch.jit.load(path)

        def predict(self, image):
            return self.model(image)
"""


def lambda_repo(root: Path, extra: dict[str, str] | None = None) -> Path:
    return build(
        root,
        {
            "recognizer/__init__.py": "",
            "recognizer/predictor.py": PREDICTOR,
            "api_serverless/__init__.py": "",
            "api_serverless/api.py": HANDLER,
            "api_serverless/Dockerfile": LAMBDA_DOCKERFILE,
            **(extra or {}),
        },
    )


def test_a_lambda_container_image_serves_the_projects_model(tmp_path: Path) -> None:
    root = lambda_repo(tmp_path)
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.WIRED
    assert any(path == "api_serverless/api.py" for path, _ in details(serving))
    image = criterion(card, "container-image")
    assert image.level is EvidenceLevel.WIRED
    assert (
        "api_serverless/Dockerfile",
        "an AWS Lambda image that runs the project's handler",
    ) in details(image)
    # the handler and the model code behind it are on the serving path
    assert "serving" in roles_of(root, "api_serverless/api.py")
    assert "serving" in roles_of(root, "recognizer/predictor.py")


def test_a_tested_handler_is_automated(tmp_path: Path) -> None:
    test = """
        from api_serverless import api


        def test_handler_returns_a_prediction(monkeypatch):
            monkeypatch.setattr(api.model, "predict", lambda image: "hello")
            response = api.handler({"body": '{"image": "x"}'}, None)
            assert response["statusCode"] == 200
    """
    root = lambda_repo(tmp_path, {"tests/test_api.py": test})
    serving = criterion(scan(root), "model-api")
    assert serving.level is EvidenceLevel.AUTOMATED
    assert ("api_serverless/api.py", "tests exercise the serving code") in details(serving)


def test_a_tested_gradio_app_is_automated_interactive_serving(tmp_path: Path) -> None:
    app = """
        import gradio as gr

        from recognizer.predictor import Predictor

        predictor = Predictor()


        def make_frontend():
            return gr.Interface(fn=predictor.predict, inputs="image", outputs="text")
    """
    test = """
        from app_gradio import app


        def test_frontend_builds():
            assert app.make_frontend() is not None
    """
    root = build(
        tmp_path,
        {
            "recognizer/__init__.py": "",
            "recognizer/predictor.py": PREDICTOR,
            "app_gradio/__init__.py": "",
            "app_gradio/app.py": app,
            "app_gradio/tests/test_app.py": test,
        },
    )
    serving = criterion(scan(root), "model-api")
    assert serving.level is EvidenceLevel.AUTOMATED
    assert ("app_gradio/app.py", "tests exercise the serving code") in details(serving)


# a cron workflow running a Prefect flow that scores with, and retrains, the model --------
PREDICT_FLOW = """
    import joblib
    from prefect import flow

    from train import retrain


    @flow
    def predict():
        model = joblib.load("model.joblib")
        accuracy = model.score(*load_today())
        if accuracy < 0.8:
            retrain()
        return accuracy


    def load_today():
        return [], []


    if __name__ == "__main__":
        predict()
"""
RETRAIN = """
    import wandb
    from sklearn.tree import DecisionTreeClassifier
    from wandb.beta.workflows import link_model, log_model


    def retrain():
        run = wandb.init(project="showcase")
        model = DecisionTreeClassifier().fit([[0], [1]], [0, 1])
        logged = log_model(model, "tree")
        link_model(logged, "model-registry/showcase")
        run.finish()
"""
CRON_WORKFLOW = """
    name: predict-new-data
    on:
      workflow_dispatch:
      schedule:
        - cron: "0 */6 * * *"
    jobs:
      run:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
          - run: pip install -r requirements.txt
          - run: python src/batch_predict.py
"""


def test_a_cron_workflow_running_batch_predictions_is_automated(tmp_path: Path) -> None:
    root = build(
        tmp_path,
        {
            "src/batch_predict.py": PREDICT_FLOW,
            "src/train.py": RETRAIN,
            ".github/workflows/predict.yml": CRON_WORKFLOW,
        },
    )
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.AUTOMATED
    paths = {path for path, detail in details(serving) if detail == "a schedule runs it"}
    assert {".github/workflows/predict.yml", "src/batch_predict.py"} <= paths
    # the retraining it triggers links the new model in the W&B registry, on the schedule
    release = criterion(card, "model-release")
    assert release.level is EvidenceLevel.AUTOMATED
    assert ("src/train.py", "CI or a schedule promotes models") in details(release)


def test_a_prefect_flow_served_on_a_cron_is_scheduled(tmp_path: Path) -> None:
    served = PREDICT_FLOW.replace("    predict()\n", '    predict.serve(cron="0 * * * *")\n')
    root = build(tmp_path, {"src/batch_predict.py": served, "src/train.py": RETRAIN})
    assert criterion(scan(root), "model-api").level is EvidenceLevel.AUTOMATED


def test_the_same_flow_served_with_and_without_a_schedule_is_told_apart(tmp_path: Path) -> None:
    """Entry kinds are looked up once per callee and keywords: the same `predict.serve` in
    two files, once on a cron, puts one flow on a schedule, not both or neither."""
    hourly = PREDICT_FLOW.replace("    predict()\n", '    predict.serve(cron="0 * * * *")\n')
    manual = PREDICT_FLOW.replace("    predict()\n", "    predict.serve()\n")
    for names in [("a_hourly", "b_manual"), ("a_manual", "b_hourly")]:  # either seen first
        root = tmp_path / names[0]
        texts = {"hourly": hourly, "manual": manual}
        build(root, {f"src/{n}.py": texts[n[2:]] for n in names} | {"src/train.py": RETRAIN})
        scheduled = {f.path: f.scheduled for f in entry_points(root) if f.form == "pipeline"}
        assert scheduled == {f"src/{n}.py": n.endswith("hourly") for n in names}, scheduled


# a Metaflow flow that trains, then deploys a SageMaker endpoint -------------------------
FLOW = """
    from metaflow import FlowSpec, step


    class RecommenderFlow(FlowSpec):
        @step
        def start(self):
            self.next(self.train)

        @step
        def train(self):
            from recsys.model import build_model

            self.model = build_model()
            self.model.fit(self.sessions, epochs=5)
            self.next(self.deploy)

        @step
        def deploy(self):
            from sagemaker.tensorflow import TensorFlowModel

            model = TensorFlowModel(model_data=self.model_uri, role=self.role)
            self.predictor = model.deploy(initial_instance_count=1, instance_type="ml.m5.large")
            self.next(self.end)

        @step
        def end(self):
            pass


    if __name__ == "__main__":
        RecommenderFlow()
"""
MODEL = """
    from tensorflow import keras


    def build_model() -> keras.Model:
        return keras.Sequential([keras.layers.Embedding(1000, 32), keras.layers.LSTM(32)])
"""


def test_a_flow_that_deploys_an_endpoint_is_wired_deployment(tmp_path: Path) -> None:
    root = build(
        tmp_path,
        {"src/recsys/__init__.py": "", "src/recsys/model.py": MODEL, "src/flow.py": FLOW},
    )
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.WIRED  # deployed when someone runs the flow
    forms = {(e.form, e.framework) for e in entry_points(root)}
    assert forms == {("pipeline", "metaflow"), ("endpoint", "sagemaker")}
    pipeline = criterion(card, "pipeline")
    assert pipeline.level is EvidenceLevel.WIRED
    assert ("src/flow.py", "an orchestrated pipeline trains the model") in details(pipeline)
    release = criterion(card, "model-release")
    assert release.level is EvidenceLevel.WIRED
    assert details(release) == {
        ("src/flow.py", "the training pipeline deploys the model it trains to an endpoint")
    }


def test_a_scheduled_flow_that_deploys_is_automated(tmp_path: Path) -> None:
    scheduled = FLOW.replace(
        "from metaflow import FlowSpec, step\n", "from metaflow import FlowSpec, schedule, step\n"
    ).replace("    class RecommenderFlow", "    @schedule(daily=True)\n    class RecommenderFlow")
    root = build(
        tmp_path,
        {"src/recsys/__init__.py": "", "src/recsys/model.py": MODEL, "src/flow.py": scheduled},
    )
    assert criterion(scan(root), "model-api").level is EvidenceLevel.AUTOMATED


# a Dagster code location whose schedule runs the scoring job ----------------------------
def test_a_dagster_schedule_puts_the_scoring_job_on_a_schedule(tmp_path: Path) -> None:
    job = """
        import joblib
        from dagster import job, op


        @op
        def score():
            model = joblib.load("model.joblib")
            return model.predict([[1.0, 2.0]])


        @job
        def scoring_job():
            score()
    """
    definitions = """
        from dagster import Definitions, ScheduleDefinition

        from lidar.jobs.scoring import scoring_job

        nightly = ScheduleDefinition(job=scoring_job, cron_schedule="0 2 * * *")
        defs = Definitions(jobs=[scoring_job], schedules=[nightly])
    """
    root = build(
        tmp_path,
        {
            "lidar/__init__.py": "",
            "lidar/jobs/__init__.py": "",
            "lidar/jobs/scoring.py": job,
            "lidar/definitions.py": definitions,
        },
    )
    assert "scheduled" in roles_of(root, "lidar/jobs/scoring.py")
    serving = criterion(scan(root), "model-api")
    assert serving.level is EvidenceLevel.AUTOMATED
    assert ("lidar/jobs/scoring.py", "a schedule runs it") in details(serving)


# a tutorial's Flask form stays a wired form ----------------------------------------------
def test_a_tutorial_flask_form_is_wired_and_releases_nothing(tmp_path: Path) -> None:
    """The end-to-end tutorial layout: a form that calls the predict pipeline. It is wired
    serving, but nothing tests, schedules or releases it, so it stays below real deployments."""
    form = """
        from flask import Flask, render_template, request

        from src.pipeline.predict_pipeline import PredictPipeline

        app = Flask(__name__)


        @app.route("/predictdata", methods=["GET", "POST"])
        def predict_datapoint():
            if request.method == "GET":
                return render_template("home.html")
            results = PredictPipeline().predict(request.form)
            return render_template("home.html", results=results[0])
    """
    pipeline = """
        import pickle


        class PredictPipeline:
            def predict(self, features):
                with open("artifacts/model.pkl", "rb") as handle:
                    model = pickle.load(handle)
                return model.predict(features)
    """
    root = build(
        tmp_path / "form",
        {
            "src/__init__.py": "",
            "src/pipeline/__init__.py": "",
            "src/pipeline/predict_pipeline.py": pipeline,
            "app.py": form,
        },
    )
    card = scan(root)
    assert criterion(card, "model-api").level is EvidenceLevel.WIRED
    assert criterion(card, "model-release").level is EvidenceLevel.ABSENT
    assert criterion(card, "infrastructure-as-code").level is EvidenceLevel.ABSENT
    # an hourly batch job that scores with the model is worth more than the untested form
    batch = build(
        tmp_path / "batch",
        {"newsrisk/__init__.py": "", "newsrisk/scoring.py": SCORING, "dags/score.py": HOURLY_DAG},
    )
    assert category_score(scan(batch), "deployment") > category_score(card, "deployment")


SAGEMAKER_PIPELINE = """
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep


    def get_pipeline(role, image_uri):
        estimator = Estimator(image_uri=image_uri, role=role, instance_count=1)
        train = TrainingStep(name="Train", estimator=estimator, inputs={"train": TrainingInput("s3://x")})
        return Pipeline(name="taxi-fare", steps=[train])
"""


def test_training_declared_as_a_pipeline_step_is_a_training_pipeline(tmp_path: Path) -> None:
    """SageMaker Pipelines, TFX and Vertex AI train through a step or a managed job, never
    through `.fit()` in the project's code."""
    root = build(
        tmp_path, {"pipelines/__init__.py": "", "pipelines/pipeline.py": SAGEMAKER_PIPELINE}
    )
    pipeline = criterion(scan(root), "pipeline")
    assert pipeline.level is EvidenceLevel.WIRED
    assert ("pipelines/pipeline.py", "an orchestrated pipeline trains the model") in details(
        pipeline
    )
