"""The environment: pins in sync, Binder files in place, ruff clean."""
import re
import subprocess
import sys

import yaml
from course_paths import ROOT

DEVELOPER_TOOLS = {"pytest", "ruff", "playwright"}


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
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hub_proxy_is_pinned_exactly_and_locked():
    import json

    wanted = json.loads((ROOT / "hub" / "package.json").read_text())["dependencies"]
    locked = json.loads((ROOT / "hub" / "package-lock.json").read_text())["packages"]
    for name, version in wanted.items():
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version), f"{name}: not an exact version: {version}"
        assert locked[f"node_modules/{name}"]["version"] == version, f"{name}: package-lock.json disagrees"
