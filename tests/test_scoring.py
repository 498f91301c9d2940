"""The one scoring rule: the first attempt by time counts, keyed on the question id; removed questions do not."""
import pandas as pd

from vndiplomacy.scoring import first_attempts, question_results, topic_scores


def attempts(*rows):
    return pd.DataFrame([{"uid": f"u{i}", "topic": topic, "question": q, "correct": ok, "answer": "x", "at": at,
                          "kind": "first"} for i, (topic, q, ok, at) in enumerate(rows)])


def test_first_attempt_by_time_counts_not_the_latest_or_the_order_stored():
    frame = attempts(("01_history", "h-1", True, "2026-01-01T10:05"), ("01_history", "h-1", False, "2026-01-01T10:00"),
                     ("01_history", "h-2", False, "2026-01-01T10:01"), ("01_history", "h-2", True, "2026-01-01T10:02"))
    assert question_results(frame, ["h-1", "h-2"]) == {"h-1": False, "h-2": False}


def test_scores_key_on_the_question_id_not_the_topic():
    frame = attempts(("old_topic_name", "h-1", True, "2026-01-01T10:00"))
    assert question_results(frame, ["h-1"]) == {"h-1": True}


def test_attempts_at_questions_no_longer_in_the_bank_do_not_count():
    frame = attempts(("01_history", "h-1", True, "2026-01-01T10:00"), ("01_history", "h-removed", True,
                                                                         "2026-01-01T10:01"),
                     ("01_history", "h-2", True, "2026-01-01T10:02"))
    row = topic_scores(frame, {"01_history": ["h-1", "h-2", "h-3"]}).iloc[0]
    assert (row["correct"], row["answered"], row["total"], row["attempts"], row["percent"]) == (2, 2, 3, 2, 67)
    assert row["label"] == "2/3"


def test_no_attempts_score_zero():
    empty = pd.DataFrame(columns=["uid", "topic", "question", "correct", "answer", "at", "kind"])
    assert first_attempts(empty, ["h-1"]).empty
    row = topic_scores(empty, {"01_history": ["h-1"]}).iloc[0]
    assert (row["correct"], row["answered"], row["percent"]) == (0, 0, 0)
