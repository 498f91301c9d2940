"""The quiz widget: questions of every type, with the course's scoring policy.

A question's score is its first answer. A wrong first answer shows the
question's hint and allows one more try; the answer, explanation and citation
come after that try (at once for true/false). Later tries are practice: they are
saved as such and never change the score. Every control is a standard
ipywidgets control, so it works from the keyboard.
"""
from __future__ import annotations

import json
import time

import ipywidgets as widgets

from .progress import ProgressStore, ProgressUnavailable, announce_change, on_binder
from .quizbank import AnswerTypeError, Bank, Question, load_bank, mark
from .scoring import question_results
from .style import CSS, cite_html, esc, quote_html

_LAYOUTS: dict[tuple, widgets.Layout] = {}
_STYLES: dict[type, widgets.Widget] = {}


def shared_layout(**spec) -> widgets.Layout:
    """The one Layout of this spec that the quiz's widgets share."""
    key = tuple(sorted(spec.items()))
    if key not in _LAYOUTS:
        _LAYOUTS[key] = widgets.Layout(**spec)
    return _LAYOUTS[key]


def lean(cls, *args, layout: dict | None = None, **kwargs):
    """A widget that shares its Layout (one per spec) and its style (one per kind) with the quiz's other widgets.

    Each widget would otherwise bring two more widget models for the browser to create; a quiz of 28 questions
    had about 660. The quiz never changes a widget's layout or style after creating it, so sharing is safe.
    """
    style = cls.class_traits().get("style")
    if style is not None and "style" not in kwargs:
        kwargs["style"] = _STYLES.setdefault(style.klass, style.klass())
    return cls(*args, layout=shared_layout(**(layout or {})), **kwargs)


PLACEHOLDER = "— choose —"
POLICY = ("Your first answer to each question is the one that counts. If it is wrong you get a hint and one more "
          "try; then the answer and its source are shown. Later tries are practice and do not change your score.")
# Shown by CSS only when the widgets lose their kernel (a restart, or a notebook reopened from disk).
BINDER_REMINDER = ('<p class="vd-binder-note" role="note"><b>On Binder, your answers vanish when the session ends.</b> '
                   "Before you leave, open the progress dashboard (notebook 00) and click <b>Export my progress</b>, "
                   "then download the file. Next time, import it there.</p>")
DISCONNECTED_NOTE = ('<div class="vd-offline-note" role="status">This quiz is no longer connected to Python (the kernel '
                     "restarted or the notebook was reopened). Run this cell again to reload it, after the notebook's first "
                     "cell (or use Run → Run All Cells); your answers are saved.</div>")


def kind_of_next_attempt(question: Question, earlier: list[bool]) -> str:
    """'first', 'retry' (the one more try after a wrong first answer) or 'practice', from the earlier results."""
    if not earlier:
        return "first"
    if len(earlier) == 1 and not earlier[0] and question.type != "true_false":
        return "retry"
    return "practice"


class QuestionView(widgets.VBox):
    """One question: its input control, a Check button and the feedback."""

    def __init__(self, question: Question, number: int, seed: int, quiz: Quiz):
        self.question = question
        self.quiz = quiz
        self.control = self._build_control(seed)
        self.check = lean(widgets.Button, description="Check", button_style="primary",
                                    tooltip=f"Check question {number}")
        self.check.add_class("vd-quiz-check")
        self.check.on_click(lambda _b: self.submit())
        self.feedback = lean(widgets.HTML)
        self.feedback.add_class("vd-quiz-feedback")
        self.history: list[bool] = []
        prompt = lean(widgets.HTML, f"<p><b>{number}.</b> {esc(question.prompt)}</p>")
        prompt.add_class("vd-quiz-prompt")
        super().__init__([prompt, self.control, self.check, self.feedback], layout=shared_layout())
        self.add_class("vd-quiz-question")
        self.add_class(f"vd-quiz-type-{question.type}")

    def _build_control(self, seed):
        q = self.question
        if q.type == "single":
            return lean(widgets.RadioButtons, options=q.choices(seed), value=None, layout={"width": "auto"})
        if q.type == "multiple":
            self.boxes = [lean(widgets.Checkbox, description=o, indent=False, layout={"width": "auto"})
                          for o in q.choices(seed)]
            return lean(widgets.VBox, self.boxes)
        if q.type == "true_false":
            return lean(widgets.ToggleButtons, options=[("True", True), ("False", False)], value=None)
        if q.type in ("numeric", "text"):
            hint = "a number" + (f" ({q.unit})" if q.unit else "") if q.type == "numeric" else "your answer"
            return lean(widgets.Text, placeholder=f"Type {hint}", continuous_update=False, layout={"width": "22em"})
        if q.type == "order":
            items = q.choices(seed)
            positions = [PLACEHOLDER] + [str(i) for i in range(1, len(items) + 1)]
            self.slots = {item: self._slot(item, positions) for item in items}
            return lean(widgets.VBox, [lean(widgets.HTML, "<i>Give each item its position (1 = earliest or first).</i>"),
                                 *self.slots.values()])
        targets = [PLACEHOLDER] + q.choices(seed)
        self.slots = {p["left"]: self._slot(p["left"], targets) for p in q.pairs}
        return lean(widgets.VBox, list(self.slots.values()))

    @staticmethod
    def _slot(label: str, options) -> widgets.HBox:
        """A dropdown with its full label beside it (a visible description would be clipped); the description, hidden
        by CSS, still names the dropdown for screen readers.
        """
        dropdown = lean(widgets.Dropdown, options=options, value=PLACEHOLDER, description=label,
                        layout={"width": "auto"})
        dropdown.add_class("vd-named-slot")
        row = lean(widgets.HBox, [lean(widgets.HTML, f"<span>{esc(label)}</span>", layout={"flex": "1 1 60%"}), dropdown],
                           layout={"align_items": "center", "width": "100%"})
        row.dropdown = dropdown
        return row

    def response(self):
        """The learner's current answer, in the form quizbank.mark() expects."""
        q = self.question
        if q.type == "multiple":
            return [b.description for b in self.boxes if b.value]
        if q.type == "order":
            chosen = {item: slot.dropdown.value for item, slot in self.slots.items()}
            if PLACEHOLDER in chosen.values() or len(set(chosen.values())) != len(chosen):
                return None
            return [item for item, _pos in sorted(chosen.items(), key=lambda kv: int(kv[1]))]
        if q.type == "match":
            return {left: (slot.dropdown.value if slot.dropdown.value != PLACEHOLDER else None)
                    for left, slot in self.slots.items()}
        return self.control.value

    def show_answer(self, response) -> None:
        """Put a saved answer back into the control."""
        q = self.question
        if q.type == "multiple":
            for box in self.boxes:
                box.value = isinstance(response, list) and box.description in response
        elif q.type == "order" and isinstance(response, list):
            for position, item in enumerate(response, start=1):
                if item in self.slots:
                    self.slots[item].dropdown.value = str(position)
        elif q.type == "match" and isinstance(response, dict):
            for left, slot in self.slots.items():
                if response.get(left) in slot.dropdown.options:
                    slot.dropdown.value = response[left]
        elif q.type in ("numeric", "text"):
            self.control.value = str(response) if isinstance(response, str | int | float) else ""
        elif q.type in ("single", "true_false") and response in [v for _l, v in _pairs(self.control.options)]:
            self.control.value = response

    def reset(self) -> None:
        """Clear the control and the feedback (for practice)."""
        self.show_answer([] if self.question.type == "multiple" else None)
        if self.question.type in ("single", "true_false"):
            self.control.value = None
        if self.question.type in ("order", "match"):
            for slot in self.slots.values():
                slot.dropdown.value = PLACEHOLDER
        self.feedback.value = ""

    def submit(self):
        """Mark the current answer, save it with its kind, and show the feedback the policy allows."""
        q = self.question
        try:
            result = mark(q, self.response())
        except AnswerTypeError as problem:
            self.feedback.value = f'<p class="vd-wrong" role="status">⚠ {esc(problem)}</p>'
            return None
        earlier = self.quiz.earlier_results(q.id, self.history)
        kind = kind_of_next_attempt(q, earlier)
        self.history = [*earlier, result.correct]
        saved = self.quiz.save(q, result.correct, self.response(), kind)
        self.feedback.value = feedback_html(q, result, kind, saved)
        return result


def _pairs(options):
    return [o if isinstance(o, tuple) else (o, o) for o in options]


def feedback_html(q: Question, result, kind: str, saved: str | None) -> str:
    """The feedback box for one attempt; `saved` is None when saved, else the reason it was not."""
    reveal = result.correct or kind != "first" or q.type == "true_false"
    if result.correct:
        verdict = '<span class="vd-right">✔ Right</span>' + (" this time." if kind == "retry" else ".")
    else:
        verdict = f'<span class="vd-wrong">✘ {esc(result.message)}</span>'
    parts = [f"<p>{verdict}</p>"]
    if kind == "practice":
        parts.append("<p><i>Practice: this try does not change your score.</i></p>")
    if not reveal:
        parts.append(f'<p class="vd-hint"><b>Hint:</b> {esc(q.hint)}</p><p>You have one more try. '
                     "Your first answer is the one that counts; this try is for learning.</p>")
    else:
        if not result.correct:
            parts.append(f"<p><b>The answer:</b> {esc(result.answer)}.</p>")
        parts.append(f"<p>{esc(q.explanation)}</p>{quote_html(q.quote)}{cite_html(q.cites)}")
    if saved:
        parts.append(f'<p class="vd-wrong" role="alert">⚠ Marked, but not saved: {esc(saved)}.</p>')
    return CSS + f'<div class="vd-card" role="status">{"".join(parts)}</div>'


class Quiz(widgets.VBox):
    """A topic's quiz; scores come from the progress store by the course's one rule."""

    def __init__(self, bank: Bank, store: ProgressStore | None = None, seed: int = 0):
        self.bank = bank
        self.store = store or ProgressStore()
        self.last_feedback_ms: float | None = None
        self.views = [QuestionView(q, i, seed, self) for i, q in enumerate(bank.questions, start=1)]
        self.score = widgets.HTML()
        self.score.add_class("vd-quiz-score")
        self.redo = widgets.Button(description="Redo the ones I missed", layout={"width": "auto"},
                                   tooltip="Practise the questions whose first answer was wrong")
        self.redo.add_class("vd-quiz-redo")
        self.show_all = widgets.Button(description="Show all questions", layout={"width": "auto"})
        self.show_all.add_class("vd-quiz-all")
        self.redo.on_click(lambda _b: self.filter_missed())
        self.show_all.on_click(lambda _b: self.filter_all())
        self.body = widgets.VBox(self.views)
        header = widgets.HTML(CSS + f"<h3>Quiz: {esc(bank.title)}</h3><p>{len(self.views)} questions. {POLICY}</p>"
                              + (BINDER_REMINDER if on_binder() else "") + DISCONNECTED_NOTE)
        self.notice = widgets.HTML()
        self.notice.add_class("vd-quiz-notice")
        super().__init__([header, self.notice, widgets.HBox([self.score, self.redo, self.show_all],
                                                            layout={"flex_flow": "row wrap"}), self.body])
        self.add_class("vd-quiz")
        self._notify_store_state()
        self._restore()
        self.update_score()

    def _notify_store_state(self):
        notes = []
        if self.store.moved_aside:
            notes.append(f"Your progress file was damaged and was moved to {esc(self.store.moved_aside)}; "
                         "a new one was started.")
        if self.store.fallback_reason:
            notes.append(f"Your progress cannot be saved in your home folder ({esc(self.store.fallback_reason)}). "
                         "It is kept for this session only: export it from the progress dashboard before you leave.")
        if self.store.problem:
            notes.append(f"Your saved answers cannot be read just now: {esc(self.store.problem)}.")
        self.notice.value = "".join(f'<p class="vd-wrong" role="alert">{n}</p>' for n in notes)

    def _attempts(self):
        try:
            return self.store.attempts()
        except ProgressUnavailable as exc:
            self.notice.value = f'<p class="vd-wrong" role="alert">Your saved answers cannot be read: {esc(exc)}.</p>'
            return None

    def _restore(self):
        """Show each answered question's last answer, and where it stands under the policy."""
        attempts = self._attempts()
        if attempts is None or attempts.empty:
            return
        for view in self.views:
            mine = attempts[attempts["question"] == view.question.id]
            if mine.empty:
                continue
            view.history = [bool(c) for c in mine["correct"]]
            last = mine.iloc[-1]
            view.show_answer(json.loads(last["answer"]))
            first_right = view.history[0]
            state = "right" if first_right else "wrong"
            kind = str(last["kind"])  # as recorded: a true/false question's second try is practice, not a retry
            result = mark(view.question, view.response()) if view.response() not in (None, [], "") else None
            view.feedback.value = (f'<p class="vd-quiz-restored">Answered before: your first answer was {state}.</p>'
                                   + (feedback_html(view.question, result, kind, None) if result else ""))

    def earlier_results(self, question_id: str, fallback: list[bool]) -> list[bool]:
        """Results of earlier attempts at a question, from the store (other tabs included)."""
        try:
            return [bool(c) for c in self.store.attempts(question=question_id)["correct"]]
        except ProgressUnavailable:
            return list(fallback)

    def save(self, question: Question, correct: bool, response, kind: str) -> str | None:
        """Record an attempt and refresh the score; returns None, or the reason it could not be saved."""
        start = time.perf_counter()
        try:
            self.store.record(self.bank.topic, question.id, correct, response, kind=kind)
            problem = None
        except ProgressUnavailable as exc:
            problem = str(exc)
        self._notify_store_state()
        self.update_score()
        self.last_feedback_ms = (time.perf_counter() - start) * 1000
        if problem is None:
            announce_change()
        return problem

    def results(self) -> dict[str, bool]:
        """{question id: first answer right} for this bank, by the course's rule."""
        attempts = self._attempts()
        if attempts is None:
            return {v.question.id: v.history[0] for v in self.views if v.history}
        return question_results(attempts, [q.id for q in self.bank.questions])

    def update_score(self):
        """Recompute the score from the store."""
        results = self.results()
        self.score.value = (f'<p role="status"><b>Score: {sum(results.values())} / {len(self.views)}</b> '
                            f"({len(results)} answered; first answers count)</p>")

    def missed(self) -> list[QuestionView]:
        """Questions whose first answer was wrong."""
        results = self.results()
        return [v for v in self.views if results.get(v.question.id) is False]

    def filter_missed(self):
        """Practise only the questions whose first answer was wrong, with cleared answers."""
        missed = self.missed()
        for view in missed:
            view.reset()
        note = widgets.HTML("<p><i>Practice: these tries do not change your score.</i></p>" if missed else
                            "<p>Nothing to redo: no first answer was wrong.</p>")
        self.body.children = [note, *missed]

    def filter_all(self):
        """Show every question again."""
        self.body.children = self.views


def quiz(topic: str, seed: int = 0, store: ProgressStore | None = None) -> Quiz:
    """Build the quiz of a topic from its bank in data/quizzes/."""
    return Quiz(load_bank(topic), store=store, seed=seed)
