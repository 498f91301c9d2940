"""Kernel-side tests of each widget: change a control, see the output change."""
import html
import json
import re
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

import vndiplomacy as vd
from vndiplomacy import views
from vndiplomacy.data import descriptor, load_table, split_list
from vndiplomacy.style import CSS, citation, cite_html, esc, fold, quote_html, source_name, unquoted


def chart_points(chart):
    """How many points a chart draws, over all its traces (map locations or x values)."""
    def count(trace):
        values = trace.locations if trace.type in ("choropleth", "scattergeo") else trace.x
        return 0 if values is None else len(values)

    return sum(count(trace) for trace in chart.figure.data)


def _shown_events(explorer):
    """The events a learner sees in the list, as rows of the whole table."""
    return explorer.events.set_index("id").loc[[value for _label, value in explorer.choice.options]]


@pytest.mark.parametrize("control, value, keeps", [
    ("period", "1945-1954", lambda row: row["period"] == "1945-1954"),
    ("topic", "defence", lambda row: "defence" in split_list(row["topics"])),
    ("actor", "ho chi minh", lambda row: "ho chi minh" in fold(f"{row['actors']};{row['countries']};{row['title']}")),
])
def test_timeline_filters_by_period_topic_and_actor(control, value, keeps):
    explorer = views.TimelineExplorer()
    everything = len(explorer.events)
    assert chart_points(explorer.chart) == everything
    getattr(explorer, control).value = value
    shown = _shown_events(explorer)
    expected = explorer.events[explorer.events.apply(keeps, axis=1)]
    assert 0 < len(shown) < everything, "the filter removes some events and keeps some"
    assert all(keeps(row) for _, row in shown.iterrows()), f"an event shown does not match {control}={value!r}"
    assert sorted(shown.index) == sorted(expected["id"]), "every matching event is shown"
    assert f"<b>{len(shown)}</b> of {everything}" in explorer.count.value
    assert chart_points(explorer.chart) == len(shown), "the chart draws exactly the events listed"


def test_timeline_filters_combine():
    explorer = views.TimelineExplorer()
    explorer.period.value, explorer.topic.value = "2016-2026", "defence"
    shown = _shown_events(explorer)
    alone = len(explorer.events[explorer.events["period"] == "2016-2026"])
    assert 0 < len(shown) < alone
    assert all(r["period"] == "2016-2026" and "defence" in split_list(r["topics"]) for _, r in shown.iterrows())
    assert chart_points(explorer.chart) == len(shown)


def test_timeline_choice_shows_summary_and_citation():
    explorer = views.TimelineExplorer()
    event = load_table("events").iloc[-1]
    explorer.choice.value = event["id"]
    assert html.escape(event["title"]) in explorer.detail.value
    assert html.escape(citation(event["cites"], full=True)) in explorer.detail.value and "§" in explorer.detail.value


def test_timeline_with_no_match_says_so():
    explorer = views.TimelineExplorer()
    explorer.actor.value = "zzzz-nobody"
    assert "No event matches" in explorer.detail.value
    assert "No events match" in explorer.chart.alt.value


def test_congress_stepper_steps_and_highlights_new_terms():
    assert views.CongressStepper().number.value == 6, "it opens on the 6th Congress, where Doi Moi began"
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


def test_each_congress_card_shows_its_own_row_statements_and_citations():
    stepper = views.CongressStepper()
    congresses, statements = stepper.congresses, stepper.statements
    first = congresses.index[congresses["defence_diplomacy"] == "first explicit"]
    assert len(first) == 1
    for n, row in congresses.iterrows():
        stepper.number.value = n
        card, strip = stepper.card.value, stepper.strip.value
        assert strip == CSS + "Defence diplomacy in the Congress documents: " + " ".join(
            f'<span class="vd-badge" title="{esc(r["defence_diplomacy"])}">'
            + (f"<b>{k}th: {esc(r['defence_diplomacy'])}</b>" if k == n else f"{k}th: {esc(r['defence_diplomacy'])}")
            + "</span>" for k, r in congresses.iterrows()), "the strip names each Congress, the chosen one in bold"
        basis = esc(views.YEAR_BASIS[str(row["year_basis"])])
        assert f'{basis}</span> <span class="vd-cite">{esc(row["year_note"])}' in card
        assert f"<b>Line:</b> {esc(row['formulation'])}</p>" in card
        assert f"<b>What changed:</b> {views.highlight(row['change'], row['new_terms'])}</p>" in card
        terms = " ".join(f'<mark class="vd-new">{esc(t)}</mark>' for t in split_list(row["new_terms"]))
        assert f"<b>New key terms:</b> {terms or 'none listed'}</p>" in card
        assert (f"<b>Defence diplomacy:</b> {esc(row['defence_diplomacy'])}. {esc(row['defence_note'])} The {first[0]}th "
                f"is marked as the first explicit mention, on the word of "
                f"{esc(source_name(congresses.loc[first[0], 'source']))};") in card
        assert quote_html(row["quote"]) in card
        assert card.endswith(f"{cite_html(row['cites'], row['general_knowledge'])}</div>")
        own = statements[statements["congress"] == n]
        quotes = card.split("<p><b>As the sources quote it:</b></p><ul>")[1].split("</ul>")[0]
        assert quotes == "".join(f"<li>{item}</li>" for item in [f'<span class="vd-badge">{esc(s.theme)}</span>'
                         f'“{views.highlight(unquoted(s.quote), row["new_terms"])}” '
                         f'<span class="vd-cite">({esc(citation(s.cites))})</span>' for s in own.itertuples()])


def test_a_congress_with_no_quoted_statement_has_no_quote_list():
    stepper = views.CongressStepper()
    stepper.statements = stepper.statements[stepper.statements["congress"] != 12]
    stepper.number.value = 12
    assert "As the sources quote it" not in stepper.card.value and "<ul>" not in stepper.card.value.split("</h4>")[1]


def test_with_no_first_explicit_congress_no_card_claims_one():
    stepper = views.CongressStepper()
    stepper.congresses = stepper.congresses.assign(defence_diplomacy="implied")
    stepper.number.value = 11
    assert "first explicit mention" not in stepper.card.value and "<b>Defence diplomacy:</b> implied." in stepper.card.value


@pytest.mark.parametrize("text, terms, marked", [
    ("a new term", "new;new term", 'a <mark class="vd-new">new term</mark>'),
    ("a new term", "new;NEW TERM", 'a <mark class="vd-new">new term</mark>'),
    ("New Term <b>", "new term", '<mark class="vd-new">New Term</mark> &lt;b&gt;'),
    ("no terms <b>", "", "no terms &lt;b&gt;"),
])
def test_highlight_marks_the_longest_term_whatever_its_case(text, terms, marked):
    assert views.highlight(text, terms) == marked


def _listed_items(page):
    return [html.unescape(item) for item in re.findall(r"<li>(.*?) <span class=\"vd-cite\">", page, re.S)]


@pytest.mark.parametrize("pillar, facet", [("party", "task"), ("people", "tool"), ("state", "audience")])
def test_pillars_explorer_lists_items_of_the_chosen_pillar_and_facet(pillar, facet):
    explorer = views.PillarsExplorer()
    explorer.pillar.value, explorer.facet.value = pillar, facet
    listed = _listed_items(explorer.items.value)
    facets = explorer.facets
    expected = facets[(facets["pillar"] == pillar) & (facets["facet"] == facet)]["item"]
    assert 0 < len(listed) < len(facets), "some items are listed, not all"
    others = set(facets[(facets["pillar"] != pillar) | (facets["facet"] != facet)]["item"]) - set(expected)
    assert not set(listed) & others, "an item of another pillar or facet is listed"
    assert sorted(listed) == sorted(expected), "exactly the items of the chosen pillar and facet"
    assert f"<h4>{views.esc(explorer.pillars.loc[pillar, 'name'])}" in explorer.items.value
    sunburst = explorer.chart.figure.data[0]
    assert sunburst.type == "sunburst"
    assert len([i for i in sunburst.ids if i.count("/") == 2]) == len(facets), "the sunburst shows the whole"


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


def _map_locations(country_map):
    return [iso for trace in country_map.chart.figure.data for iso in trace.locations]


@pytest.mark.parametrize("control, value", [("period", "1954-1975"), ("role", None)])
def test_country_map_filters_by_period(control, value):
    """Each country drawn has a row that matches the filter; the map draws one point per matching country."""
    country_map = views.CountryMap()
    countries = country_map.countries
    everyone = countries["iso3"].astype(str).nunique()
    assert len(_map_locations(country_map)) == everyone
    value = value or countries["role"].value_counts().index[0]
    getattr(country_map, control).value = value
    drawn = _map_locations(country_map)
    matching = set(countries[countries[control] == value]["iso3"].astype(str))
    assert all(trace.type == "choropleth" for trace in country_map.chart.figure.data)
    assert 0 < len(drawn) < everyone, "the filter removes some countries and keeps some"
    assert set(drawn) <= matching, f"a country drawn has no row with {control}={value!r}"
    assert len(drawn) == len(set(drawn)) == len(matching), "one point per matching country, no more, no fewer"
    assert chart_points(country_map.chart) == country_map.filtered()["iso3"].nunique()


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


def _card_titles(page):
    """The titles of the cards on a page (after any badge), unescaped."""
    return [html.unescape(re.sub(r'<span class="vd-badge">.*?</span>', "", t))
            for t in re.findall(r'<div class="vd-card"><h4>(.*?)</h4>', page, re.S)]


@pytest.mark.parametrize("source, kind", [("cr-three-pillars", views.ALL), ("dd-early-afar", views.ALL),
                                          (views.ALL, "wording"), ("cr-three-pillars", "wording")])
def test_discrepancy_explorer_filters_by_source(source, kind):
    explorer = views.DiscrepancyExplorer()
    table = explorer.discrepancies

    def keeps(row):
        involved = {str(row["source"]), *split_list(row["other_sources"])}
        return (source == views.ALL or source in involved) and (kind == views.ALL or row["kind"] == kind)

    assert len(_card_titles(explorer.grid.value)) == len(table)
    explorer.source.value, explorer.kind.value = source, kind
    shown = _card_titles(explorer.grid.value)
    expected = table[table.apply(keeps, axis=1)]
    assert 0 < len(shown) < len(table), "the filter removes some places and keeps some"
    rows_of = {title: table[table["title"] == title] for title in shown}
    assert all(len(rows) and rows.apply(keeps, axis=1).all() for rows in rows_of.values()), \
        "a place shown does not involve the chosen source or kind"
    assert sorted(shown) == sorted(expected["title"]), "every matching place is shown"
    assert f"<p><b>{len(shown)}</b> places" in explorer.grid.value


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


def _body_rows(page):
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_table_explorer_filters():
    table = vd.documents_table()
    everything = len(table.frame)
    assert len(_body_rows(table.table.value)) == everything
    table.choice.value = "white paper"
    column = list(table.columns).index("kind")
    rows = _body_rows(table.table.value)
    assert 0 < len(rows) < everything
    assert all(row[column] == "white paper" for row in rows)
    assert len(rows) == (table.frame["kind"] == "white paper").sum()


MARKUP = {field: f'<script id="{field}">alert(1)</script>' for field in
          ("title", "body", "badge", "hidden", "quote", "cites", "general_knowledge", "cell", "caption", "header")}


def _assert_escaped(page, fields):
    assert "<script" not in page, "data text reaches the page as markup"
    for field in fields:
        assert html.escape(MARKUP[field]) in page, f"the {field} is not shown (escaped)"


def test_data_text_is_escaped():
    """Every piece of data text a card or a table shows is escaped: titles, bodies, badges, hidden notes, quotes,
    citations, notes from outside the sources, table cells, headers and captions."""
    row = load_table("glossary").head(1).assign(
        term=MARKUP["title"], definition=MARKUP["body"], kind=MARKUP["badge"], note=MARKUP["hidden"],
        quote=MARKUP["quote"], cites=f"{MARKUP['cites']}:1.2", general_knowledge=MARKUP["general_knowledge"])
    page = views.cards(row, title=lambda r: r["term"], body=lambda r: r["definition"], badge=lambda r: r["kind"],
                       hidden=lambda r: ("Show", r["note"]))
    _assert_escaped(page, ["title", "body", "badge", "hidden", "quote", "cites", "general_knowledge"])
    table = views.table_html(row.assign(cell=MARKUP["cell"]), {"cell": MARKUP["header"], "cites": "Source"},
                             caption=MARKUP["caption"])
    _assert_escaped(table, ["cell", "header", "caption", "cites"])


def test_data_text_is_escaped_in_the_widgets(data_copy):
    """The same, through the explorers that read the data: a timeline event and a discrepancy card."""
    import pandas as pd

    events = pd.read_csv(data_copy / "events.csv", dtype=str, keep_default_na=False)
    last = events.index[-1]
    events.loc[last, ["title", "summary", "quote"]] = [MARKUP["title"], MARKUP["body"], MARKUP["quote"]]
    events.to_csv(data_copy / "events.csv", index=False)
    explorer = views.TimelineExplorer()
    explorer.choice.value = events.loc[last, "id"]
    _assert_escaped(explorer.detail.value, ["title", "body", "quote"])
    assert "<script" not in explorer.chart.alt.value and html.escape(MARKUP["title"]) in explorer.chart.alt.value


@pytest.mark.parametrize("call", ["readings", "sources_overview", "course_map", "coordination_cards",
                                  "mechanisms_table", "people_table", "source_coverage", "timeline_chart",
                                  "progress_dashboard"])
def test_every_notebook_call_builds(call):
    import ipywidgets as widgets

    from vndiplomacy import course
    from vndiplomacy.dashboard import ProgressDashboard
    from vndiplomacy.manifest import notebook

    args = ("02_three_pillars",) if call == "readings" else ()
    widget = getattr(vd, call)(*args)
    expected = {"readings": widgets.HTML, "sources_overview": widgets.HTML, "course_map": widgets.HTML,
                "coordination_cards": widgets.HTML, "mechanisms_table": views.TableExplorer,
                "people_table": views.TableExplorer, "source_coverage": views.ChartPanel,
                "timeline_chart": views.ChartPanel, "progress_dashboard": ProgressDashboard}[call]
    assert type(widget) is expected, f"{call} returns a {type(widget).__name__}"
    if isinstance(widget, widgets.HTML):
        page = widget.value.replace(CSS, "")
        count = len(_body_rows(page)) if call == "sources_overview" else page.count(
            "<li>" if call == "readings" else '<div class="vd-card">')
        wanted = {"readings": len(notebook("02_three_pillars").readings), "sources_overview": len(load_table("sources")),
                  "course_map": len(course.course_outline()), "coordination_cards": len(load_table("coordination"))}
        assert count == wanted[call] > 0, f"{call} shows {count} items"
    elif isinstance(widget, views.TableExplorer):
        assert len(_body_rows(widget.table.value)) == len(widget.frame) > 0
        assert all(any(cell.strip() for cell in row) for row in _body_rows(widget.table.value))
    else:
        chart = widget if isinstance(widget, views.ChartPanel) else widget.chart
        points = chart_points(chart) if call != "progress_dashboard" else sum(len(t.y) for t in chart.figure.data)
        wanted = {"timeline_chart": len(load_table("events")), "progress_dashboard": 5,
                  "source_coverage": sum(load_table(n)["source"].nunique() for n in
                                         ("events", "congresses", "congress_statements", "documents", "figures",
                                          "pillar_facets", "coordination", "instruments", "policies", "mechanisms",
                                          "people", "glossary", "discrepancies"))}[call]
        assert points == wanted > 0, f"{call} draws {points} points"
        assert views.PLOTLY_MIME in chart.output.outputs[-1]["data"] and "Text alternative" in chart.alt.value


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

    widget = getattr(vd, name)(*(("00_start_here",) if name == "readings" else ()))
    seen = "\n".join(_texts(widget, []))
    seen = re.sub(r'"(hovertemplate|customdata|meta)":', "", seen)
    found = sorted(n for n in _internal_names() if re.search(rf"(?<![\w/]){re.escape(n)}(?![\w])", seen))
    assert not found, f"{name} shows {found}"


def build(name: str):
    return getattr(vd, name)(*(("00_start_here",) if name == "readings" else ()))


def _widget_tree(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _widget_tree(child)


CONTROLS = (widgets.Dropdown, widgets.Select, widgets.ToggleButtons, widgets.SelectionSlider, widgets.IntSlider,
            widgets.Text)


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_has_a_label_and_sliders_update_only_when_let_go(name):
    for widget in _widget_tree(build(name)):
        if isinstance(widget, (*CONTROLS, widgets.Button)):
            label = widget.description
            letters = [c for c in label if c.isalpha()]
            assert letters and letters[0].isupper() and not label.isupper(), \
                f"{name}: a {type(widget).__name__} labelled {label!r}"
        if isinstance(widget, (widgets.SelectionSlider, widgets.IntSlider)):
            assert widget.continuous_update is False, f"{name}: {widget.description} redraws while it is dragged"


def _other_values(control):
    if isinstance(control, widgets.Text):
        return ["ASEAN", "zzzz"]
    if isinstance(control, widgets.IntSlider):
        return [control.min, control.max - 1]
    return [value for _label, value in control.options if value != control.value]


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_of_a_view_changes_what_it_shows(name):
    view = build(name)
    for control in [w for w in _widget_tree(view) if isinstance(w, CONTROLS)]:
        before, changed, original = _texts(view, []), False, control.value
        for value in _other_values(control):
            control.value = value
            changed = changed or _texts(view, []) != before
        control.value = original
        assert changed, f"{name}: choosing another {control.description!r} changes nothing a learner sees"


def test_a_chart_is_redrawn_in_place_and_the_kernel_keeps_the_current_figure():
    country_map = vd.country_map()
    chart, sent = country_map.chart, []
    chart.output.send_state = lambda key=None: sent.append(key)
    first = chart.output.outputs
    assert chart.redraw.outputs == (), "the first figure is drawn by plotly's own renderer"
    country_map.period.value = "1945-1954"
    assert not sent, "the new figure went to the browser as a new plot instead of a redraw"
    spec = chart.output.outputs[-1]["data"][views.PLOTLY_MIME]
    assert chart.output.outputs != first and spec["data"] == json.loads(chart.figure.to_json())["data"]
    script = chart.redraw.outputs[0]["data"]["application/javascript"]
    assert f'.vd-chart-{chart.key} .js-plotly-plot' in script and f"vd-chart-{chart.key}" in chart._dom_classes
    assert json.dumps(spec) in script and "Plotly.react(" in script and "PlotlyGeoAssets" in script
    assert chart.redraw.layout.display == "none"
    timeline = views.TimelineExplorer()
    timeline.period.value = "1945-1954"
    assert "PlotlyGeoAssets" not in timeline.chart.redraw.outputs[0]["data"]["application/javascript"]
    assert views.ChartPanel().key != chart.key


def test_the_table_views_offer_their_filter_in_the_schema_order_and_sources_by_name():
    documents = vd.documents_table()
    kinds = list(load_table("documents")["kind"].cat.categories)
    assert [v for _label, v in documents.choice.options] == ["All", *kinds]
    people = vd.people_table()
    assert people.choice.description == "Source" and "vd-people-filter" in people.choice._dom_classes
    assert "vd-people-table" in people.table._dom_classes
    offered = dict((value, label) for label, value in people.choice.options[1:])
    assert set(offered) == set(people.frame["source"]) and all(offered[s] == source_name(s) for s in offered)
    source = sorted(offered)[0]
    people.choice.value = source
    expected = people.frame[people.frame["source"] == source]
    assert f"{len(expected)} rows" in people.table.value and 0 < len(expected) < len(people.frame)


def test_the_timeline_lists_date_and_title_selects_the_first_event_and_describes_it():
    explorer = views.TimelineExplorer()
    explorer.period.value = "1945-1954"
    shown = _shown_events(explorer)
    assert [label for label, _value in explorer.choice.options] == list(shown["when"] + " · " + shown["title"])
    assert explorer.choice.value == shown.index[0]
    first = shown.iloc[0]
    assert (f'<span class="vd-badge">{esc(first["when"])}</span><span class="vd-badge">{esc(first["period"])}</span>'
            in explorer.detail.value)
    assert explorer.detail.value.endswith(f"{cite_html(first['cites'], first['general_knowledge'])}</div>")


@pytest.mark.parametrize("query", ["xx", "xxxx", ".", "("])
def test_a_search_is_read_as_plain_text_and_never_matches_the_views_own_glue(query):
    timeline = views.TimelineExplorer()
    timeline.actor.value = query
    haystack = (timeline.events["actors"].fillna("") + " " + timeline.events["countries"].fillna("") + " "
                + timeline.events["title"]).map(fold)
    assert len(timeline.filtered()) == haystack.str.contains(query, regex=False).sum()
    glossary = views.GlossaryLookup(query)
    text = (glossary.glossary["term"] + " " + glossary.glossary["vietnamese"].fillna("") + " "
            + glossary.glossary["definition"]).map(fold)
    assert len(glossary.matches()) == text.str.contains(query, regex=False).sum()


def test_the_glossary_opens_on_its_query_and_follows_each_keystroke():
    lookup = views.GlossaryLookup("pillar")
    assert lookup.query.value == "pillar" and lookup.query.continuous_update is True
    assert lookup.query.placeholder.startswith("Type a term") and lookup.query.description == "Search"
    count = len(lookup.matches())
    assert 0 < count < len(lookup.glossary) and f"<p><b>{count}</b> matching terms.</p>" in lookup.results.value


def test_the_discrepancy_sources_name_every_source_involved_and_filter_by_any_of_them():
    explorer = views.DiscrepancyExplorer()
    frame = explorer.discrepancies
    involved = set(frame["source"]) | {s for v in frame["other_sources"] for s in split_list(v)}
    assert [v for _l, v in explorer.source.options[1:]] == sorted(involved, key=source_name)
    assert all(label == source_name(value) for label, value in explorer.source.options[1:])
    only_other = sorted(involved - set(frame["source"])) or sorted(involved)
    explorer.source.value = only_other[0]
    rows = frame[(frame["source"] == only_other[0]) | frame["other_sources"].map(lambda v: only_other[0] in split_list(v))]
    assert f"<p><b>{len(rows)}</b> places to read with care." in explorer.grid.value
    for row in rows.itertuples():
        assert esc(row.title) in explorer.grid.value and esc(row.description) in explorer.grid.value
        assert f'<span class="vd-badge">{esc(row.kind)}</span>' in explorer.grid.value


def test_the_discrepancy_sources_include_sources_never_named_as_another_view(data_copy):
    frame = pd.read_csv(data_copy / "discrepancies.csv", dtype=str, keep_default_na=False)
    frame.assign(other_sources="").to_csv(data_copy / "discrepancies.csv", index=False)
    explorer = views.DiscrepancyExplorer()
    assert {value for _label, value in explorer.source.options[1:]} == set(frame["source"])


def test_the_nos_slider_runs_from_before_the_first_commitment_and_undated_ones_always_show():
    nos = views.NosCards()
    years = nos.policies["introduced_year"].dropna()
    assert (nos.year.min, nos.year.max, nos.year.value) == (int(years.min()) - 1, 2026, 2026)
    nos.year.value = nos.year.min
    in_place = nos.policies["introduced_year"].isna().sum()
    assert f"<b>{in_place}</b> of {len(nos.policies)} commitments in place by {nos.year.min}." in nos.summary.value
    first = nos.policies.index[0]
    nos.policies.loc[first, "introduced_year"] = pd.NA  # a commitment the sources do not date
    nos.year.value = nos.year.min + 1
    nos.year.value = nos.year.min
    undated = nos.policies[nos.policies["introduced_year"].isna()]
    assert nos.grid.value.count("year unclear") == len(undated) and "since " not in nos.grid.value
    assert esc(undated.loc[first, "text"]) in nos.grid.value and esc(undated.loc[first, "introduced_note"]) in nos.grid.value


def test_the_figures_metrics_keep_the_order_of_the_data():
    dashboard = views.FiguresDashboard()
    for group in [value for _label, value in dashboard.group.options if value != "All"]:
        dashboard.group.value = group
        rows = dashboard.figures[dashboard.figures["group"] == group]
        first_seen = list(dict.fromkeys(f"{m}|{u}" for m, u in zip(rows["metric"], rows["unit"], strict=True)))
        assert [value for _label, value in dashboard.metric.options] == first_seen
        assert dashboard.metric.value == first_seen[0]


def test_a_card_shows_its_badge_title_body_reading_quote_and_citation_and_nothing_else():
    row = {"name": "A <b>", "text": "body & more", "kind": "count", "note": "why", "quote": "“a line”",
           "cites": "cr-three-pillars:1.1", "general_knowledge": ""}
    frame = pd.DataFrame([row])
    plain = views.cards(frame, title=lambda r: r["name"], body=lambda r: r["text"])
    assert plain == CSS + (f'<div class="vd-grid"><div class="vd-card"><h4>A &lt;b&gt;</h4><p>body &amp; more</p>'
                           f'{quote_html(row["quote"])}{cite_html(row["cites"], "")}</div></div>')
    full = views.cards(frame, title=lambda r: r["name"], body=lambda r: r["text"], badge=lambda r: r["kind"],
                       hidden=lambda r: ("Show <it>", r["note"]))
    assert ('<h4><span class="vd-badge">count</span>A &lt;b&gt;</h4><p>body &amp; more</p><details class="vd-reveal">'
            "<summary>Show &lt;it&gt;</summary><p>why</p></details>") in full


def test_a_dropdown_of_plain_values_shows_each_value_as_its_label():
    explorer = views.DiscrepancyExplorer()
    assert all(label == str(value) for label, value in explorer.kind.options)


def test_setup_checks_every_table_shows_its_progress_and_remembers_the_valid_version(monkeypatch, tmp_path):
    from vndiplomacy.data import is_validated, table_names

    monkeypatch.setenv("VNDIPLOMACY_CACHE", str(tmp_path / "validated"))
    shown, checked = [], []

    def display(box):
        bar, label = box.children[0].children
        assert (bar.value, bar.min, label.value) == (0, 0, "Checking the knowledge base against its schema…")
        shown.append(box)

    def load(name):
        bar, label = shown[0].children[0].children
        checked.append((name, bar.value, label.value))
        return load_table(name)

    monkeypatch.setattr("IPython.display.display", display)
    monkeypatch.setattr(views, "load_table", load)
    assert not is_validated()
    views.setup()
    names = table_names()
    assert checked[:len(names)] == [(name, done, f"Checking the {name.replace('_', ' ')} table…")
                                    for done, name in enumerate(names)], "each table in turn, the bar counting them"
    bar, label = shown[0].children[0].children
    assert (bar.value, bar.max, bar.bar_style) == (len(names), len(names), "success")
    rows = sum(len(load_table(n)) for n in names)
    assert label.value == f"Ready: {len(names)} tables, {rows} cited rows, all valid."
    assert is_validated()


def test_every_css_class_the_views_name_is_on_a_view():
    """The browser tests and the style sheet find the views by these classes."""
    named = set(re.findall(r'"(vd-[a-z0-9-]+)"', (Path(views.__file__)).read_text(encoding="utf-8")))
    shown, setup = set(), []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("IPython.display.display", setup.append)
        views.setup()
    for widget in [widget for view in [*setup, *map(build, VIEWS)] for widget in _widget_tree(view)]:
        shown |= set(widget._dom_classes)
        shown |= set(re.findall(r'class="([^"]+)"', " ".join(_texts(widget, []))))
    shown = {c for classes in shown for c in classes.split()}
    assert named <= shown, sorted(named - shown)


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


def test_highlight_marks_terms_that_look_like_its_own_markup():
    marked = views.highlight("a new vd <b>class</b>", "new;vd;class;mark")
    assert marked == ('a <mark class="vd-new">new</mark> <mark class="vd-new">vd</mark> &lt;b&gt;'
                      '<mark class="vd-new">class</mark>&lt;/b&gt;')


def test_a_wrong_argument_names_the_valid_choices():
    with pytest.raises(ValueError, match=r"period '1950' is not one of the choices: 'before 1945', '1945-1954'"):
        vd.timeline_explorer(period="1950")


def test_glossary_lists_the_exact_term_first_and_reads_the_query_as_plain_text():
    lookup = views.GlossaryLookup()
    for term in lookup.glossary["term"]:
        lookup.query.value = term
        assert fold(lookup.matches()["term"].iloc[0]) == fold(term), f"{term!r} typed in full is not listed first"
    lookup.query.value = "("
    texts = [fold(f"{r['term']} {r['vietnamese']} {r['definition']}") for _, r in lookup.matches().iterrows()]
    assert texts and all("(" in t for t in texts), "a bracket is looked for as it is"
    lookup.query.value = "(("
    assert "<b>0</b> matching terms" in lookup.results.value


def test_glossary_shows_a_dozen_cards_and_says_when_there_are_more():
    lookup = views.GlossaryLookup()
    total, limit = len(lookup.glossary), views.GlossaryLookup.LIMIT
    assert total > limit
    assert f"<b>{total}</b> matching terms" in lookup.results.value
    assert f"Showing the first {limit};" in lookup.results.value
    shown = lookup.glossary.head(limit)
    from vndiplomacy.style import esc

    assert _card_titles(lookup.results.value) == [f"{r['term']} — {r['vietnamese']}" if esc(r["vietnamese"]) else
                                                  r["term"] for _, r in shown.iterrows()]
    assert all(html.escape(d) in lookup.results.value for d in shown["definition"])
    lookup.query.value = lookup.glossary["term"].iloc[0]
    assert len(lookup.matches()) <= limit and "Showing the first" not in lookup.results.value


def test_nos_cards_count_a_commitment_from_the_year_it_was_made():
    cards = views.NosCards()
    dated = cards.policies["introduced_year"].dropna().astype(int)
    undated = len(cards.policies) - len(dated)
    assert cards.year.value == cards.year.max >= dated.max(), "the slider opens on today, with every commitment"
    badges = re.findall(r'<span class="vd-badge">(.*?)</span>', cards.grid.value)
    assert sorted(badges) == sorted([f"since {y}" for y in dated] + ["year unclear"] * undated)
    cards.year.value = cards.year.min
    assert f"<b>{undated}</b> of" in cards.summary.value, "the slider starts before the first dated commitment"
    for year in sorted(set(dated)):
        cards.year.value = year
        shown = cards.policies[cards.policies["introduced_year"].fillna(0) <= year]
        assert f"<b>{len(shown)}</b> of {len(cards.policies)} commitments in place by {year}" in cards.summary.value
        assert _card_titles(cards.grid.value) == list(shown["text"])
    cards.year.value = int(dated.min())
    assert f"<b>{undated + (dated == dated.min()).sum()}</b> of" in cards.summary.value, \
        "a commitment is in place from the year it was made"


def test_instruments_are_cards_with_their_name_ministry_and_the_chosen_aspect():
    comparison = views.InstrumentsComparison()
    for aspect in views.InstrumentsComparison.ASPECTS:
        comparison.aspect.value = aspect
        page = comparison.grid.value
        assert _card_titles(page) == list(comparison.instruments["name"])
        for _, row in comparison.instruments.iterrows():
            assert f'<span class="vd-badge">{html.escape(str(row["ministry"]))}</span>' in page
            assert f"<p>{html.escape(str(row[aspect]))}</p>" in page


def test_documents_table_opens_on_a_kind_and_coordination_cards_show_each_item():
    kind = load_table("documents")["kind"].dropna().iloc[0]
    table = vd.documents_table(kind)
    assert table.choice.value == kind
    assert f"{(load_table('documents')['kind'] == kind).sum()} rows" in table.table.value
    page = views.coordination_cards().value
    for _, row in load_table("coordination").iterrows():
        assert html.escape(f"{row['kind'].capitalize()} {row['order']}: {row['title']}") in page
        assert html.escape(row["summary"]) in page


@pytest.mark.parametrize("written", ['"Peace and friendship"', "“Peace and friendship”", " 'Peace and friendship' ",
                                     "Peace and friendship"])
def test_a_quote_is_shown_in_one_pair_of_quotation_marks(written):
    from vndiplomacy.style import quote_html

    assert quote_html(written) == '<div class="vd-quote">“Peace and friendship”</div>'
    assert quote_html(None) == "" and quote_html(float("nan")) == ""


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_carries_a_course_class_for_the_stylesheet_and_the_browser_tests(name):
    """The stylesheet and the browser tests find a view's parts by their vd- classes: each class is well formed and
    each control a learner operates, and the view itself, carries one."""
    import ipywidgets as widgets

    widget = getattr(vd, name)(*(("00_start_here",) if name == "readings" else ()))
    tree = list(_tree(widget))
    classes = [c for w in tree for c in getattr(w, "_dom_classes", ())]
    assert classes and all(re.fullmatch(r"vd-[a-z0-9]+(-[a-z0-9]+)*", c) for c in classes), classes
    assert any(c.startswith("vd-") for c in widget._dom_classes), f"{name} itself has no class"
    controls = (widgets.Dropdown, widgets.Text, widgets.Select, widgets.SelectionSlider, widgets.IntSlider,
                widgets.ToggleButtons, widgets.Button)
    unmarked = [w.description or type(w).__name__ for w in tree if isinstance(w, controls) and not w._dom_classes]
    assert not unmarked, f"{name}: controls without a class: {unmarked}"


def test_stepping_past_the_first_or_last_congress_stays_there_without_an_error(caplog):
    stepper = views.CongressStepper(start=6)
    numbers = list(stepper.congresses.index)
    stepper.number.value = numbers[0]
    stepper.previous.click()
    assert stepper.number.value == numbers[0] and f"{numbers[0]}th Congress" in stepper.card.value
    stepper.number.value = numbers[-1]
    stepper.next.click()
    assert stepper.number.value == numbers[-1]
    assert not [r for r in caplog.records if "Exception in callback" in r.getMessage()], "a click raised an error"


def test_a_pillar_card_gives_its_vietnamese_name_role_quote_and_each_items_source():
    from vndiplomacy.style import cite_html, quote_html

    explorer = views.PillarsExplorer()
    for pillar, row in explorer.pillars.iterrows():
        for label, facet in explorer.facet.options:
            explorer.pillar.value, explorer.facet.value = pillar, facet
            page = explorer.items.value
            assert f'<i lang="vi">{html.escape(row["vietnamese"])}</i>' in page
            assert f"<p>{html.escape(row['role'])}</p>" in page and f"<b>{label}:</b>" in page
            assert quote_html(row["quote"]) in page and cite_html(row["cites"], row["general_knowledge"]) in page
            items = explorer.facets[(explorer.facets["pillar"] == pillar) & (explorer.facets["facet"] == facet)]
            for item in items.itertuples():
                assert f'<li>{html.escape(item.item)} <span class="vd-cite">({html.escape(citation(item.cites))})' \
                       f"</span></li>" in page
            if items.empty:
                assert "<li>The sources name none.</li>" in page


def test_the_figures_dashboard_opens_on_the_first_group_and_metric_and_charts_only_that_metric():
    board = views.FiguresDashboard()
    first_group = next(g for g in board.figures["group"].cat.categories if (board.figures["group"] == g).any())
    assert board.group.value == first_group
    assert [v for _l, v in board.group.options[1:]] == [g for g in board.figures["group"].cat.categories
                                                        if (board.figures["group"] == g).any()]
    rows = board.figures[board.figures["group"] == first_group]
    first = rows.iloc[0]
    assert board.metric.value == f"{first['metric']}|{first['unit']}", "the first metric of the group, as listed"
    assert f"<caption>All figures: {html.escape(str(first_group))}</caption>" in board.table.value
    for _label, value in board.metric.options:
        board.metric.value = value
        metric, unit = value.split("|")
        wanted = board.figures[(board.figures["metric"] == metric) & (board.figures["unit"] == unit)]
        assert sum(len(t.x) for t in board.chart.figure.data) == len(wanted), value


def test_the_figures_dashboard_opens_on_a_group_it_offers_when_the_first_group_has_no_figures(data_copy):
    import pandas as pd

    first = load_table("figures", data_copy)["group"].cat.categories[0]
    table = pd.read_csv(data_copy / "figures.csv", dtype=str, keep_default_na=False)
    table[table["group"] != first].to_csv(data_copy / "figures.csv", index=False)
    board = views.FiguresDashboard()
    assert board.group.value != first and first not in [v for _label, v in board.group.options]
    assert sum(len(t.x) for t in board.chart.figure.data) > 0
