"""`idgraph simulator serve` prints URLs and credentials and answers at them."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx


def test_serve_medium_prints_where_it_answers() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from ingest.cli import app; app()",
            "simulator",
            "serve",
            "--port",
            "0",
            "--size",
            "medium",
            "--seed",
            "3",
            "--no-rate-limit",
        ],
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
        info = json.loads("".join(lines[lines.index("{\n") :]))
        deadline = time.monotonic() + 120  # a wait for readiness, not a speed claim
        while True:
            try:
                r = httpx.get(
                    f"{info['base_url']}/v1/organizations/me",
                    headers={"x-api-key": info["admin_key"]},
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert r.status_code == 200 and r.json()["id"] == info["organization_id"]
        assert info["base_url"].startswith("http://127.0.0.1:")
        assert info["scim_url"].endswith("/scim/v2")
        knobs = httpx.get(
            f"{info['base_url']}/_control/config",
            headers={"x-control-token": info["control_token"]},
        ).json()
        assert knobs["rate_limit_enabled"] is False
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_rate_limit_flag_pair_reads_naturally() -> None:
    from typer.testing import CliRunner

    from anthropic_sim.cli import simulator_app

    help_text = CliRunner().invoke(simulator_app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "--rate-limit" in help_text.output and "--no-rate-limit" in help_text.output
    assert "--no-no-rate-limit" not in help_text.output
