"""Many candidates at once, for a reviewer: parallel, resumable, sharded, and compared.

`run_batch` scans a list of targets (local folders and git URLs) and writes, into one output
folder:

- `results.jsonl`: one JSON object per candidate, appended and fsynced the moment that
  candidate finishes, so a batch that is killed loses nothing it had finished;
- `candidates/<label>.html` and `.json`: the ordinary scorecard of every candidate that
  scored, each written atomically;
- `comparison.html`: one page that compares them all, sortable without JavaScript.

A candidate that cannot be scored (a missing folder, a refused URL, a clone that is too big
or too slow, a crash inside the scan, a worker process that died) becomes an error row with
a one-line reason; the others go on. `--resume` skips the candidates already scored at the
commit they are at now, and retries the errors. `--shard I/N` keeps every N-th candidate, so
N machines share one list; `merge` then joins their folders into one.

The package, one concern a module: `candidates` (the target list, labels, shards), `rows`
(the typed `Row`), `store` (results.jsonl and the output folder), `resume`, `worker` (one
candidate), `pool` (the processes, Ctrl-C), `comparison` (rows as the page's entries; the
page itself is `report.comparison`), `merge`, `events` and `progress` (what the caller sees).
"""

from __future__ import annotations

from portfolio_check.app.batch.candidates import (
    Candidate,
    RejectedTarget,
    collect_candidates,
    parse_shard,
    read_candidates,
    select_shard,
    unique_labels,
)
from portfolio_check.app.batch.comparison import write_comparison
from portfolio_check.app.batch.events import (
    BatchInterrupted,
    BatchResult,
    CandidateEvent,
    EventState,
    Phase,
)
from portfolio_check.app.batch.merge import merge
from portfolio_check.app.batch.pool import run_batch
from portfolio_check.app.batch.progress import describe_event, summary_line
from portfolio_check.app.batch.rows import (
    MAX_REASON,
    ROW_KEYS,
    Row,
    RowError,
    error_row,
    scored_row,
)
from portfolio_check.app.batch.store import (
    CANDIDATES_DIR,
    COMPARISON_FILE,
    RESULTS_FILE,
    append_row,
    latest_rows,
    load_results,
    read_results,
)
from portfolio_check.app.batch.worker import CandidateJob, CandidateOutcome, scan_candidate

__all__ = [
    "CANDIDATES_DIR",
    "COMPARISON_FILE",
    "MAX_REASON",
    "RESULTS_FILE",
    "ROW_KEYS",
    "BatchInterrupted",
    "BatchResult",
    "Candidate",
    "CandidateEvent",
    "CandidateJob",
    "CandidateOutcome",
    "EventState",
    "Phase",
    "RejectedTarget",
    "Row",
    "RowError",
    "append_row",
    "collect_candidates",
    "describe_event",
    "error_row",
    "latest_rows",
    "load_results",
    "merge",
    "parse_shard",
    "read_candidates",
    "read_results",
    "run_batch",
    "scan_candidate",
    "scored_row",
    "select_shard",
    "summary_line",
    "unique_labels",
    "write_comparison",
]
