import os
import shutil

import pytest
from course_paths import DATA, LEVEL_SHARES


@pytest.fixture(autouse=True, scope="session")
def private_validation_cache(tmp_path_factory):
    """Validated data versions are remembered in a folder of the test run (kernels inherit it), not the user's."""
    os.environ["VNDIPLOMACY_CACHE"] = str(tmp_path_factory.mktemp("validated"))


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    """Every test writes progress to its own file, never to the learner's."""
    monkeypatch.setenv("VNDIPLOMACY_PROGRESS", str(tmp_path / "progress.sqlite"))


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that the package reads instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("VNDIPLOMACY_DATA", str(target))
    return target


def pytest_terminal_summary(terminalreporter, config):
    """Print the share of each question level per quiz bank, when the level test ran."""
    shares = config.stash.get(LEVEL_SHARES, None)
    if not shares:
        return
    terminalreporter.section("quiz levels (share of each bank)")
    terminalreporter.write_line(f"{'bank':<22}" + "".join(f"{level:>10}" for level in next(iter(shares.values()))))
    for topic, levels in shares.items():
        terminalreporter.write_line(f"{topic:<22}" + "".join(f"{share:>10.0%}" for share in levels.values()))


@pytest.fixture
def short_lock_wait(monkeypatch):
    """Half a second of waiting for another process's lock, and a fifth of a second of failing at once after that,
    so that the tests of locked progress files run quickly."""
    monkeypatch.setattr("vndiplomacy.progress.BUSY_TIMEOUT_S", 0.5)
    monkeypatch.setattr("vndiplomacy.progress.FAIL_FAST_S", 0.2)
