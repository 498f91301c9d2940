"""The teacher guide's objectives and alignment tables, generated so that nothing in them is typed twice.

Each notebook's objectives come from its "Learning objectives" section; the section, activity, exercise questions
and discussion prompt for each objective from ``teacher/alignment/<topic>.yaml``; the quiz items from the banks'
``objective`` tags. Run ``python -m vndiplomacy.alignment`` after changing any of them.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from .manifest import learner_notebooks, notebook
from .paths import course_root
from .quizbank import bank_topics, load_bank

START, END = "<!-- alignment:start -->", "<!-- alignment:end -->"
# A learner activity opens a paragraph with one of these labels; its model answer is a <details> block after it.
ACTIVITY = re.compile(r"^(?:> )?\*\*(Try this|Reflect|Close reading)\.\*\*", re.M)
DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)


def notebook_path(stem: str) -> Path:
    """A learner notebook by its file stem, e.g. '01_history'."""
    return notebook(stem).path


def _markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def notebook_title(path: Path) -> str:
    """The notebook's first '# ' heading."""
    return next(m.group(1).strip() for t in _markdown(path) if (m := re.search(r"^# (.+)$", t, re.M)))


def notebook_objectives(path: Path) -> list[str]:
    """The numbered items of a notebook's 'Learning objectives' section."""
    cell = next(t for t in _markdown(path) if t.startswith("## Learning objectives"))
    return [m.group(1).strip() for m in re.finditer(r"^\d+\. (.+)$", cell, re.M)]


def notebook_sections(path: Path) -> list[str]:
    """The '## ' headings of a notebook, without the hashes."""
    return [m.group(1).strip() for t in _markdown(path) for m in re.finditer(r"^## (.+)$", t, re.M)]


def activities(path: Path) -> list[dict]:
    """Each Try this, Reflect and Close reading of a notebook: its section, kind, prompt, model answer, and the
    view it works on (the `vd.` call of the code cell just before it, if any).
    """
    found, section, view = [], "", ""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            view = match.group(1) if (match := re.search(r"vd\.(\w+)\(", text)) else ""
            continue
        answers = [body.strip() for summary, body in DETAILS.findall(text) if "answer" in summary.lower()]
        for paragraph in re.split(r"\n\s*\n", DETAILS.sub("", text)):
            paragraph = paragraph.strip()
            if match := re.match(r"## (.+)", paragraph):
                section, view = match.group(1).strip(), ""
            if match := ACTIVITY.match(paragraph):
                found.append({"section": section, "kind": match.group(1), "view": view,
                              "prompt": re.sub(r"^> ?", "", paragraph, flags=re.M),
                              "answer": answers.pop(0) if answers else ""})
        view = ""
    return found


def alignment(topic: str) -> dict[int, dict]:
    """Section, activity, exercise questions and discussion prompt per objective number."""
    path = course_root() / "teacher" / "alignment" / f"{topic}.yaml"
    return {int(k): v for k, v in yaml.safe_load(path.read_text(encoding="utf-8"))["objectives"].items()}


def exercise_questions(topic: str) -> list[str]:
    """The question names of a topic's exercise master, in order."""
    path = course_root() / "masters" / f"{topic}_exercises.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [m.group(1) for c in cells if c["cell_type"] == "raw"
            for m in [re.search(r"^# BEGIN QUESTION\s*\nname: *(\S+)", "".join(c["source"]), re.M)] if m]


def quiz_items(topic: str) -> dict[int, list[str]]:
    """Question ids with their level, per objective number."""
    items: dict[int, list[str]] = {}
    for q in load_bank(topic).questions:
        items.setdefault(q.objective, []).append(f"{q.id} ({q.level})")
    return items


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def alignment_markdown() -> str:
    """Per notebook: its objectives, and for topic notebooks the table objective → assessment."""
    parts = []
    topics = set(bank_topics())
    for path in (n.path for n in learner_notebooks()):
        objectives = notebook_objectives(path)
        lines = [f"#### Notebook {path.stem[:2]}: {notebook_title(path)}", "",
                 *(f"{n}. {text}" for n, text in enumerate(objectives, 1)), ""]
        if path.stem in topics:
            rows, items = alignment(path.stem), quiz_items(path.stem)
            lines += ["| objective | section | activity | quiz items | exercise | discussion prompt |",
                      "|---|---|---|---|---|---|"]
            for n in range(1, len(objectives) + 1):
                row = rows.get(n, {})
                exercise = ", ".join(row.get("exercise") or []) or "—"
                lines.append(f"| {n} | {_cell(row.get('section', '—'))} | {_cell(row.get('activity', '—'))} "
                             f"| {', '.join(items.get(n, [])) or '—'} | {exercise} "
                             f"| {_cell(row.get('discussion', '—'))} |")
            lines.append("")
        parts.append("\n".join(lines))
    return "\n".join(parts).rstrip()


def render(guide: str) -> str:
    """The guide's text with its alignment section regenerated."""
    head, rest = guide.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{alignment_markdown()}\n{END}{tail}"


def main() -> int:
    """Command line: rewrite the alignment section of teacher/guide.md in place."""
    path = course_root() / "teacher" / "guide.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
