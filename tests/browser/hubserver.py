"""A real JupyterHub for the class tests, started from the course's own hub configuration (hub/jupyterhub_config.py)
with only a test login, homes in a temporary folder, loopback ports and an admin service added; and a client
that acts as a learner through the hub's REST and websocket API."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import requests
import websocket
from servers import ROOT, free_port, stop, wait_for

HUB_CONFIG = ROOT / "hub" / "jupyterhub_config.py"
PROXY_BIN = ROOT / "hub" / "node_modules" / ".bin"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

TEST_CONFIG = """
c = get_config()
load_subconfig({config!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {password!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.args = [*c.Spawner.args, "--LabApp.expose_app_in_browser=True"]
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.services = [{{"name": "class-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "class-test", "services": ["class-test"],
                            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}}]
"""


class Hub:
    """A running hub: its public URL, the admin service token, the learners' password, and its log."""

    def __init__(self, url: str, token: str, password: str, homes: Path, log: Path):
        self.url, self.token, self.password, self.homes, self.log = url, token, password, homes, log

    def api(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}hub/api/{path}", timeout=60,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def add_learner(self, name: str) -> str:
        """Create a hub user (if new) and return a new API token of theirs."""
        with contextlib.suppress(requests.HTTPError):  # 409: the user exists
            self.api("POST", f"users/{name}")
        return self.api("POST", f"users/{name}/tokens", json={"note": "class test", "expires_in": 3600})["token"]

    def start_server(self, name: str, timeout: float = 300) -> float:
        """Start a learner's server and wait until it is ready; returns the seconds it took."""
        start = time.monotonic()
        with contextlib.suppress(requests.HTTPError):  # 400: already starting or running
            self.api("POST", f"users/{name}/server")
        while time.monotonic() - start < timeout:
            server = self.api("GET", f"users/{name}").get("servers", {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server was not ready in {timeout} s:\n{self.log.read_text()[-3000:]}")


@contextlib.contextmanager
def jupyterhub(workdir: Path, class_folder: Path):
    """Start the course's hub with the test additions; yields a Hub."""
    homes = workdir / "home"
    homes.mkdir(parents=True)
    port, token, password = free_port(), secrets.token_hex(16), secrets.token_hex(8)
    config = workdir / "jupyterhub_test_config.py"
    config.write_text(TEST_CONFIG.format(config=str(HUB_CONFIG), port=port, hub_port=free_port(),
                                         api_port=free_port(), password=password, homes=str(homes), token=token))
    venv_bin = Path(os.sys.executable).parent
    env = dict(os.environ, PATH=f"{venv_bin}:{PROXY_BIN}:{os.environ['PATH']}",
               VNDIPLOMACY_CLASS_FOLDER=str(class_folder), MAKEFLAGS="")
    for private in ("VNDIPLOMACY_PROGRESS", "JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "IPYTHONDIR"):
        env.pop(private, None)
    log = workdir / "hub.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(venv_bin / "jupyterhub"), "-f", str(config)], cwd=workdir, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(f"{url}hub/api/", process, log, seconds=120)
        deadline = time.monotonic() + 120
        while requests.get(f"{url}hub/api/", timeout=10).status_code != 200:  # the proxy answers before the hub
            assert time.monotonic() < deadline and process.poll() is None, log.read_text()[-3000:]
            time.sleep(0.3)
        yield Hub(url, token, password, homes, log)
    finally:
        stop(process)


class Learner:
    """A learner acting through the hub's REST API with their own token."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.token = hub.add_learner(name)
        self.base = f"{hub.url}user/{name}/"
        self.home = hub.homes / name

    def get(self, path: str, **kwargs):
        return requests.get(f"{self.base}{path}", headers={"Authorization": f"token {self.token}"}, timeout=120,
                            **kwargs)

    def pull(self, link: str) -> list[dict]:
        """Follow the course's nbgitpuller link as its page does: call the pull API with the link's query; returns
        the progress events, the last one being 'finished' (or 'error')."""
        query = urllib.parse.urlsplit(link).query
        events = []
        with self.get(f"git-pull/api?{query}", stream=True) as response:
            response.raise_for_status()
            for line in response.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        return events

    def open(self, path: str) -> Kernel:
        """Open a notebook as JupyterLab does (a session and its kernel), and connect to the kernel."""
        response = requests.post(f"{self.base}api/sessions", json={"path": path, "type": "notebook", "name": "",
                                                                   "kernel": {"name": "python3"}},
                                 headers={"Authorization": f"token {self.token}"}, timeout=120)
        response.raise_for_status()
        return Kernel(self, response.json()["kernel"]["id"])

    def notebook(self, path: str) -> dict:
        response = self.get(f"api/contents/{path}?content=1")
        response.raise_for_status()
        return response.json()["content"]

    def save_notebook(self, path: str, content: dict) -> None:
        requests.put(f"{self.base}api/contents/{path}", json={"type": "notebook", "format": "json",
                                                              "content": content},
                     headers={"Authorization": f"token {self.token}"}, timeout=60).raise_for_status()


class Kernel:
    """A kernel driven over the websocket channels, as a browser tab drives it."""

    def __init__(self, learner: Learner, kernel_id: str):
        self.learner, self.id = learner, kernel_id
        self.session = uuid.uuid4().hex
        url = learner.base.replace("http://", "ws://") + f"api/kernels/{kernel_id}/channels?session_id={self.session}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {learner.token}"], timeout=600)

    def send(self, code: str) -> str:
        """Send an execute request; returns its message id."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": self.learner.name, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        return msg_id

    def collect(self, msg_id: str, timeout: float = 600) -> dict:
        """Everything the kernel sent for one request: stdout, errors, whether and when a widget was displayed."""
        result = {"stdout": "", "errors": [], "widget_at": None}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.ws.recv()
            if isinstance(frame, bytes):  # a message with binary buffers (widget state): not needed here
                continue
            message = json.loads(frame)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stdout":
                result["stdout"] += content["text"]
            elif kind == "error":
                result["errors"].append(f"{content['ename']}: {content['evalue']}")
            elif kind in ("display_data", "execute_result") and WIDGET_MIME in content.get("data", {}):
                result["widget_at"] = result["widget_at"] or time.monotonic()
            elif kind == "status" and content["execution_state"] == "idle":
                return result
        raise TimeoutError(f"{self.learner.name}: no answer from the kernel within {timeout} s")

    def run(self, code: str, timeout: float = 600) -> dict:
        result = self.collect(self.send(code), timeout)
        assert not result["errors"], f"{self.learner.name}: {result['errors']}"
        return result

    def close(self) -> None:
        self.ws.close()
