"""`export_graph`: one format, streamed from Neo4j into a directory."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    """Streams the declared graph of `database` into files under `out_dir` (created). Files are
    written aside and moved in only once all are complete: a failure changes nothing there."""
    format = ExportFormat(format)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    csv_files = None
    with read_graph(driver, database, fetch_size) as reader, _staging(out_dir) as staging:
        if format is ExportFormat.graphml:
            files = [staging / GRAPHML_FILE]
            nodes, rels = write_graphml(reader, model, files[0])
        elif format is ExportFormat.opengraph:
            files = [staging / OPENGRAPH_FILE]
            nodes, rels = write_opengraph(reader, model, files[0])
        else:
            csv_files, nodes, rels = write_csv(reader, model, staging)
            files = [*csv_files.nodes, *csv_files.rels, csv_files.empty_lists]
            files.append(staging / IMPORT_COMMAND_FILE)
        for path in files:
            os.replace(path, out_dir / path.name)
    if csv_files is not None:
        csv_files = dataclasses.replace(
            csv_files,
            nodes=tuple(out_dir / p.name for p in csv_files.nodes),
            rels=tuple(out_dir / p.name for p in csv_files.rels),
            empty_lists=out_dir / csv_files.empty_lists.name,
        )
    return ExportResult(
        format=format,
        files=[out_dir / path.name for path in files],
        nodes=nodes,
        rels=rels,
        seconds=time.perf_counter() - started,
        undeclared=sorted(reader.undeclared),
        csv=csv_files,
    )


@contextmanager
def _staging(out_dir: Path) -> Iterator[Path]:
    """A fresh directory beside the export's files (same file system, so moves are renames)."""
    staging = Path(tempfile.mkdtemp(prefix=".idgraph-export-", dir=out_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
