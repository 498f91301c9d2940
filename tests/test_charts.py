"""The figures themselves: axes a learner can read, honest legends, colours and hover text in plain words."""
import re

import pandas as pd
import pytest

import vndiplomacy as vd
from vndiplomacy import charts, views
from vndiplomacy.data import load_table, split_list
from vndiplomacy.manifest import topic_ids
from vndiplomacy.style import PALETTE

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
RAW_FIELD = re.compile(r"\w+=%\{")


def tick_lines(figure):
    return [line for tick in figure.data[0].x for line in str(tick).split("<br>")]


def several_statements():
    """Two statements of one metric with different, long labels (the case that overflowed the axis)."""
    sources = list(load_table("sources")["id"])
    rows = load_table("figures").head(2).copy()
    return rows.assign(metric="foreign_military_experts", unit="experts", as_of_year=[1975, 1975],
                       source=sources[:2], value=[6000.0, 1500.0],
                       label=["Soviet military experts who came to assist Vietnam, 1965–1975",
                              "Chinese military experts who came to assist Vietnam, 1965–1975"])


# 1. Figures chart: the x-axis title has room below the tick labels


def test_figures_axis_title_stands_clear_of_wrapped_tick_labels():
    figure, alt = charts.figures_chart(several_statements())
    axis = figure.layout.xaxis
    assert axis.automargin is True
    assert axis.title.text and axis.title.standoff >= 10
    assert axis.tickangle == 0
    assert max(len(line) for line in tick_lines(figure)) <= 30, tick_lines(figure)
    assert "6,000 experts as of 1975" in alt and "1,500 experts as of 1975" in alt


def test_every_figures_chart_wraps_its_labels_and_title():
    figures = load_table("figures")
    for (_metric, _unit), rows in figures.groupby(["metric", "unit"], sort=False):
        figure, _alt = charts.figures_chart(rows)
        assert figure.layout.xaxis.automargin is True and figure.layout.xaxis.title.standoff >= 10
        assert max(len(line) for line in tick_lines(figure)) <= 32  # "2025 · chien-military-diplomacy"
        assert max(len(line) for line in figure.layout.title.text.split("<br>")) <= 70
        assert figure.layout.margin.t >= 40 + 20 * (figure.layout.title.text.count("<br>") + 1)


def test_metric_label_is_words_not_a_column_name():
    rows = load_table("figures").head(2).assign(metric="income_per_capita_usd", unit="USD",
                                                label=["Per-capita income then", "Per-capita income now"])
    assert charts.metric_label(rows) == "Income per capita"
    rows = rows.assign(metric="years_since_doi_moi", unit="years",
                       label=["Years of Đổi mới (renewal)", "Years of diplomacy in the Đổi mới period"])
    assert charts.metric_label(rows) == "Years since Đổi mới"
    rows = rows.assign(metric="foreign_military_experts", unit="experts", label=["Soviet experts", "Chinese experts"])
    assert charts.metric_label(rows) == "Foreign military experts"


# 2. Timeline: a year-level axis however close together the events are


def one_date_events(date="1978-12-31", n=3):
    return load_table("events").head(n).assign(date=pd.Timestamp(date))


def assert_year_axis(figure, first, last):
    axis = figure.layout.xaxis
    assert axis.type == "date" and axis.tickformat == "%Y"
    months = int(str(axis.dtick).removeprefix("M"))
    assert str(axis.dtick).startswith("M") and months % 12 == 0
    start, end = (pd.Timestamp(x) for x in axis.range)
    assert start <= pd.Timestamp(first) - pd.DateOffset(years=1)
    assert end >= pd.Timestamp(last) + pd.DateOffset(years=1)
    assert (end - start).days / (months / 12 * 365.25) <= 13, "too many ticks to read"


def test_timeline_of_events_on_one_date_has_a_year_axis():
    figure, alt = charts.timeline_figure(one_date_events())
    assert_year_axis(figure, "1978-12-31", "1978-12-31")
    assert "3 events from 1978 to 1978" in alt


def test_timeline_of_events_in_one_year_has_a_year_axis():
    events = load_table("events").head(3).assign(date=pd.to_datetime(["1978-01-01", "1978-06-15", "1978-12-31"]))
    assert_year_axis(charts.timeline_figure(events)[0], "1978-01-01", "1978-12-31")


def test_timeline_of_all_events_has_a_decade_axis():
    events = load_table("events")
    figure = vd.timeline_chart().figure
    assert_year_axis(figure, events["date"].min(), events["date"].max())


# 3. A topic-filtered timeline shows that topic alone in its legend


@pytest.mark.parametrize("topic", topic_ids())
def test_topic_filtered_timeline_legend_shows_only_that_topic(topic):
    figure = vd.timeline_chart(topic=topic).figure
    assert {trace.name for trace in figure.data} == {charts.topic_label(topic)}
    assert figure.layout.showlegend is True


def test_timeline_explorer_filtered_by_topic_shows_only_that_topic():
    explorer = views.TimelineExplorer(topic="defence")
    assert {trace.name for trace in explorer.chart.figure.data} == {"Defence diplomacy"}
    assert "shown under the topic Defence diplomacy" in explorer.chart.alt.value


def test_timeline_traces_hold_only_events_of_their_topic():
    events = load_table("events")
    figure = charts.timeline_figure(events)[0]
    by_title = dict(zip(events["title"], events["topics"], strict=False))
    for trace in figure.data:
        titles = [text.split(" (")[0].replace("<br>", " ") for text in trace.hovertext]
        labels = [{charts.topic_label(t) for t in split_list(by_title[title])} for title in titles if title in by_title]
        assert labels and all(trace.name in topics for topics in labels), trace.name


def test_timeline_topic_argument_groups_events_under_it():
    events = load_table("events")
    rows = views.has_item(events, "topics", "history")
    figure = charts.timeline_figure(rows, topic="history")[0]
    assert [trace.name for trace in figure.data] == ["History"]
    assert len(figure.data[0].x) == len(rows)


# 4. The pillars sunburst hovers in words


def test_pillars_sunburst_hover_is_plain_words():
    figure = vd.pillars_explorer().chart.figure
    trace = figure.data[0]
    assert trace.hovertemplate and not RAW_FIELD.search(trace.hovertemplate)
    assert "pillar_name" not in trace.hovertemplate and not SNAKE.search(trace.hovertemplate)
    texts = list(trace.customdata)
    assert len(texts) == len(trace.ids)
    assert not [t for t in texts if "=" in t or SNAKE.search(t)]
    facets = load_table("pillar_facets")
    assert any(t.startswith("<b>Party diplomacy</b><br>") and "items" in t for t in texts)
    assert any(facets["item"].iloc[0][:30] in t.replace("<br>", " ") for t in texts)


def test_pillars_sunburst_keeps_items_with_the_same_first_words_apart():
    facets = load_table("pillar_facets")
    same = facets.head(2).assign(pillar="party", facet="task",
                                 item=["A very long item that begins the same way as the next, then ends one way",
                                       "A very long item that begins the same way as the next, then ends another"])
    figure = charts.pillars_sunburst(same, load_table("pillars"))[0]
    leaves = [v for i, v in zip(figure.data[0].ids, figure.data[0].values, strict=True) if i.count("/") == 2]
    assert leaves == [1, 1]


# 5. A country with several roles is drawn as such


def countries_frame(rows):
    template = load_table("countries")
    frame = pd.DataFrame(rows, columns=["iso3", "name", "role", "period"])
    return frame.astype({"role": template["role"].dtype, "period": template["period"].dtype})


def test_country_with_several_roles_has_its_own_colour_and_lists_them():
    roles = list(load_table("countries")["role"].cat.categories)
    periods = list(load_table("countries")["period"].cat.categories)
    frame = countries_frame([("CHN", "China", roles[0], periods[1]), ("CHN", "China", roles[2], periods[3]),
                             ("CHN", "China", roles[4], periods[4]), ("CUB", "Cuba", roles[1], periods[2])])
    figure, alt = charts.country_map_figure(frame)
    china = next(t for t in figure.data if "CHN" in t.locations)
    cuba = next(t for t in figure.data if "CUB" in t.locations)
    assert china.name == charts.SEVERAL_ROLES
    assert {c for _, c in china.colorscale} == {charts.SEVERAL_ROLES_COLOUR}
    assert charts.SEVERAL_ROLES_COLOUR not in PALETTE
    hover = china.hovertext[list(china.locations).index("CHN")]
    assert all(role in hover for role in (roles[0], roles[2], roles[4]))
    assert cuba.name == roles[1] and {c for _, c in cuba.colorscale} == {PALETTE[1]}
    assert "several roles" in alt and all(role in alt for role in (roles[0], roles[2], roles[4]))


def test_china_on_the_course_map_shows_every_role():
    countries = load_table("countries")
    china_roles = set(countries[countries["iso3"] == "CHN"]["role"].astype(str))
    if len(china_roles) < 2:
        pytest.skip("the data gives China a single role")
    figure = vd.country_map().chart.figure
    china = next(t for t in figure.data if "CHN" in t.locations)
    assert china.name == charts.SEVERAL_ROLES
    assert all(role in china.hovertext[list(china.locations).index("CHN")] for role in china_roles)


# 6. The map shows the whole world the countries lie in, Europe and Africa included


def test_map_view_includes_europe_and_africa():
    figure = vd.country_map(period="2016-2026").chart.figure
    geo = figure.layout.geo
    assert geo.fitbounds in (False, None)
    west, east = geo.lonaxis.range
    south, north = geo.lataxis.range
    assert west <= -20 and east >= 55, "Europe (-10..40) and Africa (-18..52) must be in view"
    assert south <= -35 and north >= 71, "South Africa and the North Cape must be in view"
    assert (geo.projection.rotation.lon or 0) == 0
    assert 400 <= figure.layout.height <= 600


# No raw column names anywhere a learner reads


def every_figure():
    yield vd.timeline_chart().figure
    yield vd.timeline_chart(topic="congress14").figure
    figures = load_table("figures")
    for _key, rows in figures.groupby(["metric", "unit"], sort=False):
        yield charts.figures_chart(rows)[0]
    yield vd.pillars_explorer().chart.figure
    yield vd.country_map().chart.figure
    yield vd.source_coverage().figure
    summary = pd.DataFrame({"topic": ["History", "Three pillars"], "percent": [50.0, 0.0],
                            "label": ["2 of 4", "0 of 3"], "correct": [2, 0], "total": [4, 3], "attempts": [3, 0]})
    yield charts.progress_figure(summary)[0]


def learner_texts(figure):
    yield str(figure.layout.legend.title.text or "")
    yield str(figure.layout.title.text or "")
    for trace in figure.data:
        yield str(trace.name or "")
        yield str(getattr(trace, "hovertemplate", None) or "")
        for field in ("hovertext", "customdata"):
            value = getattr(trace, field, None)
            if value is not None and not isinstance(value, str):
                yield from (str(v) for v in value)
            elif value:
                yield value


def test_no_raw_column_names_in_hover_text_legends_or_titles():
    found = {text for figure in every_figure() for text in learner_texts(figure)
             if RAW_FIELD.search(text) or SNAKE.search(text)}
    assert not found, sorted(found)[:5]


def test_importing_the_course_loads_no_library_only_some_charts_or_checks_use():
    """plotly.express draws two charts and the class dashboard; Frictionless and jsonschema run only when data or a
    quiz bank is checked. A notebook pays for them when it uses them, not on `import vndiplomacy`."""
    import subprocess
    import sys

    code = ("import sys, vndiplomacy\n"
            "print(sorted(m for m in ('plotly.express', 'frictionless', 'jsonschema') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
    drawn = pd.DataFrame({"topic": ["a"], "percent": [50], "label": ["1 / 2"], "correct": [1], "total": [2],
                          "attempts": [1]})
    assert charts.progress_figure(drawn)[0].data and charts.source_coverage_figure()[0].data
