"""Load the course's data package as typed pandas DataFrames.

Every table is validated against its Table Schema in ``data/datapackage.json``
(with the Frictionless library) before it is read, so a broken file fails with
one clear message naming the file, the row and the field. A full validation is
remembered per data version (a hash of the descriptor and every table), so an
unchanged package is not validated again on the next open, and any edit is.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd

from .paths import data_dir

LIST_SEPARATOR = ";"


class DataError(ValueError):
    """A data file does not match its schema; the message names file, row and field."""

    def __init__(self, path, message, row=None, field=None):
        self.path, self.row, self.field = Path(path), row, field
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}")


def descriptor(folder: Path | None = None) -> dict:
    """The parsed datapackage.json, read again only when the file changes (treat it as read-only)."""
    path = (folder or data_dir()) / "datapackage.json"
    return _read_descriptor(path, _mtime(path))


@functools.lru_cache(maxsize=8)
def _read_descriptor(path: Path, _stamp: int) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(path, f"cannot read the data package descriptor ({exc})") from exc


def table_names(folder: Path | None = None) -> list[str]:
    """Names of all tables in the package, in descriptor order."""
    return [r["name"] for r in descriptor(folder)["resources"]]


REFERENCE_TABLES = ("sources", "source_paragraphs")


def fact_tables(folder: Path | None = None) -> list[str]:
    """The tables of facts, each row citing the sources (all but the sources and their paragraph map)."""
    return [name for name in table_names(folder) if name not in REFERENCE_TABLES]


def validate_table(name: str, folder: Path | None = None) -> None:
    """Validate one table (types, constraints, keys, foreign keys); raise DataError on the first problem."""
    folder = folder or data_dir()
    path = folder / f"{name}.csv"
    _check_utf8(path)
    report = _package(str(folder), _mtime(folder / "datapackage.json")).get_resource(name).validate()
    if report.valid:
        _check_list_references(name, folder, path)
        return
    task_errors = [e for task in report.tasks for e in task.errors] or list(report.errors)
    err = task_errors[0]
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None) or ", ".join(getattr(err, "field_names", None) or []) or None
    if err.type == "primary-key":
        field = ", ".join(_schema(name, folder)["primaryKey"])
    note = getattr(err, "note", "") or err.message
    raise DataError(path, f"{err.title.lower()}: {note}", row=row, field=field)


def _check_list_references(name: str, folder: Path, path: Path) -> None:
    """Each item of a ';'-separated list cell must name a row of the table its field's listReference gives, or an
    entry of a course.yml list ({"course": "topics"}).
    """
    for field in _schema(name, folder)["fields"]:
        reference = field.get("listReference")
        if not reference:
            continue
        if "course" in reference:  # a list of the course manifest, such as its topics
            from .manifest import course

            known = {entry.id for entry in getattr(course(), reference["course"])}
            where = f"the {reference['course']} of course.yml"
        else:
            target = pd.read_csv(folder / f"{reference['resource']}.csv", dtype=str, keep_default_na=False)
            known = set(target[reference["field"]])
            where = f"the {reference['field']} column of {reference['resource']}.csv"
        cells = pd.read_csv(path, dtype=str, keep_default_na=False)[field["name"]]
        for row, cell in enumerate(cells, start=2):
            unknown = [item for item in split_list(cell) if item not in known]
            if unknown:
                raise DataError(path, f"{', '.join(unknown)}: not in {where}", row=row, field=field["name"])


def data_version(folder: Path | None = None) -> str:
    """A hash of datapackage.json and every table it lists: it changes with any edit to the data."""
    folder = folder or data_dir()
    return content_version([folder / "datapackage.json", *(folder / f"{n}.csv" for n in table_names(folder))])


def content_version(paths: list[Path]) -> str:
    """A hash of the names and contents of these files (recomputed only when one is touched)."""
    return _hash_files(tuple(paths), tuple((_mtime(p), _size(p)) for p in paths))


@functools.lru_cache(maxsize=8)
def _hash_files(paths: tuple[Path, ...], _stamps: tuple) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def validation_cache() -> Path:
    """Where validated data versions are remembered: $VNDIPLOMACY_CACHE, or the user's cache folder."""
    override = os.environ.get("VNDIPLOMACY_CACHE")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vndiplomacy"
    return Path(override) if override else base / "validated"


def is_validated(folder: Path | None = None, version: str | None = None) -> bool:
    """Whether this exact version of the data (or of other files, by `version`) passed a full validation before."""
    return (validation_cache() / (version or data_version(folder))).exists()


def mark_validated(folder: Path | None = None, version: str | None = None) -> None:
    """Remember that this version is valid (quietly skipped if the cache cannot be written)."""
    marker = validation_cache() / (version or data_version(folder))
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass


@functools.lru_cache(maxsize=8)
def _package(folder: str, _descriptor_stamp: int):
    """The Frictionless package, built once per descriptor version (building it validates the descriptor)."""
    from frictionless import Package

    return Package(copy.deepcopy(descriptor(Path(folder))), basepath=folder)


def _check_utf8(path: Path) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(path, f"cannot read the file ({exc.strerror})") from exc
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise DataError(path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                        row=row) from exc


def load_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One table as a typed DataFrame: dates as datetimes, integers as Int64, enums as ordered categories.

    Authoring fields (maintainers' notes, marked "authoring": true in the schema) are left out.
    """
    folder = folder or data_dir()
    stamp = tuple(_mtime(folder / f"{n}.csv") for n in [name, *_referenced(name, folder)])
    return _load_cached(name, str(folder), stamp, _mtime(folder / "datapackage.json")).copy()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _referenced(name: str, folder: Path) -> list[str]:
    schema = _schema(name, folder)
    return [fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])]


def _schema(name: str, folder: Path) -> dict:
    for resource in descriptor(folder)["resources"]:
        if resource["name"] == name:
            return resource["schema"]
    raise KeyError(f"no table named {name!r} in {folder / 'datapackage.json'}")


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, folder: str, _stamp: tuple, _descriptor_stamp: float) -> pd.DataFrame:
    folder_path = Path(folder)
    if not is_validated(folder_path):
        validate_table(name, folder_path)
    frame = pd.read_csv(folder_path / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    for field in _schema(name, folder_path)["fields"]:
        if field.get("authoring"):
            frame = frame.drop(columns=field["name"])
        else:
            frame[field["name"]] = _typed(frame[field["name"]], field)
    return frame


def _typed(column: pd.Series, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if kind == "string" and not enum:
        return column.astype("string")
    blank = column.str.strip() == ""
    if kind == "date":
        return pd.to_datetime(column.where(~blank), format="%Y-%m-%d")
    if kind == "integer":
        return pd.to_numeric(column.where(~blank)).astype("Int64")
    if kind == "number":
        return pd.to_numeric(column.where(~blank)).astype("Float64")
    if kind == "boolean":
        values = {**{v: True for v in field.get("trueValues", ["true"])},
                  **{v: False for v in field.get("falseValues", ["false"])}}
        return column.map(values).astype("boolean")
    if enum:
        return pd.Categorical(column.where(~blank), categories=enum, ordered=True)
    return column.astype("string")


def load_all(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the package, by name."""
    return {name: load_table(name, folder) for name in table_names(folder)}


def split_list(value) -> list[str]:
    """Split a ';'-separated cell into its items (an empty cell gives [])."""
    if value is None or pd.isna(value):
        return []
    return [item.strip() for item in str(value).split(LIST_SEPARATOR) if item.strip()]


def citable_paragraphs() -> set[str]:
    """Ids a citation may name: every line of the sources, page notes (a photo caption, a publication line)
    included, for the few facts only they give.
    """
    return set(load_table("source_paragraphs")["id"])


def split_cites(cites) -> list[tuple[str, str]]:
    """A cites cell as (source id, place) pairs in order, e.g. [('cr-three-pillars', '2.13')]."""
    return [tuple(item.split(":", 1)) for item in split_list(cites)]


def main_source(cites) -> str:
    """The main source of a cites cell: the source of its first paragraph."""
    pairs = split_cites(cites)
    return pairs[0][0] if pairs else ""


def place_label(place: str) -> str:
    """A paragraph's place as learners see it: '§2 ¶13', '§1 heading', 'title', 'fn. 13' or 'page note 1' (a line of
    the page that is not part of the article, such as a photo caption).
    """
    if place.startswith("fn"):
        return f"fn. {place[2:]}"
    if place.startswith("nc"):
        return f"page note {place[2:]}"
    section, _, number = place.partition(".")
    if place == "0.0":
        return "title"
    return f"§{section} heading" if number == "0" else f"§{section} ¶{number}"


PROSE_CITATION = re.compile(r"\[((?:[a-z0-9]+(?:-[a-z0-9]+)+) (?:§\d+ (?:¶\d+|heading)|title|fn\. \d+)"
                            r"(?:(?:, |; (?:[a-z0-9]+(?:-[a-z0-9]+)+) )(?:§\d+ (?:¶\d+|heading)|title|fn\. \d+))*)\]")
_PLACE = re.compile(r"§(\d+) ¶(\d+)|§(\d+) heading|title|fn\. (\d+)")


def prose_citations(text: str) -> list[str]:
    """The paragraph ids of the citations in a text, written as learners read them: '[cr-three-pillars §2 ¶13]',
    '[vov-core-regular §3 heading, fn. 2; dd-early-afar title]'.
    """
    ids = []
    for match in PROSE_CITATION.finditer(text):
        for group in match.group(1).split("; "):
            source, _, places = group.partition(" ")
            for place in places.split(", "):
                m = _PLACE.fullmatch(place)
                ids.append(f"{source}:" + (f"{m[1]}.{m[2]}" if m[1] else f"{m[3]}.0" if m[3] else "0.0" if
                                           place == "title" else f"fn{m[4]}"))
    return ids


DATE_FORMATS = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}


def date_label(date, precision: str = "day", end=None) -> str:
    """A date at the precision the source gives, with the end year of a span: '7 May 1954', 'May 1954', '1965–1975'."""
    if pd.isna(date):
        return "date not given"
    label = date.strftime(DATE_FORMATS.get(str(precision), DATE_FORMATS["day"]))
    return f"{label}–{end.year}" if end is not None and pd.notna(end) and end.year != date.year else label


def chronological(frame: pd.DataFrame, date: str = "date") -> pd.DataFrame:
    """Rows in time order as far as their dates allow, with a `when` column at each date's precision.

    A date known only to the year sorts after the dated rows of that year, a month-only date after the days of its
    month: a year-only '1954' is stored as 1 January but must not come before 7 May 1954. Undated rows go last.
    """
    precision = frame["date_precision"].astype(str) if "date_precision" in frame else pd.Series("day", frame.index)
    dates = frame[date]
    keys = pd.DataFrame({"year": dates.dt.year,
                         "month": dates.dt.month.where(precision.isin(["day", "month"]), 13),
                         "day": dates.dt.day.where(precision == "day", 32)}, index=frame.index)
    ends = frame["end_date"] if "end_date" in frame else pd.Series(None, frame.index)
    labelled = frame.assign(when=[date_label(d, p, e) for d, p, e in zip(dates, precision, ends, strict=True)])
    order = keys.sort_values(["year", "month", "day"], na_position="last", kind="stable").index
    return labelled.loc[order].reset_index(drop=True)

