"""Generates docs/graph-model.md, cypher/schema.cypher and the Neo4j Browser style
cypher/browser-style.grass from the declaration.

python -m ingest.graph.docs            # write the files
python -m ingest.graph.docs --check    # exit 1 when a committed file is stale
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from ingest.graph.browser_style import grass_stylesheet
from ingest.graph.cypher import identity_props, schema_cypher_file
from ingest.graph.model import MODEL
from ingest.graph.schema import (
    KEY,
    NODE_SYSTEM_PROPS,
    REL_SYSTEM_PROPS,
    GraphModel,
    NodeType,
    Prop,
    RelType,
)

ROOT = Path(__file__).resolve().parents[2]
GRAPH_MODEL_MD = ROOT / "docs" / "graph-model.md"
SCHEMA_CYPHER = ROOT / "cypher" / "schema.cypher"
BROWSER_STYLE = ROOT / "cypher" / "browser-style.grass"


def graph_model_markdown(model: GraphModel) -> str:
    return "\n".join(_markdown_lines(model)) + "\n"


def _markdown_lines(model: GraphModel) -> Iterator[str]:
    yield "# Graph model"
    yield ""
    yield "<!-- GENERATED from ingest/graph/model.py by `python -m ingest.graph.docs`: do not edit."
    yield "     tests/graph/test_docs.py fails when this file is stale. -->"
    yield ""
    yield (
        "Every node of an organization (every tenant-scoped type) is merged on "
        "(`id`, `tenant_id`), a composite uniqueness constraint per provider label: `id` "
        "stays the API id, so a person who belongs to two organizations is two nodes with the "
        "same `id` (and `email_lower`), one per organization, each with that organization's "
        "role and relationships; one organization's sync and cleanup never touch another's "
        "nodes. Join nodes by `id` within one `tenant_id`. Other nodes are merged on `id` "
        "alone. Relationships are merged between existing nodes of the same organization "
        "(created without a check when the "
        "tenant has none of them yet). An element whose declared properties did not change "
        "since it was last written (a node's `content_hash`, a relationship's properties "
        "themselves) is not written again, so `lastupdated` (and a node's `sync_id`) say when "
        "it last changed; the organization's `last_sync_id` says when the tenant was last "
        "read. Timestamps from the API are RFC 3339 strings. A *family* is the "
        "unit of cleanup: when a sync read a family completely, the tenant's elements of that "
        "family that no row of the sync named are deleted; an incomplete family is left "
        "untouched. A property's *source* is the field of the typed record (ingest/extract) it "
        "is copied from (timestamps as RFC 3339 strings, enum members as their value, null "
        "when the field is), or the mapper (ingest/mapping) that derives it."
    )
    yield ""
    yield from _diagram(model)
    yield from _families(model)
    yield from _system_props()
    yield "## Nodes"
    yield ""
    for node in model.nodes:
        yield from _node_section(node)
    yield "## Relationships"
    yield ""
    for rel in model.rels:
        yield from _rel_section(rel)


def _diagram(model: GraphModel) -> Iterator[str]:
    yield "```mermaid"
    yield "flowchart LR"
    for node in model.nodes:
        yield f"    {node.name}[{node.label}]"
    for rel in model.rels:
        yield f"    {rel.start.name} -->|{rel.type}| {rel.end.name}"
    yield "```"
    yield ""


def _families(model: GraphModel) -> Iterator[str]:
    yield "## Families"
    yield ""
    yield "| family | node types | relationships | cleaned up |"
    yield "|---|---|---|---|"
    for family in model.families:
        nodes = ", ".join(f"`{n.label}`" for n in model.nodes_in(family)) or "-"
        rels = ", ".join(f"`{r.pattern}`" for r in model.rels_in(family)) or "-"
        cleaned = "never" if family in model.never_cleaned else "when read completely"
        yield f"| `{family}` | {nodes} | {rels} | {cleaned} |"
    yield ""


def _system_props() -> Iterator[str]:
    yield "## Properties the loader writes"
    yield ""
    yield "On every node (`tenant_id` on tenant-scoped types only):"
    yield ""
    yield from _prop_table(
        (
            Prop(
                KEY,
                "string",
                "The API id; unique per provider label together with `tenant_id` on "
                "tenant-scoped types, alone on the others.",
                indexed=True,
            ),
        ),
        _by_loader,
    )
    yield from _prop_table(NODE_SYSTEM_PROPS, _by_loader, header=False)
    yield ""
    yield "On every relationship:"
    yield ""
    yield from _prop_table(REL_SYSTEM_PROPS, _by_loader)
    yield ""


def _node_section(node: NodeType) -> Iterator[str]:
    yield f"### {node.label} (`{node.name}`)"
    yield ""
    yield node.description
    yield ""
    labels = ", ".join(f"`{label}`" for label in node.labels)
    yield f"- labels: {labels}"
    yield f"- key: {', '.join(f'`{p}`' for p in identity_props(node))}"
    yield f"- family: `{node.family}`"
    yield f"- tenant-scoped: {'yes' if node.tenant_scoped else 'no'}"
    if node.tracked_names:
        yield f"- change history: {_HISTORY}"
    yield ""
    yield from _prop_table(node.properties, lambda prop: _source(prop, node.record, node.mapped_by))
    yield ""


def _rel_section(rel: RelType) -> Iterator[str]:
    yield f"### `{rel.pattern}`"
    yield ""
    yield rel.description
    yield ""
    yield f"- family: `{rel.family}`"
    if rel.source is not None:
        yield f"- source: `{rel.source}` (of the start node's record)"
    if not rel.traversable:
        yield (
            "- not traversable: context, not control (attack-paths does not walk it; the "
            "OpenGraph export marks it non-traversable, or leaves it out: docs/exports.md)"
        )
    if rel.tracked:
        yield f"- change history: {_HISTORY}"
    yield ""
    if rel.properties:
        yield from _prop_table(rel.properties, lambda prop: _source(prop, None, rel.mapped_by))
        yield ""


_HISTORY = (
    "each sync records its creations, removals and tracked properties' changes as "
    "`AnthropicChange` nodes"
)


def _by_loader(_: Prop) -> str:
    return "loader"


def _source(prop: Prop, record: type | None, mapped_by: tuple[str, ...]) -> str:
    if prop.millis_of is not None:
        return f"from `{prop.millis_of}`"
    if prop.source is not None and record is not None:
        return f"`{record.__name__}.{prop.source}`"
    return "derived: " + ", ".join(f"`{name}`" for name in mapped_by)


def _prop_table(
    props: tuple[Prop, ...], source: Callable[[Prop], str], header: bool = True
) -> Iterator[str]:
    if header:
        yield "| property | type | indexed | source | description |"
        yield "|---|---|---|---|---|"
    for prop in props:
        indexed = ", ".join(f"`{name}`" for name in prop.index_props)
        note = " Volatile: changes on every sync." if prop.volatile else ""
        note += " Tracked: each change is recorded, old and new." if prop.tracked else ""
        yield (
            f"| `{prop.name}` | {prop.type} | {indexed} | {source(prop)} "
            f"| {_cell(prop.description)}{note} |"
        )


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def generated_files(model: GraphModel = MODEL) -> dict[Path, str]:
    return {
        GRAPH_MODEL_MD: graph_model_markdown(model),
        SCHEMA_CYPHER: schema_cypher_file(model),
        BROWSER_STYLE: grass_stylesheet(model),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)} (run python -m ingest.graph.docs)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
