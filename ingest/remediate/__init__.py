"""Lifecycle remediation: plans from the question library's findings, applied through the API
only where the organization's capabilities allow it, audited, and undone where the API allows."""
