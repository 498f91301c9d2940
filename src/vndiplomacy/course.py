"""Course-level views: readings, the sources, the course map and the progress dashboard."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import ipywidgets as widgets

from . import charts
from .classroom import SubmitFailed, configured_class_folder, submit_to_class
from .data import data_dir, load_table
from .progress import AnotherLearner, ImportRefused, ProgressStore, ProgressUnavailable, follow, read_export
from .quizbank import bank_label, bank_question_ids
from .style import CSS, esc, table_html
from .views import ChartPanel


def notebooks_dir() -> Path:
    """The folder of the learner notebooks."""
    return data_dir().parent / "notebooks"


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
    """Each notebook's file, title, overview and time to learn, read from the notebooks themselves."""
    outline = []
    for path in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        title = re.search(r"^# (.+)$", markdown, re.M)
        exercises = notebooks_dir().parent / "exercises" / f"{path.stem}_exercises.ipynb"
        outline.append({"file": path.name, "title": title.group(1).strip() if title else path.stem,
                        "exercises": exercises.name if exercises.exists() else "",
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
    rows = "".join(f'<div class="vd-card"><h4>{esc(n["title"])}</h4><p>{esc(n["time"])} · '
                   f'<a href="{esc(n["file"])}" target="_blank" rel="noopener">open the notebook</a>'
                   + (f' · <a href="../exercises/{esc(n["exercises"])}" target="_blank" rel="noopener">its exercises</a>'
                      if n["exercises"] else "")
                   + f'</p><p>{esc(n["overview"])}</p></div>' for n in course_outline())
    return CSS + f'<div class="vd-grid vd-course-map">{rows}</div>'


class ProgressDashboard(widgets.VBox):
    """Progress per topic as a chart, with the learner's name, export and import of the progress file."""

    def __init__(self, store: ProgressStore | None = None, export_to: Path | None = None):
        self.store = store or ProgressStore()
        self.export_to = Path(export_to) if export_to else Path.cwd() / "my_progress.json"
        self.chart = ChartPanel()
        self.name = widgets.Text(description="Your name", placeholder="the name your teacher knows you by",
                                 style={"description_width": "initial"}, layout={"width": "24em"})
        self.name.add_class("vd-progress-name")
        self.export = widgets.Button(description="Export my progress", icon="download", layout={"width": "auto"})
        self.export.add_class("vd-progress-export")
        self.export.on_click(lambda _b: self.export_progress())
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description="Import progress",
                                         layout={"width": "auto"})
        self.upload.add_class("vd-progress-import")
        self.upload.observe(self._uploaded, names="value")
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh", layout={"width": "auto"},
                                             tooltip="Redraw the chart with your latest answers")
        self.refresh_button.add_class("vd-progress-refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.submit = widgets.Button(description="Submit to my class", icon="paper-plane", layout={"width": "auto"},
                                     tooltip="Hand your progress in to your teacher's class folder")
        self.submit.add_class("vd-progress-submit")
        self.submit.on_click(lambda _b: self.submit_to_class())
        self.status = widgets.HTML()
        self.status.add_class("vd-progress-status")
        self.confirm = widgets.HBox()
        self.confirm.add_class("vd-progress-confirm")
        buttons = [self.name, *([self.submit] if configured_class_folder() else []), self.export, self.upload,
                   self.refresh_button]
        super().__init__([self.chart, widgets.HBox(buttons, layout={"flex_flow": "row wrap"}),
                          self.confirm, self.status])
        self.add_class("vd-progress")
        try:
            self.name.value = self.store.learner()["name"]
        except ProgressUnavailable as exc:
            self._say(f"Your progress cannot be read just now: {exc}.", alert=True)
        if self.store.moved_aside:
            self._say(f"Your progress file was damaged. It was moved to {self.store.moved_aside} and a new one "
                      "was started.", alert=True)
        self.refresh()
        follow(self)

    def _say(self, text: str, alert: bool = False, extra_html: str = "") -> None:
        role = 'class="vd-wrong" role="alert"' if alert else 'role="status"'
        self.status.value = f"<p {role}>{esc(text)}{extra_html}</p>"

    def refresh(self):
        """Redraw the chart from the progress store, by the course's scoring rule."""
        try:
            summary = self.store.summary(bank_question_ids())
        except ProgressUnavailable as exc:
            self._say(f"Your progress cannot be read just now: {exc}.", alert=True)
            return
        self.chart.show(*charts.progress_figure(summary.assign(topic=summary["topic"].map(bank_label))))

    def export_progress(self) -> Path | None:
        """Write the export file (it carries the learner's name) and offer it as a download link."""
        done = self._hand_over(lambda: self.store.export(self.export_to), "Your progress could not be exported")
        if done is None:
            return None
        path, count = done
        data = base64.b64encode(path.read_bytes()).decode()
        self._say(f"Saved {count} answers to {path.name}. ", extra_html=(
            f'<a download="{esc(path.name)}" href="data:application/json;base64,{data}">Download it</a> and keep '
            "it: on Binder, files vanish when the session ends."))
        return path

    def submit_to_class(self) -> Path | None:
        """Write the learner's export into the class folder the hub admin set up."""
        done = self._hand_over(lambda: submit_to_class(self.store), "Your work was not submitted")
        if done is None:
            return None
        path, count = done
        self._say(f"Submitted {count} answers to your class as {path.name}. Submit again whenever you like: "
                  "your latest submission replaces the earlier one.")
        return path

    def _hand_over(self, write, failure: str) -> tuple[Path, int] | None:
        """Save the typed name, then write the learner's progress somewhere; (path, answers), or None with a message."""
        name = self.name.value.strip()
        if not name:
            self._say("Type your name first: your teacher uses it to know whose work this is.", alert=True)
            return None
        try:
            self.store.set_name(name)
            path = write()
            return path, len(self.store.attempts())
        except (ProgressUnavailable, SubmitFailed, OSError, ValueError) as exc:
            self._say(f"{failure}: {exc}.", alert=True)
            return None

    def import_bytes(self, content: bytes, name: str, confirmed: bool = False) -> int | None:
        """Import an uploaded export; another learner's file is imported only after 'Is this you?'."""
        self.confirm.children = ()
        try:
            payload = read_export(content, name)
            added = self.store.import_payload(payload, label=name, confirmed=confirmed)
        except AnotherLearner as other:
            self._ask_is_this_you(content, name, other)
            return None
        except ImportRefused as refused:
            self._say(f"Import refused. {refused}", alert=True)
            return None
        except ProgressUnavailable as exc:
            self._say(f"Nothing was imported: {exc}.", alert=True)
            return None
        self._say(f"Imported {added} new answers from {name}." if added else
                  f"Nothing new in {name}: every answer in it is already in your progress.")
        self.refresh()
        return added

    def _ask_is_this_you(self, content: bytes, name: str, other: AnotherLearner) -> None:
        yes = widgets.Button(description="Yes, it is my work", button_style="warning", layout={"width": "auto"})
        no = widgets.Button(description="No, do not import it", layout={"width": "auto"})
        yes.add_class("vd-progress-yes")
        no.add_class("vd-progress-no")
        yes.on_click(lambda _b: self.import_bytes(content, name, confirmed=True))
        no.on_click(lambda _b: self._refuse(name))
        self.confirm.children = (widgets.HTML(f"<p>{esc(other)} <b>Is this you?</b></p>"), yes, no)
        self._say("")

    def _refuse(self, name: str) -> None:
        self.confirm.children = ()
        self._say(f"Import refused: {name} is another learner's work, and was not added to yours.", alert=True)

    def _uploaded(self, _change=None):
        items = list(self.upload.value)
        if not items:
            return
        self.upload.value = ()  # so that choosing the same file again is noticed
        for item in items:
            self.import_bytes(bytes(item["content"]), item["name"])
