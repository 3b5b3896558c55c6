"""The question library: one Cypher question per file in cypher/queries, and how to run it."""
