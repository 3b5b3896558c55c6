"""Read SCIM resources into `ScimUser` / `ScimGroup`, one at a time.

Each resource is checked against scim2_models (`User[EnterpriseUser]`, `Group`); one that
does not conform is reported and still read. Values are always taken from the raw JSON,
tolerantly, because scim2_models is stricter and lossier than what the sync needs:
- it normalizes email values (lower-cases the domain), and users are joined to Admin API
  users on the exact email string;
- it rejects addresses on reserved domains and IdP quirks such as `"active": "False"`;
- scim2-client validates a whole ListResponse at once, so one odd resource would lose
  the whole page.
Attribute names are matched case-insensitively (RFC 7643 §2.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from scim2_models import Context, EnterpriseUser, Group, User

from ingest.extract.models import ScimGroup, ScimUser
from ingest.extract.parsing import ParseResult, RecordIssue, parse_records

ScimUserModel = User[EnterpriseUser]
ScimGroupModel = Group
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def read_scim_users(raw_items: Iterable[Any], family: str) -> ParseResult[ScimUser]:
    return _read(raw_items, family, ScimUserModel, ScimUser, _user_fields)


def read_scim_groups(raw_items: Iterable[Any], family: str) -> ParseResult[ScimGroup]:
    return _read(raw_items, family, ScimGroupModel, ScimGroup, _group_fields)


def _read(
    raw_items: Iterable[Any],
    family: str,
    scim_model: Any,
    record_model: type[ScimUser] | type[ScimGroup],
    fields: Any,
) -> ParseResult[Any]:
    flattened: list[Any] = []
    issues: list[RecordIssue] = []
    for raw in raw_items:
        if not isinstance(raw, Mapping):
            flattened.append(raw)  # parse_records reports it
            continue
        try:
            scim_model.model_validate(raw, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            rid = raw.get("id") if isinstance(raw.get("id"), str) else None
            problem = f"not a conforming SCIM resource ({where}: {first['msg']}); read tolerantly"
            issues.append(RecordIssue(family, rid, problem))
        flattened.append(fields(_folded(raw)))
    result = parse_records(record_model, flattened, family)
    result.issues[:0] = issues
    return result


def _folded(value: Mapping[str, Any]) -> dict[str, Any]:
    """Keys lower-cased (SCIM attribute names are case-insensitive)."""
    return {str(k).lower(): v for k, v in value.items()}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _truthy(value: Any) -> bool | None:
    """A SCIM boolean; Entra used to send "True"/"False" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _multi(value: Any) -> list[dict[str, Any]]:
    """A multi-valued attribute's entries, keys folded; anything else is dropped."""
    if not isinstance(value, list):
        return []
    return [_folded(entry) for entry in value if isinstance(entry, Mapping)]


def primary_email(emails: list[dict[str, Any]], user_name: str | None) -> str | None:
    """The primary email's value, else the first email's, else userName if it looks like one."""
    values = [(e, _text(e.get("value"))) for e in emails]
    for entry, value in values:
        if value and _truthy(entry.get("primary")):
            return value
    for _, value in values:
        if value:
            return value
    if user_name and "@" in user_name and " " not in user_name.strip():
        return user_name.strip()
    return None


def _user_fields(raw: dict[str, Any]) -> dict[str, Any]:
    emails = _multi(raw.get("emails"))
    user_name = _text(raw.get("username"))
    name = _folded(raw["name"]) if isinstance(raw.get("name"), Mapping) else {}
    enterprise = raw.get(ENTERPRISE_URN.lower())
    enterprise = _folded(enterprise) if isinstance(enterprise, Mapping) else {}
    manager = enterprise.get("manager")
    manager = _folded(manager) if isinstance(manager, Mapping) else {}
    fields = {
        "id": raw.get("id"),
        "user_name": user_name,
        "primary_email": primary_email(emails, user_name),
        "emails": [v for e in emails if (v := _text(e.get("value")))],
        "active": _truthy(raw.get("active")),
        "external_id": _text(raw.get("externalid")),
        "display_name": _text(raw.get("displayname")),
        "given_name": _text(name.get("givenname")),
        "family_name": _text(name.get("familyname")),
        "department": _text(enterprise.get("department")),
        "manager_id": _text(manager.get("value")),
        "group_ids": [v for g in _multi(raw.get("groups")) if (v := _text(g.get("value")))],
    }
    return {k: v for k, v in fields.items() if v is not None or k == "id"}


def _group_fields(raw: dict[str, Any]) -> dict[str, Any]:
    members = _multi(raw.get("members"))
    fields = {
        "id": raw.get("id"),
        "display_name": _text(raw.get("displayname")),
        "external_id": _text(raw.get("externalid")),
        "member_ids": [v for m in members if (v := _text(m.get("value")))],
        "nested_group_ids": [
            v
            for m in members
            if (v := _text(m.get("value"))) and str(m.get("type", "")).lower() == "group"
        ],
    }
    return {k: v for k, v in fields.items() if v is not None or k == "id"}
