"""How a sync decides, per row, what to write: pure, no database."""

from __future__ import annotations

from ingest.load.snapshot import Snapshot, Verdict, content_hash, values_hash

NAMES = ("email", "role")


def test_rows_are_new_changed_unchanged_or_again_and_the_rest_is_gone() -> None:
    kept = {"email": "a@x.example", "role": "user"}
    edited = {"email": "b@x.example", "role": "user"}
    snapshot = Snapshot(
        [
            ("u-kept", content_hash(NAMES, kept), 11),
            ("u-edited", content_hash(NAMES, edited), 12),
            ("u-gone", content_hash(NAMES, kept), 13),
            ("u-old", 0, 14),  # written before content hashes existed
        ]
    )
    assert snapshot.verdict("u-kept", content_hash(NAMES, kept)) is Verdict.UNCHANGED
    changed = {**edited, "role": "admin"}
    assert snapshot.verdict("u-edited", content_hash(NAMES, changed)) is Verdict.CHANGED
    assert snapshot.verdict("u-old", content_hash(NAMES, kept)) is Verdict.CHANGED
    assert snapshot.verdict("u-new", content_hash(NAMES, kept)) is Verdict.NEW
    assert snapshot.verdict("u-new", content_hash(NAMES, kept)) is Verdict.AGAIN
    assert snapshot.verdict("u-kept", content_hash(NAMES, kept)) is Verdict.AGAIN
    assert snapshot.take_gone() == [13]
    # After cleanup: a key named before is still a repeat; a deleted one is new again.
    assert snapshot.verdict("u-kept", content_hash(NAMES, kept)) is Verdict.AGAIN
    assert snapshot.verdict("u-gone", content_hash(NAMES, kept)) is Verdict.NEW
    assert snapshot.take_gone() == []


def test_the_content_hash_is_stable_and_sees_every_declared_value() -> None:
    row = {"email": "a@x.example", "role": "user"}
    assert content_hash(NAMES, row) == content_hash(NAMES, dict(reversed(row.items())))
    assert content_hash(NAMES, row) != content_hash(NAMES, {**row, "role": None})
    assert content_hash(NAMES, {"email": "a@x.example"}) == content_hash(
        NAMES, {"email": "a@x.example", "role": None}
    )
    assert content_hash(NAMES, row, "org-a") != content_hash(NAMES, row, "org-b")
    # A fixed value: the hash is written to the graph and compared by later processes.
    assert content_hash(("x",), {"x": 1}) == -1323879590935965528
    assert -(2**63) <= content_hash(NAMES, row) < 2**63


def test_a_relationship_hash_of_values_read_back_equals_that_of_the_values_written() -> None:
    written = {"role": "workspace_admin", "inherited": True, "tags": ["a", "b"], "n": None}
    values = tuple(map(written.get, ("role", "inherited", "tags", "n")))
    assert values_hash(["workspace_admin", True, ["a", "b"], None]) == values_hash(values)
    assert values_hash(["workspace_admin", False, ["a", "b"], None]) != values_hash(values)
    assert values_hash([]) == values_hash(())
    assert values_hash(["workspace_admin", None]) != values_hash(["workspace_admin", False])
