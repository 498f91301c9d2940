"""The source reader: a source's paragraphs by section, with what the course draws from each."""
import pytest

from vndiplomacy import source_reader
from vndiplomacy.data import load_table
from vndiplomacy.reader import paragraph_uses


def test_every_line_of_the_source_is_listed_and_a_section_filters_to_its_paragraphs():
    reader = source_reader("vov-core-regular")
    assert reader.table.value.count("<tr class=") == len(load_table("source_paragraphs").query(
        "source == 'vov-core-regular'"))
    reader.section.value = 3
    shown = reader.shown()
    assert len(shown) < len(reader.paragraphs) and (shown["section"] == 3).all()
    assert reader.table.value.count("<tr class=") == len(shown) and "§3 ¶11" in reader.table.value


def test_uses_name_data_rows_quiz_questions_and_notebook_sections():
    uses = paragraph_uses()
    everything = [u for found in uses.values() for u in found]
    assert any(u.startswith("Quiz ") for u in everything) and any(u.startswith("Events: ") for u in everything)
    quiz_uses = uses["chien-military-diplomacy:1.4"]
    assert any("history-01" in u for u in quiz_uses), quiz_uses


def test_non_content_lines_are_marked_and_unknown_sources_are_named():
    reader = source_reader("cr-three-pillars")
    assert "Not part of the article" in reader.table.value and "vd-reader-non-content" in reader.table.value
    with pytest.raises(KeyError, match="wikipedia"):
        source_reader("wikipedia")


def test_the_reader_switches_to_any_of_the_five_sources():
    reader = source_reader("diplomat-core-frequent")
    reader.section.value = reader.section.options[1][1]
    reader.source.value = "dd-early-afar"
    assert reader.section.value == "All" and "Vietnam Hoi Nhap" in reader.heading.value
    assert set(reader.shown()["source"]) == {"dd-early-afar"}
    assert "§1 ¶2" in reader.table.value and "Khang Vu" not in reader.table.value.split("</caption>")[0]
    assert len(reader.source.options) == 5
