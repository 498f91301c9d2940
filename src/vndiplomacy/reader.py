"""The source reader: a source's paragraphs in order, with their first words, what each says, and what the course
draws from each (data rows, quiz questions, notebook sections), so a learner can check any citation.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from .data import descriptor, fact_tables, load_table, place_label, prose_citations, split_list
from .manifest import learner_notebooks
from .quizbank import bank_topics, load_bank
from .style import CSS, esc, scroll_box, source_name
from .views import ALL, _dropdown, html_box

LABEL_COLUMNS = ("title", "name", "term", "label", "item", "text")


def _short(text, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def _row_label(table_title: str, row: dict) -> str:
    label = next((row[c] for c in LABEL_COLUMNS if c in row and isinstance(row[c], str) and row[c].strip()), "")
    return f"{table_title}: {_short(label)}" if label else table_title


def _notebook_sections(path: Path) -> list[tuple[str, str]]:
    """(section heading, markdown text) for each markdown cell of a notebook, by its latest '## ' heading."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    title, heading, out = path.stem, "", []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        if match := re.search(r"^# (.+)$", text, re.M):
            title = match.group(1).strip()
        if match := re.search(r"^## (.+)$", text, re.M):
            heading = match.group(1).strip()
        out.append((f"{title} › {heading}" if heading else title, text))
    return out


@functools.cache
def paragraph_uses() -> dict[str, tuple[str, ...]]:
    """For each paragraph id, what the course draws from it: notebook sections, quiz questions, then data rows."""
    uses: dict[str, list[str]] = {}

    def add(cites, use):
        for pid in cites:
            if use not in uses.setdefault(pid, []):
                uses[pid].append(use)

    for path in (n.path for n in learner_notebooks()):
        for section, text in _notebook_sections(path):
            add(prose_citations(text), f"Notebook: {section}")
    for topic in bank_topics():
        bank = load_bank(topic)
        for q in bank.questions:
            add(split_list(q.cites), f"Quiz “{bank.title}”, question {q.id}")
    titles = {r["name"]: r.get("title", r["name"]) for r in descriptor()["resources"]}
    for name in fact_tables():
        for row in load_table(name).to_dict("records"):
            add(split_list(row["cites"]), _row_label(titles[name], row))
    return {pid: tuple(found) for pid, found in uses.items()}


def _uses_html(uses: tuple[str, ...], shown: int = 2) -> str:
    """The first uses of a paragraph, the rest behind a 'more' toggle; a dash when the course does not use it."""
    if not uses:
        return "—"
    first = "".join(f"<li>{esc(u)}</li>" for u in uses[:shown])
    rest = "".join(f"<li>{esc(u)}</li>" for u in uses[shown:])
    more = (f'<details><summary>{len(uses) - shown} more</summary><ul class="vd-reader-uses">{rest}</ul></details>'
            if rest else "")
    return f'<ul class="vd-reader-uses">{first}</ul>{more}'


class SourceReader(widgets.VBox):
    """A source's paragraphs, section by section, with what the course draws from each."""

    def __init__(self, source_id: str):
        self.all_paragraphs = load_table("source_paragraphs")
        sources = list(load_table("sources")["id"])
        if source_id not in sources:
            raise KeyError(f"unknown source id {source_id!r}; the sources are {', '.join(sources)}")
        self.source = widgets.Dropdown(options=[(source_name(s), s) for s in sources], value=source_id,
                                       description="Source", style={"description_width": "initial"})
        self.source.add_class("vd-reader-source")
        self.section = _dropdown("Section", [], css_class="vd-reader-section")
        self.heading = widgets.HTML()
        self.table = html_box(css_class="vd-reader-table")
        self.source.observe(self._choose_source, names="value")
        self.section.observe(self._render, names="value")
        super().__init__([self.heading, widgets.HBox([self.source, self.section]), self.table])
        self.add_class("vd-reader")
        self._choose_source()

    @property
    def source_id(self) -> str:
        """The source shown."""
        return self.source.value

    def _choose_source(self, _change=None):
        """Show another source: its heading, its sections, all its paragraphs."""
        self.paragraphs = self.all_paragraphs[self.all_paragraphs["source"] == self.source_id]
        sections = self.paragraphs.dropna(subset=["section"]).drop_duplicates("section")
        options = [(f"§{int(s.section)} {s.heading}", int(s.section)) for s in sections.itertuples()]
        with self.section.hold_trait_notifications():
            self.section.options = [(ALL, ALL), *options]
            self.section.value = ALL
        self.heading.value = (CSS + f"<h4>Reading {esc(source_name(self.source_id))} paragraph by paragraph</h4>"
                              "<p>Each row is one paragraph of the article, in order. Its first words help you "
                              "find it in the original; the summary is in the course's own words. "
                              "<i>Used in</i> lists where the course draws on it. Choose another source to read "
                              "any of the five.</p>")
        self._render()

    def shown(self) -> pd.DataFrame:
        """The paragraphs of the chosen section (every line of the page for 'All')."""
        if self.section.value == ALL:
            return self.paragraphs
        return self.paragraphs[self.paragraphs["section"] == self.section.value]

    def _render(self, _change=None):
        uses = paragraph_uses()
        rows = []
        for p in self.shown().itertuples():
            place = place_label(p.id.split(":", 1)[1])
            used = uses.get(p.id, ())
            used_html = _uses_html(used)
            what = (f"<i>Not part of the article.</i> {esc(p.summary)}" if p.kind == "non-content"
                    else esc(p.summary))
            rows.append(f'<tr class="vd-reader-{esc(p.kind)}"><th scope="row">{esc(place)}</th>'
                        f"<td>“{esc(p.first_words)} …”</td><td>{what}</td><td>{used_html}</td></tr>")
        caption = f"{len(rows)} lines of {source_name(self.source_id)}"
        self.table.value = CSS + scroll_box(
            f'<table class="vd-table"><caption>{esc(caption)}</caption><thead><tr><th scope="col">Where</th>'
            '<th scope="col">First words</th><th scope="col">What it says</th><th scope="col">Used in</th></tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>", caption)
