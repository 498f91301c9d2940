"""Progress: every attempt stored; concurrency; corruption; export and import."""
import json
import multiprocessing
import sqlite3

import pytest

from vndiplomacy.progress import ImportRefused, ProgressStore, ProgressWarning, default_path


def test_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VNDIPLOMACY_PROGRESS", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("VNDIPLOMACY_PROGRESS")
    assert default_path().parts[-2:] == (".vndiplomacy", "progress.sqlite")


def test_every_attempt_is_recorded_and_latest_counts(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record("01_history", "history-01", False, "A")
    store.record("01_history", "history-01", True, "B")
    store.record("01_history", "history-02", False, [1, 2])
    assert len(store.attempts()) == 3
    assert store.latest("01_history") == {"history-01": True, "history-02": False}
    summary = store.summary({"01_history": 15}).iloc[0]
    assert (summary["correct"], summary["total"], summary["attempts"]) == (1, 15, 3)


def _writer(path, worker, count):
    store = ProgressStore(path)
    for i in range(count):
        store.record("01_history", f"history-{worker:02d}", i % 2 == 0, i)


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.sqlite"
    ProgressStore(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, w, 150)) for w in (1, 2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    assert len(ProgressStore(path).attempts()) == 300


def test_corrupted_file_is_moved_aside_with_a_message(tmp_path):
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(ProgressWarning, match="moved to"):
        store = ProgressStore(path)
    assert store.moved_aside.exists()
    assert store.moved_aside.read_bytes().startswith(b"this is not a database")
    store.record("01_history", "history-01", True, "A")
    assert len(store.attempts()) == 1


def test_foreign_sqlite_database_is_moved_aside(tmp_path):
    path = tmp_path / "p.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE attempts (x TEXT)")
    with pytest.warns(ProgressWarning):
        store = ProgressStore(path)
    assert store.moved_aside.exists()


def test_export_then_import_restores_and_skips_duplicates(tmp_path):
    first = ProgressStore(tmp_path / "a.sqlite")
    first.record("02_three_pillars", "pillars-01", True, "x")
    first.record("02_three_pillars", "pillars-02", False, "y")
    exported = first.export(tmp_path / "my_progress.json")
    second = ProgressStore(tmp_path / "b.sqlite")
    assert second.import_file(exported) == 2
    assert second.import_file(exported) == 0
    assert second.latest("02_three_pillars") == {"pillars-01": True, "pillars-02": False}


@pytest.mark.parametrize("content, reason", [
    ("not json at all", "not readable JSON"),
    (json.dumps({"hello": "world"}), "format marker"),
    (json.dumps({"format": "vndiplomacy-progress", "version": 99, "attempts": []}), "version"),
    (json.dumps({"format": "vndiplomacy-progress", "version": 1, "attempts": [{"uid": "x"}]}), "attempt 1"),
])
def test_import_refuses_files_that_are_not_ours(tmp_path, content, reason):
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite")
    with pytest.raises(ImportRefused, match=reason):
        store.import_file(path)
    assert store.attempts().empty
