"""Where the course's files are: the one place that finds the course folder (course.yml, data/, notebooks/ ...)."""
from __future__ import annotations

import functools
import os
from pathlib import Path

COURSE_VARIABLE = "VNDIPLOMACY_COURSE"
DATA_VARIABLE = "VNDIPLOMACY_DATA"
MARKER = "course.yml"


class CourseNotFound(FileNotFoundError):
    """The package is installed, but the course folder it reads is nowhere to be found."""


def _is_course(folder: Path) -> bool:
    return (folder / MARKER).is_file() and (folder / "data" / "datapackage.json").is_file()


def course_root() -> Path:
    """The course folder: $VNDIPLOMACY_COURSE, else the clone the package was installed from with ``pip install -e``,
    else the current folder or the nearest folder above it that holds course.yml and data/.
    """
    return _find(os.environ.get(COURSE_VARIABLE), __file__, os.getcwd())


@functools.lru_cache(maxsize=8)
def _find(override: str | None, package_file: str, cwd: str) -> Path:
    if override:
        if not _is_course(Path(override)):
            raise CourseNotFound(f"{COURSE_VARIABLE}={override} is not a course folder: it must hold {MARKER} and "
                                 "data/datapackage.json")
        return Path(override)
    checkout = Path(package_file).resolve().parents[2]
    if _is_course(checkout):
        return checkout
    here = Path(cwd).resolve()
    for folder in (here, *here.parents):
        if _is_course(folder):
            return folder
    raise CourseNotFound(
        f"The course files ({MARKER} and data/) are not beside the installed package nor in {here} or a folder above "
        "it. Install the package from a clone of the course with `pip install -e .` (run in the clone), start Jupyter "
        f"from inside the course folder, or set {COURSE_VARIABLE} to the course folder.")


def data_dir() -> Path:
    """The data folder: $VNDIPLOMACY_DATA (tests point it at broken copies), or data/ in the course folder."""
    override = os.environ.get(DATA_VARIABLE)
    return Path(override) if override else course_root() / "data"


def manifest_path() -> Path:
    """The course manifest, course.yml."""
    return course_root() / MARKER
