"""Printable handouts: built from the same data and notebooks as the course, nothing typed twice."""
import html
import re

import pytest

from vndiplomacy import alignment, handouts
from vndiplomacy.data import load_table
from vndiplomacy.manifest import learner_notebooks


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handouts")
    handouts.build(folder)
    return folder


def text(path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def squash(value: str) -> str:
    return " ".join(re.sub(r"[*`>]", " ", value).split())


def test_the_index_links_every_handout_and_each_notebook_has_a_worksheet_and_an_answer_sheet(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    pages = {p.name for p in built.glob("*.html")} - {"index.html"}
    assert pages == set(re.findall(r'href="([^"]+)"', index))
    for path in (n.path for n in learner_notebooks()):
        assert {f"worksheet_{path.stem}.html", f"answers_{path.stem}.html"} <= pages


@pytest.mark.parametrize("stem", ["00_start_here", "01_history", "05_synthesis"])
def test_worksheets_carry_every_prompt_and_keep_the_answers_for_the_teachers_sheet(built, stem):
    found = alignment.activities(alignment.notebook_path(stem))
    sheet, answers = squash(text(built / f"worksheet_{stem}.html")), squash(text(built / f"answers_{stem}.html"))
    assert sheet.count("Activity ") == len(found) > 0
    for activity in found:
        prompt = squash(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", activity["prompt"]))[:60]
        assert prompt in sheet and prompt in answers
        if activity["answer"]:
            first = squash(re.sub(r"<[^>]+>", " ", activity["answer"]))[:40]
            assert first in answers and first not in sheet


def test_the_timeline_lists_every_event_in_time_order_at_its_precision(built):
    page = (built / "timeline_glossary.html").read_text(encoding="utf-8")
    events = load_table("events")
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", page)
    titles = [html.unescape(t) for _, t in rows]
    assert set(events["title"]) <= set(titles)
    assert titles.index("Victory at Dien Bien Phu") < titles.index(
        next(t for t in titles if t.startswith("Resistance against the United States")))
    assert ("7 May 1954", "Victory at Dien Bien Phu") in [(html.unescape(w), html.unescape(t)) for w, t in rows]
    for term in load_table("glossary")["term"]:
        assert f"<td>{html.escape(term)}</td>" in page


def test_handouts_follow_the_data(data_copy, tmp_path):
    events = (data_copy / "events.csv").read_text(encoding="utf-8")
    (data_copy / "events.csv").write_text(events.replace("Victory at Dien Bien Phu", "Victory at Điện Biên Phủ"),
                                          encoding="utf-8")
    handouts.build(tmp_path)
    assert "Victory at Điện Biên Phủ" in (tmp_path / "timeline_glossary.html").read_text(encoding="utf-8")


def test_source_sheets_say_how_to_read_each_source_and_print_offline(built):
    page = text(built / "source_analysis.html")
    for row in load_table("sources").to_dict("records"):
        assert squash(row["access"])[:50] in squash(page)
    for path in built.glob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', path.read_text(encoding="utf-8")), path.name
