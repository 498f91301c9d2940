"""Benchmarks, all measured in one run so the ratios hold on a noisy machine.

1. Time to execute every notebook (all but the otter masters), against a baseline of as many kernels
   that only import the stack.
2. Median kernel-side latency of each widget callback, in ms, against a trivial ipywidgets callback.
3. Time from a quiz answer to its feedback, kernel-side.
4. Size of every committed notebook.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ipywidgets as widgets
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("VNDIPLOMACY_PROGRESS", str(Path(tempfile.mkdtemp()) / "bench.sqlite"))

from vndiplomacy import views  # noqa: E402
from vndiplomacy.notebooks import course_notebooks  # noqa: E402
from vndiplomacy.quiz import quiz as build_quiz  # noqa: E402

REPEAT = 15


def run_notebook(nb, folder: Path) -> float:
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   extra_arguments=["--IPKernelApp.log_level=ERROR"]).execute()
    return time.perf_counter() - start


# Each group of notebooks against as many bare kernels that run only the group's baseline code.
GROUPS = {
    "learner notebooks and the explorer app": (("notebooks", "apps"), "import pandas, plotly.express, ipywidgets"),
    "exercise and solution notebooks": (("exercises", "solutions"), "import pandas, plotly.express, ipywidgets, otter"),
    "the teacher's class dashboard": (("teacher",), "import pandas, plotly.express, ipywidgets"),
}
TARGET = 1.3


def notebook_times() -> None:
    print("\n## Notebook execution through nbclient, against bare kernels of the same run")
    for group, (folders, code) in GROUPS.items():
        paths = course_notebooks(folders)
        baseline_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        baseline = sum(run_notebook(baseline_nb, ROOT) for _ in paths)
        total = 0.0
        print(f"\n### {group} ({len(paths)} notebooks)")
        print(f"baseline: {len(paths)} kernels that run exactly `{code}`: {baseline:.1f} s")
        for path in paths:
            seconds = run_notebook(nbformat.read(path, as_version=4), path.parent)
            total += seconds
            print(f"  {path.relative_to(ROOT)}: {seconds:.1f} s")
        print(f"all: {total:.1f} s = {total / baseline:.2f}x baseline [target {TARGET}x]")


def median_ms(action, repeat=REPEAT) -> float:
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        action(i)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def toggle(control, values):
    return lambda i: setattr(control, "value", values[i % len(values)])


def next_option(control):
    values = [o[1] if isinstance(o, tuple) else o for o in control.options]
    return values[(values.index(control.value) + 1) % len(values)]


def widget_latency() -> None:
    label, slider = widgets.Label(), widgets.IntSlider()
    slider.observe(lambda change: setattr(label, "value", f"n={change['new']}"), names="value")
    baseline = median_ms(lambda i: setattr(slider, "value", i % 10 + 1 if slider.value != i % 10 + 1 else 0))
    timeline = views.TimelineExplorer()
    stepper = views.CongressStepper()
    pillars = views.PillarsExplorer()
    figures = views.FiguresDashboard()
    busiest = figures.figures.groupby("group", observed=True)["metric"].nunique().idxmax()
    country_map = views.CountryMap()
    instruments = views.InstrumentsComparison()
    nos = views.NosCards()
    glossary = views.GlossaryLookup()
    discrepancies = views.DiscrepancyExplorer()
    documents = views.TableExplorer("documents", {"title": "Title"}, "kind")
    cases = {
        "timeline: period filter": toggle(timeline.period, ["1945-1954", "2016-2026", views.ALL]),
        "timeline: choose an event": toggle(timeline.choice, [o[1] for o in timeline.choice.options[:5]]),
        "congress stepper: next/previous": lambda i: (stepper.next if i % 2 == 0 else stepper.previous).click(),
        "pillars: choose a pillar": toggle(pillars.pillar, ["party", "state", "people"]),
        "figures: change group": toggle(figures.group, [o[1] for o in figures.group.options[1:4]]),
        "figures: change metric": lambda i: (setattr(figures.group, "value", busiest) if i == 0 else None,
                                             setattr(figures.metric, "value", next_option(figures.metric))),
        "map: period filter": toggle(country_map.period, ["1954-1975", "2016-2026", views.ALL]),
        "instruments: aspect": toggle(instruments.aspect, ["focus", "methods", "ministry_name"]),
        "nos: year slider": toggle(nos.year, [1995, 2020, 2026]),
        "glossary: search": toggle(glossary.query, ["pillar", "doi moi", "early", ""]),
        "discrepancies: kind filter": toggle(discrepancies.kind, ["count", "date", views.ALL]),
        "documents: kind filter": toggle(documents.choice, ["white paper", "resolution", views.ALL]),
    }
    print("\n## Widget callbacks, kernel-side median latency")
    print(f"baseline (a slider updating a label): {baseline:.3f} ms")
    for name, action in cases.items():
        ms = median_ms(action)
        flag = "" if ms < 10 else "  <-- over the 10 ms target"
        print(f"  {name}: {ms:.1f} ms ({ms / baseline:.0f} x baseline){flag}")


def quiz_feedback() -> None:
    topic_quiz = build_quiz("01_history")
    single = next(v for v in topic_quiz.views if v.question.type == "single")
    numeric = next(v for v in topic_quiz.views if v.question.type == "numeric")
    options = list(single.control.options)

    def answer(i):
        single.control.value = options[i % len(options)]
        single.submit()

    feedback = median_ms(answer)
    typo = median_ms(lambda i: (setattr(numeric.control, "value", "not a number"), numeric.submit()))
    print("\n## Quiz, kernel-side")
    print(f"answer to feedback (marking, saving the attempt, score): {feedback:.1f} ms")
    print(f"  of which saving the attempt in SQLite: {topic_quiz.last_feedback_ms:.1f} ms (last answer)")
    print(f"wrong answer type to hint: {typo:.2f} ms")


def notebook_sizes() -> None:
    listed = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    print("\n## Committed notebook sizes")
    total = 0
    for name in listed:
        size = (ROOT / name).stat().st_size
        total += size
        print(f"  {name}: {size / 1024:.1f} KiB")
    print(f"total: {total / 1024:.1f} KiB in {len(listed)} notebooks")


if __name__ == "__main__":
    widget_latency()
    quiz_feedback()
    notebook_sizes()
    notebook_times()
