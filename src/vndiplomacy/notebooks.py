"""Notebook housekeeping: strip outputs before committing, and check the skeleton.

Run ``python -m vndiplomacy.notebooks strip`` (``make clean-notebooks``).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

from .paths import course_root

FOLDERS = ("notebooks", "apps", "exercises", "solutions", "teacher", "masters")
SKELETON = ["Overview", "Learning objectives", "Time to learn", "Readings", "Check your understanding",
            "Key points", "What's next"]


def course_notebooks(folders=FOLDERS) -> list[Path]:
    """Every committed notebook of the course, in a stable order."""
    return sorted(p for f in folders for p in (course_root() / f).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def cells_with_outputs(path: Path) -> list[int]:
    """Indexes of the code cells that hold outputs or an execution count."""
    nb = nbformat.read(path, as_version=4)
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]


def has_widget_state(path: Path) -> bool:
    """Whether a notebook carries saved widget state (JupyterLab saves it with the notebook for learners)."""
    return "widgets" in nbformat.read(path, as_version=4).metadata


def strip(path: Path) -> bool:
    """Remove outputs, execution counts and saved widget state in place; returns whether the file changed."""
    nb = nbformat.read(path, as_version=4)
    changed = nb.metadata.pop("widgets", None) is not None
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
            cell.outputs, cell.execution_count, changed = [], None, True
    if changed:
        nbformat.write(nb, path)
    return changed


def headings(path: Path) -> list[tuple[int, str]]:
    """The Markdown headings of a notebook as (level, text)."""
    nb = nbformat.read(path, as_version=4)
    return [(len(m.group(1)), m.group(2).strip()) for c in nb.cells if c.cell_type == "markdown"
            for m in re.finditer(r"^(#{1,6})\s+(.+)$", c.source, re.M)]


def skeleton_problems(path: Path) -> list[str]:
    """What is missing or out of order in the notebook skeleton (empty when it is right)."""
    found = headings(path)
    problems = [] if found and found[0][0] == 1 else ["the first heading must be the title (# ...)"]
    second = [text for level, text in found if level == 2]
    positions = [second.index(h) if h in second else -1 for h in SKELETON]
    problems += [f"missing section '## {h}'" for h, p in zip(SKELETON, positions, strict=True) if p < 0]
    present = [p for p in positions if p >= 0]
    if present != sorted(present):
        problems.append(f"sections out of order; expected {SKELETON}")
    numbered = [t for t in second if re.match(r"\d+\.", t)]
    if not numbered:
        problems.append("no numbered content section ('## 1. ...')")
    levels = [level for level, _ in found]
    problems += [f"heading level jumps from {a} to {b}" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    return problems


def main(argv: list[str]) -> int:
    """Command line: strip outputs from every course notebook."""
    if argv[:1] != ["strip"]:
        print("usage: python -m vndiplomacy.notebooks strip")
        return 2
    for path in course_notebooks():
        if strip(path):
            print(f"stripped {path.relative_to(course_root())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
