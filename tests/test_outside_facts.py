"""Every fact from outside the five sources is marked for learners and carries a maintainers' note of the public
pages where it was checked; the note itself never reaches a learner."""
import itertools
import json
import re

import pandas as pd
import pytest
from test_citations import PROSE_FILES

from vndiplomacy.data import data_dir, descriptor, fact_tables, load_table
from vndiplomacy.quizbank import bank_topics, load_bank

ADDRESSES = re.compile(r"https?://[^ ;]+(?: ?; ?https?://[^ ;]+)*")
CHECKED_NOTE = re.compile(r"<!-- checked: (.*?) -->", re.S)
OUTSIDE_MARK = re.compile(r"\*\*Outside the sources:\*\*|general knowledge", re.I)


def raw_rows(name):
    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False).to_dict("records")


@pytest.mark.parametrize("name", [n for n in fact_tables() if n != "source_paragraphs"])
def test_every_outside_fact_in_the_data_names_where_it_was_checked(name):
    for number, row in enumerate(raw_rows(name), start=2):
        where = f"data/{name}.csv row {number}"
        if row["general_knowledge"].strip():
            note = row["checked_in"].strip()
            assert note == "within the sources" or ADDRESSES.fullmatch(note), \
                f"{where}: general_knowledge {row['general_knowledge'][:60]!r} but checked_in is {note!r}"
        else:
            assert not row["checked_in"].strip(), f"{where}: checked_in without an outside fact"


def test_the_checked_in_note_is_an_authoring_field_learners_never_load():
    for resource in descriptor()["resources"]:
        authoring = [f["name"] for f in resource["schema"]["fields"] if f.get("authoring")]
        assert authoring in ([], ["checked_in"]), resource["name"]
        assert not set(authoring) & set(load_table(resource["name"]).columns), resource["name"]


def prose_blocks(path):
    """The markdown cells of a notebook, or the paragraphs of a Markdown file."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PROSE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_outside_fact_in_the_prose_names_where_it_was_checked(path):
    for block in prose_blocks(path):
        notes = CHECKED_NOTE.findall(block)
        for note in notes:
            assert ADDRESSES.fullmatch(note.strip()), f"{path.name}: checked note is not a list of addresses: {note!r}"
        lines = block.split("\n")
        for above, line in itertools.pairwise(lines):
            assert not (line.lstrip().startswith("<!-- checked") and above.lstrip().startswith("|")), \
                f"{path.name}: a note on its own line ends the table above it; put it inside the row: {above[:60]!r}"
        visible = CHECKED_NOTE.sub("", block)
        if OUTSIDE_MARK.search(visible):
            assert notes, f"{path.name}: outside fact with no checked note: {visible[:160]!r}"


def test_every_outside_fact_in_a_quiz_names_where_it_was_checked():
    for topic in bank_topics():
        for q in load_bank(topic).questions:
            text = " ".join(map(str, [q.prompt, q.explanation, q.hint, *q.options]))
            if OUTSIDE_MARK.search(text) or "outside the sources" in text.lower():
                assert q.checked_in, f"quiz {q.id}: outside fact with no checked_in"


HIDDEN_PLACES = re.compile(r"README|context notes|seeds?\b|authoring|\.csv\b|\bchecked_in\b", re.I)


@pytest.mark.parametrize("name", [n for n in fact_tables() if n != "source_paragraphs"])
def test_learners_are_never_pointed_to_notes_they_cannot_see(name):
    for number, row in enumerate(load_table(name).to_dict("records"), start=2):
        for field, value in row.items():
            if isinstance(value, str) and HIDDEN_PLACES.search(value):
                raise AssertionError(f"data/{name}.csv row {number}, {field}: {value[:120]!r}")
