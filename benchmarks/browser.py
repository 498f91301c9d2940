"""Browser benchmarks: the course as learners see it, in headless Chromium, against baselines of the same run.

JupyterLab is started the way `make lab` starts it (the browser tests' harness). For each learner notebook:
page open to the first widget and to every output rendered (run-all starts as soon as the kernel is idle; every
notebook, baselines too, is opened with a kernel of its own, as on a learner's first open),
run-all to the last output, and click to visible update for one list and one chart. Baselines: a trivial notebook
(one IntSlider updating a Label), and per notebook a plain notebook with as many plotly figures (one of them a map)
and ipywidgets as the course notebook shows, built without the course package. The same for the Voila explorer
against a trivial Voila notebook. Figures go to benchmarks/results/browser.json (ignored by git).
"""
from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from servers import BASE_URL, CHROME_ARGS, CHROMIUM, jupyter_lab, voila  # noqa: E402

from vndiplomacy.manifest import learner_notebooks  # noqa: E402

SCRATCH = ROOT / "benchmarks" / "scratch"
RESULTS = ROOT / "benchmarks" / "results" / "browser.json"
NOTEBOOKS = [n.name for n in learner_notebooks()]
CLICKS = 7
# One list widget and one chart per notebook: (control, the view it updates, the values to alternate). A chart is
# watched through its whole view, since a redraw may replace the plot's own element.
LIST_CLICKS = {
    "00_start_here": (".vd-discrepancy-kind select", ".vd-discrepancy-grid", ["count", "All"]),
    "01_history": (".vd-timeline-period select", ".vd-timeline-count", ["1954-1975", "1945-1954"]),
    "02_three_pillars": (".vd-pillar-choice button", ".vd-pillar-items", None),
    "03_defence_diplomacy": (".vd-congress-next", ".vd-congress-card", None),
    "04_14th_congress": (".vd-instruments-aspect button", ".vd-instruments-grid", None),
    "05_synthesis": (".vd-discrepancy-kind select", ".vd-discrepancy-grid", ["count", "All"]),
}
CHART_CLICKS = {
    "01_history": (".vd-map select", ".vd-map", None),
    "02_three_pillars": (".vd-figures-metric select", ".vd-figures", None),
    "03_defence_diplomacy": (".vd-map select", ".vd-map", None),
    "04_14th_congress": (".vd-figures-metric select", ".vd-figures", None),
    "05_synthesis": (".vd-map select", ".vd-map", None),
}

TRIVIAL = ("import ipywidgets as widgets\n"
           "slider, label = widgets.IntSlider(), widgets.Label('0')\n"
           "slider.add_class('bench-slider'); label.add_class('bench-label')\n"
           "slider.observe(lambda change: setattr(label, 'value', str(change['new'])), names='value')\n"
           "widgets.VBox([slider, label])")

RENDERED = """() => { const body = document.body.innerText;
    if (/Loading widget|Error displaying widget|Model not found/.test(body)) return false;
    return [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg')); }"""

WATCH = """([target]) => { window.__bench = {start: null, last: null};
    const node = document.querySelector(target);
    const mark = () => { if (window.__bench.start === null) window.__bench.start = performance.now(); };
    for (const kind of ['pointerdown', 'keydown', 'change', 'input']) document.addEventListener(kind, mark, true);
    new MutationObserver(() => { if (window.__bench.start !== null) window.__bench.last = performance.now(); })
      .observe(node, {subtree: true, childList: true, characterData: true, attributes: true}); }"""

SETTLED = """() => window.__bench.last !== null && performance.now() - window.__bench.last > 250"""


def plain_notebook(figures: int, maps: int, widget_views: int) -> nbformat.NotebookNode:
    """A notebook with plain plotly figures (maps among them, drawn from the course's offline outlines) and
    ipywidgets, without the course package."""
    cells = ["import plotly.graph_objects as go\nimport ipywidgets as widgets"]
    topojson = f"{BASE_URL}files/data/maps/"
    for i in range(figures):
        if i < maps:
            cells.append(f"go.Figure(go.Choropleth(locations=['VNM', 'FRA', 'USA'], z=[1, 2, 3])).show("
                         f"config={{'topojsonURL': '{topojson}'}})")
        else:
            cells.append(f"go.Figure(go.Scatter(x=list(range(40)), y=[(x * {i + 3}) % 17 for x in range(40)], "
                         "mode='markers'))")
    for i in range(widget_views):
        cells.append(f"widgets.VBox([widgets.Dropdown(options=list('abcdef')), widgets.HTML('<p>view {i}</p>')])")
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])


def write(name: str, notebook) -> str:
    """Save a baseline notebook where the server can open it (with a kernel, so no kernel dialog opens)."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, SCRATCH / f"{name}.ipynb")
    return f"benchmarks/scratch/{name}"


def shut_down_kernels(server) -> None:
    """End every session, so that the next notebook opened starts a kernel of its own, as a learner's first open
    does (a notebook opened again would otherwise find its earlier kernel running, with everything imported)."""
    def call(method: str, path: str):
        request = urllib.request.Request(f"{server.url}{path}?token={server.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    for session in call("GET", "api/sessions"):
        call("DELETE", f"api/sessions/{session['id']}")


def open_notebook(page, server, path: str) -> dict:
    """Open a notebook with a kernel of its own, run all as soon as the kernel is idle, wait until every output is
    rendered."""
    page.goto("about:blank")
    shut_down_kernels(server)
    start = time.perf_counter()
    page.goto(f"{server.url}lab/tree/{path}.ipynb?reset&token={server.token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=240_000)
    page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel &&
               w.sessionContext.session.kernel.status === 'idle'; }""", timeout=240_000, polling=50)
    run = time.perf_counter()
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_selector(".jp-OutputArea-output .widget-box, .jp-OutputArea-output .js-plotly-plot",
                           timeout=240_000)
    first = time.perf_counter()
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const cells = w.content.widgets.filter(c => c.model.type === 'code');
        return w.sessionContext.session.kernel.status === 'idle' &&
               cells.every(c => c.model.executionCount !== null); }""", timeout=240_000, polling=50)
    page.wait_for_function(RENDERED, timeout=240_000, polling=50)
    done = time.perf_counter()
    return {"open_to_first_widget": first - start, "open_to_all_rendered": done - start, "run_all": done - run,
            "figures": page.locator(".js-plotly-plot").count(),
            "maps": page.locator(".vd-map .js-plotly-plot").count(),
            "widget_views": page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
                .filter(o => o.querySelector('.jupyter-widgets')).length""")}


def median_update_ms(page, target: str, act) -> float:
    """Median ms from a user action (``act(i)``) to the end of the visible update of ``target`` it causes."""
    samples = []
    for i in range(CLICKS):
        page.locator(target).first.scroll_into_view_if_needed()
        page.evaluate(WATCH, [target])
        act(i)
        page.wait_for_function(SETTLED, timeout=30_000, polling=20)
        samples.append(page.evaluate("window.__bench.last - window.__bench.start"))
    return statistics.median(samples)


def click_latency(page, control: str, target: str, values) -> float | None:
    """Median ms from a click (or a choice in a menu) to the end of the visible update it causes."""
    if not page.locator(control).count() or not page.locator(target).count():
        return None
    element = page.locator(control)

    def act(i):
        if values:
            element.first.select_option(values[i % len(values)])
        elif control.endswith("select"):
            options = element.first.locator("option").all_inner_texts()
            element.first.select_option(options[(i + 1) % len(options)])
        elif element.count() > 1:
            element.nth((i + 1) % element.count()).click()
        else:
            element.first.click()

    return median_update_ms(page, target, act)


def slider_latency(page) -> float:
    """Median ms from an arrow key on the trivial notebook's slider to its label's update."""
    def act(_i):
        page.locator(".bench-slider .noUi-handle, .bench-slider [role=slider]").first.focus()
        page.keyboard.press("ArrowRight")

    return median_update_ms(page, ".bench-label", act)


@contextlib.contextmanager
def browsing(browser, start_server):
    """A started server, a fresh browser page, and the trivial notebook's path."""
    trivial = write("trivial", nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TRIVIAL)]))
    with start_server() as server:
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        try:
            yield server, context.new_page(), trivial
        finally:
            context.close()


def lab_figures(browser) -> dict:
    results = {}
    with browsing(browser, jupyter_lab) as (server, page, trivial):
        open_notebook(page, server, trivial)  # warm the server and the browser cache once
        for name in NOTEBOOKS:
            base = open_notebook(page, server, trivial)
            base["slider_to_label_ms"] = slider_latency(page)
            course = open_notebook(page, server, f"notebooks/{name}")
            course["list_click_ms"] = click_latency(page, *LIST_CLICKS[name]) if name in LIST_CLICKS else None
            course["chart_click_ms"] = click_latency(page, *CHART_CLICKS[name]) if name in CHART_CLICKS else None
            plain = write(f"plain_{name}", plain_notebook(course["figures"], min(course["maps"], 1),
                                                          course["widget_views"]))
            results[name] = {"course": course, "trivial": base, "plain": open_notebook(page, server, plain)}
            print_row(name, results[name])
    return results


def voila_figures(browser) -> dict:
    out = {}
    with browsing(browser, voila) as (server, page, trivial):
        for label, path in (("warm-up", trivial), ("trivial", trivial), ("explorer", "apps/explorer"),
                            ("trivial again", trivial), ("explorer again", "apps/explorer")):
            start = time.perf_counter()
            page.goto(f"{server.url}voila/render/{path}.ipynb", wait_until="domcontentloaded")
            page.wait_for_selector(".jupyter-widgets", timeout=240_000)
            page.wait_for_function(RENDERED, timeout=240_000, polling=50)
            out.setdefault(label.replace(" again", ""), []).append(time.perf_counter() - start)
    out.pop("warm-up")
    return {k: statistics.median(v) for k, v in out.items()}


def ratio(a, b) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "—"


def print_row(name: str, r: dict) -> None:
    c, t, p = r["course"], r["trivial"], r["plain"]
    print(f"\n### {name} ({c['figures']} figures, {c['widget_views']} widget views)")
    print(f"  open to first widget: {c['open_to_first_widget']:.1f} s (trivial {t['open_to_first_widget']:.1f} s)")
    print(f"  open to all rendered: {c['open_to_all_rendered']:.1f} s (trivial {t['open_to_all_rendered']:.1f} s) "
          f"= {ratio(c['open_to_all_rendered'], t['open_to_all_rendered'])} [target 1.4x]")
    print(f"  run-all to last output: {c['run_all']:.2f} s (plain {p['run_all']:.2f} s) "
          f"= {ratio(c['run_all'], p['run_all'])} [target 1.5x]")
    slider = t["slider_to_label_ms"]
    for kind, target in (("list", "1.5x"), ("chart", "3x")):
        ms = c[f"{kind}_click_ms"]
        if ms is not None:
            print(f"  click to update, {kind}: {ms:.0f} ms (slider to label {slider:.0f} ms) = {ratio(ms, slider)} "
                  f"[target {target}]")


def main() -> int:
    from playwright.sync_api import sync_playwright

    print("\n## In the browser (headless Chromium; JupyterLab as `make lab` starts it)")
    print(f"baselines: a trivial notebook: {TRIVIAL.splitlines()[-1]!r} with a slider updating a label; per "
          "notebook, a plain notebook of as many plotly figures (one a map) and ipywidgets, without the package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        try:
            lab = lab_figures(browser)
            app = voila_figures(browser)
        finally:
            browser.close()
            shutil.rmtree(SCRATCH, ignore_errors=True)
    print(f"\n### Voila: explorer open to all rendered {app['explorer']:.1f} s, trivial {app['trivial']:.1f} s "
          f"= {ratio(app['explorer'], app['trivial'])} [target 1.4x]")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"lab": lab, "voila": app}, indent=1))
    print(f"figures written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
