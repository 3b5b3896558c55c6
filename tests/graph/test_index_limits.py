"""Indexed values too large for a Neo4j index are cut to a safe size, never mid-character."""

from __future__ import annotations

import hashlib

from ingest.graph.model import USER
from ingest.graph.schema import TRUNCATED
from ingest.load.limits import MAX_INDEXED_BYTES, cut, cut_node_row, cut_rel_row, fits


def test_a_value_that_fits_is_left_as_it_is():
    assert cut("alice@example.com") == "alice@example.com"
    assert cut("é" * (MAX_INDEXED_BYTES // 2)) == "é" * (MAX_INDEXED_BYTES // 2)


def test_multi_byte_characters_are_never_split():
    for char in ("é", "€", "𝔸", "日"):  # 2, 3, 4 and 3 UTF-8 bytes
        value = "x" + char * 10_000
        short = cut(value)
        assert len(short.encode()) <= MAX_INDEXED_BYTES
        assert short.encode().decode() == short  # valid UTF-8, whole characters only
        prefix = short.split("…sha256:")[0]
        assert value.startswith(prefix)
        assert len(prefix.encode()) > MAX_INDEXED_BYTES - 40  # only the mark and hash's room
        assert fits(short)


def test_two_long_values_sharing_their_cut_prefix_stay_distinct():
    common = "a" * 10_000
    assert cut(common + "1") != cut(common + "2")
    # The same value gives the same key in every process (a later sync must find it again):
    # the mark carries the value's SHA-256, never Python's per-process hash().
    digest = cut(common + "1").rpartition("…sha256:")[2]
    assert len(digest) >= 16
    assert hashlib.sha256((common + "1").encode()).hexdigest().startswith(digest)
    assert cut(cut(common)) == cut(common)  # a cut key stays the same key


def test_only_indexed_properties_and_the_key_are_cut_and_flagged():
    huge = "b" * 9_000 + "@example.com"
    row = {"id": "user_1", "email": huge, "email_lower": huge, "name": "n" * 9_000}
    fitted, names = cut_node_row(USER, row)
    assert names == ("email_lower",)
    assert fitted[TRUNCATED] == ["email_lower"]
    assert fitted["email"] == huge and fitted["name"] == row["name"]  # not indexed: kept
    assert fits(fitted["email_lower"])
    assert cut_node_row(USER, {"id": "user_2", "email_lower": "a@b.c"}) == (
        {"id": "user_2", "email_lower": "a@b.c"},
        (),
    )
    key = "k" * 9_000
    fitted, names = cut_node_row(USER, {"id": key})
    assert names == ("id",)
    assert cut_rel_row({"start": key, "end": "w"}) == {"start": fitted["id"], "end": "w"}
