"""Markdown documents: headings, the prose under them, certificate links, course mentions and
tutorial-template text."""

from __future__ import annotations

import textwrap

import pytest

from portfolio_check.analyzers.base import AnalysisContext, ProjectLayout
from portfolio_check.analyzers.docs import DocsAnalyzer
from portfolio_check.analyzers.markdown import Heading, Section, parse
from portfolio_check.intake.snapshot import EntryKind, FileEntry
from portfolio_check.model.facts import CertificateFact, CourseMarkerFact, Fact, HeadingFact

CONTEXT = AnalysisContext(layout=ProjectLayout())


def prose_lines(text: str) -> list[str]:
    return parse(text).prose_lines()


def sections(text: str) -> list[Section]:
    return list(parse(text).sections())


def analyze(text: str, path: str = "README.md") -> list[Fact]:
    entry = FileEntry(path=path, size=len(text), kind=EntryKind.FILE)
    return list(DocsAnalyzer().analyze(entry, text, CONTEXT))


def headings(text: str) -> dict[str, HeadingFact]:
    return {fact.text: fact for fact in analyze(text) if isinstance(fact, HeadingFact)}


def outline(text: str) -> list[tuple[int, int, str]]:
    """(line, level, text) of every heading the analyzer reports."""
    return [
        (fact.location.line or 0, fact.level, fact.text)
        for fact in analyze(text)
        if isinstance(fact, HeadingFact)
    ]


README = textwrap.dedent(
    """\
    ---
    title: Churnwatch
    # front matter comment, not a heading
    ---
    Churnwatch
    ==========

    Predicts which telecom customers will cancel in the next 30 days.

    ## Results

    On 2,000 held-out customers the model reaches 0.91 ROC AUC.

    | model | AUC |
    |-------|-----|
    | baseline | 0.50 |

    ### Per segment

    Prepaid customers are harder.

    ## Error analysis

    ```python
    # Load the predictions, not a heading
    preds = load()
    ```

    Training setup
    --------------

    ## Limitations

    ## Certificates

    - [Machine Learning](https://www.coursera.org/verify/ABCD1234EFGH)
    - ![AWS ML badge](https://www.credly.com/badges/0b1e2f3a-4c5d-6e7f-8091-a2b3c4d5e6f7/public_url)
    """
)


def test_outline_has_atx_and_setext_headings_but_not_code_or_front_matter() -> None:
    assert outline(README) == [
        (5, 1, "Churnwatch"),
        (10, 2, "Results"),
        (18, 3, "Per segment"),
        (22, 2, "Error analysis"),
        (29, 2, "Training setup"),
        (32, 2, "Limitations"),
        (34, 2, "Certificates"),
    ]


def test_section_words_include_sub_sections_and_stop_at_the_next_same_level_heading() -> None:
    found = headings(README)
    results = found["Results"]
    # 8 words of prose, 3 in the table, 2 in the sub-heading, 4 in the sub-section
    assert results.words == 17
    assert "Prepaid customers are harder." in results.body
    assert "Error analysis" not in results.body
    assert found["Per segment"].words == 4
    assert found["Per segment"].body == "Prepaid customers are harder."
    # the level-1 title holds the whole document after it
    assert found["Churnwatch"].words > results.words
    assert "Limitations" in found["Churnwatch"].body


def test_table_and_numbers_are_detected_per_section() -> None:
    found = headings(README)
    assert (found["Results"].has_table, found["Results"].has_numbers) == (True, True)
    assert (found["Per segment"].has_table, found["Per segment"].has_numbers) == (False, False)


def test_empty_sections_are_placeholders() -> None:
    found = headings(README)
    # a section holding only a code block has no prose, but it is not empty either
    assert found["Error analysis"].words == 0
    assert found["Error analysis"].code_blocks == 1
    assert found["Error analysis"].placeholder is None
    assert found["Limitations"].words == 0
    assert found["Limitations"].placeholder == "an empty section"
    assert found["Limitations"].body == ""
    assert found["Results"].placeholder is None
    assert found["Certificates"].placeholder is None


def test_certificate_links_become_certificate_facts_on_their_lines() -> None:
    certificates = [fact for fact in analyze(README) if isinstance(fact, CertificateFact)]
    assert [(fact.location.line, fact.via) for fact in certificates] == [(36, "link"), (37, "link")]
    assert "coursera.org/verify/ABCD1234EFGH" in certificates[0].text
    assert certificates[1].text == "credly.com/badges/0b1e2f3a-4c5d-6e7f-8091-a2b3c4d5e6f7"
    assert {fact.path for fact in certificates} == {"README.md"}


@pytest.mark.parametrize(
    "line",
    [
        "See https://www.coursera.org/learn/machine-learning for the course.",
        "Badge: https://www.credly.com/users/ada-lovelace/badges",
        "Read more at https://example.com/verify/ABCD1234",
    ],
)
def test_course_pages_and_profiles_are_not_certificates(line: str) -> None:
    facts = analyze(f"# About\n\n{line}\n")
    assert not [fact for fact in facts if isinstance(fact, CertificateFact)]


# headings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "level", "text"),
    [
        ("# Churnwatch", 1, "Churnwatch"),
        ("###### Appendix", 6, "Appendix"),
        ("## Results ##", 2, "Results"),
        ("   ## Indented up to three spaces", 2, "Indented up to three spaces"),
        ("## **Error analysis**", 2, "Error analysis"),
        ("## [Model card](docs/model_card.md)", 2, "Model card"),
        ("## The `load_data` function", 2, "The load_data function"),
        ("## _What didn't work_", 2, "What didn't work"),
        ("#\tTabbed", 1, "Tabbed"),
    ],
)
def test_atx_headings(line: str, level: int, text: str) -> None:
    assert outline(f"{line}\n\nSome prose.\n") == [(1, level, text)]


@pytest.mark.parametrize(
    "line",
    [
        "#hashtag is not a heading",
        "####### seven hashes is not a heading",
        "    # indented code, not a heading",
        "Issue #12 mentions # in the middle",
    ],
)
def test_not_headings(line: str) -> None:
    assert outline(f"Intro text.\n\n{line}\n") == []


def test_setext_headings_use_the_line_of_their_text() -> None:
    text = "Intro\n\nChurnwatch\n===\n\nA model.\n\nUsage\n-----\n\nRun it.\n"
    assert outline(text) == [(3, 1, "Churnwatch"), (8, 2, "Usage")]


def test_thematic_break_after_a_blank_line_is_not_a_heading() -> None:
    text = "# Churnwatch\n\nA model.\n\n---\n\nMore text.\n"
    assert outline(text) == [(1, 1, "Churnwatch")]
    assert headings(text)["Churnwatch"].words == 4


def test_underline_after_an_atx_heading_is_not_a_second_heading() -> None:
    assert outline("# Churnwatch\n---\n\nText.\n") == [(1, 1, "Churnwatch")]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("```", "```"), ("~~~", "~~~"), ("```bash", "```"), ("~~~~ yaml", "~~~~~"), ("  ```", "```")],
)
def test_headings_inside_fenced_code_are_ignored(opening: str, closing: str) -> None:
    text = f"# Setup\n\n{opening}\n# install\npip install -e .\n{closing}\n\n## Usage\n\nRun it.\n"
    assert outline(text) == [(1, 1, "Setup"), (8, 2, "Usage")]


def test_a_longer_fence_is_not_closed_by_a_shorter_or_labelled_one() -> None:
    text = textwrap.dedent(
        """\
        # Writing a README

        ````markdown
        ```bash
        # Install
        ```
        ## Results
        ````

        ## Template sections

        Copy the block above.
        """
    )
    assert outline(text) == [(1, 1, "Writing a README"), (10, 2, "Template sections")]


def test_a_tilde_fence_is_not_closed_by_backticks() -> None:
    text = "~~~\n```\n# not a heading\n~~~\n# Heading\n"
    assert outline(text) == [(5, 1, "Heading")]


def test_unclosed_fence_hides_the_rest_of_the_document() -> None:
    text = "# Setup\n\n```bash\npip install .\n# Usage\n"
    assert outline(text) == [(1, 1, "Setup")]


def test_front_matter_is_blanked_but_line_numbers_are_kept() -> None:
    text = "---\ntitle: Churn\ntags: [ml]\n...\n# Churn\n"
    assert prose_lines(text) == ["", "", "", "", "# Churn"]


def test_prose_lines_blanks_fenced_code_only() -> None:
    text = "Intro\n```python\nx = 1\n```\nOutro"
    assert prose_lines(text) == ["Intro", "", "", "", "Outro"]


def test_dashes_later_in_a_document_are_not_front_matter() -> None:
    text = "# Churn\n---\ntitle: kept\n---\n"
    assert prose_lines(text) == text.splitlines()


def test_headings_report_where_setext_syntax_ends() -> None:
    text = "Churnwatch\n==========\n\n# Usage\n"
    assert list(parse(text).headings) == [
        Heading(line=1, last_line=2, level=1, text="Churnwatch"),
        Heading(line=4, last_line=4, level=1, text="Usage"),
    ]


def test_sections_pair_each_heading_with_its_prose() -> None:
    text = "# A\none\n## B\ntwo\n# C\nthree\n"
    assert [(section.heading.text, section.body) for section in sections(text)] == [
        ("A", "one\n## B\ntwo"),
        ("B", "two"),
        ("C", "three"),
    ]


def test_a_setext_heading_ends_the_previous_section_before_its_text_line() -> None:
    text = "## Results\n\nAccuracy 0.91.\n\nLimitations\n-----------\n\nSmall data.\n"
    bodies = {section.heading.text: section.body for section in sections(text)}
    assert bodies["Results"].strip() == "Accuracy 0.91."
    assert bodies["Limitations"].strip() == "Small data."


# numbers and tables ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prose", "has_numbers"),
    [
        ("The model reaches 92% recall.", True),
        ("Accuracy improved by 3.5 % over the baseline.", True),
        ("F1 of 0.87 on the test split.", True),
        ("An AUC of .93 on held-out data.", True),
        ("We trained for 3 epochs on 2,000 rows.", False),
        ("Pinned to numpy 1.26.4 in requirements.", False),
        ("See notebook v2_final for details.", False),
        ("State of the art results.", False),
    ],
)
def test_has_numbers_looks_for_decimals_and_percentages(prose: str, has_numbers: bool) -> None:
    (fact,) = analyze(f"## Results\n\n{prose}\n")
    assert isinstance(fact, HeadingFact)
    assert fact.has_numbers is has_numbers


@pytest.mark.parametrize(
    ("table", "has_table"),
    [
        ("| model | F1 |\n|---|---|\n| lr | 0.8 |", True),
        ("model | F1\n:--- | ---:\nlr | 0.8", True),
        ("| model | F1 |\n| :---: | :---: |", True),
        ("| model | F1 |\n| lr | 0.8 |", False),
        ("Some text\n---", False),
    ],
)
def test_has_table_needs_a_delimiter_row(table: str, has_table: bool) -> None:
    facts = [fact for fact in analyze(f"# Results\n\n{table}\n") if isinstance(fact, HeadingFact)]
    assert facts[0].text == "Results"
    assert facts[0].has_table is has_table


def test_words_count_letters_not_numbers_or_punctuation() -> None:
    (fact,) = analyze("## Results\n\nAccuracy: 0.91 -- recall 88% (n=1,000); it's fine.\n")
    assert isinstance(fact, HeadingFact)
    # Accuracy, recall, n, it's, fine
    assert fact.words == 5


def test_long_bodies_and_headings_are_shortened() -> None:
    body = "word " * 2000
    (fact,) = analyze(f"# {'Title ' * 60}\n\n{body}\n")
    assert isinstance(fact, HeadingFact)
    assert fact.words == 2000
    assert len(fact.body) == 4000
    assert len(fact.text) == 200


def test_document_without_headings_yields_no_heading_facts() -> None:
    assert analyze("Just a paragraph of notes.\n\nAnother one.\n") == []


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("README.md", True),
        ("docs/model_card.MD", True),
        ("CHANGES.markdown", True),
        ("notes.mdown", True),
        ("README.rst", False),
        ("README", False),
        ("notebook.ipynb", False),
    ],
)
def test_wants_markdown_files(path: str, wanted: bool) -> None:
    entry = FileEntry(path=path, size=10, kind=EntryKind.FILE)
    assert DocsAnalyzer().wants(entry) is wanted


def test_a_section_of_only_commands_is_not_empty() -> None:
    found = headings(
        "# Tool\n\n## Quick start\n\n```bash\npip install .\npytest\n```\n\n## Notes\n"
    )
    quick, notes = found["Quick start"], found["Notes"]
    assert (quick.words, quick.code_blocks, quick.placeholder) == (0, 1, None)
    assert (notes.code_blocks, notes.placeholder) == (0, "an empty section")


# course mentions and tutorial templates ----------------------------------------------------
def course_markers(text: str, path: str = "README.md") -> list[tuple[str, int, str]]:
    """(marker, line, text) of every course marker the analyzer reports for a document."""
    return [
        (fact.marker, fact.location.line or 0, fact.text)
        for fact in analyze(text, path)
        if isinstance(fact, CourseMarkerFact)
    ]


COURSE_README = textwrap.dedent(
    """\
    # NYC taxi trip duration

    Final project for the [DataTalksClub MLOps Zoomcamp](https://github.com/DataTalksClub/mlops-zoomcamp).
    Peer-reviewed by three MLOps Zoomcamp students.

    ```bash
    # this repository contains my solutions is a shell comment, not prose
    git clone https://github.com/udacity/nanodegree-starter
    ```

    ## Background

    Before this I finished the Deep Learning Specialization
    (https://www.coursera.org/learn/neural-networks-deep-learning).
    """
)


def test_course_mentions_in_markdown_prose_with_their_lines() -> None:
    assert course_markers(COURSE_README) == [
        (
            "mention:zoomcamp",
            3,
            "Final project for the [DataTalksClub MLOps Zoomcamp](https://github.com/DataTalksClub/mlops-zoomcamp).",
        ),
        (
            "mention:course-project",
            3,
            "Final project for the [DataTalksClub MLOps Zoomcamp](https://github.com/DataTalksClub/mlops-zoomcamp).",
        ),
        (
            "mention:dl-specialization",
            13,
            "Before this I finished the Deep Learning Specialization",
        ),
        (
            "mention:coursera-course",
            14,
            "(https://www.coursera.org/learn/neural-networks-deep-learning).",
        ),
    ]
    facts = [fact for fact in analyze(COURSE_README) if isinstance(fact, CourseMarkerFact)]
    assert {fact.family for fact in facts} == {"course mention"}
    assert {fact.path for fact in facts} == {"README.md"}


@pytest.mark.parametrize(
    "sentence",
    [
        "I took a course on statistics, then built this on my own.",
        "The course of action on drift is documented in RUNBOOK.md.",
        "In the course of training the learning rate is halved twice.",
        "This was the final project for the client's data team.",
        "Our machine learning specialization track at work covers NLP.",
    ],
)
def test_ordinary_readme_sentences_are_not_course_mentions(sentence: str) -> None:
    assert course_markers(f"# Churnwatch\n\n{sentence}\n") == []


def test_an_engineering_readme_has_no_course_markers() -> None:
    assert course_markers(README) == []


def test_template_readme_text_is_found_even_inside_code_blocks() -> None:
    text = textwrap.dedent(
        """\
        # churn-ccds

        <a target="_blank" href="https://cookiecutter-data-science.drivendata.org/">
            <img src="https://img.shields.io/badge/CCDS-Project%20template-328F97?logo=cookiecutter" />
        </a>

        ## Project Organization

        ```
        ├── LICENSE            <- Open-source license if one is chosen
        ├── README.md          <- The top-level README for developers using this project.
        ```
        """
    )
    assert course_markers(text) == [
        ("template:cookiecutter-data-science", 10, "<- Open-source license if one is chosen"),
        ("template:cookiecutter-data-science", 4, "img.shields.io/badge/CCDS-Project%20template"),
    ]


def test_the_template_workflow_list_in_a_readme_is_a_template_marker() -> None:
    text = "# Kidney\n\n## Workflows\n\n1. Update config.yaml\n4. Update the configuration manager in src config\n"
    assert course_markers(text, "docs/notes.md") == [
        ("template:entbappy-mlflow-dvc", 6, "Update the configuration manager in src config")
    ]


# what the sections say ---------------------------------------------------------------------
def test_a_section_adds_up_what_its_sub_sections_report() -> None:
    found = headings(
        textwrap.dedent(
            """\
            ## Retrieval evaluation

            #### Text search

            * MRR: 63%

            #### Vector search

            * MRR: 87%
            """
        )
    )
    parent, child = found["Retrieval evaluation"], found["Text search"]
    assert (parent.readings, parent.compares, parent.metrics) == (2, True, ("mrr",))
    assert (child.readings, child.compares) == (1, False)
    assert parent.describe() == (
        "heading 'Retrieval evaluation' with 6 words: 2 metric readings, a comparison"
    )


def test_model_card_sections_are_counted_whatever_the_file_is_called() -> None:
    text = "".join(
        f"## {title}\n\n[More Information Needed]\n\n"
        for title in ("Model Details", "Uses", "Training Details", "Evaluation", "Citation")
    )
    facts = [fact for fact in analyze(text, "README.md") if isinstance(fact, HeadingFact)]
    assert {fact.card_sections for fact in facts} == {4}
    assert {fact.placeholder for fact in facts} == {
        "an unfilled template section ([More Information Needed])"
    }
