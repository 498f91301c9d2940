"""Kernel-side tests of each widget: change a control, see the output change."""
import html
import json
import re

import pytest

import vndiplomacy as vd
from vndiplomacy import views
from vndiplomacy.data import citation, descriptor, load_table


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
    assert html.escape(citation(event["cites"])) in explorer.detail.value and "§" in explorer.detail.value


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


def test_discrepancy_explorer_shows_the_modules_reading_only_on_request():
    explorer = views.DiscrepancyExplorer()
    notes = views.load_table("discrepancies")["teaching_note"]
    page = explorer.grid.value
    hidden = re.findall(r'<details class="vd-reveal"><summary>Show the module&#x27;s reading</summary><p>(.*?)</p>'
                        r"</details>", page, re.S)
    assert len(hidden) == len(notes)
    visible = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    for note in notes:
        assert views.esc(note) in hidden and views.esc(note) not in visible


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


def _texts(widget, out):
    """Every piece of text a learner can see in a widget tree, plotly figures included."""
    for name in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    for option in getattr(widget, "options", ()) or ():
        out.append(str(option[0] if isinstance(option, tuple) else option))
    for output in getattr(widget, "outputs", ()) or ():
        out.append(json.dumps(output.get("data", {}), ensure_ascii=False))
    for child in getattr(widget, "children", ()) or ():
        _texts(child, out)
    return out


def _internal_names():
    fields = {f["name"] for r in descriptor()["resources"] for f in r["schema"]["fields"] if "_" in f["name"]}
    return fields | {".csv", "README", "seeds", "context notes", "datapackage", "authoring"}


VIEWS = ["readings", "sources_overview", "course_map", "progress_dashboard", "timeline_explorer", "timeline_chart",
         "congress_stepper", "documents_table", "pillars_explorer", "coordination_cards", "figures_dashboard",
         "country_map", "instruments_comparison", "nos_cards", "mechanisms_table", "people_table", "glossary_lookup",
         "discrepancy_explorer", "source_coverage"]


@pytest.mark.parametrize("name", VIEWS)
def test_no_learner_text_names_a_column_a_file_or_an_authoring_note(name):
    import re

    widget = getattr(vd, name)(*(("dd-early-afar", "cr-three-pillars") if name == "readings" else ()))
    seen = "\n".join(_texts(widget, []))
    seen = re.sub(r'"(hovertemplate|customdata|meta)":', "", seen)
    found = sorted(n for n in _internal_names() if re.search(rf"(?<![\w/]){re.escape(n)}(?![\w])", seen))
    assert not found, f"{name} shows {found}"


def test_every_congress_card_and_quiz_is_free_of_internal_names(tmp_path):
    import re

    stepper = vd.congress_stepper()
    texts = []
    for number in stepper.congresses.index:
        stepper.number.value = number
        texts += _texts(stepper, [])
    texts += _texts(vd.quiz("01_history"), [])
    seen = "\n".join(texts)
    assert '""' not in seen and "“““" not in seen and "”\"" not in seen, "doubled quotation marks"
    found = sorted(n for n in _internal_names() if re.search(rf"(?<![\w/]){re.escape(n)}(?![\w])", seen))
    assert not found, found
