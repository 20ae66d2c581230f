"""Validation of rubric documents against the shipped JSON Schema.

Errors are translated for people: one line naming the file, the key path
(`categories[2].criteria[0].weight`) and what was expected there.

The shipped rubrics are validated by the test suite, not on every scan, so the validator
(jsonschema and its referencing registry, a twentieth of a second to import) is imported
when a user's rubric is first validated.
"""

# jsonschema is imported where it is first needed, never by a scan of the shipped rubric
# ruff: noqa: PLC0415

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from portfolio_check.common.errors import RubricError
from portfolio_check.common.resources import json_schema

if TYPE_CHECKING:
    import jsonschema.exceptions
    from referencing import Registry

RUBRIC_SCHEMA = "rubric.schema.json"
#: Schemas other schemas refer to by name (`rubric.schema.json#/$defs/identifier`).
SHARED_SCHEMAS = (RUBRIC_SCHEMA,)


def full_schema() -> dict[str, Any]:
    return json_schema(RUBRIC_SCHEMA)


def overlay_schema() -> dict[str, Any]:
    """The rubric schema with nothing required but ids: what an `extends` rubric may say."""
    schema = copy.deepcopy(json_schema(RUBRIC_SCHEMA))
    schema["required"] = ["id", "extends"]
    for name in ("category", "criterion"):
        schema["$defs"][name]["required"] = ["id"]
    return schema


@cache
def _registry() -> Registry[Any]:
    """The shipped schemas by their `$id`, so that one may use another's definitions."""
    from referencing import Registry, Resource

    schemas = [json_schema(name) for name in SHARED_SCHEMAS]
    return Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas
    )


TYPE_NAMES = {
    "number": "a number",
    "integer": "a whole number",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
}


def validate_document(
    document: Any, schema: dict[str, Any], source: str, *, by_id: bool = False
) -> None:
    import jsonschema.exceptions

    validator = jsonschema.Draft202012Validator(schema, registry=_registry())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is None:
        return
    path: list[str | int] = list(error.absolute_path)
    problem = _problem(error)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        problem = f"missing required key '{missing.group(1) if missing else '?'}'"
    elif error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        if extra:
            path.append(extra[0])
            problem = "unknown key"
    raise RubricError(source, key_path(path, document if by_id else None), problem)


def _problem(error: jsonschema.exceptions.ValidationError) -> str:
    validator = error.validator
    expected: Any = error.validator_value
    if validator == "type":
        names = expected if isinstance(expected, list) else [expected]
        return "expected " + " or ".join(TYPE_NAMES.get(str(name), str(name)) for name in names)
    if validator == "enum":
        return "expected one of: " + ", ".join(str(value) for value in expected)
    if validator == "minimum":
        return f"must be at least {expected}"
    if validator == "exclusiveMinimum":
        return f"must be greater than {expected}"
    if validator == "maximum":
        return f"must be at most {expected}"
    if validator in ("minItems", "minLength", "minProperties"):
        return "must not be empty"
    if validator == "pattern":
        return "expected lower-case letters, digits, '-', '_' or '.'"
    if validator == "oneOf" and "fact" in str(error.schema) and "file" in str(error.schema):
        return "a signal needs exactly one of 'fact' or 'file'"
    if validator == "oneOf":
        return "expected a value, a list of values, or a mapping of operators (glob, regex, ...)"
    return error.message


def key_path(parts: Sequence[str | int], document: Any = None) -> str:
    """`categories[2].criteria[0].weight`, or with ids, `categories[testing].criteria[...]`."""
    text = ""
    node: Any = document
    for part in parts:
        if isinstance(part, int):
            child = node[part] if isinstance(node, list) and part < len(node) else None
            label = child["id"] if isinstance(child, Mapping) and "id" in child else part
            text += f"[{label}]"
        else:
            child = node.get(part) if isinstance(node, Mapping) else None
            text += f".{part}" if text else part
        node = child
    return text
