"""Mutation score of the modules a learner's session runs on: views, quizbank, quiz, progress, data and style.

mutmut (pinned in requirements-dev.txt, configured in pyproject.toml's [tool.mutmut]) changes the code one small
edit at a time (a `<` for a `<=`, a string for another, an argument left out) and runs the unit tests that reach the
changed function; a mutant the tests notice is killed, one they do not notice survived.

It runs in a copy of the project (benchmarks/scratch/mutation, which git ignores), so the working tree is never
touched; the copy keeps mutmut's verdicts, so a stopped run goes on where it stopped. It writes
benchmarks/mutation.json, kept in git so that `make bench` shows the last score on any clone: per module the killed,
survived, timed-out and unreached mutants and the score, and every surviving mutant with its edit. Survivors named in
benchmarks/EQUIVALENT_MUTANTS.md are equivalent (the program behaves the same in every way that matters) or accepted
(wording and looks the unit tests do not pin); any other survivor is a gap in the tests.

    python benchmarks/mutation.py            # every mutant not yet tested (over an hour on two cores from scratch)
    python benchmarks/mutation.py --recheck  # also test again every mutant that went undetected (after new tests)
    python benchmarks/mutation.py --fresh    # forget every verdict and start over
    python benchmarks/mutation.py --save     # keep what a stopped run checked (the table says what it left)
    python benchmarks/mutation.py --show     # the table of the last run, with its date and commit
    python benchmarks/mutation.py --only 'vndiplomacy.quizbank*'   # some mutants only (not saved as the score)

A mutant's verdict is kept until the function it mutates changes. Added tests can only kill more mutants, so after
adding tests `--recheck` gives the score a fresh run would, in minutes instead of an hour; after weakening or removing
a test, only `--fresh` does.

Score = detected / (detected + undetected), where detected = killed + timeout (the tests did not pass with the
mutant: it hung them) and undetected = survived + no tests (a mutant in code no selected test reaches is as
unnoticed as one that survives them).
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "mutation.json"
WORKSPACE = ROOT / "benchmarks" / "scratch" / "mutation"
EQUIVALENT = ROOT / "benchmarks" / "EQUIVALENT_MUTANTS.md"
MODULES = ("views", "quizbank", "quiz", "progress", "data", "style")
# Not copied: version control, environments, caches and what earlier runs left.
SKIP = {".git", ".venv", "mutants", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache", "test-artifacts",
        "handouts", ".ipynb_checkpoints"}
SKIP_PATHS = {ROOT / "benchmarks" / "results", ROOT / "benchmarks" / "scratch"}
DETECTED, UNDETECTED = ("killed", "timeout"), ("survived", "no tests")


def copy_project(target: Path) -> Path:
    """Copy the project into target, replacing an earlier copy but keeping mutmut's folder (its verdicts)."""
    def ignore(folder, names):
        return [n for n in names if n in SKIP or Path(folder, n) in SKIP_PATHS]

    course = target / ROOT.name
    if course.exists():
        for entry in course.iterdir():
            if entry.name != "mutants":
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    shutil.copytree(ROOT, course, ignore=ignore, symlinks=True, dirs_exist_ok=True)
    shared = ROOT.parent / "shared"
    if shared.exists():  # the source documents beside the course folder, which is mutants/ when the tests run
        (course / "shared").symlink_to(shared)
    return course


def missing_from_also_copy() -> list[str]:
    """Top-level files and folders git tracks that mutmut would not copy into mutants/ (where the tests run)."""
    import tomllib

    listed = {entry.rstrip("/") for entry in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
              ["also_copy"]} | {"src", "tests", "pyproject.toml"}
    tracked = {line.split("/", 1)[0] for line in git("ls-files").splitlines()}
    return sorted(tracked - listed)


def undetected(course: Path) -> list[str]:
    """The mutants of the last run that no test detected."""
    from mutmut.stats import status_by_exit_code

    names = []
    for module in MODULES:
        meta = course / "mutants" / "src" / "vndiplomacy" / f"{module}.py.meta"
        if meta.exists():
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            names += [name for name, code in codes.items() if code is not None and status_by_exit_code[code] in UNDETECTED]
    return names


def mutmut_command() -> list[str]:
    beside = Path(sys.executable).with_name("mutmut")
    return [str(beside) if beside.exists() else shutil.which("mutmut") or "mutmut"]


def run(course: Path, max_children: int, only: list[str], log: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNDIPLOMACY_", "MUTANT_UNDER_TEST"))}
    env["PYTHONPATH"] = str(course / "src")  # the copy, not the editable install of the working tree
    start = time.perf_counter()
    with log.open("w") as out:
        code = subprocess.call([*mutmut_command(), "run", "--max-children", str(max_children), *only], cwd=course,
                               env=env, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
    if code != 0:
        tail = log.read_text(errors="replace").replace("\r", "\n").splitlines()[-30:]
        sys.exit(f"mutmut failed (exit code {code}); the end of its log:\n" + "\n".join(tail))
    return wall


def functions(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno]) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def edit(mutated: dict[str, str], name: str) -> str:
    """The mutant's edit as '-old / +new' lines (mutmut keeps every mutant as a copy of its function)."""
    function = name.split(".", 2)[2]
    base, number = function.rsplit("__mutmut_", 1)
    original, mutant = mutated.get(base + "__mutmut_orig"), mutated.get(f"{base}__mutmut_{number}")
    if original is None or mutant is None:
        return ""
    mutant = mutant.replace(f"__mutmut_{number}", "__mutmut_orig", 1)
    diff = difflib.unified_diff(original.splitlines(), mutant.splitlines(), lineterm="", n=0)
    return " / ".join(" ".join(line.split()) for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++"))


def equivalent_names() -> set[str]:
    if not EQUIVALENT.exists():
        return set()
    return set(re.findall(r"`(vndiplomacy\.[^`\s]+__mutmut_\d+)`", EQUIVALENT.read_text(encoding="utf-8")))


def collect(course: Path) -> tuple[dict, list[dict]]:
    from mutmut.stats import status_by_exit_code

    modules, survivors, named = {}, [], equivalent_names()
    for module in MODULES:
        package = course / "mutants" / "src" / "vndiplomacy"
        meta = json.loads((package / f"{module}.py.meta").read_text(encoding="utf-8"))
        counts = {status: 0 for status in (*DETECTED, *UNDETECTED)}
        mutated = None
        for name, code in sorted(meta["exit_code_by_key"].items()):
            status = status_by_exit_code[code]
            counts[status] = counts.get(status, 0) + 1
            if status in UNDETECTED:
                mutated = mutated or functions(package / f"{module}.py")
                survivors.append({"mutant": name, "module": module, "status": status,
                                  "equivalent": name in named, "edit": edit(mutated, name)})
        modules[module] = scored(counts)
    return modules, survivors


def scored(counts: dict) -> dict:
    detected = sum(counts.get(s, 0) for s in DETECTED)
    undetected = sum(counts.get(s, 0) for s in UNDETECTED)
    return {**counts, "score": round(detected / (detected + undetected), 4) if detected + undetected else None}


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def table(result: dict) -> str:
    head = f"{'module':<10}{'killed':>8}{'timeout':>9}{'survived':>10}{'no tests':>10}{'score':>8}"
    rows = [head, "-" * len(head)]
    for module, c in [*result["modules"].items(), ("total", result["total"])]:
        score = "-" if c["score"] is None else f"{c['score']:.1%}"
        rows.append(f"{module:<10}{c['killed']:>8}{c['timeout']:>9}{c['survived']:>10}{c['no tests']:>10}{score:>8}")
    survivors = result["survivors"]
    unexplained = [s for s in survivors if not s["equivalent"]]
    rows.append(f"{len(survivors)} mutants undetected: {len(survivors) - len(unexplained)} named in "
                f"{EQUIVALENT.relative_to(ROOT)} (equivalent, or accepted wording and looks), {len(unexplained)} not "
                "(yet) explained.")
    return "\n".join(rows)


def show() -> int:
    if not RESULTS.exists():
        print("Mutation score: no run recorded yet; `make mutation` measures it (over an hour on two cores).")
        return 0
    result = json.loads(RESULTS.read_text(encoding="utf-8"))
    print(f"Mutation score ({result['tool']}), last measured {result['date']} at commit {result['commit']}"
          f"{' with uncommitted changes' if result.get('dirty') else ''}:")
    if result.get("not_checked"):
        print(f"(a run stopped before its end: {result['not_checked']} mutants not checked yet, left out of the score)")
    print(table(result))
    print("Run `make mutation` to measure it again.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print the last recorded run and exit")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2, help="mutants tested at once")
    parser.add_argument("--only", nargs="+", default=[], help="mutant names or patterns (the result is not saved)")
    parser.add_argument("--recheck", action="store_true", help="test again every mutant that went undetected")
    parser.add_argument("--fresh", action="store_true", help="forget every earlier verdict and start over")
    parser.add_argument("--save", action="store_true",
                        help="save the verdicts the copy holds now, also of a run stopped before its end (the table "
                             "then says how many mutants are not checked yet)")
    args = parser.parse_args()
    if args.show:
        return show()
    if args.save:
        modules, survivors = collect(WORKSPACE / ROOT.name)
        return save(modules, survivors, args, wall=None)
    missing = missing_from_also_copy()
    if missing:
        sys.exit(f"add {', '.join(missing)} to also_copy in pyproject.toml's [tool.mutmut]: the tests may read them")
    if args.fresh:
        shutil.rmtree(WORKSPACE, ignore_errors=True)
    WORKSPACE.mkdir(parents=True, exist_ok=True)
    course = copy_project(WORKSPACE)
    only = args.only or (undetected(course) if args.recheck else [])
    if args.recheck and not only:
        sys.exit("no earlier run to recheck: run without --recheck first")
    print(f"mutmut {version('mutmut')} on {', '.join(MODULES)}, in a copy at {course}"
          f"{f' ({len(only)} mutants)' if only else ''} ...", flush=True)
    wall = run(course, args.max_children, only, WORKSPACE / "mutmut.log")
    modules, survivors = collect(course)
    unfinished = sum(m.get("not checked", 0) for m in modules.values())
    if unfinished and not args.only:
        sys.exit(f"mutmut stopped with {unfinished} mutants not checked: nothing saved (see {WORKSPACE / 'mutmut.log'};"
                 " run it again to go on, or keep what it checked with --save)")
    return save(modules, survivors, args, wall)


def save(modules: dict, survivors: list[dict], args, wall: float | None) -> int:
    """Print the table and, unless only some mutants were run, save it as the score."""
    unfinished = sum(m.get("not checked", 0) for m in modules.values())
    total = scored({status: sum(m.get(status, 0) for m in modules.values()) for status in (*DETECTED, *UNDETECTED)})
    result = {"tool": f"mutmut {version('mutmut')}", "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "src", "tests")),
              "wall_time_s": None if wall is None else round(wall), "not_checked": unfinished,
              "max_children": args.max_children, "score": "(killed + timeout) / (killed + timeout + survived + no tests)",
              "modules": modules, "total": total, "survivors": survivors}
    print(table(result))
    if wall is not None:
        print(f"wall time: {wall / 60:.1f} min with {args.max_children} mutants at a time")
    if args.only:
        for survivor in survivors:
            print(f"  {survivor['status']}: {survivor['mutant']}  {survivor['edit']}")
        print("(a partial run with --only: not saved as the score)")
    else:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"saved {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
