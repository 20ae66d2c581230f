"""Facts: what the analyzers found, each with the place it was found.

Facts are frozen data. Each kind has a name that rubrics use (`fact: import`) and fields a
rubric can match on (`where: {scope: code}`). A fact is a `placeholder` when it has the
shape of evidence without the substance (a test that asserts nothing, an empty
Dockerfile, a workflow that only echoes): it can never prove more than a claim.

One module per family of facts: `base` (the `Fact` every kind derives from, and `Facts`),
`files`, `dependencies`, `code`, `writing`, `automation`, `coursework`, `provenance`; and
`registry` (`FACT_TYPES`: every kind by name). Every public name is re-exported here, so
`from portfolio_check.model.facts import X` is how callers import them.
"""

from __future__ import annotations

from portfolio_check.model.facts.automation import (
    TASK_NOUNS,
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    EntryForm,
    EntryPointFact,
    InfrastructureFact,
    K8sResourceFact,
    PrecommitHookFact,
    TaskFact,
    WorkflowJobFact,
)
from portfolio_check.model.facts.base import Fact, Facts, fact_value, field_reader
from portfolio_check.model.facts.code import (
    CallFact,
    CallUsage,
    CodeBalanceFact,
    CodeHealthFact,
    FunctionFact,
    HardcodedPathFact,
    ImportFact,
    NotebookFact,
    PythonModuleFact,
    Scope,
    TestFunctionFact,
    TrainServeParityFact,
)
from portfolio_check.model.facts.coursework import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    ToyDatasetFact,
)
from portfolio_check.model.facts.dependencies import (
    DependencyFact,
    DependencyManifestFact,
    LockfileFact,
)
from portfolio_check.model.facts.files import (
    ContentMatchFact,
    FindingFact,
    SecretFact,
    SourceFileFact,
)
from portfolio_check.model.facts.provenance import (
    CopiedFileFact,
    ForeignPlaces,
    HistoryFact,
    InheritedFileFact,
    OwnFileFact,
    UpstreamRepositoryFact,
    course_places,
    in_place,
)
from portfolio_check.model.facts.registry import FACT_TYPES, fact_fields
from portfolio_check.model.facts.writing import HeadingFact, NotebookAnalysisFact, WrittenFact

__all__ = [
    "FACT_TYPES",
    "TASK_NOUNS",
    "CallFact",
    "CallUsage",
    "CertificateFact",
    "CodeBalanceFact",
    "CodeHealthFact",
    "ComposeServiceFact",
    "ContentMatchFact",
    "CopiedFileFact",
    "CourseFolderFact",
    "CourseMarkerFact",
    "DependencyFact",
    "DependencyManifestFact",
    "DockerfileFact",
    "DvcStageFact",
    "EntryForm",
    "EntryPointFact",
    "Fact",
    "Facts",
    "FindingFact",
    "ForeignPlaces",
    "FunctionFact",
    "HardcodedPathFact",
    "HeadingFact",
    "HistoryFact",
    "ImportFact",
    "InfrastructureFact",
    "InheritedFileFact",
    "K8sResourceFact",
    "LockfileFact",
    "NotebookAnalysisFact",
    "NotebookFact",
    "OwnFileFact",
    "PrecommitHookFact",
    "PythonModuleFact",
    "Scope",
    "SecretFact",
    "SourceFileFact",
    "TaskFact",
    "TestFunctionFact",
    "ToyDatasetFact",
    "TrainServeParityFact",
    "UpstreamRepositoryFact",
    "WorkflowJobFact",
    "WrittenFact",
    "course_places",
    "fact_fields",
    "fact_value",
    "field_reader",
    "in_place",
]
