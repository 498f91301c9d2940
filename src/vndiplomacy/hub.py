"""The course on a JupyterHub: the nbgitpuller link teachers give learners, and what each learner's server needs.

On a hub, nbgitpuller copies the course into each learner's home folder (``~/<COURSE_FOLDER>``) and merges later
changes without overwriting the learner's edits. Each learner's kernels import the course package and read its data
from that copy, because the hub puts the copy's ``src/`` first on ``PYTHONPATH`` (see ``learner_environment``), so a
change pulled from the course reaches the learner at their next run, with no new image.

``python -m vndiplomacy.hub link https://hub.example.edu [notebook]`` prints the link.
"""
from __future__ import annotations

import sys
from pathlib import PurePosixPath
from urllib.parse import urlencode

from .classroom import CLASS_FOLDER_VARIABLE
from .launch import start_notebook
from .manifest import course

REPOSITORY_URL = course().links["repository"]
BRANCH = course().links["branch"]
# The folder nbgitpuller copies the course into, in each home: the last part of the repository address.
COURSE_FOLDER = PurePosixPath(REPOSITORY_URL).name


def pull_link(hub_url: str, notebook: str | None = None, repo: str = REPOSITORY_URL, branch: str = BRANCH) -> str:
    """The nbgitpuller link that copies (or updates) the course in a learner's home and opens a notebook in Lab."""
    query = urlencode({"repo": repo, "urlpath": f"lab/tree/{COURSE_FOLDER}/{notebook or start_notebook()}", "branch": branch,
                       "targetpath": COURSE_FOLDER})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def learner_environment(home: str, class_folder: str = "") -> dict[str, str]:
    """Environment variables of a learner's server: the course package from their own copy, and the class folder."""
    environment = {"PYTHONPATH": f"{home.rstrip('/')}/{COURSE_FOLDER}/src"}
    if class_folder:
        environment[CLASS_FOLDER_VARIABLE] = class_folder
    return environment


def main(argv: list[str]) -> int:
    """Print the pull link for a hub address (and optionally a notebook path inside the course)."""
    if len(argv) not in (2, 3) or argv[0] != "link":
        print("usage: python -m vndiplomacy.hub link HUB_URL [NOTEBOOK, e.g. notebooks/01_history.ipynb]",
              file=sys.stderr)
        return 2
    print(pull_link(argv[1], *argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
