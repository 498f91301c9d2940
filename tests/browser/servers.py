"""Start JupyterLab or Voila on a free loopback port, with private settings, for the browser tests."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from vndiplomacy.paths import course_root

ROOT = course_root()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-quic", "--disable-sync"]
BASE_URL = "/user/test/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_env(home: Path, progress: Path) -> dict:
    """Per-user Jupyter state in a temporary folder; the course's own settings come from the environment,
    exactly as `make lab` and `make voila` use them. The test user's one setting of their own: no autosave,
    so that running the course's notebooks in the browser never writes their outputs into the repository."""
    settings = home / "lab-settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"autosave": False}))
    return dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
                IPYTHONDIR=str(home / "ipython"), VNDIPLOMACY_PROGRESS=str(progress), JUPYTER_PLATFORM_DIRS="1",
                MAKEFLAGS="")


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} within {seconds} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running(command: list[str], ready_url: str, env: dict, log: Path):
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_for(ready_url, process, log)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a server started through make, with everything make started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


class Server:
    """A running course server: its root URL, token (for JupyterLab), and what it printed."""

    def __init__(self, url: str, token: str, log: Path):
        self.url, self.token, self.log = url, token, log

    def printed(self) -> str:
        return self.log.read_text()

    def __iter__(self):  # url, token = server
        return iter((self.url, self.token))


@contextlib.contextmanager
def jupyter_lab(base_url: str = BASE_URL):
    """`make lab`, as a learner runs it, under base_url and on a free loopback port; yields a Server."""
    home = Path(tempfile.mkdtemp(prefix="vd-lab-"))
    port, token = free_port(), secrets.token_hex(16)
    env = private_env(home, home / "progress.sqlite")
    extra = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.base_url={base_url} --IdentityProvider.token={token} "
             "--ServerApp.port_retries=0 --LabApp.expose_app_in_browser=True")
    command = ["make", "-s", "lab", f"PORT={port}", f"LAB_ARGS={extra}"]
    url = f"http://127.0.0.1:{port}{base_url}"
    with running(command, f"{url}api/status?token={token}", env, home / "lab.log"):
        yield Server(url, token, home / "lab.log")


@contextlib.contextmanager
def voila(base_url: str = BASE_URL):
    """`make voila`, as a learner runs it, under base_url; yields a Server whose URL is the one it printed."""
    home = Path(tempfile.mkdtemp(prefix="vd-voila-"))
    env = dict(private_env(home, home / "progress.sqlite"), VOILA_PORT=str(free_port()))
    command = ["make", "-s", "voila", f"VOILA_ARGS=--Voila.ip=127.0.0.1 --Voila.base_url={base_url} "
                                      "--show_tracebacks=True"]
    log = home / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "voila/render/" not in log.read_text() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        printed = next(line.strip() for line in log.read_text().splitlines() if "/voila/render/" in line)
        root = printed.split("voila/render/")[0].replace("localhost", "127.0.0.1")
        wait_for(f"{root}voila/static/", process, log)
        yield Server(root, "", log)
    finally:
        stop(process)


@contextlib.contextmanager
def website(subpath: str = "vietnam-foreign-policy-course"):
    """`make site`, then the folder served as the README says (python -m http.server), under a sub-path as GitHub
    Pages publishes it; the build runs with a learner's own progress store set, which it must ignore. Yields the
    Server (its url ends in the sub-path) and the built folder."""
    home = Path(tempfile.mkdtemp(prefix="vd-site-"))
    env = private_env(home, home / "learner_progress.sqlite")
    log = home / "site.log"
    with log.open("w") as out:
        subprocess.run(["make", "-s", "site"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    built = ROOT / "_site"
    if not (built / "index.html").exists():
        raise RuntimeError(f"make site built nothing:\n{log.read_text()[-3000:]}")
    served = home / "served"
    served.mkdir()
    (served / subpath).symlink_to(built, target_is_directory=True)
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(served)]
    url = f"http://127.0.0.1:{port}/{subpath}/"
    with running(command, f"{url}index.html", env, home / "http.log"):
        yield Server(url, "", log), built
