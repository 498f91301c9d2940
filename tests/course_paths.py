"""Paths the tests share (kept out of conftest.py: two conftest modules would clash on import)."""
import os
from pathlib import Path

import pytest

from vndiplomacy.paths import course_root

ROOT = course_root()
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


def need_seeds(path: Path) -> None:
    """Skip a test that needs the source documents when they are not beside the project; under CI, fail instead."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have the source documents beside the project")
        pytest.skip("the source documents are not beside the project")

# The share of each question level per bank, filled by test_pedagogy and printed at the end of the run.
LEVEL_SHARES = pytest.StashKey[dict]()
