"""CI configs: which CI system a file configures, from its path (or, for a Cloud Build
config by another name, its content), and the reader of each: GitHub Actions
(`ci_github_actions`) and the other systems (`ci_other_systems`), each job a
`WorkflowJobFact` (`ci_jobs`).

A job is read for what its commands do (`script_activity`'s rules), which project files
they name, and which tasks and scripts they hand over to (`make test`,
`./tasks/unit_test.sh`), each from the folder the job runs in. What those tasks do is the
linker's to add (`task_graph`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.ci_github_actions import (
    ACTION_FILES,
    composite_action_fact,
    github_facts,
)
from portfolio_check.analyzers.ci_other_systems import (
    azure_facts,
    bitbucket_facts,
    circleci_facts,
    cloud_build_facts,
    codebuild_facts,
    gitlab_facts,
    is_cloud_build,
    jenkins_facts,
)
from portfolio_check.analyzers.yaml_shapes import yaml_finding
from portfolio_check.common.safe_yaml import YamlError, load_yaml
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact
from portfolio_check.model.location import folders_and_name, suffix_of

_TOP_LEVEL_STEPS = re.compile(r"^['\"]?steps['\"]?[^\S\n]*:", re.MULTILINE)


def is_github_workflow(path: str) -> bool:
    folders, name = folders_and_name(path)
    return (
        folders == [".github", "workflows"]
        and not path.startswith("/")  # `/.github/workflows` is not the repository's folder
        and suffix_of(name).lower() in (".yml", ".yaml")
    )


def ci_system(path: str) -> str | None:
    """The CI system a file configures, from its path alone (Cloud Build configs with
    another name are recognised by their content)."""
    folders, name = folders_and_name(path)
    name, suffix = name.lower(), suffix_of(name).lower()
    if name == "jenkinsfile" or name.startswith("jenkinsfile."):
        return "jenkins"
    if suffix not in (".yml", ".yaml"):
        return None
    if is_github_workflow(path):
        return "github-actions"
    if name == ".gitlab-ci.yml":
        return "gitlab-ci"
    if folders[-1:] == [".circleci"]:
        return "circleci"
    if name.startswith("cloudbuild"):
        return "cloud-build"
    if name.startswith("buildspec"):
        return "codebuild"
    if name.startswith("azure-pipelines"):
        return "azure-pipelines"
    if name == "bitbucket-pipelines.yml":
        return "bitbucket-pipelines"
    return None


def is_ci_config(path: str) -> bool:
    return ci_system(path) is not None


class CiAnalyzer:
    """Every CI config. Any YAML file may be a Cloud Build config (`steps:` of builder
    images), so it takes every YAML file and reads the others only when a top-level
    `steps:` line is there."""

    name = "ci"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.suffix in (".yml", ".yaml") or ci_system(entry.path) == "jenkins"

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        system = ci_system(entry.path)
        if system == "jenkins":
            yield from jenkins_facts(entry.path, text)
            return
        if system is None and entry.name not in ACTION_FILES and not _TOP_LEVEL_STEPS.search(text):
            return
        try:
            document = load_yaml(text)
        except YamlError as error:
            if system is not None:  # any other YAML is not ours to judge
                yield yaml_finding(entry, self.name, error)
            return
        if system is None:
            if entry.name in ACTION_FILES:
                yield from composite_action_fact(entry.path, text, document)
            elif is_cloud_build(document):
                yield from cloud_build_facts(entry.path, text, document)
            return
        yield from _READERS[system](entry.path, text, document)


_READERS = {
    "github-actions": github_facts,
    "gitlab-ci": gitlab_facts,
    "circleci": circleci_facts,
    "cloud-build": cloud_build_facts,
    "codebuild": codebuild_facts,
    "azure-pipelines": azure_facts,
    "bitbucket-pipelines": bitbucket_facts,
}
