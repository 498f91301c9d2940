"""The paragraph map of the five sources: ids by the one numbering scheme (data/README.md), and, where the source
documents are beside the project, every line of every source mapped in order with its first words verbatim."""
import re
import unicodedata

import pandas as pd
import pytest
from course_paths import SEEDS, need_seeds

from vndiplomacy.data import load_table

ID = re.compile(r"^(?P<source>[a-z0-9-]+):(?:(?P<section>\d+)\.(?P<number>\d+)|fn(?P<fn>\d+)|nc(?P<nc>\d+))$")


@pytest.fixture(scope="module")
def paragraphs():
    return load_table("source_paragraphs")


def by_source(paragraphs):
    return {source: rows for source, rows in paragraphs.groupby("source", sort=False)}


def test_every_source_is_mapped(paragraphs):
    assert set(paragraphs["source"]) == set(load_table("sources")["id"])


def test_ids_follow_the_numbering_scheme(paragraphs):
    for source, rows in by_source(paragraphs).items():
        last_in_section, headings, notes, others = {}, [], [], []
        for row in rows.itertuples():
            match = ID.match(row.id)
            assert match and match["source"] == source, row.id
            if match["section"] is not None:
                section, number = int(match["section"]), int(match["number"])
                assert row.section == section, f"{row.id}: section column {row.section}"
                if row.kind == "paragraph":
                    assert number == last_in_section.get(section, 0) + 1, f"{row.id}: paragraphs are counted 1, 2, 3 …"
                    last_in_section[section] = number
                elif row.kind == "heading":
                    assert number == 0 and section >= 1, row.id
                    headings.append(section)
                else:
                    assert row.kind == "title" and (section, number) == (0, 0), row.id
            elif match["fn"] is not None:
                assert row.kind == "footnote" and pd.isna(row.section), row.id
                notes.append(int(match["fn"]))
            else:
                assert row.kind == "non-content" and pd.isna(row.section), row.id
                others.append(int(match["nc"]))
        assert headings == list(range(1, len(headings) + 1)), f"{source}: sections follow the headings in order"
        assert notes == list(range(1, len(notes) + 1)), f"{source}: footnotes in printed order"
        assert others == list(range(1, len(others) + 1)), f"{source}: non-content lines counted in order"
        assert set(last_in_section) <= {0, *headings}, f"{source}: a paragraph in a section with no heading"


def test_first_words_are_short_and_summaries_are_one_line(paragraphs):
    for row in paragraphs.itertuples():
        assert 1 <= len(row.first_words.split()) <= 8, f"{row.id}: first_words has {len(row.first_words.split())} words"
        assert "\n" not in row.summary and 5 <= len(row.summary.split()) <= 40, f"{row.id}: summary"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for curly, plain in (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " ")):
        text = text.replace(curly, plain)
    return re.sub(r"\s+", " ", text).strip()


def seed_files() -> dict[str, str]:
    """Each source id's file name, from the table in the seeds' README."""
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([a-z0-9-]+)` \| (\S+\.txt) \|", readme, re.M))


def paragraph_lines(paragraphs) -> dict[str, str]:
    """Each paragraph id's line in its source document, matched in order by its first words (a line with several
    footnotes serves each of them). Fails, naming the row, where the map and the document part ways."""
    files = seed_files()
    found = {}
    for source, rows in by_source(paragraphs).items():
        lines = [line for line in (SEEDS / files[source]).read_text(encoding="utf-8").splitlines() if line.strip()]
        at = 0
        for row in rows.itertuples():
            start = fold(row.first_words)
            if row.kind == "footnote" and at and start in fold(lines[at - 1]) and not fold(lines[at - 1]).startswith(start):
                found[row.id] = lines[at - 1]  # a second note on the same line
                continue
            assert at < len(lines), f"{row.id}: more rows than lines"
            assert fold(lines[at]).startswith(start), f"{row.id}: line {at + 1} of {source} starts {lines[at][:60]!r}"
            found[row.id] = lines[at]
            at += 1
        assert at == len(lines), f"{source}: lines not mapped from {lines[at][:60]!r}"
    return found


def test_every_line_of_every_source_is_mapped_in_order(paragraphs):
    need_seeds(SEEDS)
    assert len(paragraph_lines(paragraphs)) == len(paragraphs)
