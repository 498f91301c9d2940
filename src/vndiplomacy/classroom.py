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
from .progress import ImportRefused, read_export
from .quizbank import bank_topics, load_bank
from .style import CSS, PALETTE, esc, text_alternative
from .views import ChartPanel


@dataclass
class ClassRecords:
    """Attempts of every valid file, and the files that were skipped with their reason."""

    attempts: pd.DataFrame
    learners: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_class_folder(folder: Path | str) -> ClassRecords:
    """Read every export in a folder; the learner is named by the file name.

    Files that are not exports of this course are skipped with the reason, and so are exports whose
    attempts all stand in another file (a second copy, or an earlier export of the same learner).
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
    uids = {name: {a["uid"] for a in payload["attempts"]} for name, payload in exports.items()}
    kept = []
    for name in exports:
        fuller = next((other for other in exports if other != name and uids[name] and uids[name] <= uids[other]
                       and (uids[name] < uids[other] or other < name)), None)
        if fuller is None:
            kept.append(name)
        elif uids[name] == uids[fuller]:
            skipped.append((name, f"duplicate of {fuller} (the same attempts)"))
        else:
            skipped.append((name, f"an earlier export of {fuller} (all its attempts are in that file)"))
    frames = [pd.DataFrame(exports[name]["attempts"], columns=["uid", "topic", "question", "correct", "answer", "at"])
              .assign(learner=Path(name).stem) for name in kept]
    attempts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["uid", "topic", "question", "correct", "answer", "at", "learner"])
    attempts["correct"] = attempts["correct"].astype(bool)
    return ClassRecords(attempts, [Path(n).stem for n in kept], sorted(skipped))


def scores(records: ClassRecords) -> pd.DataFrame:
    """Per learner and topic: questions whose latest attempt is right, as a percentage of the bank."""
    if records.attempts.empty:
        return pd.DataFrame(columns=["learner", "topic", "correct", "total", "percent"])
    sizes = {topic: len(load_bank(topic).questions) for topic in bank_topics()}
    latest = records.attempts.sort_values("at").groupby(["learner", "topic", "question"]).last().reset_index()
    right = latest[latest["correct"]].groupby(["learner", "topic"]).size()
    rows = [{"learner": learner, "topic": topic, "correct": int(right.get((learner, topic), 0)), "total": total,
             "percent": round(100 * right.get((learner, topic), 0) / total)}
            for learner in records.learners for topic, total in sizes.items()]
    return pd.DataFrame(rows, columns=["learner", "topic", "correct", "total", "percent"])


def difficulty(records: ClassRecords) -> pd.DataFrame:
    """Per question: how many learners tried it and the share whose first attempt was right."""
    if records.attempts.empty:
        return pd.DataFrame(columns=["topic", "question", "learners", "first_try_right"])
    first = records.attempts.sort_values("at").groupby(["learner", "topic", "question"]).first().reset_index()
    table = first.groupby(["topic", "question"]).agg(learners=("learner", "nunique"),
                                                     first_try_right=("correct", "mean")).reset_index()
    table["first_try_right"] = (100 * table["first_try_right"]).round().astype(int)
    return table.sort_values(["first_try_right", "topic", "question"]).reset_index(drop=True)


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
        by_topic = self.scores.groupby("topic", as_index=False)["percent"].mean().round(0)
        fig = px.box(self.scores, x="topic", y="percent", points="all", hover_name="learner",
                     color_discrete_sequence=PALETTE, title="Scores per topic (each point is a learner)")
        fig.update_layout(**LAYOUT, height=380, yaxis_title="% of the topic's questions right", xaxis_title="")
        summary = "Mean score per topic: " + ", ".join(f"{r.topic}: {r.percent:.0f}%" for r in by_topic.itertuples())
        self.score_chart.show(fig, text_alternative(summary, self.scores, {"learner": "Learner", "topic": "Topic",
                                                                           "correct": "Right", "total": "Questions"}))
        hardest = self.difficulty.head(15)
        fig = px.bar(hardest, x="first_try_right", y="question", color="topic", orientation="h",
                     color_discrete_sequence=PALETTE, range_x=[0, 100],
                     title="The hardest questions: share of learners right at the first try")
        fig.update_layout(**LAYOUT, height=460, xaxis_title="% right at the first try", yaxis_title="")
        text = ", ".join(f"{r.question} {r.first_try_right}%" for r in hardest.head(5).itertuples())
        self.difficulty_chart.show(fig, text_alternative(f"Hardest five: {text}.", self.difficulty,
                                                         {"topic": "Topic", "question": "Question",
                                                          "learners": "Learners", "first_try_right": "% first try"}))


def class_dashboard(folder: Path | str) -> ClassDashboard:
    """The class dashboard for a folder of learners' my_progress.json files (renamed per learner)."""
    return ClassDashboard(folder)


