"""The course manifest, course.yml: the notebooks in order, with title, minutes, topic, quiz bank, exercises and
readings, and the topics events are tagged with. Every list of notebooks, banks or topics in the package reads it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from .paths import course_root, manifest_path


class ManifestError(ValueError):
    """course.yml is malformed; the message names the entry and the field."""

    def __init__(self, path, message, entry=None, field_name=None):
        where = [str(path)] + ([entry] if entry else []) + ([f"field '{field_name}'"] if field_name else [])
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True)
class Topic:
    """A theme events are tagged with."""

    id: str
    label: str


@dataclass(frozen=True)
class Notebook:
    """A notebook of the course, as course.yml lists it."""

    file: str
    title: str
    minutes: int | None = None
    topic: str | None = None
    quiz: str | None = None
    exercises: str | None = None
    readings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file's stem, e.g. '01_history'."""
        return Path(self.file).stem

    @property
    def path(self) -> Path:
        """The notebook file in the course folder."""
        return course_root() / self.file


@dataclass(frozen=True)
class Course:
    """The whole manifest."""

    title: str
    topics: tuple[Topic, ...]
    notebooks: tuple[Notebook, ...]
    apps: tuple[Notebook, ...]
    teacher: tuple[Notebook, ...]
    links: dict


FIELDS = {"file": str, "title": str, "minutes": int, "topic": str, "quiz": str, "exercises": str, "readings": list}
LINKS = ("repository", "branch", "binder", "hub")
REQUIRED = {"notebooks": ("file", "title", "minutes", "readings"), "apps": ("file", "title"),
            "teacher": ("file", "title")}


def course() -> Course:
    """The parsed course.yml (read again only when the file changes)."""
    path = manifest_path()
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read(path: Path, _stamp: int) -> Course:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ManifestError(path, f"cannot read the course manifest ({exc})") from exc
    if not isinstance(raw, dict):
        raise ManifestError(path, "the manifest must be a mapping with title, topics and notebooks")
    topics = tuple(_topic(path, i, entry) for i, entry in enumerate(raw.get("topics") or [], start=1))
    lists = {key: tuple(_notebook(path, key, i, entry) for i, entry in enumerate(raw.get(key) or [], start=1))
             for key in REQUIRED}
    known_topics = {t.id for t in topics}
    for notebook in lists["notebooks"]:
        if notebook.topic is not None and notebook.topic not in known_topics:
            raise ManifestError(path, f"{notebook.topic!r} is not one of the topics {sorted(known_topics)}",
                                notebook.file, "topic")
    files = [n.file for key in REQUIRED for n in lists[key]]
    twice = sorted({f for f in files if files.count(f) > 1})
    if twice:
        raise ManifestError(path, f"listed twice: {', '.join(twice)}")
    links = raw.get("links") or {}
    missing = [key for key in LINKS if not isinstance(links.get(key), str) or not links[key]]
    if missing:
        raise ManifestError(path, f"links needs {', '.join(LINKS)}; missing or empty: {', '.join(missing)}", "links")
    return Course(str(raw.get("title", "")), topics, lists["notebooks"], lists["apps"], lists["teacher"], links)


def _topic(path, index, entry) -> Topic:
    if not isinstance(entry, dict) or set(entry) != {"id", "label"}:
        raise ManifestError(path, "each topic needs exactly an id and a label", f"topic {index}")
    return Topic(str(entry["id"]), str(entry["label"]))


def _notebook(path, key, index, entry) -> Notebook:
    where = f"{key} entry {index}"
    if not isinstance(entry, dict):
        raise ManifestError(path, "each entry must be a mapping of fields", where)
    where = f"{key} entry {index} ({entry.get('file', 'no file')})"
    for name in REQUIRED[key]:
        if entry.get(name) is None:
            raise ManifestError(path, "this field is required", where, name)
    for name, value in entry.items():
        if name not in FIELDS:
            raise ManifestError(path, f"unknown field; the fields are {', '.join(FIELDS)}", where, name)
        if value is not None and not isinstance(value, FIELDS[name]):
            raise ManifestError(path, f"must be a {FIELDS[name].__name__}, not {value!r}", where, name)
    return Notebook(**{**entry, "readings": tuple(entry.get("readings") or ())})


def learner_notebooks() -> tuple[Notebook, ...]:
    """The learner notebooks, in course order."""
    return course().notebooks


def notebook(name: str) -> Notebook:
    """A notebook of the course by its stem, e.g. '01_history'."""
    everything = [*course().notebooks, *course().apps, *course().teacher]
    found = next((n for n in everything if n.name == name), None)
    if found is None:
        raise KeyError(f"{name!r} is not a notebook of the course; the notebooks are "
                       f"{', '.join(n.name for n in everything)}")
    return found


def topic_ids() -> list[str]:
    """The events topics, in course order."""
    return [t.id for t in course().topics]


def topic_labels() -> dict[str, str]:
    """{topic id: its label}."""
    return {t.id: t.label for t in course().topics}


def quiz_banks() -> list[str]:
    """The quiz banks, in course order."""
    return [n.quiz for n in course().notebooks if n.quiz]
