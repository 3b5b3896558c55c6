"""What Claude does when the IdP deactivates or deletes a SCIM user: remove the org member.

Claude polls its directory about once a minute, so the removal may lag the SCIM write:
`config.deprovision_delay_s` > 0 runs it on a daemon timer after that many seconds;
`config.scim_deprovision` False turns the hook off.
"""

from __future__ import annotations

import threading
from typing import Any

from anthropic_sim.state import Simulator


def schedule_deprovision(sim: Simulator, email: str | None) -> threading.Timer | None:
    """Deprovision the Admin-side user with `email` now, or after the configured delay."""
    if not email or not getattr(sim.config, "scim_deprovision", True):
        return None
    delay = float(getattr(sim.config, "deprovision_delay_s", 0.0) or 0.0)
    if delay <= 0:
        sim.deprovision_by_email(email)
        return None
    timer = threading.Timer(delay, _deprovision_quietly, args=(sim, email))
    timer.daemon = True
    timer.start()
    return timer


def _deprovision_quietly(sim: Simulator, email: str) -> Any:
    try:
        return sim.deprovision_by_email(email)
    except Exception:
        return None
