"""A local Neo4j server without Docker: `idgraph neo4j start|stop|status`, and what `idgraph demo`
starts when nothing answers at a loopback NEO4J_URI (needs Java 17+ and Maven)."""
