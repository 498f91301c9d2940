"""The website edition: the course as a static site (Jupyter Book 1), from the same notebooks, data and quiz banks.

``python -m vndiplomacy.website build`` (``make site``) runs each notebook course.yml lists in a kernel whose widgets
show as static HTML (cards, tables, text alternatives, and charts that the site's one copy of plotly.js draws), with
an empty, temporary progress store; writes the book's pages and table of contents from course.yml and the data; and
builds the HTML into ``_site/``. Quizzes work in the browser from the same banks (``webquiz``). Filtering needs the
live version, which every page's launch buttons open.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
import nbformat
import yaml

from .manifest import course
from .paths import course_root, data_dir
from .style import CSS, citation, esc, scroll_box
from .webquiz import script_json

SITE_FOLDER = "_site"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WEB_ASSETS = Path(__file__).parent / "web"
# The controls a learner uses in the live version; the static page names them instead of drawing them.
CONTROLS = (widgets.Dropdown, widgets.Select, widgets.SelectMultiple, widgets.ToggleButtons, widgets.RadioButtons,
            widgets.Text, widgets.Textarea, widgets.IntSlider, widgets.Checkbox, widgets.Button, widgets.FileUpload)
# Where a view's note links to the live version; the build puts in the link of the page's notebook.
LIVE_LINK = '<span class="vd-live-link"></span>'
STATIC_CELL = "import vndiplomacy.website as _site\n_site.show_widgets_as_static_html()"


# ---- Widgets as static HTML (runs in the build's kernels) -----------------------------------------------------------

def show_widgets_as_static_html() -> None:
    """From now on, Jupyter shows every widget as the static HTML of what it shows, not as a live view."""
    def bundle(self, **_kwargs):
        return {"text/html": static_html(self), "text/plain": f"[{type(self).__name__}]"}
    widgets.Widget._repr_mimebundle_ = bundle


def static_html(widget) -> str:
    """What a widget shows, as HTML: its text, cards and tables, its charts as site charts, and a note naming the
    controls that need the live version. A quiz becomes the site's browser quiz.
    """
    from .dashboard import ProgressDashboard
    from .quiz import Quiz

    if isinstance(widget, Quiz):
        from .webquiz import quiz_placeholder_html

        return quiz_placeholder_html(widget.bank.topic)
    if isinstance(widget, ProgressDashboard):
        return (CSS + '<div class="vd-card vd-live-note"><p>On this website, your quiz answers are kept in this '
                "browser. Each quiz has <b>Export my answers</b>: import the file with the progress dashboard of the "
                "live version (JupyterLab), or hand it to your teacher.</p></div>")
    controls = [c for c in _tree(widget) if isinstance(c, CONTROLS)]
    names = list(dict.fromkeys(_control_name(c) for c in controls if _control_name(c)))
    note = ""
    if controls:
        what = f" ({', '.join(names)})" if names else ""
        note = (f'<p class="vd-live-note">This view is interactive in the live version{esc(what)}. Here it shows '
                f"its default view. {LIVE_LINK}</p>")
    return f'<div class="vd-static">{note}{_render(widget)}</div>'


def _tree(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _tree(child)


def _control_name(control) -> str:
    return (getattr(control, "description", "") or getattr(control, "placeholder", "") or "").strip()


def _render(widget) -> str:
    if isinstance(widget, widgets.Output):
        return "".join(_output_html(o) for o in widget.outputs)
    if isinstance(widget, widgets.HTML | widgets.HTMLMath):
        return widget.value
    if isinstance(widget, widgets.Label):
        return f"<p>{esc(widget.value)}</p>"
    if isinstance(widget, widgets.Box):
        return "".join(_render(child) for child in widget.children)
    return ""


def _output_html(output: dict) -> str:
    data = output.get("data", {})
    if PLOTLY_MIME in data:
        return chart_html(data[PLOTLY_MIME])
    if "text/html" in data:
        return data["text/html"]
    if "application/javascript" in data:
        return ""  # the map outlines: the site serves them as a file
    text = data.get("text/plain") or output.get("text") or ""
    return f"<pre>{esc(text)}</pre>" if text else ""


def chart_html(spec: dict) -> str:
    """A plotly figure as a div the site's plotly.js draws, with its spec beside it."""
    title = ((spec.get("layout") or {}).get("title") or {}).get("text") or "chart"
    label = re.sub(r"<[^>]+>", " ", str(title))
    chart_id = f"vd-chart-{uuid.uuid4().hex[:12]}"
    return (f'<div class="vd-site-chart" id="{chart_id}" role="figure" aria-label="{esc(label)}"></div>'
            f'<script type="application/json" class="vd-chart-spec" data-for="{chart_id}">'
            f"{script_json({'data': spec.get('data', []), 'layout': spec.get('layout', {})})}</script>")


# ---- Executing the notebooks for the site -------------------------------------------------------------------------

def executed_for_site(path: Path, progress_store: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """A notebook run with static widget output and an empty progress store, code hidden, ready for the book."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(STATIC_CELL))
    previous = os.environ.get("VNDIPLOMACY_PROGRESS")
    os.environ["VNDIPLOMACY_PROGRESS"] = str(progress_store)
    try:
        # The kernel's own stderr (shutdown chatter) stays out of the build's output; a failing cell still stops it.
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute(stderr=subprocess.DEVNULL)
    finally:
        if previous is None:
            os.environ.pop("VNDIPLOMACY_PROGRESS", None)
        else:
            os.environ["VNDIPLOMACY_PROGRESS"] = previous
    nb.cells.pop(0)
    nb.metadata.pop("widgets", None)
    notebook_file = path.resolve().relative_to(course_root().resolve()).as_posix()
    live = (f'<a class="vd-launch" href="{html.escape(_binder_lab(notebook_file))}" rel="noopener">Open this notebook '
            "live (Binder)</a>")
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.setdefault("tags", []).append("remove-input")
        # vd.setup()'s progress bar is for a live kernel: the site's data was checked when it was built.
        cell.outputs = [] if "vd.setup()" in cell.source else [_site_output(o, live) for o in cell.outputs]
        if any(o.get("output_type") == "error" for o in cell.outputs):
            raise RuntimeError(f"{path.name}: a cell failed while building the site")
    return nb


def _site_output(output, live_link: str):
    data = output.get("data")
    if data:
        data.pop(WIDGET_MIME, None)
        if "text/html" in data:
            data["text/html"] = data["text/html"].replace(LIVE_LINK, live_link)
    return output


# ---- The book's pages ---------------------------------------------------------------------------------------------

def links() -> dict:
    """The course's addresses from course.yml: repository, branch, Binder and the JupyterHub of the launch buttons."""
    return course().links


def launch_html(notebook_file: str) -> str:
    """Launch buttons for one notebook: Binder in JupyterLab, Binder as a Voila app, and the course's JupyterHub."""
    from .hub import pull_link

    where = links()
    repository = where["repository"].rstrip("/")
    binder = f"{where['binder'].rstrip('/')}/v2/gh/{repository.split('github.com/', 1)[-1]}/{where['branch']}"
    buttons = [("Open in JupyterLab (Binder)", f"{binder}?urlpath={quote(f'lab/tree/{notebook_file}', safe='')}"),
               ("Open as an app (Binder, Voila)", f"{binder}?urlpath={quote(f'voila/render/{notebook_file}', safe='')}"),
               ("Open on your JupyterHub", pull_link(where["hub"], notebook_file))]
    items = "".join(f'<a class="vd-launch" href="{html.escape(url)}" rel="noopener">{esc(text)}</a>'
                    for text, url in buttons)
    return (f'<nav class="vd-launch-bar" aria-label="Run this page live">{items}'
            "<span> Filters, maps and charts respond to you in the live version; here they show their default.</span>"
            "</nav>")


def _with_launch_bar(nb: nbformat.NotebookNode, notebook_file: str) -> nbformat.NotebookNode:
    title = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.lstrip().startswith("# "))
    nb.cells.insert(title + 1, nbformat.v4.new_markdown_cell(launch_html(notebook_file)))
    return nb


def _relink(nb: nbformat.NotebookNode, on_site: set[str]) -> None:
    """Links to notebooks that are not pages of the site (exercises, the teacher's) go to their live version."""
    def fix(match):
        text, target = match.group(1), match.group(2)
        name = Path(target.split("#")[0]).name
        if not name.endswith(".ipynb") or name in on_site or target.startswith("http"):
            return match.group(0)
        folder = "exercises" if "exercises" in target else "notebooks"
        return f"[{text}]({_binder_lab(f'{folder}/{name}')})"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", fix, cell.source)


def _binder_lab(notebook_file: str) -> str:
    where = links()
    repository = where["repository"].rstrip("/").split("github.com/", 1)[-1]
    return (f"{where['binder'].rstrip('/')}/v2/gh/{repository}/{where['branch']}"
            f"?urlpath={quote(f'lab/tree/{notebook_file}', safe='')}")


def index_page() -> str:
    """The landing page: the course map, the launch buttons, and how the site and the live version differ."""
    from .course import course_map_html

    first = course().notebooks[0].file
    return (f"# {course().title}\n\n{launch_html(first)}\n\n"
            "This is the website edition of the course: read every notebook, see every chart and card, and test "
            "yourself with every quiz, with no installation. Your quiz answers stay in this browser. To filter the "
            "views, run the code or do the exercises, open the live version with a launch button.\n\n"
            "## The notebooks\n\n" + _raw(course_map_html().replace('target="_blank" rel="noopener"', "")
                                           .replace('.ipynb"', '.html"')) + "\n")


def _raw(markup: str) -> str:
    """HTML for a Markdown page, on one line per block so that Markdown leaves it alone."""
    return "\n".join(line for line in markup.splitlines() if line.strip())


def glossary_page() -> str:
    """Every glossary term, English and Vietnamese, searchable in the page."""
    from .data import load_table

    terms = load_table("glossary").sort_values("term")
    rows = "".join(f'<tr><th scope="row">{esc(r.term)}</th><td lang="vi">{esc(r.vietnamese)}</td>'
                   f"<td>{esc(r.definition)}</td><td>{esc(citation(r.cites))}</td></tr>" for r in terms.itertuples())
    return ("# Glossary\n\nThe course's terms in English and Vietnamese. Type in the box to filter; case and "
            "diacritics do not matter.\n\n"
            '<p><label for="vd-glossary-filter">Search the glossary</label> '
            '<input id="vd-glossary-filter" class="vd-site-filter" type="search" data-filter="vd-glossary-table" '
            'placeholder="e.g. pillar or đối ngoại"> <span class="vd-filter-count" aria-live="polite"></span></p>\n\n'
            + _raw(CSS + scroll_box('<table class="vd-table" id="vd-glossary-table"><thead><tr>'
                                    '<th scope="col">Term</th><th scope="col">Vietnamese</th><th scope="col">'
                                    f'Definition</th><th scope="col">Source</th></tr></thead><tbody>{rows}</tbody>'
                                    "</table>", "Glossary")) + "\n")


def sources_page() -> str:
    """The five sources side by side, each with its perspective, then each full citation."""
    from .course import readings_html, sources_table_html
    from .data import load_table

    ids = list(load_table("sources")["id"])
    return ("# The sources\n\nThe course is built on five documents. Each speaks from a perspective: read them as "
            "evidence of what that voice says, not as neutral accounts.\n\n" + _raw(sources_table_html()) + "\n\n"
            "## Full citations\n\n" + _raw(readings_html(*ids)) + "\n")


def discrepancies_page() -> str:
    """Where the sources disagree or are unclear, every entry, as the discrepancy explorer shows them all."""
    from .views import DiscrepancyExplorer

    return ("# Where the sources disagree\n\nEvery place where the sources disagree, or where a date or footnote "
            "does not fit. For each, decide how you would handle it before you open the course's reading.\n\n"
            + _raw(DiscrepancyExplorer().grid.value) + "\n")


def markdown_copy(path: Path, title: str | None = None) -> str:
    """A Markdown file of the course as a page (the data dictionary, the teacher guide)."""
    text = path.read_text(encoding="utf-8")
    return text if title is None else re.sub(r"\A# .+", f"# {title}", text, count=1)


def book_config() -> dict:
    """Jupyter Book's _config.yml: no execution (the notebooks arrive executed), no CDN, local assets."""
    return {
        "title": course().title,
        "author": "The course's authors",
        "copyright": "the course's authors; content CC BY 4.0, code MIT",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "off"},
        "parse": {"myst_enable_extensions": ["colon_fence"]},
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False,
                 "use_multitoc_numbering": False, "home_page_in_navbar": True},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": ""},
        "sphinx": {"config": {
            "html_static_path": ["_static"],
            "html_js_files": ["plotly.min.js", "site.js", "quiz.js"],
            "html_css_files": ["site.css", "quiz.css"],
            "html_show_sourcelink": False,
            "nb_mime_priority_overrides": [["html", WIDGET_MIME, None]],
            "suppress_warnings": ["myst.header", "mystnb.unknown_mime_type"],
            "html_theme_options": {"search_bar_text": "Search the course…"},
            "html_context": {"default_mode": "light"},  # the theme's light/dark switch needs a starting mode
        }},
    }


def table_of_contents(pages: list[str]) -> dict:
    """Jupyter Book's _toc.yml: the landing page, then the pages in order."""
    return {"format": "jb-book", "root": "index", "chapters": [{"file": p} for p in pages]}


def write_book(source: Path, progress_store: Path, report=print) -> list[str]:
    """Write the book's source folder: executed notebooks, pages, config, table of contents and assets."""
    root = course_root()
    source.mkdir(parents=True, exist_ok=True)
    entries = [*course().notebooks, *course().apps]
    on_site = {Path(e.file).name for e in entries}
    pages = []
    for number, entry in enumerate(entries, start=1):
        started = time.monotonic()
        nb = executed_for_site(root / entry.file, progress_store)
        _relink(nb, on_site)
        name = Path(entry.file).stem
        nbformat.write(_with_launch_bar(nb, entry.file), source / f"{name}.ipynb")
        pages.append(name)
        report(f"  [{number}/{len(entries)}] {entry.file} ran in {time.monotonic() - started:.0f} s")
    extra = {"glossary": glossary_page(), "sources": sources_page(), "discrepancies": discrepancies_page(),
             "data": markdown_copy(data_dir() / "README.md", "The data dictionary"),
             "teacher_guide": markdown_copy(root / "teacher" / "guide.md")}
    for name, text in extra.items():
        # Each page's launch buttons open the notebook where its content is live: the teacher's dashboard for the
        # guide, the start notebook (readings, sources, glossary, discrepancies) for the others.
        live = course().teacher[0].file if name == "teacher_guide" else course().notebooks[0].file
        title, _, body = text.partition("\n")
        text = f"{title}\n\n{launch_html(live)}\n{body}"
        (source / f"{name}.md").write_text(text, encoding="utf-8")
        pages.append(name)
    (source / "index.md").write_text(index_page(), encoding="utf-8")
    (source / "_config.yml").write_text(yaml.safe_dump(book_config(), sort_keys=False, allow_unicode=True), "utf-8")
    (source / "_toc.yml").write_text(yaml.safe_dump(table_of_contents(pages), sort_keys=False), encoding="utf-8")
    static = source / "_static"
    (static / "maps").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_plotly_js(), static / "plotly.min.js")
    for asset in WEB_ASSETS.glob("*.*"):
        shutil.copyfile(asset, static / asset.name)
    shutil.copyfile(data_dir() / "maps" / "world_110m.json", static / "maps" / "world_110m.json")
    return pages


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def build(out: Path | None = None, report=print) -> Path:
    """Build the site into ``out`` (default: _site/ in the course folder); returns the folder."""
    out = Path(out or course_root() / SITE_FOLDER)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vd-site-") as tmp:
        source, store = Path(tmp) / "book", Path(tmp) / "empty_progress.sqlite"
        report(f"Running {len(course().notebooks) + len(course().apps)} notebooks for the site "
               "(an empty progress store; widgets as static pages)…")
        write_book(source, store, report)
        report("Building the HTML with Jupyter Book…")
        result = subprocess.run([str(Path(sys.executable).with_name("jupyter-book")), "build", str(source),
                                 "--path-output", tmp, "--quiet"], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"jupyter-book build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(Path(tmp) / "_build" / "html", out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    report(f"Built {out} in {time.monotonic() - started:.0f} s: {size / 1e6:.1f} MB. Open {out / 'index.html'}, or "
           f"serve it: python -m http.server --directory {out}")
    return out


def main(argv: list[str]) -> int:
    """Command line: ``build [OUT]``."""
    if argv[:1] != ["build"]:
        print("usage: python -m vndiplomacy.website build [OUT]")
        return 2
    build(Path(argv[1]) if len(argv) > 1 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
