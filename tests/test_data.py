"""The data package: valid, typed, traceable; broken files get clear errors."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from course_paths import DATA, ROOT, need_seeds

from vndiplomacy.data import (
    DataError,
    chronological,
    descriptor,
    fact_tables,
    load_all,
    load_table,
    split_list,
    table_names,
    validate_table,
)

TABLES = table_names(DATA)
SEEDS_CHECK = ROOT.parent / "shared" / "tools" / "check_sources.py"


def test_frictionless_validates_the_package():
    result = subprocess.run([str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
                             "datapackage.json"], cwd=DATA, capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps([t["errors"][:3] for t in report["tasks"] if not t["valid"]], indent=1)


def test_every_csv_has_a_schema_and_every_schema_a_csv():
    csvs = {p.stem for p in DATA.glob("*.csv")}
    assert csvs == set(TABLES)


def test_every_fact_table_has_a_source_and_cites():
    for name in fact_tables(DATA):
        frame = load_table(name)
        assert frame["source"].notna().all() and frame["cites"].str.strip().ne("").all(), name
        assert foreign_key_to_sources(name), f"{name} lacks a foreign key to sources"


def foreign_key_to_sources(name):
    resource = next(r for r in descriptor(DATA)["resources"] if r["name"] == name)
    return any(fk["reference"]["resource"] == "sources" for fk in resource["schema"]["foreignKeys"])


@pytest.mark.parametrize("name", TABLES)
def test_loader_returns_typed_frames(name):
    frame = load_table(name)
    assert len(frame) > 0
    fields = next(r for r in descriptor(DATA)["resources"] if r["name"] == name)["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields if not f.get("authoring")]
    for field in fields:
        if field.get("authoring"):
            continue
        column = frame[field["name"]]
        if field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(column), field["name"]
        elif field["type"] == "integer":
            assert str(column.dtype) == "Int64", field["name"]
        elif field.get("constraints", {}).get("enum"):
            assert isinstance(column.dtype, pd.CategoricalDtype), field["name"]


def test_list_cells_reference_known_countries_and_sources():
    iso = set(load_table("countries")["iso3"])
    for row in load_table("events").itertuples():
        unknown = set(split_list(row.countries)) - iso
        assert not unknown, f"events.csv {row.id}: countries {unknown} not in countries.csv"
    sources = set(load_table("sources")["id"])
    for row in load_table("discrepancies").itertuples():
        assert set(split_list(row.other_sources)) <= sources, row.id


def test_at_least_forty_verbatim_quotes():
    count = sum(load_table(n)["quote"].fillna("").str.strip().ne("").sum()
                for n in TABLES if "quote" in load_table(n))
    assert count >= 40


def test_congresses_six_to_fourteen_each_with_a_year():
    congresses = load_table("congresses")
    assert list(congresses["number"]) == list(range(6, 15))
    assert congresses["year"].notna().all()
    outside = congresses[congresses["year_basis"].isin(["general knowledge", "context"])]
    assert outside["general_knowledge"].fillna("").str.contains("year").all()


def test_quotes_are_verbatim_and_nothing_is_copied():
    need_seeds(SEEDS_CHECK)
    result = subprocess.run([sys.executable, str(SEEDS_CHECK)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


# Broken copies: each must fail with one message naming file, row and field.

def rewrite(path, edit):
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")


def test_missing_column(data_copy):
    path = data_copy / "events.csv"
    rewrite(path, lambda t: t.replace(",date_precision,", ",precision,", 1))
    with pytest.raises(DataError) as err:
        load_table("events", data_copy)
    assert "events.csv" in str(err.value) and "date_precision" in str(err.value)


OPEN_ALL = """
import sys
from vndiplomacy.data import DataError, is_validated, load_table, mark_validated, table_names
cached = is_validated()
try:
    for name in table_names():
        load_table(name)
except DataError as exc:
    sys.exit(f"DataError: {exc}")
mark_validated()
print(cached, "frictionless" in sys.modules)
"""


def open_in_a_new_kernel(data: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "VNDIPLOMACY_DATA": str(data), "VNDIPLOMACY_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-c", OPEN_ALL], capture_output=True, text=True, env=env, timeout=120)


def test_an_edit_after_a_cached_validation_is_caught_on_the_next_open(data_copy, tmp_path):
    first = open_in_a_new_kernel(data_copy, tmp_path / "cache")
    assert first.stdout.split() == ["False", "True"], first.stderr
    second = open_in_a_new_kernel(data_copy, tmp_path / "cache")
    assert second.stdout.split() == ["True", "False"], "an unchanged package was validated again"
    date = pd.read_csv(data_copy / "events.csv", dtype=str)["date"][0]
    rewrite(data_copy / "events.csv", lambda t: t.replace(f",{date},", ",1954-13-45,", 1))
    third = open_in_a_new_kernel(data_copy, tmp_path / "cache")
    assert third.returncode != 0 and "events.csv" in third.stderr and "'date'" in third.stderr, third.stderr


def test_bad_date(data_copy):
    path = data_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    good = frame.loc[2, "date"]
    lines[3] = lines[3].replace(good, "1954-13-45", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_table("events", data_copy)
    assert err.value.row == 4 and err.value.field == "date", str(err.value)
    assert str(err.value) == f"{path}, row 4, field 'date': type error: type is \"date/default\""


def test_a_repeated_key_of_several_columns_names_them_all_in_a_folder_of_its_own(data_copy, tmp_path):
    """The folder given is the one checked, whatever folder the course reads by default."""
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    path = other / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        validate_table("countries", other)
    assert (err.value.path, err.value.row, err.value.field) == (path, len(lines) + 1, "iso3, role, period"), str(err.value)
    assert str(err.value) == (f"{path}, row {len(lines) + 1}, field 'iso3, role, period': primarykey error: the same as "
                              "in the row at position 2")


def test_unknown_source_id(data_copy):
    path = data_copy / "figures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "source"] = "no-such-source"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_table("figures", data_copy)
    assert err.value.row == 2 and err.value.field == "source", str(err.value)
    assert "no-such-source" in str(err.value)


def test_duplicate_key(data_copy):
    path = data_copy / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_table("glossary", data_copy)
    assert err.value.row == len(lines) + 1 and err.value.field == "term", str(err.value)


def test_file_that_is_not_utf8(data_copy):
    path = data_copy / "people.csv"
    path.write_bytes(path.read_bytes().replace(b"Nguyen", "Nguy\xeam".encode("latin-1"), 1))
    with pytest.raises(DataError) as err:
        load_table("people", data_copy)
    assert "people.csv" in str(err.value) and "UTF-8" in str(err.value) and err.value.row is not None


def test_missing_file(data_copy):
    (data_copy / "policies.csv").unlink()
    with pytest.raises(DataError) as err:
        load_table("policies", data_copy)
    assert "policies.csv" in str(err.value)


def test_data_dictionary_is_current():
    from vndiplomacy.datadoc import render

    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert render(readme) == readme, "data/README.md is out of date: run make datadoc"
    for name in TABLES:
        assert f"`{name}.csv`" in readme


def test_chronological_orders_days_then_months_then_years_and_undated_last_at_each_precision():
    frame = pd.DataFrame({"date": pd.to_datetime(["1954-05-07", "1954-01-01", "1954-05-01", None, "1954-05-20",
                                                  "1953-12-31"]),
                          "date_precision": ["day", "year", "month", "day", "day", "day"],
                          "end_date": pd.to_datetime([None, "1975-04-30", None, None, "1954-05-20", None]),
                          "name": list("abcdef")}, index=[10, 11, 12, 13, 14, 15])
    ordered = chronological(frame)
    assert list(ordered["name"]) == list("faecbd") and list(ordered.index) == list(range(6))
    assert list(ordered.columns) == [*frame.columns, "when"]
    assert list(ordered["when"]) == ["31 December 1953", "7 May 1954", "20 May 1954", "May 1954", "1954–1975",
                                     "date not given"]
    plain = chronological(frame.drop(columns=["date_precision", "end_date"]))
    assert list(plain["name"]) == list("fbcaed") and plain["when"][1] == "1 January 1954"


def test_load_all_reads_every_table_of_the_folder_it_is_given(data_copy, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    package = json.loads((other / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "people"]
    (other / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    rewrite(other / "glossary.csv", lambda text: "\n".join(text.splitlines()[:3]) + "\n")
    tables = load_all(other)
    assert list(tables) == table_names(other) and "people" not in tables
    assert len(tables["glossary"]) == 2 and all(tables[name].equals(load_table(name, other)) for name in tables)


def test_the_lists_a_folder_checks_are_those_its_own_schema_names(data_copy, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    rewrite(other / "events.csv", lambda text: text.replace(",VNM", ",ZZZ", 1))
    with pytest.raises(DataError, match="ZZZ: not in the iso3 column of countries.csv"):
        validate_table("events", other)
    package = json.loads((other / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in package["resources"] if r["name"] == "events")
    next(f for f in events["schema"]["fields"] if f["name"] == "countries").pop("listReference")
    (other / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    validate_table("events", other)


def test_list_items_that_look_like_missing_values_are_read_as_text(data_copy):
    """'null' and 'nan' are ids like any other: one is a source here, the other is not."""
    sources = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    pd.concat([sources, sources.head(1).assign(id="null")]).to_csv(data_copy / "sources.csv", index=False)
    path = data_copy / "discrepancies.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "other_sources"] = "null"
    frame.to_csv(path, index=False)
    validate_table("discrepancies", data_copy)
    frame.loc[0, "other_sources"] = "nan"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="nan: not in the id column of sources.csv") as err:
        validate_table("discrepancies", data_copy)
    assert (err.value.row, err.value.field) == (2, "other_sources")


def test_chronological_puts_a_year_only_date_after_the_precise_dates_of_its_year():
    events = chronological(load_table("events"))
    titles = list(events["title"])
    dien_bien_phu = next(i for i, t in enumerate(titles) if "Dien Bien Phu" in t)
    against_us = next(i for i, t in enumerate(titles) if t.startswith("Resistance against the United States"))
    assert dien_bien_phu < against_us
    assert events.loc[dien_bien_phu, "when"] == "7 May 1954" and events.loc[against_us, "when"] == "1954–1975"
    keys = [(d.year, d.month if p != "year" else 13) for d, p in zip(events["date"], events["date_precision"],
                                                                    strict=True) if pd.notna(d)]
    assert keys == sorted(keys)


def test_a_missing_source_check_fails_under_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must have the source documents"):
        need_seeds(tmp_path / "missing.py")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        need_seeds(tmp_path / "missing.py")


def break_cell(folder, table, row_index, field, value):
    """Set one cell of a copied table; returns the CSV line number of that row."""
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row_index, field] = value
    frame.to_csv(path, index=False)
    return row_index + 2


@pytest.mark.parametrize(("table", "field", "value", "says"), [
    ("events", "topics", "history;defense", "defense: not in the topics of course.yml"),
    ("events", "topics", "history, defence", "pattern"),
    ("events", "countries", "VNM;XXX", "XXX: not in the iso3 column of countries.csv"),
    ("discrepancies", "other_sources", "wikipedia", "wikipedia: not in the id column of sources.csv"),
    ("people", "quoted", "1", "type"),
    ("sources", "url", "ftp://example.org/article", "pattern"),
])
def test_a_bad_list_item_boolean_or_address_is_named_with_file_row_and_field(data_copy, table, field, value, says):
    line = break_cell(data_copy, table, 1, field, value)
    with pytest.raises(DataError) as err:
        load_table(table, data_copy)
    message = str(err.value)
    assert f"{table}.csv" in message and f"row {line}" in message and f"'{field}'" in message, message
    assert says in message.lower() or says in message, message


def test_a_row_without_citations_has_no_main_source():
    from vndiplomacy.data import main_source

    assert main_source("") == "" and main_source(None) == ""
    assert main_source("cr-three-pillars:2.13; vov-core-regular:3.1") == "cr-three-pillars"


def test_a_byte_that_is_not_utf8_is_reported_on_its_line(data_copy):
    path = data_copy / "people.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] += b"\xff"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(DataError) as err:
        load_table("people", data_copy)
    assert err.value.row == 4 and "row 4" in str(err.value), str(err.value)


@pytest.mark.parametrize("precision, label", [("day", "7 May 1954"), ("month", "May 1954"), ("year", "1954"),
                                              ("unclear", "7 May 1954")])
def test_a_date_is_labelled_at_the_precision_the_source_gives(precision, label):
    from vndiplomacy.data import date_label

    date = pd.Timestamp("1954-05-07")
    assert date_label(date, precision) == label
    assert date_label(date) == "7 May 1954", "a date of unstated precision is given to the day"
    assert date_label(date, "year", pd.Timestamp("1975-04-30")) == "1954–1975"
    assert date_label(date, precision, pd.Timestamp("1954-12-31")) == label, "a span within one year shows no end"
    assert date_label(pd.NaT, precision) == "date not given"


def test_a_data_folder_passed_in_is_the_one_read_and_checked(tmp_path):
    """Tools that take a folder (the data dictionary, handouts, tests) get that folder's tables and errors, not the
    course's data/."""
    import shutil

    from vndiplomacy.data import data_version

    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "glossary"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert "glossary" in table_names(DATA) and "glossary" not in table_names(folder)
    assert "glossary" not in fact_tables(folder) and set(fact_tables(folder)) < set(fact_tables(DATA))
    assert data_version(folder) != data_version(DATA)
    rewrite(folder / "events.csv", lambda t: t.replace(f",{pd.read_csv(folder / 'events.csv', dtype=str)['date'][0]},",
                                                        ",1954-13-45,", 1))
    with pytest.raises(DataError) as err:
        load_table("events", folder)
    assert str(folder / "events.csv") in str(err.value) and err.value.field == "date", str(err.value)


def test_a_schema_edit_is_checked_without_restarting_the_kernel(data_copy):
    from vndiplomacy.data import validate_table

    validate_table("glossary", data_copy)
    package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    glossary = next(r for r in package["resources"] if r["name"] == "glossary")
    term = next(f for f in glossary["schema"]["fields"] if f["name"] == "term")
    term.setdefault("constraints", {})["maxLength"] = 3
    (data_copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(DataError) as err:
        validate_table("glossary", data_copy)
    assert err.value.field == "term", str(err.value)


def test_every_column_is_typed_as_its_schema_says_whichever_folder_it_is_read_from(data_copy):
    """Dates, whole numbers, numbers, yes/no and fixed choices come typed, blank cells as missing values, and the
    maintainers' notes left out: for a data folder read for the first time, not only for the one cached."""
    for resource in descriptor(data_copy)["resources"]:
        name = resource["name"]
        frame = load_table(name, data_copy)
        raw = pd.read_csv(data_copy / f"{name}.csv", dtype=str, keep_default_na=False)
        for field in resource["schema"]["fields"]:
            column = field["name"]
            if field.get("authoring"):
                assert column not in frame, f"{name}.{column} is a maintainers' note"
                continue
            kind, enum = field.get("type", "string"), field.get("constraints", {}).get("enum")
            values, cells = frame[column], raw[column]
            blank = cells.str.strip() == ""
            if kind == "string" and not enum:
                assert values.dtype == "string" and list(values) == list(cells), f"{name}.{column}"
                continue
            assert list(values.isna()) == list(blank), f"{name}.{column}: blank cells are missing values, no others"
            given = values[~blank]
            if kind == "date":
                assert str(values.dtype).startswith("datetime64"), f"{name}.{column}"
                assert list(given.dt.strftime("%Y-%m-%d")) == list(cells[~blank]), f"{name}.{column}"
            elif kind in ("integer", "number"):
                assert str(values.dtype) == {"integer": "Int64", "number": "Float64"}[kind], f"{name}.{column}"
                assert [float(v) for v in given] == [float(c) for c in cells[~blank]], f"{name}.{column}"
            elif kind == "boolean":
                assert str(values.dtype) == "boolean", f"{name}.{column}"
                truth = {**dict.fromkeys(field.get("trueValues", ["true"]), True),
                         **dict.fromkeys(field.get("falseValues", ["false"]), False)}
                assert list(given) == [truth[c] for c in cells[~blank]], f"{name}.{column}"
            else:
                assert values.cat.ordered and list(values.cat.categories) == enum, f"{name}.{column}"
                assert list(given.astype(str)) == list(cells[~blank]), f"{name}.{column}"
