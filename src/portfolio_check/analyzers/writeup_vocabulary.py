"""The vocabulary `writeup` reads with: metric names and their spellings, numbers and the
words that hedge them, and what a statement may say besides metrics (baselines, slices,
failure cases, reasons, caveats, template filler). Data and the patterns compiled from it.

Every pattern here is linear: no nested quantifiers, bounded gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# metric name -> its spellings, each a regular expression; `(?-i:...)` where only the
# upper-case spelling is the metric (MAP, LB, RELEVANT)
_METRICS: dict[str, tuple[str, ...]] = {
    "accuracy": ("acc", "accuracy", r"top-?\d+[ _-]?acc(?:uracy)?"),
    "f1": (r"f1(?:[ _-]?score)?", r"f[ _-]?(?:score|measure)", r"f[ _-]?beta", r"macro[ _-]f1"),
    "precision": (r"precision(?:@\d+)?",),
    "recall": (r"recall(?:@\d+)?", "sensitivity", "true positive rate"),
    "specificity": ("specificity",),
    "auc": (
        r"auc(?:[ _-]?roc)?",
        r"roc[ _-]?auc",
        "auroc",
        "auprc",
        r"pr[ _-]auc",
        r"area under (?:the )?(?:roc )?curve",
    ),
    "average-precision": (r"(?-i:MAP)(?:@\d+)?", "mean average precision", "average precision"),
    "log-loss": (r"log[ _-]?loss", r"cross[ _-]?entropy", r"brier(?: score)?"),
    "mcc": ("mcc", r"matthews(?: correlation)?"),
    "kappa": ("kappa", r"cohen'?s kappa"),
    "rmse": ("rmse", r"root mean squared? error"),
    "rmsle": ("rmsle",),
    "mse": ("mse", r"mean squared? error"),
    "mae": ("mae", "mean absolute error"),
    "mape": ("mape", "smape", "mean absolute percentage error"),
    "r2": (
        r"r2(?:[ _-]?score)?",
        "r²",
        r"r\^2",
        "r-squared",
        "r squared",
        "coefficient of determination",
        "explained variance",
    ),
    "mrr": ("mrr", "mean reciprocal rank"),
    "hit-rate": (r"hit[ _-]?rate", r"hits?@\d+"),
    "ndcg": (r"ndcg(?:@\d+)?", r"dcg(?:@\d+)?"),
    "bleu": (r"bleu(?:-\d)?",),
    "rouge": (r"rouge(?:-\w{1,4})?",),
    "meteor": ("meteor",),
    "bertscore": (r"bert[ _-]?score",),
    "perplexity": ("perplexity", "ppl"),
    "wer": ("wer", "cer", "word error rate", "character error rate"),
    "iou": ("iou", "miou", "jaccard", r"dice(?: score| coefficient)?", "intersection over union"),
    "map50": (r"map50(?:-95)?", r"map@0?\.5"),
    "psnr": ("psnr", "ssim", "fid"),
    "exact-match": (r"exact[ _-]match",),
    "cosine-similarity": ("cosine similarity",),
    "silhouette": (r"silhouette(?: score)?",),
    "loss": (
        r"val(?:idation)?[ _/-]?loss",
        r"test[ _/-]?loss",
        r"train(?:ing)?[ _/-]?loss",
        r"eval[ _/-]?loss",
        r"(?<![\w-])loss",
    ),
    "error-rate": ("error rate", "misclassification rate"),
    "leaderboard": (
        r"leaderboard(?: score)?",
        r"public (?:lb|score)",
        r"private (?:lb|score)",
        "kaggle score",
        r"(?-i:LB)",
    ),
    "llm-judge": (
        r"relevan(?:ce|cy)",
        r"answer relevan(?:ce|cy)",
        r"context relevan(?:ce|cy)",
        "faithfulness",
        "groundedness",
        "hallucination rate",
        r"(?-i:RELEVANT)",
    ),
}


def _alternation(spellings: Iterable[str]) -> str:
    """One alternation of regular expressions, those that start with a plain letter grouped
    under it: the engine then tries one branch per letter at each position, not every
    spelling (which made reading prose several times slower)."""
    grouped: dict[str, list[str]] = {}
    others: list[str] = []
    for spelling in spellings:
        head, tail = spelling[:1], spelling[1:]
        if head.isalpha() and head.isascii() and not tail.startswith(("?", "*", "+", "{")):
            grouped.setdefault(head.lower(), []).append(tail)
        else:
            others.append(spelling)
    branches = [f"{head}(?:{'|'.join(tails)})" for head, tails in sorted(grouped.items())]
    return "|".join(branches + others)


METRIC = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    + _alternation(spelling for spellings in _METRICS.values() for spelling in spellings)
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)
#: The same spellings by metric, to name the metric of a match of METRIC (applied to the
#: matched words only, where trying every metric in turn costs nothing).
METRIC_NAMED = re.compile(
    "|".join(
        f"(?P<m{index}>{'|'.join(spellings)})" for index, spellings in enumerate(_METRICS.values())
    ),
    re.IGNORECASE,
)
METRIC_NAMES = tuple(_METRICS)
#: Metrics where a perfect score is the top of the scale (and so suspicious when reached).
HIGHER_IS_BETTER = frozenset(
    {"accuracy", "f1", "precision", "recall", "specificity", "auc", "average-precision", "r2"}
)

#: A number: `0.87`, `.93`, `92%`, `2,339`, `10000`. Not a digit of a name (F1, R2, top-5,
#: gpt-4o, @10, v2), a version (1.26.4) or a date (22/08/2025).
NUMBER = re.compile(
    r"(?<![\w.@^/])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?<=\d)(?:\s?%)?(?![\w/]|\.\d)"
)
#: Words or signs before a number that make it an estimate.
HEDGE_WORDS = (
    "around",
    "about",
    "approx.",
    "approx",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "close to",
    "up to",
    "over",
    "more than",
    "above",
    "at least",
    "under",
    "less than",
    "below",
)
HEDGE_SIGNS = ("~", "\u2248", "\u223c", "<", ">", "\u2265", "\u2264")
RANGE_SIGNS = ("-", "\u2013", "\u2014", "to")
#: What may sit between a metric's name and its whole-number value: `MAE): ~$10,000`.
SEPARATOR = re.compile(r"[\s:=()~\u2248$*]{0,8}")

#: What a statement may say besides metrics, by kind, each spelling a regular expression.
#: A failure case in a limitations section also counts as a caveat.
_SAYS: dict[str, tuple[str, ...]] = {
    # results set against a baseline or another variant
    "compare": (
        r"baselines?",
        "dummy",
        r"majority[ -]class",
        r"most[ -]frequent",
        r"random (?:guess|chance|classifier)",
        "naive",
        r"vs\.?",
        "versus",
        r"compared (?:to|with)",
        "comparison",
        r"outperform\w*",
        "better than",
        "worse than",
        "higher than",
        "lower than",
        r"improv\w* (?:over|on|from|by)",
        r"beats?",
        "relative to",
    ),
    # quality per class, segment or group
    "slice": (
        r"per[ -](?:class|category|label|segment|group|slice|cohort|region|country|feature|value)",
        r"slices?",
        r"segments?",
        r"sub-?groups?",
        r"cohorts?",
        r"class-?wise",
        r"by (?:class|category|label|segment|group|age|gender|sex|race|region|country)",
        r"for (?:each|every) (?:class|category|label|group|segment|value)",
        r"across (?:classes|categories|groups|segments|slices)",
        "confusion matrix",
        "minority class",
        r"demographics?",
        r"protected (?:groups?|attributes?)",
        "fairness",
    ),
    # where the model goes wrong
    "failure": (
        r"misclassif\w*",
        r"false (?:positives?|negatives?)",
        r"fail(?:s|ed|ing)? (?:on|when|for|to)",
        r"failure (?:cases?|modes?)",
        r"struggl\w*",
        r"confus(?:es|ed|ing) \w+ (?:with|for|and)",
        r"mistak\w*",
        "worst",
        "hardest",
        "weakest",
        "poorest",
        r"lowest (?:f1|recall|precision|accuracy|score)",
        r"errors? (?:on|when|for|in|occur\w*)",
        "wrongly",
        r"incorrect(?:ly)?",
        r"under-?predict\w*",
        r"over-?predict\w*",
        "pushed lower",
        "ranked lower",
    ),
    # a reason given
    "explains": (
        "because",
        "due to",
        "since",
        "as a result",
        r"suggests?",
        "likely",
        "possibly",
        "probably",
        r"indicat\w+",
        "which means",
        "this means",
        "caused by",
        "explained by",
        r"attribut\w+ to",
        "driven by",
        "the reason",
    ),
    # a perfect score questioned
    "questioned": (
        r"leak\w*",
        r"overfit\w*",
        "too good",
        "suspicious",
        r"sanity[ -]check\w*",
        "data snooping",
        r"memori[sz]\w*",
        r"duplicat\w*",
    ),
    # a limitation said concretely: what the model is not for, was not trained or tested
    # on, where it degrades, and the known sources of error (bias, drift, small data)
    "caveat": (
        r"not (?:be )?(?:intended|suitable|designed|meant|validated|tested|evaluated|trained|"
        r"recommended|appropriate|robust|reliable|generali[sz]\w*|for)",
        "should not",
        "must not",
        r"do(?:es)?(?:n'?t| not) (?:work|handle|support|cover|generali[sz]e|account|capture|"
        r"include)",
        "only",
        r"outside (?:of )?(?:the|its|this|that|these|those|our)",
        "limited to",
        r"small (?:data|dataset|sample|number)",
        r"not (?:been )?(?:seen|tested|evaluated)",
        r"never (?:been )?(?:seen|tested|evaluated)",
        r"covers? (?:only )?(?:one|a single|two|three)",
        r"no (?:\w+ )?(?:data|history|validation|labels)",
        r"without (?:\w+ )?(?:data|history|validation|labels)",
        r"bias(?:ed|es)?",
        "drift",
        r"under-?represent\w*",
        r"imbalanc\w*",
        r"degrad\w*",
        r"may (?:not (?:work|generali[sz]e|perform|hold|transfer|apply)|fail|degrade|break|"
        r"under\w+|over\w+|mis\w+|be (?:inaccurate|wrong|biased|unreliable))",
        r"breaks (?:on|when|with|for)",
        "synthetic",
        r"known (?:issues?|bugs?|limitations?)",
        r"mismatch\w*",
        "sensitive to",
        r"out[ -]of[ -](?:distribution|domain|scope)",
        r"older (?:data|populations?|cohorts?)",
        r"newer (?:data|populations?|cohorts?)",
        r"younger (?:populations?|cohorts?)",
        r"different (?:data|populations?|cohorts?|countries|regions|domains)",
        r"other (?:populations?|cohorts?|countries|regions|domains)",
    ),
}
# matched against lower-cased statements, so no spelling needs IGNORECASE (which makes a
# pattern this size several times slower to compile)
SAYS = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<{kind}>{_alternation(spellings)})" for kind, spellings in _SAYS.items())
    + r")\b|(?P<filler>\[more information needed\]|\{\{[^{}\n]{0,200}\}\})"
)
#: First-column headers whose rows are variants, splits or metrics rather than slices.
NOT_SLICES = re.compile(
    r"(?:#|no\.?|models?|approach(?:es)?|methods?|algorithms?|variants?|experiments?|runs?|"
    r"baselines?|classifiers?|regressors?|estimators?|systems?|pipelines?|config\w*|settings?|"
    r"retrievers?|llms?|versions?|metrics?|measures?|scores?|splits?|sets?|datasets?|data|"
    r"folds?|epochs?|steps?|iterations?|stages?|names?|)",
    re.IGNORECASE,
)
#: Where a paragraph's statements end: after a full stop, a `;`, a line that ends in a
#: number ("Accuracy: 0.91" lines), or before a line that starts like a list item.
SENTENCE_END = re.compile(
    r"(?<=[.!?;])\s+(?=[^\s\d])|(?<=[\d%])[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)])\s)"
)
