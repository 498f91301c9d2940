"""The Kubernetes set-up (Zero to JupyterHub): the image, the learners' homes, the course, the drop box, the link."""
import re
import shlex
from pathlib import PurePosixPath
from types import SimpleNamespace

import pytest
import yaml
from course_paths import ROOT
from traitlets.config import Config

from vndiplomacy.classroom import CLASS_FOLDER_VARIABLE
from vndiplomacy.hub import BRANCH, COURSE_FOLDER, REPOSITORY_URL, learner_environment, pull_link

FOLDER = ROOT / "hub" / "zero-to-jupyterhub"
CONFIG_TEXT = (FOLDER / "config.yaml").read_text(encoding="utf-8")
README = (FOLDER / "README.md").read_text(encoding="utf-8")
CONFIG = yaml.safe_load(CONFIG_TEXT)
SINGLEUSER = CONFIG["singleuser"]
HOME = "/home/jovyan"


def comments(text):
    """The comment lines of a YAML file, without the leading #."""
    return [line.strip()[1:].strip() for line in text.splitlines() if line.strip().startswith("#")]


def build_commands(lines):
    """The repo2docker commands among these lines, as argument lists."""
    return [shlex.split(line) for line in lines if line.startswith("jupyter-repo2docker ")]


def option(args, name):
    """The value of a command-line option, written `--name=value` or `--name value`."""
    for i, arg in enumerate(args):
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
        if arg == name:
            return args[i + 1]
    return None


def test_learners_run_the_course_image_with_a_pinned_tag():
    image = SINGLEUSER["image"]
    assert image["name"] == "ghcr.io/vndiplomacy/vietnam-foreign-policy-course"
    assert isinstance(image["tag"], str) and image["tag"].strip() and image["tag"] != "latest"


def test_the_image_is_built_like_binder_builds_it_with_the_course_outside_home():
    readme = build_commands(README.splitlines())
    in_config = build_commands(comments(CONFIG_TEXT))
    assert len(readme) == 1 and readme == in_config, "README and config.yaml give the same one build command"
    args = readme[0]
    target = option(args, "--target-repo-dir")
    assert target and PurePosixPath(target).is_absolute(), "the course's software goes to an absolute folder"
    assert not PurePosixPath(target).is_relative_to("/home"), "a home volume would hide the course's software"
    assert option(args, "--image-name") == f"{SINGLEUSER['image']['name']}:{SINGLEUSER['image']['tag']}"
    assert (option(args, "--user-id"), option(args, "--user-name")) == ("1000", "jovyan"), "the chart's user"
    assert args[-1] == REPOSITORY_URL and "--no-run" in args
    push = f"docker push {SINGLEUSER['image']['name']}:{SINGLEUSER['image']['tag']}"
    assert push in README and push in comments(CONFIG_TEXT)


def test_servers_open_in_the_learners_home_not_in_the_image_folder():
    assert CONFIG["hub"]["config"]["KubeSpawner"]["working_dir"] == HOME
    assert SINGLEUSER["defaultUrl"] == "/lab"


def test_homes_are_persistent_volumes_mounted_at_home():
    storage = SINGLEUSER["storage"]
    assert storage["type"] == "dynamic" and storage["homeMountPath"] == HOME
    assert re.fullmatch(r"[1-9]\d*(Gi|Mi)", storage["capacity"])


def test_learners_kernels_import_the_course_from_their_own_copy():
    assert SINGLEUSER["extraEnv"]["PYTHONPATH"] == learner_environment(HOME)["PYTHONPATH"]


def test_every_start_pulls_the_course_into_the_learners_home():
    command = SINGLEUSER["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:2] == ["sh", "-c"], command
    words = shlex.split(command[2])
    assert words[:3] == ["cd", HOME, "&&"], "the course folder is relative to the home folder"
    puller = words.index("gitpuller")
    assert words[puller + 1:puller + 4] == [REPOSITORY_URL, BRANCH, COURSE_FOLDER]
    assert words[puller + 4:] == ["||", "true"], "a failed pull must not stop the learner's server from starting"


def dropbox_mount():
    folder = SINGLEUSER["extraEnv"][CLASS_FOLDER_VARIABLE]
    mounts = [m for m in SINGLEUSER["storage"]["extraVolumeMounts"].values() if m["mountPath"] == folder]
    assert len(mounts) == 1, f"one volume is mounted at the class folder {folder}"
    return mounts[0]


def test_each_learner_sees_only_their_own_folder_of_the_shared_drop_box():
    folder = SINGLEUSER["extraEnv"][CLASS_FOLDER_VARIABLE]
    assert PurePosixPath(folder).is_absolute() and not PurePosixPath(folder).is_relative_to(HOME)
    mount = dropbox_mount()
    assert mount["subPath"] == "{username}"
    volumes = {v["name"]: v for v in SINGLEUSER["storage"]["extraVolumes"].values()}
    claim = volumes[mount["name"]]["persistentVolumeClaim"]["claimName"]
    assert f"name: {claim}" in README and "ReadWriteMany" in README, "README says how to create the shared volume"


def pod_for(user, groups):
    """A learner's pod as KubeSpawner makes it from config.yaml ({username} filled in), and the pod hook's result."""
    namespace = {"c": Config()}
    for code in CONFIG["hub"]["extraConfig"].values():
        exec(compile(code, "hub.extraConfig", "exec"), namespace)
    mounts = [SimpleNamespace(name=m["name"], mount_path=m["mountPath"], sub_path=m.get("subPath", "").format(
        username=user) or None) for m in SINGLEUSER["storage"]["extraVolumeMounts"].values()]
    mounts.append(SimpleNamespace(name=f"volume-{user}", mount_path=HOME, sub_path=None))
    pod = SimpleNamespace(spec=SimpleNamespace(containers=[SimpleNamespace(name="notebook", volume_mounts=mounts)]))
    spawner = SimpleNamespace(user=SimpleNamespace(name=user, groups=[SimpleNamespace(name=g) for g in groups]))
    pod = namespace["c"].KubeSpawner.modify_pod_hook(spawner, pod)
    return {m.mount_path: m.sub_path for m in pod.spec.containers[0].volume_mounts}


def test_teachers_see_every_learners_folder_and_learners_only_their_own():
    folder = dropbox_mount()["mountPath"]
    teachers = CONFIG["hub"]["config"]["JupyterHub"]["load_groups"]
    assert list(teachers) == ["teachers"]
    assert pod_for("ana", []) == {folder: "ana", HOME: None}
    assert pod_for("thu", ["students"]) == {folder: "thu", HOME: None}
    assert pod_for("teacher1", list(teachers)) == {folder: None, HOME: None}, "the teacher mounts the whole volume"


def test_the_link_teachers_are_given_is_the_one_the_course_makes():
    link = pull_link("https://hub.example.edu")
    assert link in comments(CONFIG_TEXT)
    for name, text in (("config.yaml", CONFIG_TEXT), ("README.md", README)):
        links = re.findall(r"https://hub\.example\.edu/hub/user-redirect/git-pull\S*", text)
        assert links and set(links) == {link}, f"{name} gives another link than `make hub-link`"


def test_no_one_logs_in_with_the_charts_test_login():
    # The chart's default login is "dummy" (anyone, any password): the course's settings must replace it.
    assert CONFIG["hub"]["config"]["JupyterHub"]["authenticator_class"] not in (None, "", "dummy")
    assert "Authenticator" in CONFIG["hub"]["config"]


def gigabytes(quantity):
    number, unit = re.fullmatch(r"([\d.]+)([MG])", quantity).groups()
    return float(number) / (1000 if unit == "M" else 1)


def test_class_settings_cull_idle_servers_and_bound_each_learners_memory():
    assert CONFIG["cull"]["enabled"] is True and 1800 <= CONFIG["cull"]["timeout"] <= 7200
    memory = SINGLEUSER["memory"]
    assert 0.5 <= gigabytes(memory["guarantee"]) <= gigabytes(memory["limit"]) <= 4, "the kernel uses ~300 MB"


@pytest.mark.parametrize("text", [README, CONFIG_TEXT], ids=["README.md", "config.yaml"])
def test_the_chart_notes_name_the_images_jupyterhub(text):
    pin = re.search(r"^jupyterhub==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M).group(1)
    assert set(re.findall(r"jupyterhub==(\d\S*?)[`\s)]", text)) == {pin}, "the chart must match the image's JupyterHub"
    assert f"JupyterHub {pin.split('.')[0]}" in text


def test_the_install_command_pins_the_chart():
    helm = [line for line in README.splitlines() if line.startswith("helm upgrade ")]
    assert len(helm) == 1 and "--cleanup-on-fail --install" in helm[0]
    args = shlex.split(helm[0])
    assert option(args, "--version") and option(args, "--values") == "hub/zero-to-jupyterhub/config.yaml"
    assert "helm repo add jupyterhub https://hub.jupyter.org/helm-chart/" in README
