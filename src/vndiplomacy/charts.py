"""Plotly figures built from the data, each with its text alternative."""
from __future__ import annotations

import re
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .data import load_table, split_list
from .manifest import topic_ids, topic_labels
from .style import PALETTE, citation, fold, text_alternative

SYMBOLS = ["circle", "diamond", "square", "x", "triangle-up"]
FACET_LABELS = {"actor": "Actors", "task": "Tasks", "tool": "Tools", "audience": "Audiences"}
SEVERAL_ROLES = "several roles"
# Neutral grey for countries with more than one role: achromatic, so it stays apart from the Okabe–Ito hues
# for every kind of colour vision (it is the grey usually paired with that palette).
SEVERAL_ROLES_COLOUR = "#999999"
# A light layout instead of a full plotly template: templates cost tens of ms per figure.
LAYOUT = dict(template="none", font=dict(size=13), margin=dict(l=10, r=10, t=50, b=10),
              paper_bgcolor="white", plot_bgcolor="white", xaxis=dict(automargin=True), yaxis=dict(automargin=True))
GRID = dict(gridcolor="#e5e5e5", zeroline=False, automargin=True)


def figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plotly.js's own attribute dicts (values as lists), without plotly.py's validation: the charts a
    learner redraws with each click are built this way, in a fraction of the time. Spell attributes the way plotly.js
    reads them: nested dicts, titles as {"text": ...}; the figure's template is the empty one.
    """
    return go.Figure({"data": traces, "layout": {**layout, "template": {}}}, _validate=False)


def wrap(text, width: int) -> str:
    """Text broken with <br> into lines of at most ``width`` characters (plotly does not wrap by itself)."""
    return "<br>".join(textwrap.wrap(str(text), width, break_on_hyphens=False)) or str(text)


def title_layout(text: str, width: int = 70) -> dict:
    """A chart title wrapped to fit an 800 px wide notebook, and the top margin its lines need."""
    wrapped = wrap(text, width)
    return dict(title=dict(text=wrapped), margin=dict(LAYOUT["margin"], t=40 + 20 * (wrapped.count("<br>") + 1)))


def topic_label(topic: str) -> str:
    """A topic as learners read it: '14th Congress', not 'congress14'."""
    return topic_labels().get(topic, topic.replace("_", " ").capitalize())


def year_axis(dates: pd.Series) -> dict:
    """A date axis in whole years, padded by a year on each side, whatever the spread of the dates.

    Without an explicit range plotly zooms onto a single date and labels milliseconds.
    """
    dates = dates.dropna()
    axis = dict(type="date", tickformat="%Y", hoverformat="%Y", tick0="1900-01-01", dtick="M12")
    if not len(dates):
        return axis
    first, last = dates.min() - pd.DateOffset(years=1), dates.max() + pd.DateOffset(years=1)
    span = last.year - first.year
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 12), 100)
    return dict(axis, range=[first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")], dtick=f"M{12 * step}")


def timeline_figure(events: pd.DataFrame, topic: str | None = None) -> tuple[go.Figure, str]:
    """Events as points on a time axis, one lane per period, one colour and symbol per topic.

    An event with several topics is drawn under ``topic`` when it has it (the topic a chart was filtered on);
    without ``topic``, under the topic every shown event shares, if any, else under its first topic. So a
    chart of one topic's events shows that topic alone in its legend.
    """
    # Plain Python lists, not pandas operations: this runs on every click of the timeline's filters.
    lists = [split_list(t) or ["other"] for t in events["topics"].tolist()]
    course_topics = topic_ids()
    label = {t: topic_label(t) for t in {*course_topics, *(t for ts in lists for t in ts)}}
    if topic is None and lists:
        common = set.intersection(*(set(t) for t in lists))
        topic = next((t for t in [*course_topics, *sorted(common)] if t in common), None)
    shown_under = [topic if topic in ts else ts[0] for ts in lists]
    topic_names = [", ".join(label[t] for t in ts) for ts in lists]
    years = [None if pd.isna(d) else d.year for d in events["date"].tolist()]
    when = ["<NA>" if y is None else str(y) for y in years]
    periods_of = events["period"].astype(str).tolist()
    dates = [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in events["date"].tolist()]
    hover = [f"{wrap(title, 60)} ({w}, {source})<br>Topics: {names}" for title, w, source, names in
             zip(events["title"].tolist(), when, events["source"].astype(str).tolist(), topic_names, strict=True)]
    rows_of: dict[str, list[int]] = {}
    for i, name in enumerate(shown_under):
        rows_of.setdefault(name, []).append(i)
    known = [*course_topics, *sorted(set(rows_of) - set(course_topics))]
    periods = [p for p in events["period"].cat.categories if p in set(periods_of)]
    traces = [dict(type="scatter", x=[dates[j] for j in rows_of[name]], y=[periods_of[j] for j in rows_of[name]],
                   mode="markers", name=label[name], hovertext=[hover[j] for j in rows_of[name]], hoverinfo="text",
                   marker=dict(size=11, color=PALETTE[i % len(PALETTE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                               line=dict(width=1, color="#333")))
              for i, name in enumerate(known) if name in rows_of]
    fig = figure(traces, dict(LAYOUT, height=420, title=dict(text=f"Timeline: {len(events)} events"),
                              legend=dict(title=dict(text="Topic")), showlegend=bool(traces),
                              yaxis=dict(categoryorder="array", categoryarray=periods[::-1], **GRID),
                              xaxis=dict(GRID, **year_axis(events["date"]))))
    shown = [label[t] for t in known if t in rows_of]
    key = (f"all are shown under the topic {shown[0]}" if len(shown) == 1 else
           f"colour and symbol show the topic ({', '.join(shown)}); an event with several topics is shown under "
           "its first")
    dated = [y for y in years if y is not None]
    summary = (f"{len(events)} events from {min(dated)} to {max(dated)}, placed by date in period lanes; {key}."
               if len(events) else "No events match the filters.")
    table = pd.DataFrame({"when": when, "title": events["title"].tolist(), "period": periods_of,
                          "shown_as": [label[t] for t in shown_under], "topic_names": topic_names,
                          "source": events["source"].astype(str).tolist()})
    return fig, text_alternative(summary, table, {"when": "Year", "title": "Event", "period": "Period",
                                                  "shown_as": "Shown as", "topic_names": "Topics", "source": "Source"})


def figures_chart(rows: pd.DataFrame) -> tuple[go.Figure, str]:
    """Bars for one metric: each statement of it, labelled with as-of year, qualifier and source.

    Long tick labels are wrapped onto several lines and the axis title stands off below them.
    """
    label, unit = metric_label(rows), rows["unit"].iloc[0]
    frame = rows.sort_values("as_of_year")
    # Plain Python values, not pandas operations: this runs on every change of the metric.
    labels, years, sources = frame["label"].tolist(), frame["as_of_year"].astype(str).tolist(), frame["source"].tolist()
    several = len(set(labels)) > 1
    shown = [f"{str(q).replace('exact', '').strip()} {f'{v:,.0f}' if float(v).is_integer() else f'{v:,}'}".strip()
             for q, v in zip(frame["qualifier"].astype(str).tolist(), frame["value"].tolist(), strict=True)]
    bars = [(wrap(text, 26) + "<br>" if several else "") + f"{year} · {source}"
            for text, year, source in zip(labels, years, sources, strict=True)]
    hover = [f"<b>{s} {unit}</b> as of {year}<br>{wrap(text, 60) + '<br>' if several else ''}"
             f"Source: {wrap(citation(cites), 60)}"
             for s, year, text, cites in zip(shown, years, labels, frame["cites"].tolist(), strict=True)]
    order = source_order()
    colours = [PALETTE[order.index(s) % len(PALETTE)] for s in sources]
    bar = dict(type="bar", x=bars, y=[float(v) for v in frame["value"].tolist()], text=shown, textposition="outside",
               cliponaxis=False, marker=dict(color=colours), customdata=hover,
               hovertemplate="%{customdata}<extra></extra>", name=label)
    fig = figure([bar], dict(LAYOUT, height=400, showlegend=False, **title_layout(f"{label} ({unit})"),
                             xaxis=dict(title=dict(text=("statement · " if several else "") + "as-of year · source",
                                                   standoff=16),
                                        automargin=True, tickangle=0, type="category"),
                             yaxis=dict(title=dict(text=unit), **GRID)))
    parts = [f"{s} {unit} as of {year} ({source})" for s, year, source in zip(shown, years, sources, strict=True)]
    summary = f"{label}: " + "; ".join(parts) + "."
    return fig, text_alternative(summary, frame, {"as_of_year": "As of", "qualifier": "Qualifier", "value": "Value",
                                                  "unit": "Unit", "cites": "Source"})


def source_order() -> list[str]:
    """Source ids in the order of sources.csv, so each source keeps its colour in every chart."""
    return list(load_table("sources")["id"])


def metric_label(rows: pd.DataFrame) -> str:
    """The label of a metric: its rows' label, or its name in words when the rows label different things.

    The name loses a trailing unit code ('income_per_capita_usd' in USD: 'Income per capita') and takes back the
    diacritics its rows' labels spell ('years_since_doi_moi': 'Years since Đổi mới').
    """
    if rows["label"].nunique() == 1:
        return rows["label"].iloc[0]
    words = str(rows["metric"].iloc[0]).split("_")
    unit = str(rows["unit"].iloc[0])
    if len(words) > 1 and unit.isupper() and words[-1] == fold(unit):
        words = words[:-1]
    spelled = {fold(w): w for text in rows["label"] for w in re.findall(r"\w+", str(text)) if not w.isascii()}
    words = [spelled.get(w, w) for w in words]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def pillars_sunburst(facets: pd.DataFrame, pillars: pd.DataFrame) -> tuple[go.Figure, str]:
    """The three pillars, their facets and items, as a sunburst; hovering a ring tells what it holds, in words."""
    names = pillars.set_index("id")["name"]
    frame = facets.assign(pillar_name=facets["pillar"].astype(str).map(names),
                          facet_name=facets["facet"].astype(str).map(lambda f: FACET_LABELS.get(f, f.capitalize())))
    ids, labels, parents, values, colours, hover = [], [], [], [], [], []

    def node(key, label, parent, value, colour, text):
        for column, item in zip((ids, labels, parents, values, colours, hover),
                                (key, label, parent, value, colour, text), strict=True):
            column.append(item)

    def items(n):
        return f"{n} item" if n == 1 else f"{n} items"

    for i, pillar in enumerate(pillars["id"].astype(str)):  # colours in the order of pillars.csv
        in_pillar = frame[frame["pillar"].astype(str) == pillar]
        if not len(in_pillar):
            continue
        colour, name = PALETTE[i % len(PALETTE)], names[pillar]
        node(pillar, name, "", len(in_pillar), colour,
             f"<b>{name}</b><br>{items(len(in_pillar))} in {in_pillar['facet'].nunique()} facets")
        for facet, in_facet in in_pillar.groupby(in_pillar["facet"].astype(str), sort=False):
            facet_name = in_facet["facet_name"].iloc[0]
            node(f"{pillar}/{facet}", facet_name, pillar, len(in_facet), colour,
                 f"<b>{name}: {facet_name}</b><br>{items(len(in_facet))}")
            for row in in_facet.itertuples():
                short = row.item if len(row.item) <= 40 else row.item[:39].rstrip() + "…"
                node(f"{pillar}/{facet}/{row.Index}", short, f"{pillar}/{facet}", 1, colour,
                     f"{wrap(row.item, 60)}<br><i>{facet_name[:-1]} of {name}; source: {row.source}</i>")
    fig = go.Figure(go.Sunburst(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                                marker=dict(colors=colours, line=dict(color="white", width=1)), customdata=hover,
                                hovertemplate="%{customdata}<extra></extra>", maxdepth=2,
                                insidetextorientation="horizontal"),
                    layout=dict(LAYOUT, height=520, title="The three pillars of diplomacy (click a ring to open it)"))
    counts = frame.groupby("pillar_name").size().reindex([n for n in names if n in set(frame["pillar_name"])])
    summary = "Items per pillar: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + "."
    return fig, text_alternative(summary, frame, {"pillar_name": "Pillar", "facet_name": "Facet", "item": "Item"})


def country_roles(countries: pd.DataFrame) -> pd.DataFrame:
    """One row per country: its names, its roles (with their periods) and the category it is drawn in.

    A country with one role is drawn in that role's colour; one with several roles in its own 'several roles'
    category, rather than in one of its roles' colours.
    """
    role_rank = {r: i for i, r in enumerate(countries["role"].cat.categories)}
    period_rank = {p: i for i, p in enumerate(countries["period"].cat.categories)}
    grouped: dict[str, dict] = {}
    for iso3, name, role, period in zip(countries["iso3"].astype(str), countries["name"].astype(str),
                                        countries["role"], countries["period"], strict=True):
        entry = grouped.setdefault(iso3, {"names": {}, "roles": {}})
        entry["names"][name] = None
        entry["roles"].setdefault(role, set()).add(period)
    out = []
    for iso3, entry in grouped.items():
        roles = sorted(entry["roles"], key=role_rank.get)
        periods = {r: sorted(entry["roles"][r], key=period_rank.get) for r in roles}
        every_period = sorted(set().union(*entry["roles"].values()), key=period_rank.get)
        out.append({"iso3": iso3, "name": " / ".join(entry["names"]),
                    "shown_as": roles[0] if len(roles) == 1 else SEVERAL_ROLES, "roles": "; ".join(roles),
                    "by_period": "; ".join(f"{r} ({', '.join(periods[r])})" for r in roles),
                    "periods": "; ".join(every_period)})
    return pd.DataFrame(out, columns=["iso3", "name", "shown_as", "roles", "by_period", "periods"])


def country_map_figure(countries: pd.DataFrame) -> tuple[go.Figure, str]:
    """A world map of the countries named, one colour per role, and a grey 'several roles' for countries with
    more than one; hover and the text alternative list every role with its periods.
    """
    order = list(countries["role"].cat.categories)
    frame = country_roles(countries)
    colour = {role: PALETTE[i % len(PALETTE)] for i, role in enumerate(order)} | {SEVERAL_ROLES: SEVERAL_ROLES_COLOUR}
    hover = [f"<b>{r.name}</b>: " + (f"several roles<br>{r.by_period.replace('; ', '<br>')}"
                                     if r.shown_as == SEVERAL_ROLES else r.by_period) for r in frame.itertuples()]
    frame = frame.assign(hover=hover)
    groups = {role: rows for role, rows in frame.groupby("shown_as", sort=False)}
    traces = [dict(type="choropleth", locations=groups[role]["iso3"].tolist(), z=[1] * len(groups[role]), name=role,
                   showlegend=True, showscale=False, colorscale=[[0, colour[role]], [1, colour[role]]],
                   hovertext=groups[role]["hover"].tolist(), hoverinfo="text",
                   marker=dict(line=dict(color="#444", width=0.5)))
              for role in [*order, SEVERAL_ROLES] if role in groups]
    # The whole world but Antarctica: fitting the view to the countries lets Russia, which crosses the
    # antimeridian, swing the map onto the Pacific and cut off Europe and Africa.
    geo = dict(showframe=False, showcountries=True, countrycolor="#888", projection=dict(type="natural earth",
               rotation=dict(lon=0)), fitbounds=False, lonaxis=dict(range=[-180, 180]), lataxis=dict(range=[-58, 85]),
               resolution=110, showcoastlines=True, showland=True, landcolor="#f4f4f4")
    fig = figure(traces, dict(LAYOUT, height=480, title=dict(text=f"Countries named in the sources ({len(frame)})"),
                              geo=geo, legend=dict(title=dict(text="Role"), orientation="h", x=0, y=0,
                                                   yanchor="top")))
    several = frame[frame["shown_as"] == SEVERAL_ROLES]
    note = (f" {len(several)} {'country has' if len(several) == 1 else 'countries have'} several roles and "
            f"{'is' if len(several) == 1 else 'are'} shaded grey as 'several roles': "
            + ", ".join(several["name"]) + "." if len(several) else "")
    summary = (f"{len(frame)} countries. " + " ".join(f"{r.name}: {r.by_period}." for r in frame.itertuples())
               + note if len(frame) else "No countries match the filters.")
    return fig, text_alternative(summary, frame, {"name": "Country", "iso3": "ISO3", "shown_as": "Shown as",
                                                  "by_period": "Roles (periods)"})


def source_coverage_figure() -> tuple[go.Figure, str]:
    """How many rows each source contributes to each table."""
    counts = []
    for name in ("events", "congresses", "congress_statements", "documents", "figures", "pillar_facets",
                 "coordination", "instruments", "policies", "mechanisms", "people", "glossary", "discrepancies"):
        table = load_table(name)
        for source, n in table["source"].value_counts().items():
            counts.append({"table": name.replace("_", " "), "source": source, "rows": int(n)})
    frame = pd.DataFrame(counts)
    import plotly.express as px  # here, not at the top: most notebooks never draw this chart (0.15 s to import)

    fig = px.bar(frame, x="rows", y="source", color="table", orientation="h", category_orders={"source": source_order()},
                 color_discrete_sequence=PALETTE * 2, title="What each source contributes to the knowledge base")
    fig.update_traces(hovertemplate="<b>%{y}</b><br>%{x} rows in %{fullData.name}<extra></extra>")
    fig.update_layout(**LAYOUT, height=420, yaxis_title="", xaxis_title="rows cited", legend_title_text="Table")
    totals = frame.groupby("source")["rows"].sum().sort_values(ascending=False)
    summary = "Rows cited per source: " + ", ".join(f"{k}: {v}" for k, v in totals.items()) + "."
    return fig, text_alternative(summary, frame, {"source": "Source", "table": "Table", "rows": "Rows"})


def progress_figure(summary: pd.DataFrame) -> tuple[go.Figure, str]:
    """Per-topic progress: questions answered correctly out of the bank's size."""
    import plotly.express as px  # here, not at the top: only the progress dashboard draws this chart

    fig = px.bar(summary, x="percent", y="topic", orientation="h", text="label",
                 color_discrete_sequence=PALETTE, range_x=[0, 100], title="Your quiz progress by topic")
    fig.update_traces(hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>")
    fig.update_layout(**LAYOUT, height=320, xaxis_title="% of questions answered correctly", yaxis_title="")
    text = "; ".join(f"{r.topic}: {r.label}" for r in summary.itertuples()) + "."
    return fig, text_alternative("Progress per topic: " + text, summary,
                                 {"topic": "Topic", "correct": "Correct", "total": "Questions", "attempts": "Attempts"})
