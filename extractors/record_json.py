"""Records as JSON objects and back: the one serialisation of facts, issues, claims,
programmes, review items and extraction results (`python -m extractors`, the extraction cache).

A record is written as its fields (tuples as arrays, nested records as objects) plus what its
class adds (its stable id, its value as printed); it is read back from its fields, by their
type hints, and the extra keys are ignored. Reading may move the record to another path: the
same content can sit at another path in a later run.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar

Record = TypeVar("Record")


def plain_number(value: float) -> int | float:
    """Counts print as integers, amounts keep their cents."""
    return int(value) if float(value).is_integer() else value


def record_to_json(record: object, **added: Any) -> dict[str, Any]:
    """The record's fields as JSON values, then the keys its class adds (or overrides)."""
    return {**_json_value(dataclasses.asdict(record)), **added}  # type: ignore[arg-type]


def record_from_json(kind: type[Record], data: dict[str, Any], path: str | None = None) -> Record:
    """The record of class `kind` that `record_to_json` wrote; with `path`, every `path`
    field in it (its own, its sources') names that path instead."""
    hints = typing.get_type_hints(kind)
    values = {field.name: _typed(hints[field.name], data[field.name], path)
              for field in dataclasses.fields(kind) if field.name in data}  # type: ignore[arg-type]
    if path is not None and "path" in values:
        values["path"] = path
    return kind(**values)


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_json_value(item) for item in value]
    return value


def _typed(hint: Any, value: Any, path: str | None) -> Any:
    """A JSON value as the field's type: arrays to tuples or lists, objects to records."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (present,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(present, value, path)
    if origin in (tuple, list):
        args = [arg for arg in typing.get_args(hint) if arg is not Ellipsis]
        item_hints = args * len(value) if len(args) == 1 else args
        items = [_typed(item_hint, item, path) for item_hint, item in zip(item_hints, value)]
        return tuple(items) if origin is tuple else items
    if dataclasses.is_dataclass(hint):
        return record_from_json(hint, value, path)  # type: ignore[arg-type]
    return value
