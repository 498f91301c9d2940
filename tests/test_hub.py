"""The course on a hub: the link teachers give learners, and the settings each learner's server gets."""
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from course_paths import ROOT
from traitlets.config.loader import PyFileConfigLoader

from vndiplomacy import hub


def test_the_pull_link_clones_the_course_into_its_folder_and_opens_the_notebook():
    link = hub.pull_link("https://hub.example.edu/", "notebooks/04_14th_congress.ipynb")
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": [hub.REPOSITORY_URL], "branch": ["main"],
                                     "targetpath": ["vietnam-foreign-policy-course"],
                                     "urlpath": ["lab/tree/vietnam-foreign-policy-course/notebooks/04_14th_congress.ipynb"]}


def test_the_link_command(capsys):
    assert hub.main(["link", "https://hub.example.edu"]) == 0
    assert capsys.readouterr().out.strip() == hub.pull_link("https://hub.example.edu")
    assert hub.main(["link"]) == 2 and "usage" in capsys.readouterr().err


def load_hub_config(monkeypatch, class_folder=""):
    monkeypatch.setenv("VNDIPLOMACY_CLASS_FOLDER", class_folder)
    loader = PyFileConfigLoader("jupyterhub_config.py", path=str(ROOT / "hub"))
    return loader.load_config()


def test_each_learners_kernels_use_their_own_copy_of_the_course(monkeypatch):
    config = load_hub_config(monkeypatch)
    spawner = SimpleNamespace(home_dir="/home/ana", user=SimpleNamespace(name="ana"))
    environment = {name: value(spawner) for name, value in config.Spawner.environment.items()}
    assert environment == {"PYTHONPATH": "/home/ana/vietnam-foreign-policy-course/src"}
    assert config.Spawner.default_url == "/lab"


def test_a_class_folder_set_for_the_hub_reaches_every_learner(monkeypatch):
    config = load_hub_config(monkeypatch, "/srv/vndiplomacy-class")
    spawner = SimpleNamespace(home_dir="/home/binh", user=SimpleNamespace(name="binh"))
    assert config.Spawner.environment["VNDIPLOMACY_CLASS_FOLDER"](spawner) == "/srv/vndiplomacy-class"


def test_the_hub_uses_the_pinned_proxy():
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(ROOT / "hub")).load_config()
    assert config.ConfigurableHTTPProxy.command[0] == str(ROOT / "hub" / "node_modules" / ".bin" /
                                                            "configurable-http-proxy")
