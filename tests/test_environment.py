"""The environment: pins in sync, Binder files in place, ruff clean, the pre-commit hooks working."""
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from course_paths import ROOT
from identify import identify

DEVELOPER_TOOLS = {"pytest", "ruff", "playwright", "pre-commit", "pre-commit-hooks", "nbstripout", "mutmut", "jupyter-book",
                   "axe-playwright-python", "pytest-xdist"}
PRE_COMMIT_HOOKS = {"nbstripout", "ruff", "check-json", "check-yaml"}
# What makes a hook check without changing anything, for the hooks that would otherwise fix the files they are given.
CHECK_ONLY = {"nbstripout": ["--verify"]}


def pip_pins_in_requirements(name="requirements.txt"):
    lines = (ROOT / name).read_text().splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r")))


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_every_requirement_is_pinned_exactly():
    for line in pip_pins_in_requirements() + pip_pins_in_requirements("requirements-dev.txt"):
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.]*", line), f"not an exact pin: {line}"


def test_environment_yml_pins_match_requirements():
    deps = environment()["dependencies"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert not any(p.startswith("-r") for p in pip_section), "use the pins themselves, not -r (breaks Binder's cache)"
    in_yml, in_txt = set(pip_section), set(pip_pins_in_requirements())
    assert in_yml == in_txt, f"only in environment.yml: {in_yml - in_txt}; only in requirements.txt: {in_txt - in_yml}"


def test_binder_gets_the_runtime_pins_and_no_developer_tools():
    runtime = {pin.split("==")[0].lower() for pin in pip_pins_in_requirements()}
    dev = {pin.split("==")[0].lower() for pin in pip_pins_in_requirements("requirements-dev.txt")}
    assert dev == DEVELOPER_TOOLS and not runtime & DEVELOPER_TOOLS, (runtime & DEVELOPER_TOOLS, dev)
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    assert "requirements-dev.txt" in (ROOT / "Makefile").read_text(), "make setup installs the developer tools too"


def test_python_pinned_for_repo2docker():
    assert "python=3.11" in environment()["dependencies"]


def test_binder_layout():
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    assert "pip install" in (ROOT / "postBuild").read_text()
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the root files"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_ruff_is_clean():
    """The whole course, notebooks and masters included, as `make lint`, `make check` and `make test` run it."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    makefile = [line.strip() for line in (ROOT / "Makefile").read_text().splitlines() if "ruff check" in line]
    assert len(makefile) == 3 and set(makefile) == {"$(BIN)/ruff check ."}, makefile


def test_ruff_reads_notebooks_and_masters_and_skips_environments_and_scratch(tmp_path):
    """pyproject.toml alone (no .gitignore, no git) keeps ruff out of .venv, node_modules, benchmarks/scratch, mutants."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    cell = nbformat.v4.new_code_cell("x = 1")
    wanted = ["src/vndiplomacy/a.py", "tests/test_a.py", "notebooks/a.ipynb", "masters/a.ipynb", "exercises/a.ipynb",
              "apps/a.ipynb", "teacher/a.ipynb"]
    skipped = [".venv/lib/a.py", "hub/node_modules/a/a.py", "benchmarks/scratch/a.py", "benchmarks/scratch/a.ipynb",
               "mutants/src/a.py"]
    for name in wanted + skipped:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".ipynb"):
            nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / name)
        else:
            (tmp_path / name).write_text("x = 1\n")
    ruff = [sys.executable, "-m", "ruff", "check", "--show-files"]
    for command in ([*ruff, "."], [*ruff, "--force-exclude", *wanted, *skipped]):  # as make runs it; as the hook does
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
        shown = {str(Path(line).relative_to(tmp_path)) for line in result.stdout.split()} - {"pyproject.toml"}
        assert shown == set(wanted), (command, result.stdout, result.stderr)


# ---- pre-commit ---------------------------------------------------------------------------------------------------

def pre_commit_hooks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def run_hook(hook, files, extra=()):
    """A hook's command as pre-commit runs it: its entry, its args, then the files, from the top of the project."""
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *extra, *map(str, files)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def project_files():
    """Tracked files, and new ones not ignored: what `pre-commit run --all-files` sees once they are added."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    return sorted({name for name in listed if name and (ROOT / name).is_file()})


def files_for(hook, names):
    """The files pre-commit gives a hook: its files and exclude patterns, its types (all) and types_or (any)."""
    chosen = []
    for name in names:
        tags = identify.tags_from_path(str(ROOT / name))
        if (re.search(hook.get("files", ""), name) and not re.search(hook.get("exclude", "^$"), name)
                and set(hook.get("types", ["file"])) <= tags
                and (not hook.get("types_or") or tags & set(hook["types_or"]))
                and not tags & set(hook.get("exclude_types", []))):
            chosen.append(name)
    return chosen


def test_pre_commit_config_is_valid_and_works_offline():
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert {repo["repo"] for repo in config["repos"]} == {"local"}, "a hook repository would be cloned from the network"
    hooks = pre_commit_hooks()
    assert PRE_COMMIT_HOOKS <= set(hooks), sorted(hooks)
    for name, hook in hooks.items():
        # system hooks run an installed command; any other language makes pre-commit build an environment from an index.
        assert hook["language"] == "system" and not hook.get("additional_dependencies"), name
        assert (ROOT / shlex.split(hook["entry"])[0]).is_file(), f"{name}: {hook['entry']} is not installed (make setup)"
    assert "--keep-id" in shlex.split(hooks["nbstripout"]["entry"]), "nbstripout would renumber the course's cell ids"


def test_the_nbstripout_hook_removes_outputs_counts_and_widget_state(tmp_path):
    hook = pre_commit_hooks()["nbstripout"]
    original = nbformat.read(ROOT / "notebooks" / "01_history.ipynb", as_version=4)
    saved = nbformat.from_dict(original)
    saved.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"abc": {"model_name": "LayoutModel", "state": {}}}, "version_major": 2, "version_minor": 0}}
    code = [cell for cell in saved.cells if cell.cell_type == "code"]
    for count, cell in enumerate(code, 1):
        cell.execution_count = count
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=count),
                        nbformat.v4.new_output("stream", text="printed\n")]
    path = tmp_path / "saved.ipynb"
    nbformat.write(saved, path)
    assert run_hook(hook, [path], CHECK_ONLY["nbstripout"]).returncode != 0, "--verify let outputs through"
    result = run_hook(hook, [path])
    assert result.returncode == 0, result.stdout + result.stderr
    stripped = nbformat.read(path, as_version=4)
    assert "widgets" not in stripped.metadata, "saved widget state kept"
    assert not any(cell.get("outputs") or cell.get("execution_count") for cell in stripped.cells), "outputs kept"
    assert [(c.id, c.cell_type, c.source) for c in stripped.cells] == [(c.id, c.cell_type, c.source) for c in original.cells]


def test_every_pre_commit_hook_passes_on_the_course():
    """What `pre-commit run --all-files` would do, each hook in check-only mode, without a commit or a clone."""
    names = project_files()
    for name, hook in pre_commit_hooks().items():
        files = files_for(hook, names)
        assert files, f"{name}: no file to check"
        before = {f: (ROOT / f).read_bytes() for f in files}
        result = run_hook(hook, files, CHECK_ONLY.get(name, []))
        assert result.returncode == 0, f"{name} fails:\n{result.stdout}{result.stderr}"
        assert before == {f: (ROOT / f).read_bytes() for f in files}, f"{name} changed files in check-only mode"
    hooks, notebooks = pre_commit_hooks(), [n for n in names if n.endswith(".ipynb")]
    assert {"masters", "notebooks", "exercises", "solutions", "apps", "teacher"} <= {n.split("/")[0] for n in notebooks}
    assert set(notebooks) <= set(files_for(hooks["nbstripout"], names)), "nbstripout skips some notebooks"
    assert set(notebooks) <= set(files_for(hooks["ruff"], names)), "ruff skips some notebooks"
    assert {"data/datapackage.json", "hub/package.json"} <= set(files_for(hooks["check-json"], names))
    assert {"CITATION.cff", "environment.yml", "data/quizzes/01_history.yaml"} <= set(files_for(hooks["check-yaml"], names))


def test_the_hub_proxy_is_pinned_exactly_and_locked():
    import json

    wanted = json.loads((ROOT / "hub" / "package.json").read_text())["dependencies"]
    locked = json.loads((ROOT / "hub" / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version), f"{name}: not an exact version: {version}"
        assert locked[f"node_modules/{name}"]["version"] == version, f"{name}: package-lock.json disagrees"
