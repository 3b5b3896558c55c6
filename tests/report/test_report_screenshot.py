"""The HTML report in headless Chromium: it renders, and it is not blank."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from anthropic_sim.server import RunningSimulator
from ingest.report import build_report, render
from tests.report.conftest import BROWSER_URL

pytestmark = pytest.mark.neo4j


def test_html_renders_in_headless_chromium(
    neo4j: Any,
    synced: RunningSimulator,
    screenshot: Callable[[Path, Path], None],
    tmp_path: Path,
) -> None:
    report = build_report(neo4j.driver, neo4j.database, browser_url=BROWSER_URL)
    page = tmp_path / "report.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    png = tmp_path / "report.png"

    screenshot(page, png)

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    # A blank 1280x1600 page compresses to a few KB; text, tables and drawings do not.
    assert len(data) > 40_000, len(data)
