"""Plotly figures built from the data, each with its text alternative."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from .data import load_table, split_list
from .style import PALETTE, text_alternative

TOPICS = ["history", "pillars", "defence", "congress14"]
SOURCES = ["cr-three-pillars", "dd-early-afar", "chien-military-diplomacy", "vov-core-regular", "diplomat-core-frequent"]
LAYOUT = dict(template="plotly_white", font=dict(size=13), margin=dict(l=10, r=10, t=50, b=10))


def timeline_figure(events: pd.DataFrame) -> tuple[go.Figure, str]:
    """Events as points on a time axis, one lane per period, coloured by first topic."""
    frame = events.assign(topic=events["topics"].map(lambda t: (split_list(t) or ["other"])[0]),
                          when=events["date"].dt.year.astype("Int64").astype(str))
    fig = px.scatter(frame, x="date", y="period", color="topic", symbol="topic", hover_name="title",
                     hover_data={"when": True, "source": True, "date": False, "period": False},
                     color_discrete_sequence=PALETTE,
                     category_orders={"period": [p for p in events["period"].cat.categories if (frame["period"] == p).any()],
                                      "topic": TOPICS},
                     title=f"Timeline: {len(frame)} events")
    fig.update_traces(marker=dict(size=11, line=dict(width=1, color="#333")))
    fig.update_layout(**LAYOUT, height=420, yaxis_title="", xaxis_title="")
    years = frame["date"].dt.year
    summary = (f"{len(frame)} events from {years.min()} to {years.max()}, placed by date in period lanes."
               if len(frame) else "No events match the filters.")
    return fig, text_alternative(summary, frame, {"when": "Year", "title": "Event", "period": "Period", "source": "Source"})


def figures_chart(rows: pd.DataFrame) -> tuple[go.Figure, str]:
    """Bars for one metric: each statement of it, labelled with as-of year, qualifier and source."""
    label = rows["label"].iloc[0]
    unit = rows["unit"].iloc[0]
    frame = rows.assign(bar=rows["as_of_year"].astype(str) + " · " + rows["source"].astype(str),
                        shown=rows["qualifier"].astype(str).str.replace("exact", "", regex=False) + " "
                        + rows["value"].map(lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"))
    frame = frame.sort_values("as_of_year")
    fig = px.bar(frame, x="bar", y="value", text="shown", color="source", color_discrete_sequence=PALETTE,
                 category_orders={"source": SOURCES}, title=f"{label} ({unit})")
    fig.update_layout(**LAYOUT, height=360, xaxis_title="as-of year · source", yaxis_title=unit, showlegend=False)
    fig.update_traces(textposition="outside", cliponaxis=False)
    parts = [f"{r.shown.strip()} {unit} as of {r.as_of_year} ({r.source})" for r in frame.itertuples()]
    summary = f"{label}: " + "; ".join(parts) + "."
    return fig, text_alternative(summary, frame, {"as_of_year": "As of", "qualifier": "Qualifier", "value": "Value",
                                                  "unit": "Unit", "source": "Source", "locator": "Where"})


def pillars_sunburst(facets: pd.DataFrame, pillars: pd.DataFrame) -> tuple[go.Figure, str]:
    """The three pillars, their facets and items, as a sunburst."""
    names = pillars.set_index("id")["name"]
    frame = facets.assign(pillar_name=facets["pillar"].astype(str).map(names),
                          facet_name=facets["facet"].astype(str) + "s",
                          short=facets["item"].str.slice(0, 40), one=1)
    fig = px.sunburst(frame, path=["pillar_name", "facet_name", "short"], values="one",
                      color="pillar_name", color_discrete_sequence=PALETTE, title="The three pillars of diplomacy")
    fig.update_layout(**LAYOUT, height=520)
    counts = frame.groupby("pillar_name", observed=True).size()
    summary = "Items per pillar: " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + "."
    return fig, text_alternative(summary, frame, {"pillar_name": "Pillar", "facet": "Facet", "item": "Item"})


def country_map_figure(countries: pd.DataFrame) -> tuple[go.Figure, str]:
    """A world map of the countries named, coloured by role (a country with several roles takes the first
    in the schema's order of roles; hover and the text alternative list them all)."""
    order = list(countries["role"].cat.categories)
    frame = countries.groupby("iso3", as_index=False, observed=True).agg(
        name=("name", "first"), role=("role", lambda r: min(map(str, r), key=order.index)),
        roles=("role", lambda r: "; ".join(sorted({str(x) for x in r}))),
        periods=("period", lambda p: "; ".join(sorted({str(x) for x in p}))))
    fig = px.choropleth(frame, locations="iso3", color="role", hover_name="name",
                        hover_data={"roles": True, "periods": True, "iso3": False, "role": False},
                        color_discrete_sequence=PALETTE, category_orders={"role": order},
                        title=f"Countries named in the sources ({len(frame)})")
    fig.update_geos(showframe=False, showcountries=True, countrycolor="#888", projection_type="natural earth",
                    resolution=110, showcoastlines=True)
    fig.update_layout(**LAYOUT, height=460, legend_title_text="Role")
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
    fig = px.bar(frame, x="rows", y="source", color="table", orientation="h", category_orders={"source": SOURCES},
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
