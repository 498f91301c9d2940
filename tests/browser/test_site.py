"""The website edition, built with `make site` and served as the README says, in headless Chromium with the network
blocked: every page draws, nothing leaves loopback, no serious accessibility violation, no one's attempts inside."""
import json
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import Page
from servers import ROOT, website

from vndiplomacy.manifest import course
from vndiplomacy.progress import ProgressStore

SECRET = "an answer only this learner typed"
SERIOUS = {"serious", "critical"}
PHONE = (375, 812)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site as `make site` builds it while a learner's progress store holds attempts (which must stay out)."""
    with website() as (server, built):
        store = ProgressStore(server.log.parent / "learner_progress.sqlite")
        store.record("01_history", "history-01", True, SECRET)
        store.set_name("Learner With A Secret")
        yield server, built


def pages(built):
    """Every page of the book (not Sphinx's index and search pages), in the order of its table of contents."""
    return [p.name for p in sorted(built.glob("*.html")) if p.stem not in {"genindex", "search"}]


def open_page(page, url):
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => [...document.querySelectorAll('.vd-site-chart')].every(c => c.dataset.drawn)",
                           timeout=30_000)


def test_the_book_follows_course_yml(site):
    _server, built = site
    expected = [n.name for n in (*course().notebooks, *course().apps)]
    names = {p.removesuffix(".html") for p in pages(built)}
    assert set(expected) <= names, sorted(set(expected) - names)
    sidebar = (built / "index.html").read_text(encoding="utf-8")
    order = [sidebar.find(f'href="{n}.html"') for n in expected]
    assert -1 not in order and order == sorted(order), "the sidebar lists the notebooks out of course order"
    for extra in ("glossary", "sources", "discrepancies", "data", "teacher_guide"):
        assert extra in names, f"no {extra} page"


def test_every_page_draws_offline_with_its_launch_buttons(site, browser, shots):
    server, built = site
    hub = course().links["hub"]
    for width, height in ((1280, 1000), PHONE):
        viewer = Page(browser, width, height)
        try:
            for name in pages(built):
                open_page(viewer.page, server.url + name)
                charts = viewer.page.eval_on_selector_all(".vd-site-chart", "els => els.map(e => e.dataset.drawn)")
                assert all(c == "true" for c in charts), f"{name}: charts {charts}"
                assert all(c.query_selector(".main-svg") for c in viewer.page.query_selector_all(".vd-site-chart"))
                if name not in {"genindex.html", "search.html"}:
                    launch = viewer.page.eval_on_selector_all(".vd-launch-bar a.vd-launch", "els => els.map(e => e.href)")
                    assert any(u.startswith(hub) for u in launch) and any("lab%2Ftree" in u for u in launch) and any(
                        "voila%2Frender" in u for u in launch), f"{name}: launch buttons {launch}"
                viewer.page.screenshot(path=str(shots / f"site_{width}_{name.removesuffix('.html')}.png"))
            assert not viewer.outside, f"requests left loopback: {viewer.outside[:5]}"
            assert not viewer.failed, f"failed requests: {viewer.failed[:5]}"
            assert not viewer.console, viewer.console[:5]
        finally:
            viewer.context.close()


def test_charts_and_views_keep_their_text_alternatives(site):
    _server, built = site
    explorer = (built / "explorer.html").read_text(encoding="utf-8")
    charts = explorer.count('class="vd-site-chart"')
    assert charts >= 3 and explorer.count("Text alternative:") >= charts
    notes = explorer.count('class="vd-live-note"')
    assert notes and explorer.count("Open this notebook live (Binder)") == notes and "vd-live-link" not in explorer
    assert "apps%2Fexplorer.ipynb" in explorer.split('class="vd-live-note"', 1)[1].split("</p>", 1)[0]


def test_the_glossary_filters_in_english_and_vietnamese(site, offline_page):
    server, _built = site
    page = offline_page.page
    page.goto(server.url + "glossary.html", wait_until="networkidle")
    rows = page.locator("#vd-glossary-table tbody tr")
    total = rows.count()
    page.fill("#vd-glossary-filter", "doi ngoai")  # typed without diacritics
    shown = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(shown) < total and all("đối ngoại" in r.inner_text().lower() for r in shown)
    assert f"{len(shown)} of {total}" in page.locator(".vd-filter-count").inner_text()


def test_the_site_holds_no_ones_attempts(site):
    _server, built = site
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".ipynb", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert SECRET not in text and "Learner With A Secret" not in text, path


def test_no_page_loads_anything_from_another_site(site):
    _server, built = site
    for path in built.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        outside = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', text)
        assert not outside, f"{path.name} loads {outside[:3]}"


def test_no_serious_accessibility_violation_on_any_page(site, browser):
    server, built = site
    axe, report = Axe(), {}
    viewer = Page(browser)
    try:
        for name in pages(built):
            open_page(viewer.page, server.url + name)
            violations = axe.run(viewer.page).response["violations"]
            report[name] = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
                             "example": v["nodes"][0]["html"][:200]} for v in violations]
    finally:
        viewer.context.close()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "axe_site.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    serious = {name: [v for v in found if v["impact"] in SERIOUS] for name, found in report.items()}
    assert not any(serious.values()), {k: v for k, v in serious.items() if v}


def test_a_quiz_on_the_built_site_marks_keeps_and_exports_every_type(site, offline_page, tmp_path):
    """On the built page of notebook 01: one question of each type answered wrong, then right after the hint; the
    attempts survive a reload, and the export imports into the kernel's progress store."""
    from playwright.sync_api import expect
    from test_site_quiz import TYPES, give, question_item, right_response, submit, wrong_response

    from vndiplomacy.progress import read_export
    from vndiplomacy.quizbank import load_bank

    server, _built = site
    page = offline_page.page
    page.goto(server.url + "01_history.html", wait_until="networkidle")
    quiz = page.locator(".vd-site-quiz").first
    expect(page.locator(".vd-site-quiz-ready")).to_have_count(1)
    bank = load_bank("01_history")
    chosen = [next(q for q in bank.questions if q.type == kind) for kind in TYPES]
    for q in chosen:
        item = question_item(page, q)
        item.scroll_into_view_if_needed()
        give(item, q, wrong_response(q))
        feedback = submit(item)
        expect(feedback).to_contain_text("Not quite")
        if q.type != "true_false":  # a true/false question shows its answer at once
            expect(feedback).to_contain_text("Hint: " + q.hint)
            give(item, q, right_response(q))
            feedback = submit(item)
        expect(feedback).to_contain_text(q.explanation)
    score = f"Score: 0 of {len(bank.questions)} right at the first try, {len(TYPES)} answered"
    expect(quiz.locator(".vd-quiz-score")).to_contain_text(score)
    page.reload(wait_until="networkidle")
    expect(page.locator(".vd-site-quiz .vd-quiz-score").first).to_contain_text(score)
    quiz = page.locator(".vd-site-quiz").first
    quiz.get_by_label("Your name").fill("Site Reader")
    with page.expect_download() as download:
        quiz.get_by_role("button", name="Export my answers").click()
    target = tmp_path / "my_progress.json"
    download.value.save_as(target)
    store = ProgressStore(tmp_path / "kernel.sqlite")
    added = store.import_payload(read_export(target), label=target.name, confirmed=True)
    attempts = store.attempts("01_history")
    assert added == len(attempts) >= len(TYPES)
    firsts = attempts[attempts["kind"] == "first"]
    assert set(firsts["question"]) == {q.id for q in chosen} and not firsts["correct"].any()
    assert not offline_page.outside and not offline_page.console, (offline_page.outside, offline_page.console)
