"""Loading declared graph elements into Neo4j."""

from ingest.load.context import CleanupResult, SyncContext
from ingest.load.loader import DEFAULT_BATCH_SIZE, GraphLoader
from ingest.load.rows import MissingKeyError, UndeclaredPropertyError

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "CleanupResult",
    "GraphLoader",
    "MissingKeyError",
    "SyncContext",
    "UndeclaredPropertyError",
]
