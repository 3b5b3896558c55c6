"""The filter that lets a first load CREATE: never forgets, rarely imagines."""

from __future__ import annotations

from ingest.load.seen import SeenFilter


def test_an_added_pair_is_always_seen_and_new_pairs_are_rarely_seen() -> None:
    seen = SeenFilter()
    pairs = [(f"user-{i}", f"role-{i % 997}") for i in range(150_000)]
    assert not any(seen.check_and_add(hash(pair)) for pair in pairs[:1000])
    for pair in pairs[1000:]:
        seen.check_and_add(hash(pair))
    assert all(seen.check_and_add(hash(pair)) for pair in pairs)
    strangers = [(f"other-{i}", "role-x") for i in range(20_000)]
    false_positives = sum(seen.check_and_add(hash(pair)) for pair in strangers)
    assert false_positives < 0.01 * len(strangers)
