"""cypher/browser-style.grass: what Neo4j Browser makes of it (parsed as Browser parses GraSS)."""

from __future__ import annotations

import re

import pytest

from ingest.graph import browser_style, docs
from ingest.graph.browser_style import caption_property
from ingest.graph.model import MODEL

COLOUR = re.compile(r"^#[0-9A-F]{6}$")


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Neo4j Browser's own GraSS reader (grassUtils.parseGrassCSS), step for step: quotes are
    dropped, braces inside quotes kept, a declaration is kept only when it splits on ':' into
    exactly two parts, and anything outside braces becomes part of the next selector."""
    rules: dict[str, str] = {}
    inside_string = inside_props = inside_binding = False
    keyword = props = ""
    for char in text:
        skip = True
        if char == "{":
            if inside_string:
                skip = False
            elif inside_props:
                inside_binding = True
            else:
                inside_props = True
        elif char == "}":
            if inside_string:
                skip = False
            elif inside_binding:
                inside_binding = False
            else:
                inside_props = False
                rules[keyword] = props
                keyword = props = ""
        elif char in "'\"":
            inside_string = not inside_string
        else:
            skip = False
        if skip:
            continue
        if inside_props:
            props += char
        elif not char.isspace():
            keyword += char
    parsed: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        parsed[selector] = {}
        for declaration in body.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                parsed[selector][parts[0].strip()] = parts[1].strip()
    return parsed


def declarations(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip().endswith(";"))


STYLE = docs.BROWSER_STYLE.read_text(encoding="utf-8")
RULES = parse_grass(STYLE)


def test_every_declaration_survives_browsers_parser() -> None:
    """A value with a ':' or a comment before a rule would be dropped or bend a selector."""
    assert sum(len(props) for props in RULES.values()) == declarations(STYLE)
    assert all(re.fullmatch(r"(node|relationship)(\.\w+)?", selector) for selector in RULES)


def test_every_node_type_has_its_own_colour_and_a_caption() -> None:
    colours = []
    for node in MODEL.nodes:
        rule = RULES[f"node.{node.label}"]
        assert COLOUR.match(rule["color"]) and COLOUR.match(rule["border-color"])
        assert rule["caption"] == f"{{{caption_property(node)}}}"
        colours.append(rule["color"])
    assert len(set(colours)) == len(MODEL.nodes)


def test_captions_are_email_then_name_then_the_best_declared_property() -> None:
    assert RULES["node.AnthropicUser"]["caption"] == "{email}"
    assert RULES["node.ScimUser"]["caption"] == "{email}"
    assert RULES["node.AnthropicWorkspace"]["caption"] == "{name}"
    assert RULES["node.ScimGroup"]["caption"] == "{display_name}"
    assert RULES["node.AnthropicRbacRolePermission"]["caption"] == "{action}"
    assert RULES["node.SyncRun"]["caption"] == "{id}"


def test_shared_labels_get_no_rule() -> None:
    """Browser applies every rule whose label a node carries: a rule on UserAccount would paint
    SCIM users and members alike."""
    provider = {node.label for node in MODEL.nodes}
    nodes = {s.removeprefix("node.") for s in RULES if s.startswith("node.")}
    assert nodes == provider


def test_every_relationship_type_is_captioned_with_its_type() -> None:
    for rel in MODEL.rels:
        assert RULES[f"relationship.{rel.type}"]["caption"] == "<type>"


def test_more_node_types_than_colours_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser_style, "PALETTE", browser_style.PALETTE[:3])
    with pytest.raises(ValueError, match="colours"):
        browser_style.grass_stylesheet(MODEL)
