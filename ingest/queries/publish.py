"""Publishes the question library where people open the graph, from the questions' headers.

- cypher/browser-favorites.zip: every question as a Neo4j Browser favorite, in one folder.
  Dropping a .zip onto Browser imports each .cypher file in it as a favorite, named by its
  first comment line and filed in the folder of its path; running one runs its `:param`
  lines, then its query.
- cypher/neodash-dashboard.json: a NeoDash 2.4 dashboard, one page per category and one table
  report per question, its query the file's own; the parameters' defaults are the
  dashboard's parameters (NeoDash has no per-report parameters: a name two questions default
  differently keeps the first's value, and the other reports say so in their description).

python -m ingest.queries.publish            # write both files
python -m ingest.queries.publish --check    # exit 1 when one is stale
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.queries.library import CATEGORIES, Query, load_library

ROOT = Path(__file__).resolve().parents[2]
FAVORITES_ZIP = ROOT / "cypher" / "browser-favorites.zip"
DASHBOARD_JSON = ROOT / "cypher" / "neodash-dashboard.json"

FAVORITES_FOLDER = "Claude identity graph"
DASHBOARD_TITLE = "Claude identity graph: security questions"
# The dashboard format NeoDash 2.4 loads without migrating (its NEODASH_VERSION).
NEODASH_VERSION = "2.4"
# NeoDash 2.4 lays reports on a 24-column grid; two tables side by side.
GRID_COLUMNS = 24
REPORT_WIDTH = 12
REPORT_HEIGHT = 8
# Fixed ids and zip timestamps: the same library always publishes byte-identical files.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:idgraph:neodash")
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def favorite_text(query: Query) -> str:
    """The file with its title as first line: Browser names a favorite by that line."""
    return f"// {query.title} ({query.severity})\n" + query.path.read_text(encoding="utf-8")


def favorites_zip(queries: list[Query]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for query in queries:
            info = zipfile.ZipInfo(f"{FAVORITES_FOLDER}/{query.path.name}", date_time=_ZIP_EPOCH)
            # Stored, not deflated: deflate's bytes vary with the zlib build.
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, favorite_text(query))
    return buffer.getvalue()


def dashboard_parameters(queries: list[Query]) -> dict[str, Any]:
    """Each parameter name's default, from the first question that declares it."""
    parameters: dict[str, Any] = {}
    for query in queries:
        for name, default in query.params.items():
            parameters.setdefault(name, default)
    return parameters


def neodash_dashboard(queries: list[Query]) -> dict[str, Any]:
    parameters = dashboard_parameters(queries)
    pages = [
        {"title": category.capitalize(), "reports": list(_reports(in_category, parameters))}
        for category in CATEGORIES
        if (in_category := [q for q in queries if q.category == category])
    ]
    return {
        "uuid": str(_NAMESPACE),
        "title": DASHBOARD_TITLE,
        "version": NEODASH_VERSION,
        "settings": {
            "pagenumber": 0,
            "editable": True,
            "fullscreenEnabled": True,
            "parameters": parameters,
        },
        "pages": pages,
        "parameters": {},
        "extensions": {"active": True, "activeReducers": []},
    }


def _reports(queries: list[Query], parameters: dict[str, Any]) -> Iterator[dict[str, Any]]:
    per_row = GRID_COLUMNS // REPORT_WIDTH
    for index, query in enumerate(queries):
        yield {
            "id": str(uuid.uuid5(_NAMESPACE, query.id)),
            "title": f"{query.title} ({query.severity})",
            "query": query.cypher,
            "width": REPORT_WIDTH,
            "height": REPORT_HEIGHT,
            "x": (index % per_row) * REPORT_WIDTH,
            "y": (index // per_row) * REPORT_HEIGHT,
            "type": "table",
            "selection": {},
            "settings": {"description": report_description(query, parameters)},
        }


def report_description(query: Query, parameters: dict[str, Any]) -> str:
    lines = [
        f"**{query.id}** ({query.severity}, {query.category}, `cypher/queries/{query.path.name}`)",
        "",
        f"Why it matters: {query.why}",
        "",
        f"How to fix it: {query.fix}",
    ]
    for name, default in query.params.items():
        lines += ["", f"`${name}`: {query.param_docs[name]}; default `{json.dumps(default)}`."]
        if parameters[name] != default:
            lines[-1] += (
                f" The dashboard's `{name}` is `{json.dumps(parameters[name])}` (another "
                f"question's default): set it to `{json.dumps(default)}` in the dashboard "
                "settings to ask this question as written."
            )
    return "\n".join(lines)


def dashboard_json(queries: list[Query]) -> bytes:
    text = json.dumps(neodash_dashboard(queries), indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def generated_files(queries: list[Query] | None = None) -> dict[Path, bytes]:
    queries = load_library() if queries is None else queries
    return {FAVORITES_ZIP: favorites_zip(queries), DASHBOARD_JSON: dashboard_json(queries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, content in generated_files().items():
        if path.exists() and path.read_bytes() == content:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_bytes(content)
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(
            f"stale: {path.relative_to(ROOT)} (run python -m ingest.queries.publish)",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
