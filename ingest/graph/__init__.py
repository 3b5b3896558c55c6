"""The graph declaration and everything derived from it (Cypher, docs, fingerprints)."""
