"""The class dashboard: read a folder of learners' progress exports, skip the bad ones
with a reason, and show scores per topic and the difficulty of each question.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import plotly.express as px

from .charts import LAYOUT
from .progress import FIELDS, ImportRefused, read_export
from .quizbank import bank_label, bank_question_ids, bank_topics, load_bank
from .scoring import first_attempts, topic_scores
from .style import CSS, PALETTE, esc, text_alternative
from .views import ChartPanel


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


def read_class_folder(folder: Path | str) -> ClassRecords:
    """Read every export in a folder and group the files by learner.

    Files that are not exports of this course are skipped with the reason, and so are files that add nothing to
    their learner's other files (a second copy, or an earlier export). Older exports without a learner id are
    named by their file name and are only ever set aside as exact duplicates.
    """
    folder = Path(folder)
    exports, skipped = {}, []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() != ".json":
            skipped.append((path.name, "not a progress export (exports are .json files)"))
            continue
        try:
            exports[path.name] = read_export(path.read_bytes(), path.name)
        except ImportRefused as refused:
            skipped.append((path.name, str(refused).split(": ", 1)[-1]))
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


def class_dashboard(folder: Path | str) -> ClassDashboard:
    """The class dashboard for a folder of learners' my_progress.json files (renamed per learner)."""
    return ClassDashboard(folder)


