"""Each notebook in JupyterLab in headless Chromium, offline, under Binder's /user/<name>/ prefix:
run all cells, check every widget and figure rendered, interact, and take a screenshot."""
import re
import shutil
import time

import pytest
from servers import ROOT, jupyter_lab

from vndiplomacy.manifest import course

BROKEN = ("Error displaying widget", "Click to show javascript error", "Model not found",
          "unexpected error while fetching topojson",
          "checked: http")  # a maintainers' note (an HTML comment) must never be shown

# For each notebook: the widget views that must be present, and one interaction with its visible result.
NOTEBOOKS = {
    "00_start_here": ["vd-setup", "vd-readings", "vd-reader", "vd-sources", "vd-course", "vd-progress",
                      "vd-glossary", "vd-discrepancies"],
    "01_history": ["vd-setup", "vd-readings", "vd-reader", "vd-timeline", "vd-chart", "vd-map", "vd-figures",
                   "vd-glossary", "vd-quiz"],
    "02_three_pillars": ["vd-setup", "vd-readings", "vd-reader", "vd-pillars", "vd-congress", "vd-coordination",
                         "vd-figures", "vd-glossary", "vd-quiz"],
    "03_defence_diplomacy": ["vd-setup", "vd-readings", "vd-reader", "vd-congress", "vd-documents", "vd-mechanisms",
                             "vd-nos", "vd-figures", "vd-map", "vd-quiz"],
    "04_14th_congress": ["vd-setup", "vd-readings", "vd-reader", "vd-instruments", "vd-congress", "vd-figures",
                         "vd-people", "vd-glossary", "vd-quiz"],
    "05_synthesis": ["vd-setup", "vd-readings", "vd-reader", "vd-chart", "vd-timeline", "vd-sources",
                     "vd-discrepancies", "vd-map", "vd-quiz"],
    "teacher/class_dashboard": ["vd-class", "vd-class-report", "vd-chart"],
}


def open_and_run(page, url, token, notebook):
    path = notebook if "/" in notebook else f"notebooks/{notebook}"
    page.goto(f"{url}lab/tree/{path}.ipynb?reset&token={token}", wait_until="domcontentloaded")
    run_all(page)


def run_all(page, timeout_ms=240_000):
    """Wait for the open notebook's kernel, run all cells, and wait until every code cell has run."""
    start_run_all(page, timeout_ms)
    wait_until_all_ran(page, timeout_ms)


def start_run_all(page, timeout_ms):
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout_ms)
    page.wait_for_function("""() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel &&
               w.sessionContext.session.kernel.status === 'idle'; }""", timeout=timeout_ms)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def wait_until_all_ran(page, timeout_ms):
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        const cells = w.content.widgets.filter(c => c.model.type === 'code');
        return w.sessionContext.session.kernel.status === 'idle' &&
               cells.every(c => c.model.executionCount !== null && c.promptNode.textContent.indexOf('*') < 0); }""",
                           timeout=timeout_ms, polling=500)


def check_rendered(page, notebook, expected):
    body = page.inner_text("body")
    assert not [t for t in BROKEN if t in body], f"{notebook}: {[t for t in BROKEN if t in body]}"
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
    assert not [e for e in errors if "Traceback" in e or "Error" in e], f"{notebook}: {errors[:2]}"
    assert page.locator(".jp-OutputArea-output .ansi-red-fg, .jp-RenderedText[data-mime-type*='error']").count() == 0
    for css in expected:
        assert page.locator(f".{css}").count() > 0, f"{notebook}: no .{css} widget view rendered"
    plots = page.locator(".js-plotly-plot")
    for i in range(plots.count()):
        assert plots.nth(i).locator(".main-svg").count() > 0, f"{notebook}: plotly figure {i} is empty"
    overlaps = page.evaluate("""() => [...document.querySelectorAll('.vd-quiz .widget-radio-box')].flatMap(box => {
        const labels = [...box.querySelectorAll('label')];
        const rects = labels.map(l => l.getBoundingClientRect());
        const spill = labels.filter(l => l.scrollHeight > l.clientHeight + 2);
        const stacked = rects.slice(1).filter((r, i) => r.top < rects[i].bottom - 1);
        return [...spill, ...stacked].map(() => box.innerText.slice(0, 60));
    })""")
    assert not overlaps, f"{notebook}: quiz options drawn over each other: {overlaps[:3]}"
    for i in range(page.locator(".vd-map .js-plotly-plot").count()):
        drawn = page.locator(".vd-map .js-plotly-plot").nth(i).locator(".choroplethlocation, path.choroplethlocation")
        assert drawn.count() > 0, f"{notebook}: map {i} drew no countries (topojson not loaded?)"


def interact(page, notebook):
    """One interaction per notebook; returns a description of what was seen."""
    if notebook == "00_start_here":
        box = page.locator(".vd-glossary-query input").first
        box.fill("doi moi")
        box.press("Enter")
        page.wait_for_function("() => document.querySelector('.vd-glossary-results').innerText.includes('Đổi mới')",
                               timeout=10_000)
        return "glossary search 'doi moi' shows 'Đổi mới'"
    if notebook == "01_history":
        count = page.locator(".vd-timeline-count").first
        before = count.inner_text()
        page.locator(".vd-timeline-period select").first.select_option("1954-1975")
        page.wait_for_function("(old) => document.querySelector('.vd-timeline-count').innerText !== old", arg=before,
                               timeout=10_000)
        return f"timeline period filter: '{before}' -> '{count.inner_text()}'"
    if notebook == "02_three_pillars":
        items = page.locator(".vd-pillar-items").first
        before = items.inner_text()
        page.locator(".vd-pillar-choice button").nth(2).click()
        page.wait_for_function("(old) => document.querySelector('.vd-pillar-items').innerText !== old", arg=before,
                               timeout=10_000)
        return "pillar toggle changes the listed items"
    if notebook in ("03_defence_diplomacy",):
        card = page.locator(".vd-congress-card").first
        before = card.inner_text()
        page.locator(".vd-congress-next").first.click()
        page.wait_for_function("(old) => document.querySelector('.vd-congress-card').innerText !== old", arg=before,
                               timeout=10_000)
        assert re.search(r"\d+th Congress", card.inner_text())
        return f"congress stepper Next shows the following Congress; {check_the_map_redraws_in_place(page)}"
    if notebook == "04_14th_congress":
        grid = page.locator(".vd-instruments-grid").first
        page.locator(".vd-instruments-aspect button", has_text="Lead ministry").click()
        page.wait_for_function("() => document.querySelector('.vd-instruments-grid').innerText.includes('Ministry')",
                               timeout=10_000)
        return f"instruments by ministry: {grid.inner_text()[:60]!r}"
    if notebook == "teacher/class_dashboard":
        report = page.locator(".vd-class-report").first.inner_text()
        assert "6 learners" in report and "broken_download.json" in report, report
        return "class dashboard lists six learners and the skipped files"
    grid = page.locator(".vd-discrepancy-grid").first
    before = grid.inner_text()
    page.locator(".vd-discrepancy-kind select").first.select_option("count")
    page.wait_for_function("(old) => document.querySelector('.vd-discrepancy-grid').innerText !== old", arg=before,
                           timeout=10_000)
    return "discrepancy filter by kind"


def check_the_map_redraws_in_place(page, period="1945-1954"):
    """Choosing a period redraws the map's plot in place (the same element, no new plot) with the kernel's new
    figure: the countries drawn are those of the new data, and the text alternative follows."""
    plot = page.locator(".vd-map .js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    before = plot.evaluate("""p => { p.vdMark = true;
        return {countries: p.data.flatMap(t => t.locations), alt: p.closest('.vd-map').innerText}; }""")
    page.locator(".vd-map-period select").first.select_option(period)
    page.wait_for_function("""(old) => { const p = document.querySelector('.vd-map .js-plotly-plot');
        return p && JSON.stringify(p.data.flatMap(t => t.locations)) !== JSON.stringify(old); }""",
                           arg=before["countries"], timeout=10_000)
    after = plot.evaluate("""p => ({same: p.vdMark === true && p.isConnected,
        plots: p.closest('.vd-map').querySelectorAll('.js-plotly-plot').length,
        countries: p.data.flatMap(t => t.locations), drawn: p.querySelectorAll('path.choroplethlocation').length,
        alt: p.closest('.vd-map').innerText})""")
    assert after["same"] and after["plots"] == 1, "the map was replaced by a new plot instead of redrawn"
    assert 0 < len(after["countries"]) < len(before["countries"]) and after["drawn"] == len(after["countries"]), after
    assert after["alt"] != before["alt"], "the text alternative did not follow the map"
    return f"map period {period}: {len(before['countries'])} -> {len(after['countries'])} countries, redrawn in place"


def widget_shots(page, name, widget_classes, width, shots):
    """A picture of every course widget at a window width, to look at (labels clipped, overlaps)."""
    page.set_viewport_size({"width": width, "height": 1000})
    folder = shots / f"w{width}"
    folder.mkdir(exist_ok=True)
    for css in widget_classes:
        for i in range(min(page.locator(f".{css}").count(), 2)):
            widget = page.locator(f".{css}").nth(i)
            widget.scroll_into_view_if_needed()
            widget.screenshot(path=str(folder / f"{name}_{css}_{i}.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})


def answer_quiz_by_the_policy(page, notebook):
    """A wrong first answer to a single-choice question shows the hint and not the answer; the one more try
    then shows the explanation; the score keeps the first answer."""
    from vndiplomacy.quizbank import load_bank

    topic = notebook
    question = next(q for q in load_bank(topic).questions if q.type == "single")
    wrong = next(o for o in question.options if o != question.answer)
    box = page.locator(".vd-quiz-type-single").filter(has_text=question.prompt[:40]).first
    box.scroll_into_view_if_needed()
    feedback = box.locator(".vd-quiz-feedback")
    box.get_by_role("radio", name=wrong, exact=True).check()
    box.locator(".vd-quiz-check").click()
    page.wait_for_function("(el) => el.innerText.includes('Hint:')", arg=feedback.element_handle(), timeout=10_000)
    shown = feedback.inner_text()
    assert question.hint[:30] in shown and question.answer not in shown and "Source:" not in shown, shown
    box.get_by_role("radio", name=question.answer, exact=True).check()
    box.locator(".vd-quiz-check").click()
    page.wait_for_function("(el) => el.innerText.includes('Source:')", arg=feedback.element_handle(), timeout=10_000)
    score = page.locator(".vd-quiz-score").first.inner_text()
    assert score.startswith("Score: 0 /"), score
    return "wrong first answer: hint, no answer; one more try: explanation; score kept the first answer"


def answer_quiz(page, notebook):
    """Answer a true/false question in the real page, from the keyboard only, and see the feedback;
    an empty answer gets a hint first."""
    question = page.locator(".vd-quiz-type-true_false").first
    question.scroll_into_view_if_needed()
    feedback = question.locator(".vd-quiz-feedback")
    check = question.locator(".vd-quiz-check")
    check.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(el) => el.innerText.includes('Choose True or False')", arg=feedback.element_handle(),
                           timeout=10_000)
    question.locator("button", has_text="True").focus()
    page.keyboard.press("Space")
    check.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(el) => /Right|Not quite/.test(el.innerText)", arg=feedback.element_handle(),
                           timeout=10_000)
    assert "Source:" in feedback.inner_text()
    score = page.locator(".vd-quiz-score").first.inner_text()
    assert "2 answered" in score, score
    return feedback.inner_text().splitlines()[0]


# Every learner and teacher notebook course.yml lists, by its path without .ipynb ('notebooks/' left out).
COURSE = [n.file.removeprefix("notebooks/").removesuffix(".ipynb") for n in (*course().notebooks, *course().teacher)]


def test_each_course_notebook_has_its_expected_views():
    assert sorted(NOTEBOOKS) == sorted(COURSE), "add the views a new notebook shows to NOTEBOOKS"


@pytest.mark.parametrize("notebook", COURSE)
def test_notebook_in_jupyterlab(lab, offline_page, shots, notebook):
    url, token = lab
    page = offline_page.page
    started = time.monotonic()
    open_and_run(page, url, token, notebook)
    check_rendered(page, notebook, NOTEBOOKS[notebook])
    page.locator(f".{NOTEBOOKS[notebook][min(2, len(NOTEBOOKS[notebook]) - 1)]}").first.scroll_into_view_if_needed()
    shot = notebook.replace("/", "_")
    page.screenshot(path=str(shots / f"lab_{shot}_top.png"))
    seen = interact(page, notebook)
    page.screenshot(path=str(shots / f"lab_{shot}_interaction.png"))
    if page.locator(".vd-map").count():
        page.locator(".vd-map").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"lab_{shot}_map.png"))
    if "vd-quiz" in NOTEBOOKS[notebook]:
        seen += "; quiz: " + answer_quiz_by_the_policy(page, notebook)
        seen += "; " + answer_quiz(page, notebook)
        page.screenshot(path=str(shots / f"lab_{shot}_quiz.png"))
    check_rendered(page, notebook, NOTEBOOKS[notebook])
    for width in (1280, 800):
        widget_shots(page, shot, NOTEBOOKS[notebook], width, shots)
    assert not offline_page.outside, f"the page tried to reach the network: {offline_page.outside[:5]}"
    assert not [f for f in offline_page.failed if "/files/data/maps/" in f], offline_page.failed
    print(f"{notebook}: {seen} ({time.monotonic() - started:.1f} s); blocked outside requests: "
          f"{len(offline_page.outside)}")


def test_make_lab_lands_on_the_start_notebook_with_the_whole_course_and_no_pop_up(offline_page, shots):
    """A first `make lab` (its own server, so no saved workspace): the URL it prints opens 00_start_here (not the
    Launcher), shows no news pop-up, and the server's root is the whole course."""
    with jupyter_lab() as lab:
        check_landing(lab, offline_page, shots)


def check_landing(lab, offline_page, shots):
    printed = [line.strip() for line in lab.printed().splitlines()
               if "http" in line and "00_start_here.ipynb?token=" in line]
    assert printed, lab.printed()[-2000:]
    address = printed[0].split(" ")[-1].replace("localhost", "127.0.0.1").replace("token=...", f"token={lab.token}")
    assert "/user/test/lab/tree/notebooks/00_start_here.ipynb" in address, address
    page = offline_page.page
    page.goto(address, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    page.wait_for_timeout(3000)
    assert page.locator(".jp-mod-current .jp-TabBar-tabLabel, .lm-TabBar-tab.lm-mod-current").filter(
        has_text="00_start_here").count() > 0
    assert page.locator(".jp-Launcher").count() == 0
    assert page.locator(".Toastify__toast").count() == 0, page.locator(".Toastify__toast").all_inner_texts()
    for folder in ("exercises", "solutions", "apps", "teacher", "data/maps"):
        status = page.evaluate(f"fetch('{lab.url}api/contents/{folder}?token={lab.token}').then(r => r.status)")
        assert status == 200, folder
    assert not [m for m in offline_page.console if "ipylab" in m or "jupytext" in m], offline_page.console
    page.screenshot(path=str(shots / "lab_make_lab_landing.png"))


def test_a_saved_notebook_reopens_and_a_restart_is_announced(lab, offline_page, shots):
    """Run 01, save, restart the kernel: the quiz says it is disconnected; close and reopen: no widget errors."""
    url, token = lab
    page = offline_page.page
    copy = ROOT / "notebooks" / "01_history_reopen_test.ipynb"  # saving must not touch the committed notebook
    shutil.copyfile(ROOT / "notebooks" / "01_history.ipynb", copy)
    try:
        reopen(page, url, token, shots, copy.stem)
    finally:
        copy.unlink()


def reopen(page, url, token, shots, name):
    open_and_run(page, url, token, name)
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_timeout(2000)
    page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        return w.sessionContext.session.kernel.status === 'idle'; }""", timeout=60_000)
    note = page.locator(".vd-quiz .vd-offline-note").first
    note.scroll_into_view_if_needed()
    page.wait_for_function("(el) => getComputedStyle(el).display !== 'none'", arg=note.element_handle(),
                           timeout=10_000)
    assert "Run this cell again" in note.inner_text()
    page.screenshot(path=str(shots / "lab_01_after_restart.png"))
    page.evaluate("window.jupyterapp.commands.execute('application:close-all')")
    page.wait_for_timeout(1500)
    page.goto(f"{url}lab/tree/notebooks/{name}.ipynb?token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    page.wait_for_timeout(5000)
    body = page.inner_text("body")
    assert not [t for t in BROKEN if t in body], [t for t in BROKEN if t in body]
    page.screenshot(path=str(shots / "lab_01_reopened.png"))


def test_accessibility_audit_of_the_course_widgets_in_jupyterlab(lab, offline_page):
    """axe-core on the course's widget output in JupyterLab (not JupyterLab's own interface); the full report goes to
    test-artifacts/axe_lab.json. Every output there is the course's, so any serious or critical finding fails."""
    import json

    from axe_playwright_python.sync_playwright import Axe

    url, token = lab
    page = offline_page.page
    report = {}
    for notebook in ("01_history", "05_synthesis"):
        open_and_run(page, url, token, notebook)
        check_rendered(page, notebook, NOTEBOOKS[notebook])
        found = Axe().run(page, context={"include": [[".jp-OutputArea-output"]]}).response["violations"]
        report[notebook] = [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"]),
                             "targets": [n["target"] for n in v["nodes"][:5]],
                             "example": v["nodes"][0]["html"][:240]} for v in found]
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "axe_lab.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    serious = [(notebook, v["id"], v["example"]) for notebook, found in report.items() for v in found
               if v["impact"] in {"serious", "critical"}]
    assert not serious, serious
