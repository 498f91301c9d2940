"""The class dashboard reads good files and lists malformed, foreign and duplicate ones with a reason."""
import json
import shutil

from course_paths import ROOT

from vndiplomacy.classroom import ClassDashboard, difficulty, read_class_folder, scores
from vndiplomacy.progress import ProgressStore

SAMPLE = ROOT / "teacher" / "sample_class"


def export(tmp_path, name, answers, display=None):
    store = ProgressStore(tmp_path / f"{name}.sqlite")
    store.set_name(display or name)
    for question, correct in answers:
        store.record("01_history", question, correct, "x")
    (tmp_path / "class").mkdir(exist_ok=True)
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
    assert "not a readable JSON file" in reasons["cut_short.json"]
    assert "marker" in reasons["other.json"]
    assert "not_utf8.json" in reasons
    assert "not a progress export" in reasons["notes.txt"]
    assert "earlier export of binh.json" in reasons["binh_monday.json"]
    table = scores(records).set_index(["learner", "topic"])
    assert table.loc[("an", "01_history"), "correct"] == 1, "the first answer counts, not the latest"
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


def test_an_import_linked_by_is_this_you_is_one_learner_and_two_learners_are_never_merged(tmp_path):
    laptop = ProgressStore(tmp_path / "laptop.sqlite")
    laptop.set_name("Ana")
    laptop.record("01_history", "history-01", True, "x")
    hub = ProgressStore(tmp_path / "hub.sqlite")
    hub.set_name("Ana")
    hub.record("01_history", "history-02", True, "x")
    hub.import_file(laptop.export(tmp_path / "laptop.json"), confirmed=True)
    (tmp_path / "class").mkdir()
    laptop.export(tmp_path / "class" / "ana_laptop.json")
    hub.export(tmp_path / "class" / "ana_hub.json")
    export(tmp_path, "other_ana", [("history-01", False)], display="Ana")
    records = read_class_folder(tmp_path / "class")
    assert sorted(records.learners) == ["Ana", "Ana (other_ana)"]
    assert dict(records.skipped) == {"ana_laptop.json": "an earlier export of ana_hub.json (all its answers are "
                                                        "in that file)"}
    table = scores(records).set_index(["learner", "topic"])["correct"]
    assert table[("Ana", "01_history")] == 2 and table[("Ana (other_ana)", "01_history")] == 0


def test_hardest_questions_are_sorted_and_carry_their_text(tmp_path):
    export(tmp_path, "an", [("history-01", False), ("history-02", True)])
    export(tmp_path, "binh", [("history-01", False), ("history-02", False)])
    table = difficulty(read_class_folder(tmp_path / "class"))
    assert list(table["question"]) == ["history-01", "history-02"]
    assert list(table["first_try_right"]) == [0, 50] and table["text"].str.len().min() > 20
