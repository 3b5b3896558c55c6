"""Exports of the graph for BI and graph tools: GraphML, neo4j-admin CSV, BloodHound OpenGraph.

Every format streams from Neo4j (one read transaction, batched fetches) and writes as it reads,
so memory stays flat whatever the size of the organization.
"""

from ingest.export.columns import ExportError
from ingest.export.exporter import ExportFormat, ExportResult, export_graph
from ingest.export.neo4j_csv import CsvFiles

__all__ = ["CsvFiles", "ExportError", "ExportFormat", "ExportResult", "export_graph"]
