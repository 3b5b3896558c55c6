"""Names in the data are data: quotes, markup and unicode reach every format intact and inert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anthropic_sim.server import RunningSimulator
from ingest.queries.library import load_library
from ingest.report import build_report, render
from tests.report.conftest import BROWSER_URL
from tests.report.helpers import assert_self_contained, mutate, parse_page

pytestmark = pytest.mark.neo4j

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = "\"><img src=x onerror=alert(2)> O'Brien & «Ωmega» 🔑 | `tick`"

# A question of our own, so the hostile names are certainly in the report (and in a path).
HOSTILE_QUESTION = """\
// id: hostile-names
// title: Keys of people whose names are markup <b>bold</b>
// severity: critical
// category: attack path
// why: Names are data & must stay data: "quotes", 'single', <tags>.
// fix: Escape everything.
MATCH p = (k:AnthropicApiKey)-[:OWNED_BY]->(u:AnthropicUser)-[:HAS_ROLE]->(r:AnthropicRole)
WHERE u.name STARTS WITH '<script>' AND r.scope = 'organization'
RETURN u.name AS name, k.name AS key, p AS path
"""


def test_hostile_names_are_escaped(neo4j: Any, simulator: Any, sync: Any, tmp_path: Path) -> None:
    with simulator(size="small", seed=5) as running:
        _plant_hostile_user(running)
        sync(running)
    (tmp_path / "99_hostile-names.cypher").write_text(HOSTILE_QUESTION, encoding="utf-8")
    queries = [*load_library(), *load_library(tmp_path)]
    report = build_report(neo4j.driver, neo4j.database, browser_url=BROWSER_URL, queries=queries)
    hostile = next(f for f in report.findings if f.id == "hostile-names")
    assert hostile.count == 1 and len(hostile.paths) == 1

    html = render(report, "html")
    assert SCRIPT not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_self_contained(html, BROWSER_URL)
    page = parse_page(html)
    text = "".join(page.text)
    assert SCRIPT in text and ATTRIBUTE in text  # shown exactly, as text
    assert "Keys of people whose names are markup <b>bold</b>" in text

    markdown = render(report, "md")
    assert SCRIPT not in markdown
    assert "\\<script>alert(1)\\</script>" in markdown

    doc = json.loads(render(report, "json"))
    [row] = next(f for f in doc["findings"] if f["id"] == "hostile-names")["rows"]
    assert (row["name"], row["key"]) == (SCRIPT, ATTRIBUTE)


def _plant_hostile_user(running: RunningSimulator) -> None:
    user = mutate(running, op="add_user", email="x@hostile.example", name=SCRIPT, role="admin")
    mutate(running, op="add_api_key", name=ATTRIBUTE, created_by_user_id=user["id"])
