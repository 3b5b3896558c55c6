"""What the generator planted, written down at the moment it plants it.

`planted_truth` measures the risky situations from the state; this ledger is the generator's
own account of what it meant to plant, kept apart from the state so a drift in generation
(or in the measurement) shows up as a disagreement instead of agreeing with itself.
Each entry names a case (a planted-truth set, or a boundary case), one id, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlantedCase:
    case: str
    id: str
    why: str


@dataclass
class Ledger:
    entries: list[PlantedCase] = field(default_factory=list)

    def record(self, case: str, ident: str, why: str) -> None:
        self.entries.append(PlantedCase(case, ident, why))

    def ids(self, case: str) -> list[str]:
        """The sorted ids planted under `case` (empty if the generator never planted it)."""
        return sorted(entry.id for entry in self.entries if entry.case == case)

    def cases(self) -> set[str]:
        return {entry.case for entry in self.entries}
