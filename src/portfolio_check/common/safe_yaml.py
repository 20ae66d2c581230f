"""YAML from untrusted files: safe-loaded, size-capped, and with aliases counted.

PyYAML's safe loader builds no objects but plain data, yet an alias bomb ("billion laughs")
still turns a kilobyte of YAML into a structure that takes hours to walk. Counting alias
nodes and the size each node would have once its aliases are expanded, while composing,
stops that before any walking starts.
"""

from __future__ import annotations

from typing import Any

import yaml

from portfolio_check.common.errors import PortfolioCheckError

MAX_YAML_BYTES = 1024 * 1024
MAX_ALIASES = 200
#: Nodes a document may hold with every alias expanded; far more than 1 MiB of YAML can
#: hold without aliases, far less than a walk would choke on.
MAX_EXPANDED_NODES = 1_000_000


class YamlError(PortfolioCheckError, ValueError):
    """YAML that is malformed, too large, or built to blow up."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0
        self.expanded: dict[yaml.Node, int] = {}  # node -> its size with aliases expanded

    def compose_document(self) -> Any:
        self.expanded = {}
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise YamlError(f"more than {MAX_ALIASES} aliases (a YAML alias bomb?)")
        node = super().compose_node(parent, index)
        if node is not None and node not in self.expanded:  # an alias: sized already
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [item for pair in node.value for item in pair]
            else:
                children = []
            size = 1 + sum(self.expanded.get(child, 1) for child in children)
            if size > MAX_EXPANDED_NODES:
                raise YamlError(
                    f"more than {MAX_EXPANDED_NODES:,} nodes once aliases are expanded"
                    " (a YAML alias bomb?)"
                )
            self.expanded[node] = size
        return node


def _plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """Application tags (GitLab's `!reference`, CloudFormation's `!Ref`) read as plain data."""
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_BoundedLoader.add_multi_constructor("!", _plain)


def _reason(error: yaml.YAMLError) -> str:
    """One line: where (when known) and what, without quoting the offending text."""
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    problem = getattr(error, "problem", None) or getattr(error, "reason", None)
    return f"{where}{problem or type(error).__name__}"


def load_packaged_yaml(text: str) -> Any:
    """A YAML file that ships with the tool (the built-in rubrics): trusted, so libyaml's
    parser reads it when it is there (several times faster); any other YAML, a user's
    rubric included, goes through the bounded loader."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise YamlError(_reason(error)) from None


def load_yaml(text: str) -> Any:
    """The first YAML document of `text`."""
    documents = load_yaml_documents(text)
    return documents[0] if documents else None


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of a multi-document stream (`---` separated)."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlError(f"larger than {MAX_YAML_BYTES // 1024} KiB")
    try:
        # the reader checks every character as it is made: a control character raises here
        loader = _BoundedLoader(text)
    except yaml.YAMLError as error:
        raise YamlError(_reason(error)) from None
    try:
        documents = []
        while loader.check_data():  # type: ignore[no-untyped-call]  # untyped in the stubs
            documents.append(loader.get_data())
        return documents
    except yaml.YAMLError as error:
        raise YamlError(_reason(error)) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
    except YamlError:
        raise
    except ValueError as error:  # a scalar its tag cannot hold: `2024-13-45`, `!!int ten`
        raise YamlError(str(error)) from None
    finally:
        loader.dispose()
