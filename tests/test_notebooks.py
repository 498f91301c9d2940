"""Every notebook: committed clean, follows the skeleton, and runs top to bottom."""
import re

import nbformat
import pytest
from course_paths import ROOT
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from vndiplomacy.data import load_table
from vndiplomacy.manifest import course, learner_notebooks
from vndiplomacy.notebooks import cells_with_outputs, course_notebooks, has_widget_state, skeleton_problems

ALL = course_notebooks()
LEARNER = course_notebooks(("notebooks",))
EXECUTED_HERE = course_notebooks(("notebooks", "apps", "teacher"))


def name(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL, ids=name)
def test_committed_without_outputs(path):
    cells = cells_with_outputs(path)
    assert not cells, f"{name(path)}: outputs in cells {cells}; run make clean-notebooks"
    assert not has_widget_state(path), f"{name(path)}: saved widget state; run make clean-notebooks"


@pytest.mark.parametrize("path", LEARNER, ids=name)
def test_follows_the_skeleton(path):
    assert not skeleton_problems(path), f"{name(path)}: {skeleton_problems(path)}"


def test_course_yml_lists_every_notebook_and_nothing_else():
    listed = sorted(ROOT / n.file for n in (*course().notebooks, *course().apps, *course().teacher))
    assert listed == course_notebooks(("notebooks", "apps", "teacher")), "course.yml and the notebook folders differ"


def code_cells(path):
    return ["".join(c.source).strip() for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("entry", learner_notebooks(), ids=lambda n: n.name)
def test_each_notebook_matches_its_course_yml_entry(entry):
    from vndiplomacy.course import stated_minutes
    from vndiplomacy.notebooks import headings

    assert headings(entry.path)[0] == (1, entry.title), f"{entry.name}: its title differs from course.yml"
    assert stated_minutes(entry.path) == entry.minutes, f"{entry.name}: its time to learn differs from course.yml"
    calls = code_cells(entry.path)
    assert f'vd.readings("{entry.name}")' in calls, f"{entry.name} must show the readings course.yml lists"
    quizzes = [c for c in calls if c.startswith("vd.quiz(")]
    assert quizzes == ([f'vd.quiz("{entry.quiz}")'] if entry.quiz else []), f"{entry.name}: {quizzes}"
    assert set(entry.readings) <= set(load_table("sources")["id"]), f"{entry.name}: a reading is not a source"


def execute(path, timeout=300):
    """Run a notebook in its own folder; on error, say which notebook and cell."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
        pytest.fail(f"{name(path)}, cell {index}: {str(error).splitlines()[-1] if str(error) else error}")
    return nb


@pytest.mark.notebooks
@pytest.mark.parametrize("path", EXECUTED_HERE, ids=name)
def test_runs_top_to_bottom_without_error(path, tmp_path, monkeypatch):
    monkeypatch.setenv("VNDIPLOMACY_PROGRESS", str(tmp_path / "progress.sqlite"))
    nb = execute(path)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{name(path)}, cell {index}: {output.get('ename')}"
            text = output.get("text", "") if output.get("name") == "stderr" else ""
            assert not text.strip(), f"{name(path)}, cell {index} wrote to stderr: {text[:300]}"


def test_each_notebook_states_its_time_to_learn_as_computed():
    """Time to learn comes from the words, views, prompts and quiz (course.time_to_learn); the report lists each
    notebook and flags those past an hour."""
    from vndiplomacy.course import time_to_learn

    report = ["# Time to learn, computed", ""]
    for entry in learner_notebooks():
        path, stated = entry.path, entry.minutes
        computed = time_to_learn(path)
        over = " — over an hour" if computed["total"] > 60 else ""
        report.append(f"- {path.stem}: {computed['total']} min (reading {computed['reading']}, activities "
                      f"{computed['activities']}, quiz {computed['quiz']}){over}")
        assert stated is not None and abs(stated - computed["total"]) <= 5, f"{path.name}: {stated} vs {computed}"
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "time_to_learn.md").write_text("\n".join(report) + "\n", encoding="utf-8")


def test_maintainers_notes_do_not_count_as_reading(tmp_path):
    from vndiplomacy.course import time_to_learn

    def notebook(text):
        path = tmp_path / f"{len(text)}.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)]), path)
        return time_to_learn(path)

    prose = "word " * 900
    note = "<!-- checked: " + " ; ".join(f"https://example.org/page-{n} words in a note" for n in range(300)) + " -->"
    assert notebook(prose)["reading"] == 5
    assert notebook(prose + note) == notebook(prose)


def test_the_teacher_guide_states_the_same_times_as_course_yml():
    guide = (ROOT / "teacher" / "guide.md").read_text(encoding="utf-8")
    for entry in learner_notebooks()[1:]:
        plan = re.split(rf"^### Notebook {entry.name[:2]}\b", guide, maxsplit=1, flags=re.M)[1]
        covers = re.search(r"\*\*What it covers\.\*\* About (\d+) minutes", plan)
        assert covers and int(covers[1]) == entry.minutes, f"guide vs {entry.name}: {covers and covers[1]}"
