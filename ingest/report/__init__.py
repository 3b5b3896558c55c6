"""`idgraph report`: every question of the library run against the graph, as JSON, Markdown
or one self-contained HTML page."""

from ingest.report.collect import build_report
from ingest.report.model import (
    Finding,
    OrganizationInfo,
    OrganizationSection,
    PathDrawing,
    PathNode,
    Report,
    SyncInfo,
)
from ingest.report.render import FORMATS, render

__all__ = [
    "FORMATS",
    "Finding",
    "OrganizationInfo",
    "OrganizationSection",
    "PathDrawing",
    "PathNode",
    "Report",
    "SyncInfo",
    "build_report",
    "render",
]
