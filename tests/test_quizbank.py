"""Quiz banks: schema, counts and marking of every question type."""
import json
import textwrap

import pytest
import yaml
from course_paths import DATA

from vndiplomacy import quizbank
from vndiplomacy.manifest import learner_notebooks
from vndiplomacy.quizbank import (
    RELEASED,
    AnswerTypeError,
    QuizBankError,
    bank_topics,
    current_fingerprints,
    load_bank,
    mark,
    marking_fingerprint,
    parse_number,
    released_fingerprints,
)

TYPES = {"single", "multiple", "true_false", "numeric", "order", "match", "text"}
MINIMUM = 15  # questions per bank; a bank for a notebook that spans every topic needs more
SPANNING_MINIMUM = 20


def test_course_yml_lists_every_bank_and_nothing_else():
    on_disk = {p.stem for p in (DATA / "quizzes").glob("*.yaml")}
    assert bank_topics() and set(bank_topics()) == on_disk, "course.yml's quiz entries and data/quizzes/ differ"


@pytest.mark.parametrize("topic", bank_topics())
def test_bank_is_valid_large_enough_and_uses_every_type(topic):
    bank = load_bank(topic)
    entry = next(n for n in learner_notebooks() if n.quiz == topic)
    assert bank.topic == topic
    assert len(bank.questions) >= (MINIMUM if entry.topic else SPANNING_MINIMUM)
    assert {q.type for q in bank.questions} == TYPES


def test_ids_are_unique_across_banks():
    ids = [q.id for t in bank_topics() for q in load_bank(t).questions]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("topic", bank_topics())
def test_every_question_can_be_answered_right(topic):
    for q in load_bank(topic).questions:
        assert mark(q, correct_response(q)).correct, q.id


@pytest.mark.parametrize("topic", bank_topics())
def test_prompts_do_not_give_the_answer_away(topic):
    for q in load_bank(topic).questions:
        if q.type in ("single", "text"):
            answers = [q.answer] if q.type == "single" else q.answer
            for answer in answers:
                if len(answer) > 3:
                    assert answer.lower() not in q.prompt.lower(), f"{q.id}: prompt contains the answer {answer!r}"


def correct_response(q):
    return {"single": lambda: q.answer, "multiple": lambda: list(q.answer), "true_false": lambda: q.answer,
            "numeric": lambda: q.answer, "order": lambda: list(q.items), "text": lambda: q.answer[0],
            "match": lambda: {p["left"]: p["right"] for p in q.pairs}}[q.type]()


BANK = """
topic: 99_test
title: Test bank
questions:
  - {id: t-01, type: single, hint: "hint-1", prompt: "Pick <b>B</b>", options: [A, B, C], answer: B,
     explanation: explain-e, cites: "dd-early-afar:0.1"}
  - {id: t-02, type: multiple, hint: "hint-2", prompt: p, options: [A, B, C], answer: [A, C],
     explanation: explain-e, cites: "dd-early-afar:0.1"}
  - {id: t-03, type: true_false, hint: "hint-3", prompt: p, answer: false, explanation: explain-e,
     cites: "dd-early-afar:0.1"}
  - {id: t-04, type: numeric, hint: "hint-4", prompt: p, answer: 1100, tolerance: 10, explanation: explain-e,
     cites: "dd-early-afar:0.1"}
  - {id: t-05, type: order, hint: "hint-5", prompt: p, items: [first, second, third], explanation: explain-e,
     cites: "dd-early-afar:0.1"}
  - {id: t-06, type: match, hint: "hint-6", prompt: p, pairs: [{left: a, right: "1"}, {left: b, right: "2"}],
     explanation: explain-e, cites: "dd-early-afar:0.1"}
  - {id: t-07, type: text, hint: "hint-7", prompt: p, answer: ["Đổi mới", renewal], explanation: explain-e,
     cites: "dd-early-afar:0.1"}
"""


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "99_test.yaml"
    path.write_text(BANK, encoding="utf-8")
    return load_bank(path)


@pytest.mark.parametrize("qid, right, wrong", [
    ("t-01", "B", "A"),
    ("t-02", ["A", "C"], ["A"]),
    ("t-03", False, True),
    ("t-04", "1,105", 900),
    ("t-05", ["first", "second", "third"], ["second", "first", "third"]),
    ("t-06", {"a": "1", "b": "2"}, {"a": "2", "b": "1"}),
    ("t-07", "  DOI MOI ", "reform"),
])
def test_marking_right_and_wrong(bank, qid, right, wrong):
    q = bank.get(qid)
    assert mark(q, right).correct
    result = mark(q, wrong)
    assert not result.correct and result.message


@pytest.mark.parametrize("qid, bad", [("t-04", "eleven hundred"), ("t-04", True), ("t-04", ""), ("t-03", "yes"),
                                      ("t-02", "A"), ("t-05", ["first"]), ("t-06", {"a": "1"}), ("t-07", 42),
                                      ("t-01", None)])
def test_wrong_answer_types_get_a_hint(bank, qid, bad):
    with pytest.raises(AnswerTypeError) as err:
        mark(bank.get(qid), bad)
    assert str(err.value)


def unshuffled(q):
    return {"order": list(q.items), "match": [p["right"] for p in q.pairs]}.get(q.type, list(q.options or ()))


def test_shuffle_is_seeded(bank):
    """The same seed gives the same order, each order is a permutation of the options, and other seeds give other
    orders: for every question with options, items or match targets, in the test bank and in every topic's bank."""
    questions = [q for q in bank.questions if q.type in ("single", "multiple", "order", "match")]
    questions += [q for t in bank_topics() for q in load_bank(t).questions if q.type in ("single", "multiple", "order",
                                                                                          "match")]
    assert {q.type for q in questions} == {"single", "multiple", "order", "match"}
    for q in questions:
        for seed in (0, 3):
            assert q.choices(seed=seed) == q.choices(seed=seed), q.id
            assert sorted(q.choices(seed=seed)) == sorted(unshuffled(q)), f"{q.id}: not a permutation"
    for q in (bank.get("t-01"), bank.get("t-02"), bank.get("t-05")):
        assert len({tuple(q.choices(seed=s)) for s in range(12)}) > 1, f"{q.id}: every seed gives one order"
    shuffled = [q.id for q in questions if len({tuple(q.choices(seed=s)) for s in range(6)}) > 1]
    assert len(shuffled) == len([q for q in questions if len(set(unshuffled(q))) > 1]), "some questions never shuffle"


def broken(tmp_path, edit):
    path = tmp_path / "99_test.yaml"
    raw = yaml.safe_load(BANK)
    edit(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("edit, question, field", [
    (lambda r: r["questions"][0].pop("cites"), "t-01", "cites"),
    (lambda r: r["questions"][1].update(answer="A"), "t-02", "answer"),
    (lambda r: r["questions"][0].update(answer="Z"), "t-01", "answer"),
    (lambda r: r["questions"][3].update(answer="many"), "t-04", "answer"),
    (lambda r: r["questions"][4].pop("items"), "t-05", "items"),
    (lambda r: r["questions"][2].update(type="essay"), "t-03", "type"),
    (lambda r: r["questions"][6].update(id="t-01"), "t-01", "id"),
    (lambda r: r["questions"][0].update(cites="wikipedia"), "t-01", "cites"),
    (lambda r: r["questions"][0].update(cites="dd-early-afar:9.9"), "t-01", "cites"),
    (lambda r: r["questions"][5]["pairs"][1].update(left=5), "t-06", "pairs.1.left"),
    (lambda r: r.update(questions="none yet"), None, "questions"),
])
def test_malformed_bank_names_file_question_and_field(tmp_path, edit, question, field):
    path = broken(tmp_path, edit)
    with pytest.raises(QuizBankError) as err:
        load_bank(path)
    assert err.value.question == question and err.value.field == field, str(err.value)
    assert "99_test.yaml" in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "99_test.yaml"
    path.write_text(textwrap.dedent("""
        topic: 99_test
        questions: [unclosed
    """), encoding="utf-8")
    with pytest.raises(QuizBankError) as err:
        load_bank(path)
    assert "line" in str(err.value) and "99_test.yaml" in str(err.value)


def test_real_banks_live_in_data():
    assert (DATA / "quizzes" / "schema.json").exists()


def test_no_released_question_changed_what_counts_as_right_without_a_new_id():
    """Scores key on the question id: an id keeps its meaning for good. Wording fixes and moves between banks
    keep the id; a change to the answer, options, items, pairs, tolerance or type needs a new id."""
    released, current = released_fingerprints(), current_fingerprints()
    changed = sorted(qid for qid, fingerprint in current.items() if qid in released and released[qid] != fingerprint)
    assert not changed, f"give these questions new ids (what counts as right changed): {changed}"
    assert set(current) <= set(released), "new questions: run `python -m vndiplomacy.quizbank release`"


def test_the_fingerprint_follows_the_answer_not_the_wording(bank):
    from dataclasses import replace

    q = bank.get("t-01")
    assert marking_fingerprint(replace(q, prompt="Reworded", explanation="Better")) == marking_fingerprint(q)
    assert marking_fingerprint(replace(q, options=("C", "B", "A"))) == marking_fingerprint(q)
    assert marking_fingerprint(replace(q, answer="C")) != marking_fingerprint(q)
    numeric = bank.get("t-04")
    assert marking_fingerprint(replace(numeric, tolerance=50)) != marking_fingerprint(numeric)


def test_a_question_without_an_id_is_named_by_its_place_in_the_bank(tmp_path):
    """A teacher editing a bank is told which question to fix even when it has no id, or is no mapping at all."""
    path = broken(tmp_path, lambda r: r["questions"][2].pop("id"))
    with pytest.raises(QuizBankError) as err:
        load_bank(path)
    assert (err.value.question, err.value.field) == ("#3", "id"), str(err.value)
    assert "required" in str(err.value).lower()
    path = broken(tmp_path, lambda r: r["questions"].__setitem__(4, "a line of text, not a question"))
    with pytest.raises(QuizBankError) as err:
        load_bank(path)
    assert err.value.question == "#5", str(err.value)


def test_the_fingerprint_does_not_depend_on_how_a_pair_is_written(bank):
    """Writing a match pair as {right: .., left: ..} instead of {left: .., right: ..} changes nothing a learner is
    marked on, so it must not ask for a new question id."""
    from dataclasses import replace

    q = bank.get("t-06")
    flipped = replace(q, pairs=tuple({"right": p["right"], "left": p["left"]} for p in q.pairs))
    assert [list(p) for p in flipped.pairs] != [list(p) for p in q.pairs]
    assert marking_fingerprint(flipped) == marking_fingerprint(q)
    assert marking_fingerprint(replace(q, pairs=({"left": "a", "right": "2"}, {"left": "b", "right": "1"}))) != \
        marking_fingerprint(q)


def test_release_records_every_current_fingerprint_and_keeps_the_retired_ones(data_copy, capsys):
    released = data_copy / "quizzes" / RELEASED
    released.write_text(json.dumps({"zz-retired": "0123abcd"}), encoding="utf-8")
    assert quizbank.main(["release"]) == 0
    expected = dict(sorted({"zz-retired": "0123abcd", **current_fingerprints()}.items()))
    assert released.read_text(encoding="utf-8") == json.dumps(expected, indent=1) + "\n"
    assert capsys.readouterr().out == f"recorded {len(expected)} question ids in {released}\n"
    released.unlink()
    assert quizbank.main(["release"]) == 0 and json.loads(released.read_text(encoding="utf-8")) == current_fingerprints()


def test_release_without_its_command_only_prints_the_usage(data_copy, capsys):
    before = (data_copy / "quizzes" / RELEASED).read_bytes()
    assert quizbank.main([]) == 2 and quizbank.main(["relase"]) == 2
    assert capsys.readouterr().out == "usage: python -m vndiplomacy.quizbank release\n" * 2
    assert (data_copy / "quizzes" / RELEASED).read_bytes() == before


@pytest.mark.parametrize("qid, response, correct, message, answer", [
    ("t-01", "B", True, "Right.", "B"),
    ("t-01", "A", False, "Not quite.", "B"),
    ("t-02", ["A", "C"], True, "Right: you found every correct option.", "A; C"),
    ("t-02", ["A", "B"], False, "Not quite: 1 of your choices are right, 1 wrong, and 1 missing.", "A; C"),
    ("t-03", True, False, "Not quite.", "the statement is False"),
    ("t-04", "1,110", True, "Right.", "1,100 (answers within 10 count as right)"),
    ("t-04", "1 089", False, "Not quite.", "1,100 (answers within 10 count as right)"),
    ("t-05", ["second", "first", "third"], False, "Not quite: 1 of 3 in the right place.", "first → second → third"),
    ("t-06", {"a": "2", "b": "1"}, False, "Not quite: 0 of 2 pairs right.", "a → 1; b → 2"),
    ("t-07", "change", False, "Not quite.", "Đổi mới or renewal"),
])
def test_the_feedback_and_the_answer_shown_for_each_question_type(bank, qid, response, correct, message, answer):
    """What a learner reads after ✘ and under 'The answer'; an answer exactly at the tolerance counts as right."""
    marking = mark(next(q for q in bank.questions if q.id == qid), response)
    assert (marking.correct, marking.message, marking.answer) == (correct, message, answer)


def test_a_numeric_answer_shows_its_unit_and_no_tolerance_note_when_it_must_be_exact(bank):
    import dataclasses

    question = next(q for q in bank.questions if q.id == "t-04")
    assert mark(dataclasses.replace(question, unit="km"), "5").answer == "1,100 km (answers within 10 count as right)"
    assert mark(dataclasses.replace(question, tolerance=0), "1\u00a0100").answer == "1,100"


@pytest.mark.parametrize("response, told", [
    (True, "Enter a number, not True or False."), ("", "Enter a number first."), (None, "Enter a number first."),
    ("  ", "Enter a number first."), ("inf", "Enter a finite number."),
    ("abc", "'abc' is not a number. Enter digits only, such as 1100."),
])
def test_an_answer_that_is_not_a_number_is_told_what_to_enter(response, told):
    with pytest.raises(AnswerTypeError) as err:
        parse_number(response)
    assert str(err.value) == told


@pytest.mark.parametrize("qid, response, told", [
    ("t-01", "", "Choose one option first."), ("t-01", None, "Choose one option first."),
    ("t-03", None, "Choose True or False."), ("t-07", "  ", "Type an answer first."),
])
def test_an_empty_answer_is_told_what_to_give(bank, qid, response, told):
    with pytest.raises(AnswerTypeError) as err:
        mark(next(q for q in bank.questions if q.id == qid), response)
    assert str(err.value) == told
