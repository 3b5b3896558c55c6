"""Fixtures of the report tests: a synced simulated organization, the CLI's environment, and
headless Chromium to look at the HTML."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from anthropic_sim.server import RunningSimulator

BROWSER_URL = "http://localhost:7474/browser/"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HOW_TO_GET_CHROMIUM = (
    "Headless Chromium renders the HTML report in this test. Install it: on Debian "
    "`apt-get install -y --no-install-recommends chromium fonts-liberation` (on Ubuntu use "
    "Google Chrome: the chromium apt package there is a snap stub), or point CHROME_BIN at "
    "a Chrome/Chromium binary."
)


def chromium_binary() -> str | None:
    explicit = os.environ.get("CHROME_BIN")
    if explicit:
        return explicit
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def screenshot() -> Callable[[Path, Path], None]:
    """`screenshot(html_file, png_file)`: headless Chromium, 1280x1600, no network."""
    binary = chromium_binary()
    if binary is None:
        if _ci():
            pytest.fail(HOW_TO_GET_CHROMIUM, pytrace=False)
        pytest.skip(HOW_TO_GET_CHROMIUM)

    def take(html_file: Path, png_file: Path) -> None:
        with tempfile.TemporaryDirectory() as profile:
            command = [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={png_file}",
                "--window-size=1280,1600",
                html_file.resolve().as_uri(),
            ]
            done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]

    return take


@pytest.fixture
def synced(simulator: Callable[..., Any], sync: Callable[..., Any]) -> Iterator[RunningSimulator]:
    """A small simulated organization, synced into the (emptied) test database."""
    with simulator(size="small", seed=3) as running:
        sync(running)
        yield running


@pytest.fixture
def neo4j_env(neo4j: Any) -> dict[str, str]:
    """The environment `idgraph report` needs to reach the test database."""
    username, password = neo4j.auth
    return {
        "NEO4J_URI": neo4j.uri,
        "NEO4J_USERNAME": username,
        "NEO4J_PASSWORD": password,
        "NEO4J_DATABASE": neo4j.database,
        "NEO4J_BROWSER_URL": BROWSER_URL,
    }
