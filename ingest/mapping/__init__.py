"""Map extracted records to graph rows: pure functions, no I/O."""
