"""The Claude identity graph: Anthropic organization identities as a Neo4j graph."""

__version__ = "0.1.0"
