"""Vietnam's foreign policy and defence diplomacy: the course package.

Notebooks call the functions below in a line or two; each returns a widget,
which Jupyter shows when the call is the last line of a cell. Data loading and
validation are in ``data``, quizzes in ``quiz`` and ``quizbank``, progress in
``progress``, figures in ``charts``.
"""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from . import charts, course, views
from .course import ProgressDashboard
from .data import DataError, chronological, load_all, load_table, mark_validated, table_names
from .quiz import quiz as _build_quiz

__all__ = ["setup", "readings", "source_reader", "sources_overview", "course_map", "progress_dashboard", "timeline_explorer",
           "timeline_chart", "congress_stepper", "documents_table", "pillars_explorer", "coordination_cards",
           "figures_dashboard", "country_map", "instruments_comparison", "nos_cards", "mechanisms_table",
           "people_table", "glossary_lookup", "discrepancy_explorer", "source_coverage", "quiz",
           "load_table", "load_all", "chronological", "DataError"]


def setup() -> None:
    """Validate every data table, showing a progress bar; call once at the top of a notebook."""
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


def _html_view(markup: str, css_class: str) -> widgets.HTML:
    return views.html_box(markup, css_class)


def readings(*source_ids: str) -> widgets.HTML:
    """The readings of a notebook, cited from sources.csv."""
    return _html_view(course.readings_html(*source_ids), "vd-readings")


def source_reader(source_id: str):
    """A source paragraph by paragraph: first words, what each says, and where the course uses it."""
    from .reader import SourceReader

    return SourceReader(source_id)


def sources_overview() -> widgets.HTML:
    """The five sources side by side, with each one's perspective."""
    return _html_view(course.sources_table_html(), "vd-sources")


def course_map() -> widgets.HTML:
    """The notebooks of the course, read from the notebooks themselves."""
    return _html_view(course.course_map_html(), "vd-course")


def progress_dashboard() -> ProgressDashboard:
    """Quiz progress per topic, with export and import."""
    return ProgressDashboard()


def timeline_explorer(topic=None, period=None) -> views.TimelineExplorer:
    """Events filtered by period, topic or actor, with summary and citation."""
    return views.TimelineExplorer(topic=topic, period=period)


def timeline_chart(topic=None) -> views.ChartPanel:
    """A plotly timeline of events (optionally one topic), with its text alternative."""
    events = load_table("events")
    if topic:
        events = views.has_item(events, "topics", topic)
    panel = views.ChartPanel()
    panel.show(*charts.timeline_figure(events.sort_values("date")))
    return panel


def congress_stepper(start=6) -> views.CongressStepper:
    """Congresses 6th to 14th, one at a time."""
    return views.CongressStepper(start=start)


def documents_table(kind=None) -> views.TableExplorer:
    """Resolutions, white papers and strategies."""
    return views.TableExplorer("documents", {"date": "Date", "number": "Number", "kind": "Kind",
                                                  "issuer": "Issuer", "title": "Title", "significance": "Why it matters",
                                                  "cites": "Source"},
                                    "kind", kind, "vd-documents")


def pillars_explorer() -> views.PillarsExplorer:
    """Party, State and people-to-people diplomacy, with a sunburst."""
    return views.PillarsExplorer()


def coordination_cards() -> widgets.HTML:
    """The coordination principles and measures, as cards."""
    frame = load_table("coordination").sort_values(["kind", "order"])
    return _html_view(views.cards(frame, title=lambda r: f"{r['kind'].capitalize()} {r['order']}: {r['title']}",
                                  body=lambda r: r["summary"]), "vd-coordination")


def figures_dashboard(group=None) -> views.FiguresDashboard:
    """The statistics, compared like with like, with as-of years."""
    return views.FiguresDashboard(group=group)


def country_map(period=None) -> views.CountryMap:
    """A map of the countries named, by role and period; draws with no network."""
    return views.CountryMap(period=period)


def instruments_comparison() -> views.InstrumentsComparison:
    """National defence, security and foreign affairs side by side."""
    return views.InstrumentsComparison()


def nos_cards() -> views.NosCards:
    """The 'Nos', with the year each was introduced."""
    return views.NosCards()


def mechanisms_table() -> views.TableExplorer:
    """ADMM, ADMM-Plus and the other forums."""
    return views.TableExplorer("mechanisms", {"name": "Mechanism", "kind": "Kind", "host": "Host",
                                                   "description": "What it is", "cites": "Source"},
                                    "kind", None, "vd-mechanisms")


def people_table() -> views.TableExplorer:
    """Everyone the sources name or quote."""
    return views.TableExplorer("people", {"name": "Name", "role": "Role", "note": "Part in the story",
                                               "cites": "Source"}, "source", None, "vd-people")


def glossary_lookup(query="") -> views.GlossaryLookup:
    """Search the glossary; shows the Vietnamese terms."""
    return views.GlossaryLookup(query=query)


def discrepancy_explorer() -> views.DiscrepancyExplorer:
    """Where the sources disagree or are unclear."""
    return views.DiscrepancyExplorer()


def source_coverage() -> views.ChartPanel:
    """How much each source contributes to the knowledge base."""
    panel = views.ChartPanel()
    panel.show(*charts.source_coverage_figure())
    return panel


def quiz(topic: str, seed: int = 0):
    """The topic's quiz, with immediate feedback, a score and saved progress."""
    return _build_quiz(topic, seed=seed)

