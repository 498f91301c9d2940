"""The data package: valid, typed, traceable; broken files get clear errors."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from course_paths import DATA, ROOT, need_seeds

from vndiplomacy.data import DataError, chronological, descriptor, fact_tables, load_table, split_list, table_names

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
    assert "events.csv" in str(err.value) and "row 4" in str(err.value) and "'date'" in str(err.value)


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
