"""Every knob of the extractors, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ingest.extract.activity import DEFAULT_WINDOW_DAYS

DEFAULT_ADMIN_BASE_URL = "https://api.anthropic.com"


@dataclass(frozen=True)
class EngineLimits:
    """Client-side pacing and retry policy of one engine (Admin API or SCIM)."""

    rate: float = 20.0  # requests per second, sustained
    burst: int = 40  # requests that may go out at once after a quiet spell
    max_attempts: int = 6  # attempts per request for 5xx, transport errors and cut bodies
    max_throttled_attempts: int = 30  # attempts per request for 429s (paced by retry-after)
    backoff_base: float = 0.5  # seconds; full jitter over base * 2**attempt
    backoff_cap: float = 30.0  # seconds; the largest single backoff
    retry_after_cap: float = 120.0  # seconds; a longer retry-after is clamped to this


@dataclass(frozen=True)
class ExtractConfig:
    """Where to read from, how fast, and how long a whole run may take.

    `deadline` bounds one extractor's whole run (from its creation), so an hourly sync
    never overlaps the next one; `request_timeout` bounds each HTTP attempt.
    The SCIM base URL has no default: real deployments use the WorkOS URL shown in
    the IdP setup flow, and no URL is ever guessed.
    """

    admin_base_url: str = DEFAULT_ADMIN_BASE_URL
    # A linked organization a parent-level Enterprise key addresses (sent on every Admin
    # request as `organization_id`); None: the key's own organization.
    organization_id: str | None = None
    scim_base_url: str | None = None
    admin: EngineLimits = EngineLimits()
    # The Enterprise Analytics API's own limit, paced on top of `admin`; None: its published one.
    analytics: EngineLimits | None = None
    scim: EngineLimits = EngineLimits()
    request_timeout: float = 30.0  # seconds per attempt (connect, read, write, pool)
    deadline: float | None = 50 * 60.0  # seconds for the whole run; None for no deadline
    admin_page_size: int = 1000  # ID-cursor pages: 1..1000
    service_account_page_size: int = 100  # page-token pages: 1..100
    scim_page_size: int = 100  # asked `count`; clamped to the advertised filter.maxResults
    scim_read_ahead: int = 2  # SCIM list pages asked for before their turn (0: one at a time)
    member_concurrency: int = 8  # workspaces (or service accounts) listed at once
    activity_days: int = DEFAULT_WINDOW_DAYS  # whole UTC days of activity read, ending today
    activity_until: datetime | None = None  # the window's last day is this one's; None: now

    def __post_init__(self) -> None:
        if not 1 <= self.admin_page_size <= 1000:
            raise ValueError("admin_page_size must be within 1..1000")
        if not 1 <= self.service_account_page_size <= 100:
            raise ValueError("service_account_page_size must be within 1..100")
        if self.scim_page_size < 1:
            raise ValueError("scim_page_size must be at least 1")
        if self.scim_read_ahead < 0:
            raise ValueError("scim_read_ahead cannot be negative")
        if self.activity_days < 1:
            raise ValueError("activity_days must be at least 1")
        if self.member_concurrency < 1:
            raise ValueError("member_concurrency must be at least 1")
