"""The simulator's SCIM 2.0 engine (RFC 7643 / RFC 7644), mounted under `/scim/v2`.

Public entry point: `anthropic_sim.scim.routes.scim_routes(sim)`.
"""
