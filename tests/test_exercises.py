"""The exercise notebooks: a no-code track whose visible checks are the whole marking.

Learners write answers, not code; every given result is followed by a question on whether it tells about history or
about the sources; at least half the points of each notebook go to interpretation; every checked part earns its own
point; a failed check shows its hint and no traceback; dated tables are in time order and show each date's precision;
and the committed notebooks are the ones the masters build.

Notebooks run on copies of ``exercises/`` and ``solutions/`` in a temporary folder (the working directory is the copy
of the notebook's own folder), so the checks' log files (``.OTTER_LOG``) do not land in the work tree. All notebooks run
at once, four kernels at a time.
"""
import ast
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbclient
import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from course_paths import ROOT
from jupyter_client.manager import KernelManager
from otter.test_files.exception_test import ExceptionTestFile

from vndiplomacy import exercises as ex
from vndiplomacy.manifest import learner_notebooks

KINDS = (ex.EXERCISES, ex.SOLUTIONS)
NAMES = [p.name for p in ex.master_paths()]
MASTERS = {name: ex.master_questions(ROOT / "masters" / name) for name in NAMES}
PASSED = "All test cases passed!"
TRACEBACK = ("Traceback", "Error at line", "AssertionError", "Test case failed", "assert ")
SOLUTION_MARKERS = ("# SOLUTION", "# BEGIN SOLUTION", "# END SOLUTION", "# HIDDEN", "# BEGIN QUESTION", "# BEGIN TESTS",
                    "otter_assign_solution_cell", "Marking rubric")
HISTORY_OR_SOURCES = "a fact about history or about the sources"
CHOICE_WORDS = {"history", "sources", "yes", "no", "a", "b", "c", "both", "breakthrough", "continuation"}
LABELS = {"reading the result": "reading", "interpretation": "interpretation", "source work": "interpretation",
          "written answer": "interpretation"}
# Answers of the wrong type a learner might give; every check must fail them with an assertion, never a crash.
WRONG_ANSWERS = {"a string": "oops", "None": None, "an int": 7, "a float": 2.5, "NaN": float("nan"), "a bool": True,
                 "a list": [1, "a"], "a set": {"x"}, "a dict": {"a": 1}, "an Ellipsis": ...,
                 "a DataFrame": pd.DataFrame({"id": ["a"], "date": ["b"], "period": ["c"], "topics": ["d"]}),
                 "a Series of text": pd.Series(["a", "b"], index=["x", "y"]), "an empty figure": go.Figure()}
WRONG = "not the answer"


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


def auto(name):
    return [q for q in MASTERS[name] if not q["manual"]]


def given_cells(name):
    """The code cells a learner is given (everything outside the questions), in order, with their positions."""
    cells, inside = [], False
    for index, cell in enumerate(nbformat.read(ROOT / "masters" / name, as_version=4).cells):
        marker = cell.source.strip().upper()
        if cell.cell_type == "raw" and marker.startswith("# BEGIN QUESTION"):
            inside = True
        elif cell.cell_type == "raw" and marker.startswith("# END QUESTION"):
            inside = False
        elif cell.cell_type == "code" and not inside:
            cells.append((index, cell.source))
    return cells


def shows_a_result(source):
    """Whether a cell's last statement is an expression, which Jupyter shows."""
    body = ast.parse(source).body
    return bool(body) and isinstance(body[-1], ast.Expr)


def test_there_is_a_master_for_each_exercise_notebook_of_the_course():
    listed = [Path(n.exercises).name for n in learner_notebooks() if n.exercises]
    assert listed and NAMES == sorted(listed), "course.yml's exercises and masters/ must name the same notebooks"


# ---- Built from the masters ---------------------------------------------------------------------------------------

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


# ---- Learners write answers, not code -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_learners_write_answers_not_code(name):
    """Every solution cell holds plain values (a number or a text), one per line; no given cell computes an answer."""
    master = nbformat.read(ROOT / "masters" / name, as_version=4)
    problems = []
    for question in MASTERS[name]:
        for cell in question["solution"]:
            if cell.cell_type != "code":
                continue
            for line in filter(str.strip, cell.source.splitlines()):
                match = ex.SOLUTION_LINE.match(line)
                try:
                    value = ast.literal_eval(match[2]) if match else None
                except (ValueError, SyntaxError):
                    value = None
                if not match or isinstance(value, bool) or not isinstance(value, str | int | float):
                    problems.append(f"{question['name']}: not a plain answer: {line!r}")
        if question["manual"] and any(c.cell_type == "code" for c in question["solution"]):
            problems.append(f"{question['name']}: a written question with a code solution")
        if not question["manual"] and not question["answers"]:
            problems.append(f"{question['name']}: a checked question with no answer cell")
    answers = {var for q in MASTERS[name] for var in q["answers"]}
    for _, source in given_cells(name):
        assigned = {t.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
        problems += [f"a given cell assigns the answer {var}" for var in assigned & answers]
    assert not problems, f"masters/{name}:\n" + "\n".join(problems)
    assert ex.solution_answers(master) == {var: value for q in MASTERS[name] for var, value in q["answers"].items()}
    student = load(ex.EXERCISES, name)
    for cell in student.cells:
        if "otter_answer_cell" in cell.metadata.get("tags", []) and cell.cell_type == "code":
            assert all(re.fullmatch(r"\w+ = \.\.\.", line) for line in cell.source.splitlines()), cell.source


@pytest.mark.parametrize("name", NAMES)
def test_every_computed_result_is_followed_by_a_history_or_sources_question(name):
    """After each given cell that shows a result, before the next one or the next section, a question `<q>_reading`
    asks whether the result is a fact about history or about the sources, and checks the answer."""
    cells = nbformat.read(ROOT / "masters" / name, as_version=4).cells
    by_name = {q["name"]: q for q in MASTERS[name]}
    shown = [index for index, source in given_cells(name) if shows_a_result(source)]
    assert shown, f"masters/{name} shows no computed result"
    for start in shown:
        stop = next((i for i in range(start + 1, len(cells)) if i in shown or (
            cells[i].cell_type == "markdown" and re.match(r"## ", cells[i].source))), len(cells))
        asked = [by_name[m[1]] for c in cells[start:stop] if c.cell_type == "raw"
                 for m in [re.search(r"name: (\w+)", c.source)] if m and m[1] in by_name]
        readings = [q for q in asked if q["name"].endswith("_reading") and q["name"] in q["answers"]
                    and q["answers"][q["name"]] in ("history", "sources") and HISTORY_OR_SOURCES in q["prompt"]]
        assert readings, f"masters/{name}: the result of cell {start} is not followed by a history-or-sources question"


@pytest.mark.parametrize("name", NAMES)
def test_at_least_half_the_points_go_to_interpretation(name):
    """Interpretation and source work (judging, attributing, history or sources, written answers) outweigh reading
    numbers off a result; each question states its kind and points, and they agree with the checks and the rubric."""
    points = {"reading": 0, "interpretation": 0}
    for question in MASTERS[name]:
        assert question["skill"] in points, f"{question['name']}: skill {question['skill']!r}"
        points[question["skill"]] += question["points"]
        label = re.match(r"\*\*(\w+)\*\* · ([a-z ]+) · ([\d.]+) points?, (checked automatically|marked by your teacher)",
                         question["prompt"])
        assert label, f"{question['name']}: the prompt does not open with its label: {question['prompt'][:80]!r}"
        assert label[1] == question["name"] and LABELS.get(label[2]) == question["skill"], label[0]
        assert float(label[3]) == question["points"] > 0, f"{label[0]}: the checks or the config give {question['points']}"
        assert (label[4] == "marked by your teacher") == question["manual"], label[0]
        if question["manual"]:
            rubric = "\n".join(c.source for c in question["solution"])
            assert f"Marking rubric ({question['points']:g} point" in rubric, f"{question['name']}: rubric points"
            assert re.search(r"\| *Criterion *\| *Full[^|]*\| *Partial[^|]*\| *None[^|]*\|", rubric), \
                f"{question['name']}: the rubric has no full / partial / none levels"
    assert points["interpretation"] >= points["reading"], f"masters/{name}: {points}"


# ---- Every part earns its own point, and the visible checks are the marking -----------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_checked_part_earns_its_own_point(name):
    problems = []
    for question in auto(name):
        config = question["config"]
        if config.get("all_or_nothing") or "points" in config:
            problems.append(f"{question['name']}: all_or_nothing or question points set; give each part its points")
        checked = [var for part in question["parts"] for var in part["variables"]]
        if sorted(checked) != sorted(question["answers"]):
            problems.append(f"{question['name']}: parts check {checked}, answers are {list(question['answers'])}")
        for part in question["parts"]:
            cfg = part["config"]
            if len(part["variables"]) != 1 or not cfg.get("points", 0) > 0 or cfg.get("hidden"):
                problems.append(f"{question['name']}: a part must check one answer, for points, visibly: "
                                f"{part['source'][:60]}")
            if not (cfg.get("success_message") and cfg.get("failure_message")):
                problems.append(f"{question['name']}: a part without a success and a failure message")
    assert not problems, f"masters/{name}:\n" + "\n".join(problems)
    for kind in KINDS:
        for question, source in load(kind, name).metadata["otter"]["tests"].items():
            tests = ExceptionTestFile.from_string(source, path=name)
            assert not tests.all_or_nothing and len({c.points for c in tests.test_cases} - {1}) == 0, question


@pytest.mark.parametrize("name", NAMES)
def test_no_check_is_hidden_and_no_answer_is_shown(name):
    """Learners run the very checks that grade them; the checks compare with digests, so no answer stands in the file."""
    text = (ROOT / ex.EXERCISES / name).read_text(encoding="utf-8")
    student, solution = load(ex.EXERCISES, name), load(ex.SOLUTIONS, name)
    assert student.metadata["otter"]["tests"] == solution.metadata["otter"]["tests"], "learners' checks differ"
    assert "hidden=True" not in text and "hidden=True" not in (ROOT / ex.SOLUTIONS / name).read_text(encoding="utf-8")
    assert set(student.metadata["otter"]["tests"]) == {q["name"] for q in auto(name)}
    leaked = [m for m in SOLUTION_MARKERS if m in text]
    answer_lines = {line.split("# SOLUTION")[0].strip() for cell in solution.cells
                    if "otter_assign_solution_cell" in cell.metadata.get("tags", []) and cell.cell_type == "code"
                    for line in cell.source.splitlines() if "=" in line}
    leaked += sorted(code for code in answer_lines if code in text)
    assert not leaked, f"exercises/{name} shows solution material: {leaked}"
    for question in auto(name):
        tests = student.metadata["otter"]["tests"][question["name"]]
        assert '"answer:' not in tests and "'answer:" not in tests, f"{question['name']}: a check kept its placeholder"
        for part in question["parts"]:
            var = part["variables"][0]
            value = question["answers"][var]
            if str(value) in CHOICE_WORDS or (isinstance(value, int | float) and value < 10):
                continue  # a short choice or a small number may stand in a hint or a check for other reasons
            alone = rf"(?<![\w-]){re.escape(str(value))}(?![\w-])"
            assert not re.search(alone, tests), f"{var}: the answer {value!r} stands in the checks of {question['name']}"
            assert not re.search(alone, part["config"]["failure_message"]), f"{var}: the hint gives the answer {value!r}"


# ---- Running the notebooks ----------------------------------------------------------------------------------------

def wrong_answers(nb):
    """A copy of a solution notebook in which every answer is wrong."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if "otter_assign_solution_cell" in cell.metadata.get("tags", []) and cell.cell_type == "code":
            names = [line.split(" = ")[0] for line in cell.source.splitlines() if " = " in line]
            cell.source = "\n".join(f'{var} = "{WRONG}"' for var in names)
    return nb


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Every exercise and solution notebook, and every solution with wrong answers, run in a copy of its folder:
    {(kind, name): notebook}, kind being exercises, solutions or wrong."""
    work = tmp_path_factory.mktemp("run")
    for kind in KINDS:
        shutil.copytree(ROOT / kind, work / kind)
    (work / "wrong").mkdir()
    for name in NAMES:
        nbformat.write(wrong_answers(load(ex.SOLUTIONS, name)), work / "wrong" / name)

    def run(key):
        kind, name = key
        nb = load(kind, name, work)
        # Kernels talk over local sockets, not TCP ports: kernels started together can race for the same free port.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(work / f"{kind[:3]}{name[:2]}"))
        nbclient.NotebookClient(nb, km=kernel, timeout=120, allow_errors=True,
                                resources={"metadata": {"path": str(work / kind)}}).execute()
        return nb

    keys = [(kind, name) for kind in (*KINDS, "wrong") for name in NAMES]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # no more kernels at once than cores
        return dict(zip(keys, pool.map(run, keys), strict=True))


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_solutions_run_and_pass_every_check(executed, name):
    nb = executed[(ex.SOLUTIONS, name)]
    assert not errors(nb), f"solutions/{name}: cells raised errors: {errors(nb)}"
    found = checks(nb)
    assert [q for _, q, _ in found] == [q["name"] for q in auto(name)], f"solutions/{name}: not one check per question"
    failed = [f"cell {i} ({q}): {text}" for i, q, text in found if PASSED not in text]
    assert not failed, f"solutions/{name}: checks not passed:\n" + "\n".join(failed)


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_exercises_run_and_ask_for_every_answer(executed, name):
    nb = executed[(ex.EXERCISES, name)]
    assert not errors(nb), f"exercises/{name}: cells raised errors: {errors(nb)}"
    found = checks(nb)
    assert [q for _, q, _ in found] == [q for _, q, _ in checks(executed[(ex.SOLUTIONS, name)])], \
        f"exercises/{name}: not the same checks as the solution"
    by_name = {q["name"]: q for q in auto(name)}
    for index, question, text in found:
        assert PASSED not in text, f"exercises/{name}, cell {index}: {question} passes on the empty answers"
        for var in by_name[question]["answers"]:
            assert f"{var}: no answer yet" in text, f"exercises/{name}, cell {index}: no 'no answer yet' for {var}:\n{text}"
        assert not [t for t in TRACEBACK if t in text], f"exercises/{name}, cell {index}: a traceback:\n{text}"


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NAMES)
def test_a_failed_check_shows_its_hint_and_no_traceback(executed, name):
    """With every answer wrong, each check shows its score and each part's hint, and nothing of Python's."""
    nb = executed[("wrong", name)]
    assert not errors(nb), f"{name} with wrong answers: cells raised errors: {errors(nb)}"
    by_name = {q["name"]: q for q in auto(name)}
    found = checks(nb)
    assert [q for _, q, _ in found] == list(by_name)
    for index, question, text in found:
        assert text.startswith(f"{question}: 0 of {by_name[question]['points']:g} point"), text
        for part in by_name[question]["parts"]:
            assert f"\u2718 {part['config']['failure_message']}" in text, f"cell {index}: hint missing:\n{text}"
        assert not [t for t in TRACEBACK if t in text], f"{name}, cell {index}: a traceback:\n{text}"
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert html.count('class="vd-check"') == len(found) and not [t for t in TRACEBACK if t in html]


@pytest.mark.parametrize("name", NAMES)
def test_checks_turn_wrong_types_into_hints(name):
    """Every check fails a wrong type with an assertion, never a crash, and shows only its hint."""
    problems = []
    for question, source in load(ex.SOLUTIONS, name).metadata["otter"]["tests"].items():
        tests = ExceptionTestFile.from_string(source, path=name)
        params = {p for case in tests.test_cases for p in case.body._get_func_params()}
        for label, answer in WRONG_ANSWERS.items():
            tests.run(dict.fromkeys(params, answer))
            shown = ex.plain_summary(tests)
            for result in tests.test_case_results:
                case, last = result.test_case, result.message.strip().splitlines()[-1]
                if result.passed:  # a check may accept a plausible value of the right type
                    continue
                if not last.startswith("AssertionError"):
                    problems.append(f"{question} / {case.name} with {label}: {last}")
                elif ex.UNANSWERED not in last and case.failure_message not in shown:
                    problems.append(f"{question} / {case.name} with {label}: its hint is not shown")
            if [t for t in TRACEBACK if t in shown]:
                problems.append(f"{question} with {label}: a traceback is shown:\n{shown}")
    assert not problems, f"solutions/{name}:\n" + "\n".join(problems)


def partly_right(nb, questions):
    """A solution notebook in which the first part of every question with several parts is answered wrongly."""
    nb = nbformat.from_dict(nb)
    wrong = {q["parts"][0]["variables"][0] for q in questions if len(q["parts"]) > 1}
    for cell in nb.cells:
        if "otter_assign_solution_cell" in cell.metadata.get("tags", []) and cell.cell_type == "code":
            cell.source = "\n".join(f'{line.split(" = ")[0]} = "{WRONG}"' if line.split(" = ")[0] in wrong else line
                                    for line in cell.source.splitlines())
    return nb


@pytest.mark.notebooks
def test_a_partly_right_answer_earns_partial_credit_when_graded(tmp_path):
    """Graded by otter, every question scores exactly the points of its right parts."""
    from otter.api import grade_submission

    def grade(name):
        questions = auto(name)
        submission = tmp_path / "submitted" / name
        submission.parent.mkdir(exist_ok=True)
        nbformat.write(partly_right(load(ex.SOLUTIONS, name), questions), submission)
        zip_path = ex.autograder(ROOT / ex.SOLUTIONS / name, tmp_path / name.removesuffix(".ipynb"))
        return name, questions, grade_submission(str(submission), str(zip_path), quiet=True)

    for name, questions, results in map(grade, NAMES):  # one at a time: otter grades in its own working directory
        assert not results.catastrophic_error, f"{name}: {results.catastrophic_error}"
        for question in questions:
            lost = question["parts"][0]["config"]["points"] if len(question["parts"]) > 1 else 0
            assert results.get_score(question["name"]) == question["points"] - lost, \
                f"{name} {question['name']}: {results.get_score(question['name'])} of {question['points']}, expected -{lost}"
        assert 0 < results.total < results.possible == sum(q["points"] for q in questions), name


# ---- Dated tables -------------------------------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December"], start=1)}


def when_key(label):
    """The order of a date as shown, at its precision: '1954' after '7 May 1954', 'May 1954' after '7 May 1954'."""
    if label == "date not given":
        return (9999, 99, 99)
    start = re.split(r"–", label)[0].split()
    day = int(start[0]) if len(start) == 3 else 32
    month = MONTHS[start[-2]] if len(start) >= 2 else 13
    return (int(start[-1]), month, day)


def given_results(name):
    """Run the given cells of an exercise notebook here, and return (source, shown value) for each result they show."""
    namespace, shown = {}, []
    for _, source in given_cells(name):
        tree = ast.parse(source)
        last = tree.body.pop() if shows_a_result(source) else None
        exec(compile(tree, name, "exec"), namespace)  # noqa: S102 - the course's own given cells
        if last is not None:
            shown.append((source, eval(compile(ast.Expression(last.value), name, "eval"), namespace)))  # noqa: S307
    return shown


@pytest.mark.parametrize("name", NAMES)
def test_dated_tables_are_in_time_order_and_show_each_dates_precision(name):
    """A given cell that lists dated rows sorts them with vd.chronological and shows its `when` column, never the
    stored dates (a year-only date is stored as 1 January); the rows it shows are in time order at their precision."""
    same_year_pairs = 0
    for source, value in given_results(name):
        if not isinstance(value, pd.DataFrame):
            continue
        dated = ("when" in value.columns or "vd.chronological(" in source
                 or any(pd.api.types.is_datetime64_any_dtype(value[c]) for c in value.columns))
        if not dated:
            continue
        assert "vd.chronological(" in source and "sort_values" not in source, \
            f"{name}: sort dated rows with vd.chronological:\n{source}"
        assert "when" in value.columns and "date" not in value.columns, \
            f"{name}: show `when`, not the stored date:\n{source}"
        keys = [when_key(label) for label in value["when"]]
        assert keys == sorted(keys), f"{name}: not in time order: {list(value['when'])}"
        precise = {k[0] for k in keys if k[2] < 32}
        same_year_pairs += sum(1 for k in keys if k[2] == 32 and k[0] in precise)
    if name.startswith("01_"):
        assert same_year_pairs, "01: the wartime table no longer sets a year-only date beside an exact date of its year"


def test_the_wartime_table_puts_dien_bien_phu_before_the_war_against_the_us():
    (_, wartime), *_ = given_results(NAMES[0])
    labels = list(wartime["when"])
    assert labels.index("7 May 1954") < labels.index("1954–1975"), labels


# ---- Teachers ----------------------------------------------------------------------------------------------------

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
