"""Paths the tests share (kept out of conftest.py: two conftest modules would clash on import)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
