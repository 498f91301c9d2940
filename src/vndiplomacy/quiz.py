"""The quiz widget: questions of every type, immediate feedback with citations,
retry, a score, and 'redo the ones I missed'. Every control is a standard
ipywidgets control, so it works from the keyboard.
"""
from __future__ import annotations

import time

import ipywidgets as widgets

from .data import citation
from .progress import ProgressStore
from .quizbank import AnswerTypeError, Bank, Question, load_bank, mark
from .style import CSS, esc, quote_html

PLACEHOLDER = "— choose —"


class QuestionView(widgets.VBox):
    """One question: its input control, a Check button and the feedback."""

    def __init__(self, question: Question, number: int, seed: int, on_answer):
        self.question = question
        self.on_answer = on_answer
        self.control = self._build_control(seed)
        self.check = widgets.Button(description="Check", button_style="primary",
                                    tooltip=f"Check question {number}")
        self.check.add_class("vd-quiz-check")
        self.check.on_click(lambda _b: self.submit())
        self.feedback = widgets.HTML()
        self.feedback.add_class("vd-quiz-feedback")
        self.result: bool | None = None
        prompt = widgets.HTML(f"<p><b>{number}.</b> {esc(question.prompt)}</p>")
        prompt.add_class("vd-quiz-prompt")
        super().__init__([prompt, self.control, self.check, self.feedback])
        self.add_class("vd-quiz-question")
        self.add_class(f"vd-quiz-type-{question.type}")

    def _build_control(self, seed):
        q = self.question
        if q.type == "single":
            return widgets.RadioButtons(options=q.choices(seed), value=None, layout={"width": "auto"})
        if q.type == "multiple":
            self.boxes = [widgets.Checkbox(description=o, indent=False, layout={"width": "auto"})
                          for o in q.choices(seed)]
            return widgets.VBox(self.boxes)
        if q.type == "true_false":
            return widgets.ToggleButtons(options=[("True", True), ("False", False)], value=None)
        if q.type in ("numeric", "text"):
            hint = "a number" + (f" ({q.unit})" if q.unit else "") if q.type == "numeric" else "your answer"
            return widgets.Text(placeholder=f"Type {hint}", continuous_update=False)
        if q.type == "order":
            items = q.choices(seed)
            positions = [PLACEHOLDER] + [str(i) for i in range(1, len(items) + 1)]
            self.slots = {item: widgets.Dropdown(options=positions, value=PLACEHOLDER, description=item,
                                                 style={"description_width": "60%"}, layout={"width": "95%"})
                          for item in items}
            return widgets.VBox([widgets.HTML("<i>Give each item its position (1 = earliest or first).</i>"),
                                 *self.slots.values()])
        targets = [PLACEHOLDER] + q.choices(seed)
        self.slots = {p["left"]: widgets.Dropdown(options=targets, value=PLACEHOLDER, description=p["left"],
                                                  style={"description_width": "40%"}, layout={"width": "95%"})
                      for p in q.pairs}
        return widgets.VBox(list(self.slots.values()))

    def response(self):
        """The learner's current answer, in the form quizbank.mark() expects."""
        q = self.question
        if q.type == "multiple":
            return [b.description for b in self.boxes if b.value]
        if q.type == "order":
            chosen = {item: slot.value for item, slot in self.slots.items()}
            if PLACEHOLDER in chosen.values() or len(set(chosen.values())) != len(chosen):
                return None
            return [item for item, _pos in sorted(chosen.items(), key=lambda kv: int(kv[1]))]
        if q.type == "match":
            return {left: (slot.value if slot.value != PLACEHOLDER else None) for left, slot in self.slots.items()}
        return self.control.value

    def submit(self):
        """Mark the current answer, show the feedback and report it to the quiz."""
        q = self.question
        try:
            result = mark(q, self.response())
        except AnswerTypeError as problem:
            self.feedback.value = f'<p class="vd-wrong" role="status">⚠ {esc(problem)}</p>'
            return None
        self.result = result.correct
        verdict = ('<span class="vd-right">✔ Right</span>' if result.correct
                   else '<span class="vd-wrong">✘ Not yet</span> — change your answer and check again.')
        self.feedback.value = CSS + (
            f'<div class="vd-card" role="status"><p>{verdict}</p><p>{esc(result.message)}</p>'
            f"<p>{esc(q.explanation)}</p>{quote_html(q.quote)}"
            f'<div class="vd-cite">Source: <code>{esc(q.source)}</code>, {esc(citation(q.source, q.locator))}</div></div>')
        self.on_answer(self, result.correct)
        return result


class Quiz(widgets.VBox):
    """A topic's quiz, recording each attempt in the progress store."""

    def __init__(self, bank: Bank, store: ProgressStore | None = None, seed: int = 0):
        self.bank = bank
        self.store = store or ProgressStore()
        self.last_feedback_ms: float | None = None
        self.views = [QuestionView(q, i, seed, self._answered) for i, q in enumerate(bank.questions, start=1)]
        for view, done in zip(self.views, (self.store.latest(bank.topic).get(q.id) for q in bank.questions), strict=True):
            view.result = done
        self.score = widgets.HTML()
        self.score.add_class("vd-quiz-score")
        self.redo = widgets.Button(description="Redo the ones I missed", tooltip="Show only unanswered or wrong questions")
        self.redo.add_class("vd-quiz-redo")
        self.show_all = widgets.Button(description="Show all questions")
        self.show_all.add_class("vd-quiz-all")
        self.redo.on_click(lambda _b: self.filter_missed())
        self.show_all.on_click(lambda _b: self.filter_all())
        self.body = widgets.VBox(self.views)
        header = widgets.HTML(f"<h3>Quiz: {esc(bank.title)}</h3><p>{len(self.views)} questions. Your answers are "
                              f"saved as you check them; you can try again as often as you like.</p>")
        notice = widgets.HTML()
        if self.store.moved_aside:
            notice.value = (f'<p class="vd-wrong" role="alert">Your progress file could not be read and was moved to '
                            f"{esc(self.store.moved_aside)}; a new one was started.</p>")
        super().__init__([header, notice, widgets.HBox([self.score, self.redo, self.show_all]), self.body])
        self.add_class("vd-quiz")
        self._update_score()

    def _answered(self, view: QuestionView, correct: bool):
        start = time.perf_counter()
        self.store.record(self.bank.topic, view.question.id, correct, view.response())
        self._update_score()
        self.last_feedback_ms = (time.perf_counter() - start) * 1000

    def _update_score(self):
        right = sum(v.result is True for v in self.views)
        tried = sum(v.result is not None for v in self.views)
        self.score.value = (f'<p role="status"><b>Score: {right} / {len(self.views)}</b> '
                            f"({tried} answered)</p>")

    def missed(self) -> list[QuestionView]:
        """Questions not yet answered right."""
        return [v for v in self.views if v.result is not True]

    def filter_missed(self):
        """Show only the questions not yet answered right."""
        self.body.children = self.missed() or [widgets.HTML("<p>Nothing left to redo: every answer is right.</p>")]

    def filter_all(self):
        """Show every question again."""
        self.body.children = self.views


def quiz(topic: str, seed: int = 0, store: ProgressStore | None = None) -> Quiz:
    """Build the quiz of a topic from its bank in data/quizzes/."""
    return Quiz(load_bank(topic), store=store, seed=seed)
