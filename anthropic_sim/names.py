"""Deterministic people, emails and labels for generated organizations."""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

FIRST_NAMES = (
    "Alice", "Bob", "Carol", "Dave", "Zoë", "José", "Aoife", "Björn", "Siobhán", "Łukasz",
    "Chloé", "François", "Mei", "Hiroshi", "Priya", "Olu", "Fatima", "Ngozi", "Sven", "Ana",
    "Diego", "Yuki", "Noor", "Liam", "Emma", "Noah", "Olivia", "Mateo", "Sofia", "Amara",
    "Kwame", "Ingrid", "Renée", "Søren", "Ahmed", "Leila", "Ivan", "Katarzyna", "Tomás",
    "Élodie", "Grace", "Omar", "Hannah", "Raj", "Lucía", "Jonas", "Maya", "Chen", "Ayşe", "Kai",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "O'Brien", "Müller", "García", "Nguyễn", "D'Angelo", "Johnson", "Kowalski",
    "Silva", "Chen", "Patel", "Okafor", "Andersson", "Rossi", "Dubois", "Tanaka", "Kim",
    "Haddad", "Ivanova", "O'Connor", "Brown", "Schmidt", "López", "Novak", "Jensen", "Sato",
    "Murphy", "Williams", "Kaur", "Mensah", "Fernández", "Wójcik", "Byrne", "Costa",
    "Lefèvre", "Yılmaz", "Papadopoulos", "Horváth", "MacLeod", "Taylor", "Walker", "Singh",
)  # fmt: skip
COMPANY_STEMS = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell")
EXTERNAL_DOMAINS = (
    "gmail.example",
    "outlook.example",
    "proton.example",
    "yahoo.example",
    "contractor.example",
)
WORKSPACE_NAMES = (
    "Production", "Staging", "Research", "Data Science", "Support Bots", "Marketing",
    "Claude Code", "Sandbox", "Platform", "Mobile", "Search", "Billing Ops", "Security",
    "Finance", "Legal", "Eval Harness", "Internal Tools", "Customer Success", "Growth", "ML Infra",
)  # fmt: skip
GROUP_NAMES = (
    "Engineering", "Sales", "Marketing", "Claude Admins", "Claude Users", "Data Science",
    "Support", "Finance", "Legal", "Security", "Platform", "Contractors",
)  # fmt: skip
SA_NAMES = (
    "ci-deployer", "etl-pipeline", "support-bot", "eval-runner", "data-sync", "terraform",
    "monitoring", "slack-bot", "batch-jobs", "backup-agent",
)  # fmt: skip
KEY_PURPOSES = (
    "laptop", "prod", "staging", "notebook", "ci", "eval", "test", "batch", "experiments", "demo",
)  # fmt: skip
COLORS = ("#6C5BB9", "#D97757", "#5B8DEF", "#3FA37A", "#E0B341", "#C2417A", "#7A7A7A")

_FOLD = str.maketrans({"Ł": "L", "ł": "l", "ø": "o", "Ø": "O", "ß": "ss", "ı": "i", "đ": "d"})
_NOT_LOCAL = re.compile(r"[^a-z0-9.\-]")


@lru_cache(maxsize=4096)
def ascii_local(text: str) -> str:
    """`Zoë O'Brien` -> `zoe.obrien` style fragments for the local part of an email."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = folded.encode("ascii", "ignore").decode().lower().replace(" ", "")
    return _NOT_LOCAL.sub("", folded)


class People:
    """Draws unique people (name + email) for one organization."""

    def __init__(self, rng: random.Random, main_domains: list[str]) -> None:
        self.rng = rng
        self.main_domains = main_domains
        self.taken: set[str] = set()

    def person(self, external: bool = False, secondary_share: float = 0.15) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        if external:
            domain = rng.choice(EXTERNAL_DOMAINS)
        elif len(self.main_domains) > 1 and rng.random() < secondary_share:
            domain = self.main_domains[1]
        else:
            domain = self.main_domains[0]
        if rng.random() < 0.8:
            local = f"{ascii_local(first)}.{ascii_local(last)}"
        else:
            local = f"{ascii_local(first)[:1]}{ascii_local(last)}"
        email = f"{local}@{domain}"
        n = 1
        while email in self.taken:
            n += 1
            email = f"{local}{n}@{domain}"
        self.taken.add(email)
        return f"{first} {last}", email


def case_variant(email: str) -> str:
    """`alice.smith@acme-1.example` -> `Alice.Smith@Acme-1.Example` (same address, other case)."""
    local, _, domain = email.partition("@")
    title = ".".join(part[:1].upper() + part[1:] for part in local.split("."))
    return f"{title}@{domain.title()}"
