"""YAML from untrusted files: safe-loaded, size-capped, and with aliases counted.

PyYAML's safe loader builds no objects but plain data, yet an alias bomb ("billion laughs")
still turns a kilobyte of YAML into a structure that takes hours to walk. Counting alias
nodes while composing stops that before any walking starts.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_YAML_BYTES = 1024 * 1024
MAX_ALIASES = 200


class YamlError(ValueError):
    """YAML that is malformed, too large, or built to blow up."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise YamlError(f"more than {MAX_ALIASES} aliases (a YAML alias bomb?)")
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """The first YAML document of `text`."""
    documents = load_yaml_documents(text)
    return documents[0] if documents else None


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of a multi-document stream (`---` separated)."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlError(f"larger than {MAX_YAML_BYTES // 1024} KiB")
    loader = _BoundedLoader(text)
    try:
        documents = []
        while loader.check_data():
            documents.append(loader.get_data())
        return documents
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise YamlError(f"{where}{problem}") from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
    finally:
        loader.dispose()
