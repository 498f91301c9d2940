"""The learner's progress dashboard: a chart per topic, export, import and hand-in to the class folder."""
from __future__ import annotations

import base64
from pathlib import Path

import ipywidgets as widgets

from . import charts
from .classroom import SubmitFailed, configured_class_folder, submit_to_class
from .progress import AnotherLearner, ImportRefused, ProgressStore, ProgressUnavailable, follow, read_export
from .quizbank import bank_label, bank_question_ids
from .style import esc
from .views import ChartPanel


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
