"""Values from the API are data on every terminal and in every file: no rich markup, no control
sequence, no spreadsheet formula. Hostile names are planted in the simulator; the CLI runs."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from anthropic_sim.server import RunningSimulator
from tests.report.helpers import mutate
from tests.sync.test_sync_cli import env_for, invoke
from tests.test_cli_failures import one_line

pytestmark = pytest.mark.neo4j

CLOSING_TAG = "[/]"
LINK = "[link=https://x.example]click[/link]"
ESCAPE = "\x1b[31mred\x1b]0;retitled\x07"
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE_KEYS = (CLOSING_TAG, LINK, ESCAPE, FORMULA, "+1+1", "@SUM(A1)", "\tTAB", "-2+3")
ORG_NAME = "[bold]Org[/bold] \x1b[2J"


def plant(running: RunningSimulator) -> None:
    admin = mutate(running, op="add_user", email="hostile@x.example", name=LINK, role="admin")
    for name in HOSTILE_KEYS:
        principal = {"type": "user", "id": admin["id"]}
        mutate(
            running,
            op="add_api_key",
            name=name,
            created_by_user_id=admin["id"],
            principal=principal,
        )
    with running.sim.lock:
        running.sim.org.name = ORG_NAME


def test_terminal_output_shows_api_values_literally(neo4j, simulator) -> None:
    with simulator(size="small", seed=3) as running:
        plant(running)
        env = {**env_for(neo4j, running), "COLUMNS": "250"}
        synced = invoke("sync", env=env)
        doctor = invoke("doctor", env=env)
    table = invoke("query", "run", "effective-org-admins", env=env)
    assert (synced.exit_code, table.exit_code, doctor.exit_code) == (0, 0, 0), table.output
    for result in (synced, table, doctor):
        assert "\x1b" not in result.output and "\x07" not in result.output
    assert "[bold]Org[/bold] \\x1b[2J" in synced.output  # the summary title, markup shown
    assert "\\x1b" in doctor.output
    assert CLOSING_TAG in table.output and LINK in table.output
    assert "\\x1b[31mred\\x1b]0;retitled\\x07" in table.output


def test_query_csv_cells_are_never_formulas(neo4j, simulator) -> None:
    with simulator(size="small", seed=3) as running:
        plant(running)
        assert invoke("sync", "--json", env=env_for(neo4j, running)).exit_code == 0
    result = invoke("query", "run", "effective-org-admins", "-f", "csv", env=env_for(neo4j))
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in csv.DictReader(io.StringIO(result.stdout))]
    for name in HOSTILE_KEYS:
        if name[0] in "=+-@\t\r":
            assert "'" + name in names
        else:
            assert name in names
    assert not [n for n in names if n and n[0] in "=+-@\t\r"]


def test_export_csv_keeps_a_tag_with_a_semicolon_and_fails_without_half_written_files(
    neo4j, simulator, tmp_path: Path
) -> None:
    with simulator(size="small", seed=3) as running:
        response = httpx.post(
            f"{running.base_url}/v1/organizations/workspaces",
            json={"name": "Tagged", "tags": {"team": "a;b", "cost": "=1+2"}},
            headers={"x-api-key": running.admin_key, "anthropic-version": "2023-06-01"},
        )
        assert response.status_code == 200, response.text
        assert invoke("sync", "--json", env=env_for(neo4j, running)).exit_code == 0
    exported = invoke("export", "-f", "csv", "-o", str(tmp_path), env=env_for(neo4j))
    assert exported.exit_code == 0, exported.output
    with (tmp_path / "nodes_AnthropicWorkspace.csv").open(encoding="utf-8", newline="") as f:
        tags = [row["tags:string[]"] for row in csv.DictReader(f)]
    assert "cost==1+2\x1fteam=a;b" in tags
    assert "--array-delimiter=U+001F" in (tmp_path / "neo4j-admin-import.txt").read_text()

    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    neo4j.run("MATCH (w:AnthropicWorkspace {name: 'Tagged'}) SET w.name = 42")
    failed = invoke("export", "-f", "csv", "-o", str(tmp_path), env=env_for(neo4j))
    assert failed.exit_code == 4
    assert "AnthropicWorkspace.name" in one_line(failed)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before
