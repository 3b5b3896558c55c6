"""Where a declared property comes from: an attribute path on the typed record it is read from.

`created_by.id` on `ApiKey` names the field `id` of the record's `created_by` (an `Actor`).
The path is checked when the declaration is built: every step must be a field of a pydantic
model, and the last field's type must fit the property's declared type, so a renamed or
retyped record field fails at import instead of writing nulls.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

# The Python types a field may hold (None aside) for each declared property type.
_FITS: dict[str, Callable[[tuple[Any, ...]], bool]] = {
    "string": lambda arms: all(_is_sub(arm, str) for arm in arms),
    "datetime_string": lambda arms: arms == (datetime,),
    "bool": lambda arms: arms == (bool,),
    "int": lambda arms: all(_is_sub(arm, int) and arm is not bool for arm in arms),
    "float": lambda arms: all(arm in (int, float) for arm in arms),
    "string_list": lambda arms: (
        len(arms) == 1 and get_origin(arms[0]) is list and get_args(arms[0]) == (str,)
    ),
}


def source_arms(record: type[BaseModel], path: str) -> tuple[Any, ...]:
    """The types the field at `path` may hold besides None; ValueError when a step is missing."""
    owner: type[BaseModel] | None = record
    arms: tuple[Any, ...] = ()
    walked = record.__name__
    for step in path.split("."):
        if owner is None:
            raise ValueError(f"{walked} is not a record, it has no field {step!r}")
        field = owner.model_fields.get(step)
        if field is None:
            raise ValueError(f"{walked} has no field {step!r}")
        arms = type_arms(field.annotation)
        walked = f"{walked}.{step}"
        owner = arms[0] if len(arms) == 1 and _is_sub(arms[0], BaseModel) else None
    return arms


def check_source(record: type[BaseModel], path: str, prop_type: str) -> None:
    """ValueError unless `path` names a field of `record` whose type fits `prop_type`."""
    arms = source_arms(record, path)
    fits = _FITS.get(prop_type)
    if fits is None or not fits(arms):
        held = " | ".join(getattr(arm, "__name__", str(arm)) for arm in arms)
        raise ValueError(f"{record.__name__}.{path} holds {held}, which is not a {prop_type}")


def holds_enum(arms: tuple[Any, ...]) -> bool:
    return any(_is_sub(arm, Enum) for arm in arms)


def type_arms(annotation: Any) -> tuple[Any, ...]:
    """The types of an annotation: unions flattened, Annotated unwrapped, None left out."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return type_arms(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return tuple(arm for part in get_args(annotation) for arm in type_arms(part))
    return () if annotation is type(None) else (annotation,)


def _is_sub(arm: Any, parent: type) -> bool:
    return isinstance(arm, type) and issubclass(arm, parent)
