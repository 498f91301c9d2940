"""Start the course the one way users, tests, Binder and a hub all share.

`install_config()` copies the course's Jupyter configuration (jupyter-config/) into the
environment, where JupyterLab, Voila and a Jupyter server read it whichever way they are
started: no news pop-up, no update check, every cell rendered, widget state saved with
the notebook, the Voila template that needs no CDN, files the maps need, idle Voila kernels
culled, and the two extensions that otter-grader pulls in switched off.

`python -m vndiplomacy.launch lab|voila [extra arguments]` is what `make lab` and
`make voila` run; the browser tests run the same targets.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from .manifest import course
from .paths import course_root

VOILA_PORT = 8866
# Where each file of jupyter-config/ goes, relative to the environment's prefix.
INSTALLED = {
    "jupyter_server_config.json": "etc/jupyter/jupyter_server_config.json",
    "voila.json": "etc/jupyter/voila.json",
    "labconfig/page_config.json": "etc/jupyter/labconfig/page_config.json",
    "lab-settings/overrides.json": "share/jupyter/lab/settings/overrides.json",
    "voila-template/conf.json": "share/jupyter/voila/templates/vndiplomacy/conf.json",
    "voila-template/index.html.j2": "share/jupyter/voila/templates/vndiplomacy/index.html.j2",
}


def install_config(prefix: Path | str = sys.prefix) -> list[Path]:
    """Copy the course's Jupyter configuration into an environment; returns the files written."""
    written = []
    for source, target in INSTALLED.items():
        path = Path(prefix) / target
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(course_root() / "jupyter-config" / source, path)
        written.append(path)
    return written


def stale_config(prefix: Path | str = sys.prefix) -> list[str]:
    """Files of the configuration missing from the environment or different from jupyter-config/."""
    config = course_root() / "jupyter-config"
    return [target for source, target in INSTALLED.items() if not _same(config / source, Path(prefix) / target)]


def _same(source: Path, installed: Path) -> bool:
    """Whether an installed file holds what jupyter-config/ says (JSON compared by content: JupyterLab rewrites
    page_config.json in its own layout).
    """
    if not installed.exists():
        return False
    if source.suffix == ".json":
        return json.loads(source.read_text()) == json.loads(installed.read_text())
    return filecmp.cmp(source, installed, shallow=False)


def _root_flag() -> list[str]:
    return ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def free_port(start: int) -> int:
    """The first port from `start` on which nothing listens on this machine."""
    for port in range(start, start + 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError(f"no free port between {start} and {start + 49}")


def start_notebook() -> str:
    """The notebook JupyterLab opens on: the course's first."""
    return course().notebooks[0].file


def lab_command(extra: list[str]) -> list[str]:
    """JupyterLab on the whole course, landing on the start notebook."""
    return [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course_root()}",
            f"--LabApp.default_url=/lab/tree/{start_notebook()}", *_root_flag(), *extra]


def voila_command(port: int, extra: list[str]) -> list[str]:
    """Voila serving the course folder (code hidden) on a given port."""
    return [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.port_retries=0",
            *extra, str(course_root())]


def main(argv: list[str]) -> int:
    """Start JupyterLab or Voila; extra arguments go to the server."""
    if not argv or argv[0] not in ("lab", "voila", "install-config"):
        print("usage: python -m vndiplomacy.launch lab|voila|install-config [server options]", file=sys.stderr)
        return 2
    if argv[0] == "install-config":
        for path in install_config():
            print(f"installed {path}")
        return 0
    if stale_config():
        install_config()
    what, extra = argv[0], argv[1:]
    if what == "lab":
        print("Starting JupyterLab on the whole course. It opens notebooks/00_start_here.ipynb in your browser;\n"
              "if it does not, open the address printed below that ends in 00_start_here.ipynb?token=…\n"
              "Stop it with Ctrl+C (twice). To run the explorer app beside it, run `make voila` in another "
              "terminal.\n", flush=True)
        return subprocess.call(lab_command(extra), cwd=course_root())
    port = free_port(int(os.environ.get("VOILA_PORT", VOILA_PORT)))
    base = next((a.split("=", 1)[1] for a in extra if a.startswith("--Voila.base_url=")), "/")
    print(f"Starting the explorer app in Voila. Open:\n\n    http://localhost:{port}{base}voila/render/{course().apps[0].file}\n\n"
          "Stop it with Ctrl+C.\n", flush=True)
    return subprocess.call(voila_command(port, extra), cwd=course_root())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
