"""The course's one scoring rule, used by the quiz, the progress dashboard and the class dashboard.

A question's score is the learner's first attempt at it, by time, wherever it was
made. Later tries are practice and never change the score. Scores key on the
question id alone; attempts at ids that are no longer in a bank do not count.
"""
from __future__ import annotations

import pandas as pd

SUMMARY_COLUMNS = ["topic", "correct", "answered", "total", "attempts", "percent", "label"]


def first_attempts(attempts: pd.DataFrame, question_ids) -> pd.DataFrame:
    """Each listed question's first attempt by time (ties broken by attempt id), indexed by question id."""
    ids = set(question_ids)
    counted = attempts[attempts["question"].isin(ids)]
    if counted.empty:
        return counted.set_index("question")
    return counted.sort_values(["at", "uid"]).drop_duplicates("question").set_index("question")


def question_results(attempts: pd.DataFrame, question_ids) -> dict[str, bool]:
    """{question id: whether the first attempt was right}, for the questions answered."""
    return {qid: bool(correct) for qid, correct in first_attempts(attempts, question_ids)["correct"].items()}


def topic_scores(attempts: pd.DataFrame, banks: dict[str, list[str]]) -> pd.DataFrame:
    """Per topic: questions right at the first attempt, questions answered, bank size, attempts and percent."""
    rows = []
    for topic, ids in banks.items():
        results = question_results(attempts, ids)
        right, total = sum(results.values()), len(ids)
        rows.append({"topic": topic, "correct": right, "answered": len(results), "total": total,
                     "attempts": int(attempts["question"].isin(set(ids)).sum()),
                     "percent": round(100 * right / total) if total else 0, "label": f"{right}/{total}"})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
