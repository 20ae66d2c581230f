"""Certification-only evidence: grader scaffolding, course layouts, teaching datasets and
certificates. The markers are inserted by course platforms, not by learners, which makes them
precise (shared/research/signals-catalogue.md, section 5).

Also the fingerprints of tutorial templates that ship production-shaped artefacts (section 6):
each marker of a template is weak evidence on its own; only several distinct markers of one
template make a repository a clone of it (`template_clones`, run once every file is read).
And sentences in a README that say the work belongs to a course (`course_mentions`).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from portfolio_check.analyzers import teaching_data
from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.facts import (
    CertificateFact,
    CourseFolderFact,
    CourseMarkerFact,
    Fact,
    ToyDatasetFact,
)
from portfolio_check.snapshot import FileEntry, Location, Snapshot, ancestors, glob_match


@dataclass(frozen=True, kw_only=True)
class Marker:
    id: str
    family: str
    pattern: re.Pattern[str]


def _marker(marker_id: str, family: str, pattern: str, flags: int = 0) -> Marker:
    return Marker(id=marker_id, family=family, pattern=re.compile(pattern, flags))


DLAI = "DeepLearning.AI"
#: Grader scaffolding found in notebook cells and course scripts (catalogue section 5.1).
TEXT_MARKERS: tuple[Marker, ...] = (
    _marker("graded-function", DLAI, r"#\s*GRADED (?:FUNCTION|CLASS|CELL)\b"),
    _marker("start-code-here", DLAI, r"#{2,}\s*START CODE HERE"),
    _marker("unique-cell-id", DLAI, r"#\s*UNQ_C\d+"),
    _marker("public-tests", DLAI, r"\bfrom public_tests import\b|\bimport public_tests\b"),
    _marker("unit-test-module", DLAI, r"\bimport w\d_unittest\b|\bw\d_unittest\.test_"),
    _marker("test-utils-comparator", DLAI, r"from test_utils import .*\bcomparator\b"),
    _marker("expected-output", DLAI, r"\*\*Expected Output:?\*\*"),
    _marker("cs231n-your-code", "Stanford CS231n", r"\*{5}START OF YOUR CODE \(DO NOT DELETE"),
    _marker(
        "learntools-binder",
        "Kaggle Learn",
        r"\bfrom learntools\.core import binder\b"
        r"|\bbinder\.bind\(globals\(\)\)|\bfrom learntools\.\w+\.ex\d+ import",
    ),
    _marker("kaggle-learn-check", "Kaggle Learn", r"\b(?:q_?\d+|step_\d+)\.check\(\)"),
    _marker(
        "udacity-unittests",
        "Udacity",
        r"\bimport problem_unittests\b"
        r"|DON'T MODIFY ANYTHING IN THIS CELL",
    ),
    _marker("fastbook-setup", "fast.ai course", r"\bfastbook\.setup_book\(\)"),
    _marker(
        "ibm-skills-network",
        "IBM Skills Network",
        r"IBMDeveloperSkillsNetwork-[A-Z0-9]+-SkillsNetwork|cognitiveclass\.ai logo",
    ),
    _marker("all-tests-passed", DLAI, r"All tests passed[!.]"),
)

#: Notebook metadata keys that course platforms write (catalogue section 5.2).
METADATA_MARKERS: dict[str, tuple[str, str]] = {
    "coursera": ("coursera-metadata", "Coursera"),
    "nbgrader": ("nbgrader-metadata", "nbgrader"),
}

#: File names of course helper and grader modules (catalogue section 5.3).
DLAI_HELPER_FILES = (
    "public_tests.py", "test_utils.py", "testcases.py", "testcases_v2.py", "testcases_v3.py",
    "testcases_v4a.py", "lab_utils_common.py", "lab_utils_uni.py", "lab_utils_multi.py",
    "deeplearning.mplstyle", "dnn_app_utils_v3.py", "planar_utils.py", "lr_utils.py",
    "generatetestcases.py", "w2v_utils.py",
)  # fmt: skip
COURSE_HELPER_FILES: dict[str, str] = dict.fromkeys(DLAI_HELPER_FILES, DLAI) | {
    "problem_unittests.py": "Udacity",
    "rps_game.py": "freeCodeCamp",
}

#: DataTalksClub zoomcamp layouts (`cohorts/2024/…`, `02-experiment-tracking/`): course folders
#: only when the repository also holds homework, since `01-data/` alone is an ordinary name.
ZOOMCAMP_FOLDER = re.compile(r"^(?:cohorts|0\d-[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)$", re.IGNORECASE)
HOMEWORK_FOLDER = re.compile(r"^homeworks?$", re.IGNORECASE)
HOMEWORK_FILE = re.compile(r"^homeworks?\.md$", re.IGNORECASE)

COURSE_FOLDER = re.compile(
    r"^(?:week[\s_-]*\d+|w\d+|c\d+[\s_-]*w\d+(?:[\s_-]*a\d+)?|module[\s_-]*\d+|"
    r"assignment[\s_-]*\d*|homework[\s_-]*\d*|hw[\s_-]*\d+|lab[\s_-]*\d+|"
    r".*ungraded[\s_-]*labs?.*|course[\s_-]*\d+|optional[\s_-]*labs?|capstone.*)$",
    re.IGNORECASE,
)

CERTIFICATE_FILE = re.compile(r"certificat(e|ion)|badge", re.IGNORECASE)
CERTIFICATE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".webp", ".svg"})
CERTIFICATE_LINK = re.compile(
    r"(?:coursera\.org/(?:verify|share|account/accomplishments)/\S+"
    r"|credly\.com/badges/[0-9a-f-]{36}"
    r"|confirm\.udacity\.com/\S+"
    r"|udemy\.com/certificate/UC-[0-9a-fA-F-]+|ude\.my/UC-\S+"
    r"|kaggle\.com/learn/certification/\S+"
    r"|datacamp\.com/statement-of-accomplishment/\S+"
    r"|freecodecamp\.org/certification/\S+"
    r"|courses\.edx\.org/certificates/\S+"
    r"|linkedin\.com/learning/certificates/\S+)",
    re.IGNORECASE,
)
#: Punctuation that ends a sentence, a Markdown link or an HTML attribute, not the URL.
URL_TRAILERS = ".,;:!?)]}>\"'`*"

#: Sentences in a README or notes that say the work belongs to a course (catalogue 5.3-5.7).
#: Each names a course, a course platform or a course deliverable; the word "course" alone
#: ("a course on statistics", "in the course of training") is not enough.
MENTION = "course mention"
_COURSE_WORD = (
    r"[\w-]*(?:course|class|specialization|specialisation|certificate|certification"
    r"|program|programme|nanodegree|bootcamp|zoomcamp|module|degree|semester"
    r"|university|college|school)"
)
COURSE_MENTIONS: tuple[Marker, ...] = (
    _marker(
        "mention:zoomcamp",
        MENTION,
        r"\b(?:mlops|ml|llm|data[- ]engineering)[- ]?zoomcamp\b",
        re.IGNORECASE,
    ),
    _marker("mention:nanodegree", MENTION, r"\bnano-?degrees?\b", re.IGNORECASE),
    _marker("mention:coursera-course", MENTION, r"\bcoursera\.org/learn/[\w-]+", re.IGNORECASE),
    _marker("mention:deeplearning-ai", MENTION, r"(?<![\w-])deeplearning\.ai\b", re.IGNORECASE),
    _marker(
        "mention:course-project",
        MENTION,
        # "capstone project for the IBM Data Science Certificate", "final project of CS 229";
        # the next word names the course (capitalised, a number, or a course word, maybe as
        # Markdown link text), so "the final project for the client" is not a course
        r"\b(?i:capstone|final|course|graded)\s+(?i:project)\s+(?i:for|of)\s+"
        rf"(?:(?i:the|my|an?|this)\s+)?[\[*_\"“']*(?:[A-Z0-9]|(?i:{_COURSE_WORD})\b)",
    ),
    _marker(
        "mention:my-solutions",
        MENTION,
        r"\bthis\s+(?:repo|repository)\s+(?:contains|holds)\s+my\s+(?:own\s+)?"
        r"(?:solutions?|assignments?|notes|homeworks?)\b",
        re.IGNORECASE,
    ),
    # the course titles are proper names: "my machine learning specialization is NLP" is not
    _marker(
        "mention:ml-specialization",
        MENTION,
        r"\bMachine[ -]Learning[ -]Specialization\b|\bmachine-learning-specialization\b",
    ),
    _marker(
        "mention:dl-specialization",
        MENTION,
        r"\bDeep[ -]Learning[ -]Specialization\b|\bdeep-learning-specialization\b",
    ),
    _marker("mention:freecodecamp", MENTION, r"\bfree-?code-?camp\b", re.IGNORECASE),
    _marker("mention:kaggle-learn", MENTION, r"\bkaggle\.com/learn/", re.IGNORECASE),
)


# tutorial templates (catalogue section 6) --------------------------------------------------
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
    `glob_match` still decides), so a large listing is walked once, not once per glob."""
    parts: list[str] = []
    for glob in globs:
        lowered = glob.lower()
        parts.append(fnmatch.translate(lowered))
        if lowered.startswith("**/"):
            parts.append(fnmatch.translate(lowered[3:]))
    return re.compile("|".join(f"(?:{part})" for part in parts))


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


def course_mentions(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Sentences saying the work belongs to a course: one fact per kind, at its first line."""
    yield from _first_of_each(COURSE_MENTIONS, text, location)


def _first_of_each(
    markers: Iterable[Marker], text: str, location: Location
) -> Iterator[CourseMarkerFact]:
    """Each marker where it first appears in `text`, with its line (and cell)."""
    present = [marker for marker in markers if _may_match(marker.pattern, text)]
    if not present:
        return
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for marker in present:
            if marker.id in seen:
                continue
            match = marker.pattern.search(line)
            if match:
                seen.add(marker.id)
                yield CourseMarkerFact(
                    location=Location(path=location.path, line=number, cell=location.cell),
                    marker=marker.id,
                    family=marker.family,
                    text=_snippet(line, match),
                )


def _may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False only if `pattern` matches no line of `text`: one search of the whole text
    rules out most markers for most files, where a search per line costs a pass per line.
    (A match within a line is a match within the text, for patterns without `^` or `$`.)"""
    if "^" in pattern.pattern or "$" in pattern.pattern:
        return True
    return pattern.search(text) is not None


def _snippet(line: str, match: re.Match[str], width: int = 120) -> str:
    """The line, or a window of it around the match when the line is too long."""
    stripped = line.strip()
    if len(stripped) <= width:
        return stripped
    offset = len(line) - len(line.lstrip())
    start = max(0, min(match.start() - offset - 30, len(stripped) - width))
    return stripped[start : start + width]


def markers_in_text(text: str, location: Location) -> Iterator[CourseMarkerFact]:
    """Course markers in one piece of text, each with its line. One fact per marker kind.
    Grader scaffolding first, then tutorial-template markers."""
    yield from _first_of_each(TEXT_MARKERS, text, location)
    yield from template_markers_in_text(text, location)


def certificate_links(text: str, path: str) -> Iterator[CertificateFact]:
    for number, line in enumerate(text.splitlines(), start=1):
        match = CERTIFICATE_LINK.search(line)
        if match:
            yield CertificateFact(
                location=Location(path=path, line=number),
                via="link",
                text=match.group(0).rstrip(URL_TRAILERS)[:120],
            )


class CourseworkListingAnalyzer:
    """Course evidence that the file list alone shows: folders, helpers, data, certificates."""

    name = "coursework"

    def analyze_listing(self, snapshot: Snapshot, context: AnalysisContext) -> Iterator[Fact]:
        folders: set[str] = set()
        zoomcamp_folders: set[str] = set()
        has_homework = False
        for entry in snapshot:
            location = Location(path=entry.path)
            lower_name = entry.name.lower()
            has_homework = has_homework or bool(HOMEWORK_FILE.match(lower_name))
            for depth, part in enumerate(entry.parts[:-1]):
                folder = "/".join(entry.parts[: depth + 1])
                has_homework = has_homework or bool(HOMEWORK_FOLDER.match(part))
                if COURSE_FOLDER.match(part):
                    folders.add(folder)
                elif ZOOMCAMP_FOLDER.match(part):
                    zoomcamp_folders.add(folder)
            if lower_name in COURSE_HELPER_FILES:
                yield CourseMarkerFact(
                    location=location,
                    marker="course-helper-file",
                    family=COURSE_HELPER_FILES[lower_name],
                    text=entry.name,
                )
            yield from _teaching_data(snapshot, entry, location)
            if entry.suffix in CERTIFICATE_SUFFIXES and CERTIFICATE_FILE.search(
                PurePosixPath(entry.path).stem
            ):
                yield CertificateFact(location=location, via="file", text=entry.name)
        if has_homework:
            folders |= zoomcamp_folders
        for folder in sorted(_outermost(folders)):
            yield CourseFolderFact(location=Location(path=folder), folder=folder)
        yield from template_path_markers(entry.path for entry in snapshot)


def _teaching_data(
    snapshot: Snapshot, entry: FileEntry, location: Location
) -> Iterator[ToyDatasetFact]:
    """A teaching set by its file name, else by its first line (header or first row)."""
    dataset = teaching_data.by_file_name(entry.name)
    if dataset:
        yield ToyDatasetFact(location=location, dataset=dataset, via="file")
    elif entry.suffix in teaching_data.DATA_SUFFIXES:
        dataset = teaching_data.by_first_line(snapshot.read_head(entry))
        if dataset:
            yield ToyDatasetFact(location=location, dataset=dataset, via="content")


def _outermost(folders: set[str]) -> set[str]:
    """Keep `week1` and drop `week1/lab2`: one course folder per subtree. Each folder's
    ancestors are looked up, not every other folder compared: a repository may hold
    thousands of course-like folders."""
    return {folder for folder in folders if not any(a in folders for a in ancestors(folder))}
