"""Run a snippet in fresh interpreters with different hash seeds, to prove an output does not
depend on set or dict-of-set iteration order (which one process alone can never show)."""

from __future__ import annotations

import os
import subprocess
import sys


def outputs_under_hash_seeds(code: str, seeds: tuple[str, ...] = ("1", "2", "3")) -> set[str]:
    """The distinct stdouts of `python -c code` under each PYTHONHASHSEED."""
    return {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in seeds
    }
