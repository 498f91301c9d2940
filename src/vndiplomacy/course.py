"""Course-level views: readings, the sources, the course map and the progress dashboard."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import ipywidgets as widgets

from . import charts
from .data import data_dir, load_table
from .progress import ImportRefused, ProgressStore, read_export
from .quizbank import bank_topics, load_bank
from .style import CSS, esc, table_html
from .views import ChartPanel


def notebooks_dir() -> Path:
    """The folder of the learner notebooks."""
    return data_dir().parent / "notebooks"


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
                     f'{esc(row["perspective"])}</li>')
    return CSS + f'<ul class="vd-readings">{"".join(items)}</ul>'


def sources_table_html() -> str:
    """The five sources side by side."""
    sources = load_table("sources")
    return CSS + table_html(sources, {"id": "Id", "outlet": "Outlet", "author": "Author", "date": "Date",
                                      "kind": "Kind", "perspective": "Perspective", "date_note": "About the date"},
                            caption="The five source documents")


def course_outline() -> list[dict]:
    """Each notebook's file, title, overview and time to learn, read from the notebooks themselves."""
    outline = []
    for path in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        title = re.search(r"^# (.+)$", markdown, re.M)
        outline.append({"file": path.name, "title": title.group(1).strip() if title else path.stem,
                        "overview": _section(markdown, "Overview"),
                        "time": _first_clause(_section(markdown, "Time to learn"))})
    return outline


def _first_clause(text: str) -> str:
    return re.split(r"[:.;]", text)[0]


def _section(markdown: str, heading: str, limit: int = 300) -> str:
    match = re.search(rf"^## {heading}\s*\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    text = re.sub(r"[*`]", "", re.sub(r"\s+", " ", match.group(1))).strip() if match else ""
    return text if len(text) < limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def course_map_html() -> str:
    """The course map as a grid of cards, one per notebook."""
    rows = "".join(f'<div class="vd-card"><h4>{esc(n["title"])}</h4><p><code>{esc(n["file"])}</code> · '
                   f'{esc(n["time"])}</p><p>{esc(n["overview"])}</p></div>' for n in course_outline())
    return CSS + f'<div class="vd-grid vd-course-map">{rows}</div>'


class ProgressDashboard(widgets.VBox):
    """Progress per topic as a chart, with export and import of the progress file."""

    def __init__(self, store: ProgressStore | None = None, export_to: Path | None = None):
        self.store = store or ProgressStore()
        self.export_to = Path(export_to) if export_to else Path.cwd() / "my_progress.json"
        self.chart = ChartPanel()
        self.export = widgets.Button(description="Export my progress", icon="download", layout={"width": "auto"})
        self.export.add_class("vd-progress-export")
        self.export.on_click(lambda _b: self.export_progress())
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description="Import progress",
                                         layout={"width": "auto"})
        self.upload.add_class("vd-progress-import")
        self.upload.observe(self._uploaded, names="value")
        self.status = widgets.HTML()
        self.status.add_class("vd-progress-status")
        super().__init__([self.chart, widgets.HBox([self.export, self.upload]), self.status])
        self.add_class("vd-progress")
        if self.store.moved_aside:
            self.status.value = (f'<p class="vd-wrong" role="alert">Your progress file could not be read. It was '
                                 f"moved to {esc(self.store.moved_aside)} and a new one was started.</p>")
        self.refresh()

    def refresh(self):
        """Redraw the chart from the progress store."""
        banks = {topic: len(load_bank(topic).questions) for topic in bank_topics()}
        self.chart.show(*charts.progress_figure(self.store.summary(banks)))

    def export_progress(self) -> Path:
        """Write the export file and offer it as a download link."""
        path = self.store.export(self.export_to)
        data = base64.b64encode(path.read_bytes()).decode()
        self.status.value = (f'<p role="status">Saved {len(self.store.attempts())} attempts to <code>{esc(path)}</code>. '
                             f'<a download="{esc(path.name)}" href="data:application/json;base64,{data}">Download it</a>'
                             " and keep it: on Binder, files vanish when the session ends.</p>")
        return path

    def import_bytes(self, content: bytes, name: str) -> int | None:
        """Import an uploaded export; a refused file is explained in the status line."""
        try:
            added = self.store.import_payload(read_export(content, name))
        except ImportRefused as refused:
            self.status.value = f'<p class="vd-wrong" role="alert">Import refused. {esc(refused)}</p>'
            return None
        self.status.value = f'<p role="status">Imported {added} new attempts from {esc(name)}.</p>'
        self.refresh()
        return added

    def _uploaded(self, _change=None):
        for item in self.upload.value:
            self.import_bytes(bytes(item["content"]), item["name"])
