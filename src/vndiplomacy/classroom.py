"""The class: learners submit their progress exports to a class folder (a drop box the hub admin sets up), and
the class dashboard reads a folder of exports, skips the bad ones with a reason, and shows scores per topic and the
difficulty of each question.
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from .charts import LAYOUT
from .manifest import learner_notebooks
from .paths import course_root
from .progress import FIELDS, ImportRefused, ProgressStore, read_export
from .quizbank import bank_label, bank_question_ids, bank_topics, load_bank
from .scoring import first_attempts, topic_scores
from .style import CSS, PALETTE, esc, text_alternative
from .views import ChartPanel

CLASS_FOLDER_VARIABLE = "VNDIPLOMACY_CLASS_FOLDER"


class SubmitFailed(RuntimeError):
    """The learner's work could not be submitted; the message says why, plainly."""


def configured_class_folder() -> Path | None:
    """The class folder the hub admin configured ($VNDIPLOMACY_CLASS_FOLDER), if any."""
    value = os.environ.get(CLASS_FOLDER_VARIABLE, "").strip()
    return Path(value).expanduser() if value else None


def submission_name(learner_name: str) -> str:
    """The file a learner's submission is saved as: the hub user name, else the learner's name, made file-safe."""
    name = os.environ.get("JUPYTERHUB_USER") or learner_name
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name.decode()).strip("._")
    if not slug:
        raise ValueError("Type your name first: your teacher uses it to know whose work this is.")
    return f"{slug}.json"


def submit_to_class(store: ProgressStore, folder: Path | None = None) -> Path:
    """Write the learner's export into the class folder, replacing their earlier submission.

    The file is written under a temporary hidden name and then renamed, so the teacher never reads half a file,
    and it is made readable by its owner and the folder's group only (the teacher's group in a drop box).
    """
    folder = folder or configured_class_folder()
    if folder is None:
        raise SubmitFailed("no class folder is set up on this server; export your progress and "
                                            "hand in the file instead")
    target = folder / submission_name(store.learner()["name"])
    partial = folder / f".{target.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        store.export(partial)
        partial.chmod(0o640)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise SubmitFailed(f"your work could not be written to the class folder {folder} "
                                            f"({exc.strerror or exc}); tell your teacher") from exc
    return target


@dataclass
class ClassRecords:
    """Attempts of every learner (column 'learner' is their display name), and skipped files with the reason."""

    attempts: pd.DataFrame
    learners: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _learner_groups(exports: dict[str, dict]) -> dict[str, list[str]]:
    """Files grouped by learner: ids linked by an 'Is this you?' import are one learner; files without an id
    (older exports) are each their own learner. Two different learners are never merged.
    """
    parent: dict[str, str] = {}

    def root(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys = {}
    for name, payload in exports.items():
        learner = payload.get("learner") or {}
        if learner.get("id"):
            keys[name] = f"id:{learner['id']}"
            for other in learner.get("linked", []):
                parent[root(f"id:{other}")] = root(keys[name])
        else:
            keys[name] = f"file:{name}"
    groups: dict[str, list[str]] = {}
    for name in exports:
        groups.setdefault(root(keys[name]), []).append(name)
    return groups


def _class_files(folder: Path) -> list[Path]:
    """The files of a class folder and of its subfolders one level down (a drop box with a folder per learner)."""
    visible = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")]
    inner = [p for sub in visible if sub.is_dir() for p in sorted(sub.iterdir()) if not p.name.startswith(".")]
    return [p for p in visible + inner if p.is_file()]


def read_class_folder(folder: Path | str) -> ClassRecords:
    """Read every export in a folder and group the files by learner.

    Files that are not exports of this course are skipped with the reason, and so are files that add nothing to
    their learner's other files (a second copy, or an earlier export). Older exports without a learner id are
    named by their file name and are only ever set aside as exact duplicates.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"The class folder {folder} does not exist (or cannot be read).")
    exports, skipped = {}, []
    for path in _class_files(folder):
        name = path.relative_to(folder).as_posix()
        if path.suffix.lower() != ".json":
            skipped.append((name, "not a progress export (exports are .json files)"))
            continue
        try:
            exports[name] = read_export(path.read_bytes(), name)
        except ImportRefused as refused:
            skipped.append((name, str(refused).split(": ", 1)[-1]))
        except OSError as exc:
            skipped.append((name, f"cannot be read ({exc.strerror or exc})"))
    uids = {name: frozenset(a["uid"] for a in payload["attempts"]) for name, payload in exports.items()}
    for name in [n for n in exports if not (exports[n].get("learner") or {}).get("id")]:
        same = next((other for other in exports if other < name and uids[other] == uids[name]), None)
        if same:
            skipped.append((name, f"duplicate of {same} (the same answers)"))
            del exports[name]
    frames, learners = [], []
    for files in _learner_groups(exports).values():
        files.sort(key=lambda n: (-len(uids[n]), n))
        fullest, seen = files[0], set()
        for name in files:
            if uids[name] <= seen:
                reason = "duplicate of" if uids[name] == uids[fullest] else "an earlier export of"
                skipped.append((name, f"{reason} {fullest} (all its answers are in that file)"))
            seen |= uids[name]
        latest = max(files, key=lambda n: exports[n].get("exported", ""))
        display = (exports[latest].get("learner") or {}).get("name") or Path(fullest).stem
        if display in learners:  # two learners with one name stay two learners
            display = f"{display} ({Path(fullest).stem})"
        learners.append(display)
        rows = [a for n in files for a in exports[n]["attempts"]]
        frames.append(pd.DataFrame(rows, columns=list(FIELDS)).drop_duplicates("uid").assign(learner=display))
    attempts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*FIELDS, "learner"])
    attempts["correct"] = attempts["correct"].astype(bool)
    return ClassRecords(attempts, sorted(learners), sorted(skipped))


def scores(records: ClassRecords) -> pd.DataFrame:
    """Per learner and topic, by the course's scoring rule: questions right at the first answer, of the bank."""
    columns = ["learner", "topic", "correct", "answered", "total", "percent"]
    banks = bank_question_ids()
    frames = [topic_scores(records.attempts[records.attempts["learner"] == learner], banks).assign(learner=learner)
              for learner in records.learners]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def difficulty(records: ClassRecords) -> pd.DataFrame:
    """Per question answered: the learners who answered it and the share whose first answer was right, hardest first."""
    columns = ["topic", "question", "text", "learners", "first_try_right"]
    banks = {topic: load_bank(topic) for topic in bank_topics()}
    prompts = {q.id: (topic, q.prompt) for topic, bank in banks.items() for q in bank.questions}
    rows = []
    for learner in records.learners:
        first = first_attempts(records.attempts[records.attempts["learner"] == learner], prompts)
        rows += [{"question": qid, "correct": bool(correct)} for qid, correct in first["correct"].items()]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(rows).groupby("question").agg(learners=("correct", "size"),
                                                       first_try_right=("correct", "mean")).reset_index()
    table["first_try_right"] = (100 * table["first_try_right"]).round().astype(int)
    table["topic"] = table["question"].map(lambda q: prompts[q][0])
    table["text"] = table["question"].map(lambda q: prompts[q][1])
    return table.sort_values(["first_try_right", "learners", "question"], ascending=[True, False, True]
                             ).reset_index(drop=True)[columns]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


class ClassDashboard(widgets.VBox):
    """Scores per topic and question difficulty for a folder of progress exports."""

    def __init__(self, folder: Path | str):
        self.records = read_class_folder(folder)
        self.scores, self.difficulty = scores(self.records), difficulty(self.records)
        skipped = "".join(f"<li><code>{esc(name)}</code>: {esc(reason)}</li>" for name, reason in self.records.skipped)
        self.report = widgets.HTML(CSS + f"<p><b>{len(self.records.learners)}</b> learners' files read from "
                                   f"<code>{esc(folder)}</code>.</p>"
                                   + (f"<p>Skipped files:</p><ul>{skipped}</ul>" if skipped else ""))
        self.report.add_class("vd-class-report")
        self.score_chart, self.difficulty_chart = ChartPanel(), ChartPanel()
        super().__init__([self.report, self.score_chart, self.difficulty_chart])
        self.add_class("vd-class")
        if self.records.learners:
            self._draw()

    def _draw(self):
        import plotly.express as px  # here, not at the top: learners' notebooks import this module but not its charts

        self.scores = self.scores.assign(topic=self.scores["topic"].map(bank_label))
        self.difficulty = self.difficulty.assign(topic=self.difficulty["topic"].map(bank_label))
        by_topic = self.scores.groupby("topic", as_index=False)["percent"].mean().round(0)
        fig = px.box(self.scores, x="topic", y="percent", points="all", hover_name="learner",
                     color_discrete_sequence=PALETTE, title="Scores per topic (each point is a learner)")
        fig.update_layout(**LAYOUT, height=380, yaxis_title="% of the topic's questions right", xaxis_title="")
        summary = "Mean score per topic: " + ", ".join(f"{r.topic}: {r.percent:.0f}%" for r in by_topic.itertuples())
        self.score_chart.show(fig, text_alternative(summary, self.scores, {"learner": "Learner", "topic": "Topic",
                                                                           "correct": "Right", "total": "Questions"}))
        hardest = self.difficulty.head(15).assign(label=lambda t: [f"{_short(x)} ({q})" for q, x in
                                                                   zip(t["question"], t["text"], strict=True)])
        fig = px.bar(hardest, x="first_try_right", y="label", color="topic", orientation="h",
                     color_discrete_sequence=PALETTE, range_x=[0, 100], hover_name="text",
                     labels={"first_try_right": "% right at the first try", "label": "Question", "topic": "Topic"},
                     title="The hardest questions: share of learners right at the first try (hardest at the top)")
        fig.update_layout(**LAYOUT, height=120 + 28 * len(hardest), xaxis_title="% right at the first try",
                          yaxis_title="")
        fig.update_yaxes(categoryorder="array", categoryarray=list(hardest["label"][::-1]))
        text = "; ".join(f"“{_short(r.text)}” {r.first_try_right}%" for r in hardest.head(5).itertuples())
        self.difficulty_chart.show(fig, text_alternative(f"Hardest five: {text}.", self.difficulty,
                                                         {"question": "Id", "text": "Question", "topic": "Topic",
                                                          "learners": "Learners", "first_try_right": "% first try"}))


def class_dashboard(folder: Path | str | None = None) -> ClassDashboard:
    """The class dashboard for a folder of progress exports: the given folder, else the configured class folder,
    else the sample class.
    """
    return ClassDashboard(folder or configured_class_folder() or teacher_folder() / "sample_class")




def teacher_folder() -> Path:
    """The teacher's folder of the course (guide, sample class, handed-in notebooks)."""
    return course_root() / "teacher"


def exercise_choices() -> list[tuple[str, str]]:
    """(the exercise notebook's heading, its name such as '01_history') for each exercise notebook."""
    choices = []
    for path in (course_root() / n.exercises for n in learner_notebooks() if n.exercises):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        heading = next((m.group(1) for c in cells if c["cell_type"] == "markdown"
                        for m in [re.search(r"^# (.+)$", "".join(c["source"]), re.M)] if m), path.stem)
        choices.append((f"{path.stem[:2]}: {heading}", path.stem.removesuffix("_exercises")))
    return choices


class GradingPanel(widgets.VBox):
    """Grade learners' exercise notebooks without a terminal: pick the exercises, upload the files, press Grade.

    The files are kept in ``teacher/handed_in/<exercises>/``, and the scores are written beside them as grades.csv,
    with an empty column per written question for the teacher to fill in with the rubric.
    """

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder or teacher_folder() / "handed_in")
        self.exercise = widgets.Dropdown(options=exercise_choices(), description="Exercises",
                                         style={"description_width": "initial"}, layout=widgets.Layout(width="70%"))
        self.upload = widgets.FileUpload(accept=".ipynb", multiple=True, description="Learners' notebooks",
                                         layout=widgets.Layout(width="auto"))
        self.button = widgets.Button(description="Grade", button_style="primary", icon="check",
                                     tooltip="Grade the uploaded notebooks with the exercises' checks")
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description="Graded",
                                       style={"description_width": "initial"})
        self.status = widgets.HTML("Upload the learners' .ipynb files, then press <b>Grade</b>.")
        self.table = widgets.HTML()
        self.grades: pd.DataFrame | None = None
        self.button.on_click(self._grade)
        super().__init__([self.exercise, widgets.HBox([self.upload, self.button]), self.bar, self.status, self.table])
        self.add_class("vd-grading")

    def _saved_uploads(self) -> list[Path]:
        """Save this batch's uploads; two files of the same name are both kept (the second as name-2.ipynb)."""
        target = self.folder / self.exercise.value
        target.mkdir(parents=True, exist_ok=True)
        saved: list[Path] = []
        for item in self.upload.value:
            name = Path(re.sub(r"[^\w.-]+", "_", Path(item["name"]).name) or "notebook.ipynb")
            path, copy = target / name, 1
            while path in saved:
                copy += 1
                path = target / f"{name.stem}-{copy}{name.suffix}"
            path.write_bytes(bytes(item["content"]))
            saved.append(path)
        return saved

    def _grade(self, _button=None):
        from .exercises import grade

        files = self._saved_uploads()
        if not files:
            self.status.value = "No notebooks uploaded yet: use <b>Learners' notebooks</b> to choose the files first."
            return
        self.bar.max, self.bar.value, self.bar.bar_style = len(files), 0, ""
        out = self.folder / self.exercise.value / "grades.csv"

        def graded(row):
            self.bar.value += 1
            self.status.value = f"Graded {esc(row['submission'])} ({self.bar.value} of {len(files)})…"

        self.grades = grade(self.exercise.value, files, out, on_graded=graded)
        self.bar.bar_style = "success"
        data = base64.b64encode(out.read_bytes()).decode()
        count = f"{len(files)} notebook{'s' if len(files) != 1 else ''}"
        self.status.value = (f"Graded {count}. <a download=\"grades_{esc(self.exercise.value)}.csv\" "
                             f"href=\"data:text/csv;base64,{data}\">Download the grades (CSV)</a>; a copy is saved in "
                             f"<code>{esc(os.path.relpath(out, teacher_folder()))}</code>. Fill in the written "
                             "questions' columns with the rubric.")
        table = self.grades.astype(object).fillna("").to_html(index=False, classes="vd-table", border=0)
        self.table.value = CSS + f'<div style="overflow-x:auto; max-width:100%">{table}</div>'


def grading_panel(folder: Path | str | None = None) -> GradingPanel:
    """The dashboard's panel for grading exercise notebooks."""
    return GradingPanel(folder)
