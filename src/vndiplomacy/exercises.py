"""Exercise notebooks: build them from the masters, and grade submitted copies with otter.

``python -m vndiplomacy.exercises`` (``make exercises``) runs ``otter assign`` on every master
notebook in ``masters/`` and writes two notebooks per master:

- ``exercises/NAME.ipynb``, for learners: no solutions, and every check;
- ``solutions/NAME.ipynb``, for teachers: the answers, the marking rubrics and the same checks.

The exercises are a no-code track: every computation is given, and learners write answers (a number,
a source id, a short choice) into variables, or a written answer into a markdown cell. There are no
hidden checks: the checks a learner runs are the whole automatic marking, one point per checked
part, so a partly right answer earns partial credit.

In a master, a check compares an answer either with the course's data (for a value read off a
given result) or with the answer written in the master's solution cell, as
``is_answer(q3_fighting, "answer:q3_fighting")``. The build replaces ``"answer:NAME"`` with a
digest of that solution, so the answer itself never stands in a learner's notebook. The build also
makes every check show its hint (the test's ``failure_message``) instead of otter's traceback
(``plain_feedback``, called from the notebook's first cell).

Each question of a master names its ``skill`` in its ``# BEGIN QUESTION`` config (``reading`` a given
result, or ``interpretation``), and its prompt opens with a label such as ``**q1_reading** ·
interpretation · 3 points, checked automatically``; each test cell opens with otter's test config (a
``# BEGIN TEST CONFIG`` string) giving its own ``points``, ``success_message`` and
``failure_message``. ``tests/test_exercises.py`` checks these conventions.

The checks are stored in each notebook's metadata: a notebook needs no tests folder beside it, and
its first cell reads the checks from its own file (under its original name, in the working folder).
Outputs and execution counts are removed and cell ids are derived from the cell contents, so
building twice gives byte-identical files. The masters do not let ``otter assign`` run the
solutions (``run_tests: false``): ``tests/test_exercises.py`` runs every solution and exercise.

Teachers use two more commands (see ``teacher/grading.md``)::

    python -m vndiplomacy.exercises autograder DEST        # one otter autograder zip per notebook
    python -m vndiplomacy.exercises grade NAME FILE... [--out grades.csv]
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import html
import numbers
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from .paths import course_root

EXERCISES = "exercises"
SOLUTIONS = "solutions"


def master_paths(folder: Path | None = None) -> list[Path]:
    """The master notebooks, in name order."""
    return sorted((folder or course_root() / "masters").glob("*.ipynb"))


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip outputs, execution counts and run timings; give every cell an id derived from its content."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
        digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:8]
        seen[digest] = seen.get(digest, 0) + 1
        cell["id"] = digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"
    return nb


# ---- Answers and their checks -------------------------------------------------------------------------------

SOLUTION_LINE = re.compile(r"^(\w+) = (.+?)\s*# SOLUTION\s*$")
ANSWER_KEY = re.compile(r'"answer:(\w+)"')
FEEDBACK_LINES = ("# Checks show their hints, not Python tracebacks", "import vndiplomacy.exercises",
                  "vndiplomacy.exercises.plain_feedback()")


def solution_answers(nb: nbformat.NotebookNode) -> dict[str, object]:
    """The answers written in a master's solution cells: ``{variable: value}``.

    Every line of a code cell between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` must read
    ``name = <a plain value>  # SOLUTION``: learners write answers, not code.
    """
    answers, inside = {}, False
    for cell in nb.cells:
        text = cell.source.strip().upper()
        if cell.cell_type == "raw" and text.startswith("# BEGIN SOLUTION"):
            inside = True
        elif cell.cell_type == "raw" and text.startswith("# END SOLUTION"):
            inside = False
        elif inside and cell.cell_type == "code":
            for line in filter(str.strip, cell.source.splitlines()):
                match = SOLUTION_LINE.match(line)
                if not match:
                    raise ValueError(f"a solution line is not `name = <plain value>  # SOLUTION`: {line!r}")
                answers[match[1]] = ast.literal_eval(match[2])
    return answers


def normalised(value) -> str | None:
    """An answer as the checks compare it: numbers as plain numbers, text without case or outer spaces.

    ``7``, ``7.0``, ``"7"`` and ``numpy.int64(7)`` all give ``"7"``; ``" Sources "`` gives ``"sources"``.
    Anything else (a list, ``None``, ``...``) gives ``None``, which matches no answer.
    """
    if isinstance(value, str):
        text = " ".join(value.strip().strip("'\"").split()).casefold().removesuffix(".")
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return text.removeprefix("the ") or None
        return normalised(number)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return str(int(number)) if number.is_integer() else repr(round(number, 6))


def answer_key(name: str, value) -> str:
    """The key a check stores for the answer ``value`` of the variable ``name``: ``name:digest``."""
    digest = hashlib.sha256(f"{name}\n{normalised(value)}".encode()).hexdigest()[:16]
    return f"{name}:{digest}"


UNANSWERED = "no answer yet"


def _answered(value, name: str) -> None:
    """Fail a check with a message ``plain_summary`` recognises when the answer is still ``...`` (or ``None``)."""
    if value is ... or value is None:
        raise AssertionError(f"{UNANSWERED}: {name}")


def is_answer(value, key: str) -> bool:
    """Whether ``value`` is the answer whose key (``answer_key``) a check stores."""
    name, _, _digest = key.partition(":")
    if name == "answer":
        raise ValueError("this check still has a placeholder: build the notebooks with python -m vndiplomacy.exercises")
    _answered(value, name)
    return normalised(value) is not None and answer_key(name, value) == key


def equals(value, expected, name: str = "this part") -> bool:
    """Whether an answer equals a value read off the course's data (compared as ``normalised``)."""
    _answered(value, name)
    return normalised(value) is not None and normalised(value) == normalised(expected)


def with_answer_keys(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace every ``"answer:NAME"`` in the checks with the key of NAME's answer in the solution cells."""
    answers = solution_answers(nb)

    def key(match):
        if match[1] not in answers:
            raise ValueError(f"a check asks for the answer of {match[1]}, which no solution cell gives")
        return f'"{answer_key(match[1], answers[match[1]])}"'

    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = ANSWER_KEY.sub(key, cell.source)
    return nb


def _points(value) -> str:
    return f"{value:g}"


def plain_summary(test_file) -> str:
    """What a check shows: its score, then each part with its success message or its hint; no traceback."""
    results = test_file.test_case_results
    passed = bool(results) and all(r.passed for r in results)
    unit = "point" if test_file.possible == 1 else "points"
    score = f"{_points(test_file.score)} of {_points(test_file.possible)} {unit}"
    lines = [f"{test_file.name}: " + (f"All test cases passed! {score}" if passed else score)]
    for result in results:
        case = result.test_case
        if result.passed:
            lines.append(f"  \u2714 {case.success_message or 'Right.'}")
        elif UNANSWERED in (result.message or ""):
            name = (result.message or "").rsplit(f"{UNANSWERED}: ", 1)[1].split()[0].strip("'\"")
            lines.append(f"  \u2718 {name}: no answer yet. Replace the ... in the answer cell with your answer.")
        else:
            lines.append(f"  \u2718 {case.failure_message or 'Not yet right: read the question again.'}")
    return "\n".join(lines)


def plain_html(test_file) -> str:
    """``plain_summary`` as HTML, for JupyterLab."""
    head, *parts = plain_summary(test_file).split("\n")
    items = "".join(f"<li>{html.escape(part.strip())}</li>" for part in parts)
    return (f'<div class="vd-check"><p><strong>{html.escape(head)}</strong></p>'
            f'<ul style="list-style: none; padding-left: 0.5em">{items}</ul></div>')


def plain_feedback() -> None:
    """Make otter's checks show only each part's message and the points: a hint for a wrong part, never a traceback.

    Called by the first cell of every exercise notebook. It changes what a check displays, not what it scores.
    """
    from otter.test_files.abstract_test import TestFile

    def summary(self, public_only: bool = False) -> str:
        return plain_summary(self)

    TestFile.summary = summary
    TestFile._repr_html_ = plain_html


def _with_feedback(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Add the ``plain_feedback`` call to the first cell (otter's initialisation cell)."""
    init = nb.cells[0]
    if "otter.Notebook(" not in init.source:
        raise ValueError("the first cell is not otter's initialisation cell")
    if FEEDBACK_LINES[-1] not in init.source:
        init.source = init.source.rstrip("\n") + "\n" + "\n".join(FEEDBACK_LINES)
    return nb


def assign(master: Path, workdir: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Run ``otter assign`` on one master in ``workdir``; return the (student, solution) notebooks.

    The master's answer keys are filled in first (``with_answer_keys``), and each notebook's first cell
    turns on the plain feedback (``plain_feedback``).
    """
    from otter.assign import main as otter_assign

    keyed = workdir / "master" / master.name
    keyed.parent.mkdir(parents=True)
    nbformat.write(with_answer_keys(nbformat.read(master, as_version=4)), keyed)
    otter_assign(str(keyed), str(workdir / "out"), no_pdfs=True, no_run_tests=True)
    return tuple(normalise(_with_feedback(nbformat.read(workdir / "out" / kind / master.name, as_version=4)))
                 for kind in ("student", "autograder"))


def build(dest: Path | None = None, masters: list[Path] | None = None) -> list[Path]:
    """Write ``dest/exercises`` and ``dest/solutions`` from the masters; return the files written.

    Notebooks already in those two folders are replaced: the folders hold generated files only.
    """
    written = []
    dest = dest or course_root()
    folders = {kind: dest / kind for kind in (EXERCISES, SOLUTIONS)}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.ipynb"):
            old.unlink()
    for master in masters or master_paths():
        with tempfile.TemporaryDirectory() as tmp:
            student, solution = assign(master, Path(tmp))
        for kind, nb in ((EXERCISES, student), (SOLUTIONS, solution)):
            path = folders[kind] / master.name
            nbformat.write(nb, path)
            written.append(path)
    return written


def solution_path(name: str) -> Path:
    """The solution notebook for a name such as ``01_history`` or ``01_history_exercises.ipynb``."""
    matches = [p for p in sorted((course_root() / SOLUTIONS).glob("*.ipynb")) if p.name.startswith(Path(name).stem)]
    if len(matches) != 1:
        raise SystemExit(f"no single solution notebook matches {name!r} in {course_root() / SOLUTIONS}")
    return matches[0]


def autograder(solution: Path, dest: Path) -> Path:
    """Write the otter autograder zip of one solution notebook (all its checks) into ``dest``."""
    from otter.generate import main as otter_generate

    tests = nbformat.read(solution, as_version=4).metadata["otter"]["tests"]
    dest.mkdir(parents=True, exist_ok=True)
    zip_path = dest / f"{solution.stem}-autograder.zip"
    with tempfile.TemporaryDirectory() as tmp:
        for question, source in tests.items():
            (Path(tmp) / f"{question}.py").write_text(source, encoding="utf-8")
        otter_generate(tests_dir=tmp, output_path=str(zip_path), no_config=True, no_requirements=True,
                       no_environment=True)
    return zip_path


TEST_CONFIG = re.compile(r'^""" # BEGIN TEST CONFIG\n(.*?)\n""" # END TEST CONFIG\n(.*)$', re.S)


def master_questions(master: Path) -> list[dict]:
    """The questions of a master notebook, in order.

    Each is a dict with ``name``, ``skill`` (``reading`` a given result, or ``interpretation``: judging,
    attributing, history or sources, written answers), ``manual``, ``points``, ``prompt`` (its markdown),
    ``answers`` (``{variable: value}`` from its solution cell) and ``parts``: one per checked part, with the
    test's ``config`` (points and messages), its ``source`` and the ``variables`` it checks.
    """
    questions, question, block = [], None, None
    for cell in nbformat.read(master, as_version=4).cells:
        text = cell.source.strip()
        marker = text.upper()
        if cell.cell_type == "raw" and marker.startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(text.split("\n", 1)[1])
            question = {"name": config["name"], "skill": config.get("skill"), "manual": bool(config.get("manual")),
                        "config": config, "prompt": "", "answers": {}, "parts": [], "solution": []}
            questions.append(question)
        elif cell.cell_type == "raw" and marker.startswith("# END QUESTION"):
            question = None
        elif cell.cell_type == "raw" and marker.startswith(("# BEGIN SOLUTION", "# BEGIN TESTS")):
            block = marker.split()[2].lower()
        elif cell.cell_type == "raw" and marker.startswith(("# END SOLUTION", "# END TESTS")):
            block = None
        elif question is None:
            continue
        elif block == "solution":
            question["solution"].append(cell)
            for line in cell.source.splitlines() if cell.cell_type == "code" else []:
                match = SOLUTION_LINE.match(line)
                try:
                    question["answers"][match[1]] = ast.literal_eval(match[2])
                except (TypeError, ValueError, SyntaxError):  # not a plain answer: tests/test_exercises.py says so
                    continue
        elif block == "tests":
            match = TEST_CONFIG.match(cell.source.strip())
            config = yaml.safe_load(match[1]) if match else {}
            body = match[2] if match else cell.source
            function = next((n for n in ast.parse(body).body if isinstance(n, ast.FunctionDef)), None)
            question["parts"].append({"config": config, "source": body,
                                      "variables": [a.arg for a in function.args.args] if function else []})
        elif cell.cell_type == "markdown" and not question["prompt"]:
            question["prompt"] = cell.source
    for question in questions:
        question["points"] = (question["config"].get("points", 0) if question["manual"]
                              else sum(part["config"].get("points", 0) for part in question["parts"]))
    return questions


def written_questions(name: str) -> dict[str, float]:
    """The hand-marked questions of a master, with their points."""
    master = course_root() / "masters" / solution_path(name).name
    return {q["name"]: q["points"] for q in master_questions(master) if q["manual"]}


def grade(name: str, submissions: list[Path], out: Path, on_graded=None) -> pd.DataFrame:
    """Grade submitted copies of one exercise notebook with otter; write and return the score table.

    One row per submission: the points of every checked question, their total, an empty column per
    written question for the teacher to fill in with the rubric, and any problem that stopped the
    grading of that file (a file that is not a notebook, for instance). ``on_graded(row)`` is called after
    each submission, for a progress bar.
    """
    from otter.api import grade_submission

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = autograder(solution_path(name), Path(tmp))
        for submission in submissions:
            row = {"submission": submission.name}
            try:
                results = grade_submission(str(submission), str(zip_path), quiet=True)
            except Exception as error:  # one unreadable file must not stop the class's grading
                row.update(checked_total=0, problem=f"{type(error).__name__}: {error}")
            else:
                row.update({q: results.get_score(q) for q in sorted(results.results)})
                row.update(checked_total=results.total, checked_possible=results.possible,
                           problem=str(results.catastrophic_error or ""))
            rows.append(row)
            if on_graded:
                on_graded(row)
    table = pd.DataFrame(rows)
    for question, points in written_questions(name).items():
        table[f"{question} (written, out of {points})"] = ""
    table = table[[c for c in table.columns if c != "problem"] + ["problem"]]
    table.to_csv(out, index=False)
    return table


def main(argv: list[str]) -> int:
    """Command line: build (default), ``autograder DEST`` or ``grade NAME FILE... --out CSV``."""
    parser = argparse.ArgumentParser(prog="python -m vndiplomacy.exercises", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="regenerate exercises/ and solutions/ from masters/ (the default)")
    zips = commands.add_parser("autograder", help="write one otter autograder zip per solution notebook")
    zips.add_argument("dest", type=Path)
    marks = commands.add_parser("grade", help="grade submitted notebooks and write a table of scores")
    marks.add_argument("name", help="which exercises, e.g. 01_history")
    marks.add_argument("submissions", type=Path, nargs="+", help="the submitted .ipynb files")
    marks.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write (grades.csv)")
    args = parser.parse_args(argv)
    if args.command == "autograder":
        for solution in sorted((course_root() / SOLUTIONS).glob("*.ipynb")):
            print(f"wrote {autograder(solution, args.dest)}")
    elif args.command == "grade":
        table = grade(args.name, args.submissions, args.out)
        print(table.to_string(index=False))
        print(f"wrote {args.out}")
    else:
        for path in build():
            print(f"wrote {path.relative_to(course_root())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
