"""Interactive explorers built with ipywidgets. Each is a widget box whose
controls are attributes, so notebooks display it and tests drive it.
"""
from __future__ import annotations

import json
import uuid

import ipywidgets as widgets
import pandas as pd
import plotly.io as pio

from . import charts
from .data import chronological, load_table, split_list
from .manifest import topic_ids
from .maps import is_map, outline_script, plotly_config
from .style import CSS, citation, cite_html, esc, fold, quote_html, source_name, table_html, unquoted

ALL = "All"
# How a Congress's year is known, in words.
YEAR_BASIS = {"source text": "year given in the text", "source footnote": "year from a footnote",
              "general knowledge": "year added from general knowledge", "context": "year from news reports"}
PLOTLY_MIME = "application/vnd.plotly.v1+json"


class ChartPanel(widgets.VBox):
    """A plotly figure and its text alternative; ``figure`` keeps the last figure shown.

    The first figure goes into an Output widget as plotly's own MIME bundle, with the course's config (offline map
    outlines), so it renders in JupyterLab and Voila alike. Each later figure is drawn into the same plot in place
    (plotly.js's ``react``) by a script in a hidden Output, rather than by a new plot, which would cost a full draw
    and a PNG snapshot each time. The figure Output's state in the kernel follows every figure all the same, so a
    reloaded page and the website show the current one.
    """

    def __init__(self):
        self.output = widgets.Output()
        self.redraw = widgets.Output(layout={"display": "none"})
        self.alt = widgets.HTML()
        self.figure = None
        self.key = uuid.uuid4().hex[:12]
        super().__init__([self.output, self.alt, self.redraw])
        self.add_class("vd-chart")
        self.add_class(f"vd-chart-{self.key}")

    def show(self, figure, alt_html: str) -> None:
        """Show a figure and its text alternative."""
        first = self.figure is None
        self.figure = figure
        self.alt.value = alt_html
        spec = json.loads(pio.to_json(figure, validate=False))
        spec["config"] = plotly_config()
        title = figure.layout.title.text or "chart"
        outlines = ({"output_type": "display_data", "metadata": {},
                     "data": {"application/javascript": outline_script(), "text/plain": ""}},) if is_map(spec) else ()
        outputs = (*outlines, {"output_type": "display_data", "metadata": {},
                               "data": {PLOTLY_MIME: spec, "text/plain": f"[plotly figure: {title}]"}})
        if first:
            self.output.outputs = outputs
            return
        # The browser's copy is redrawn by the script; the kernel's copy is updated without being sent again.
        with self.output._lock_property(outputs=json.loads(json.dumps(outputs))):
            self.output.outputs = outputs
        script = (outline_script() + "\n" if outlines else "") + REDRAW.replace("KEY", self.key).replace(
            "SPEC", json.dumps(spec))
        self.redraw.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"application/javascript": script, "text/plain": ""}},)


# Draws a figure into every plot of one ChartPanel in place, once plotly.js and the plot are there (a panel shown
# again after a page reload draws its first plot a moment after this script runs).
REDRAW = """(function () {
  const spec = SPEC;
  const draw = () => {
    const plots = document.querySelectorAll(".vd-chart-KEY .js-plotly-plot");
    if (!window.Plotly || !plots.length) return false;
    plots.forEach((plot) => window.Plotly.react(plot, spec.data, spec.layout, spec.config));
    return true;
  };
  if (!draw()) {
    let tries = 0;
    const wait = setInterval(() => { if (draw() || ++tries > 100) clearInterval(wait); }, 100);
  }
})();"""


def html_box(value: str = "", css_class: str = "") -> widgets.HTML:
    """An HTML widget with the course styles and a CSS class the browser tests can find."""
    box = widgets.HTML(CSS + value if value else "")
    if css_class:
        box.add_class(css_class)
    return box


def chosen(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """Rows whose column equals a dropdown's value; every row when the value is 'All'."""
    return frame if value == ALL else frame[frame[column] == value]


def has_item(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """Rows whose ';'-separated list column holds a dropdown's value; every row when the value is 'All'."""
    return frame if value == ALL else frame[frame[column].map(lambda cell: value in split_list(cell))]


def _dropdown(label: str, options, value=ALL, css_class="") -> widgets.Dropdown:
    """A filter dropdown that always offers 'All', even when it opens on a preset value."""
    pairs = [o if isinstance(o, tuple) else (str(o), o) for o in options]
    if value != ALL and value not in [v for _, v in pairs]:
        raise ValueError(f"{label.lower()} {value!r} is not one of the choices: "
                         f"{', '.join(repr(v) for _, v in pairs)}, or {ALL!r} for every row")
    drop = widgets.Dropdown(options=[(ALL, ALL), *pairs], value=value, description=label,
                            style={"description_width": "initial"})
    if css_class:
        drop.add_class(css_class)
    return drop


class TimelineExplorer(widgets.VBox):
    """Filter events by period, topic or actor; pick one to read its summary and citation."""

    def __init__(self, topic=None, period=None):
        self.events = chronological(load_table("events"))
        self.by_id = self.events.set_index("id")
        self.period = _dropdown("Period", self.events["period"].cat.categories, period or ALL, "vd-timeline-period")
        tagged = {t for v in self.events["topics"] for t in split_list(v)}
        self.topic = _dropdown("Topic", [(charts.topic_label(t), t) for t in topic_ids() if t in tagged],
                               topic or ALL, "vd-timeline-topic")
        self.actor = widgets.Text(placeholder="e.g. Ho Chi Minh, China, ASEAN", description="Actor or country",
                                  style={"description_width": "initial"}, continuous_update=False,
                                  layout={"width": "26em"})
        self.actor.add_class("vd-timeline-actor")
        self.choice = widgets.Select(rows=8, description="Events", layout=widgets.Layout(width="95%"))
        self.choice.add_class("vd-timeline-events")
        self.count = widgets.HTML()
        self.count.add_class("vd-timeline-count")
        self.detail = html_box(css_class="vd-timeline-detail")
        self.chart = ChartPanel()
        for control in (self.period, self.topic, self.actor):
            control.observe(self._filter, names="value")
        self.choice.observe(self._describe, names="value")
        super().__init__([widgets.HBox([self.period, self.topic, self.actor], layout={"flex_flow": "row wrap"}),
                          self.count, self.choice,
                          self.detail, self.chart])
        self.add_class("vd-timeline")
        self._filter()

    def filtered(self) -> pd.DataFrame:
        """The events that match the current filters."""
        frame = has_item(chosen(self.events, "period", self.period.value), "topics", self.topic.value)
        needle = fold(self.actor.value)
        if needle:
            haystack = (frame["actors"].fillna("") + ";" + frame["countries"].fillna("") + ";" + frame["title"])
            frame = frame[haystack.map(fold).str.contains(needle, regex=False)]
        return frame

    def _filter(self, _change=None):
        frame = self.filtered()
        self.count.value = f"<b>{len(frame)}</b> of {len(self.events)} events match."
        self.choice.options = list(zip(frame["when"] + " · " + frame["title"], frame["id"], strict=True))
        self.choice.value = frame["id"].iloc[0] if len(frame) else None
        self.chart.show(*charts.timeline_figure(frame))
        self._describe()

    def _describe(self, _change=None):
        if self.choice.value is None:
            self.detail.value = CSS + '<div class="vd-card">No event matches these filters.</div>'
            return
        row = self.by_id.loc[self.choice.value]
        self.detail.value = CSS + (
            f'<div class="vd-card"><h4>{esc(row["title"])}</h4>'
            f'<span class="vd-badge">{esc(row["when"])}</span><span class="vd-badge">{esc(row["period"])}</span>'
            f'<p>{esc(row["summary"])}</p>{quote_html(row["quote"])}'
            f'{cite_html(row["cites"], row["general_knowledge"])}</div>')


class CongressStepper(widgets.VBox):
    """Step through the Congresses: formulation, change, new key terms highlighted, defence diplomacy."""

    def __init__(self, start=6):
        self.congresses = load_table("congresses").set_index("number")
        self.statements = load_table("congress_statements")
        numbers = list(self.congresses.index)
        self.number = widgets.SelectionSlider(options=[(f"{n}th", n) for n in numbers], value=start,
                                              description="Congress", continuous_update=False,
                                              style={"description_width": "initial"})
        self.number.add_class("vd-congress-slider")
        self.previous = widgets.Button(description="◀ Previous", tooltip="Previous Congress")
        self.next = widgets.Button(description="Next ▶", tooltip="Next Congress")
        self.previous.add_class("vd-congress-previous")
        self.next.add_class("vd-congress-next")
        self.previous.on_click(lambda _b: self._step(-1))
        self.next.on_click(lambda _b: self._step(1))
        self.strip = widgets.HTML()
        self.card = html_box(css_class="vd-congress-card")
        self.number.observe(self._render, names="value")
        super().__init__([widgets.HBox([self.previous, self.number, self.next]), self.strip, self.card])
        self.add_class("vd-congress")
        self._render()

    def _step(self, delta):
        numbers = list(self.congresses.index)
        position = numbers.index(self.number.value) + delta
        self.number.value = numbers[max(0, min(len(numbers) - 1, position))]

    def _render(self, _change=None):
        n = self.number.value
        row = self.congresses.loc[n]
        first = self.congresses[self.congresses["defence_diplomacy"] == "first explicit"].index
        self.strip.value = CSS + "Defence diplomacy in the Congress documents: " + " ".join(
            f'<span class="vd-badge" title="{esc(r["defence_diplomacy"])}">'
            f'{"<b>" if k == n else ""}{k}th: {esc(r["defence_diplomacy"])}{"</b>" if k == n else ""}</span>'
            for k, r in self.congresses.iterrows())
        statements = self.statements[self.statements["congress"] == n]
        quotes = "".join(f'<li><span class="vd-badge">{esc(s.theme)}</span>'
                         f'“{highlight(unquoted(s.quote), row["new_terms"])}”'
                         f' <span class="vd-cite">({esc(citation(s.cites))})</span></li>'
                         for s in statements.itertuples() if esc(s.quote))
        terms = " ".join(f'<mark class="vd-new">{esc(t)}</mark>' for t in split_list(row["new_terms"]))
        first_note = (f" The {first[0]}th is marked as the first explicit mention, on the word of "
                      f"{source_name(self.congresses.loc[first[0], 'source'])}; the discrepancy explorer shows where "
                      "other sources differ." if len(first) else "")
        self.card.value = CSS + (
            f'<div class="vd-card"><h4>{n}th Congress ({row["year"]})</h4>'
            f'<span class="vd-badge">{esc(YEAR_BASIS[str(row["year_basis"])])}</span> '
            f'<span class="vd-cite">{esc(row["year_note"])}</span>'
            f'<p><b>Line:</b> {esc(row["formulation"])}</p>'
            f'<p><b>What changed:</b> {highlight(row["change"], row["new_terms"])}</p>'
            f'<p><b>New key terms:</b> {terms or "none listed"}</p>'
            f'<p><b>Defence diplomacy:</b> {esc(row["defence_diplomacy"])}. {esc(row["defence_note"])}{esc(first_note)}</p>'
            f'{quote_html(row["quote"])}'
            + (f"<p><b>As the sources quote it:</b></p><ul>{quotes}</ul>" if quotes else "")
            + f'{cite_html(row["cites"], row["general_knowledge"])}</div>')


def highlight(text, terms) -> str:
    """Escape text and wrap each of the ';'-separated terms in <mark> (case-insensitive), in one pass over the
    original text, so that a term can never match inside the markup of another.
    """
    import re

    found = sorted(split_list(terms), key=len, reverse=True)
    if not found:
        return esc(text)
    pattern = re.compile("|".join(re.escape(term) for term in found), flags=re.I)
    out, last = [], 0
    for match in pattern.finditer(str(text)):
        out += [esc(str(text)[last:match.start()]), f'<mark class="vd-new">{esc(match.group(0))}</mark>']
        last = match.end()
    return "".join([*out, esc(str(text)[last:])])


class PillarsExplorer(widgets.VBox):
    """The three pillars: pick a pillar and a facet to list its items; a sunburst shows the whole."""

    def __init__(self):
        self.pillars = load_table("pillars").set_index("id")
        self.facets = load_table("pillar_facets")
        self.pillar = widgets.ToggleButtons(options=[(r["name"], k) for k, r in self.pillars.iterrows()],
                                            description="Pillar", style={"button_width": "auto"})
        self.pillar.add_class("vd-pillar-choice")
        self.facet = widgets.ToggleButtons(options=[("Actors", "actor"), ("Tasks", "task"), ("Tools", "tool"),
                                                    ("Audiences", "audience")], description="Facet",
                                           style={"button_width": "auto"})
        self.facet.add_class("vd-pillar-facet")
        self.items = html_box(css_class="vd-pillar-items")
        self.chart = ChartPanel()
        self.pillar.observe(self._render, names="value")
        self.facet.observe(self._render, names="value")
        super().__init__([self.pillar, self.facet, self.items, self.chart])
        self.add_class("vd-pillars")
        self._render()
        self.chart.show(*charts.pillars_sunburst(self.facets, self.pillars.reset_index()))

    def _render(self, _change=None):
        pillar = self.pillars.loc[self.pillar.value]
        rows = self.facets[(self.facets["pillar"] == self.pillar.value) & (self.facets["facet"] == self.facet.value)]
        items = "".join(f'<li>{esc(r.item)} <span class="vd-cite">({esc(citation(r.cites))})'
                        '</span></li>'
                        for r in rows.itertuples())
        self.items.value = CSS + (
            f'<div class="vd-card"><h4>{esc(pillar["name"])} — <i lang="vi">{esc(pillar["vietnamese"])}</i></h4>'
            f'<p>{esc(pillar["role"])}</p><p><b>{esc(self.facet.label)}:</b></p>'
            f'<ul>{items or "<li>The sources name none.</li>"}</ul>{quote_html(pillar["quote"])}'
            f'{cite_html(pillar["cites"], pillar["general_knowledge"])}</div>')


def cards(frame: pd.DataFrame, title, body, badge=None, hidden=None) -> str:
    """A grid of cards, one per row, each with its citation; `hidden` gives (button label, text) shown on request."""
    out = []
    for _, row in frame.iterrows():
        tag = f'<span class="vd-badge">{esc(badge(row))}</span>' if badge else ""
        more = ""
        if hidden:
            label, text = hidden(row)
            more = f'<details class="vd-reveal"><summary>{esc(label)}</summary><p>{esc(text)}</p></details>'
        out.append(f'<div class="vd-card"><h4>{tag}{esc(title(row))}</h4><p>{esc(body(row))}</p>{more}'
                   f'{quote_html(row.get("quote"))}'
                   f'{cite_html(row["cites"], row.get("general_knowledge"))}</div>')
    return CSS + f'<div class="vd-grid">{"".join(out)}</div>'


class FiguresDashboard(widgets.VBox):
    """Statistics compared like with like: one metric at a time, every statement of it with its as-of year."""

    def __init__(self, group=None):
        self.figures = load_table("figures")
        offered = [g for g in self.figures["group"].cat.categories if (self.figures["group"] == g).any()]
        self.group = _dropdown("Group", offered, group or offered[0], "vd-figures-group")
        self.metric = widgets.Dropdown(description="Metric", style={"description_width": "initial"},
                                       layout=widgets.Layout(width="60%"))
        self.metric.add_class("vd-figures-metric")
        self.table = html_box(css_class="vd-figures-table")
        self.chart = ChartPanel()
        self.group.observe(self._group_changed, names="value")
        self.metric.observe(self._render, names="value")
        super().__init__([widgets.HBox([self.group, self.metric]), self.chart, self.table])
        self.add_class("vd-figures")
        self._group_changed()

    def _group_changed(self, _change=None):
        rows = self.figures[self.figures["group"] == self.group.value]
        options = [(f"{charts.metric_label(group)} ({unit})", f"{metric}|{unit}")
                   for (metric, unit), group in rows.groupby(["metric", "unit"], sort=False)]
        self.metric.unobserve(self._render, names="value")
        self.metric.options = options
        self.metric.value = options[0][1] if options else None
        self.metric.observe(self._render, names="value")
        self.table.value = CSS + table_html(rows, {"label": "Metric", "qualifier": "Qualifier", "value": "Value",
                                                   "unit": "Unit", "as_of_year": "As of",
                                                   "cites": "Source"}, caption=f"All figures: {self.group.value}")
        self._render()

    def _render(self, _change=None):
        if not self.metric.value:
            return
        metric, unit = self.metric.value.split("|")
        rows = self.figures[(self.figures["metric"] == metric) & (self.figures["unit"] == unit)]
        self.chart.show(*charts.figures_chart(rows))


class CountryMap(widgets.VBox):
    """A world map of the countries the sources name, filtered by period and role; draws offline."""

    def __init__(self, period=None):
        self.countries = load_table("countries")
        self.period = _dropdown("Period", [p for p in self.countries["period"].cat.categories
                                           if (self.countries["period"] == p).any()], period or ALL, "vd-map-period")
        self.role = _dropdown("Role", [r for r in self.countries["role"].cat.categories
                                       if (self.countries["role"] == r).any()], ALL, "vd-map-role")
        self.chart = ChartPanel()
        self.chart.add_class("vd-map-chart")
        self.period.observe(self._render, names="value")
        self.role.observe(self._render, names="value")
        super().__init__([widgets.HBox([self.period, self.role]), self.chart])
        self.add_class("vd-map")
        self._render()

    def filtered(self) -> pd.DataFrame:
        """The countries that match the current filters."""
        return chosen(chosen(self.countries, "period", self.period.value), "role", self.role.value)

    def _render(self, _change=None):
        self.chart.show(*charts.country_map_figure(self.filtered()))


class InstrumentsComparison(widgets.VBox):
    """National defence, security and foreign affairs side by side, one aspect at a time."""

    ASPECTS = {"focus": "Focus", "methods": "Means and methods", "ministry_name": "Lead ministry",
               "core_since": "Core and regular task"}

    def __init__(self):
        self.instruments = load_table("instruments")
        self.aspect = widgets.ToggleButtons(options=[(v, k) for k, v in self.ASPECTS.items()], description="Compare",
                                            style={"button_width": "auto"})
        self.aspect.add_class("vd-instruments-aspect")
        self.grid = html_box(css_class="vd-instruments-grid")
        self.aspect.observe(self._render, names="value")
        super().__init__([self.aspect, self.grid])
        self.add_class("vd-instruments")
        self._render()

    def _render(self, _change=None):
        aspect = self.aspect.value
        self.grid.value = cards(self.instruments, title=lambda r: r["name"], body=lambda r: r[aspect],
                                badge=lambda r: r["ministry"])


class NosCards(widgets.VBox):
    """The 'Nos' as cards; the year slider shows which were in place by then, as the sources tell it."""

    def __init__(self):
        self.policies = load_table("policies").sort_values("order")
        years = self.policies["introduced_year"].dropna()
        self.year = widgets.IntSlider(value=2026, min=int(years.min()) - 1 if len(years) else 1990, max=2026,
                                      description="By the year", style={"description_width": "initial"},
                                      continuous_update=False)
        self.year.add_class("vd-nos-year")
        self.summary = widgets.HTML()
        self.summary.add_class("vd-nos-summary")
        self.grid = html_box(css_class="vd-nos-grid")
        self.year.observe(self._render, names="value")
        super().__init__([self.year, self.summary, self.grid])
        self.add_class("vd-nos")
        self._render()

    def _render(self, _change=None):
        shown = self.policies[self.policies["introduced_year"].fillna(0) <= self.year.value]
        self.summary.value = f"<b>{len(shown)}</b> of {len(self.policies)} commitments in place by {self.year.value}."
        self.grid.value = cards(shown, title=lambda r: r["text"], body=lambda r: r["introduced_note"],
                                badge=lambda r: f"since {r['introduced_year']}" if pd.notna(r["introduced_year"])
                                else "year unclear")


class TableExplorer(widgets.VBox):
    """A table of one data file, filtered by one of its columns."""

    def __init__(self, table: str, columns: dict[str, str], filter_column: str, value=None, css_class=""):
        self.frame = load_table(table)
        self.columns = columns
        values = self.frame[filter_column]
        options = list(values.cat.categories) if hasattr(values, "cat") else sorted(values.dropna().unique())
        if filter_column == "source":  # learners read the sources by name, not by their ids
            options = [(source_name(source), source) for source in options]
        self.filter_column = filter_column
        self.choice = _dropdown(columns.get(filter_column) or filter_column.replace("_", " ").capitalize(), options,
                                value or ALL, f"{css_class}-filter")
        self.table = html_box(css_class=f"{css_class}-table")
        self.choice.observe(self._render, names="value")
        super().__init__([self.choice, self.table])
        self.add_class(css_class)
        self._render()

    def _render(self, _change=None):
        frame = chosen(self.frame, self.filter_column, self.choice.value)
        self.table.value = CSS + table_html(frame, self.columns, caption=f"{len(frame)} rows")


class GlossaryLookup(widgets.VBox):
    """Search the glossary in English or Vietnamese; diacritics and case are ignored."""

    LIMIT = 12

    def __init__(self, query=""):
        self.glossary = load_table("glossary")
        self.query = widgets.Text(value=query, placeholder="Type a term, e.g. pillar or đối ngoại",
                                  description="Search", continuous_update=True)
        self.query.add_class("vd-glossary-query")
        self.results = html_box(css_class="vd-glossary-results")
        self.query.observe(self._render, names="value")
        super().__init__([self.query, self.results])
        self.add_class("vd-glossary")
        self._render()

    def matches(self) -> pd.DataFrame:
        """Glossary rows that match the query, exact term first."""
        needle = fold(self.query.value)
        if not needle:
            return self.glossary
        text = (self.glossary["term"] + " " + self.glossary["vietnamese"].fillna("") + " "
                + self.glossary["definition"]).map(fold)
        exact = self.glossary["term"].map(fold) == needle
        hits = self.glossary[text.str.contains(needle, regex=False)]
        return pd.concat([hits[exact[hits.index]], hits[~exact[hits.index]]])

    def _render(self, _change=None):
        hits = self.matches()
        shown = hits.head(self.LIMIT)
        more = (f" Showing the first {len(shown)}; type more of a term to narrow the list." if len(hits) > len(shown)
                else "")
        self.results.value = (f"<p><b>{len(hits)}</b> matching terms.{more}</p>" + cards(
            shown, title=lambda r: f"{r['term']} — {r['vietnamese']}" if esc(r["vietnamese"]) else r["term"],
            body=lambda r: r["definition"]))


class DiscrepancyExplorer(widgets.VBox):
    """Where the sources disagree or are unclear, filtered by kind or source."""

    def __init__(self):
        self.discrepancies = load_table("discrepancies")
        self.kind = _dropdown("Kind", list(self.discrepancies["kind"].cat.categories), ALL, "vd-discrepancy-kind")
        sources = set(self.discrepancies["source"]) | {s for v in self.discrepancies["other_sources"]
                                                       for s in split_list(v)}
        self.source = _dropdown("Source", sorted((source_name(s), s) for s in sources), ALL, "vd-discrepancy-source")
        self.grid = html_box(css_class="vd-discrepancy-grid")
        self.kind.observe(self._render, names="value")
        self.source.observe(self._render, names="value")
        super().__init__([widgets.HBox([self.kind, self.source]), self.grid])
        self.add_class("vd-discrepancies")
        self._render()

    def _render(self, _change=None):
        frame = chosen(self.discrepancies, "kind", self.kind.value)
        involved = frame.assign(involved=frame["source"].astype(str) + ";" + frame["other_sources"].fillna(""))
        frame = has_item(involved, "involved", self.source.value)
        self.grid.value = (f"<p><b>{len(frame)}</b> places to read with care. For each, decide how you would handle "
                           "it before you open the module's reading.</p>" + cards(
                               frame, title=lambda r: r["title"], body=lambda r: r["description"],
                               badge=lambda r: r["kind"],
                               hidden=lambda r: ("Show the module's reading", r["teaching_note"])))


# The table views: which table, its columns as learners read them, and the column its dropdown filters by.
TABLES = {
    "documents": ({"date": "Date", "number": "Number", "kind": "Kind", "issuer": "Issuer", "title": "Title",
                   "significance": "Why it matters", "cites": "Source"}, "kind", "vd-documents"),
    "mechanisms": ({"name": "Mechanism", "kind": "Kind", "host": "Host", "description": "What it is",
                    "cites": "Source"}, "kind", "vd-mechanisms"),
    "people": ({"name": "Name", "role": "Role", "note": "Part in the story", "cites": "Source"}, "source", "vd-people"),
}


def _table(name: str, value=None) -> TableExplorer:
    columns, filter_column, css_class = TABLES[name]
    return TableExplorer(name, columns, filter_column, value, css_class)


def documents_table(kind=None) -> TableExplorer:
    """Resolutions, white papers and strategies."""
    return _table("documents", kind)


def mechanisms_table() -> TableExplorer:
    """ADMM, ADMM-Plus and the other forums."""
    return _table("mechanisms")


def people_table() -> TableExplorer:
    """Everyone the sources name or quote."""
    return _table("people")


def coordination_cards() -> widgets.HTML:
    """The coordination principles and measures, as cards."""
    frame = load_table("coordination").sort_values(["kind", "order"])
    return html_box(cards(frame, title=lambda r: f"{r['kind'].capitalize()} {r['order']}: {r['title']}",
                          body=lambda r: r["summary"]), "vd-coordination")


def timeline_chart(topic=None) -> ChartPanel:
    """A plotly timeline of events (optionally one topic), with its text alternative."""
    events = load_table("events")
    if topic:
        events = has_item(events, "topics", topic)
    panel = ChartPanel()
    panel.show(*charts.timeline_figure(events.sort_values("date")))
    return panel


def source_coverage() -> ChartPanel:
    """How much each source contributes to the knowledge base."""
    panel = ChartPanel()
    panel.show(*charts.source_coverage_figure())
    return panel


def setup() -> None:
    """Validate every data table, showing a progress bar; call once at the top of a notebook."""
    from IPython.display import display

    from .data import mark_validated, table_names

    names = table_names()
    bar = widgets.IntProgress(value=0, min=0, max=len(names), description="Loading data",
                              style={"description_width": "initial"})
    label = widgets.HTML("Checking the knowledge base against its schema…")
    box = widgets.VBox([widgets.HBox([bar, label])])
    box.add_class("vd-setup")
    display(box)
    for name in names:
        label.value = f"Checking the {name.replace('_', ' ')} table…"
        load_table(name)
        bar.value += 1
    mark_validated()
    rows = sum(len(load_table(n)) for n in names)
    bar.bar_style = "success"
    label.value = f"Ready: {len(names)} tables, {rows} cited rows, all valid."
