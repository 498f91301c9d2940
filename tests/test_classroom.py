"""The class dashboard reads good files and lists malformed, foreign and duplicate ones with a reason."""
import json
import shutil

from course_paths import ROOT

from vndiplomacy.classroom import ClassDashboard, difficulty, read_class_folder, scores
from vndiplomacy.progress import ProgressStore

SAMPLE = ROOT / "teacher" / "sample_class"


def export(tmp_path, name, answers):
    store = ProgressStore(tmp_path / f"{name}.sqlite")
    for question, correct in answers:
        store.record("01_history", question, correct, "x")
    return store.export(tmp_path / "class" / f"{name}.json")


def test_good_malformed_foreign_and_duplicate_files(tmp_path):
    (tmp_path / "class").mkdir()
    export(tmp_path, "an", [("history-01", False), ("history-01", True), ("history-02", True)])
    export(tmp_path, "binh", [("history-01", False), ("history-02", False)])
    shutil.copy(tmp_path / "class" / "an.json", tmp_path / "class" / "an_again.json")
    (tmp_path / "class" / "cut_short.json").write_text('{"format": "vndiplomacy-progress", "attempts": [')
    (tmp_path / "class" / "other.json").write_text(json.dumps({"format": "something-else"}))
    (tmp_path / "class" / "not_utf8.json").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "class" / "notes.txt").write_text("lesson notes")
    earlier = json.loads((tmp_path / "class" / "binh.json").read_text())
    earlier["attempts"] = earlier["attempts"][:1]
    (tmp_path / "class" / "binh_monday.json").write_text(json.dumps(earlier))
    records = read_class_folder(tmp_path / "class")
    assert records.learners == ["an", "binh"]
    reasons = dict(records.skipped)
    assert "duplicate of an.json" in reasons["an_again.json"]
    assert "not readable JSON" in reasons["cut_short.json"]
    assert "format marker" in reasons["other.json"]
    assert "not_utf8.json" in reasons
    assert "not a progress export" in reasons["notes.txt"]
    assert "earlier export of binh.json" in reasons["binh_monday.json"]
    table = scores(records).set_index(["learner", "topic"])
    assert table.loc[("an", "01_history"), "correct"] == 2
    assert table.loc[("binh", "01_history"), "correct"] == 0
    hard = difficulty(records).set_index("question")
    assert hard.loc["history-01", "first_try_right"] == 0 and hard.loc["history-02", "first_try_right"] == 50


def test_dashboard_on_the_sample_class_never_crashes():
    dashboard = ClassDashboard(SAMPLE)
    assert len(dashboard.records.learners) == 6 and len(dashboard.records.skipped) == 3
    assert dashboard.score_chart.figure is not None and "Text alternative" in dashboard.difficulty_chart.alt.value
    assert "broken_download.json" in dashboard.report.value


def test_empty_folder_gives_an_empty_dashboard(tmp_path):
    dashboard = ClassDashboard(tmp_path)
    assert "<b>0</b> learners" in dashboard.report.value and dashboard.score_chart.figure is None
