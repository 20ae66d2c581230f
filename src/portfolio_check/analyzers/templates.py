"""Tutorial templates that ship production-shaped artefacts (shared/research/
signals-catalogue.md, section 6): their fingerprints as data (`TEMPLATES`), the per-marker
facts found in a listing or a text, and `template_clones`, run once every file is read. Each
marker of a template is weak evidence on its own; only several distinct markers of one
template make a repository a clone of it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from portfolio_check.analyzers.literals import prefilter
from portfolio_check.common.globs import glob_match
from portfolio_check.model.facts import CourseMarkerFact, Fact
from portfolio_check.model.location import Location


@dataclass(frozen=True, kw_only=True)
class PathMarker:
    """Files a template ships. Every group must match a listed file; a group matches when
    any of its globs does (`glob_match` semantics, case-insensitive)."""

    key: str  # stable within its template
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, kw_only=True)
class TextMarker:
    """Text a template ships, searched in the whole text of a file or notebook cell (so a
    pattern may span lines). Matches must stay short: the matched text is the evidence.
    Patterns start with a literal where they can (no leading `\\b`): the engine then skips
    through a large file instead of trying every position."""

    key: str  # stable within its template
    pattern: re.Pattern[str]
    files: tuple[str, ...] = ()  # globs of the files it is looked for in; empty: any file


@dataclass(frozen=True, kw_only=True)
class Template:
    id: str
    name: str  # for people: "krishnaik06/mlproject tutorial"
    paths: tuple[PathMarker, ...] = ()
    texts: tuple[TextMarker, ...] = ()


def _any_of(key: str, *globs: str) -> PathMarker:
    return PathMarker(key=key, groups=(globs,))


def _all_of(key: str, *globs: str) -> PathMarker:
    return PathMarker(key=key, groups=tuple((glob,) for glob in globs))


def _text(key: str, pattern: str, *files: str) -> TextMarker:
    return TextMarker(key=key, pattern=re.compile(pattern, re.MULTILINE), files=files)


#: Distinct markers of one template that make a repository a clone of it (catalogue 6,
#: gating rule 1). Below this the markers stay weak, per-marker evidence.
CLONE_THRESHOLD = 3

TEMPLATES: tuple[Template, ...] = (
    Template(
        id="krishnaik-mlproject",
        name="krishnaik06/mlproject tutorial",
        paths=(
            _all_of(
                "components",
                "**/src/components/data_ingestion.py",
                "**/src/components/data_transformation.py",
                "**/src/components/model_trainer.py",
            ),
            _any_of(
                "pipeline",
                "**/src/pipeline/train_pipeline.py",
                "**/src/pipeline/predict_pipeline.py",
            ),
            _any_of("student-data", "**/notebook/data/stud.csv"),
            PathMarker(
                key="artifacts",
                groups=(
                    ("**/artifacts/model.pkl",),
                    # the tutorial's own file is misspelt, and many clones keep it
                    ("**/artifacts/preprocessor.pkl", "**/artifacts/proprocessor.pkl"),
                ),
            ),
            _any_of("ebextensions", "**/.ebextensions/python.config"),
            _any_of("catboost-info", "**/catboost_info/*"),
        ),
        texts=(
            _text(
                "exception-message",
                r"Error occ?urr?ed in python script name"
                r"|def error_message_detail\(\s*error\s*,\s*error_detail\s*:\s*sys\b",
            ),
            _text("hypen-e-dot", r"HYPEN_E_DOT\b"),
            _text(
                "get-requirements",
                r"def get_requirements\(\s*file_path\s*:\s*str\s*\)",
                "**/setup.py",
            ),
        ),
    ),
    Template(
        id="entbappy-mlflow-dvc",
        name="iNeuron/entbappy MLflow-DVC project",
        paths=(
            _any_of(
                "research-notebooks",
                "**/research/01_data_ingestion.ipynb",
                "**/research/0?_prepare_base_model.ipynb",
                "**/research/0?_data_validation.ipynb",
                "**/research/0?_model_trainer.ipynb",
                "**/research/0?_model_evaluation*.ipynb",
                "**/research/trials.ipynb",
            ),
            _all_of("package-layout", "src/*/components/*", "src/*/constants/*", "src/*/entity/*"),
            _any_of("stage-pipelines", "**/pipeline/stage_0?_*.py"),
            _any_of("config-entity", "**/entity/config_entity.py"),
            _any_of("jenkinsfile", "**/.jenkins/jenkinsfile"),
            _any_of("jenkins-scripts", "**/scripts/jenkins.sh", "**/scripts/ec2_setup.sh"),
        ),
        texts=(
            _text("list-of-files", r"^[ \t]*list_of_files\s*=\s*\[", "**/template.py"),
            _text(
                "configuration-manager",
                r"^[ \t]*class ConfigurationManager\b",
                "**/config/configuration.py",
                "**/*.ipynb",
            ),
            _text(
                "readme-workflows",
                r"Update the configuration manager in src config|Live matarials docs",
            ),
        ),
    ),
    Template(
        id="cookiecutter-data-science",
        name="Cookiecutter Data Science",
        paths=(
            _all_of(
                "data-gitkeeps",
                "**/data/raw/.gitkeep",
                "**/data/interim/.gitkeep",
                "**/data/processed/.gitkeep",
                "**/data/external/.gitkeep",
            ),
        ),
        texts=(
            _text(
                "readme-tree",
                r"<- (?:The top-level README for developers using this project"
                r"|Open-source license if one is chosen|The original, immutable data dump)"
                # the generated one-line description, left as it was
                r"|A short description of the project\.[ \t]*$",
            ),
            _text(
                "ccds-badge",
                r"img\.shields\.io/badge/CCDS-Project(?:%20| )template|#cookiecutterdatascience\b",
            ),
            _text(
                "placeholder-test",
                r"^[ \t]*def test_code_is_tested\(\)\s*(?:->\s*None\s*)?:\s+assert False\b",
            ),
            _text("environment-check", r"Development environment passes all tests!"),
        ),
    ),
    Template(
        id="made-with-ml",
        name="Made-With-ML course",
        paths=(
            _any_of("package", "**/madewithml/*.py"),
            PathMarker(
                key="datasets",
                groups=(
                    ("**/datasets/dataset.csv",),
                    ("**/datasets/holdout.csv",),
                    ("**/datasets/projects.csv", "**/datasets/tags.csv"),
                ),
            ),
            _any_of(
                "ray-deploy",
                "**/deploy/cluster_compute.yaml",
                "**/deploy/cluster_env.yaml",
                "**/deploy/services/serve_model.py",
            ),
        ),
        texts=(
            _text(
                "behavioral-tests",
                r"def test_(?:invariance|directional|mft)\(\s*input"
                r"|Transformers applied to NLP have (?:revolutionized|disrupted) machine learning",
            ),
        ),
    ),
    Template(
        id="dlai-mlep",
        name="DeepLearning.AI ML Engineering for Production labs",
        paths=(
            _any_of("course-folders", "**/course[1-4]/week[1-4]-ungraded-labs/*"),
            _any_of("fastapi-docker-lab", "**/c4_w2_lab_?_fastapi_docker/*"),
            _any_of("kubernetes-lab", "**/c4_w2_lab_?_intro_to_kubernetes/*"),
            _any_of(
                "load-test-lab",
                "**/compose_load_test/locustfile.py",
                "**/c4_w2_lab_?_latency_test_compose/*",
            ),
            _any_of(
                "github-actions-lab",
                ".github/workflows/course4-week3-lab.yml",
                "**/c4_w3_lab_?_github_actions/*",
            ),
        ),
    ),
    Template(
        id="handson-ml",
        name="Hands-On ML (Géron) notebooks",
        paths=(
            _any_of(
                "housing-data", "**/datasets/housing/housing.csv", "**/datasets/housing/housing.tgz"
            ),
            _any_of(
                "chapter-notebooks",
                "**/01_the_machine_learning_landscape.ipynb",
                "**/02_end_to_end_machine_learning_project.ipynb",
                "**/04_training_linear_models.ipynb",
                "**/05_support_vector_machines.ipynb",
                "**/07_ensemble_learning_and_random_forests.ipynb",
                "**/10_neural_nets_with_keras.ipynb",
                "**/11_training_deep_neural_networks.ipynb",
            ),
        ),
        texts=(
            _text("fetch-housing", r"fetch_housing_data\("),
            _text(
                "data-url",
                r"github(?:usercontent)?\.com/ageron/(?:handson-ml[23]?|data)/",
            ),
        ),
    ),
)
TEMPLATE_PREFIX = "template:"
CLONE_PREFIX = "template-clone:"
_TEMPLATES_BY_ID = {template.id: template for template in TEMPLATES}


def _template_fact(template: Template, location: Location, text: str) -> CourseMarkerFact:
    return CourseMarkerFact(
        location=location,
        marker=TEMPLATE_PREFIX + template.id,
        family=template.name,
        text=text[:120],
    )


def _any_glob_regex(globs: Iterable[str]) -> re.Pattern[str]:
    """One regex that matches every lower-cased path some glob may match (a pre-filter:
    `glob_match` still decides), so a large listing is walked once, not once per glob.
    The globs that start with `**/` share one optional `.*/` in front of their rests: the
    same paths as a `.*/` for each, without each backtracking over the path in turn."""
    anywhere: list[str] = []  # the rests of `**/` globs: at the root or under any folder
    rooted: list[str] = []
    for glob in globs:
        lowered = glob.lower()
        if lowered.startswith("**/"):
            anywhere.append(fnmatch.translate(lowered[3:]))
        else:
            rooted.append(fnmatch.translate(lowered))
    parts = [f"(?s:.*/)?(?:{'|'.join(anywhere)})"] if anywhere else []
    return re.compile("|".join(f"(?:{part})" for part in [*parts, *rooted]))


_TEMPLATE_PATHS = _any_glob_regex(
    glob
    for template in TEMPLATES
    for marker in template.paths
    for group in marker.groups
    for glob in group
)


def template_path_markers(paths: Iterable[str]) -> Iterator[CourseMarkerFact]:
    """Template files in a listing: one fact per path marker, at the first file of its first
    group, with the files that made it hold."""
    candidates = [path for path in paths if _TEMPLATE_PATHS.match(path.lower())]
    for template in TEMPLATES:
        for marker in template.paths:
            found = [
                next((p for p in candidates if any(glob_match(p, g) for g in group)), None)
                for group in marker.groups
            ]
            matched = [path for path in found if path is not None]
            if len(matched) == len(marker.groups):
                yield _template_fact(template, Location(path=matched[0]), ", ".join(matched))


def template_markers_in_text(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Template text markers in one text (a file or a notebook cell): one fact per marker,
    at the line where its first match starts, with the matched text."""
    for template in TEMPLATES:
        for marker in template.texts:
            if marker.files and not any(glob_match(location.path, g) for g in marker.files):
                continue
            if not prefilter(marker.pattern).may_match(text):
                continue  # without the literals it needs, the pattern cannot match
            match = marker.pattern.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                where = Location(path=location.path, line=line, cell=location.cell)
                yield _template_fact(template, where, " ".join(match.group(0).split()))


def marker_candidates(template: Template, fact: CourseMarkerFact) -> frozenset[str]:
    """The markers of `template` a per-marker fact can stand for. A path fact (no line) sits
    at a file of its marker's first group; a text fact carries the text its pattern matched.
    Path globs of one template may overlap (a file of a DLAI lab folder is also under the
    course folder), so a path fact can fit more than one marker."""
    if fact.location.line is None:
        return frozenset(
            marker.key
            for marker in template.paths
            if any(glob_match(fact.path, glob) for glob in marker.groups[0])
        )
    return frozenset(marker.key for marker in template.texts if marker.pattern.search(fact.text))


def _distinct_markers(candidates: Iterable[frozenset[str]]) -> int:
    """How many distinct markers the facts stand for: a maximum matching of facts to the
    markers each can stand for (Kuhn's augmenting paths). Facts with the same candidates
    fill at most as many slots as they have candidates: one marker found in ten files is
    still one marker."""
    tally: dict[frozenset[str], int] = {}
    for keys in candidates:
        if keys:
            tally[keys] = tally.get(keys, 0) + 1
    slots = [keys for keys, count in tally.items() for _ in range(min(count, len(keys)))]
    owner: dict[str, int] = {}  # marker key -> the slot standing for it

    def assign(slot: int, tried: set[str]) -> bool:
        for key in sorted(slots[slot] - tried):
            tried.add(key)
            if key not in owner or assign(owner[key], tried):
                owner[key] = slot
                return True
        return False

    for slot in range(len(slots)):
        assign(slot, set())
    return len(owner)


def template_clones(facts: Iterable[Fact]) -> list[CourseMarkerFact]:
    """One `template-clone:<id>` fact per template with at least `CLONE_THRESHOLD` distinct
    markers among the per-marker `template:<id>` facts, at the first of their paths (in path
    order). Below the threshold the per-marker facts stay what they are: weak evidence."""
    found: dict[str, list[CourseMarkerFact]] = {}
    for fact in facts:
        if isinstance(fact, CourseMarkerFact) and fact.marker.startswith(TEMPLATE_PREFIX):
            template_id = fact.marker[len(TEMPLATE_PREFIX) :]
            if template_id in _TEMPLATES_BY_ID:
                found.setdefault(template_id, []).append(fact)
    clones: list[CourseMarkerFact] = []
    for template in TEMPLATES:
        # a list, not a dict: equal facts from two markers at one file are two markers
        candidates = [
            (fact.path, keys)
            for fact in found.get(template.id, [])
            if (keys := marker_candidates(template, fact))
        ]
        count = _distinct_markers(keys for _, keys in candidates)
        if count >= CLONE_THRESHOLD:
            clones.append(
                CourseMarkerFact(
                    location=Location(path=min(path for path, _ in candidates)),
                    marker=CLONE_PREFIX + template.id,
                    family=template.name,
                    text=f"{count} markers of the {template.name} template",
                )
            )
    return clones
