"""Course-level views: readings, the sources and the course map (read from course.yml and the notebooks)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import ipywidgets as widgets

from .data import load_table
from .manifest import learner_notebooks, notebook
from .quizbank import bank_question_ids
from .style import CSS, esc, table_html
from .views import html_box

# What a notebook asks of a careful learner, the basis of each notebook's stated time to learn. Reading: 180 words a
# minute for dense, cited explanation (a learner who also opens the sources takes longer). A widget view: a minute to
# explore. A "Try this": two minutes to do and notice. A "Reflect": three minutes of writing. A quiz question: a
# minute and a half, with feedback and the occasional check in the source.
WORDS_PER_MINUTE = 180
MINUTES = {"view": 1, "try this": 2, "reflect": 3, "quiz question": 1.5}


def time_to_learn(path: Path) -> dict[str, int]:
    """A notebook's time to learn in minutes, from its words, widget views, Try this, Reflect and Close reading
    prompts, and quiz.
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    markdown = re.sub(r"<!--.*?-->", "", "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"),
                      flags=re.S)  # maintainers' notes are not read
    code = ["".join(c["source"]).strip() for c in cells if c["cell_type"] == "code"]
    quiz = [c for c in code if c.startswith("vd.quiz(")]
    views = [c for c in code if c.startswith("vd.") and c not in quiz and not c.startswith("vd.setup(")]
    questions = sum(len(bank_question_ids().get(t, [])) for c in quiz for t in re.findall(r"vd\.quiz\(\"([^\"]+)\"", c))
    parts = {"reading": len(re.findall(r"\w+", markdown)) / WORDS_PER_MINUTE,
             "activities": MINUTES["view"] * len(views) + MINUTES["try this"] * markdown.count("**Try this")
             + MINUTES["reflect"] * (markdown.count("**Reflect") + markdown.count("**Close reading")),
             "quiz": MINUTES["quiz question"] * questions}
    rounded = {name: round(value) for name, value in parts.items()}
    return {**rounded, "total": 5 * round(sum(parts.values()) / 5)}


def stated_minutes(path: Path) -> int | None:
    """The minutes a notebook's 'Time to learn' section states ('About **80 minutes** ...')."""
    markdown = "\n".join("".join(c["source"]) for c in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
                         if c["cell_type"] == "markdown")
    match = re.search(r"^## Time to learn\s*\n[^\n]*?(\d+) minutes", markdown, re.M)
    return int(match.group(1)) if match else None


def readings_html(*source_ids: str) -> str:
    """The readings of a notebook as a list of full citations with each source's kind and perspective."""
    sources = load_table("sources").set_index("id")
    unknown = [s for s in source_ids if s not in sources.index]
    if unknown:
        raise KeyError(f"unknown source ids {unknown}; see data/sources.csv")
    items = []
    for sid in source_ids:
        row = sources.loc[sid]
        author = "Author not given" if row["author"] == "unknown" else row["author"]
        date = "date not shown" if row["date"] == "unknown" else row["date"]
        url = esc(row["url"])
        link = f' <a href="{url}" target="_blank" rel="noopener">{url}</a>' if url else ""
        items.append(f'<li><b>{esc(author)}</b>, “{esc(row["title"])}”, <i>{esc(row["outlet"])}</i>, {esc(date)}.{link}'
                     f'<br><span class="vd-badge">{esc(row["kind"])}</span> <code>{esc(sid)}</code> — '
                     f'{esc(row["perspective"])}<br><b>How to read it:</b> {linked(row["access"])}</li>')
    return CSS + f'<ul class="vd-readings">{"".join(items)}</ul>'


def linked(text: str) -> str:
    """Escaped text with each web address made a link that opens in a new tab."""
    return re.sub(r"https?://[^\s<]+[^\s<.,)]", lambda m: f'<a href="{m.group(0)}" target="_blank" rel="noopener">'
                  f'{m.group(0)}</a>', esc(text))


def sources_table_html() -> str:
    """The five sources side by side."""
    sources = load_table("sources")
    return CSS + table_html(sources, {"id": "Id", "outlet": "Outlet", "author": "Author", "date": "Date",
                                      "kind": "Kind", "perspective": "Perspective", "date_note": "About the date",
                                      "access": "How to read it"},
                            caption="The five source documents")


def course_outline() -> list[dict]:
    """Each notebook's file, title, time to learn and exercises from course.yml, with the overview its notebook
    gives.
    """
    outline = []
    for entry in learner_notebooks():
        cells = json.loads(entry.path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        outline.append({"file": Path(entry.file).name, "title": entry.title,
                        "exercises": Path(entry.exercises).name if entry.exercises else "",
                        "overview": _section(markdown, "Overview"), "time": f"About {entry.minutes} minutes"})
    return outline


def _section(markdown: str, heading: str, limit: int = 300) -> str:
    match = re.search(rf"^## {heading}\s*\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    text = re.sub(r"[*`]", "", re.sub(r"\s+", " ", match.group(1))).strip() if match else ""
    return text if len(text) < limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def course_map_html() -> str:
    """The course map as a grid of cards, one per notebook."""
    rows = "".join(f'<div class="vd-card"><h4>{esc(n["title"])}</h4><p>{esc(n["time"])} · '
                   f'<a href="{esc(n["file"])}" target="_blank" rel="noopener">open the notebook</a>'
                   + (f' · <a href="../exercises/{esc(n["exercises"])}" target="_blank" rel="noopener">its exercises</a>'
                      if n["exercises"] else "")
                   + f'</p><p>{esc(n["overview"])}</p></div>' for n in course_outline())
    return CSS + f'<div class="vd-grid vd-course-map">{rows}</div>'


def readings(notebook_name: str) -> widgets.HTML:
    """A notebook's readings, as course.yml lists them, cited from the sources table."""
    return html_box(readings_html(*notebook(notebook_name).readings), "vd-readings")


def sources_overview() -> widgets.HTML:
    """The five sources side by side, with each one's perspective."""
    return html_box(sources_table_html(), "vd-sources")


def course_map() -> widgets.HTML:
    """The notebooks of the course, as course.yml lists them."""
    return html_box(course_map_html(), "vd-course")
