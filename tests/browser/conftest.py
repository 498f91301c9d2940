import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from servers import CHROME_ARGS, CHROMIUM, ROOT, jupyter_lab, voila  # noqa: E402

SHOTS = ROOT / "test-artifacts" / "screenshots"


def committed_notebook_state() -> dict:
    """Every course notebook's bytes, to check that the browser tests leave them as they were."""
    return {p: p.read_bytes() for p in ROOT.glob("*/*.ipynb")}


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A browser page that blocks every non-loopback request and records failures and errors."""

    def __init__(self, browser, width: int = 1280, height: int = 1000):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.outside, self.failed, self.console = [], [], []
        self.context.route("**/*", self._only_loopback)
        self.context.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)

    def _only_loopback(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("internetdisconnected")


@pytest.fixture
def offline_page(browser):
    page = Page(browser)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def lab():
    with jupyter_lab() as server:
        yield server


@pytest.fixture(autouse=True)
def course_notebooks_unchanged():
    """Fail the browser test after which a course notebook changed on disk, and put the notebook back."""
    before = committed_notebook_state()
    yield
    changed = [path for path, content in committed_notebook_state().items() if before.get(path) != content]
    for path in changed:
        path.write_bytes(before[path])
    assert not changed, f"this test changed course notebooks: {[str(p.relative_to(ROOT)) for p in changed]}"


@pytest.fixture(scope="session")
def voila_server():
    with voila() as server:
        yield server


@pytest.fixture(scope="session")
def shots():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
