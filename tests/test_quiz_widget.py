"""The quiz widget and its policy: first answers score, a hint and one more try, then the answer;
later tries are practice; saved answers come back; two tabs agree; a failed save is shown."""
import re
import time

import pytest
from test_progress import locked_by_another_process
from test_quizbank import BANK

from vndiplomacy import progress
from vndiplomacy.progress import ProgressStore, ProgressUnavailable
from vndiplomacy.quiz import PLACEHOLDER, Quiz
from vndiplomacy.quiz import quiz as build_quiz
from vndiplomacy.quizbank import load_bank


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "99_test.yaml"
    path.write_text(BANK, encoding="utf-8")
    return load_bank(path)


@pytest.fixture
def quiz(tmp_path, bank):
    return Quiz(bank, store=ProgressStore(tmp_path / "p.sqlite"), seed=1)


def answer(view, value):
    q = view.question
    if q.type == "multiple":
        for box in view.boxes:
            box.value = box.description in value
    elif q.type in ("order", "match"):
        for key, slot in view.slots.items():
            slot.dropdown.value = str(value.index(key) + 1) if q.type == "order" else value[key]
    else:
        view.control.value = value
    view.check.click()


RIGHT = {"t-01": "B", "t-02": ["A", "C"], "t-03": False, "t-04": "1100", "t-05": ["first", "second", "third"],
         "t-06": {"a": "1", "b": "2"}, "t-07": "doi moi"}
WRONG = {"t-01": "C", "t-02": ["B"], "t-03": True, "t-04": "5", "t-05": ["third", "second", "first"],
         "t-06": {"a": "2", "b": "1"}, "t-07": "reform"}
ANSWER_TEXT = {"t-01": "B", "t-02": "A; C", "t-03": "False", "t-04": "1,100", "t-05": "first → second → third",
               "t-06": "a → 1", "t-07": "Đổi mới"}


def test_a_right_first_answer_scores_and_shows_explanation_and_citation(quiz):
    for view in quiz.views:
        answer(view, RIGHT[view.question.id])
        assert "Right" in view.feedback.value and "explain-" in view.feedback.value
        assert "Source:" in view.feedback.value
    assert "Score: 7 / 7" in quiz.score.value


def test_a_wrong_first_answer_shows_the_hint_not_the_answer_then_one_more_try_reveals_it(quiz):
    for view in quiz.views:
        if view.question.type == "true_false":
            continue
        answer(view, WRONG[view.question.id])
        shown = view.feedback.value
        assert "Hint:" in shown and view.question.hint in shown
        assert "explain-" not in shown and "The answer:" not in shown and "Source:" not in shown
        answer(view, RIGHT[view.question.id])
        assert "Right" in view.feedback.value and "explain-" in view.feedback.value
    assert "Score: 0 / 7" in quiz.score.value, "the retry must not change the score"
    kinds = quiz.store.attempts().groupby("question")["kind"].apply(list)
    assert all(k == ["first", "retry"] for k in kinds)


def test_a_wrong_second_try_reveals_the_answer(quiz):
    for view in quiz.views:
        answer(view, WRONG[view.question.id])
        if view.question.type != "true_false":
            answer(view, WRONG[view.question.id])
        assert "The answer:" in view.feedback.value and ANSWER_TEXT[view.question.id] in view.feedback.value
        assert "explain-" in view.feedback.value


def test_true_false_reveals_at_once(quiz):
    view = next(v for v in quiz.views if v.question.type == "true_false")
    answer(view, True)
    assert "Hint:" not in view.feedback.value and "The answer:" in view.feedback.value


def test_later_tries_are_practice_and_never_change_the_score(quiz):
    view = quiz.views[0]
    answer(view, WRONG["t-01"])
    answer(view, WRONG["t-01"])
    answer(view, RIGHT["t-01"])
    assert "Practice" in view.feedback.value
    assert list(quiz.store.attempts()["kind"]) == ["first", "retry", "practice"]
    assert "Score: 0 / 7" in quiz.score.value


def test_redo_the_missed_ones_is_practice(quiz):
    answer(quiz.views[0], RIGHT["t-01"])
    answer(quiz.views[1], WRONG["t-02"])
    quiz.redo.click()
    shown = [v.question.id for v in quiz.body.children if hasattr(v, "question")]
    assert shown == ["t-02"]
    assert quiz.views[1].boxes[0].value is False and quiz.views[1].feedback.value == ""
    answer(quiz.views[1], RIGHT["t-02"])
    answer(quiz.views[1], RIGHT["t-02"])
    assert "Score: 1 / 7" in quiz.score.value
    quiz.show_all.click()
    assert len(quiz.body.children) == 7


def shows_an_empty_answer(view):
    """Whether a question's control shows no answer: nothing picked or ticked, every dropdown at its placeholder."""
    q = view.question
    if q.type == "multiple":
        return not any(box.value for box in view.boxes)
    if q.type in ("order", "match"):
        return all(slot.dropdown.value == PLACEHOLDER for slot in view.slots.values())
    return view.control.value == ("" if q.type in ("text", "numeric") else None)


def test_redo_clears_every_question_type_also_after_a_restart(quiz):
    for view in quiz.views:
        answer(view, WRONG[view.question.id])
    restored = Quiz(quiz.bank, store=quiz.store, seed=1)
    for each in (quiz, restored):
        each.redo.click()
        for view in each.views:
            assert shows_an_empty_answer(view), f"{view.question.id}: the redo still shows an answer"
            assert view.feedback.value == ""


def visible_text(html):
    return re.sub(r"<[^>]+>", "", html)


def test_redo_says_the_tries_are_practice_or_that_there_is_nothing_to_redo(quiz):
    quiz.redo.click()
    assert visible_text(quiz.body.children[0].value) == "Nothing to redo: no first answer was wrong."
    answer(quiz.views[0], WRONG["t-01"])
    quiz.redo.click()
    assert visible_text(quiz.body.children[0].value) == "Practice: these tries do not change your score."


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
        slot.dropdown.value = "1"
    view.check.click()
    assert "exactly one position" in view.feedback.value
    assert all(slot.dropdown.value != PLACEHOLDER for slot in view.slots.values())


def test_after_a_restart_answered_questions_show_their_last_answer(quiz):
    for view in quiz.views:
        answer(view, RIGHT[view.question.id])
    again = Quiz(quiz.bank, store=quiz.store, seed=1)
    assert "Score: 7 / 7" in again.score.value and "7 answered" in again.score.value
    for view in again.views:
        assert view.response() == pytest.approx(RIGHT[view.question.id]) if view.question.type != "multiple" \
            else sorted(view.response()) == RIGHT["t-02"]
        assert "Answered before" in view.feedback.value


def test_two_tabs_on_one_quiz_agree_on_the_score(quiz):
    other_tab = Quiz(quiz.bank, store=quiz.store, seed=1)
    answer(quiz.views[0], WRONG["t-01"])
    answer(other_tab.views[0], RIGHT["t-01"])
    assert "Hint" not in other_tab.views[0].feedback.value, "the other tab's try is the retry, not a first answer"
    quiz.update_score()
    assert "Score: 0 / 7" in quiz.score.value and "Score: 0 / 7" in other_tab.score.value
    assert list(quiz.store.attempts()["kind"]) == ["first", "retry"]


def test_a_failed_save_is_shown_to_the_learner(quiz, monkeypatch):
    def locked(*_args, **_kwargs):
        raise ProgressUnavailable("another program is holding your progress file (it is locked)")

    monkeypatch.setattr(quiz.store, "record", locked)
    answer(quiz.views[0], RIGHT["t-01"])
    assert "Right" in quiz.views[0].feedback.value and "Marked, but not saved" in quiz.views[0].feedback.value


@pytest.mark.usefixtures("short_lock_wait")
def test_a_save_blocked_by_a_real_lock_is_shown_and_the_next_answer_is_saved(quiz):
    quiz.store.attempts()  # the file exists before another process locks it
    with locked_by_another_process(quiz.store.path):
        answer(quiz.views[0], RIGHT["t-01"])
        assert "Right" in quiz.views[0].feedback.value and "Marked, but not saved" in quiz.views[0].feedback.value
        assert "locked" in quiz.views[0].feedback.value
    time.sleep(progress.FAIL_FAST_S)
    answer(quiz.views[1], RIGHT["t-02"])
    assert "not saved" not in quiz.views[1].feedback.value
    assert list(quiz.store.attempts()["question"]) == ["t-02"]


def test_damage_found_mid_session_is_shown_in_the_quiz(quiz):
    answer(quiz.views[0], RIGHT["t-01"])
    quiz.store.path.write_bytes(b"overwritten" * 200)
    with pytest.warns(UserWarning):
        answer(quiz.views[1], RIGHT["t-02"])
    assert "was damaged and was moved to" in quiz.notice.value
    assert "not saved" not in quiz.views[1].feedback.value


def test_the_quiz_states_the_policy_and_a_note_for_a_lost_kernel(quiz):
    header = quiz.children[0].value
    assert "first answer" in header and "vd-offline-note" in header


def test_prompt_html_is_escaped(quiz):
    prompt = quiz.views[0].children[0].value
    assert "<b>B</b>" not in prompt and "&lt;b&gt;B&lt;/b&gt;" in prompt


def shown_orders(view):
    """The order in which a question's widget shows its options, items or match targets."""
    q = view.question
    if q.type == "single":
        return tuple(view.control.options)
    if q.type == "multiple":
        return tuple(box.description for box in view.boxes)
    if q.type == "order":
        return tuple(view.slots)
    if q.type == "match":
        return tuple(o for o in view.slots[q.pairs[0]["left"]].dropdown.options if o != PLACEHOLDER)
    return None


def test_options_are_shuffled_by_seed_and_keep_every_option(quiz, bank):
    """Same seed, same order; every order a permutation of the options; other seeds, other orders."""
    full = {"t-01": ["A", "B", "C"], "t-02": ["A", "B", "C"], "t-05": ["first", "second", "third"], "t-06": ["1", "2"]}
    same = Quiz(bank, store=quiz.store, seed=1)
    by_seed = {s: Quiz(bank, store=quiz.store, seed=s) for s in range(8)}
    for i, view in enumerate(quiz.views):
        qid = view.question.id
        if qid not in full:
            continue
        assert shown_orders(view) == shown_orders(same.views[i]), f"{qid}: the same seed gives another order"
        assert shown_orders(view) == tuple(view.question.choices(1)), f"{qid}: the widget does not show the order"
        orders = {shown_orders(b.views[i]) for b in by_seed.values()}
        assert all(sorted(o) == full[qid] for o in orders), f"{qid}: an option is lost or repeated"
        if qid != "t-06":
            assert len(orders) > 1, f"{qid}: every seed gives the same order"


def test_on_binder_every_quiz_reminds_learners_to_export(bank, tmp_path, monkeypatch):
    monkeypatch.delenv("BINDER_LAUNCH_HOST", raising=False)
    monkeypatch.delenv("BINDER_REQUEST", raising=False)
    assert "vd-binder-note" not in Quiz(bank, store=ProgressStore(tmp_path / "a.sqlite")).children[0].value
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    header = Quiz(bank, store=ProgressStore(tmp_path / "b.sqlite")).children[0].value
    assert "vd-binder-note" in header and "Export my progress" in header


def test_a_quiz_shares_layouts_and_styles_so_the_browser_creates_few_widget_models():
    """Every widget model costs the browser time to create: the quiz's widgets share their layouts and styles."""
    from ipywidgets.widgets.widget import _instances

    before = len(_instances)
    built = build_quiz("05_synthesis")
    created = len(_instances) - before
    assert created <= 16 * len(built.views) + 20, f"{created} widget models for {len(built.views)} questions"
    checks = {id(v.check.layout) for v in built.views} | {id(v.check.style) for v in built.views}
    assert len(checks) == 2


def test_a_restored_question_names_the_kind_of_its_last_attempt(quiz):
    """A true/false question's second try is practice (it reveals the answer at once), not a retry: after a restart
    it must not say 'Right this time'."""
    view = next(v for v in quiz.views if v.question.type == "true_false")
    answer(view, WRONG[view.question.id])
    answer(view, RIGHT[view.question.id])
    assert "this try does not change your score" in view.feedback.value
    restored = next(v for v in Quiz(quiz.bank, store=quiz.store, seed=1).views if v.question.id == view.question.id)
    assert "Right this time" not in restored.feedback.value
    assert "this try does not change your score" in restored.feedback.value


def test_a_topics_quiz_shuffles_with_seed_0_unless_given_another_seed(bank, tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")

    def orders(built):
        return [shown_orders(view) for view in built.views]

    by_default = orders(build_quiz(bank.path, store=store))
    assert by_default == orders(Quiz(bank, store=store, seed=0))
    assert orders(build_quiz(bank.path, seed=3, store=store)) == orders(Quiz(bank, store=store, seed=3)) != by_default


@pytest.mark.parametrize("saved", [["A", "B"], {"a": "1"}, "zz", 7, None])
def test_a_saved_answer_that_does_not_fit_its_question_is_left_out(quiz, saved):
    """An answer of another shape (from a damaged or hand-edited file) leaves the control empty instead of failing."""
    for view in quiz.views:
        fits = {"multiple": isinstance(saved, list), "order": isinstance(saved, list), "match": isinstance(saved, dict),
                "text": isinstance(saved, str | int), "numeric": isinstance(saved, str | int)}.get(view.question.type, False)
        if fits:
            continue
        view.show_answer(saved)
        assert shows_an_empty_answer(view), f"{view.question.id} shows {saved!r}"
