"""Runs the packaged launcher script with the pipeline's own settings: the Bolt port is
NEO4J_URI's, the HTTP port NEO4J_BROWSER_URL's (unless NEO4J_HTTP_PORT is set), the password
NEO4J_PASSWORD's. Cache and data go where the script says (a per-user directory by default)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from ingest.neo4j_connection import bolt_address
from ingest.settings import Settings, is_loopback

SCRIPT = Path(__file__).with_name("neo4j-local.sh")
MIN_JAVA = 17
INSTALL_HINT = (
    "install Docker and run `docker compose up`, or install Java 17+ and Maven so that "
    "`idgraph demo` starts a local Neo4j itself"
)


def answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether anything accepts a TCP connection there (not whether it is Neo4j)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _java_major(java: str) -> int | None:
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if found is None:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def missing_tools() -> list[str]:
    """What must be installed before the launcher can run here ([] when nothing is missing)."""
    missing = []
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    major = _java_major(java) if java else None
    if major is None or major < MIN_JAVA:
        found = "no java found" if major is None else f"found Java {major}"
        missing.append(f"Java {MIN_JAVA}+ ({found})")
    if shutil.which("mvn") is None:
        missing.append("Maven (mvn)")
    if shutil.which("bash") is None:
        missing.append("bash")
    return missing


def launcher_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_BOLT_PORT"] = str(bolt_address(settings)[1])
    browser = urlsplit(settings.browser_url)
    if "NEO4J_HTTP_PORT" not in env and browser.port and is_loopback(browser.hostname or ""):
        env["NEO4J_HTTP_PORT"] = str(browser.port)
    env["NEO4J_USERNAME"] = settings.neo4j_username
    env["NEO4J_PASSWORD"] = settings.neo4j_password.get_secret_value()
    return env


def run_launcher(
    settings: Settings, command: str, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """The script's exit code and (when captured) its messages, which never include the
    password."""
    return subprocess.run(
        ["bash", str(SCRIPT), command],
        env=launcher_env(settings),
        capture_output=capture,
        text=True,
        check=False,
    )


def home_dir(settings: Settings) -> str:
    return run_launcher(settings, "home", capture=True).stdout.strip()
