"""course.yml lists the course once; the package finds the course folder however it was installed."""
import re
import shutil

import pytest
from course_paths import ROOT

from vndiplomacy import charts, manifest, paths
from vndiplomacy.data import descriptor, table_names
from vndiplomacy.manifest import ManifestError, course, learner_notebooks, topic_ids

HEADER = ("title: T\nlinks: {repository: https://example.org/r, branch: main, binder: https://binder.example.org, "
          "hub: https://hub.example.org}\ntopics:\n  - {id: history, label: History}\nnotebooks:\n")
GOOD_ENTRY = ("  - file: notebooks/01_history.ipynb\n    title: History\n    minutes: 120\n    topic: history\n"
              "    readings: [dd-early-afar]\n")


@pytest.fixture
def course_copy(tmp_path, monkeypatch):
    """A course folder whose course.yml a test may break (the data is the real one)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setenv(paths.COURSE_VARIABLE, str(tmp_path))

    def write(text):
        (tmp_path / "course.yml").write_text(text, encoding="utf-8")
        return tmp_path / "course.yml"
    return write


@pytest.mark.parametrize(("entry", "where", "says"), [
    (GOOD_ENTRY.replace("    minutes: 120\n", ""), "field 'minutes'", "required"),
    (GOOD_ENTRY.replace("minutes: 120", "minutes: two hours"), "field 'minutes'", "must be a int"),
    (GOOD_ENTRY.replace("topic: history", "topic: defense"), "field 'topic'", "'defense' is not one of the topics"),
    (GOOD_ENTRY + "    quizz: 01_history\n", "field 'quizz'", "unknown field"),
    (GOOD_ENTRY + GOOD_ENTRY, "", "listed twice: notebooks/01_history.ipynb"),
])
def test_a_malformed_manifest_is_named_with_its_entry_and_field(course_copy, entry, where, says):
    path = course_copy(HEADER + entry)
    with pytest.raises(ManifestError) as err:
        course()
    assert str(err.value).startswith(str(path)) and where in str(err.value) and says in str(err.value), err.value


def test_the_launch_addresses_are_required(course_copy):
    course_copy(HEADER.replace("hub: https://hub.example.org", "hub: ''") + GOOD_ENTRY)
    with pytest.raises(ManifestError, match="links needs repository, branch, binder, hub; missing or empty: hub"):
        course()


def test_an_edited_manifest_is_read_again(course_copy):
    course_copy(HEADER + GOOD_ENTRY)
    assert [n.title for n in learner_notebooks()] == ["History"]
    path = course_copy(HEADER.replace("label: History", "label: Our history")
                       + GOOD_ENTRY.replace("title: History", "title: Then and now, at length"))
    assert [n.title for n in learner_notebooks()] == ["Then and now, at length"], path
    assert charts.topic_label("history") == "Our history"


def test_the_course_lists_its_topics_in_order_with_labels():
    assert topic_ids() == ["history", "pillars", "defence", "congress14"]
    assert [charts.topic_label(t) for t in topic_ids()] == [t.label for t in course().topics]


def test_no_source_file_types_the_course_lists_again():
    """Topics and notebook names live in course.yml; the package and the data schema only read them."""
    stems = [n.name for n in learner_notebooks()]
    for path in sorted((ROOT / "src").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        topics = [t for t in topic_ids() if re.search(rf"['\"]{t}['\"]", text)]
        named = [s for s in stems if s in text]
        assert len(topics) < 2 and len(named) < 2, f"{path.relative_to(ROOT)} lists {topics or named}"
    field = next(f for f in descriptor()["resources"][table_names().index("events")]["schema"]["fields"]
                 if f["name"] == "topics")
    assert field["listReference"] == {"course": "topics"} and not any(t in str(field) for t in topic_ids())


def test_the_course_folder_is_found_from_inside_it_when_installed_without_e(tmp_path, monkeypatch):
    site = tmp_path / "site-packages" / "vndiplomacy"
    site.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(site / "paths.py"))
    monkeypatch.delenv(paths.COURSE_VARIABLE, raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert paths.course_root() == ROOT
    monkeypatch.chdir(tmp_path)
    with pytest.raises(paths.CourseNotFound, match=r"pip install -e \.") as err:
        paths.course_root()
    assert paths.COURSE_VARIABLE in str(err.value) and str(tmp_path) in str(err.value)


def test_a_course_folder_set_by_hand_must_be_one(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.COURSE_VARIABLE, str(tmp_path))
    with pytest.raises(paths.CourseNotFound, match="course.yml"):
        paths.course_root()
    monkeypatch.setenv(paths.COURSE_VARIABLE, str(ROOT))
    assert paths.course_root() == ROOT and manifest.notebook("01_history").path == ROOT / "notebooks/01_history.ipynb"


def test_an_unknown_notebook_name_lists_the_notebooks():
    with pytest.raises(KeyError, match="01_history, 02_three_pillars"):
        manifest.notebook("01_histroy")
