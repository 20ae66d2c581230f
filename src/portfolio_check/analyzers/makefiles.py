"""Makefiles: one task per target (`runner: make`), read from its recipe with the
Makefile's variables filled in, and the targets it builds first. What a recipe does and
names is read by the rules every command is read with (`script_activity`,
`command_links`). Nothing is ever run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from portfolio_check.analyzers.base import AnalysisContext
from portfolio_check.analyzers.command_links import command_links
from portfolio_check.analyzers.script_activity import script_activity
from portfolio_check.analyzers.shell_syntax import UNRESOLVED
from portfolio_check.analyzers.task_invocations import MAKEFILES, Invocation
from portfolio_check.intake.snapshot import MAX_TEXT_BYTES, FileEntry
from portfolio_check.model.facts import Fact, TaskFact
from portfolio_check.model.location import Location

_MAKE_ASSIGNMENT = re.compile(
    r"^(?:(?:export|override|private)\s+)*([^\s:#=]+)\s*(\?=|:::=|::=|:=|\+=|!=|=)\s*(.*)$"
)
_MAKE_CONDITIONALS = frozenset({"ifeq", "ifneq", "ifdef", "ifndef", "else", "endif"})
_MAKE_VARIABLE = re.compile(r"\$[({]([^\s:=#(){}$]+)[)}]")
_MAX_EXPANSION = 16_384  # characters a recipe line may grow to once variables are filled in


class MakefileAnalyzer:
    name = "makefile"
    read_limit = MAX_TEXT_BYTES

    def wants(self, entry: FileEntry) -> bool:
        return entry.name in MAKEFILES

    def analyze(self, entry: FileEntry, text: str, context: AnalysisContext) -> Iterator[Fact]:
        yield from make_target_facts(entry.path, text)


@dataclass
class MakeRule:
    line: int
    targets: list[str]  # special (`.PHONY`) and pattern (`%.o`) targets left out
    commands: list[str]  # recipe lines, without their `@`, `-` and `+` prefixes
    prerequisites: list[str] = field(default_factory=list)


def make_target_facts(path: str, text: str) -> Iterator[TaskFact]:
    """One fact per target. Its flags and references come from its recipe with the
    Makefile's variables filled in (`$(PYTHON) -m churn.train`); `commands` is as written.
    What it invokes are its prerequisites (make builds them first) and the tasks and
    scripts its recipe runs (`$(MAKE) lint`, `./scripts/test.sh`)."""
    rules, variables = make_rules(text)
    targets: dict[str, tuple[int, list[str], list[str]]] = {}
    for rule in rules:  # a target named by several rules has all their lines
        for target in rule.targets:
            _, commands, prerequisites = targets.setdefault(target, (rule.line, [], []))
            commands.extend(rule.commands)
            prerequisites.extend(rule.prerequisites)
    default = variables.get(".DEFAULT_GOAL") or next(iter(targets), None)
    for target, (line, commands, prerequisites) in targets.items():
        expanded = [_expand(command, variables) for command in commands]
        activity = script_activity(expanded)
        references, invocations = command_links("\n".join(expanded))
        needs = (_expand(word, variables) for word in prerequisites)
        built_first = tuple(
            Invocation("make", "", word).encode() for word in needs if not UNRESOLVED.search(word)
        )
        yield TaskFact(
            location=Location(path=path, line=line),
            runner="make",
            name=target,
            commands="\n".join(commands),
            **activity.flags(),
            references=references,
            invokes=tuple(dict.fromkeys((*built_first, *invocations))),
            default=target == default,
        )


def make_rules(text: str) -> tuple[list[MakeRule], dict[str, str]]:
    """The rules of a Makefile in order, and its variables (last assignment wins)."""
    rules: list[MakeRule] = []
    variables = {"MAKE": "make"}
    current: MakeRule | None = None
    in_define = False
    for number, logical, tabbed in _make_lines(text):
        if in_define:
            in_define = not re.match(r"(override\s+|export\s+)?endef\b", logical)
        elif tabbed and current is not None:
            command = logical.lstrip("@-+ \t")
            if command:
                current.commands.append(command)
        elif logical and not logical.startswith("#"):  # blank and comment lines change nothing
            content = re.sub(r"(?<!\\)#.*$", "", logical).strip()
            first = content.split(maxsplit=1)[0] if content else ""
            if first in _MAKE_CONDITIONALS:
                continue  # conditionals do not end a recipe
            current = None
            in_define = bool(re.match(r"((override|export)\s+)*define\b", content))
            assignment = _MAKE_ASSIGNMENT.match(content)
            if assignment:
                _assign(variables, *assignment.groups())
            elif not in_define:
                current = _make_rule(number, logical)
                if current is not None:
                    rules.append(current)
    return rules, variables


def _make_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line, logical line, starts with a tab), backslash-continued lines joined."""
    physical = text.splitlines()
    index = 0
    while index < len(physical):
        number, parts = index + 1, [physical[index]]
        index += 1
        while parts[-1].endswith("\\") and index < len(physical):
            parts[-1] = parts[-1][:-1]
            parts.append(physical[index])
            index += 1
        logical = " ".join(part.strip() for part in parts if part.strip())
        yield number, logical, physical[number - 1].startswith("\t")


def _make_rule(number: int, line: str) -> MakeRule | None:
    """The rule `targets: prerequisites [; recipe]`, or None for a line that is none."""
    split = _split_outside_references(line, ":#")
    if split is None or split[1] != ":":
        return None
    targets, rest = line[: split[0]], line[split[0] + 1 :].removeprefix(":")  # `::` rules too
    inline = _split_outside_references(rest, ";#")
    prerequisites = rest[: inline[0]] if inline else rest
    recipe = rest[inline[0] + 1 :].strip() if inline and inline[1] == ";" else ""
    rule = MakeRule(
        line=number,
        targets=[],
        commands=[recipe.lstrip("@-+ ")] if recipe else [],
        prerequisites=[word for word in prerequisites.split() if word != "|"],
    )
    specific = _MAKE_ASSIGNMENT.match(prerequisites.strip())  # `test: ARGS = -x`
    static_pattern = "%" in prerequisites and ":" in prerequisites  # `$(OBJS): %.o: %.c`
    if not (specific or static_pattern or "%" in targets):
        rule.targets = [
            target
            for target in targets.removesuffix("&").split()  # `a b &:` grouped targets
            if not target.startswith(".")
        ]
    return rule


def _split_outside_references(text: str, stops: str) -> tuple[int, str] | None:
    """The first of `stops` that is not inside `$(...)` or `${...}`, and where."""
    depth = 0
    for index, char in enumerate(text):
        if char in "({":
            depth += 1
        elif char in ")}":
            depth = max(depth - 1, 0)
        elif char in stops and depth == 0 and not text[:index].endswith("\\"):
            return index, char
    return None


def _assign(variables: dict[str, str], name: str, operator: str, value: str) -> None:
    if operator == "?=":
        variables.setdefault(name, value)
    elif operator == "+=":
        variables[name] = f"{variables[name]} {value}" if name in variables else value
    elif operator != "!=":  # `!=` takes a shell command's output: unknown here
        variables[name] = value


def _expand(command: str, variables: Mapping[str, str]) -> str:
    """A recipe line with the Makefile's variables filled in, nested ones too; as written
    if it would grow past a bound (variables can be built to explode)."""
    text = command.replace("$$", "\0")  # `$$` is a literal `$` for the shell
    for _ in range(10):
        pieces: list[str] = []
        start = size = 0
        for match in _MAKE_VARIABLE.finditer(text):
            value = variables.get(match.group(1))
            if value is not None:
                pieces += [text[start : match.start()], value.replace("$$", "\0")]
                size += match.start() - start + len(value)
                start = match.end()
                if size > _MAX_EXPANSION:
                    return command
        if not pieces:
            break
        text = "".join(pieces) + text[start:]
    return text.replace("\0", "$")
