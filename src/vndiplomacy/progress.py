"""The learner's progress: every quiz attempt, and who the learner is, in an SQLite file.

The file is $VNDIPLOMACY_PROGRESS, or ~/.vndiplomacy/progress.sqlite. Several
notebooks may write at once (rollback journal, which is safe on the network
filesystems of a JupyterHub, with a short busy timeout). Only a file that is
really damaged (not a database, a failed quick_check, or the wrong tables) is
moved aside, under a unique name; a locked, read-only or unreachable file is
left alone and the learner is told. The schema is versioned (PRAGMA
user_version) and older files are migrated in place, keeping every attempt.
Progress can be exported to a JSON file and imported again, which is how work
done on a temporary Binder session is kept and how a teacher collects it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time
import uuid
import warnings
import weakref
from pathlib import Path

import pandas as pd

EXPORT_FORMAT = "vndiplomacy-progress"
EXPORT_VERSION = 2
READABLE_EXPORT_VERSIONS = (1, 2)
SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 3
# After a failure, further calls within this many seconds fail at once (one click waits at most once).
FAIL_FAST_S = 1
FIELDS = ("uid", "topic", "question", "correct", "answer", "at", "kind")
ATTEMPT_KINDS = ("first", "retry", "practice")
V1_FIELDS = FIELDS[:-1]
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    uid TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answer TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'first' CHECK (kind IN ('first', 'retry', 'practice'))
);
CREATE INDEX IF NOT EXISTS attempts_question ON attempts (question, at);
CREATE TABLE IF NOT EXISTS learner (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS linked_ids (id TEXT PRIMARY KEY);
"""
# SQLite result codes that mean the file itself is damaged or is not a database.
DAMAGED_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


# The dashboards that follow progress, newest last. A widget lives as long as its kernel (ipywidgets keeps every
# widget it made), so a dashboard cell run again leaves its old dashboard behind; only the newest few are refreshed,
# or every answer would redraw every dashboard ever made in the session.
_VIEWS: list[weakref.ref] = []
MAX_FOLLOWERS = 3


def follow(view) -> None:
    """Have view.refresh() called whenever an answer is saved in this kernel (the newest few progress dashboards)."""
    _VIEWS.append(weakref.ref(view))
    del _VIEWS[:-MAX_FOLLOWERS]


def announce_change() -> None:
    """Tell every following view that progress changed."""
    for ref in list(_VIEWS):
        view = ref()
        if view is not None:
            view.refresh()


class ProgressWarning(UserWarning):
    """Something happened to the progress file that the learner should know."""


class ProgressUnavailable(RuntimeError):
    """The progress file cannot be used just now (locked, read-only, unreachable); nothing was moved."""


class ImportRefused(ValueError):
    """A file offered for import is not a progress export of this module."""


class AnotherLearner(ImportRefused):
    """An export made by another learner id: import it only if the learner confirms it is theirs."""

    def __init__(self, label: str, learner: dict):
        self.learner = learner
        name = learner.get("name") or "someone with no name set"
        super().__init__(f"{label} was exported by {name}, not by you. Import it only if it is your own work "
                         "from another computer or session.")


class _Damaged(Exception):
    """The file is not a usable progress database (internal signal to move it aside)."""


def on_binder() -> bool:
    """Whether this is a temporary Binder session (Binder sets BINDER_LAUNCH_HOST), where files vanish at the end."""
    return bool(os.environ.get("BINDER_LAUNCH_HOST") or os.environ.get("BINDER_REQUEST"))


def default_path() -> Path:
    """$VNDIPLOMACY_PROGRESS, or ~/.vndiplomacy/progress.sqlite."""
    override = os.environ.get("VNDIPLOMACY_PROGRESS")
    return Path(override).expanduser() if override else Path.home() / ".vndiplomacy" / "progress.sqlite"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def plain_problem(exc: BaseException) -> str:
    """A learner-readable account of why the progress file cannot be used."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "another program is holding your progress file (it is locked); try again in a moment"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return "your progress file cannot be written (it is read-only)"
    if "unable to open" in text or isinstance(exc, FileNotFoundError):
        return "your progress file cannot be opened (its folder is missing or not reachable)"
    if "disk i/o" in text:
        return "the disk that holds your progress file reported an error"
    return f"your progress file cannot be used just now ({exc})"


class ProgressStore:
    """Records attempts, knows the learner, and summarises progress."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.moved_aside: Path | None = None
        self.fallback_reason: str | None = None
        self.problem: str | None = None
        self._ready = False
        self._fail_fast_until = 0.0
        try:
            self._ensure_ready()
        except ProgressUnavailable as exc:
            self.problem = str(exc)

    def _ensure_ready(self) -> None:
        """Open (and if needed create, migrate or replace) the file once; a temporary problem is retried later."""
        if self._ready:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open()
        except (OSError, ProgressUnavailable) as exc:
            if self.fallback_reason or (isinstance(exc, ProgressUnavailable) and self.path.exists()):
                raise exc if isinstance(exc, ProgressUnavailable) else ProgressUnavailable(plain_problem(exc)) from exc
            self._fall_back(exc)
        self._ready, self.problem = True, None

    def _open(self) -> None:
        try:
            self._initialise()
        except _Damaged as damage:
            self._move_aside(damage)
            self._initialise()

    def _fall_back(self, exc: BaseException) -> None:
        """Work in a private temporary store when the home folder cannot be written."""
        self.fallback_reason = plain_problem(exc)
        folder = Path(tempfile.gettempdir()) / f"vndiplomacy-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        wanted = self.path
        self.path = folder / "progress.sqlite"
        warnings.warn(f"Your progress cannot be saved in {wanted}: {self.fallback_reason}. Your answers are kept in "
                      f"{self.path} for this session instead; export your progress before you leave.",
                      ProgressWarning, stacklevel=3)
        self._open()

    @contextlib.contextmanager
    def _connect(self):
        """A connection; SQLite errors other than damage become ProgressUnavailable with a plain reason."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise ProgressUnavailable(plain_problem(exc)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            yield conn
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) in DAMAGED_CODES:
                raise _Damaged(str(exc)) from exc
            raise ProgressUnavailable(plain_problem(exc)) from exc
        finally:
            conn.close()

    def _use(self, action):
        """Run action(connection) on the ready store.

        Damage found mid-session (another program overwrote the file, say) is handled as at opening: the file is
        checked again and moved aside only if it really is damaged; then the action is tried once more.
        """
        if time.monotonic() < self._fail_fast_until:
            raise ProgressUnavailable(self.problem)
        try:
            result = self._use_once_more_if_damaged(action)
        except ProgressUnavailable as exc:
            # One wait for a lock is enough: the calls of the same click fail at once instead of waiting again.
            self.problem, self._fail_fast_until = str(exc), time.monotonic() + FAIL_FAST_S
            raise
        self.problem = None
        return result

    def _use_once_more_if_damaged(self, action):
        self._ensure_ready()
        try:
            with self._connect() as conn:
                return action(conn)
        except _Damaged:
            self._ready = False
            self._ensure_ready()
        try:
            with self._connect() as conn:
                return action(conn)
        except _Damaged as damage:
            raise ProgressUnavailable(f"your progress file reports damage ({damage})") from damage

    def _initialise(self) -> None:
        """Check the file, and write to it only if it needs a migration (a current read-only file stays readable)."""
        with self._connect() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ProgressUnavailable(f"your progress file was written by a newer version of the course "
                                          f"(format {version}); update the course to use it")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise _Damaged("the file failed SQLite's integrity check")
            if version == SCHEMA_VERSION:
                self._check_tables(conn)
                return
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._migrate(conn, version)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _check_tables(conn) -> None:
        columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(attempts)"))
        learner = conn.execute("SELECT value FROM learner WHERE key = 'id'").fetchone() if columns == FIELDS else None
        if columns != FIELDS or not learner:
            raise _Damaged("its tables are not the ones this course writes")

    def _migrate(self, conn, version: int) -> None:
        """Bring the schema to SCHEMA_VERSION, keeping every attempt."""
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = tuple(row[1] for row in conn.execute("PRAGMA table_info(attempts)"))
        if version < 2 and "attempts" in tables:
            if columns != V1_FIELDS:
                raise _Damaged(f"it has an 'attempts' table this course did not write (columns {list(columns)})")
            conn.execute("ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'first' "
                         "CHECK (kind IN ('first', 'retry', 'practice'))")
            conn.execute("""UPDATE attempts SET kind = 'practice' WHERE uid NOT IN (
                              SELECT uid FROM (SELECT uid, ROW_NUMBER() OVER (PARTITION BY question ORDER BY at, uid)
                                               AS n FROM attempts) WHERE n = 1)""")
            conn.execute("DROP INDEX IF EXISTS attempts_topic")
        elif "attempts" in tables and columns != FIELDS:
            raise _Damaged(f"its 'attempts' table has unexpected columns {list(columns)}")
        for statement in filter(str.strip, SCHEMA.split(";")):
            conn.execute(statement)
        if not conn.execute("SELECT 1 FROM learner WHERE key = 'id'").fetchone():
            conn.execute("INSERT INTO learner VALUES ('id', ?)", (uuid.uuid4().hex,))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _move_aside(self, damage: Exception) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{uuid.uuid4().hex[:8]}")
        for suffix in ("", "-journal", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.rename(Path(f"{target}{suffix}"))
        self.moved_aside = target
        warnings.warn(f"Your progress file {self.path} was damaged ({damage}). It was moved to {target} "
                      "so nothing is lost, and a new progress file was started. If you exported your progress "
                      "before, import that export to restore it.", ProgressWarning, stacklevel=4)

    # The learner

    def learner(self) -> dict:
        """The store's learner: {'id', 'name', 'linked'}; on a JupyterHub the name defaults to the hub user."""
        def read(conn):
            return (dict(conn.execute("SELECT key, value FROM learner").fetchall()),
                    sorted(row[0] for row in conn.execute("SELECT id FROM linked_ids")))

        values, linked = self._use(read)
        return {"id": values["id"], "name": values.get("name") or os.environ.get("JUPYTERHUB_USER", ""),
                "linked": linked}

    def set_name(self, name: str) -> None:
        """Set the name the learner's exports carry."""
        name = " ".join(str(name).split())
        if not name:
            raise ValueError("A name cannot be empty.")
        self._use(lambda conn: conn.execute("INSERT OR REPLACE INTO learner VALUES ('name', ?)", (name,)))

    def is_me(self, learner_id: str | None) -> bool:
        """Whether an id is this learner's own or one they linked."""
        me = self.learner()
        return learner_id == me["id"] or learner_id in me["linked"]

    # Attempts

    def record(self, topic: str, question: str, correct: bool, answer, kind: str = "first") -> str:
        """Store one attempt; returns its id. Raises ProgressUnavailable when it cannot be saved."""
        if kind not in ATTEMPT_KINDS:
            raise ValueError(f"kind must be one of {ATTEMPT_KINDS}, not {kind!r}")
        uid = uuid.uuid4().hex
        row = (uid, topic, question, int(bool(correct)), json.dumps(answer, ensure_ascii=False, default=str),
               _now(), kind)
        self._use(lambda conn: conn.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?)", row))
        return uid

    def attempts(self, topic: str | None = None, question: str | None = None) -> pd.DataFrame:
        """All attempts, oldest first, optionally for one topic or one question."""
        where, params = [], []
        for column, value in (("topic", topic), ("question", question)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        query = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY at, uid"
        rows = self._use(lambda conn: conn.execute(query, params).fetchall())
        frame = pd.DataFrame.from_records(rows, columns=list(FIELDS))
        return frame.astype({"correct": bool}) if len(frame) else pd.DataFrame(columns=list(FIELDS))

    def summary(self, banks: dict[str, list[str]]) -> pd.DataFrame:
        """Per topic, by the course's scoring rule: right, answered, bank size, attempts, percent."""
        from .scoring import topic_scores

        return topic_scores(self.attempts(), banks)

    # Export and import

    def export(self, target: Path | str) -> Path:
        """Write the learner and every attempt to a JSON file that import_file() reads back."""
        target = Path(target)
        records = self.attempts().astype({"correct": int}).to_dict(orient="records")
        payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported": _now(),
                   "learner": self.learner(), "attempts": records}
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def import_file(self, source: Path | str, confirmed: bool = False) -> int:
        """Add the attempts of an export; attempts already present are skipped. Returns how many were added."""
        return self.import_payload(read_export(source), confirmed=confirmed)

    def import_payload(self, payload: dict, label: str = "This file", confirmed: bool = False) -> int:
        """Add the attempts of a checked export; returns how many were new.

        An export made under another learner id raises AnotherLearner unless the learner confirmed that it is
        theirs; then the two ids are linked as one learner.
        """
        other = payload.get("learner") or {}
        if not self.is_me(other.get("id")) and not confirmed:
            raise AnotherLearner(label, other)
        rows = [tuple(a[f] for f in FIELDS) for a in payload["attempts"]]

        def add(conn):
            before = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR IGNORE INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            mine = dict(conn.execute("SELECT key, value FROM learner").fetchall())["id"]
            for linked in {other.get("id"), *other.get("linked", [])} - {None, mine}:
                conn.execute("INSERT OR IGNORE INTO linked_ids VALUES (?)", (linked,))
            conn.execute("COMMIT")
            return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] - before

        return self._use(add)


def read_export(source, name: str | None = None) -> dict:
    """Read and check a progress export of any readable version (a path, or bytes from an upload).

    Returns it in the current shape: version 1 exports gain each attempt's kind (the first attempt at a question
    by time is 'first', later ones 'practice') and an empty learner. Raises ImportRefused.
    """
    label = name or str(source)
    try:
        text = source.decode("utf-8") if isinstance(source, bytes | bytearray | memoryview) else \
            Path(source).read_text(encoding="utf-8")
        payload = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(f"{label}: not a progress export of this course (it is not a readable JSON file).") \
            from exc
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise ImportRefused(f"{label}: not a progress export of this course (it has no '{EXPORT_FORMAT}' marker).")
    version = payload.get("version")
    if version not in READABLE_EXPORT_VERSIONS:
        raise ImportRefused(f"{label}: export version {version!r} is not supported (this course reads versions "
                            f"{', '.join(map(str, READABLE_EXPORT_VERSIONS))}).")
    attempts = payload.get("attempts")
    if not isinstance(attempts, list):
        raise ImportRefused(f"{label}: field 'attempts' must be a list.")
    fields = V1_FIELDS if version == 1 else FIELDS
    for number, attempt in enumerate(attempts, start=1):
        problem = _attempt_problem(attempt, fields)
        if problem:
            raise ImportRefused(f"{label}: attempt {number}: {problem}")
    learner = payload.get("learner", {}) if version >= 2 else {}
    if not isinstance(learner, dict) or not isinstance(learner.get("id", ""), str):
        raise ImportRefused(f"{label}: field 'learner' must be an object with a text 'id'.")
    if version == 1:
        seen = set()
        for attempt in sorted(attempts, key=lambda a: (a["at"], a["uid"])):
            attempt["kind"] = "practice" if attempt["question"] in seen else "first"
            seen.add(attempt["question"])
    return {**payload, "version": EXPORT_VERSION, "learner": learner, "attempts": attempts}


def _attempt_problem(attempt, fields) -> str | None:
    if not isinstance(attempt, dict):
        return "is not an object"
    for name in fields:
        if name not in attempt:
            return f"field '{name}' is missing"
    if attempt["correct"] not in (0, 1, True, False):
        return "field 'correct' must be 0 or 1"
    for name in ("uid", "topic", "question", "answer", "at"):
        if not isinstance(attempt[name], str) or not attempt[name]:
            return f"field '{name}' must be a non-empty string"
    if "kind" in fields and attempt["kind"] not in ATTEMPT_KINDS:
        return f"field 'kind' must be one of {', '.join(ATTEMPT_KINDS)}"
    try:
        dt.datetime.fromisoformat(attempt["at"])
    except ValueError:
        return "field 'at' is not an ISO date-time"
    return None
