"""attack-paths walks exactly the relationship types the graph declaration marks traversable
(control), so a newly declared control edge fails here until the question walks it."""

from __future__ import annotations

import re

from ingest.graph.model import MODEL
from ingest.queries.library import get_query

# The quantified hop of the walk: `()-[:A|B|...]->(n)`.
WALKED_HOP = re.compile(r"\(\)-\[:([A-Z_|\s]+)\]->\(n\)")


def walked_types() -> set[str]:
    hops = WALKED_HOP.findall(get_query("attack-paths").cypher)
    assert len(hops) == 1, "attack-paths should walk one quantified hop"
    return {t.strip() for t in hops[0].split("|")}


def test_attack_paths_walk_the_declared_control_edges() -> None:
    control = {rel.type for rel in MODEL.rels if rel.traversable}
    missing, extra = sorted(control - walked_types()), sorted(walked_types() - control)
    assert not missing, f"declared control edges attack-paths does not walk: {missing}"
    assert not extra, f"attack-paths walks edges not declared traversable: {extra}"


def test_a_walked_type_is_control_between_every_pair_it_joins() -> None:
    # The walk names types, not pairs: a type that is context between some pair would be
    # walked there too.
    context = {rel.type for rel in MODEL.rels if not rel.traversable}
    assert not context & walked_types()
    assert {"CONTAINS", "CREATED_BY", "OWNED_BY", "OWNS"} <= context
