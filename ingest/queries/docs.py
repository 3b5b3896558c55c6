"""Generates docs/queries.md from the headers of cypher/queries/*.cypher.

python -m ingest.queries.docs            # write docs/queries.md
python -m ingest.queries.docs --check    # exit 1 when it is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ingest.queries.library import (
    CATEGORIES,
    FIELDS,
    ORG_PARAM,
    SEVERITIES,
    Query,
    load_library,
)

ROOT = Path(__file__).resolve().parents[2]
QUERIES_MD = ROOT / "docs" / "queries.md"

INTRO = f"""\
Every question is one `.cypher` file in `cypher/queries/`, runnable unchanged in Neo4j Browser
(paste the whole file; Browser's multi-statement editor runs the `:param` lines, then the
query), with `idgraph query run ID`, or from Python with `ingest.queries.library.get_query` and
`ingest.queries.runner.run_query` (always in a read transaction: the server refuses writes).

## File format

A file is named `NN_<id>.cypher` and is, in this order:

1. a header of `// key: value` lines; a line starting `//` followed by two or more spaces
   continues the previous field. Fields: {", ".join(f"`{f}`" for f in FIELDS)} (all
   required), then one `// param <name>: <what it means>` line per parameter, and for a
   parameter that takes only some values `// allowed <name>: <value>, <value>` (any other
   value is refused: `idgraph query run` exits 2 and lists the allowed ones). `id` is
   kebab-case and equals the file name after `NN_`; `severity` is one of
   {", ".join(f"`{s}`" for s in SEVERITIES)}; `category` one of
   {", ".join(f"`{c}`" for c in CATEGORIES)};
2. one `:param <name> => <literal>;` line per parameter: its default, a Cypher literal
   (number, `'string'`, `true`, `false`, `null`, or a JSON list). `null` for `as_of` means now;
3. one query, with no `;` inside it (a trailing `;` is allowed).

The parser (`ingest/queries/library.py`) is strict: a missing or unknown field, a bad severity
or category, a `:param` without its `// param` line (or the reverse), a default that is not a
literal or not among its allowed values is an error, and `tests/queries/test_library.py` fails.

Conventions: every question takes `org`, the id of one organization (null, the default:
every organization in the graph; `idgraph query run ID --org ORG_ID`), and returns its
`org_id` and `org_name` on every row, then an `id` column, the id of what it found (a key, a
member, a workspace...). The SCIM questions answer one row per organization whose last sync
could not read SCIM, `finding` `SCIM not available on organization <name or id>: <why>` and
`id` null, instead of an empty answer that would read as "all clear"; the report shows such a
notice, in its organization's section, but never counts it as a finding. Times are RFC 3339 strings;
`as_of` takes one (tests pass the simulator's epoch, `2026-11-01T00:00:00Z`).

Ability model used by `attack-paths` (and the simulator's planted truth): managing members
needs a privileged organization role (`admin`, `owner`, `primary_owner` or `membership_admin`:
the Role node's `privileged`), or on Enterprise a group whose role grants a privileged
permission (the permission node's `privileged`: `permission_*` but not `permission_view_*`),
or (in a workspace) `workspace_admin` there; `effective-org-admins` lists the same set;
creating keys needs `admin`, `owner` or `primary_owner`, or `developer` (organization-wide
only), or (in a workspace) `workspace_admin`, `workspace_developer` or
`workspace_restricted_developer` there. An active API key acts as its principal (`ACTS_AS`,
from the API's `principal`), whoever created it; archived service accounts act as nobody.
"""


def queries_markdown(queries: list[Query]) -> str:
    return "\n".join(_lines(queries)) + "\n"


def _lines(queries: list[Query]) -> Iterator[str]:
    yield "# Questions"
    yield ""
    yield "<!-- GENERATED from cypher/queries/*.cypher by `python -m ingest.queries.docs`: do not"
    yield "     edit. tests/queries/test_library.py fails when this file is stale. -->"
    yield ""
    yield INTRO
    yield "## Index"
    yield ""
    yield "| id | severity | category | title |"
    yield "|---|---|---|---|"
    for q in queries:
        yield f"| [`{q.id}`](#{q.id}) | {q.severity} | {q.category} | {q.title} |"
    for q in queries:
        yield from _question(q)


def _question(q: Query) -> Iterator[str]:
    yield ""
    yield f"## {q.id}"
    yield ""
    yield f"**{q.title}**: {q.severity}, {q.category} (`cypher/queries/{q.path.name}`)"
    yield ""
    yield f"- Why it matters: {q.why}"
    yield f"- How to fix it: {q.fix}"
    if q.params:
        yield "- Parameters:"
        for name, default in q.params.items():
            allowed = q.allowed.get(name)
            values = f"; allowed: {', '.join(f'`{v}`' for v in allowed)}" if allowed else ""
            yield f"  - `{name}` (default `{json.dumps(default)}`{values}): {q.param_docs[name]}"
    yield ""
    yield "```console"
    example = " ".join(
        f"--param {k}={_cli_value(v)}" for k, v in q.params.items() if k != ORG_PARAM
    )
    yield f"$ idgraph query run {q.id}{' ' + example if example else ''}"
    yield "```"


def _cli_value(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    args = parser.parse_args(argv)
    text = queries_markdown(load_library())
    if not args.check:
        QUERIES_MD.write_text(text, encoding="utf-8")
        print(f"wrote {QUERIES_MD.relative_to(ROOT)}")
        return 0
    if QUERIES_MD.exists() and QUERIES_MD.read_text(encoding="utf-8") == text:
        return 0
    stale = QUERIES_MD.relative_to(ROOT)
    print(f"stale: {stale} (run python -m ingest.queries.docs)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
