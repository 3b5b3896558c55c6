"""Every property a question filters on by equality is indexed, so no question scans a label.

The questions are read roughly, not parsed: node patterns `(x:Label {prop: ...})` and the
comparisons `x.prop = ...` / `x.prop IN ...` on a variable a pattern of the same question binds
to a declared label. A new question filtering on an unindexed property fails here; declare the
property `indexed` (PER_ORG when it filters inside one organization) in ingest/graph/model.py.
"""

from __future__ import annotations

import re

from ingest.graph.model import MODEL
from ingest.graph.schema import KEY, TENANT_ID, NodeType
from ingest.queries.library import load_library

_NODE = re.compile(r"\((\w*):(\w+)\s*(?:\{([^}]*)\})?\s*\)")
_MAP_KEY = re.compile(r"(\w+)\s*:")
_EQUALITY = re.compile(r"\b(\w+)\.(\w+)\s*(?:=(?![~=])|IN\b)")


def _types(label: str) -> list[NodeType]:
    return [n for n in MODEL.nodes if label in n.labels]


def _indexed(label: str, prop: str) -> bool:
    if prop in (KEY, TENANT_ID):
        return True  # the (id, tenant_id) constraint and the tenant_id index
    # A property the label's types do not declare is a variable reused across UNION branches
    # for another label (attack-paths' `start`), not a filter an index could serve.
    holders = [n for n in _types(label) if prop in n.property_names]
    return all(any(p.name == prop and p.index_props for p in n.properties) for n in holders)


def equality_filters(cypher: str) -> set[tuple[str, str]]:
    """(label, property) of every equality filter on a node of a declared label."""
    labels: dict[str, set[str]] = {}
    found: set[tuple[str, str]] = set()
    for variable, label, props in _NODE.findall(cypher):
        if not _types(label):
            continue
        if variable:
            labels.setdefault(variable, set()).add(label)
        found |= {(label, prop) for prop in _MAP_KEY.findall(props or "")}
    for variable, prop in _EQUALITY.findall(cypher):
        found |= {(label, prop) for label in labels.get(variable, ())}
    return found


def test_the_rough_reading_finds_pattern_and_where_filters() -> None:
    cypher = (
        "MATCH (k:AnthropicApiKey {tenant_id: o.id, status: 'active'})<-[:CONTAINS]-(w)\n"
        "WHERE k.scope_type = 'organization' AND w.name = 'x' AND k.created_at <= $t\n"
        "AND k.principal_type IN ['user'] AND (p:AnthropicUser OR p.role = 'admin')"
    )
    assert equality_filters(cypher) == {
        ("AnthropicApiKey", "tenant_id"),
        ("AnthropicApiKey", "status"),
        ("AnthropicApiKey", "scope_type"),
        ("AnthropicApiKey", "principal_type"),
    }


def test_an_unindexed_filter_is_reported() -> None:
    assert not _indexed("AnthropicApiKey", "name")
    assert _indexed("AnthropicApiKey", "status")


def test_every_equality_filter_of_every_question_is_indexed() -> None:
    unindexed = {
        query.id: sorted(f"{label}.{prop}" for label, prop in filters if not _indexed(label, prop))
        for query in load_library()
        if (filters := equality_filters(query.cypher))
    }
    assert {qid: props for qid, props in unindexed.items() if props} == {}
