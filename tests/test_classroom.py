"""The class dashboard reads good files and lists malformed, foreign and duplicate ones with a reason."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC
from pathlib import Path

import pytest
from course_paths import ROOT

from vndiplomacy.classroom import (
    CLASS_FOLDER_VARIABLE,
    ClassDashboard,
    class_dashboard,
    difficulty,
    grading_panel,
    read_class_folder,
    scores,
    submission_name,
    submit_to_class,
)
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


def test_submit_to_my_class_writes_one_file_per_hub_user_and_replaces_the_earlier_one(tmp_path, monkeypatch):
    folder = tmp_path / "dropbox"
    folder.mkdir()
    monkeypatch.setenv(CLASS_FOLDER_VARIABLE, str(folder))
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record("01_history", "history-01", True, "x")
    assert submit_to_class(store) == folder / "ana.json"
    store.record("01_history", "history-02", False, "y")
    submit_to_class(store)
    assert sorted(p.name for p in folder.iterdir()) == ["ana.json"], "no partial file is left behind"
    assert len(json.loads((folder / "ana.json").read_text())["attempts"]) == 2
    assert (folder / "ana.json").stat().st_mode & 0o777 == 0o640
    assert class_dashboard().records.learners == ["ana"], "the dashboard reads the configured class folder"


def test_submission_names_are_file_safe():
    assert submission_name("Nguyễn Văn Đức") == "Nguyen_Van_Duc.json"
    with pytest.raises(ValueError, match="Type your name"):
        submission_name("///")


def test_a_class_folder_with_a_folder_per_learner_is_read_one_level_down(tmp_path):
    for name in ("ana", "binh"):
        export(tmp_path, name, [("history-01", True)])
        (tmp_path / "class" / name).mkdir()
        (tmp_path / "class" / f"{name}.json").rename(tmp_path / "class" / name / f"{name}.json")
    assert read_class_folder(tmp_path / "class").learners == ["ana", "binh"]


def test_a_missing_class_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing_folder"):
        read_class_folder(tmp_path / "missing_folder")


SUBMIT_AS = """
import os, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from vndiplomacy.classroom import SubmitFailed, submit_to_class
from vndiplomacy.progress import ProgressStore
store = ProgressStore()
store.record("01_history", "history-01", True, os.environ["JUPYTERHUB_USER"])
try:
    print("submitted", submit_to_class(store).name)
except SubmitFailed as exc:
    print("refused", exc)
for other in sys.argv[1:]:
    try:
        Path(other).read_bytes()
        print("read", other)
    except PermissionError:
        print("cannot read", other)
try:
    os.listdir(os.environ["VNDIPLOMACY_CLASS_FOLDER"])
    print("listed")
except PermissionError:
    print("cannot list")
"""


def run_as(uid: int, gid: int, home: Path, folder: Path, *others: Path) -> str:
    """Run a submission as an unprivileged user (root ignores permissions) in the drop box."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to act as the teacher and two learners")
    home.mkdir(mode=0o700)
    os.chown(home, uid, gid)
    src = ROOT / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "HOME": str(home), "JUPYTERHUB_USER": f"learner{uid}",
           "VNDIPLOMACY_CLASS_FOLDER": str(folder), "VNDIPLOMACY_PROGRESS": str(home / "progress.sqlite")}
    done = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", sys.executable, "-c",
                           SUBMIT_AS, *map(str, others)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_drop_box_lets_learners_submit_but_not_read_each_others_work():
    """The guide's commands: a folder owned by the teacher and the teachers' group, mode 3733."""
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    teacher, teachers_group = 61000, 61000
    folder = base / "class"
    folder.mkdir()
    os.chown(folder, teacher, teachers_group)
    folder.chmod(0o3733)
    first = run_as(61001, 61001, base / "ana", folder)
    assert "submitted learner61001.json" in first and "cannot list" in first
    second = run_as(61002, 61002, base / "binh", folder, folder / "learner61001.json")
    assert "submitted learner61002.json" in second
    assert f"cannot read {folder / 'learner61001.json'}" in second and "cannot list" in second
    done = subprocess.run(["setpriv", f"--reuid={teacher}", f"--regid={teachers_group}", "--clear-groups",
                           sys.executable, "-c", "import sys; from vndiplomacy.classroom import read_class_folder; "
                           "r = read_class_folder(sys.argv[1]); print(r.learners, r.skipped)", str(folder)],
                          capture_output=True, text=True, timeout=120, env={**os.environ,
                                                                            "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['learner61001', 'learner61002'] []"
    closed = base / "closed"
    closed.mkdir()
    os.chown(closed, teacher, teachers_group)
    closed.chmod(0o755)
    outsider = run_as(61003, 61003, base / "chi", closed)
    assert f"refused your work could not be written to the class folder {closed} (Permission denied)" in outsider
    shutil.rmtree(base)


@pytest.mark.notebooks  # otter runs each uploaded notebook
def test_grading_panel_grades_uploaded_notebooks_without_a_terminal(tmp_path):
    from datetime import datetime

    NOW = datetime.now(UTC)  # noqa: N806
    panel = grading_panel(tmp_path)
    assert ("01_history", "01_history") not in panel.exercise.options and "01_history" in dict(
        (v, k) for k, v in panel.exercise.options)
    panel.exercise.value = "01_history"
    panel.button.click()
    assert "No notebooks uploaded" in panel.status.value
    solved = (ROOT / "solutions" / "01_history_exercises.ipynb").read_bytes()
    item = {"type": "", "size": len(solved), "content": memoryview(solved), "last_modified": NOW}
    panel.upload.value = ({**item, "name": "an/../solved.ipynb"}, {**item, "name": "solved.ipynb"},
                          {"name": "broken.ipynb", "type": "", "size": 3, "content": memoryview(b"{x"),
                           "last_modified": NOW})
    panel.button.click()
    assert panel.bar.value == panel.bar.max == 3 and panel.bar.bar_style == "success"
    saved = tmp_path / "01_history"
    assert sorted(p.name for p in saved.iterdir()) == ["broken.ipynb", "grades.csv", "solved-2.ipynb", "solved.ipynb"]
    grades = panel.grades.set_index("submission")
    assert grades.loc["solved.ipynb", "checked_total"] == grades.loc["solved.ipynb", "checked_possible"] > 0
    assert grades.loc["solved-2.ipynb", "checked_total"] == grades.loc["solved.ipynb", "checked_total"]
    assert grades.loc["broken.ipynb", "problem"]
    assert "Graded 3 notebooks" in panel.status.value and "solved.ipynb" in panel.table.value
    link = re.search(r'href="data:text/csv;base64,([^"]+)"', panel.status.value)
    assert link and base64.b64decode(link.group(1)) == (saved / "grades.csv").read_bytes()
