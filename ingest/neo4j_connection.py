"""Opening Neo4j from the settings, with a clear message when it is not there."""

from __future__ import annotations

import time

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from ingest.settings import Settings


class Neo4jUnavailable(Exception):
    """Neo4j could not be reached or refused the credentials (the text names no secret)."""


def open_driver(settings: Settings, wait_seconds: float = 0.0) -> Driver:
    """A connected driver, retrying for up to `wait_seconds` while the server starts."""
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=settings.neo4j_database)
            return driver
        except AuthError:
            driver.close()
            raise Neo4jUnavailable(
                f"Neo4j at {settings.neo4j_uri} refused user {settings.neo4j_username!r}: "
                "check NEO4J_USERNAME and NEO4J_PASSWORD."
            ) from None
        except (ServiceUnavailable, OSError, Neo4jError) as exc:
            if time.monotonic() >= deadline:
                driver.close()
                raise Neo4jUnavailable(
                    f"Neo4j does not answer at {settings.neo4j_uri} "
                    f"(database {settings.neo4j_database!r}): {type(exc).__name__}. Start it "
                    "with `docker compose up -d neo4j` or `scripts/neo4j-local start`, or set "
                    "NEO4J_URI."
                ) from None
            time.sleep(1.0)
