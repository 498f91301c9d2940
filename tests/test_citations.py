"""Structured citations: every row of data/ and every quiz question names paragraphs of the paragraph map; `source`
is the source of the first; and, with the source documents beside the project, every quote lies in the paragraphs
its row cites."""
import re

import pytest
from course_paths import SEEDS, need_seeds
from test_source_paragraphs import paragraph_lines

from vndiplomacy.data import citable_paragraphs, cites_text, fact_tables, load_table, main_source, split_list
from vndiplomacy.quizbank import bank_topics, load_bank


def fold_quote(text: str) -> list[str]:
    """A quote's verbatim pieces (an ellipsis joins pieces), compared without case, curly quotes or dashes."""
    from test_source_paragraphs import fold

    text = fold(text).lower().replace("\u2013", "-").replace("\u2014", "-")
    return [p.strip(" \"'.,;:") for p in re.split(r"\.\.\.|\u2026", text) if p.strip(" \"'.,;:")]


def cited_rows():
    """(where, cites, source, quote) for every row of every fact table and every quiz question."""
    for name in fact_tables():
        frame = load_table(name)
        for number, row in enumerate(frame.to_dict("records"), start=2):
            yield f"data/{name}.csv row {number}", row["cites"], row["source"], row.get("quote")
    for topic in bank_topics():
        for q in load_bank(topic).questions:
            yield f"quiz {q.id}", q.cites, q.source, q.quote


@pytest.fixture(scope="module")
def rows():
    return list(cited_rows())


def test_every_row_and_question_cites_paragraphs_of_the_map(rows):
    citable = citable_paragraphs()
    for where, cites, _source, _quote in rows:
        ids = split_list(cites)
        assert ids, f"{where}: no cites"
        assert not [c for c in ids if c not in citable], f"{where}: {[c for c in ids if c not in citable]}"


def test_source_is_the_main_source_of_the_citation(rows):
    for where, cites, source, _quote in rows:
        assert source == main_source(cites), f"{where}: source {source} but cites start with {cites}"


def test_learners_see_outlets_and_paragraph_numbers_not_ids():
    shown = cites_text("cr-three-pillars:2.13; cr-three-pillars:fn6; vov-core-regular:0.0; dd-early-afar:1.0")
    assert shown == "Communist Review §2 ¶13, fn. 6; VOV.VN title; Vietnam Hoi Nhap §1 heading"


def test_every_quote_lies_in_the_paragraphs_it_cites(rows):
    need_seeds(SEEDS)
    lines = paragraph_lines(load_table("source_paragraphs"))
    from test_source_paragraphs import fold

    for where, cites, _source, quote in rows:
        if not isinstance(quote, str) or not quote.strip():
            continue
        text = " ".join(lines[c] for c in split_list(cites))
        text = fold(text).lower().replace("\u2013", "-").replace("\u2014", "-")
        text = re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", text)
        for piece in fold_quote(re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", quote)):
            assert piece in text, f"{where}: quote {piece[:60]!r} is not in {cites}"


# Paragraphs of substance the module does not cite yet: the next content work (each needs a row, a question or a
# notebook passage). The test fails when one of them becomes cited (take it off the list) or when any other
# paragraph stops being cited.
NOT_YET_TAUGHT = {
    "dd-early-afar:0.6", "dd-early-afar:0.8", "dd-early-afar:1.4", "dd-early-afar:fn5", "vov-core-regular:3.12",
    "chien-military-diplomacy:0.4", "chien-military-diplomacy:2.6", "chien-military-diplomacy:2.7",
    "chien-military-diplomacy:2.11", "chien-military-diplomacy:2.12", "chien-military-diplomacy:2.13",
    "diplomat-core-frequent:0.1", "cr-three-pillars:1.14", "cr-three-pillars:2.5",
}


def test_every_paragraph_of_substance_is_taught(rows):
    """Writes the coverage report (test-artifacts/paragraph_coverage.md): per source, the paragraphs cited."""
    from course_paths import ROOT

    cited = {c for _where, cites, _source, _quote in rows for c in split_list(cites)}
    paragraphs = load_table("source_paragraphs")
    substance = paragraphs[paragraphs["kind"].isin(["paragraph", "footnote"])]
    report = ["# Which paragraphs of each source the module cites", ""]
    for source, group in substance.groupby("source", sort=False):
        taught = group["id"].isin(cited)
        report.append(f"- {source}: {taught.sum()} of {len(group)} cited; not cited: "
                      + (", ".join(group.loc[~taught, "id"].str.split(":").str[1]) or "none"))
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "paragraph_coverage.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    untaught = set(substance["id"]) - cited
    assert not untaught - NOT_YET_TAUGHT, f"no longer cited anywhere: {sorted(untaught - NOT_YET_TAUGHT)}"
    assert not NOT_YET_TAUGHT - untaught, f"cited now, take off NOT_YET_TAUGHT: {sorted(NOT_YET_TAUGHT - untaught)}"
