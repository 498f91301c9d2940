"""The website edition's pieces, kernel-side: widgets as static HTML, chart specs, launch buttons, links."""
import json
import re

import nbformat
import pytest

import vndiplomacy as vd
from vndiplomacy import views, website
from vndiplomacy.manifest import course

VIEW_CALLS = {"timeline_explorer": (), "congress_stepper": (), "pillars_explorer": (), "figures_dashboard": (),
              "country_map": (), "instruments_comparison": (), "nos_cards": (), "glossary_lookup": (),
              "discrepancy_explorer": (), "documents_table": (), "timeline_chart": (), "source_coverage": (),
              "coordination_cards": (), "readings": ("01_history",), "sources_overview": ()}


def charts_in(widget):
    return [o for w in website._tree(widget) if isinstance(w, views.widgets.Output) for o in w.outputs
            if views.PLOTLY_MIME in o.get("data", {})]


def html_in(widget):
    return [w.value for w in website._tree(widget) if isinstance(w, views.widgets.HTML) and w.value]


@pytest.mark.parametrize("call", sorted(VIEW_CALLS))
def test_a_view_shows_statically_everything_it_shows_live(call):
    widget = getattr(vd, call)(*VIEW_CALLS[call])
    page = website.static_html(widget)
    assert all(value in page for value in html_in(widget)), "an HTML part of the view is missing"
    assert page.count('class="vd-site-chart"') == len(charts_in(widget))
    controls = [w for w in website._tree(widget) if isinstance(w, website.CONTROLS)]
    assert ("interactive in the live version" in page) == bool(controls)
    for control in controls:
        if website._control_name(control):
            assert website._control_name(control) in page.split("</p>")[0], f"the note does not name {control}"


def test_a_chart_spec_cannot_close_its_script_element():
    spec = {"data": [{"type": "bar", "name": "</script><script>alert(1)</script>"}],
            "layout": {"title": {"text": "A <b>bold</b> title"}}}
    markup = website.chart_html(spec)
    assert markup.count("</script>") == 1 and "<script>alert" not in markup
    payload = markup.split('data-for="', 1)[1].split(">", 1)[1].rsplit("</script>", 1)[0]
    assert json.loads(payload)["data"][0]["name"] == spec["data"][0]["name"]
    assert 'aria-label="A  bold  title"' in markup


def test_the_quiz_becomes_the_browser_quiz_and_the_dashboard_says_where_answers_are(tmp_path):
    from vndiplomacy.dashboard import ProgressDashboard
    from vndiplomacy.progress import ProgressStore
    from vndiplomacy.quiz import quiz

    page = website.static_html(quiz("02_three_pillars", store=ProgressStore(tmp_path / "p.sqlite")))
    assert 'class="vd-site-quiz" data-bank="02_three_pillars"' in page
    dashboard = website.static_html(ProgressDashboard(ProgressStore(tmp_path / "p.sqlite")))
    assert "kept in this browser" in dashboard and "Export my answers" in dashboard


def test_launch_buttons_open_binder_and_the_hub_course_yml_names():
    bar = website.launch_html("notebooks/03_defence_diplomacy.ipynb")
    links = re.findall(r'href="([^"]+)"', bar)
    assert len(links) == 3
    assert links[0].startswith(course().links["binder"])
    assert "lab%2Ftree%2Fnotebooks%2F03_defence_diplomacy.ipynb" in links[0]
    assert "voila%2Frender%2Fnotebooks%2F03_defence_diplomacy.ipynb" in links[1]
    assert links[2].startswith(course().links["hub"] + "/hub/user-redirect/git-pull?")


def test_links_to_notebooks_off_the_site_open_the_live_version():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Next: [notebook 02](02_three_pillars.ipynb), then [the exercises](../exercises/01_history_exercises.ipynb) "
        "and [the web](https://example.org/page.ipynb).")])
    website._relink(nb, {"02_three_pillars.ipynb"})
    text = nb.cells[0].source
    assert "[notebook 02](02_three_pillars.ipynb)" in text and "(https://example.org/page.ipynb)" in text
    assert "[the exercises](https://mybinder.org/v2/gh/" in text and "exercises%2F01_history_exercises.ipynb" in text


def test_the_book_config_serves_its_own_scripts_and_no_widget_manager():
    config = website.book_config()["sphinx"]["config"]
    assert config["html_js_files"] == ["plotly.min.js", "site.js", "quiz.js"]
    assert all(not str(f).startswith("http") for f in config["html_js_files"] + config["html_css_files"])
    assert website.book_config()["execute"]["execute_notebooks"] == "off"
    toc = website.table_of_contents(["a", "b"])
    assert toc["root"] == "index" and [c["file"] for c in toc["chapters"]] == ["a", "b"]


def test_the_build_puts_the_notebooks_live_link_into_each_views_note():
    page = website.static_html(vd.glossary_lookup())
    assert website.LIVE_LINK in page
    output = website._site_output({"output_type": "execute_result", "data": {
        "text/html": page, website.WIDGET_MIME: {"model_id": "x"}, "text/plain": "[GlossaryLookup]"}},
        '<a href="https://binder.example/x">Open this notebook live</a>')
    assert website.WIDGET_MIME not in output["data"] and website.LIVE_LINK not in output["data"]["text/html"]
    assert '<a href="https://binder.example/x">Open this notebook live</a></p>' in output["data"]["text/html"]
