"""Plotly figures built from the data, each with its text alternative."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from .data import load_table, split_list
from .style import PALETTE, text_alternative

TOPICS = ["history", "pillars", "defence", "congress14"]
SYMBOLS = ["circle", "diamond", "square", "x", "triangle-up"]
# A light layout instead of a full plotly template: templates cost tens of ms per figure.
LAYOUT = dict(template="none", font=dict(size=13), margin=dict(l=10, r=10, t=50, b=10),
              paper_bgcolor="white", plot_bgcolor="white", xaxis=dict(automargin=True), yaxis=dict(automargin=True))
GRID = dict(gridcolor="#e5e5e5", zeroline=False, automargin=True)


def timeline_figure(events: pd.DataFrame) -> tuple[go.Figure, str]:
    """Events as points on a time axis, one lane per period, one colour and symbol per (first) topic."""
    frame = events.assign(topic=events["topics"].map(lambda t: (split_list(t) or ["other"])[0]),
                          when=events["date"].dt.year.astype("Int64").astype(str))
    periods = [p for p in events["period"].cat.categories if (frame["period"] == p).any()]
    traces = [go.Scatter(x=rows["date"], y=rows["period"].astype(str), mode="markers", name=topic,
                         hovertext=rows["title"] + " (" + rows["when"] + ", " + rows["source"].astype(str) + ")",
                         hoverinfo="text", marker=dict(size=11, color=PALETTE[i], symbol=SYMBOLS[i],
                                                       line=dict(width=1, color="#333")))
              for i, topic in enumerate(TOPICS) if len(rows := frame[frame["topic"] == topic])]
    fig = go.Figure(traces, layout=dict(LAYOUT, height=420, title=f"Timeline: {len(frame)} events",
                                        legend_title_text="Topic",
                                        yaxis=dict(categoryorder="array", categoryarray=periods[::-1], **GRID),
                                        xaxis=dict(GRID)))
    years = frame["date"].dt.year
    summary = (f"{len(frame)} events from {years.min()} to {years.max()}, placed by date in period lanes."
               if len(frame) else "No events match the filters.")
    return fig, text_alternative(summary, frame, {"when": "Year", "title": "Event", "period": "Period", "source": "Source"})


def figures_chart(rows: pd.DataFrame) -> tuple[go.Figure, str]:
    """Bars for one metric: each statement of it, labelled with as-of year, qualifier and source."""
    label, unit = metric_label(rows), rows["unit"].iloc[0]
    several = rows["label"].nunique() > 1
    frame = rows.sort_values("as_of_year").assign(
        bar=lambda f: (f["label"] + " · " if several else "") + f["as_of_year"].astype(str) + " · "
        + f["source"].astype(str),
        shown=lambda f: f["qualifier"].astype(str).str.replace("exact", "", regex=False).str.strip() + " "
        + f["value"].map(lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"))
    order = source_order()
    colours = [PALETTE[order.index(s) % len(PALETTE)] for s in frame["source"]]
    fig = go.Figure(go.Bar(x=frame["bar"], y=frame["value"], text=frame["shown"].str.strip(), textposition="outside",
                           cliponaxis=False, marker_color=colours, hovertext=frame["locator"], name=label),
                    layout=dict(LAYOUT, height=360, title=f"{label} ({unit})", showlegend=False,
                                xaxis=dict(title="as-of year · source"), yaxis=dict(title=unit, **GRID)))
    parts = [f"{r.shown.strip()} {unit} as of {r.as_of_year} ({r.source})" for r in frame.itertuples()]
    summary = f"{label}: " + "; ".join(parts) + "."
    return fig, text_alternative(summary, frame, {"as_of_year": "As of", "qualifier": "Qualifier", "value": "Value",
                                                  "unit": "Unit", "source": "Source", "locator": "Where"})


def source_order() -> list[str]:
    """Source ids in the order of sources.csv, so each source keeps its colour in every chart."""
    return list(load_table("sources")["id"])


def metric_label(rows: pd.DataFrame) -> str:
    """The label of a metric: its rows' label, or its name when the rows label different things."""
    if rows["label"].nunique() == 1:
        return rows["label"].iloc[0]
    return rows["metric"].iloc[0].replace("_", " ").capitalize()


def pillars_sunburst(facets: pd.DataFrame, pillars: pd.DataFrame) -> tuple[go.Figure, str]:
    """The three pillars, their facets and items, as a sunburst."""
    names = pillars.set_index("id")["name"]
    frame = facets.assign(pillar_name=facets["pillar"].astype(str).map(names),
                          facet_name=facets["facet"].astype(str) + "s",
                          short=facets["item"].str.slice(0, 40), one=1)
    fig = px.sunburst(frame, path=["pillar_name", "facet_name", "short"], values="one",
                      color="pillar_name", color_discrete_sequence=PALETTE,
                      title="The three pillars of diplomacy (click a ring to open it)")
    fig.update_traces(maxdepth=2, insidetextorientation="horizontal")
    fig.update_layout(**LAYOUT, height=520)
    counts = frame.groupby("pillar_name", observed=True).size()
    summary = "Items per pillar: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + "."
    return fig, text_alternative(summary, frame, {"pillar_name": "Pillar", "facet": "Facet", "item": "Item"})


def country_map_figure(countries: pd.DataFrame) -> tuple[go.Figure, str]:
    """A world map of the countries named, one colour per role. A country with several roles takes the first
    in the schema's order of roles; hover and the text alternative list them all.
    """
    order = list(countries["role"].cat.categories)
    plain = countries.astype({"role": str, "period": str, "name": str})
    frame = plain.groupby("iso3", as_index=False).agg(
        name=("name", "first"), role=("role", lambda r: min(r, key=order.index)),
        roles=("role", lambda r: "; ".join(sorted({str(x) for x in r}))),
        periods=("period", lambda p: "; ".join(sorted({str(x) for x in p}))))
    traces = [go.Choropleth(locations=rows["iso3"], z=[1] * len(rows), name=role, showlegend=True, showscale=False,
                            colorscale=[[0, PALETTE[i % len(PALETTE)]], [1, PALETTE[i % len(PALETTE)]]],
                            hovertext=rows["name"] + ": " + rows["roles"] + " (" + rows["periods"] + ")",
                            hoverinfo="text", marker_line_color="#444", marker_line_width=0.5)
              for i, role in enumerate(order) if len(rows := frame[frame["role"] == role])]
    fig = go.Figure(traces, layout=dict(LAYOUT, height=460, title=f"Countries named in the sources ({len(frame)})",
                                        legend_title_text="Role"))
    fig.update_geos(showframe=False, showcountries=True, countrycolor="#888", projection_type="natural earth",
                    resolution=110, showcoastlines=True)
    summary = (f"{len(frame)} countries: " + "; ".join(f"{r.name} ({r.roles})" for r in frame.itertuples()) + "."
               if len(frame) else "No countries match the filters.")
    return fig, text_alternative(summary, frame, {"name": "Country", "iso3": "ISO3", "roles": "Roles",
                                                  "periods": "Periods"})


def source_coverage_figure() -> tuple[go.Figure, str]:
    """How many rows each source contributes to each table."""
    counts = []
    for name in ("events", "congresses", "congress_statements", "documents", "figures", "pillar_facets",
                 "coordination", "instruments", "policies", "mechanisms", "people", "glossary", "discrepancies"):
        table = load_table(name)
        for source, n in table["source"].value_counts().items():
            counts.append({"table": name, "source": source, "rows": int(n)})
    frame = pd.DataFrame(counts)
    fig = px.bar(frame, x="rows", y="source", color="table", orientation="h", category_orders={"source": source_order()},
                 color_discrete_sequence=PALETTE * 2, title="What each source contributes to the knowledge base")
    fig.update_layout(**LAYOUT, height=420, yaxis_title="", xaxis_title="rows cited")
    totals = frame.groupby("source")["rows"].sum().sort_values(ascending=False)
    summary = "Rows cited per source: " + ", ".join(f"{k}: {v}" for k, v in totals.items()) + "."
    return fig, text_alternative(summary, frame, {"source": "Source", "table": "Table", "rows": "Rows"})


def progress_figure(summary: pd.DataFrame) -> tuple[go.Figure, str]:
    """Per-topic progress: questions answered correctly out of the bank's size."""
    fig = px.bar(summary, x="percent", y="topic", orientation="h", text="label",
                 color_discrete_sequence=PALETTE, range_x=[0, 100], title="Your quiz progress by topic")
    fig.update_layout(**LAYOUT, height=320, xaxis_title="% of questions answered correctly", yaxis_title="")
    text = "; ".join(f"{r.topic}: {r.label}" for r in summary.itertuples()) + "."
    return fig, text_alternative("Progress per topic: " + text, summary,
                                 {"topic": "Topic", "correct": "Correct", "total": "Questions", "attempts": "Attempts"})
