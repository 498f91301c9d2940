"""The explorer app in Voila: renders with code hidden, draws offline, responds."""
from test_lab import BROKEN


def test_explorer_app_in_voila(voila_server, offline_page, shots):
    page = offline_page.page
    page.goto(f"{voila_server}voila/render/apps/explorer.ipynb", wait_until="commit")
    page.wait_for_selector(".vd-timeline", timeout=180_000)
    page.wait_for_selector(".vd-map .js-plotly-plot .choroplethlocation", timeout=60_000)
    body = page.inner_text("body")
    assert not [t for t in BROKEN if t in body], body[:500]
    assert "import vndiplomacy" not in body, "code cells must be hidden in the app"
    for css in ("vd-timeline", "vd-congress", "vd-map", "vd-figures", "vd-glossary"):
        assert page.locator(f".{css}").count() == 1, css
    count = page.locator(".vd-timeline-count")
    before = count.inner_text()
    page.locator(".vd-timeline-period select").select_option("1954-1975")
    page.wait_for_function("(old) => document.querySelector('.vd-timeline-count').innerText !== old", arg=before,
                           timeout=10_000)
    card = page.locator(".vd-congress-card")
    old = card.inner_text()
    page.locator(".vd-congress-next").click()
    page.wait_for_function("(old) => document.querySelector('.vd-congress-card').innerText !== old", arg=old,
                           timeout=10_000)
    page.screenshot(path=str(shots / "voila_explorer.png"), full_page=True)
    assert not [u for u in offline_page.outside if "cdn.plot.ly" in u], offline_page.outside
