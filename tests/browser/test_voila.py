"""The explorer app in Voila, standalone and through the Jupyter server: renders with code hidden,
draws its map offline under the /user/test/ prefix, and responds."""
from test_lab import BROKEN

# Through the Jupyter server, Voila's page config names a MathJax CDN URL (from the server's tornado settings),
# which its front end requests; the app shows no formulas, so that one request may fail offline.
SERVER_PATH_MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"


def test_explorer_app_in_voila(voila_server, offline_page, shots):
    """Standalone Voila, started by `make voila`, at the URL it printed."""
    printed = next(line.strip() for line in voila_server.printed().splitlines() if "/voila/render/" in line)
    assert printed.endswith("/user/test/voila/render/apps/explorer.ipynb"), printed
    check_explorer(offline_page, printed.replace("localhost", "127.0.0.1"), shots / "voila_explorer.png")


def test_explorer_app_through_the_jupyter_server(lab, offline_page, shots):
    """Voila as a Jupyter server extension, as Binder's urlpath=voila/render/... badge opens it."""
    url, token = lab
    check_explorer(offline_page, f"{url}voila/render/apps/explorer.ipynb?token={token}",
                   shots / "voila_in_server_explorer.png", allowed=(SERVER_PATH_MATHJAX,))


def check_explorer(offline_page, address, shot, allowed=()):
    page = offline_page.page
    page.goto(address, wait_until="commit")
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
    page.screenshot(path=str(shot), full_page=True)
    needed = [u for u in offline_page.outside if not allowed or not u.startswith(allowed)]
    assert not needed, f"the page tried to reach the network: {needed[:5]}"
