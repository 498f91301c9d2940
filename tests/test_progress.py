"""Progress: every attempt stored; schema versions and migration; only real damage moves a file aside;
locked and read-only files keep the learner's work; learner identity; export and import of every version."""
import contextlib
import datetime as dt
import json
import locale
import multiprocessing
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from vndiplomacy.progress import (
    SCHEMA_VERSION,
    AnotherLearner,
    ImportRefused,
    ProgressStore,
    ProgressUnavailable,
    ProgressWarning,
    default_path,
    plain_problem,
    read_export,
)

V1_SCHEMA = """CREATE TABLE attempts (uid TEXT PRIMARY KEY, topic TEXT NOT NULL, question TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)), answer TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX attempts_topic ON attempts (topic, question);"""
V1_ROWS = [("u1", "01_history", "history-01", 0, '"A"', "2026-03-01T10:00:00+00:00"),
           ("u2", "01_history", "history-01", 1, '"B"', "2026-03-01T10:01:00+00:00"),
           ("u3", "01_history", "history-02", 1, '"C"', "2026-03-01T10:02:00+00:00")]


def first_release_file(path: Path) -> Path:
    """A progress file exactly as the first release wrote it (WAL journal, no version, six columns)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(V1_SCHEMA)
        conn.executemany("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?)", V1_ROWS)
        conn.commit()
    return path


def test_path_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VNDIPLOMACY_PROGRESS", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("VNDIPLOMACY_PROGRESS")
    assert default_path().parts[-2:] == (".vndiplomacy", "progress.sqlite")


def test_every_attempt_is_recorded_with_its_kind(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record("01_history", "history-01", False, "A")
    store.record("01_history", "history-01", True, "B", kind="retry")
    store.record("01_history", "history-02", False, [1, 2])
    attempts = store.attempts()
    assert list(attempts["kind"]) == ["first", "retry", "first"]
    assert list(attempts["correct"]) == [False, True, False]
    assert json.loads(attempts["answer"].iloc[2]) == [1, 2]
    assert len(store.attempts(question="history-01")) == 2
    with pytest.raises(ValueError, match="kind"):
        store.record("01_history", "history-01", True, "B", kind="bonus")


def test_new_store_uses_a_rollback_journal_and_a_schema_version(tmp_path):
    path = tmp_path / "p.sqlite"
    ProgressStore(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_first_release_file_is_migrated_keeping_every_attempt(tmp_path):
    path = first_release_file(tmp_path / "p.sqlite")
    with warnings_as_errors():
        store = ProgressStore(path)
    assert store.moved_aside is None
    attempts = store.attempts()
    assert list(attempts["uid"]) == ["u1", "u2", "u3"]
    assert list(attempts["kind"]) == ["first", "practice", "first"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert len(ProgressStore(path).attempts()) == 3


def test_a_file_from_a_newer_release_is_left_alone(tmp_path):
    path = tmp_path / "p.sqlite"
    ProgressStore(path).record("01_history", "history-01", True, "A")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = ProgressStore(path)
    assert "newer version" in store.problem and store.moved_aside is None
    with pytest.raises(ProgressUnavailable, match="newer version"):
        store.record("01_history", "history-02", True, "A")
    assert path.exists() and not list(tmp_path.glob("*.damaged-*"))


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


def test_damage_found_mid_session_moves_the_file_aside_and_the_answer_is_still_saved(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path)
    store.record("01_history", "history-01", True, "A")
    path.write_bytes(b"overwritten by another program" * 100)
    with pytest.warns(ProgressWarning, match="moved to"):
        store.record("01_history", "history-02", True, "B")
    assert store.moved_aside.read_bytes().startswith(b"overwritten")
    assert list(store.attempts()["question"]) == ["history-02"]


def test_foreign_sqlite_database_is_moved_aside(tmp_path):
    path = tmp_path / "p.sqlite"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE attempts (x TEXT)")
        conn.commit()
    with pytest.warns(ProgressWarning):
        store = ProgressStore(path)
    assert store.moved_aside.exists()


def test_two_move_asides_in_one_second_keep_both_files(tmp_path):
    path = tmp_path / "p.sqlite"
    moved = []
    for content in (b"first damaged file" * 50, b"second damaged file" * 50):
        path.write_bytes(content)
        with pytest.warns(ProgressWarning):
            moved.append(ProgressStore(path).moved_aside)
    assert moved[0] != moved[1]
    assert moved[0].read_bytes().startswith(b"first") and moved[1].read_bytes().startswith(b"second")


def test_a_damaged_file_is_moved_to_a_dated_name_and_the_learner_is_told_how_to_restore(tmp_path):
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(ProgressWarning) as warned:
        store = ProgressStore(path)
    assert re.fullmatch(r"p\.sqlite\.damaged-\d{8}-\d{6}-[0-9a-f]{8}", store.moved_aside.name)
    message = str(warned[0].message)
    assert f"Your progress file {path} was damaged" in message and f"It was moved to {store.moved_aside} " in message
    assert message.endswith("so nothing is lost, and a new progress file was started. If you exported your progress "
                            "before, import that export to restore it.")


@pytest.mark.parametrize("journal_mode, companions", [("WAL", ("-wal", "-shm")), ("DELETE", ("-journal",))])
def test_a_damaged_file_still_open_elsewhere_is_moved_together_with_its_journal(tmp_path, journal_mode, companions):
    """Another program's database at the progress path, open there with a write under way: the journal files
    that hold part of its content go with it, so the moved copy is complete."""
    path = tmp_path / "p.sqlite"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute(f"PRAGMA journal_mode = {journal_mode}")
        other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        other.execute("CREATE TABLE notes (text TEXT)")
        other.execute("BEGIN")
        other.execute("INSERT INTO notes VALUES ('not yet committed')")
        with pytest.warns(ProgressWarning, match="moved to"):
            store = ProgressStore(path)
        moved = store.moved_aside.name
        assert {f.name for f in tmp_path.iterdir()} == {"p.sqlite", moved, *(moved + suffix for suffix in companions)}
    with contextlib.closing(sqlite3.connect(store.moved_aside)) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    store.record("01_history", "history-01", True, "A")
    assert len(store.attempts()) == 1


# Another process holds the file's write lock until its stdin is closed.
HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


@contextlib.contextmanager
def locked_by_another_process(path: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.stdin.close()
        holder.wait(30)


@pytest.mark.usefixtures("short_lock_wait")
def test_a_file_locked_by_another_process_is_never_moved_aside(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite"
    ProgressStore(path).record("01_history", "history-01", True, "A")
    with locked_by_another_process(path):
        store = ProgressStore(path)
        assert store.problem and "locked" in store.problem and store.moved_aside is None
        with pytest.raises(ProgressUnavailable, match="locked"):
            store.record("01_history", "history-02", True, "B")
        tries = []
        with monkeypatch.context() as patch, pytest.raises(ProgressUnavailable, match="locked"):
            patch.setattr(store, "_connect", lambda: tries.append(1))
            store.record("01_history", "history-02", True, "B")
        assert not tries, "the call right after a failed wait tried the file again instead of failing at once"
    assert not list(tmp_path.glob("*.damaged-*"))
    time.sleep(0.2)
    assert list(store.attempts()["question"]) == ["history-01"]
    store.record("01_history", "history-02", True, "B")
    assert len(store.attempts()) == 2


AS_UNPRIVILEGED = """
import json, sys, warnings
from vndiplomacy.progress import ProgressStore, ProgressUnavailable
warnings.simplefilter("ignore")
store = ProgressStore(sys.argv[1])
result = {"problem": store.problem, "fallback": store.fallback_reason, "path": str(store.path)}
try:
    result["read"] = len(store.attempts())
    store.record("01_history", "history-09", True, "x")
    result["saved"] = True
except ProgressUnavailable as exc:
    result["saved"] = str(exc)
print(json.dumps(result))
"""


def run_unprivileged(store_path: Path) -> dict:
    """Run the store as the 'nobody' user (root ignores file permissions), and return what it saw."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run the store as an unprivileged user")
    src = Path(__file__).resolve().parents[1] / "src"
    output = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                             AS_UNPRIVILEGED, str(store_path)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(src), "HOME": "/nonexistent", "TMPDIR": "/tmp"})
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_a_read_only_file_stays_readable_and_a_failed_save_says_so():
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    path = folder / "p.sqlite"
    ProgressStore(path).record("01_history", "history-01", True, "A")
    path.chmod(0o644)
    seen = run_unprivileged(path)
    assert seen["read"] == 1 and "read-only" in seen["saved"] and seen["fallback"] is None
    assert len(ProgressStore(path).attempts()) == 1 and not list(folder.glob("*.damaged-*"))


def test_an_unwritable_home_falls_back_to_a_private_store():
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    seen = run_unprivileged(folder / "home" / "progress.sqlite")
    assert seen["fallback"] and seen["saved"] is True and seen["path"].startswith("/tmp/")


@pytest.mark.parametrize("has_user_ids", [True, False], ids=["posix", "no-getuid"])
def test_a_progress_folder_that_cannot_be_made_falls_back_to_a_private_store(tmp_path, monkeypatch, has_user_ids):
    """The wanted location lies under a regular file (which stops root too): the answers go to a folder of the
    learner's own in the temporary folder, the learner is told where and why, and every notebook finds them."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    wanted = blocker / "course" / "progress.sqlite"
    monkeypatch.setenv("VNDIPLOMACY_PROGRESS", str(wanted))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    private = tmp_path / "tmp" / f"vndiplomacy-{os.getuid() if has_user_ids else 'user'}"
    if not has_user_ids:
        monkeypatch.delattr(os, "getuid")
    with pytest.warns(ProgressWarning) as warned:
        store = ProgressStore()
    assert store.path == private / "progress.sqlite" and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert str(blocker) in store.fallback_reason
    message = str(warned[0].message)
    assert f"cannot be saved in {wanted}: {store.fallback_reason}." in message and str(store.path) in message
    store.record("01_history", "history-01", True, "A")
    with pytest.warns(ProgressWarning):
        assert len(ProgressStore().attempts()) == 1, "another notebook of the session lost the answer"


def test_export_then_import_restores_and_skips_duplicates(tmp_path):
    first = ProgressStore(tmp_path / "a.sqlite")
    first.set_name("Ana")
    first.record("02_three_pillars", "pillars-01", True, "x")
    first.record("02_three_pillars", "pillars-02", False, "y")
    exported = first.export(tmp_path / "my_progress.json")
    assert json.loads(exported.read_text())["learner"]["name"] == "Ana"
    second = ProgressStore(tmp_path / "b.sqlite")
    with pytest.raises(AnotherLearner, match="Ana"):
        second.import_file(exported)
    assert second.attempts().empty
    assert second.import_file(exported, confirmed=True) == 2
    assert first.learner()["id"] in second.learner()["linked"]
    assert second.import_file(exported) == 0, "a linked id is the same learner: no question asked again"


def test_own_export_imports_without_asking(tmp_path):
    store = ProgressStore(tmp_path / "a.sqlite")
    store.record("01_history", "history-01", True, "x")
    exported = store.export(tmp_path / "mine.json")
    other_session = ProgressStore(tmp_path / "a.sqlite")
    assert other_session.import_file(exported) == 0


def test_first_release_exports_are_still_read(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "vndiplomacy-progress", "version": 1, "exported": "2026-03-01T11:00:00",
                                "attempts": [dict(zip(("uid", "topic", "question", "correct", "answer", "at"), row,
                                                      strict=True)) for row in V1_ROWS]}))
    payload = read_export(path)
    assert [a["kind"] for a in payload["attempts"]] == ["first", "practice", "first"]
    store = ProgressStore(tmp_path / "p.sqlite")
    assert store.import_file(path, confirmed=True) == 3


def test_hub_user_is_the_default_name(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    store = ProgressStore(tmp_path / "p.sqlite")
    assert store.learner()["name"] == "ana"
    store.set_name("Ana Nguyen")
    assert store.learner()["name"] == "Ana Nguyen"
    with pytest.raises(ValueError, match="A name cannot be empty"):
        store.set_name("   ")


@pytest.mark.parametrize("content, reason", [
    ("not json at all", "not a readable JSON file"),
    (json.dumps({"hello": "world"}), "marker"),
    (json.dumps({"format": "vndiplomacy-progress", "version": 99, "attempts": []}), "version"),
    (json.dumps({"format": "vndiplomacy-progress", "version": 1, "attempts": [{"uid": "x"}]}), "attempt 1"),
    (json.dumps({"format": "vndiplomacy-progress", "version": 2, "learner": {"id": "a"},
                 "attempts": [{"uid": "x", "topic": "t", "question": "q", "correct": 1, "answer": "a",
                               "at": "2026-01-01T00:00:00", "kind": "bonus"}]}), "kind"),
])
def test_import_refuses_files_that_are_not_ours(tmp_path, content, reason):
    path = tmp_path / "other.json"
    path.write_text(content, encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite")
    with pytest.raises(ImportRefused, match=reason):
        store.import_file(path, confirmed=True)
    assert store.attempts().empty


class warnings_as_errors:
    """No warning may be raised inside (a migration is silent)."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)


def test_an_attempt_marked_neither_right_nor_wrong_is_refused(tmp_path):
    attempt = {"uid": "x", "topic": "t", "question": "q", "correct": 2, "answer": "a", "at": "2026-01-01T00:00:00",
               "kind": "first"}
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "vndiplomacy-progress", "version": 2, "learner": {"id": "a"},
                                "attempts": [attempt]}), encoding="utf-8")
    store = ProgressStore(tmp_path / "p.sqlite")
    with pytest.raises(ImportRefused, match="correct"):
        store.import_file(path, confirmed=True)
    assert store.attempts().empty


def test_the_ids_a_learner_linked_travel_with_their_export_and_never_include_ones_own(tmp_path):
    """Work from a laptop, a lab machine and Binder is one learner: ids linked on one computer are linked wherever
    its export is imported, and a computer never lists itself as linked."""
    laptop, lab, binder = (ProgressStore(tmp_path / f"{n}.sqlite") for n in ("laptop", "lab", "binder"))
    lab.record("01_history", "history-01", True, "x")
    laptop.import_file(lab.export(tmp_path / "lab.json"), confirmed=True)
    assert laptop.learner()["linked"] == [lab.learner()["id"]]
    binder.import_file(laptop.export(tmp_path / "laptop.json"), confirmed=True)
    assert set(binder.learner()["linked"]) == {laptop.learner()["id"], lab.learner()["id"]}
    assert binder.import_file(lab.export(tmp_path / "lab-again.json")) == 0, "no 'Is this you?' for a linked id"
    lab.import_file(binder.export(tmp_path / "binder.json"), confirmed=True)
    assert lab.learner()["id"] not in lab.learner()["linked"]


def test_an_export_made_by_another_learner_is_named_in_the_question(tmp_path):
    ana = ProgressStore(tmp_path / "ana.sqlite")
    ana.set_name("Ana")
    payload = read_export(ana.export(tmp_path / "ana.json").read_bytes(), "ana.json")
    with pytest.raises(AnotherLearner) as question:
        ProgressStore(tmp_path / "p.sqlite").import_payload(payload, label="ana.json")
    assert str(question.value).startswith("ana.json was exported by Ana, not by you.")


def test_an_export_with_accents_reads_back_whatever_the_computers_default_encoding(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.set_name("Nguyễn Thị Ánh")
    exported = store.export(tmp_path / "progress.json")
    default = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert read_export(exported)["learner"]["name"] == "Nguyễn Thị Ánh"
    finally:
        locale.setlocale(locale.LC_CTYPE, default)


def test_every_readable_export_comes_back_in_the_shape_export_writes(tmp_path):
    current = json.loads(ProgressStore(tmp_path / "p.sqlite").export(tmp_path / "now.json").read_text())
    v1_attempt = dict(zip(("uid", "topic", "question", "correct", "answer", "at"), V1_ROWS[0], strict=True))
    first_release = {"format": "vndiplomacy-progress", "version": 1, "exported": "2026-03-01T11:00:00",
                     "learner": {"id": "not in version 1"}, "attempts": [v1_attempt]}
    without_learner = {key: value for key, value in current.items() if key != "learner"}
    for payload in (current, first_release, without_learner):
        read = read_export(json.dumps(payload).encode(), "export.json")
        assert set(read) == set(current) and read["version"] == 2
    assert read_export(json.dumps(first_release).encode())["learner"] == {}
    assert read_export(json.dumps(without_learner).encode())["learner"] == {}


ATTEMPT = {"uid": "x", "topic": "t", "question": "q", "correct": 1, "answer": '"a"', "at": "2026-01-01T00:00:00",
           "kind": "first"}


@pytest.mark.parametrize("fields, problem", [
    ({"attempts": {"1": ATTEMPT}}, "field 'attempts' must be a list."),
    ({"learner": "Ana"}, "field 'learner' must be an object with a text 'id'."),
    ({"learner": {"id": 7}}, "field 'learner' must be an object with a text 'id'."),
    ({"attempts": [{**ATTEMPT, "uid": 7}]}, "attempt 1: field 'uid' must be a non-empty string"),
    ({"attempts": [{**ATTEMPT, "topic": ""}]}, "attempt 1: field 'topic' must be a non-empty string"),
], ids=["attempts-not-a-list", "learner-not-an-object", "learner-id-not-text", "uid-not-text", "topic-empty"])
def test_a_refused_export_is_named_with_the_field_at_fault(tmp_path, fields, problem):
    """The message names the file (its upload name, or else its path) and the field to fix."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "vndiplomacy-progress", "version": 2, "learner": {"id": "a"},
                                "attempts": [ATTEMPT], **fields}), encoding="utf-8")
    with pytest.raises(ImportRefused) as from_disk:
        read_export(path)
    with pytest.raises(ImportRefused) as uploaded:
        read_export(path.read_bytes(), "my_progress.json")
    assert str(from_disk.value) == f"{path}: {problem}"
    assert str(uploaded.value) == f"my_progress.json: {problem}"


@pytest.mark.parametrize("problem, told", [
    (sqlite3.OperationalError("database is locked"), "another program is holding your progress file (it is locked); "
                                                     "try again in a moment"),
    (sqlite3.OperationalError("Database Busy"), "another program is holding your progress file (it is locked); "
                                                "try again in a moment"),
    (sqlite3.OperationalError("attempt to write a readonly database"), "your progress file cannot be written (it is "
                                                                       "read-only)"),
    (OSError("Read-only file system"), "your progress file cannot be written (it is read-only)"),
    (PermissionError("denied"), "your progress file cannot be written (it is read-only)"),
    (sqlite3.OperationalError("unable to open database file"), "your progress file cannot be opened (its folder is "
                                                               "missing or not reachable)"),
    (FileNotFoundError("gone"), "your progress file cannot be opened (its folder is missing or not reachable)"),
    (sqlite3.OperationalError("Disk I/O error"), "the disk that holds your progress file reported an error"),
    (OSError("quota exceeded"), "your progress file cannot be used just now (quota exceeded)"),
])
def test_each_problem_with_the_progress_file_is_told_in_plain_words(problem, told):
    assert plain_problem(problem) == told


def test_an_export_holds_its_format_version_date_learner_and_attempts(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite")
    store.record("01_history", "history-01", True, "A")
    payload = json.loads(store.export(tmp_path / "out.json").read_text(encoding="utf-8"))
    assert list(payload) == ["format", "version", "exported", "learner", "attempts"]
    assert (payload["format"], payload["version"], payload["learner"]) == ("vndiplomacy-progress", 2, store.learner())
    assert dt.datetime.fromisoformat(payload["exported"]).tzinfo is not None and len(payload["attempts"]) == 1
