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

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-quic", "--disable-sync"]
BASE_URL = "/user/test/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def private_env(home: Path, progress: Path) -> dict:
    """Jupyter state in a temporary folder; news and update checks off; notebooks fully rendered."""
    settings = home / "lab-settings"
    for path, content in {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                             "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }.items():
        (settings / path).parent.mkdir(parents=True, exist_ok=True)
        (settings / path).write_text(json.dumps(content))
    return dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
                IPYTHONDIR=str(home / "ipython"), VNDIPLOMACY_PROGRESS=str(progress), JUPYTER_PLATFORM_DIRS="1")


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
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
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def jupyter_lab(base_url: str = BASE_URL):
    """JupyterLab serving the repository under base_url; yields (root URL, token)."""
    home = Path(tempfile.mkdtemp(prefix="vd-lab-"))
    port, token = free_port(), secrets.token_hex(16)
    env = private_env(home, home / "progress.sqlite")
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.base_url={base_url}", f"--IdentityProvider.token={token}", "--allow-root",
               "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", f"--ServerApp.root_dir={ROOT}"]
    url = f"http://127.0.0.1:{port}{base_url}"
    with running(command, f"{url}api/status?token={token}", env, home / "lab.log"):
        yield url, token


@contextlib.contextmanager
def voila(base_url: str = BASE_URL):
    """Standalone Voila serving the repository's notebooks (code hidden) under base_url; yields its root URL."""
    home = Path(tempfile.mkdtemp(prefix="vd-voila-"))
    port = free_port()
    env = private_env(home, home / "progress.sqlite")
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
               f"--Voila.base_url={base_url}", "--show_tracebacks=True", str(ROOT)]
    url = f"http://127.0.0.1:{port}{base_url}"
    with running(command, f"{url}voila/static/", env, home / "voila.log"):
        yield url
