"""What a sync keeps of the organization's members once their records are written.

Users are read and written a page at a time; the later families still need to know who holds
which organization role (role grants, inherited workspace access), who has which email (the
SCIM join) and which email domains members use (the organization's main domains). That is all
that stays: ≈300 bytes a member instead of ≈1.3 KB for the record. Pure: no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.extract.models import User
from ingest.mapping.admin import email_domain
from ingest.mapping.rows import text
from ingest.mapping.scim import EmailIndex


@dataclass
class Members:
    roles: dict[str, str | None] = field(default_factory=dict)  # user id -> organization role
    emails: EmailIndex = field(default_factory=EmailIndex)
    domains: Counter[str] = field(default_factory=Counter)  # members per email domain

    def add(self, users: Iterable[User]) -> None:
        """Users handed over twice (a page boundary that moved) count once."""
        users = list(users)
        for user in users:
            if user.id not in self.roles and (domain := email_domain(user.email)):
                self.domains[domain] += 1
            self.roles[user.id] = text(user.role)
        self.emails.add(users)

    def ids(self) -> Iterable[str]:
        return self.roles.keys()

    def organization_roles(self) -> set[str]:
        return {role for role in self.roles.values() if role is not None}
