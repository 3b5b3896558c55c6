"""A simulated Anthropic organization: Admin API and SCIM 2.0 over real HTTP.

This package shares no code with the `ingest` pipeline it is used to test.
"""
