"""A whole class on one real JupyterHub, started from the course's hub configuration.

Eight learners follow the teachers' nbgitpuller link (pointing at a local clone of the course) and open 01_history
at once: two in Chromium, six through the hub's REST and websocket API. They answer quiz questions together after a
barrier; one of them has 01 and 05 open and answers in both. Every attempt made must be in the learner's store and in
what they submit to the class folder, every map must draw countries, and a second pull after a course change must
bring the new data and keep a learner's edited notebook. The figures go to test-artifacts/hub/.
"""
import json
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from conftest import Page
from hubserver import Learner, jupyterhub
from servers import ROOT
from test_lab import NOTEBOOKS, check_rendered, start_run_all, wait_until_all_ran

from vndiplomacy.classroom import read_class_folder
from vndiplomacy.hub import COURSE_FOLDER, pull_link
from vndiplomacy.quizbank import load_bank

LEARNERS = ["ana", "binh", "chi", "dung", "hoa", "lan", "minh", "tuan"]
IN_BROWSER = ["ana", "binh"]
TWO_NOTEBOOKS = "chi"  # has 01 and 05 open at once: two kernels write to one store
EDITOR = "dung"  # edits 01 before the course changes
NOTEBOOK_01 = f"{COURSE_FOLDER}/notebooks/01_history.ipynb"
NOTEBOOK_05 = f"{COURSE_FOLDER}/notebooks/05_synthesis.ipynb"
# Each round, every learner sends one answer at the same moment: (topic, question id, right?).
ROUNDS = [("01_history", "history-01", False), ("01_history", "history-01", True), ("01_history", "history-04", True)]
ROUNDS_05 = [("05_synthesis", "synthesis-05", True), ("05_synthesis", "synthesis-05", False), None]
NEW_TERM = "a term added after the class began"
ARTIFACTS = ROOT / "test-artifacts" / "hub"

# In a learner's kernel: answer a question of the quiz the notebook displayed (the widget its quiz cell returned),
# by setting the control and clicking Check, as the learner's click does.
ANSWER = """
import json as _json
from vndiplomacy.quiz import Quiz as _Quiz
def _class_answer(topic, question_id, right):
    shown = [value for value in Out.values() if isinstance(value, _Quiz) and value.bank.topic == topic]
    view = next(v for v in shown[-1].views if v.question.id == question_id)
    answer = view.question.answer
    view.control.value = answer if right else next(o for o in view.control.options if o != answer)
    view.check.click()
    return view.feedback.value
"""
# In a learner's kernel: where the package and data come from, and what the notebook's map sent to the page (the
# outlines for plotly.js, and the countries to shade).
WHERE_FROM = """
import json, vndiplomacy, vndiplomacy.data
from vndiplomacy.views import CountryMap as _Map
_maps = [value for value in Out.values() if isinstance(value, _Map)]
_outputs = _maps[-1].chart.output.outputs
print(json.dumps({"package": vndiplomacy.__file__, "data": str(vndiplomacy.data.data_dir()),
                  "outlines": "PlotlyGeoAssets" in _outputs[0]["data"].get("application/javascript", ""),
                  "countries": len(_outputs[-1]["data"]["application/vnd.plotly.v1+json"]["data"][0]["locations"])}))
"""
HAND_IN = """
import json
from vndiplomacy.dashboard import ProgressDashboard
_board = ProgressDashboard()
_board.submit_to_class()
_submitted = _board.status.value
_board.export_progress()
print(json.dumps({"status": _submitted, "stored": _board.store.attempts()[["uid", "question", "kind"]]
                  .to_dict(orient="records")}))
"""


# In the page: the time from now until the first course widget appears, kept in window.vdFirstWidgetMs.
FIRST_WIDGET_CLOCK = """() => { const start = performance.now();
    const watch = new MutationObserver(() => { if (document.querySelector('.vd-setup')) {
        window.vdFirstWidgetMs = performance.now() - start; watch.disconnect(); } });
    watch.observe(document.body, {subtree: true, childList: true}); }"""


def wrong_option(topic, question_id):
    question = next(q for q in load_bank(topic).questions if q.id == question_id)
    return next(o for o in question.options if o != question.answer), question.answer


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in notebook["cells"] if c["cell_type"] == "code"]


class Class:
    """What the learners did and saw, gathered from their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.figures = {name: {} for name in LEARNERS}
        self.sent = []  # (round, learner, time)
        self.made = {name: [] for name in LEARNERS}  # (question, expected kind)
        self.failures = []

    def note(self, name, **figures):
        with self.lock:
            self.figures[name].update(figures)


def expected_kind(history: list[bool]) -> str:
    return "first" if not history else "retry" if len(history) == 1 and not history[0] else "practice"


def rest_learner(hub, link, name, barrier, record: Class):
    """A learner driving their kernels through the hub's API."""
    try:
        learner = Learner(hub, name)
        record.note(name, server_ready_s=round(hub.start_server(name), 1))
        started = time.monotonic()
        events = learner.pull(link)
        assert events[-1]["phase"] == "finished", f"{name}: pull ended with {events[-1]}"
        record.note(name, pull_s=round(time.monotonic() - started, 1))
        kernels = {"01_history": learner.open(NOTEBOOK_01)}
        opened = time.monotonic()
        if name == TWO_NOTEBOOKS:
            kernels["05_synthesis"] = learner.open(NOTEBOOK_05)
        for topic, kernel in kernels.items():
            path = NOTEBOOK_01 if topic == "01_history" else NOTEBOOK_05
            for cell in code_cells(learner.notebook(path)):
                result = kernel.run(cell)
                if topic == "01_history" and result["widget_at"] and "open_to_first_widget_s" not in record.figures[name]:
                    record.note(name, open_to_first_widget_s=round(result["widget_at"] - opened, 1))
            kernel.run(ANSWER)
        where = json.loads(kernels["01_history"].run(WHERE_FROM)["stdout"])
        assert where["package"].startswith(str(learner.home / COURSE_FOLDER / "src")), where
        assert where["data"] == str(learner.home / COURSE_FOLDER / "data"), where
        assert where["outlines"] and where["countries"] > 0, where
        record.note(name, countries_shaded=where["countries"])
        history = {}
        for number, plan in enumerate(ROUNDS):
            extra = ROUNDS_05[number] if name == TWO_NOTEBOOKS else None
            barrier.wait()
            sent = []
            for topic, question, right in filter(None, [plan, extra]):
                code = f"print(_class_answer({topic!r}, {question!r}, {right}))"
                sent.append((kernels[topic], kernels[topic].send(code), question, right))
                with record.lock:
                    record.sent.append((number, name, time.time()))
            for kernel, msg_id, question, right in sent:
                result = kernel.collect(msg_id)
                assert not result["errors"], f"{name}: {result['errors']}"
                with record.lock:
                    record.made[name].append((question, expected_kind(history.get(question, []))))
                history.setdefault(question, []).append(right)
                assert "not saved" not in result["stdout"], f"{name}: {result['stdout'][-300:]}"
        for kernel in kernels.values():
            kernel.close()
    except BaseException as exc:  # reported by the test, after the other learners stop
        record.failures.append(f"{name}: {exc!r}")
        barrier.abort()


def browser_learners(browser, hub, link, barrier, record: Class):
    """Two learners in Chromium: log in, follow the link, run 01, see widgets and the map, answer by clicking."""
    sessions, pages = {}, {}
    for name in IN_BROWSER:
        Learner(hub, name)  # the account exists, as for every learner
        offline = Page(browser)  # only loopback requests, failures recorded
        context, page = offline.context, offline.page
        pages[name] = offline
        started = time.monotonic()
        page.goto(f"{hub.url}hub/login?next={requests.utils.quote(link.split(hub.url.rstrip('/'), 1)[1])}")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.password)
        page.click("#login_submit")
        sessions[name] = (context, page, started)
    for name, (_context, page, started) in sessions.items():
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=600_000)
        record.note(name, link_to_notebook_s=round(time.monotonic() - started, 1))
        assert f"/user/{name}/lab" in page.url, page.url
        page.evaluate(FIRST_WIDGET_CLOCK)
        start_run_all(page, 600_000)
    for name, (_context, page, _started) in sessions.items():
        try:
            page.wait_for_selector(".vd-setup", timeout=600_000)
            record.note(name, open_to_first_widget_s=round(page.evaluate("window.vdFirstWidgetMs") / 1000, 1))
            wait_until_all_ran(page, 600_000)
            page.locator(".vd-map").first.scroll_into_view_if_needed()  # plotly draws a figure once it is shown
            page.wait_for_selector(".vd-map .js-plotly-plot .choroplethlocation", state="attached", timeout=120_000)
            page.screenshot(path=str(ARTIFACTS / f"{name}_01_history_map.png"))
            check_rendered(page, f"{name}'s 01_history", NOTEBOOKS["01_history"])
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / f"{name}_failed.png"), full_page=True)
            raise
        # The spawn and pull pages' event streams are cut short when the page moves on (ERR_ABORTED); nothing else
        # may fail, and nothing may leave the machine.
        failed = [f for f in pages[name].failed if "ERR_ABORTED" not in f]
        assert not pages[name].outside and not failed, (pages[name].outside, failed)
        record.note(name, countries_drawn=page.locator(".vd-map .choroplethlocation").count())
    questions = [q.id for q in load_bank("01_history").questions]
    history = {name: {} for name in IN_BROWSER}
    for number, (topic, question, right) in enumerate(ROUNDS):
        wrong, answer = wrong_option(topic, question)
        views = {}
        for name, (_context, page, _started) in sessions.items():
            view = page.locator(".vd-quiz .vd-quiz-question").nth(questions.index(question))
            view.scroll_into_view_if_needed()
            view.locator("label", has_text=answer if right else wrong).first.click()
            views[name] = view
        barrier.wait()
        for name, view in views.items():
            with record.lock:
                record.sent.append((number, name, time.time()))
            view.locator(".vd-quiz-check").click()
        for name, view in views.items():
            feedback = view.locator(".vd-quiz-feedback")
            feedback.locator(".vd-right, .vd-wrong").first.wait_for(timeout=120_000)
            assert "not saved" not in feedback.inner_text(), f"{name}: {feedback.inner_text()}"
            with record.lock:
                record.made[name].append((question, expected_kind(history[name].get(question, []))))
            history[name].setdefault(question, []).append(right)
    for context, _page, _started in sessions.values():
        context.close()


@pytest.fixture(scope="module")
def course_upstream():
    """A local clone of the course (what the link's repo points at), which the test can change."""
    folder = Path(tempfile.mkdtemp(prefix="vd-upstream-"))
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(ROOT), str(folder / "course")], check=True)
    return folder / "course"


def change_course(upstream: Path) -> None:
    """The course changes after the class began: a new glossary row, and a new sentence in 01's first cell."""
    glossary = upstream / "data" / "glossary.csv"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    first_row = lines[1].split(",", 1)[1]
    glossary.write_text("\n".join([*lines, f"{NEW_TERM},{first_row}"]) + "\n", encoding="utf-8")
    notebook = upstream / "notebooks" / "01_history.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"][0]["source"] = [*content["cells"][0]["source"], "\n\nUpdated by the course team."]
    notebook.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(upstream), "-c", "user.name=Course team", "-c", "user.email=team@example.org",
                    "commit", "--quiet", "-am", "A new glossary term"], check=True)


def test_a_class_of_eight_on_one_hub(browser, course_upstream):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="vd-hub-"))
    class_folder = work / "class"
    class_folder.mkdir()
    with jupyterhub(work, class_folder) as hub:
        link = pull_link(hub.url, "notebooks/01_history.ipynb", repo=f"file://{course_upstream}")
        record = Class()
        barrier = threading.Barrier(len(LEARNERS) - len(IN_BROWSER) + 1, timeout=900)
        threads = [threading.Thread(target=rest_learner, args=(hub, link, name, barrier, record), daemon=True)
                   for name in LEARNERS if name not in IN_BROWSER]
        for thread in threads:
            thread.start()
        try:
            browser_learners(browser, hub, link, barrier, record)
        except BaseException:
            barrier.abort()
            raise
        finally:
            for thread in threads:
                thread.join(900)
        assert not record.failures, record.failures

        spreads = []
        for number in range(len(ROUNDS)):
            times = [t for n, _name, t in record.sent if n == number]
            spreads.append(round(max(times) - min(times), 2))
            assert max(times) - min(times) < 1, f"round {number + 1}: answers were not sent together"

        for name in LEARNERS:
            learner = Learner(hub, name)
            kernel = learner.open(f"{COURSE_FOLDER}/notebooks/00_start_here.ipynb")
            handed = json.loads(kernel.run(HAND_IN)["stdout"])
            kernel.close()
            stored = [(a["question"], a["kind"]) for a in handed["stored"]]
            assert sorted(stored) == sorted(record.made[name]), f"{name}: made {record.made[name]}, stored {stored}"
            assert "Submitted" in handed["status"], handed["status"]
            submitted = json.loads((class_folder / f"{name}.json").read_text())
            assert {a["uid"] for a in submitted["attempts"]} == {a["uid"] for a in handed["stored"]}
            exported = json.loads((learner.home / COURSE_FOLDER / "notebooks" / "my_progress.json").read_text())
            assert {a["uid"] for a in exported["attempts"]} == {a["uid"] for a in handed["stored"]}
            record.note(name, attempts_made=len(record.made[name]), attempts_stored=len(stored))
            assert record.figures[name].get("countries_drawn", record.figures[name].get("countries_shaded", 0)) > 0

        teacher = read_class_folder(class_folder)
        assert teacher.learners == sorted(LEARNERS) and not teacher.skipped
        assert len(teacher.attempts) == sum(len(made) for made in record.made.values())

        editor = Learner(hub, EDITOR)
        mine = editor.notebook(NOTEBOOK_01)
        mine["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": "My own notes on Chien."})
        editor.save_notebook(NOTEBOOK_01, mine)
        change_course(course_upstream)
        events = editor.pull(link)
        assert events[-1]["phase"] == "finished", events[-1]
        after = editor.notebook(NOTEBOOK_01)
        assert after["cells"][1]["source"] == "My own notes on Chien.", "the pull overwrote the learner's notebook"
        kernel = editor.open(f"{COURSE_FOLDER}/notebooks/00_start_here.ipynb")
        shown = kernel.run("import vndiplomacy as vd\nprint(vd.glossary_lookup(" + repr(NEW_TERM) + ").results.value)")
        kernel.close()
        assert NEW_TERM in shown["stdout"], "the learner's next run does not show the pulled data row"

        per_round = [sum(n == k for n, _name, _t in record.sent) for k in range(len(ROUNDS))]
        figures = {"learners_served": len(LEARNERS),
                   "attempts_made": sum(len(m) for m in record.made.values()),
                   "attempts_stored": len(teacher.attempts), "answers_sent_per_round": per_round,
                   "seconds_between_first_and_last_answer_per_round": spreads, "learners": record.figures}
        (ARTIFACTS / "class_figures.json").write_text(json.dumps(figures, indent=1))
        print(json.dumps(figures, indent=1))
