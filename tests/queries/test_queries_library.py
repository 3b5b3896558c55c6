"""The library's files: complete headers, a strict parser, and docs/queries.md up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.queries import docs
from ingest.queries.library import (
    CATEGORIES,
    SEVERITIES,
    QueryFileError,
    UnknownQuery,
    get_query,
    load_library,
    parse_query,
    queries_dir,
)

QUERIES = load_library()
REQUIRED_IDS = {
    "effective-org-admins",
    "workspace-admins",
    "attack-paths",
    "keys-of-departed-users",
    "keys-without-owner",
    "old-never-expiring-keys",
    "stale-keys",
    "active-keys-in-archived-workspaces",
    "scim-deactivated-still-member",
    "unmanaged-accounts",
    "scim-users-without-account",
    "pending-privileged-invites",
    "expired-invites",
    "blast-radius",
    "workspaces-only-inherited-admins",
    "service-accounts",
    "external-domain-accounts",
    "changes-since",
    "privilege-gained",
}

GOOD = """\
// id: sample
// title: A sample
// severity: low
// category: hygiene
// why: Because.
//   It continues.
// fix: Fix it.
// param days: how many days
// param who: whom
// allowed who: x, y
:param days => 90;
:param who => 'x';

MATCH (n) RETURN n.id AS id;
"""


def test_every_required_question_is_there() -> None:
    assert {q.id for q in QUERIES} >= REQUIRED_IDS
    assert [q.path.name for q in QUERIES] == sorted(q.path.name for q in QUERIES)
    assert len({q.id for q in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.id)
def test_header_is_complete(query) -> None:  # type: ignore[no-untyped-def]
    for field in ("id", "title", "severity", "category", "why", "fix"):
        assert getattr(query, field).strip(), field
    assert query.severity in SEVERITIES
    assert query.category in CATEGORIES
    assert set(query.param_docs) == set(query.params)
    assert ":param" not in query.cypher
    assert not query.cypher.rstrip().endswith(";")
    assert " AS id" in query.cypher, "every question returns an id column"


def test_parser_reads_the_format() -> None:
    query = parse_query(GOOD, Path("07_sample.cypher"))
    assert query.id == "sample"
    assert query.why == "Because. It continues."
    assert query.params == {"days": 90, "who": "x"}
    assert query.param_docs == {"days": "how many days", "who": "whom"}
    assert query.allowed == {"who": ("x", "y")}
    assert query.cypher == "MATCH (n) RETURN n.id AS id"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (("// fix: Fix it.\n", ""), "lacks fix"),
        (("// severity: low", "// severity: urgent"), "severity"),
        (("// category: hygiene", "// category: misc"), "category"),
        (("// id: sample", "// id: Sample_1"), "kebab-case"),
        (("// id: sample", "// id: other"), "file name"),
        (("// param days: how many days\n", ""), "differ"),
        ((":param who => 'x';", ":param who => datetime();"), "literal"),
        ((":param days => 90;", ":param days = 90"), ":param"),
        (("// title: A sample", "// title: A sample\n// owner: me"), "unknown header field"),
        (("// title: A sample", "// title: A sample\n// title: again"), "twice"),
        (("MATCH (n) RETURN n.id AS id;", "MATCH (n) RETURN 1; MATCH (m) RETURN 2"), "one query"),
        (("MATCH (n) RETURN n.id AS id;", ""), "no query"),
        (("// why: Because.\n//   It continues.", "// why:"), "lacks why"),
        (("// why: Because.", "// why: Because.\n//"), "not a header field"),
        (("// allowed who: x, y", "// allowed whom: x, y"), "names no declared parameter"),
        (("// allowed who: x, y", "// allowed who: y, z"), "not among its allowed values"),
        (("// allowed who: x, y", "// allowed: x, y"), "unknown header field"),
    ],
)
def test_parser_is_strict(change: tuple[str, str], complaint: str) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(QueryFileError, match=complaint):
        parse_query(text, Path("07_sample.cypher"))


def test_unknown_id() -> None:
    with pytest.raises(UnknownQuery):
        get_query("no-such-question")
    assert get_query("stale-keys").id == "stale-keys"


def test_queries_dir_in_a_checkout_and_in_a_wheel(tmp_path: Path) -> None:
    package = tmp_path / "ingest"
    package.mkdir()
    assert queries_dir(package) == tmp_path / "cypher" / "queries"
    (package / "_cypher" / "queries").mkdir(parents=True)
    assert queries_dir(package) == package / "_cypher" / "queries"
    assert queries_dir().is_dir()


def test_docs_are_up_to_date() -> None:
    expected = docs.queries_markdown(QUERIES)
    assert docs.QUERIES_MD.exists(), "docs/queries.md is missing: run python -m ingest.queries.docs"
    assert docs.QUERIES_MD.read_text(encoding="utf-8") == expected, (
        "docs/queries.md is stale: run python -m ingest.queries.docs"
    )
