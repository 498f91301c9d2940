"""Printable handouts for rooms without a device each, built from the course's own data and notebooks.

``python -m vndiplomacy.handouts [FOLDER]`` (``make handouts``) writes HTML pages to print from a browser:
a source-analysis worksheet per source, a timeline and glossary sheet, and per notebook a worksheet of its
Try this, Reflect and Close reading prompts with the teacher's sheet of model answers.
"""
from __future__ import annotations

import sys
from pathlib import Path

import mistune

from .alignment import activities, notebook_path, notebook_title
from .data import chronological, load_table
from .manifest import learner_notebooks
from .paths import course_root
from .style import citation, esc, source_name

PRINT_CSS = """
<style>
@page {size: A4; margin: 16mm;}
body {font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111; max-width: 48em;
      margin: 1em auto;}
h1 {font-size: 16pt;} h2 {font-size: 13pt; margin-top: 1.2em;} h3 {font-size: 11.5pt;}
.sheet {break-after: page;}
.name {border-bottom: 1px solid #555; width: 60%; margin: 0.5em 0 1em 0; padding-bottom: 0.2em;}
.lines div {border-bottom: 1px solid #999; height: 1.9em;}
.note {font-size: 9.5pt; color: #444;}
table {border-collapse: collapse; width: 100%; font-size: 9.5pt;}
th, td {border: 1px solid #999; padding: 0.25em 0.4em; vertical-align: top; text-align: left;}
blockquote {margin: 0.4em 0 0.4em 1em; padding-left: 0.6em; border-left: 3px solid #999;}
@media print {a {color: inherit; text-decoration: none;}}
</style>
"""
ANALYSIS_PROMPTS = ("What kind of source is this, and whose voice is it?",
                    "Who was it written for, and what does it want its readers to believe?",
                    "Choose one claim it makes. Write it down with its paragraph.",
                    "Is that claim evidence of what happened, or of what the writer wants you to believe happened?",
                    "Which other source speaks about the same point? Do they agree?",
                    "What does this source leave out?")
_markdown = mistune.create_markdown(escape=True)


def lines(count: int) -> str:
    """Ruled lines to write on."""
    return f'<div class="lines">{"<div></div>" * count}</div>'


def page(title: str, body: str) -> str:
    """A whole printable HTML page."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"{PRINT_CSS}</head><body>{body}</body></html>\n")


def source_analysis() -> str:
    """One worksheet per source: the citation, its perspective, how to read it, and the analysis questions."""
    sheets = []
    for row in load_table("sources").to_dict("records"):
        author = "Author not given" if row["author"] == "unknown" else row["author"]
        date = "date not shown" if row["date"] == "unknown" else row["date"]
        prompts = "".join(f"<h3>{n}. {esc(p)}</h3>{lines(3)}" for n, p in enumerate(ANALYSIS_PROMPTS, 1))
        sheets.append(f'<section class="sheet"><h1>Source analysis: {esc(source_name(row["id"]))}</h1>'
                      f'<div class="name">Name:</div><p><b>{esc(author)}</b>, “{esc(row["title"])}”, '
                      f'<i>{esc(row["outlet"])}</i>, {esc(date)}.</p>'
                      f'<p><b>Kind:</b> {esc(row["kind"])}. {esc(row["perspective"])}</p>'
                      f'<p class="note"><b>How to read it:</b> {esc(row["access"])}'
                      + (f" {esc(row['url'])}" if row["url"] else "") + f"</p>{prompts}</section>")
    return page("Source-analysis worksheets", "".join(sheets))


def timeline_and_glossary() -> str:
    """The events in time order at their dates' precision, and the glossary with its Vietnamese terms."""
    events = chronological(load_table("events"))
    event_rows = "".join(f"<tr><td>{esc(r['when'])}</td><td>{esc(r['title'])}</td><td>{esc(citation(r['cites']))}"
                         "</td></tr>" for r in events.to_dict("records"))
    glossary = load_table("glossary").sort_values("term", key=lambda s: s.str.lower())
    term_rows = "".join(f"<tr><td>{esc(r['term'])}</td><td>{esc(r['vietnamese'] or '')}</td>"
                        f"<td>{esc(r['definition'])}</td></tr>" for r in glossary.to_dict("records"))
    body = (f'<section class="sheet"><h1>Timeline</h1><p class="note">{len(events)} events, earliest first. A date '
            "given only to the year comes after the dated events of that year.</p>"
            f"<table><thead><tr><th>When</th><th>Event</th><th>Source</th></tr></thead><tbody>{event_rows}"
            f"</tbody></table></section><section><h1>Glossary</h1><table><thead><tr><th>Term</th><th>Vietnamese</th>"
            f"<th>Meaning</th></tr></thead><tbody>{term_rows}</tbody></table></section>")
    return page("Timeline and glossary", body)


def _view_note(view: str) -> str:
    return (f'<p class="note">Works on the {esc(view.replace("_", " "))} view: the teacher shows it on the '
            "projector.</p>" if view else "")


def worksheet(stem: str, answers: bool = False) -> str:
    """A notebook's prompts with room to write; with ``answers``, the teacher's sheet of model answers."""
    title = notebook_title(notebook_path(stem))
    parts = [f"<h1>{'Model answers' if answers else 'Worksheet'}: {esc(title)}</h1>"]
    if not answers:
        parts.append('<div class="name">Name:</div>')
    section = None
    for n, activity in enumerate(activities(notebook_path(stem)), 1):
        if activity["section"] != section:
            section = activity["section"]
            parts.append(f"<h2>{esc(section)}</h2>")
        parts.append(f"<h3>Activity {n}</h3>")
        parts.append(_markdown(activity["prompt"]) + _view_note(activity["view"]))
        parts.append(_markdown(activity["answer"] or "*No model answer.*") if answers else lines(5))
    return page(f"{'Model answers' if answers else 'Worksheet'}: {title}", "".join(parts))


def build(folder: Path | None = None) -> list[Path]:
    """Write every handout, and an index page, into ``folder`` (default: handouts/)."""
    folder = Path(folder or course_root() / "handouts")
    folder.mkdir(parents=True, exist_ok=True)
    pages = {"source_analysis.html": ("Source-analysis worksheet, one per source", source_analysis()),
             "timeline_glossary.html": ("Timeline and glossary", timeline_and_glossary())}
    for path in (n.path for n in learner_notebooks()):
        title = notebook_title(path)
        pages[f"worksheet_{path.stem}.html"] = (f"Worksheet: {title}", worksheet(path.stem))
        pages[f"answers_{path.stem}.html"] = (f"Model answers (teacher): {title}", worksheet(path.stem, True))
    written = []
    for name, (_title, html) in pages.items():
        (folder / name).write_text(html, encoding="utf-8")
        written.append(folder / name)
    links = "".join(f'<li><a href="{name}">{esc(title)}</a></li>' for name, (title, _html) in pages.items())
    index = folder / "index.html"
    index.write_text(page("Handouts", f"<h1>Handouts to print</h1><ul>{links}</ul>"), encoding="utf-8")
    return [index, *written]


def main(argv: list[str]) -> int:
    """Command line: build the handouts into the folder given, or handouts/."""
    for path in build(Path(argv[0]) if argv else None):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
