"""The quiz widget: answer each type right and wrong, score, retry, redo missed, progress stored."""
import pytest
from test_quizbank import BANK

from vndiplomacy.progress import ProgressStore
from vndiplomacy.quiz import PLACEHOLDER, Quiz
from vndiplomacy.quizbank import load_bank


@pytest.fixture
def quiz(tmp_path):
    path = tmp_path / "99_test.yaml"
    path.write_text(BANK, encoding="utf-8")
    return Quiz(load_bank(path), store=ProgressStore(tmp_path / "p.sqlite"), seed=1)


def answer(view, value):
    q = view.question
    if q.type == "multiple":
        for box in view.boxes:
            box.value = box.description in value
    elif q.type in ("order", "match"):
        for key, slot in view.slots.items():
            slot.value = str(value.index(key) + 1) if q.type == "order" else value[key]
    else:
        view.control.value = value
    view.check.click()


RIGHT = {"t-01": "B", "t-02": ["A", "C"], "t-03": False, "t-04": "1100", "t-05": ["first", "second", "third"],
         "t-06": {"a": "1", "b": "2"}, "t-07": "doi moi"}
WRONG = {"t-01": "C", "t-02": ["B"], "t-03": True, "t-04": "5", "t-05": ["third", "second", "first"],
         "t-06": {"a": "2", "b": "1"}, "t-07": "reform"}


def test_every_type_right_and_wrong_with_feedback_and_citation(quiz):
    for view in quiz.views:
        answer(view, WRONG[view.question.id])
        assert "Not yet" in view.feedback.value and "dd-early-afar" in view.feedback.value
        answer(view, RIGHT[view.question.id])
        assert "Right" in view.feedback.value
    assert "Score: 7 / 7" in quiz.score.value
    attempts = quiz.store.attempts("99_test")
    assert len(attempts) == 14 and attempts["correct"].sum() == 7


def test_redo_shows_only_missed_questions(quiz):
    answer(quiz.views[0], RIGHT["t-01"])
    answer(quiz.views[1], WRONG["t-02"])
    quiz.redo.click()
    shown = [v.question.id for v in quiz.body.children]
    assert "t-01" not in shown and "t-02" in shown and len(shown) == 6
    quiz.show_all.click()
    assert len(quiz.body.children) == 7


def test_wrong_answer_type_gets_a_hint_and_is_not_recorded(quiz):
    numeric = quiz.views[3]
    answer(numeric, "eleven hundred")
    assert "is not a number" in numeric.feedback.value
    order = quiz.views[4]
    order.check.click()
    assert "position" in order.feedback.value
    assert quiz.store.attempts().empty


def test_order_with_a_repeated_position_is_refused(quiz):
    view = quiz.views[4]
    for slot in view.slots.values():
        slot.value = "1"
    view.check.click()
    assert "exactly one position" in view.feedback.value
    assert all(slot.value != PLACEHOLDER for slot in view.slots.values())


def test_score_survives_a_new_quiz_on_the_same_store(quiz):
    answer(quiz.views[0], RIGHT["t-01"])
    again = Quiz(quiz.bank, store=quiz.store, seed=1)
    assert "Score: 1 / 7" in again.score.value


def test_prompt_html_is_escaped(quiz):
    prompt = quiz.views[0].children[0].value
    assert "<b>B</b>" not in prompt and "&lt;b&gt;B&lt;/b&gt;" in prompt


def test_options_shuffled_with_seed(tmp_path, quiz):
    other = Quiz(quiz.bank, store=quiz.store, seed=1)
    assert quiz.views[0].control.options == other.views[0].control.options
