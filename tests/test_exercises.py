"""The exercise notebooks: rebuilt identically from the masters, no solutions leaking, every check working.

Notebooks run on copies of ``exercises/`` and ``solutions/`` in a temporary folder (the working
directory is the copy of the notebook's own folder), so the checks' log files (``.OTTER_LOG``) do not
land in the work tree. All notebooks run at once, one kernel each.
"""
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbclient
import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from jupyter_client.manager import KernelManager
from otter.test_files.exception_test import ExceptionTestFile

from vndiplomacy import exercises as ex

ROOT = ex.ROOT
KINDS = (ex.EXERCISES, ex.SOLUTIONS)
NAMES = [p.name for p in ex.master_paths()]
PASSED = "All test cases passed!"
SOLUTION_MARKERS = ("# SOLUTION", "# BEGIN SOLUTION", "# END SOLUTION", "# HIDDEN", "# BEGIN QUESTION", "# BEGIN TESTS",
                    "otter_assign_solution_cell", "Marking rubric")
# Answers of the wrong type a learner might give; every check must turn them into a failed assertion.
WRONG_ANSWERS = {"a string": "oops", "None": None, "an int": 7, "a float": 2.5, "NaN": float("nan"), "a bool": True,
                 "a list": [1, "a"], "a set": {"x"}, "a dict": {"a": 1}, "an Ellipsis": ...,
                 "a DataFrame": pd.DataFrame({"id": ["a"], "date": ["b"], "period": ["c"], "topics": ["d"]}),
                 "a Series of text": pd.Series(["a", "b"], index=["x", "y"]), "an empty figure": go.Figure(),
                 "a bar figure with text": go.Figure(go.Bar(x=["a"], y=["b"])), "an empty bar": go.Figure(go.Bar())}


def load(kind, name, root=ROOT):
    return nbformat.read(root / kind / name, as_version=4)


def checks(nb):
    """The (index, question, output text) of every grader.check cell of an executed notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        match = re.fullmatch(r'grader\.check\("(\w+)"\)', cell.source.strip()) if cell.cell_type == "code" else None
        if match:
            text = "".join(o.get("data", {}).get("text/plain", o.get("text", "")) for o in cell.outputs)
            found.append((index, match.group(1), text))
    return found


def errors(nb):
    """The (index, message) of every cell that raised an error."""
    return [(i, f"{o.ename}: {o.evalue}") for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.outputs if o.output_type == "error"]


def test_there_is_a_master_per_topic():
    topics = ["01_history", "02_three_pillars", "03_defence_diplomacy", "04_14th_congress", "05_synthesis"]
    assert [n.removesuffix("_exercises.ipynb") for n in NAMES] == topics


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory):
    dest = tmp_path_factory.mktemp("rebuilt")
    ex.build(dest)
    return dest


@pytest.mark.parametrize("kind", KINDS)
def test_committed_notebooks_match_the_masters(rebuilt, kind):
    committed = {p.name for p in (ROOT / kind).glob("*.ipynb")}
    fresh = {p.name for p in (rebuilt / kind).glob("*.ipynb")}
    assert committed == fresh, (f"{kind}/: missing {sorted(fresh - committed)}, not from a master "
                                f"{sorted(committed - fresh)}; run `make exercises`")
    differing = [f"{kind}/{n}" for n in sorted(fresh) if (ROOT / kind / n).read_bytes() != (rebuilt / kind / n).read_bytes()]
    assert not differing, f"these files differ from what the masters build (run `make exercises`): {differing}"


def test_building_twice_gives_identical_files(rebuilt, tmp_path):
    ex.build(tmp_path, masters=ex.master_paths()[:1])
    for kind in KINDS:
        name = NAMES[0]
        assert (tmp_path / kind / name).read_bytes() == (rebuilt / kind / name).read_bytes(), f"{kind}/{name} changed"


def hidden_test_names(solution):
    return {name for source in solution.metadata["otter"]["tests"].values()
            for name in re.findall(r"hidden=True\)\ndef (\w+)", source)}


@pytest.mark.parametrize("name", NAMES)
def test_exercises_hold_no_solution_or_hidden_test(name):
    text = (ROOT / ex.EXERCISES / name).read_text(encoding="utf-8")
    solution = load(ex.SOLUTIONS, name)
    hidden = hidden_test_names(solution)
    assert hidden, f"solutions/{name} has no hidden tests"
    leaked = [m for m in SOLUTION_MARKERS if m in text] + sorted(h for h in hidden if h in text)
    answer_lines = {line.split("# SOLUTION")[0].strip() for cell in solution.cells
                    if "otter_assign_solution_cell" in cell.metadata.get("tags", [])
                    for line in cell.source.splitlines() if "# SOLUTION" in line}
    leaked += sorted(code for code in answer_lines if ("=" in code or "(" in code) and code in text)
    assert not leaked, f"exercises/{name} shows solution material: {leaked}"
    assert "hidden=True" not in text, f"exercises/{name} carries a hidden test"


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Every exercise and solution notebook, run in a copy of its folder: {(kind, name): notebook}."""
    work = tmp_path_factory.mktemp("run")
    for kind in KINDS:
        shutil.copytree(ROOT / kind, work / kind)

    def run(key):
        kind, name = key
        nb = load(kind, name, work)
        # Kernels talk over local sockets, not TCP ports: kernels started together can race for the same free port.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(work / f"{kind[:3]}{name[:2]}"))
        nbclient.NotebookClient(nb, km=kernel, timeout=120, allow_errors=True,
                                resources={"metadata": {"path": str(work / kind)}}).execute()
        return nb

    keys = [(kind, name) for kind in KINDS for name in NAMES]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(keys, pool.map(run, keys), strict=True))


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_solutions_run_and_pass_every_check(executed, name):
    nb = executed[(ex.SOLUTIONS, name)]
    assert not errors(nb), f"solutions/{name}: cells raised errors: {errors(nb)}"
    found = checks(nb)
    assert len(found) >= 5, f"solutions/{name}: only {len(found)} checked exercises"
    failed = [f"cell {i} ({q}): {text}" for i, q, text in found if PASSED not in text]
    assert not failed, f"solutions/{name}: checks not passed:\n" + "\n".join(failed)


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_exercises_run_and_their_checks_give_hints(executed, name):
    nb = executed[(ex.EXERCISES, name)]
    assert not errors(nb), f"exercises/{name}: cells raised errors: {errors(nb)}"
    found = checks(nb)
    assert [q for _, q, _ in found] == [q for _, q, _ in checks(executed[(ex.SOLUTIONS, name)])], \
        f"exercises/{name}: not the same checks as the solution"
    passed = [f"cell {i} ({q})" for i, q, text in found if PASSED in text]
    assert not passed, f"exercises/{name}: checks pass on the empty answers: {passed}"
    no_hint = [f"cell {i} ({q}): {text}" for i, q, text in found if "Hint:" not in text]
    assert not no_hint, f"exercises/{name}: failed checks without a hint:\n" + "\n".join(no_hint)


@pytest.mark.parametrize("name", NAMES)
def test_checks_turn_wrong_types_into_hints(name):
    """Every test, public and hidden, fails with an assertion (a hint for public ones), never a crash."""
    problems = []
    for question, source in load(ex.SOLUTIONS, name).metadata["otter"]["tests"].items():
        tests = ExceptionTestFile.from_string(source, path=name)
        params = {p for case in tests.test_cases for p in case.body._get_func_params()}
        for label, answer in WRONG_ANSWERS.items():
            tests.run(dict.fromkeys(params, answer))
            for result in tests.test_case_results:
                case, last = result.test_case, result.message.strip().splitlines()[-1]
                if result.passed:  # a public check may accept a plausible value of the right type
                    problems += [f"{question} / {case.name} passes with {label}"] if case.hidden else []
                elif not last.startswith("AssertionError"):
                    problems.append(f"{question} / {case.name} with {label}: {last}")
                elif not case.hidden and "Hint:" not in last:
                    problems.append(f"{question} / {case.name} with {label}: no hint in {last}")
    assert not problems, f"solutions/{name}:\n" + "\n".join(problems)


@pytest.mark.notebooks
def test_teacher_grading_commands(tmp_path):
    name = NAMES[0]
    assert ex.main(["autograder", str(tmp_path / "zips")]) == 0
    assert sorted(p.name for p in (tmp_path / "zips").glob("*.zip")) == [f"{Path(n).stem}-autograder.zip" for n in NAMES]
    submissions = [tmp_path / "broken.ipynb"]
    submissions[0].write_text("not a notebook", encoding="utf-8")
    for kind in KINDS:
        submissions.append(tmp_path / f"{kind}.ipynb")
        shutil.copy(ROOT / kind / name, submissions[-1])
    out = tmp_path / "grades.csv"
    assert ex.main(["grade", name.split("_exercises")[0], *map(str, submissions), "--out", str(out)]) == 0
    grades = pd.read_csv(out).set_index("submission").fillna({"problem": ""})
    assert grades.loc["solutions.ipynb", "checked_total"] == grades.loc["solutions.ipynb", "checked_possible"] > 0
    assert grades.loc["exercises.ipynb", "checked_total"] == 0
    assert grades.loc["broken.ipynb", "checked_total"] == 0 and "JSON" in grades.loc["broken.ipynb", "problem"]
    assert grades.loc["solutions.ipynb", "problem"] == grades.loc["exercises.ipynb", "problem"] == ""
    written = ex.written_questions(name)
    assert written and all(f"{q} (written, out of {p})" in grades.columns for q, p in written.items())
