"""Vietnam's foreign policy and defence diplomacy: the course package.

Notebooks call these in a line or two; each returns a widget, which Jupyter shows when the call is the last line of
a cell. This file only gathers them: the course-level views are in ``course``, the explorers and tables in
``views``, the source reader in ``reader``, progress in ``dashboard``, quizzes in ``quiz``, data in ``data``. The
module map in CONTRIBUTING.md says where everything else goes.
"""
from .course import course_map, readings, sources_overview
from .dashboard import ProgressDashboard as progress_dashboard
from .data import DataError, chronological, load_all, load_table
from .quiz import quiz
from .reader import SourceReader as source_reader
from .views import CongressStepper as congress_stepper
from .views import CountryMap as country_map
from .views import DiscrepancyExplorer as discrepancy_explorer
from .views import FiguresDashboard as figures_dashboard
from .views import GlossaryLookup as glossary_lookup
from .views import InstrumentsComparison as instruments_comparison
from .views import NosCards as nos_cards
from .views import PillarsExplorer as pillars_explorer
from .views import TimelineExplorer as timeline_explorer
from .views import (
    coordination_cards,
    documents_table,
    mechanisms_table,
    people_table,
    setup,
    source_coverage,
    timeline_chart,
)

__all__ = ["setup", "readings", "source_reader", "sources_overview", "course_map", "progress_dashboard", "timeline_explorer",
           "timeline_chart", "congress_stepper", "documents_table", "pillars_explorer", "coordination_cards",
           "figures_dashboard", "country_map", "instruments_comparison", "nos_cards", "mechanisms_table",
           "people_table", "glossary_lookup", "discrepancy_explorer", "source_coverage", "quiz",
           "load_table", "load_all", "chronological", "DataError"]
