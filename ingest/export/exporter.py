"""`export_graph`: one format, streamed from Neo4j into a directory."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from neo4j import Driver

from ingest.export.graphml import write_graphml
from ingest.export.neo4j_csv import IMPORT_COMMAND_FILE, CsvFiles, write_csv
from ingest.export.opengraph import write_opengraph
from ingest.export.source import FETCH_SIZE, read_graph
from ingest.graph.model import MODEL
from ingest.graph.schema import GraphModel

GRAPHML_FILE = "graph.graphml"
OPENGRAPH_FILE = "opengraph.json"


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"
    opengraph = "opengraph"


@dataclass
class ExportResult:
    format: ExportFormat
    files: list[Path]
    nodes: int
    rels: int
    seconds: float
    # "<label or pattern>.<property>": in the graph but not declared, so not exported.
    undeclared: list[str] = field(default_factory=list)
    csv: CsvFiles | None = None  # the CSV files, with the neo4j-admin arguments to import them


def export_graph(
    driver: Driver,
    database: str,
    format: ExportFormat | str,
    out_dir: Path,
    *,
    model: GraphModel = MODEL,
    fetch_size: int = FETCH_SIZE,
) -> ExportResult:
    """Streams the declared graph of `database` into files under `out_dir` (created)."""
    format = ExportFormat(format)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    csv_files = None
    with read_graph(driver, database, fetch_size) as reader:
        if format is ExportFormat.graphml:
            files = [out_dir / GRAPHML_FILE]
            nodes, rels = write_graphml(reader, model, files[0])
        elif format is ExportFormat.opengraph:
            files = [out_dir / OPENGRAPH_FILE]
            nodes, rels = write_opengraph(reader, model, files[0])
        else:
            csv_files, nodes, rels = write_csv(reader, model, out_dir)
            files = [*csv_files.nodes, *csv_files.rels, csv_files.empty_lists]
            files.append(out_dir / IMPORT_COMMAND_FILE)
    return ExportResult(
        format=format,
        files=files,
        nodes=nodes,
        rels=rels,
        seconds=time.perf_counter() - started,
        undeclared=sorted(reader.undeclared),
        csv=csv_files,
    )
