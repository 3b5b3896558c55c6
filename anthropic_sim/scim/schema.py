"""Attribute definitions (RFC 7643 §4, §7, §8.7): the one source of the engine's traits.

Filters read `caseExact` and `type` from here, PATCH reads `multiValued` and `mutability`,
projection reads `returned`, and `/Schemas` publishes the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


@dataclass(frozen=True)
class Attr:
    """One attribute definition with its RFC 7643 §7 traits."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    description: str = ""
    sub_attributes: tuple[Attr, ...] = ()
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()

    def sub(self, name: str) -> Attr | None:
        """The sub-attribute called `name`, compared case-insensitively."""
        wanted = name.lower()
        return next((s for s in self.sub_attributes if s.name.lower() == wanted), None)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "multiValued": self.multi_valued,
            "description": self.description or self.name,
            "required": self.required,
            "caseExact": self.case_exact,
            "mutability": self.mutability,
            "returned": self.returned,
            "uniqueness": self.uniqueness,
        }
        if self.canonical_values:
            out["canonicalValues"] = list(self.canonical_values)
        if self.reference_types:
            out["referenceTypes"] = list(self.reference_types)
        if self.sub_attributes:
            out["subAttributes"] = [s.to_json() for s in self.sub_attributes]
        return out


def _s(name: str, **kw: Any) -> Attr:
    return Attr(name=name, **kw)


def _multi(name: str, types: tuple[str, ...] = (), *, ref: tuple[str, ...] = ()) -> Attr:
    """The usual multi-valued pattern: value / display / type / primary (RFC 7643 §2.4)."""
    value = _s("value", type="reference", reference_types=ref) if ref else _s("value")
    return Attr(
        name=name,
        type="complex",
        multi_valued=True,
        sub_attributes=(
            value,
            _s("display"),
            _s("type", canonical_values=types),
            _s("primary", type="boolean"),
        ),
    )


# Common attributes (RFC 7643 §3.1), valid on every resource.
ID = _s("id", case_exact=True, mutability="readOnly", returned="always", uniqueness="server")
EXTERNAL_ID = _s("externalId", case_exact=True)
META = Attr(
    name="meta",
    type="complex",
    mutability="readOnly",
    sub_attributes=(
        _s("resourceType", case_exact=True, mutability="readOnly"),
        _s("created", type="dateTime", mutability="readOnly"),
        _s("lastModified", type="dateTime", mutability="readOnly"),
        _s("location", type="reference", mutability="readOnly", reference_types=("uri",)),
        _s("version", case_exact=True, mutability="readOnly"),
    ),
)
COMMON: tuple[Attr, ...] = (ID, EXTERNAL_ID, META)

USER_ATTRS: tuple[Attr, ...] = (
    _s("userName", required=True, uniqueness="server"),
    Attr(
        name="name",
        type="complex",
        sub_attributes=(
            _s("formatted"),
            _s("familyName"),
            _s("givenName"),
            _s("middleName"),
            _s("honorificPrefix"),
            _s("honorificSuffix"),
        ),
    ),
    _s("displayName"),
    _s("nickName"),
    _s("profileUrl", type="reference", reference_types=("external",)),
    _s("title"),
    _s("userType"),
    _s("preferredLanguage"),
    _s("locale"),
    _s("timezone"),
    _s("active", type="boolean"),
    _s("password", mutability="writeOnly", returned="never"),
    _multi("emails", ("work", "home", "other")),
    _multi("phoneNumbers", ("work", "home", "mobile", "fax", "pager", "other")),
    _multi("ims", ("aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo")),
    _multi("photos", ("photo", "thumbnail"), ref=("external",)),
    Attr(
        name="addresses",
        type="complex",
        multi_valued=True,
        sub_attributes=(
            _s("formatted"),
            _s("streetAddress"),
            _s("locality"),
            _s("region"),
            _s("postalCode"),
            _s("country"),
            _s("type", canonical_values=("work", "home", "other")),
            _s("primary", type="boolean"),
        ),
    ),
    Attr(
        name="groups",
        type="complex",
        multi_valued=True,
        mutability="readOnly",
        sub_attributes=(
            _s("value", case_exact=True, mutability="readOnly"),
            _s(
                "$ref",
                type="reference",
                mutability="readOnly",
                reference_types=("User", "Group"),
            ),
            _s("display", mutability="readOnly"),
            _s("type", mutability="readOnly", canonical_values=("direct", "indirect")),
        ),
    ),
    _multi("entitlements"),
    _multi("roles"),
    Attr(
        name="x509Certificates",
        type="complex",
        multi_valued=True,
        sub_attributes=(
            _s("value", type="binary"),
            _s("display"),
            _s("type"),
            _s("primary", type="boolean"),
        ),
    ),
)

GROUP_ATTRS: tuple[Attr, ...] = (
    _s("displayName", required=True),
    Attr(
        name="members",
        type="complex",
        multi_valued=True,
        sub_attributes=(
            _s("value", case_exact=True, mutability="immutable"),
            _s(
                "$ref",
                type="reference",
                mutability="immutable",
                reference_types=("User", "Group"),
            ),
            _s("display"),
            _s("type", mutability="immutable", canonical_values=("User", "Group")),
        ),
    ),
)

ENTERPRISE_ATTRS: tuple[Attr, ...] = (
    _s("employeeNumber"),
    _s("costCenter"),
    _s("organization"),
    _s("division"),
    _s("department"),
    Attr(
        name="manager",
        type="complex",
        sub_attributes=(
            _s("value"),
            _s("$ref", type="reference", reference_types=("User",)),
            _s("displayName", mutability="readOnly"),
        ),
    ),
)


@dataclass(frozen=True)
class SchemaDef:
    id: str
    name: str
    description: str
    attributes: tuple[Attr, ...]

    def attr(self, name: str) -> Attr | None:
        wanted = name.lower()
        return next((a for a in self.attributes if a.name.lower() == wanted), None)

    def to_json(self, base_url: str) -> dict[str, Any]:
        return {
            "schemas": [SCHEMA_SCHEMA],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": [a.to_json() for a in self.attributes],
            "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{self.id}"},
        }


SCHEMAS: dict[str, SchemaDef] = {
    USER_SCHEMA: SchemaDef(USER_SCHEMA, "User", "User Account", USER_ATTRS),
    GROUP_SCHEMA: SchemaDef(GROUP_SCHEMA, "Group", "Group", GROUP_ATTRS),
    ENTERPRISE_SCHEMA: SchemaDef(
        ENTERPRISE_SCHEMA, "EnterpriseUser", "Enterprise User", ENTERPRISE_ATTRS
    ),
}


@dataclass(frozen=True)
class ResourceKind:
    """A resource type served by the engine: its endpoint, core schema and extensions."""

    name: str
    endpoint: str
    core: str
    extensions: tuple[str, ...] = field(default=())
    id_prefix: str = ""

    def schema_ids(self) -> tuple[str, ...]:
        return (self.core, *self.extensions)


USER = ResourceKind("User", "/Users", USER_SCHEMA, (ENTERPRISE_SCHEMA,), "directory_user_")
GROUP = ResourceKind("Group", "/Groups", GROUP_SCHEMA, (), "directory_group_")
KINDS: dict[str, ResourceKind] = {"User": USER, "Group": GROUP}


def match_urn(kind: ResourceKind, text: str) -> tuple[str, str] | None:
    """Split a URN-qualified path `urn:...:User:name.givenName` into (schema id, rest).

    `rest` is "" when `text` is the schema URN itself. None when no schema of `kind` prefixes it.
    """
    lowered = text.lower()
    for urn in sorted(kind.schema_ids(), key=len, reverse=True):
        low = urn.lower()
        if lowered == low:
            return urn, ""
        if lowered.startswith(low + ":"):
            return urn, text[len(urn) + 1 :]
    return None


def attr_def(kind: ResourceKind, schema_id: str, name: str) -> Attr | None:
    """The definition of a top-level attribute of `kind` (common attributes included)."""
    if schema_id == kind.core:
        common = next((a for a in COMMON if a.name.lower() == name.lower()), None)
        if common is not None:
            return common
    return SCHEMAS[schema_id].attr(name)
