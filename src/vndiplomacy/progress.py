"""The learner's progress: every quiz attempt, in an SQLite file.

The file is $VNDIPLOMACY_PROGRESS, or ~/.vndiplomacy/progress.sqlite. Several
notebooks may write at once (WAL journal, busy timeout). A file that is not a
readable database is moved aside, never deleted, and a fresh one is started.
Progress can be exported to a JSON file and imported again, which is how work
done on a temporary Binder session is kept.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import uuid
import warnings
from pathlib import Path

import pandas as pd

EXPORT_FORMAT = "vndiplomacy-progress"
EXPORT_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    uid TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    question TEXT NOT NULL,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_topic ON attempts (topic, question);
"""
FIELDS = ("uid", "topic", "question", "correct", "answer", "at")


class ProgressWarning(UserWarning):
    """Something happened to the progress file that the learner should know."""


class ImportRefused(ValueError):
    """A file offered for import is not a progress export of this module."""


def default_path() -> Path:
    """$VNDIPLOMACY_PROGRESS, or ~/.vndiplomacy/progress.sqlite."""
    override = os.environ.get("VNDIPLOMACY_PROGRESS")
    return Path(override).expanduser() if override else Path.home() / ".vndiplomacy" / "progress.sqlite"


class ProgressStore:
    """Records attempts and summarises them."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.moved_aside: Path | None = None
        try:
            self._initialise()
        except sqlite3.DatabaseError as exc:
            self._move_aside(exc)
            self._initialise()

    @contextlib.contextmanager
    def _connect(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            yield conn
        finally:
            conn.close()

    def _initialise(self) -> None:
        with self._connect() as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
            columns = [row[1] for row in conn.execute("PRAGMA table_info(attempts)")]
            if tuple(columns) != FIELDS:
                raise sqlite3.DatabaseError(f"unexpected columns {columns}")

    def _move_aside(self, exc: Exception) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.rename(Path(f"{target}{suffix}"))
        self.moved_aside = target
        warnings.warn(f"Your progress file {self.path} could not be read ({exc}). It was moved to {target} "
                      "so nothing is lost, and a new progress file was started. If you exported your progress "
                      "before, import that export to restore it.", ProgressWarning, stacklevel=3)

    def record(self, topic: str, question: str, correct: bool, answer) -> str:
        """Store one attempt; returns its id."""
        uid = uuid.uuid4().hex
        row = (uid, topic, question, int(bool(correct)), json.dumps(answer, ensure_ascii=False, default=str),
               dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"))
        with self._connect() as conn:
            conn.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?)", row)
        return uid

    def attempts(self, topic: str | None = None) -> pd.DataFrame:
        """All attempts, oldest first, optionally for one topic."""
        query = "SELECT * FROM attempts" + (" WHERE topic = ?" if topic else "") + " ORDER BY at, uid"
        with self._connect() as conn:
            frame = pd.read_sql_query(query, conn, params=(topic,) if topic else ())
        return frame.astype({"correct": bool}) if len(frame) else pd.DataFrame(columns=list(FIELDS))

    def latest(self, topic: str) -> dict[str, bool]:
        """Each question's latest result in a topic: {question id: correct}."""
        frame = self.attempts(topic)
        return {} if frame.empty else frame.groupby("question")["correct"].last().to_dict()

    def summary(self, banks: dict[str, int]) -> pd.DataFrame:
        """Per topic: questions whose latest attempt is right, bank size, attempts, percent."""
        rows = []
        for topic, total in banks.items():
            latest = self.latest(topic)
            correct = sum(latest.values())
            rows.append({"topic": topic, "correct": correct, "total": total,
                         "attempts": len(self.attempts(topic)),
                         "percent": round(100 * correct / total) if total else 0,
                         "label": f"{correct}/{total}"})
        return pd.DataFrame(rows)

    def export(self, target: Path | str) -> Path:
        """Write every attempt to a JSON file that import_file() reads back."""
        target = Path(target)
        records = self.attempts().astype({"correct": int}).to_dict(orient="records")
        payload = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
                   "exported": dt.datetime.now(dt.UTC).isoformat(), "attempts": records}
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return target

    def import_file(self, source: Path | str) -> int:
        """Add the attempts of an export; attempts already present are skipped. Returns how many were added."""
        return self.import_payload(read_export(source))

    def import_payload(self, payload: dict) -> int:
        """Add the attempts of an already checked export; returns how many were new."""
        rows = [tuple(a[f] for f in FIELDS) for a in payload["attempts"]]
        with self._connect() as conn:
            before = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR IGNORE INTO attempts VALUES (?, ?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] - before


def read_export(source, name: str | None = None) -> dict:
    """Read and check a progress export (a path, or bytes from an upload). Raises ImportRefused."""
    label = name or str(source)
    try:
        text = source.decode("utf-8") if isinstance(source, (bytes, bytearray, memoryview)) else \
            Path(source).read_text(encoding="utf-8")
        payload = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(f"{label}: not a progress export of this module (not readable JSON: {exc}).") from exc
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise ImportRefused(f"{label}: not a progress export of this module (no '{EXPORT_FORMAT}' format marker).")
    if payload.get("version") != EXPORT_VERSION:
        raise ImportRefused(f"{label}: export version {payload.get('version')!r} is not supported "
                            f"(expected {EXPORT_VERSION}).")
    attempts = payload.get("attempts")
    if not isinstance(attempts, list):
        raise ImportRefused(f"{label}: field 'attempts' must be a list.")
    for number, attempt in enumerate(attempts, start=1):
        problem = _attempt_problem(attempt)
        if problem:
            raise ImportRefused(f"{label}: attempt {number}: {problem}")
    return payload


def _attempt_problem(attempt) -> str | None:
    if not isinstance(attempt, dict):
        return "is not an object"
    for name in FIELDS:
        if name not in attempt:
            return f"field '{name}' is missing"
    if attempt["correct"] not in (0, 1, True, False):
        return "field 'correct' must be 0 or 1"
    for name in ("uid", "topic", "question", "answer", "at"):
        if not isinstance(attempt[name], str) or not attempt[name]:
            return f"field '{name}' must be a non-empty string"
    try:
        dt.datetime.fromisoformat(attempt["at"])
    except ValueError:
        return "field 'at' is not an ISO date-time"
    return None
