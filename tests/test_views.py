"""Kernel-side tests of each widget: change a control, see the output change."""
import html

import pytest

import vndiplomacy as vd
from vndiplomacy import views
from vndiplomacy.data import load_table


def test_timeline_filters_by_period_topic_and_actor():
    explorer = views.TimelineExplorer()
    everything = len(explorer.filtered())
    explorer.period.value = "1945-1954"
    in_period = explorer.filtered()
    assert 0 < len(in_period) < everything
    assert set(in_period["period"]) == {"1945-1954"}
    assert f"<b>{len(in_period)}</b>" in explorer.count.value
    assert len(explorer.chart.figure.data[0].x) <= len(in_period)
    explorer.period.value = views.ALL
    explorer.actor.value = "ho chi minh"
    found = explorer.filtered()
    assert len(found) and all("Ho Chi Minh" in f"{a}{t}" for a, t in zip(found["actors"], found["title"], strict=True))


def test_timeline_choice_shows_summary_and_citation():
    explorer = views.TimelineExplorer()
    event = load_table("events").iloc[-1]
    explorer.choice.value = event["id"]
    assert html.escape(event["title"]) in explorer.detail.value
    assert event["source"] in explorer.detail.value


def test_timeline_with_no_match_says_so():
    explorer = views.TimelineExplorer()
    explorer.actor.value = "zzzz-nobody"
    assert "No event matches" in explorer.detail.value
    assert "No events match" in explorer.chart.alt.value


def test_congress_stepper_steps_and_highlights_new_terms():
    stepper = views.CongressStepper(start=6)
    assert "6th Congress (1986)" in stepper.card.value
    stepper.next.click()
    assert stepper.number.value == 7 and "7th Congress" in stepper.card.value
    stepper.number.value = 11
    assert "first explicit" in stepper.card.value
    assert '<mark class="vd-new">' in stepper.card.value
    stepper.number.value = 14
    stepper.next.click()
    assert stepper.number.value == 14
    stepper.previous.click()
    assert stepper.number.value == 13


def test_pillars_explorer_lists_items_of_the_chosen_pillar_and_facet():
    explorer = views.PillarsExplorer()
    explorer.pillar.value, explorer.facet.value = "party", "task"
    party_tasks = explorer.items.value
    explorer.pillar.value = "people"
    assert explorer.items.value != party_tasks
    assert explorer.chart.figure.data[0].type == "sunburst"


def test_figures_dashboard_compares_like_with_like():
    board = views.FiguresDashboard(group="party relations")
    metric, unit = board.metric.value.split("|")
    figure = board.chart.figure
    assert {board.figures.loc[i, "unit"] for i in board.figures.index if board.figures.loc[i, "metric"] == metric} == {unit}
    assert len(figure.data) >= 1
    assert "as of" in board.chart.alt.value
    years = set(board.figures[board.figures["metric"] == metric]["as_of_year"])
    assert {2021, 2025} <= years
    board.group.value = "economy"
    assert board.metric.value.split("|")[0] != metric


def test_country_map_filters_by_period():
    country_map = views.CountryMap()
    everyone = len(country_map.chart.figure.data[0].locations) if country_map.chart.figure.data else 0
    country_map.period.value = "1954-1975"
    shown = sum(len(trace.locations) for trace in country_map.chart.figure.data)
    assert 0 < shown <= max(everyone, shown)
    assert country_map.chart.figure.data[0].type == "choropleth"


def test_instruments_comparison_switches_aspect():
    comparison = views.InstrumentsComparison()
    focus = comparison.grid.value
    comparison.aspect.value = "ministry_name"
    assert comparison.grid.value != focus and "Ministry of Public Security" in comparison.grid.value


def test_nos_cards_follow_the_year():
    cards = views.NosCards()
    total = len(cards.policies)
    assert f"<b>{total}</b>" in cards.summary.value
    cards.year.value = 2018
    assert f"<b>{total}</b>" not in cards.summary.value


def test_glossary_lookup_ignores_case_and_diacritics():
    lookup = views.GlossaryLookup()
    lookup.query.value = "DOI MOI"
    assert "Đổi mới" in lookup.results.value
    lookup.query.value = "doi ngoai nhan dan"
    assert "people" in lookup.results.value.lower()


def test_discrepancy_explorer_filters_by_source():
    explorer = views.DiscrepancyExplorer()
    everything = explorer.grid.value
    explorer.source.value = "cr-three-pillars"
    assert explorer.grid.value != everything


def test_table_explorer_filters():
    table = vd.documents_table()
    rows = table.table.value.count("<tr>")
    table.choice.value = "white paper"
    assert 1 < table.table.value.count("<tr>") < rows


def test_data_text_is_escaped(monkeypatch):
    assert "<script>" not in views.cards(load_table("glossary").assign(term="<script>x</script>").head(1),
                                         title=lambda r: r["term"], body=lambda r: r["definition"])


@pytest.mark.parametrize("call", ["readings", "sources_overview", "course_map", "coordination_cards",
                                  "mechanisms_table", "people_table", "source_coverage", "timeline_chart",
                                  "progress_dashboard"])
def test_every_notebook_call_builds(call):
    args = ("cr-three-pillars",) if call == "readings" else ()
    assert getattr(vd, call)(*args) is not None
