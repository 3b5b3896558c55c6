"""Opening Neo4j from the settings, with a clear message when it is not there."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

from ingest.failures import Failure
from ingest.settings import Settings
from ingest.sync.outcome import ExitCode

DEFAULT_BOLT_PORT = 7687
ACCEPTED_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
HOW_TO_START = "Start it with `docker compose up -d neo4j` or `scripts/neo4j-local start`"


class Neo4jUnavailable(Failure):
    """Neo4j could not be reached or refused the credentials (the text names no secret)."""

    exit_code = ExitCode.NEO4J


class Neo4jMisconfigured(Neo4jUnavailable):
    """NEO4J_URI is not a Neo4j URI, or NEO4J_DATABASE names no database: a setting to fix."""

    exit_code = ExitCode.CONFIG


def open_driver(settings: Settings, wait_seconds: float = 0.0) -> Driver:
    """A connected driver, retrying for up to `wait_seconds` while the server starts."""
    driver = _driver(settings)
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
        except Neo4jError as exc:
            if exc.code == DATABASE_NOT_FOUND:
                driver.close()
                raise Neo4jMisconfigured(
                    f"NEO4J_DATABASE: database {settings.neo4j_database!r} does not exist at "
                    f"{settings.neo4j_uri} (`SHOW DATABASES` lists them)."
                ) from None
            _wait_or_raise(driver, settings, deadline, exc)
        except (ServiceUnavailable, OSError) as exc:
            _wait_or_raise(driver, settings, deadline, exc)


def bolt_address(settings: Settings) -> tuple[str, int]:
    """NEO4J_URI's host and port; `Neo4jMisconfigured` when it is not a Neo4j address.

    For a routing URI (neo4j://, neo4j+s://, neo4j+ssc://: a cluster or Aura) this is the
    router first asked; the driver then reaches the members the routing table names."""
    try:
        url = urlsplit(settings.neo4j_uri)
        port = url.port or DEFAULT_BOLT_PORT
    except ValueError:  # a port that is not a number
        raise _not_an_address(settings.neo4j_uri) from None
    if url.scheme.lower() not in ACCEPTED_SCHEMES or not url.hostname:
        raise _not_an_address(settings.neo4j_uri)
    return url.hostname, port


def _not_an_address(uri: str) -> Neo4jMisconfigured:
    return Neo4jMisconfigured(
        f"NEO4J_URI {uri!r} is not a Neo4j address: use one of the schemes "
        f"{', '.join(s + '://' for s in ACCEPTED_SCHEMES)}, e.g. bolt://localhost:7687 "
        "(one server) or neo4j+s://<id>.databases.neo4j.io (Aura)."
    )


def _driver(settings: Settings) -> Driver:
    uri = settings.neo4j_uri
    bolt_address(settings)
    auth = (settings.neo4j_username, settings.neo4j_password.get_secret_value())
    try:
        # Server notifications (e.g. "property key does not exist" before a first sync) are
        # about our own queries, not something the person running a command can act on.
        return GraphDatabase.driver(
            uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
        )
    except (ConfigurationError, ValueError):
        raise _not_an_address(uri) from None


def _wait_or_raise(driver: Driver, settings: Settings, deadline: float, exc: Exception) -> None:
    if time.monotonic() < deadline:
        time.sleep(1.0)
        return
    driver.close()
    raise Neo4jUnavailable(
        f"Neo4j does not answer at {settings.neo4j_uri} (database {settings.neo4j_database!r}): "
        f"{type(exc).__name__}. {HOW_TO_START}, or set NEO4J_URI."
    ) from None
