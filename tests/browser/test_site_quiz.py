"""The website edition's quizzes (vndiplomacy/web/quiz.js) in headless Chromium, offline, from a loopback server:
every question type right and wrong under the course's scoring rule, redo, reload, export into the kernel's
progress store, marking that agrees with quizbank.mark, a keyboard-only pass, storage failures, and screenshots."""
import dataclasses
import functools
import http.server
import json
import shutil
import threading

import pytest
from playwright.sync_api import expect

from vndiplomacy import scoring
from vndiplomacy.classroom import read_class_folder
from vndiplomacy.progress import AnotherLearner, ProgressStore, read_export
from vndiplomacy.quizbank import AnswerTypeError, load_bank, mark
from vndiplomacy.style import fold
from vndiplomacy.webquiz import ASSETS, question_json, quiz_placeholder_html

pytestmark = pytest.mark.browser

TYPES = ("single", "multiple", "true_false", "numeric", "order", "match", "text")
TOPICS = ("01_history", "02_three_pillars")
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quiz test page</title><link rel="stylesheet" href="quiz.css"><script src="quiz.js" defer></script>
<style>body {{font-family: system-ui, sans-serif; margin: 0 auto; max-width: 52em; padding: 0 1em;}}</style>
</head><body><main><h1>Check your understanding</h1>{quizzes}</main></body></html>
"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A loopback web server of a folder holding quiz.js and quiz.css; write_page(name, html) adds a page."""
    root = tmp_path_factory.mktemp("site")
    for asset in ASSETS:
        shutil.copy(asset, root / asset.name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def write_page(name, quizzes_html):
        (root / name).write_text(PAGE.format(quizzes=quizzes_html), encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield write_page
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def quiz_url(site):
    return site("quiz.html", "".join(quiz_placeholder_html(t) for t in TOPICS))


def open_quiz(offline, url):
    page = offline.page
    page.goto(url)
    expect(page.locator(".vd-site-quiz-ready")).to_have_count(len(TOPICS) if url.endswith("quiz.html") else 1)
    return page


def clean(offline):
    assert not offline.outside, f"the page tried to reach the network: {offline.outside[:5]}"
    assert not offline.console, f"errors in the browser console: {offline.console[:5]}"


# ------------------------------------------------------------------ responses, as the kernel's mark() takes them

def right_response(q):
    return {"single": lambda: q.answer, "multiple": lambda: list(q.answer), "true_false": lambda: q.answer,
            "numeric": lambda: format(q.answer, ","), "order": lambda: list(q.items),
            "match": lambda: {p["left"]: p["right"] for p in q.pairs},
            "text": lambda: q.answer[-1].upper()}[q.type]()


def wrong_response(q):
    rights = [p["right"] for p in q.pairs]
    return {"single": lambda: next(o for o in q.options if o != q.answer),
            "multiple": lambda: [next(o for o in q.options if o not in q.answer)],
            "true_false": lambda: not q.answer, "numeric": lambda: str(q.answer + 2 * q.tolerance + 1),
            "order": lambda: list(reversed(q.items)),
            "match": lambda: {p["left"]: r for p, r in zip(q.pairs, rights[1:] + rights[:1], strict=True)},
            "text": lambda: "certainly not this"}[q.type]()


def question_item(page, q):
    return page.locator(f'li.vd-quiz-question[data-question="{q.id}"]')


def give(item, q, response):
    """Put a response into a question's controls with the mouse and keyboard, as a learner would."""
    if q.type == "single":
        item.get_by_label(response, exact=True).check()
    elif q.type == "multiple":
        for option in q.options:
            item.get_by_label(option, exact=True).set_checked(option in response)
    elif q.type == "true_false":
        item.get_by_label("True" if response else "False", exact=True).check()
    elif q.type in ("numeric", "text"):
        item.locator("input.vd-quiz-input").fill(response)
    elif q.type == "order":
        for position, entry in enumerate(response, start=1):
            item.get_by_label(entry, exact=True).select_option(str(position))
    else:
        for left, right in response.items():
            item.get_by_label(left, exact=True).select_option(right)


def submit(item):
    item.locator("button.vd-quiz-check").click()
    return item.locator(".vd-quiz-feedback")


def expect_revealed(feedback, q, correct):
    expect(feedback).to_contain_text(q.explanation)
    expect(feedback).to_contain_text("Source: " + question_json(q)["citation"])
    if not correct:
        expect(feedback).to_contain_text("The answer: " + mark(q, right_response(q)).answer)


def score_text(right, total, answered):
    return f"Score: {right} of {total} right at the first try, {answered} answered"


def pick_questions():
    """For each type, two questions from the page's banks: one answered right first, one wrong first."""
    banks = {t: load_bank(t) for t in TOPICS}
    picked = {}
    for kind in TYPES:
        pool = [(t, q) for t in TOPICS for q in banks[t].questions if q.type == kind]
        assert len(pool) >= 2, kind
        picked[kind] = (pool[0], pool[-1])
    return banks, picked


# ------------------------------------------------------------------ the learner's path, end to end

def test_every_type_right_and_wrong_redo_reload_and_export(offline_page, quiz_url, shots, tmp_path):
    page = open_quiz(offline_page, quiz_url)
    banks, picked = pick_questions()
    quizzes = {t: page.locator(".vd-site-quiz").nth(i) for i, t in enumerate(TOPICS)}
    for topic, quiz in quizzes.items():
        expect(quiz.locator(".vd-quiz-score")).to_have_text(score_text(0, len(banks[topic].questions), 0))
        expect(quiz.locator("li.vd-quiz-question")).to_have_count(len(banks[topic].questions))
    expected = {}  # question id: [(correct, kind), ...], in the order the attempts were made
    first = {t: {} for t in TOPICS}  # topic: {question id: right at the first try}

    for kind in TYPES:
        (right_topic, right_q), (wrong_topic, wrong_q) = picked[kind]
        # Right at the first try: the explanation and the citation at once.
        item = question_item(page, right_q)
        give(item, right_q, right_response(right_q))
        feedback = submit(item)
        expect(feedback).to_contain_text("✔ Right.")
        expect_revealed(feedback, right_q, True)
        expect(feedback).not_to_contain_text("Hint:")
        expected[right_q.id] = [(True, "first")]
        first[right_topic][right_q.id] = True

        # Wrong at the first try: the hint and one more try (a true/false question shows the answer at once).
        item = question_item(page, wrong_q)
        give(item, wrong_q, wrong_response(wrong_q))
        feedback = submit(item)
        expect(feedback).to_contain_text("✘ " + mark(wrong_q, wrong_response(wrong_q)).message)
        first[wrong_topic][wrong_q.id] = False
        if kind == "true_false":
            expect(feedback).not_to_contain_text("Hint:")
            expect_revealed(feedback, wrong_q, False)
            give(item, wrong_q, right_response(wrong_q))
            feedback = submit(item)
            expect(feedback).to_contain_text("Practice: this try does not change your score.")
            expected[wrong_q.id] = [(False, "first"), (True, "practice")]
        else:
            expect(feedback).to_contain_text("Hint: " + wrong_q.hint)
            expect(feedback).to_contain_text("You have one more try.")
            expect(feedback).not_to_contain_text("Source:")
            expect(feedback).not_to_contain_text(wrong_q.explanation)
            give(item, wrong_q, right_response(wrong_q))
            feedback = submit(item)
            expect(feedback).to_contain_text("✔ Right this time.")
            expect_revealed(feedback, wrong_q, True)
            expected[wrong_q.id] = [(False, "first"), (True, "retry")]
        for topic, quiz in quizzes.items():
            right = sum(first[topic].values())
            expect(quiz.locator(".vd-quiz-score")).to_have_text(
                score_text(right, len(banks[topic].questions), len(first[topic])))

    # A further try at a question answered right is practice, and shows the answer when wrong.
    practice_topic, practice_q = picked["single"][0]
    item = question_item(page, practice_q)
    give(item, practice_q, wrong_response(practice_q))
    feedback = submit(item)
    expect(feedback).to_contain_text("Practice: this try does not change your score.")
    expect_revealed(feedback, practice_q, False)
    expected[practice_q.id].append((False, "practice"))

    # A wrong first answer and a wrong retry: the answer is shown after the retry.
    spare_topic, spare_q = next((t, q) for t in TOPICS for q in banks[t].questions
                                if q.type == "single" and q.id not in expected)
    item = question_item(page, spare_q)
    for _attempt in range(2):
        give(item, spare_q, wrong_response(spare_q))
        feedback = submit(item)
    expect(feedback).to_contain_text("✘ Not quite.")
    expect(feedback).not_to_contain_text("✔")
    expect_revealed(feedback, spare_q, False)
    expected[spare_q.id] = [(False, "first"), (False, "retry")]
    first[spare_topic][spare_q.id] = False

    # An answer of the wrong kind (nothing chosen) is refused and not counted.
    blank_q = next(q for t in TOPICS for q in banks[t].questions
                   if q.id not in expected and q.type in ("order", "match", "text"))
    feedback = submit(question_item(page, blank_q))
    expect(feedback).to_contain_text("⚠ " + python_marking(blank_q, None if blank_q.type != "text" else "")["error"])

    def expect_scores():
        for topic, quiz in quizzes.items():
            expect(quiz.locator(".vd-quiz-score")).to_have_text(
                score_text(sum(first[topic].values()), len(banks[topic].questions), len(first[topic])))

    expect_scores()
    page.screenshot(path=str(shots / "site_quiz_desktop.png"), full_page=True)

    # Redo the ones I missed: only those, cleared, for practice; the score stays.
    quiz = quizzes[TOPICS[1]]
    missed = [qid for qid, ok in first[TOPICS[1]].items() if not ok]
    assert len(missed) >= 5
    quiz.get_by_role("button", name="Redo the ones I missed").click()
    expect(quiz.locator("li.vd-quiz-question:visible")).to_have_count(len(missed))
    for qid in missed:
        expect(quiz.locator(f'li[data-question="{qid}"]')).to_be_visible()
        expect(quiz.locator(f'li[data-question="{qid}"] .vd-quiz-feedback')).to_be_empty()
    expect(quiz.locator(".vd-quiz-mode")).to_contain_text("Practice: these tries do not change your score.")
    for qid in missed:  # cleared for practice
        q = banks[TOPICS[1]].get(qid)
        item = question_item(page, q)
        if q.type in ("numeric", "text"):
            expect(item.locator("input.vd-quiz-input")).to_have_value("")
        elif q.type in ("order", "match"):
            assert item.locator("select").evaluate_all("ss => ss.every(s => s.value === '')")
        else:
            expect(item.locator("input:checked")).to_have_count(0)
    redo_q = banks[TOPICS[1]].get(missed[0])
    item = question_item(page, redo_q)
    give(item, redo_q, right_response(redo_q))
    feedback = submit(item)
    expect(feedback).to_contain_text("Practice: this try does not change your score.")
    expected[redo_q.id].append((True, "practice"))
    expect_scores()
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(shots / "site_quiz_redo_375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 1000})
    quiz.get_by_role("button", name="Show all questions").click()
    expect(quiz.locator("li.vd-quiz-question:visible")).to_have_count(len(banks[TOPICS[1]].questions))
    expect(quiz.locator(".vd-quiz-mode")).to_be_hidden()

    # Reload: the attempts, each answered question's state and the score are still there.
    page.reload()
    expect(page.locator(".vd-site-quiz-ready")).to_have_count(len(TOPICS))
    expect_scores()
    for topic in TOPICS:
        for qid, ok in first[topic].items():
            restored = question_item(page, banks[topic].get(qid)).locator(".vd-quiz-restored")
            expect(restored).to_have_text(f"Answered before: your first answer was {'right' if ok else 'wrong'}.")
    numeric_q = picked["numeric"][0][1]
    expect(question_item(page, numeric_q).locator("input.vd-quiz-input")).to_have_value(right_response(numeric_q))
    wrong_first = picked["order"][1][1]  # wrong, then right at the retry: the retry's answer and its feedback
    expect(question_item(page, wrong_first).locator(".vd-quiz-feedback")).to_contain_text("✔ Right this time.")
    # The next try after a restored wrong first answer and its retry is practice, by the stored attempts.
    item = question_item(page, wrong_first)
    feedback = submit(item)
    expect(feedback).to_contain_text("Practice: this try does not change your score.")
    expected[wrong_first.id].append((True, "practice"))
    expect_scores()

    # Export: a name first, then a file in the kernel's export format.
    quiz.get_by_role("button", name="Export my answers").click()
    expect(quiz.locator(".vd-quiz-export-status")).to_contain_text("Type your name first")
    quiz.get_by_label("Your name").fill("  Nguyễn   Văn An ")
    with page.expect_download() as download:
        quiz.get_by_role("button", name="Export my answers").click()
    expect(quiz.locator(".vd-quiz-export-status")).to_contain_text(
        f"Saved {sum(map(len, expected.values()))} answers to my_progress.json")
    assert download.value.suggested_filename == "my_progress.json"
    target = tmp_path / "my_progress.json"
    download.value.save_as(target)
    clean(offline_page)

    payload = read_export(target)
    assert payload["learner"]["name"] == "Nguyễn Văn An" and len(payload["learner"]["id"]) == 32
    store = ProgressStore(tmp_path / "imported.sqlite")
    with pytest.raises(AnotherLearner):
        store.import_payload(payload)
    assert store.import_payload(payload, confirmed=True) == sum(map(len, expected.values()))
    attempts = store.attempts()
    got = {qid: list(zip(rows["correct"], rows["kind"], strict=True)) for qid, rows in attempts.groupby("question")}
    assert got == expected
    topic_of = {q.id: t for t in TOPICS for q in banks[t].questions}
    assert all(topic_of[row.question] == row.topic for row in attempts.itertuples())
    for qid, (correct, _kind) in ((q, v[0]) for q, v in expected.items()):
        q = banks[topic_of[qid]].get(qid)
        answer = json.loads(attempts[(attempts["question"] == qid)].iloc[0]["answer"])
        response = right_response(q) if correct else wrong_response(q)
        assert mark(q, answer).correct == correct, qid
        if q.type == "multiple":
            assert sorted(answer) == sorted(response)
        else:
            assert attempts[(attempts["question"] == qid)].iloc[0]["answer"] == json.dumps(response, ensure_ascii=False)
    summary = store.summary({t: [q.id for q in banks[t].questions] for t in TOPICS}).set_index("topic")
    for topic in TOPICS:
        assert summary.loc[topic, "correct"] == sum(first[topic].values())
        assert summary.loc[topic, "answered"] == len(first[topic])
    assert scoring.question_results(attempts, list(topic_of)) == {**first[TOPICS[0]], **first[TOPICS[1]]}
    assert store.learner()["linked"] == [payload["learner"]["id"]]

    # The class dashboard reads the file as one learner's work, under the typed name.
    class_folder = tmp_path / "class"
    class_folder.mkdir()
    shutil.copy(target, class_folder / "an.json")
    records = read_class_folder(class_folder)
    assert records.learners == ["Nguyễn Văn An"] and not records.skipped
    assert len(records.attempts) == sum(map(len, expected.values()))


# ------------------------------------------------------------------ marking parity with quizbank.mark

def python_marking(q, response):
    try:
        result = mark(q, response)
    except AnswerTypeError as problem:
        return {"error": str(problem)}
    return {"correct": result.correct, "message": result.message, "answer": result.answer}


def responses_for(q):
    """Right, wrong, edge and malformed responses for a question."""
    common = [None, "", [], {}, True, 0]
    if q.type == "single":
        return [*q.options, q.answer.upper(), " " + q.answer, *common]
    if q.type == "multiple":
        wrong = [o for o in q.options if o not in q.answer]
        return [list(q.answer), list(reversed(q.answer)), [*q.answer, q.answer[0]], list(q.options), wrong[:1],
                [q.answer[0]], [q.answer[0], *wrong[:1]], ["not an option"], q.answer[0], *common]
    if q.type == "true_false":
        return [True, False, "True", "true", 1, None, [], "False"]
    if q.type == "order":
        items = list(q.items)
        return [items, items[::-1], items[1:] + items[:1], items[:-1], [*items, items[0]], [items[0]] * len(items),
                [*items[:-1], "other"], [items[1], items[0], *items[2:]], " ".join(items), *common]
    if q.type == "match":
        rights = [p["right"] for p in q.pairs]
        good = {p["left"]: p["right"] for p in q.pairs}
        first = q.pairs[0]["left"]
        return [good, dict(zip(good, rights[1:] + rights[:1], strict=True)), {**good, first: None},
                {**good, first: ""}, {**good, first: rights[-1]}, {k: good[k] for k in list(good)[1:]},
                {**good, "extra": "x"}, {**good, first: 0}, {**good, first: []}, {**good, first: ["x"]},
                list(good.items()), *common]
    if q.type == "text":
        extra = [a.upper() for a in q.answer] + [f"  {a}\t " for a in q.answer] + [fold(a) for a in q.answer]
        return [*q.answer, *extra, "no", "   ", "\u00a0", 5, *common]
    answer, tol = q.answer, q.tolerance
    edges = [answer - tol, answer + tol, answer - tol - 1e-9, answer + tol + 1e-9, answer + tol / 2]
    return [str(answer), format(answer, ","), answer, float(answer), *[repr(e) for e in edges], *edges,
            "six", "", "   ", None, True, False, "inf", "-Infinity", "nan", "1e999", "1_0", "1__0", "_10", "10_",
            "1,0,0", " 1 0 0 ", "1\u00a0000", "\u2003100\u2003", "\ufeff100", "１００", "١٠٠", "+5", "-5", "5.", ".5",
            "5e1", "5E+1", "0x10", "1.5.5", "4,5", "4.5", "٣.٣", "3,3", "½", "²", *common[2:]]


def synthetic(bank_question, **changes):
    return dataclasses.replace(bank_question, **changes)


def parity_questions():
    banks = [load_bank(t) for t in ("01_history", "02_three_pillars", "03_defence_diplomacy", "04_14th_congress",
                                    "05_synthesis")]
    questions = [q for b in banks for q in b.questions if q.type != "single"]
    questions += [q for b in banks for q in b.questions if q.type == "single"][:6]
    numeric = next(q for q in questions if q.type == "numeric")
    text = next(q for q in questions if q.type == "text")
    for answer, tolerance, unit in ((1100, 0, ""), (1234567, 0.25, "people"), (0.00001, 0, ""), (2.5e-5, 1e-6, ""),
                                    (0.3, 0.1, ""), (-3, 0.5, "°C"), (999999.5, 0.5, ""), (123456.7, 0, ""),
                                    (1e22, 1e16, ""), (4.5, 0.5, "years"), (0.1 + 0.2, 0, "")):
        questions.append(synthetic(numeric, id=f"num-{len(questions)}", answer=answer, tolerance=tolerance, unit=unit))
    questions.append(synthetic(text, id="text-vi", answer=["Đổi mới", "Hồ Chí Minh", "Nguyễn Phú Trọng",
                                                           "ﬁrst line", "Straße"]))
    return questions


EXTRA_TEXT = ["doi moi", "ĐỔI MỚI", "Doi  Moi", "Đổi mới", "Ðổi mới", "ho chi minh", "HỒ CHÍ MINH",
              "Ho Chi Minh City", "Nguyên Phu Trong", "first line", "FIRST LINE", "ﬁrst\u2003line", "strasse",
              "STRASSE", "straße", "Hồ\u00a0Chí Minh", "ho\u200bchi minh", "İ", "ho chi minh\u0301"]


def test_browser_marking_agrees_with_quizbank_mark(offline_page, quiz_url):
    page = open_quiz(offline_page, quiz_url)
    cases = []
    for q in parity_questions():
        responses = responses_for(q) + (EXTRA_TEXT if q.type == "text" else [])
        if q.type == "numeric":
            responses += [format(q.answer, ",g"), f"{q.answer:,}", f"{q.answer:.10f}"]
        cases += [(q, r) for r in responses]
    browser = page.evaluate("cases => cases.map(([q, r]) => window.vdQuiz.check(q, r))",
                            [[question_json(q), r] for q, r in cases])
    differ = [(q.id, r, python_marking(q, r), b) for (q, r), b in zip(cases, browser, strict=True)
              if python_marking(q, r) != b]
    assert not differ, f"{len(differ)} of {len(cases)} cases differ, e.g. {differ[:5]}"
    kinds = {q.type for q, _ in cases}
    assert kinds == set(TYPES) and len(cases) > 500, (kinds, len(cases))
    print(f"\nmarking parity: {len(cases)} cases agree")
    clean(offline_page)


def test_next_attempt_kinds_follow_the_kernel(offline_page, quiz_url):
    from vndiplomacy.quiz import kind_of_next_attempt

    page = open_quiz(offline_page, quiz_url)
    questions = [next(q for q in load_bank("01_history").questions if q.type == kind) for kind in TYPES]
    histories = [[], [True], [False], [False, True], [False, False], [True, False], [False, False, True]]
    cases = [(q, h) for q in questions for h in histories]
    browser = page.evaluate("cases => cases.map(([q, h]) => window.vdQuiz.kindOfNextAttempt(q, h))",
                            [[question_json(q), h] for q, h in cases])
    assert browser == [kind_of_next_attempt(q, h) for q, h in cases]


# ------------------------------------------------------------------ keyboard only

def tab_to(page, selector, limit=600, backwards=False):
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_outline(page):
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")


def test_keyboard_only(offline_page, site, shots):
    page = open_quiz(offline_page, site("keyboard.html", quiz_placeholder_html("01_history")))
    bank = load_bank("01_history")
    done = 0
    for kind in TYPES:
        q = next(q for q in bank.questions if q.type == kind)
        scope = f'li[data-question="{q.id}"]'
        item = question_item(page, q)
        if kind in ("single", "true_false"):
            wanted = q.answer if kind == "single" else ("true" if q.answer else "false")
            tab_to(page, f"{scope} input")
            assert focused_outline(page)[0] != "none" and focused_outline(page)[1] >= 2
            page.keyboard.press("Space")
            for _ in range(len(q.options) + 2):
                if page.evaluate("() => document.activeElement.value") == wanted:
                    break
                page.keyboard.press("ArrowDown")
            assert item.locator("input:checked").get_attribute("value") == wanted
        elif kind == "multiple":
            for _ in range(len(q.options)):
                tab_to(page, f"{scope} input")
                label = page.evaluate("() => document.activeElement.labels[0].textContent")
                if label in q.answer:
                    page.keyboard.press("Space")
        elif kind in ("numeric", "text"):
            tab_to(page, f"{scope} input")
            page.keyboard.type(right_response(q))
        else:
            targets = [str(i) for i in range(1, len(q.items) + 1)] if kind == "order" else None
            for _ in range(len(q.items) if kind == "order" else len(q.pairs)):
                tab_to(page, f"{scope} select")
                label = page.evaluate("() => document.activeElement.labels[0].textContent")
                wanted = str(q.items.index(label) + 1) if kind == "order" else \
                    next(p["right"] for p in q.pairs if p["left"] == label)
                values = page.evaluate("() => [...document.activeElement.options].map(o => o.value)")
                assert targets is None or values[1:] == targets
                for _ in range(values.index(wanted)):
                    page.keyboard.press("ArrowDown")
                assert page.evaluate("() => document.activeElement.value") == wanted
        if kind in ("numeric", "text"):
            page.keyboard.press("Enter")  # Enter in the answer box checks it
        else:
            tab_to(page, f"{scope} button.vd-quiz-check")
            assert focused_outline(page)[0] != "none"
            page.keyboard.press("Enter" if done % 2 else "Space")
        done += 1
        expect(item.locator(".vd-quiz-feedback")).to_contain_text("✔ Right.")
        expect(page.locator(".vd-quiz-score")).to_have_text(score_text(done, len(bank.questions), done))
    page.screenshot(path=str(shots / "site_quiz_keyboard_focus.png"))
    tab_to(page, "button.vd-quiz-redo", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".vd-quiz-mode")).to_contain_text("Nothing to redo")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Show all questions"
    page.keyboard.press("Space")
    tab_to(page, "input.vd-quiz-name")
    page.keyboard.type("An")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "my_progress.json"
    clean(offline_page)


# ------------------------------------------------------------------ the browser's storage failing

BLOCKED = """Object.defineProperty(window, 'localStorage', {configurable: true,
  get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});"""
FULL = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"""


@pytest.mark.parametrize(("script", "reason"), [(BLOCKED, "does not let this site store anything"),
                                                (FULL, "storage for this site is full")])
def test_unusable_storage_is_said_and_the_quiz_still_works(offline_page, quiz_url, script, reason):
    offline_page.context.add_init_script(script)
    page = open_quiz(offline_page, quiz_url)
    q = next(q for q in load_bank(TOPICS[0]).questions if q.type == "numeric")
    item = question_item(page, q)
    give(item, q, wrong_response(q))
    feedback = submit(item)
    expect(feedback).to_contain_text("Hint:")
    expect(feedback).to_contain_text("Marked, but not saved: ")
    expect(feedback).to_contain_text(reason)
    quiz = page.locator(".vd-site-quiz").first
    expect(quiz.locator(".vd-quiz-notice")).to_contain_text("Your answers cannot be saved in this browser")
    give(item, q, right_response(q))
    expect(submit(item)).to_contain_text("✔ Right this time.")  # the retry is known from this page's memory
    expect(quiz.locator(".vd-quiz-score")).to_contain_text("Score: 0 of ")
    expect(quiz.locator(".vd-quiz-score")).to_contain_text(", 1 answered")
    quiz.get_by_label("Your name").fill("An")
    with page.expect_download() as download:
        quiz.get_by_role("button", name="Export my answers").click()
    payload = read_export(download.value.path())
    assert [(a["correct"], a["kind"]) for a in payload["attempts"]] == [(0, "first"), (1, "retry")]
    clean(offline_page)


def test_damaged_storage_is_moved_aside(offline_page, quiz_url):
    page = open_quiz(offline_page, quiz_url)
    page.evaluate("() => localStorage.setItem('vndiplomacy-progress', '{not json')")
    page.reload()
    expect(page.locator(".vd-quiz-notice").first).to_contain_text("could not be read (they were damaged)")
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('vndiplomacy-progress.damaged-'))")
    assert len(kept) == 1 and page.evaluate("k => localStorage.getItem(k)", kept[0]) == "{not json"
    data = json.loads(page.evaluate("() => localStorage.getItem('vndiplomacy-progress')"))
    assert data["format"] == "vndiplomacy-progress" and data["attempts"] == []
    clean(offline_page)


# ------------------------------------------------------------------ a planted script end, and the phone-sized page

def test_a_planted_script_end_shows_as_text(offline_page, site, data_copy):
    import yaml

    path = data_copy / "quizzes" / "01_history.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    planted = "</script><script>window.planted = 1</script><!-- <b>bold</b> & more"
    raw["questions"][0]["prompt"] = planted
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page = open_quiz(offline_page, site("planted.html", quiz_placeholder_html("01_history")))
    expect(page.locator(".vd-quiz-prompt").first).to_have_text("1. " + planted)
    assert page.evaluate("() => window.planted") is None
    assert page.locator(".vd-quiz-prompt b").count() == len(raw["questions"])  # only the numbers are bold
    clean(offline_page)


def test_phone_sized_page_has_no_sideways_scroll(offline_page, quiz_url, shots):
    page = offline_page.page
    page.set_viewport_size({"width": 375, "height": 800})
    open_quiz(offline_page, quiz_url)
    bank = load_bank(TOPICS[0])
    for kind in ("match", "order", "numeric"):
        q = next(q for q in bank.questions if q.type == kind)
        item = question_item(page, q)
        give(item, q, wrong_response(q))
        submit(item)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    for control in page.locator(".vd-site-quiz select, .vd-site-quiz button, .vd-site-quiz input").all()[:200]:
        box = control.bounding_box()
        assert box is None or box["x"] + box["width"] <= 375 + 0.5, control.evaluate("e => e.outerHTML")[:200]
    match_q = next(q for q in bank.questions if q.type == "match")
    question_item(page, match_q).scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "site_quiz_375.png"), full_page=False)
    page.screenshot(path=str(shots / "site_quiz_375_full.png"), full_page=True)
    clean(offline_page)
