"""One set of objectives per notebook, shared by notebook and guide, each tied to an activity and assessment."""
import pytest
from course_paths import ROOT

from vndiplomacy import alignment
from vndiplomacy.quizbank import bank_topics

TOPICS = bank_topics()
GUIDE = ROOT / "teacher" / "guide.md"


def test_the_guides_objectives_and_alignment_tables_are_generated_from_the_course():
    guide = GUIDE.read_text(encoding="utf-8")
    assert guide.count(alignment.START) == 1 and guide.count(alignment.END) == 1
    assert alignment.render(guide) == guide, "run `python -m vndiplomacy.alignment` to update teacher/guide.md"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_objective_has_a_section_an_activity_quiz_items_an_exercise_and_a_prompt(topic):
    path = alignment.notebook_path(topic)
    count = len(alignment.notebook_objectives(path))
    rows, items = alignment.alignment(topic), alignment.quiz_items(topic)
    assert set(rows) == set(range(1, count + 1)), f"{topic}: alignment rows {sorted(rows)} for {count} objectives"
    sections, questions = alignment.notebook_sections(path), alignment.exercise_questions(topic)
    for n, row in rows.items():
        assert row["section"] in sections, f"{topic} objective {n}: no section '{row['section']}'"
        assert row["activity"].strip() and row["discussion"].strip(), f"{topic} objective {n}"
        assert items.get(n), f"{topic} objective {n}: no quiz question is tagged with it"
        assert row["exercise"] and set(row["exercise"]) <= set(questions), (
            f"{topic} objective {n}: exercise {row['exercise']} not among {questions}")


def test_the_alignment_table_lists_each_question_under_its_objective(monkeypatch):
    monkeypatch.setattr(alignment, "quiz_items", lambda topic: {1: [f"{topic}-x (evaluate)"]})
    table = alignment.alignment_markdown()
    assert "| 1 |" in table and "01_history-x (evaluate)" in table
