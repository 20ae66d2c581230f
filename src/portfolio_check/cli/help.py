"""The words of `--help`: what each command is for, with examples a person can copy."""

from __future__ import annotations

from portfolio_check.app.report_files import default_report_path

HELP = f"""Score the ML engineering evidence in a repository, with a file and line for every claim.

TARGET is a local folder (default: the current one). Nothing in it is run, imported or
changed: portfolio-check only reads files and git metadata.

By default a summary is printed and an HTML scorecard is written to
{default_report_path("html").as_posix()} in the current folder: a folder with its own
.gitignore, so `git status` never shows it. Two scores are reported side by side:
real-world evidence (serving, tests, CI, validation, monitoring, reproducibility, tracking,
write-ups) and certification-only evidence (graded course work, teaching datasets,
certificates).

Paths to leave out: `exclude:` globs in the repo's .portfolio-check.yaml or pyproject.toml.

\b
Examples:
  portfolio-check                          scan this folder, write the HTML scorecard
  portfolio-check ~/code/churn-model -o churn.html
  portfolio-check . --open                 write the HTML scorecard and open it in a browser
  portfolio-check . --format json -o -     JSON on stdout, for other tools
  portfolio-check . --format markdown -o scorecard.md
  portfolio-check . --rubric team.yaml     a rubric that says `extends: ml-portfolio`
  portfolio-check . --fail-under 60        exit 1 when the real-world score is below 60
  portfolio-check . --ignore-repo-config   scan every file, whatever the repo's config says

Reviewing many candidates: `portfolio-check review TARGET... -o DIR` (or --from FILE). -o
is a folder: results.jsonl (one line per candidate, written as each one finishes),
candidates/LABEL.html and .json, and comparison.html. Git URLs are bare-cloned, nothing is
checked out or run, and each candidate's own config is ignored. A candidate that cannot be
scored (missing, refused, too big, too slow) becomes an error row; the others go on.
Without the word `review`, several TARGETs, --from FILE, a git URL or gh:owner/repo, or any
batch option (--jobs, --resume, --shard, --strict, ...) review too.

\b
  portfolio-check review ~/cohort/ada ~/cohort/grace -o review/
  portfolio-check review gh:ada/churn-model gh:grace/fraud@v1.2 -o review/
  portfolio-check review --from candidates.txt -o review/ --jobs 4
  portfolio-check review --from candidates.txt -o review/ --resume      after an interruption
  portfolio-check review --from candidates.txt -o shard-1/ --shard 1/4  one machine of four
  portfolio-check merge -o review/ shard-1/ shard-2/ shard-3/ shard-4/

candidates.txt has one target a line (a folder, a git URL or gh:owner/repo[@ref]), an
optional label after it, and # comments. A line that cannot be parsed becomes an error row.

One person, all their repositories: gh:USER (a user or an organisation, no /) lists the
account's public repositories through the GitHub API and scans them as a batch, the most
recently pushed first (--max-repos, default 30). Forks are listed and not scored unless
--include-forks finds commits of their own on top of their upstream. -o DIR gets
candidate.json and candidate.html (what the repositories add up to) besides the batch
files; the terminal gets a short version. Clones come from $GITHUB_SERVER_URL (default
https://github.com), the API from $GITHUB_API_URL; GITHUB_TOKEN raises the rate limit.
Several accounts (or --from lines gh:USER [label]) each get a folder DIR/LABEL.

\b
  portfolio-check review gh:ada -o review/ada/
  portfolio-check review gh:ada --include-forks --max-repos 50 -o review/ada/
  portfolio-check review --from people.txt -o review/      review/ada/, review/grace/, ...

\b
Exit codes: 0 scanned (in a review: even with error rows, unless --strict), 1 below
--fail-under or, with --strict, a candidate could not be scored, 2 usage or input error.

In CI, against a base commit, with a pull-request comment: `portfolio-check github --help`.
`portfolio-check --version` prints the version.
"""

REVIEW_HELP = """Review many candidates at once and compare them on one page.

Each TARGET (and each line of --from FILE) is scanned into the folder -o DIR. A TARGET is a
local folder, a git URL, gh:owner/repo[@ref], or gh:USER (all of a person's public
repositories). DIR gets results.jsonl (one line per candidate, written as each one
finishes), candidates/LABEL.html and .json, and comparison.html. Git URLs are bare-cloned,
nothing is checked out or run, and each candidate's own config is ignored. A candidate that
cannot be scored (missing, refused, too big, too slow) becomes an error row; the others go
on. Ctrl-C stops at once and prints the command that finishes the job (--resume).

FILE has one target a line, an optional label after it, and # comments. A line that cannot
be parsed becomes an error row.

\b
Examples:
  portfolio-check review ~/cohort/ada ~/cohort/grace -o review/
  portfolio-check review --from candidates.txt -o review/ --jobs 4
  portfolio-check review --from candidates.txt -o review/ --resume
  portfolio-check review --from candidates.txt -o shard-1/ --shard 1/4
  portfolio-check review gh:ada -o review/ada/

`portfolio-check TARGET TARGET... -o DIR` (no `review`) does the same.

\b
Exit codes: 0 reviewed, even with error rows (unless --strict); 1 --strict and a candidate
could not be scored; 2 usage or input error; 130 interrupted.
"""

MERGE_HELP = """Join the output folders of several batch runs (shards) into one.

Each SHARD_DIR is the -o folder of a `portfolio-check review ... --shard I/N` run. OUT_DIR
gets one results.jsonl (the last row of each label wins; folders later on the command line
win; sorted by label), the candidates' scorecards, and one comparison.html: the same page one
unsharded run would have written.

\b
Examples:
  portfolio-check merge -o review/ shard-1/ shard-2/ shard-3/ shard-4/
  portfolio-check merge -o review/ shards/*     artifacts downloaded into shards/

\b
Exit codes: 0 merged (with --strict: and no error rows), 1 --strict and an error row,
2 usage or input error.
"""

GITHUB_HELP = """Scan a change against its base and publish the scorecard, for CI.

In GitHub Actions (the portfolio-check action runs this) everything comes from the
environment: the pull request's base commit from GITHUB_EVENT_PATH, the repository from
GITHUB_REPOSITORY, the token from GITHUB_TOKEN, the API from GITHUB_API_URL (GitHub
Enterprise works). It keeps one comment on the pull request up to date (found by a hidden
marker), appends the same Markdown to GITHUB_STEP_SUMMARY, and writes the step outputs
score, certification-score, delta, report-path and artifact-name to GITHUB_OUTPUT. A token
that cannot comment (a pull request from a fork) gives a warning, not a failure.

Outside GitHub (GitLab CI, Jenkins, a laptop) give what the environment would:

\b
  portfolio-check github . --base origin/main --no-comment --markdown scorecard.md
  portfolio-check github . --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --fail-on-drop 5

The base commit is read from git objects, never checked out over the work tree; it must be
in the clone (actions/checkout with fetch-depth: 0, or a `git fetch` of the base).

\b
Exit codes: 0 done, 1 below --fail-under or dropped by more than --fail-on-drop,
2 usage or input error (a missing base commit, for instance).
"""


GITHUB_COMMENT_HELP = """Post the comment a pull request's run saved (--save-comment), from a
workflow_run workflow.

A pull request from a fork gets a read-only token, so its workflow saves the comment as an
artifact; a workflow on `workflow_run`, which has a write token, downloads it into DIR and
runs this. It never checks out the fork's code. The artifact is untrusted: it is read
bounded, the pull request must still be at the commit the finished run was for (from the
workflow_run event in GITHUB_EVENT_PATH), and the body is sanitised (no mentions, no
references, no HTML but the scorecard's own, links only to this repository's files).

\b
  portfolio-check github-comment portfolio-check-comment/

\b
Exit codes: 0 posted, or not posted because the pull request has moved on; 2 an artifact or
event that is not what the pull request's run saves, or the API refused.
"""
