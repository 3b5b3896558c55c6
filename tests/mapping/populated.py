"""Records with every field set, built from their declared field types: a field added to a
record model is populated here without editing anything."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from pydantic import BaseModel

from ingest.graph.sources import type_arms

T = TypeVar("T")


def populated(record_type: type[T]) -> T:
    """A record (pydantic model or dataclass) with a non-empty value in every field."""
    if issubclass(record_type, BaseModel):
        fields = {name: field.annotation for name, field in record_type.model_fields.items()}
        return record_type.model_validate(
            {name: _value(name, annotation) for name, annotation in fields.items()}
        )
    if dataclasses.is_dataclass(record_type):
        hints = get_type_hints(record_type)
        values = {f.name: _value(f.name, hints[f.name]) for f in dataclasses.fields(record_type)}
        return record_type(**values)
    raise TypeError(f"{record_type!r} is neither a pydantic model nor a dataclass")


def _value(name: str, annotation: Any) -> Any:
    arm = type_arms(annotation)[0]
    origin = get_origin(arm)
    if origin is list:
        return [_value(name, get_args(arm)[0])]
    if origin is frozenset:
        return frozenset({_value(name, get_args(arm)[0])})
    if origin is Literal:
        return get_args(arm)[0]
    if dataclasses.is_dataclass(arm):
        return populated(arm)
    if origin is dict or origin is Mapping:
        return {f"{name}-key": _value(name, get_args(arm)[1])}
    if isinstance(arm, type):
        if issubclass(arm, BaseModel):
            return populated(arm)
        if issubclass(arm, Enum):
            return next(iter(arm)).value
        if issubclass(arm, bool):
            return True
        if issubclass(arm, int | float):
            return arm(7)
        if issubclass(arm, datetime):
            return datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
        if issubclass(arm, str):
            return f"{name}-1@example.test"
    raise TypeError(f"no populated value for {name}: {annotation!r}; teach tests/mapping/populated")
