"""Structured citations: every row of data/ and every quiz question names paragraphs of the paragraph map; `source`
is the source of the first; and, with the source documents beside the project, every quote lies in the paragraphs
its row cites."""
import json
import re

import pytest
from course_paths import ROOT, SEEDS, need_seeds
from test_source_paragraphs import paragraph_lines

from vndiplomacy.data import (
    PROSE_CITATION,
    citable_paragraphs,
    fact_tables,
    load_table,
    main_source,
    prose_citations,
    split_list,
)
from vndiplomacy.quizbank import bank_topics, load_bank
from vndiplomacy.style import citation


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
    shown = citation("cr-three-pillars:2.13; cr-three-pillars:fn6; vov-core-regular:0.0; dd-early-afar:1.0")
    assert shown == "Communist Review §2 ¶13, fn. 6; VOV.VN title; Vietnam Hoi Nhap §1 heading"


def test_a_full_citation_gives_each_source_once_with_author_outlet_and_date():
    sources = load_table("sources").set_index("id")
    vu = sources.loc["diplomat-core-frequent"]
    shown = citation("diplomat-core-frequent:2.1; cr-three-pillars:fn6; diplomat-core-frequent:3.4", full=True)
    assert shown.startswith(f"{vu['author']}, {vu['outlet']} ({vu['date']}), §2 ¶1, §3 ¶4; "), shown
    assert shown.count(vu["outlet"]) == 1 and shown.endswith(", fn. 6") and "Communist Review" in shown, shown
    assert citation("no-such-source:1.2", full=True) == "no-such-source, §1 ¶2"


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


def test_every_paragraph_of_substance_is_taught(rows):
    """Writes the coverage report (test-artifacts/paragraph_coverage.md): per source, the paragraphs cited."""
    cited = {c for _where, cites, _source, _quote in rows for c in split_list(cites)}
    cited |= {pid for path in sorted((ROOT / "notebooks").glob("*.ipynb")) for pid in prose_citations(prose_of(path))}
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
    assert not untaught, f"paragraphs of substance the module never cites: {sorted(untaught)}"


PROSE_FILES = [*sorted((ROOT / "notebooks").glob("*.ipynb")), *sorted((ROOT / "masters").glob("*.ipynb")),
               *sorted((ROOT / "teacher").glob("*.md")), *sorted((ROOT / "teacher").glob("*.ipynb")),
               *sorted((ROOT / "apps").glob("*.ipynb"))]
OLD_LOCATOR = re.compile(r"\bparas?\.\s|\(fn\.|, fn\. ?\d|\bfootnote \d|\blead paragraph\b|\bstandfirst\b", re.I)


def prose_of(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PROSE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_prose_cites_paragraphs_in_the_one_bracket_form(path):
    text = prose_of(path)
    known = set(load_table("source_paragraphs")["id"])
    unknown = [pid for pid in prose_citations(text) if pid not in known]
    assert not unknown, f"citations of paragraphs not in the map: {unknown}"
    rest = PROSE_CITATION.sub("", text)
    old = [rest[max(0, m.start() - 40):m.end() + 20] for m in OLD_LOCATOR.finditer(rest)]
    assert not old, f"free-text locators left: {old[:3]}"
    loose = re.findall(r"\[[a-z0-9]+(?:-[a-z0-9]+)+ [^\]]*\]", rest)
    assert not loose, f"citations not in the bracket form: {loose[:3]}"


def test_the_notebooks_cite_their_sources_paragraph_by_paragraph():
    cited = [pid for path in sorted((ROOT / "notebooks").glob("0[1-5]_*.ipynb")) for pid in prose_citations(prose_of(path))]
    assert len(cited) > 100 and len({pid.split(":")[0] for pid in cited}) == 5


def inline_citations():
    """(where, cites, the paragraphs its own text cites in brackets) for every data row and quiz question."""
    for name in fact_tables():
        for number, row in enumerate(load_table(name).to_dict("records"), start=2):
            text = " ".join(str(v) for k, v in row.items() if k != "cites" and isinstance(v, str))
            yield f"data/{name}.csv row {number}", row["cites"], prose_citations(text)
    for topic in bank_topics():
        for q in load_bank(topic).questions:
            text = " ".join([q.prompt, q.hint, q.explanation, *map(str, q.options)])
            yield f"quiz {q.id}", q.cites, prose_citations(text)


def test_a_paragraph_named_in_a_rows_text_is_in_its_cites():
    for where, cites, named in inline_citations():
        missing = [pid for pid in named if pid not in split_list(cites)]
        assert not missing, f"{where}: its text cites {missing}, which its cites field lacks"


def test_a_source_is_named_by_its_author_or_else_by_its_outlet():
    from vndiplomacy.style import source_name

    sources = load_table("sources")
    named = sources[sources["author"] != "unknown"].iloc[0]
    assert source_name(named["id"]) == named["author"]
    anonymous = sources[sources["author"] == "unknown"].iloc[0]
    assert source_name(anonymous["id"]) == anonymous["outlet"].split(" (")[0]
    assert source_name("no-such-source") == "no-such-source"


def test_the_citation_line_is_one_element_with_what_comes_from_outside_behind_a_toggle():
    from vndiplomacy.style import cite_html

    plain = cite_html("cr-three-pillars:2.13")
    assert plain.startswith('<div class="vd-cite">Source: ') and plain.endswith("</div>")
    assert plain.count("<div") == plain.count("</div>") == 1
    more = cite_html("cr-three-pillars:2.13", "Known from elsewhere")
    assert more.startswith(plain[:-len("</div>")]) and more.endswith("Known from elsewhere</details></div>")
    assert '<details class="vd-outside">' in more
    assert cite_html("cr-three-pillars:2.13", float("nan")) == plain == cite_html("cr-three-pillars:2.13", "")
