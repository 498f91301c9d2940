"""Exercise notebooks: build them from the masters, and grade submitted copies with otter.

``python -m vndiplomacy.exercises`` (``make exercises``) runs ``otter assign`` on every master
notebook in ``masters/`` and writes two notebooks per master:

- ``exercises/NAME.ipynb``, for learners: no solutions, and only the public checks;
- ``solutions/NAME.ipynb``, for teachers: the solutions, the marking rubrics and every check,
  hidden ones included.

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
import hashlib
import sys
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
MASTERS = ROOT / "masters"
EXERCISES = "exercises"
SOLUTIONS = "solutions"


def master_paths(folder: Path = MASTERS) -> list[Path]:
    """The master notebooks, in name order."""
    return sorted(folder.glob("*.ipynb"))


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


def assign(master: Path, workdir: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """Run ``otter assign`` on one master in ``workdir``; return the (student, solution) notebooks."""
    from otter.assign import main as otter_assign

    otter_assign(str(master), str(workdir), no_pdfs=True, no_run_tests=True)
    return tuple(normalise(nbformat.read(workdir / kind / master.name, as_version=4))
                 for kind in ("student", "autograder"))


def build(dest: Path = ROOT, masters: list[Path] | None = None) -> list[Path]:
    """Write ``dest/exercises`` and ``dest/solutions`` from the masters; return the files written.

    Notebooks already in those two folders are replaced: the folders hold generated files only.
    """
    written = []
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
    matches = [p for p in sorted((ROOT / SOLUTIONS).glob("*.ipynb")) if p.name.startswith(Path(name).stem)]
    if len(matches) != 1:
        raise SystemExit(f"no single solution notebook matches {name!r} in {ROOT / SOLUTIONS}")
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


def written_questions(name: str) -> dict[str, float]:
    """The hand-marked questions of a master, with their points."""
    master = MASTERS / solution_path(name).name
    questions = {}
    for cell in nbformat.read(master, as_version=4).cells:
        if cell.cell_type == "raw" and cell.source.lstrip().upper().startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(cell.source.split("\n", 1)[1])
            if config.get("manual"):
                questions[config["name"]] = config.get("points", 0)
    return questions


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
        for solution in sorted((ROOT / SOLUTIONS).glob("*.ipynb")):
            print(f"wrote {autograder(solution, args.dest)}")
    elif args.command == "grade":
        table = grade(args.name, args.submissions, args.out)
        print(table.to_string(index=False))
        print(f"wrote {args.out}")
    else:
        for path in build():
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
