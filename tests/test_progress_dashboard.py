"""The progress dashboard: export asks for a name, 'Is this you?' before another learner's file, the same file
chosen twice is noticed, and the chart follows the quiz."""
import datetime as dt

from vndiplomacy.dashboard import ProgressDashboard
from vndiplomacy.progress import ProgressStore
from vndiplomacy.quiz import quiz


def upload(dashboard, path):
    content = path.read_bytes()
    dashboard.upload.value = ({"name": path.name, "type": "application/json", "size": len(content),
                               "content": memoryview(content), "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},)


def test_export_needs_a_name_and_carries_it(tmp_path):
    dashboard = ProgressDashboard(ProgressStore(tmp_path / "p.sqlite"), export_to=tmp_path / "out.json")
    assert dashboard.export_progress() is None and "Type your name" in dashboard.status.value
    dashboard.name.value = "Ana"
    assert '"name": "Ana"' in dashboard.export_progress().read_text()


def test_another_learners_file_asks_is_this_you_and_no_refuses(tmp_path):
    other = ProgressStore(tmp_path / "other.sqlite")
    other.set_name("Binh")
    other.record("01_history", "history-01", True, "x")
    exported = other.export(tmp_path / "binh.json")
    dashboard = ProgressDashboard(ProgressStore(tmp_path / "p.sqlite"))
    upload(dashboard, exported)
    assert "Is this you?" in dashboard.confirm.children[0].value and "Binh" in dashboard.confirm.children[0].value
    dashboard.confirm.children[2].click()
    assert "refused" in dashboard.status.value and dashboard.store.attempts().empty
    upload(dashboard, exported)
    dashboard.confirm.children[1].click()
    assert "Imported 1 new" in dashboard.status.value and len(dashboard.store.attempts()) == 1


def test_the_same_file_chosen_twice_is_noticed(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record("01_history", "history-01", True, "x")
    exported = store.export(tmp_path / "mine.json")
    dashboard = ProgressDashboard(store)
    upload(dashboard, exported)
    assert "Nothing new" in dashboard.status.value
    dashboard.status.value = ""
    upload(dashboard, exported)
    assert "Nothing new" in dashboard.status.value


def test_the_chart_follows_answers_given_in_a_quiz_of_the_same_kernel(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    dashboard = ProgressDashboard(store)
    before = dashboard.chart.alt.value
    history = quiz("01_history", store=store)
    view = history.views[0]
    view.control.value = view.question.answer
    view.check.click()
    assert dashboard.chart.alt.value != before and f"1/{len(history.views)}" in dashboard.chart.alt.value


def test_an_answer_redraws_the_newest_dashboards_only(tmp_path, monkeypatch):
    """A dashboard cell run again leaves the old dashboard alive in the kernel: answers must not redraw them all."""
    from vndiplomacy.progress import MAX_FOLLOWERS

    store = ProgressStore(tmp_path / "p.sqlite")
    boards = [ProgressDashboard(store) for _ in range(MAX_FOLLOWERS + 5)]
    redrawn = []
    for board in boards:
        monkeypatch.setattr(board, "refresh", lambda board=board: redrawn.append(board))
    history = quiz("01_history", store=store)
    view = history.views[0]
    view.control.value = view.question.answer
    view.check.click()
    assert redrawn == boards[-MAX_FOLLOWERS:]


def test_submit_to_my_class_appears_only_when_a_class_folder_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("VNDIPLOMACY_CLASS_FOLDER", raising=False)
    store = ProgressStore(tmp_path / "p.sqlite")
    assert ProgressDashboard(store).submit not in ProgressDashboard(store).children[1].children
    monkeypatch.setenv("VNDIPLOMACY_CLASS_FOLDER", str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    dashboard = ProgressDashboard(store)
    assert dashboard.submit in dashboard.children[1].children
    assert dashboard.name.value == "ana", "on a hub the name defaults to the hub user"
    store.record("01_history", "history-01", True, "x")
    dashboard.submit.click()
    assert "Submitted 1 answers to your class as ana.json" in dashboard.status.value
    assert (tmp_path / "ana.json").exists()


def test_a_failed_submission_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("VNDIPLOMACY_CLASS_FOLDER", str(tmp_path / "missing"))
    dashboard = ProgressDashboard(ProgressStore(tmp_path / "p.sqlite"))
    dashboard.name.value = "Ana"
    dashboard.submit.click()
    assert "Your work was not submitted" in dashboard.status.value and "missing" in dashboard.status.value
