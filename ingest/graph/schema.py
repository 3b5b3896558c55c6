"""The machinery for declaring a graph: node types, relationship types and their properties.

A declaration is plain frozen data. Everything that talks to Neo4j (constraints, indexes, the
loader's statements, cleanup, the docs) is derived from it, so labels, keys, property names and
relationship types are written down exactly once, in ingest/graph/model.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

from pydantic import BaseModel

from ingest.graph.sources import check_source

PropType = Literal["string", "int", "float", "bool", "string_list", "datetime_string"]
PROP_TYPES: frozenset[str] = frozenset(get_args(PropType))
# An indexed property: True for an index on the property alone (joins across organizations),
# PER_ORG for a composite (tenant_id, property) index, for questions that filter inside one
# organization (`{tenant_id: o.id, status: 'active'}`).
PER_ORG = "per_org"
Indexed = bool | Literal["per_org"]
# Suffix of the epoch-milliseconds twin of a timestamp declared with `millis=True`.
MILLIS_SUFFIX = "_ms"

# Labels, relationship types and property names end up inside Cypher text (backtick-quoted),
# so only plain identifiers are accepted; values never do, they travel as parameters.
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

KEY = "id"
TENANT_ID = "tenant_id"
SYNC_ID = "sync_id"
FIRSTSEEN = "firstseen"
LASTUPDATED = "lastupdated"
CONTENT_HASH = "content_hash"
TRUNCATED = "truncated_properties"


def require_identifier(name: str, what: str) -> str:
    if not isinstance(name, str) or not _IDENTIFIER.match(name):
        raise ValueError(f"invalid {what} {name!r}: use letters, digits and _ only")
    return name


def quote(identifier: str) -> str:
    """Backtick-quote an identifier that has already been validated."""
    return f"`{require_identifier(identifier, 'identifier')}`"


@dataclass(frozen=True)
class Prop:
    """A declared property of a node or relationship type."""

    name: str
    type: PropType
    description: str
    indexed: Indexed = False
    # Sync bookkeeping that changes on every sync (e.g. last_sync_id): left out of fingerprints.
    volatile: bool = False
    # Attribute path on the owner's typed record ("created_by.id"), copied by the generic fill
    # (ingest/mapping/fill.py); None when a mapper derives the value.
    source: str | None = None
    # A timestamp questions compare: also stored as epoch milliseconds in `<name>_ms` (declared
    # by the node type, filled with the row by ingest/mapping/rows.py), so a comparison is
    # between numbers instead of parsing the string of every row.
    millis: bool = False
    # The timestamp property a `<name>_ms` twin is computed from.
    millis_of: str | None = None
    # A property that matters for security (a role, a status, an expiry): each sync records its
    # old and new value when it changes (ingest/graph/changes.py).
    tracked: bool = False

    def __post_init__(self) -> None:
        require_identifier(self.name, "property name")
        if self.type not in PROP_TYPES:
            raise ValueError(f"property {self.name!r}: unknown type {self.type!r}")
        if self.tracked and self.type == "string_list":
            raise ValueError(f"property {self.name!r}: only single values can be tracked")
        if not self.description.strip():
            raise ValueError(f"property {self.name!r} needs a description")
        if self.indexed not in (False, True, PER_ORG):
            raise ValueError(f"property {self.name!r}: indexed is True, False or {PER_ORG!r}")
        if self.millis and self.type != "datetime_string":
            raise ValueError(f"property {self.name!r}: only a datetime_string can have millis")

    @property
    def index_props(self) -> tuple[str, ...]:
        """The properties of its index, in order; empty when it is not indexed."""
        if self.indexed == PER_ORG:
            return (TENANT_ID, self.name)
        return (self.name,) if self.indexed else ()

    def millis_twin(self) -> Prop:
        return Prop(
            self.name + MILLIS_SUFFIX,
            "int",
            f"`{self.name}` as epoch milliseconds (derived from it), for comparisons.",
            millis_of=self.name,
        )


# Written by the loader on every element: never declared per type, never accepted in rows.
NODE_SYSTEM_PROPS: tuple[Prop, ...] = (
    Prop(
        TENANT_ID,
        "string",
        "Id of the tenant (organization) whose sync wrote this node.",
        indexed=True,
    ),
    Prop(FIRSTSEEN, "int", "Epoch milliseconds of the sync that created this node."),
    Prop(LASTUPDATED, "int", "Epoch milliseconds of the last sync that changed this node."),
    Prop(SYNC_ID, "string", "Id of the last sync that changed this node.", indexed=True),
    Prop(
        CONTENT_HASH,
        "int",
        "Hash of the declared properties (and tenant) as last written: a sync skips nodes "
        "whose source record did not change.",
    ),
    Prop(
        TRUNCATED,
        "string_list",
        "Indexed properties (or the key) whose value was too large for a Neo4j index: each was "
        "cut to a prefix ending in '…sha256:' and 16 hex digits of the full value's hash "
        "(ingest/load/limits.py); absent when nothing was cut.",
    ),
)
# Relationships carry no sync id or content hash: they are most of a large graph, each extra
# property slows their first write by about a tenth (docs/performance.md, "Sync"), and a
# snapshot compares their declared properties themselves.
REL_SYSTEM_PROPS: tuple[Prop, ...] = (
    Prop(FIRSTSEEN, "int", "Epoch milliseconds of the sync that created this relationship."),
    Prop(LASTUPDATED, "int", "Epoch milliseconds of the last sync that changed it."),
)
RESERVED_NAMES: frozenset[str] = frozenset(
    {KEY, "start", "end"} | {p.name for p in NODE_SYSTEM_PROPS + REL_SYSTEM_PROPS}
)


def _check_props(owner: str, props: tuple[Prop, ...], record: type[BaseModel] | None) -> None:
    names = [p.name for p in props]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{owner}: properties declared twice: {duplicates}")
    reserved = sorted(set(names) & RESERVED_NAMES)
    if reserved:
        raise ValueError(f"{owner}: {reserved} are written by the loader, do not declare them")
    for prop in props:
        if prop.source is None:
            continue
        if record is None:
            raise ValueError(f"{owner}: {prop.name!r} has a source but there is no record")
        try:
            check_source(record, prop.source, prop.type)
        except ValueError as error:
            raise ValueError(f"{owner}: property {prop.name!r}: {error}") from None


# Declared types compare and hash by identity (eq=False): each is declared once, and rows are
# grouped per type in dicts hundreds of thousands of times per sync, where a field-by-field
# hash of the whole declaration cost more CPU than the mapping itself.
@dataclass(frozen=True, kw_only=True, eq=False)
class NodeType:
    """A node type. `label` is the provider label (unique per type, used to MERGE);
    `extra_labels` are semantic labels shared across providers (UserAccount, APIKey...)."""

    name: str
    label: str
    extra_labels: tuple[str, ...] = ()
    key: str = KEY
    properties: tuple[Prop, ...] = ()
    family: str
    description: str
    tenant_scoped: bool = True
    # The typed record the properties with a `source` are read from (one per node).
    record: type[BaseModel] | None = None
    # The mapping functions (ingest/mapping) that compute the properties without a source.
    mapped_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_identifier(self.name, "node type name")
        require_identifier(self.label, f"label of node type {self.name!r}")
        for extra in self.extra_labels:
            require_identifier(extra, f"extra label of node type {self.name!r}")
        if self.key != KEY:
            raise ValueError(f"node type {self.name!r}: keys are always {KEY!r}")
        require_identifier(self.family, f"family of node type {self.name!r}")
        twins = tuple(p.millis_twin() for p in self.properties if p.millis)
        object.__setattr__(self, "properties", self.properties + twins)
        _check_props(f"node type {self.name!r}", self.properties, self.record)
        per_org = [p.name for p in self.properties if p.indexed == PER_ORG]
        if per_org and not self.tenant_scoped:
            raise ValueError(
                f"node type {self.name!r}: {per_org} indexed per organization, "
                "but the type is not tenant-scoped"
            )

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.extra_labels)

    @cached_property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    @cached_property
    def tracked_names(self) -> tuple[str, ...]:
        """Properties whose changes are recorded; a type with any also has its creations and
        removals recorded."""
        return tuple(p.name for p in self.properties if p.tracked)

    @cached_property
    def indexed_names(self) -> tuple[str, ...]:
        """The key and the declared indexed properties: their values go into index entries."""
        return (self.key, *(p.name for p in self.properties if p.indexed))

    @cached_property
    def millis_pairs(self) -> tuple[tuple[str, str], ...]:
        """(`<name>_ms`, `<name>`) for each timestamp also stored as epoch milliseconds."""
        return tuple((p.name, p.millis_of) for p in self.properties if p.millis_of)


@dataclass(frozen=True, kw_only=True, eq=False)
class RelType:
    """A relationship type between two node types. Identified by (type, start, end): the same
    Neo4j relationship type may connect several pairs, each declared separately."""

    type: str
    start: NodeType
    end: NodeType
    properties: tuple[Prop, ...] = ()
    family: str
    description: str
    # The mapping functions (ingest/mapping) that compute the properties (none has a source).
    mapped_by: tuple[str, ...] = ()
    # The API field the relationship is read from, when it is one.
    source: str | None = None
    # False for context (containment, authorship): holding the start node gives no control of
    # the end node, so path-finding exports must not walk it.
    traversable: bool = True
    # Whether each sync records the relationship's creations, removals and the changes of its
    # tracked properties (ingest/graph/changes.py): memberships and grants.
    tracked: bool = False

    def __post_init__(self) -> None:
        require_identifier(self.type, "relationship type")
        if any(p.tracked for p in self.properties) and not self.tracked:
            raise ValueError(f"{self.pattern}: a tracked property needs tracked=True")
        require_identifier(self.family, f"family of {self.pattern}")
        _check_props(self.pattern, self.properties, None)

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.type, self.start.name, self.end.name)

    @property
    def pattern(self) -> str:
        return f"(:{self.start.label})-[:{self.type}]->(:{self.end.label})"

    @cached_property
    def property_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties)

    @cached_property
    def tracked_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.properties if p.tracked)


@dataclass(frozen=True)
class GraphModel:
    """The registry of a whole graph, validated as a whole on construction."""

    nodes: tuple[NodeType, ...]
    rels: tuple[RelType, ...]
    families: tuple[str, ...]
    # Families whose elements are history and must never be deleted by cleanup.
    never_cleaned: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self._check_nodes()
        self._check_rels()
        unknown = sorted(self.never_cleaned - set(self.families))
        if unknown:
            raise ValueError(f"never_cleaned names undeclared families: {unknown}")

    def _check_nodes(self) -> None:
        _require_unique("node type name", [n.name for n in self.nodes])
        _require_unique("provider label", [n.label for n in self.nodes])
        provider_labels = {n.label for n in self.nodes}
        for node in self.nodes:
            clash = provider_labels & set(node.extra_labels)
            if clash:
                raise ValueError(
                    f"node type {node.name!r}: extra labels {clash} are provider labels"
                )
            self._require_family(node.family, f"node type {node.name!r}")

    def _check_rels(self) -> None:
        _require_unique("relationship", [r.identity for r in self.rels])
        declared = set(self.nodes)
        for rel in self.rels:
            for end in (rel.start, rel.end):
                if end not in declared:
                    raise ValueError(f"{rel.pattern}: node type {end.name!r} is not declared")
            if not rel.start.tenant_scoped:
                # Relationship cleanup finds a tenant's relationships through the start node.
                raise ValueError(f"{rel.pattern}: the start node type must be tenant-scoped")
            self._require_family(rel.family, rel.pattern)

    def _require_family(self, family: str, owner: str) -> None:
        if family not in self.families:
            raise ValueError(f"{owner}: family {family!r} is not among the declared families")

    def node(self, name: str) -> NodeType:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node type named {name!r}")

    def rel(self, type: str, start: str, end: str) -> RelType:
        for rel in self.rels:
            if rel.identity == (type, start, end):
                return rel
        raise KeyError(f"no relationship ({start})-[:{type}]->({end}) declared")

    def nodes_in(self, family: str) -> tuple[NodeType, ...]:
        self._require_family(family, "lookup")
        return tuple(n for n in self.nodes if n.family == family)

    def rels_in(self, family: str) -> tuple[RelType, ...]:
        self._require_family(family, "lookup")
        return tuple(r for r in self.rels if r.family == family)

    def volatile_properties(self) -> frozenset[str]:
        props = [p for n in self.nodes for p in n.properties]
        props += [p for r in self.rels for p in r.properties]
        return frozenset(p.name for p in props if p.volatile)

    def all_labels(self) -> Iterator[str]:
        seen: set[str] = set()
        for node in self.nodes:
            for label in node.labels:
                if label not in seen:
                    seen.add(label)
                    yield label


def _require_unique(what: str, values: Iterable[object]) -> None:
    seen: set[object] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} declared twice: {value!r}")
        seen.add(value)
