"""Change history: the Cypher that records, in the statement that makes a change, what changed.

A node type with tracked properties, and a relationship type declared `tracked`
(ingest/graph/model.py), has its writes and deletions extended with one `AnthropicChange` node
per change: `created` and `removed` per element, `changed` per tracked property whose value
differs (old and new as strings). The old values are read in the same MERGE, before its SET,
so a change and its record are one transaction. Only rows the loader writes (new or changed
content) reach these statements, and only complete families are cleaned up, so a partial sync
records no removal. Every statement takes `$history`: false on an organization's first sync
(the baseline: no "created" flood) and when history is switched off.
"""

from __future__ import annotations

from ingest.graph.schema import NodeType, RelType, quote, require_identifier

CHANGE_LABEL = "AnthropicChange"
KINDS = ("created", "removed", "changed")


def _literal(text: str) -> str:
    """A validated identifier as a Cypher string literal (labels and types only)."""
    return f"'{require_identifier(text, 'identifier')}'"


def _as_text(expression: str) -> str:
    return f"toString({expression})"


def _summary(variable: str, names: tuple[str, ...]) -> str:
    """`name=value, ...` of the tracked properties: what a created or removed element held."""
    if not names:
        return "null"
    parts = " + ', ' + ".join(
        f"'{name}=' + coalesce({_as_text(f'{variable}.{quote(name)}')}, 'null')" for name in names
    )
    return f"({parts})"


def _record(changes: str, label: str, element: str, ends: str) -> str:
    """FOREACH creating one change node per [kind, property, old, new] of `changes`."""
    return (
        f"FOREACH (c IN {changes} |\n"
        f"  CREATE (:{quote(CHANGE_LABEL)} {{tenant_id: $tenant_id, id: randomUUID(), "
        "sync_id: $sync_id, at: $at, at_epoch_ms: $now, kind: c[0], "
        f"element_label: {_literal(label)}, element_id: {element}{ends}, "
        "property: c[1], old: c[2], new: c[3]}))\n"
    )


def _when(changes: str) -> str:
    return f"CASE WHEN $history THEN {changes} ELSE [] END"


def _changed(variable: str, names: tuple[str, ...]) -> str:
    """The tracked properties whose value differs from `old` (null counts as a value)."""
    pairs = ", ".join(
        f"['changed', '{name}', old[{i}], {_as_text(f'{variable}.{quote(name)}')}]"
        for i, name in enumerate(names)
    )
    return (
        f"[d IN [{pairs}] WHERE coalesce(d[2] <> d[3], (d[2] IS NULL) <> (d[3] IS NULL))]"
        if names
        else "[]"
    )


def _old(variable: str, names: tuple[str, ...]) -> str:
    return "[" + ", ".join(_as_text(f"{variable}.{quote(name)}") for name in names) + "]"


def _rel_ends(rel: RelType) -> str:
    return (
        f", start_label: {_literal(rel.start.label)}, start_id: a.{quote(rel.start.key)}, "
        f"end_label: {_literal(rel.end.label)}, end_id: b.{quote(rel.end.key)}"
    )


def _rel_element(rel: RelType) -> str:
    return f"a.{quote(rel.start.key)} + ' -> ' + b.{quote(rel.end.key)}"


def node_tracked(node: NodeType) -> bool:
    return bool(node.tracked_names)


def node_capture(node: NodeType, prior: str) -> str:
    """After the MERGE of `n`, before its SET: what the node held (`prior` is its sync id)."""
    return f"WITH n, row, n.sync_id AS {prior}, {_old('n', node.tracked_names)} AS old\n"


def node_record(node: NodeType, prior: str) -> str:
    """After the SET: created when the node had never been written, changed otherwise (a node
    this sync already wrote is left alone)."""
    changes = (
        f"CASE WHEN {prior} IS NULL THEN [['created', null, null, null]] "
        f"WHEN {prior} = $sync_id THEN [] ELSE {_changed('n', node.tracked_names)} END"
    )
    return f"WITH n, {prior}, old\n" + _record(
        _when(changes), node.label, f"n.{quote(node.key)}", ""
    )


def node_removal(node: NodeType) -> str:
    """Before the DETACH DELETE of `n`."""
    changes = f"[['removed', null, {_summary('n', node.tracked_names)}, null]]"
    return _record(_when(changes), node.label, f"n.{quote(node.key)}", "")


def rel_capture(rel: RelType, prior: str) -> str:
    """After the MERGE of `r`, before its SET (`prior`: its last update, null when new)."""
    return f"WITH a, b, r, row, r.lastupdated AS {prior}, {_old('r', rel.tracked_names)} AS old\n"


def rel_record(rel: RelType, prior: str) -> str:
    changes = (
        f"CASE WHEN {prior} IS NULL "
        f"THEN [['created', null, null, {_summary('r', rel.tracked_names)}]] "
        f"WHEN {prior} = $now THEN [] ELSE {_changed('r', rel.tracked_names)} END"
    )
    return f"WITH a, b, r, {prior}, old\n" + _record(
        _when(changes), rel.type, _rel_element(rel), _rel_ends(rel)
    )


def rel_created(rel: RelType) -> str:
    """After a CREATE of `r` (the loader knows it is new)."""
    changes = f"[['created', null, null, {_summary('r', rel.tracked_names)}]]"
    return _record(_when(changes), rel.type, _rel_element(rel), _rel_ends(rel))


def rel_removal(rel: RelType) -> str:
    changes = f"[['removed', null, {_summary('r', rel.tracked_names)}, null]]"
    return _record(_when(changes), rel.type, _rel_element(rel), _rel_ends(rel))


def prune(label: str, older: str) -> str:
    """Parameters: $tenant_id, $cutoff (epoch ms), $limit. Deletes up to $limit of the tenant's
    `label` nodes whose `older` property is before the cutoff; returns how many."""
    return (
        f"MATCH (x:{quote(label)}) WHERE x.tenant_id = $tenant_id AND x.{quote(older)} < $cutoff\n"
        "WITH x LIMIT $limit\n"
        "DETACH DELETE x\n"
        "RETURN count(*) AS deleted"
    )
