"""One configuration for every way of starting the course: installed into the environment, read by make lab,
make voila, the browser tests, Binder (postBuild) and a hub image."""
import json

from course_paths import ROOT

from vndiplomacy import launch

CONFIG = ROOT / "jupyter-config"


def test_the_environment_running_the_tests_has_the_course_configuration():
    assert launch.stale_config() == [], "run `make setup` (it installs jupyter-config/ into the environment)"


def test_install_config_writes_every_file_and_a_changed_file_is_noticed(tmp_path):
    written = launch.install_config(tmp_path)
    assert len(written) == len(launch.INSTALLED) and launch.stale_config(tmp_path) == []
    settings = tmp_path / "share/jupyter/lab/settings/overrides.json"
    settings.write_text("{}")
    assert launch.stale_config(tmp_path) == ["share/jupyter/lab/settings/overrides.json"]


def test_the_settings_turn_off_the_news_and_save_widget_state():
    overrides = json.loads((CONFIG / "lab-settings/overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    disabled = json.loads((CONFIG / "labconfig/page_config.json").read_text())["disabledExtensions"]
    assert disabled == {"ipylab": True, "jupyterlab-jupytext": True}, "ipylab and jupytext add a failing plugin and tiles"


def test_voila_template_and_server_config_name_the_offline_template():
    for path in ("voila.json", "jupyter_server_config.json"):
        config = json.loads((CONFIG / path).read_text())["VoilaConfiguration"]
        assert any("json" in p for p in config["file_allowlist"])
    assert json.loads((CONFIG / "voila.json").read_text())["VoilaConfiguration"]["template"] == "vndiplomacy"
    server = json.loads((CONFIG / "jupyter_server_config.json").read_text())["ServerApp"]
    assert server["tornado_settings"]["mathjax_url"] is None, "no MathJax from a CDN through the server"
    template = (CONFIG / "voila-template/index.html.j2").read_text()
    assert "fontawesome" in template and "html_head_js_mathjax" in template


def test_lab_serves_the_whole_course_and_lands_on_the_start_notebook():
    command = launch.lab_command(["--port=1"])
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb" in command
    assert not [part for part in command if part.endswith(".ipynb") and not part.startswith("--")]


def test_make_and_binder_use_the_launcher():
    makefile = (ROOT / "Makefile").read_text()
    assert "vndiplomacy.launch lab" in makefile and "vndiplomacy.launch voila" in makefile
    assert "vndiplomacy.launch install-config" in (ROOT / "postBuild").read_text()


def test_voila_takes_the_first_free_port(monkeypatch):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert launch.free_port(taken) != taken
