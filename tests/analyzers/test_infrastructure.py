"""Infrastructure as code and platform deploy files: what each declares, what it runs, and
how the rubric reads it (containerisation's infrastructure-as-code, deployment's release)."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.infrastructure import InfrastructureAnalyzer
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.app.scan import scan
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import EntryPointFact, Fact, FindingFact, InfrastructureFact
from portfolio_check.model.levels import EvidenceLevel
from portfolio_check.model.scorecard import CriterionResult, Scorecard
from tests.repos import RepoBuilder

CONTEXT = AnalysisContext(layout=ProjectLayout())


def read(path: str, text: str) -> list[Fact]:
    analyzer = InfrastructureAnalyzer()
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    assert analyzer.wants(entry)
    return list(analyzer.analyze(entry, text, CONTEXT))


def resources(facts: list[Fact]) -> list[tuple[str, str, str, int | None]]:
    return [
        (f.tool, f.resource, f.name, f.location.line)
        for f in facts
        if isinstance(f, InfrastructureFact)
    ]


def criterion(card: Scorecard, criterion_id: str) -> CriterionResult:
    return next(c for cat in card.categories for c in cat.criteria if c.id == criterion_id)


def details(result: CriterionResult) -> set[tuple[str, str]]:
    return {(item.path, item.detail) for item in result.evidence}


def build(root: Path, files: dict[str, str]) -> Path:
    RepoBuilder(root, git=False).files(files)
    return root


# Terraform --------------------------------------------------------------------------------
TERRAFORM = """
terraform {
  required_providers {
    google = "~> 3.6"
  }
}

provider "google" {
  project = var.project_id
}

resource "google_storage_bucket" "artifact_repo" {
  name     = "${var.project_id}-artifacts"
  location = var.region
}

module "project-services" {
  source = "terraform-google-modules/project-factory/google//modules/project_services"
}

locals {
  note = <<EOT
resource "inside" "a heredoc" is text, but reads like a header
EOT
}
"""


def test_terraform_resources_and_modules_are_listed_with_their_lines() -> None:
    found = resources(read("provision/terraform/main.tf", TERRAFORM))
    assert found[:2] == [
        ("terraform", "google_storage_bucket", "artifact_repo", 12),
        ("terraform", "module", "project-services", 17),
    ]
    # providers, locals and the terraform block declare no resource
    assert all(resource != "google" for _, resource, _, _ in found)


def test_terraform_that_only_stores_artefacts_is_present_infrastructure(tmp_path: Path) -> None:
    root = build(tmp_path, {"provision/terraform/main.tf": TERRAFORM, "src/train.py": "x = 1\n"})
    result = criterion(scan(root), "infrastructure-as-code")
    assert result.level is EvidenceLevel.PRESENT
    assert any(path == "provision/terraform/main.tf" for path, _ in details(result))


def test_terraform_serving_the_model_and_checked_in_ci_is_automated(tmp_path: Path) -> None:
    service = TERRAFORM + '\nresource "google_cloud_run_v2_service" "scoring" {\n  name = "x"\n}\n'
    workflow = """
        name: infra
        on: [pull_request]
        jobs:
          plan:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: hashicorp/setup-terraform@v3
              - run: terraform -chdir=infra init
              - run: terraform -chdir=infra plan
    """
    root = build(tmp_path, {"infra/main.tf": service, ".github/workflows/infra.yml": workflow})
    result = criterion(scan(root), "infrastructure-as-code")
    assert result.level is EvidenceLevel.AUTOMATED
    assert (".github/workflows/infra.yml", "CI checks or applies the infrastructure") in details(
        result
    )


def test_a_sagemaker_endpoint_declared_in_terraform_serves_the_model(tmp_path: Path) -> None:
    endpoint = """
        resource "aws_sagemaker_model" "churn" {
          name               = "churn"
          execution_role_arn = aws_iam_role.sagemaker.arn
        }

        resource "aws_sagemaker_endpoint" "churn" {
          name                 = "churn"
          endpoint_config_name = aws_sagemaker_endpoint_configuration.churn.name
        }
    """
    root = build(tmp_path, {"infra/sagemaker.tf": endpoint})
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.WIRED
    assert any(path == "infra/sagemaker.tf" for path, _ in details(serving))
    assert criterion(card, "infrastructure-as-code").level is EvidenceLevel.WIRED


# SAM, CloudFormation and the Serverless Framework ---------------------------------------
SAM_TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 30
    Runtime: python3.11
Resources:
  PredictFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Events:
        Predict:
          Type: Api
          Properties:
            Path: /predict
            Method: post
  ModelBucket:
    Type: AWS::S3::Bucket
Outputs:
  PredictApi:
    Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/predict/"
  FunctionArn:
    Value: !GetAtt PredictFunction.Arn
"""
LAMBDA_APP = """
    import json

    import joblib

    model = joblib.load("model.joblib")


    def lambda_handler(event, context):
        features = json.loads(event["body"])["features"]
        return {"statusCode": 200, "body": json.dumps({"prediction": model.predict([features]).tolist()})}
"""


def test_a_sam_template_names_its_handler_module() -> None:
    [function, bucket] = [
        f for f in read("template.yaml", SAM_TEMPLATE) if isinstance(f, InfrastructureFact)
    ]
    assert (function.tool, function.resource, function.name) == (
        "sam",
        "AWS::Serverless::Function",
        "PredictFunction",
    )
    assert function.references == ("src/app.py",)
    assert function.location.line == 9
    assert (bucket.resource, bucket.references) == ("AWS::S3::Bucket", ())


def test_a_sam_function_whose_handler_predicts_is_serverless_serving(tmp_path: Path) -> None:
    root = build(tmp_path, {"template.yaml": SAM_TEMPLATE, "src/app.py": LAMBDA_APP})
    card = scan(root)
    iac = criterion(card, "infrastructure-as-code")
    assert iac.level is EvidenceLevel.WIRED
    assert ("template.yaml", "a function whose handler is the project's code") in details(iac)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.WIRED
    [entry] = list(analyze(open_target(root)).of("entry_point"))
    assert isinstance(entry, EntryPointFact)
    assert (entry.path, entry.form, entry.framework, entry.reaches_model) == (
        "src/app.py",
        "serverless",
        "aws-lambda",
        True,
    )


def test_a_handler_that_is_not_in_the_repository_is_a_claim(tmp_path: Path) -> None:
    root = build(tmp_path, {"template.yaml": SAM_TEMPLATE})
    result = criterion(scan(root), "infrastructure-as-code")
    assert result.level is EvidenceLevel.PRESENT  # the bucket is real; the function is inert
    function = next(e for e in result.evidence if "PredictFunction" in e.detail)
    assert function.placeholder == "it runs src/app.py, which is not in the repository"


def test_a_serverless_framework_function_names_its_handler() -> None:
    text = """
service: churn-api
provider:
  name: aws
  runtime: python3.11
functions:
  predict:
    handler: handler.predict
    events:
      - httpApi: POST /predict
"""
    [function] = [f for f in read("serverless.yml", text) if isinstance(f, InfrastructureFact)]
    assert (function.tool, function.resource, function.name, function.references) == (
        "serverless",
        "aws function",
        "predict",
        ("handler",),
    )


def test_yaml_that_only_mentions_aws_is_not_a_template() -> None:
    assert read("config/settings.yaml", "region: eu-west-1\nbucket: my-models\n") == []


def test_a_broken_serverless_file_is_a_finding_and_a_broken_template_lookalike_is_not() -> None:
    [finding] = read("serverless.yml", "functions: [unclosed\n")
    assert isinstance(finding, FindingFact)
    assert read("stack.yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  x: [\n") == []


# CDK and a SageMaker endpoint released by a pipeline defined in code ----------------------
ENDPOINT_STACK = """
    import aws_cdk as cdk
    from aws_cdk import aws_sagemaker as sagemaker
    from constructs import Construct


    class EndpointStack(cdk.Stack):
        def __init__(self, scope: Construct, construct_id: str, package_arn: str) -> None:
            super().__init__(scope, construct_id)
            model = sagemaker.CfnModel(
                self,
                "Model",
                execution_role_arn="arn:aws:iam::123:role/sm",
                primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                    model_package_name=package_arn
                ),
            )
            config = sagemaker.CfnEndpointConfig(self, "Config", production_variants=[])
            sagemaker.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)
"""
DEPLOY_PIPELINE = """
    import aws_cdk as cdk
    from aws_cdk import aws_codepipeline as codepipeline
    from aws_cdk import aws_codepipeline_actions as actions


    def deploy_stage(pipeline: codepipeline.Pipeline, template: codepipeline.Artifact) -> None:
        pipeline.add_stage(
            stage_name="DeployStaging",
            actions=[
                actions.CloudFormationCreateUpdateStackAction(
                    action_name="Deploy",
                    stack_name="drift-staging",
                    template_path=template.at_path("staging.template.json"),
                    admin_permissions=True,
                )
            ],
        )
"""
REGISTER = """
    from sagemaker.workflow.step_collections import RegisterModel


    def register(estimator, group: str):
        return RegisterModel(
            name="RegisterModel",
            estimator=estimator,
            model_package_group_name=group,
            approval_status="PendingManualApproval",
        )
"""
APP = """
    import aws_cdk as cdk

    from infra.endpoint_stack import EndpointStack

    app = cdk.App()
    EndpointStack(app, "drift-endpoint", package_arn=app.node.try_get_context("package"))
    app.synth()
"""


def test_a_cdk_endpoint_released_by_its_pipeline(tmp_path: Path) -> None:
    root = build(
        tmp_path,
        {
            "cdk.json": '{"app": "python3 app.py", "context": {}}',
            "app.py": APP,
            "infra/__init__.py": "",
            "infra/endpoint_stack.py": ENDPOINT_STACK,
            "infra/pipeline.py": DEPLOY_PIPELINE,
            "pipelines/register.py": REGISTER,
        },
    )
    card = scan(root)
    serving = criterion(card, "model-api")
    assert serving.level is EvidenceLevel.WIRED
    assert any(path == "infra/endpoint_stack.py" for path, _ in details(serving))
    iac = criterion(card, "infrastructure-as-code")
    assert iac.level is EvidenceLevel.WIRED
    assert ("cdk.json", "cdk app") in {(e.path, e.detail) for e in iac.evidence}
    release = criterion(card, "model-release")
    assert release.level is EvidenceLevel.AUTOMATED
    assert ("pipelines/register.py", "a model registered with an approval status") in details(
        release
    )
    assert ("infra/pipeline.py", "a deployment pipeline defined in code releases it") in details(
        release
    )


def test_cdk_json_names_the_app_it_synthesises() -> None:
    [app] = read("cdk.json", '{"app": "python3 app.py"}')
    assert isinstance(app, InfrastructureFact)
    assert (app.tool, app.resource, app.references) == ("cdk", "app", ("app.py",))
    [finding] = read("cdk.json", "{not json")
    assert isinstance(finding, FindingFact)


# platform deploy files: Procfile, App Engine, Helm -----------------------------------------
FLASK_APP = """
    import pickle

    from flask import Flask, request

    app = Flask(__name__)
    model = pickle.load(open("model_pkl", "rb"))


    @app.route("/predict", methods=["POST"])
    def predict():
        return {"species": str(model.predict([request.json["features"]])[0])}
"""


def test_a_procfile_declares_where_the_service_runs(tmp_path: Path) -> None:
    root = build(tmp_path, {"Procfile": "web: gunicorn app:app\n", "app.py": FLASK_APP})
    card = scan(root)
    release = criterion(card, "model-release")
    assert release.level is EvidenceLevel.PRESENT
    assert ("Procfile", "a platform deploy file") in details(release)
    [process] = list(analyze(open_target(root)).of("infrastructure"))
    assert isinstance(process, InfrastructureFact)
    assert (process.tool, process.name, process.references, process.target_exists) == (
        "heroku",
        "web",
        ("app",),
        True,
    )


def test_a_procfile_that_starts_a_missing_module_is_a_claim(tmp_path: Path) -> None:
    root = build(tmp_path, {"Procfile": "web: gunicorn webapp:app\n", "app.py": FLASK_APP})
    release = criterion(scan(root), "model-release")
    assert release.level is EvidenceLevel.CLAIMED


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("Procfile", "# comment\nweb: gunicorn app:app\nworker: python worker.py\n",
         [("heroku", "process", "web", 2), ("heroku", "process", "worker", 3)]),
        ("app.yaml", "runtime: python311\nentrypoint: gunicorn -b :$PORT main:app\n",
         [("app-engine", "service", "default", 1)]),
        ("app.yaml", "runtime: docker\nname: not an app engine file\n", []),
        ("deploy/chart/Chart.yaml", "apiVersion: v2\nname: churn-api\nversion: 0.1.0\n",
         [("helm", "chart", "churn-api", 1)]),
        ("Pulumi.yaml", "name: scoring\nruntime: python\n",
         [("pulumi", "python project", "scoring", 1)]),
    ],
)  # fmt: skip
def test_platform_files(path: str, text: str, expected: list[tuple[str, str, str, int]]) -> None:
    assert resources(read(path, text)) == expected
