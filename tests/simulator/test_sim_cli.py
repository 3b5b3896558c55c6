"""`idgraph simulator serve` prints URLs and credentials and answers at them."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx


@contextmanager
def served(*flags: str) -> Iterator[dict[str, Any]]:
    """`idgraph simulator serve --port 0 <flags>` in a subprocess; yields its printed JSON."""
    command = [sys.executable, "-c", "from ingest.cli import app; app()", "simulator", "serve"]
    proc = subprocess.Popen(
        [*command, "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not any(line.startswith("}") for line in lines):
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        yield json.loads("".join(lines[lines.index("{\n") :]))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def answer(info: dict[str, Any], path: str) -> httpx.Response:
    deadline = time.monotonic() + 120  # a wait for readiness, not a speed claim
    while True:
        try:
            return httpx.get(f"{info['base_url']}{path}", headers={"x-api-key": info["admin_key"]})
        except httpx.TransportError:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_serve_medium_prints_where_it_answers() -> None:
    with served("--size", "medium", "--seed", "3", "--no-rate-limit") as info:
        r = answer(info, "/v1/organizations/me")
        assert r.status_code == 200 and r.json()["id"] == info["organization_id"]
        assert info["base_url"].startswith("http://127.0.0.1:")
        assert info["scim_url"].endswith("/scim/v2")
        knobs = httpx.get(
            f"{info['base_url']}/_control/config",
            headers={"x-control-token": info["control_token"]},
        ).json()
        assert knobs["rate_limit_enabled"] is False


def test_serve_an_enterprise_org_with_a_linked_console_org() -> None:
    with served("--product", "enterprise", "--linked", "console", "--no-rate-limit") as info:
        assert info["product"] == "enterprise" and info["admin_key"].startswith("sk-ant-api01-")
        assert [o["product"] for o in info["linked_orgs"]] == ["enterprise", "console"]
        r = answer(info, "/v1/organizations/users")
        assert r.status_code == 200 and r.json()["data"][0]["role"] in (
            "user",
            "managed",
            "owner",
            "membership_admin",
            "primary_owner",
        )
        assert answer(info, "/v1/organizations/workspaces").status_code == 400


def test_rate_limit_flag_pair_reads_naturally() -> None:
    from typer.testing import CliRunner

    from anthropic_sim.cli import simulator_app

    help_text = CliRunner().invoke(simulator_app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--rate-limit" in help_text.output and "--no-rate-limit" in help_text.output
    assert "--no-no-rate-limit" not in help_text.output
