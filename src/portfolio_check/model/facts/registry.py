"""The registry of fact kinds: `FACT_TYPES` (kind name to class, in a fixed order that the
cache codec and the rubric schema read) and the fields a rubric may match on."""

from __future__ import annotations

import dataclasses

from portfolio_check.model.facts.automation import (
    ComposeServiceFact,
    DockerfileFact,
    DvcStageFact,
    EntryPointFact,
    InfrastructureFact,
    K8sResourceFact,
    PrecommitHookFact,
    TaskFact,
    WorkflowJobFact,
)
from portfolio_check.model.facts.base import Fact
from portfolio_check.model.facts.code import (
    CallFact,
    CodeBalanceFact,
    CodeHealthFact,
    FunctionFact,
    HardcodedPathFact,
    ImportFact,
    NotebookFact,
    PythonModuleFact,
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
    HistoryFact,
    InheritedFileFact,
    OwnFileFact,
    UpstreamRepositoryFact,
)
from portfolio_check.model.facts.writing import HeadingFact, NotebookAnalysisFact

FACT_TYPES: dict[str, type[Fact]] = {
    cls.kind: cls
    for cls in (
        SourceFileFact,
        InheritedFileFact,
        DependencyFact,
        DependencyManifestFact,
        LockfileFact,
        PythonModuleFact,
        ImportFact,
        CallFact,
        TestFunctionFact,
        NotebookFact,
        HeadingFact,
        NotebookAnalysisFact,
        DockerfileFact,
        WorkflowJobFact,
        ComposeServiceFact,
        DvcStageFact,
        CourseMarkerFact,
        CourseFolderFact,
        ToyDatasetFact,
        CertificateFact,
        ContentMatchFact,
        FindingFact,
        FunctionFact,
        HardcodedPathFact,
        TaskFact,
        PrecommitHookFact,
        K8sResourceFact,
        InfrastructureFact,
        EntryPointFact,
        HistoryFact,
        TrainServeParityFact,
        CodeBalanceFact,
        CodeHealthFact,
        CopiedFileFact,
        OwnFileFact,
        UpstreamRepositoryFact,
        SecretFact,
    )
}


def fact_fields(kind: str) -> frozenset[str]:
    """The names a rubric may use in `where:` for facts of this kind (plus `path`)."""
    fields = {f.name for f in dataclasses.fields(FACT_TYPES[kind]) if f.name != "location"}
    return frozenset(fields | {"path"})
