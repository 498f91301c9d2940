"""The explorer app in Voila, standalone and through the Jupyter server: renders with code hidden,
draws its map offline under the /user/test/ prefix, and responds."""
from test_lab import BROKEN, check_the_map_redraws_in_place


def test_explorer_app_in_voila(voila_server, offline_page, shots):
    """Standalone Voila, started by `make voila`, at the URL it printed."""
    printed = next(line.strip() for line in voila_server.printed().splitlines() if "/voila/render/" in line)
    assert printed.endswith("/user/test/voila/render/apps/explorer.ipynb"), printed
    check_explorer(offline_page, printed.replace("localhost", "127.0.0.1"), shots / "voila_explorer.png")


def test_explorer_app_through_the_jupyter_server(lab, offline_page, shots):
    """Voila as a Jupyter server extension, as Binder's urlpath=voila/render/... badge opens it."""
    url, token = lab
    check_explorer(offline_page, f"{url}voila/render/apps/explorer.ipynb?token={token}",
                   shots / "voila_in_server_explorer.png")


def check_explorer(offline_page, address, shot):
    page = offline_page.page
    page.goto(address, wait_until="commit")
    page.wait_for_selector(".vd-timeline", timeout=180_000)
    page.wait_for_selector(".vd-map .js-plotly-plot .choroplethlocation", timeout=60_000)
    body = page.inner_text("body")
    broken = [body[max(0, body.find(t) - 300):body.find(t) + 200] for t in BROKEN if t in body]
    assert not broken, f"{broken}\nconsole: {offline_page.console[:5]}"
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
    check_the_map_redraws_in_place(page)
    page.screenshot(path=str(shot), full_page=True)
    assert not offline_page.outside, f"the page tried to reach the network: {offline_page.outside[:5]}"
