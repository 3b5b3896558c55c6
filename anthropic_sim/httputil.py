"""Small request helpers shared by the Admin API handlers."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse

from anthropic_sim.errors import bad_request


class AdminJSON(JSONResponse):
    """Compact JSON with unicode kept as is."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def json_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; anything else is a 400."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def query_bool(params: QueryParams, name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise bad_request(f"{name}: Input should be a valid boolean, got {raw!r}")


def query_list(params: QueryParams, name: str) -> list[str]:
    """A repeatable array parameter: `name[]=a&name[]=b` (the SDKs) or `name=a&name=b`."""
    values = params.getlist(f"{name}[]") + params.getlist(name)
    out: list[str] = []
    for value in values:
        out.extend(part for part in value.split(",") if part)
    return out


def require_str(
    body: dict[str, Any], name: str, min_len: int = 1, max_len: int | None = None
) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise bad_request(f"{name}: Field required (a string)")
    return check_str(name, value, min_len, max_len)


def check_str(name: str, value: Any, min_len: int = 1, max_len: int | None = None) -> str:
    if not isinstance(value, str):
        raise bad_request(f"{name}: Input should be a valid string")
    if len(value) < min_len:
        raise bad_request(f"{name}: String should have at least {min_len} character(s)")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"{name}: String should have at most {max_len} characters")
    return value
