"""JupyterHub for a class on one machine (each learner a user of this machine, with a home folder).

Start it with `make hub`, which runs `jupyterhub -f hub/jupyterhub_config.py` with the pinned proxy. Add your
site's login (for example an OAuthenticator) in a file of your own that loads this one first:

    c = get_config()
    load_subconfig("/path/to/course/hub/jupyterhub_config.py")
    c.JupyterHub.authenticator_class = "github"

Set VNDIPLOMACY_CLASS_FOLDER before starting the hub to give learners a "Submit to my class" button that writes
into that folder (the teacher guide gives the commands that make it a drop box). The course's tests start the hub
with this file, adding only a test login, homes in a temporary folder and loopback ports.
"""
import os
import pwd
import shutil
from pathlib import Path

from vndiplomacy.hub import learner_environment

c = get_config()  # noqa: F821 (defined by JupyterHub when it reads this file)

HERE = Path(__file__).resolve().parent
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
CLASS_FOLDER = os.environ.get("VNDIPLOMACY_CLASS_FOLDER", "")


def _home(spawner) -> str:
    """The learner's home folder, for the spawner in use."""
    return getattr(spawner, "home_dir", "") or pwd.getpwnam(spawner.user.name).pw_dir


c.Spawner.environment = {name: (lambda spawner, name=name: learner_environment(_home(spawner), CLASS_FOLDER)[name])
                         for name in learner_environment("~", CLASS_FOLDER)}
c.Spawner.default_url = "/lab"
# The single-user server refuses to run as root unless told (containers and test machines run as root).
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.ConfigurableHTTPProxy.command = [str(PROXY) if PROXY.exists() else shutil.which("configurable-http-proxy") or
                                   "configurable-http-proxy"]
