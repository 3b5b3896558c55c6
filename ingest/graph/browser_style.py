"""The Neo4j Browser style (GraSS) of the graph, derived from the declaration.

One rule per node type on its provider label (a colour of its own, a caption from its best
declared property) and one per relationship type (captioned with the type). Semantic labels
shared across types (UserAccount, UserGroup...) get no rule: Browser merges every rule whose
label a node carries, so a rule there would repaint one type in another's colour.

The file holds no comment (so no "do not edit" banner): Browser's GraSS parser has no comment
syntax and would fold one into the first selector. tests/graph/test_browser_style.py parses it
the way Browser does and fails when cypher/browser-style.grass is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingest.graph.schema import KEY, GraphModel, NodeType

# Properties that name an element for a person, best first; a type with none is shown by `id`.
CAPTION_PREFERENCE: tuple[str, ...] = ("email", "name", "display_name", "user_name", "action")

# Distinct at a glance on Browser's white canvas, in declaration order of the node types.
PALETTE: tuple[str, ...] = (
    "#4C8EDA",
    "#F79767",
    "#57C7E3",
    "#F16667",
    "#D9C8AE",
    "#8DCC93",
    "#ECB5C9",
    "#FFC454",
    "#DA7194",
    "#569480",
    "#C990C0",
    "#A5ABB6",
    "#6DCE9E",
    "#FF756E",
    "#68BDF6",
    "#DE9BF9",
    "#FB95AF",
    "#B8860B",
    "#7B68EE",
    "#2E8B57",
    "#708090",
)
DARK_TEXT = "#2A2C34"
LIGHT_TEXT = "#FFFFFF"


def caption_property(node: NodeType) -> str:
    names = node.property_names
    return next((name for name in CAPTION_PREFERENCE if name in names), KEY)


def node_colours(model: GraphModel) -> dict[str, str]:
    """Provider label -> colour, one colour per node type."""
    if len(model.nodes) > len(PALETTE):
        raise ValueError(
            f"{len(model.nodes)} node types but {len(PALETTE)} colours: extend PALETTE"
        )
    return {node.label: colour for node, colour in zip(model.nodes, PALETTE, strict=False)}


def grass_stylesheet(model: GraphModel) -> str:
    return "\n".join(_lines(model)) + "\n"


def _lines(model: GraphModel) -> Iterator[str]:
    yield from _rule("node", {"diameter": "50px", "border-width": "2px", "font-size": "10px"})
    yield from _rule(
        "relationship",
        {"color": "#A5ABB6", "shaft-width": "1px", "font-size": "8px", "caption": "'<type>'"},
    )
    colours = node_colours(model)
    for node in model.nodes:
        colour = colours[node.label]
        yield from _rule(
            f"node.{node.label}",
            {
                "color": colour,
                "border-color": _darker(colour),
                "text-color-internal": _text_on(colour),
                "caption": f"'{{{caption_property(node)}}}'",
            },
        )
    for rel_type in dict.fromkeys(rel.type for rel in model.rels):
        yield from _rule(f"relationship.{rel_type}", {"caption": "'<type>'"})


def _rule(selector: str, props: dict[str, str]) -> Iterator[str]:
    yield f"{selector} {{"
    for name, value in props.items():
        yield f"  {name}: {value};"
    yield "}"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _darker(colour: str) -> str:
    return "#" + "".join(f"{round(c * 0.85):02X}" for c in _rgb(colour))


def _text_on(colour: str) -> str:
    red, green, blue = _rgb(colour)
    luminance = (0.299 * red + 0.587 * green + 0.114 * blue) / 255
    return DARK_TEXT if luminance > 0.6 else LIGHT_TEXT
