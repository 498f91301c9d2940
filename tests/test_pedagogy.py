"""The course teaches and assesses the skill it is about, reading sources critically: properties of the notebooks
and quiz banks as written (objectives, practice every few minutes, model answers, close reading, silences, levels).
"""
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from course_paths import LEVEL_SHARES, ROOT

from vndiplomacy.alignment import ACTIVITY, DETAILS
from vndiplomacy.alignment import notebook_objectives as objectives
from vndiplomacy.data import citable_paragraphs, load_table, prose_citations, split_list
from vndiplomacy.quizbank import bank_topics, load_bank

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TOPICS = bank_topics()
LONGEST_STRETCH = 600
ABOVE_RECALL = 0.40
SILENCE_NOTEBOOKS = ("03_defence_diplomacy", "04_14th_congress", "05_synthesis")
# Verbs an objective may open with: one observable action each.
VERBS = {"identify", "describe", "explain", "compare", "evaluate", "trace", "distinguish", "assess", "judge",
         "locate", "date", "cite", "summarise", "interpret", "weigh", "read", "use", "place", "classify",
         "contrast", "recognise", "find", "name", "order", "outline", "analyse", "argue", "justify", "critique",
         "apply", "relate", "check", "map", "question"}


def markdown_cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "markdown"]


def cells(path: Path) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def stretches(path: Path) -> list[tuple[int, str]]:
    """Words read between two activities (a prompt or the quiz), with the heading where each stretch ends.

    Model answers are not counted: they are read after the activity.
    """
    found, words, heading = [], 0, path.stem
    for kind, text in cells(path):
        if kind == "code":
            if "vd.quiz(" in text:
                found.append((words, heading))
                words = 0
            continue
        for paragraph in re.split(r"\n\s*\n", DETAILS.sub("", text)):
            if match := re.match(r"#+ (.+)", paragraph.strip()):
                heading = match.group(1)
            if ACTIVITY.match(paragraph.strip()):
                found.append((words, heading))
                words = 0
            else:
                words += len(paragraph.split())
    found.append((words, heading))
    return found


def notebook_of(topic: str) -> Path:
    return ROOT / "notebooks" / f"{topic}.ipynb"


def prose_paragraphs(path: Path) -> set[str]:
    return {pid for text in markdown_cells(path) for pid in prose_citations(text)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_has_three_to_five_objectives_of_one_verb_each(path):
    found = objectives(path)
    assert 3 <= len(found) <= 5, f"{path.name}: {len(found)} objectives"
    for item in found:
        first = item.split()[0].lower()
        assert first in VERBS, f"{path.name}: objective {item!r} should open with one action verb"
        second = re.search(rf"\b(?:and|then|or) ({'|'.join(sorted(VERBS))})\b", item)
        assert not second, f"{path.name}: objective {item!r} asks for two actions ({first}, {second.group(1)})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stretch_of_reading_is_longer_than_about_ten_minutes(path):
    words, heading = max(stretches(path))
    assert words <= LONGEST_STRETCH, f"{path.name}: {words} words without an activity, ending in '{heading}'"


def test_the_stretch_measure_counts_reading_and_resets_at_activities(tmp_path):
    notebook = {"cells": [{"cell_type": "markdown", "source": "## A\n\n" + "word " * 700},
                          {"cell_type": "markdown", "source": "**Try this.** Do it.\n\n<details><summary>Model "
                                                              "answer</summary>\n\n" + "x " * 900 + "</details>"},
                          {"cell_type": "markdown", "source": "word " * 50},
                          {"cell_type": "code", "source": 'vd.quiz("01_history")'},
                          {"cell_type": "markdown", "source": "word " * 30}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook))
    assert [w for w, _ in stretches(path)] == [702, 50, 30]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_try_this_reflect_and_close_reading_has_a_model_answer(path):
    for text in markdown_cells(path):
        prompts = len(ACTIVITY.findall(DETAILS.sub("", text)))
        answers = [s for s, _ in DETAILS.findall(text) if "answer" in s.lower()]
        assert len(answers) >= prompts, (f"{path.name}: {prompts} prompts but {len(answers)} collapsible model "
                                         f"answers in the cell beginning {text[:80]!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_sends_learners_to_a_paragraph_it_has_not_told_them_about(path):
    tasks = [t for t in markdown_cells(path) if re.search(r"^(?:> )?\*\*Close reading\.\*\*", t, re.M)]
    assert tasks, f"{path.name} has no close-reading task"
    elsewhere = {pid for t in markdown_cells(path) if t not in tasks for pid in prose_citations(t)}
    fresh = [pid for t in tasks for pid in prose_citations(DETAILS.sub("", t)) if pid not in elsewhere]
    assert fresh, f"{path.name}: every paragraph a close-reading task names is already discussed in the notebook"
    assert set(fresh) <= citable_paragraphs()


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_notebook_has_an_outside_the_sources_box_and_points_to_its_exercises(topic):
    texts = markdown_cells(notebook_of(topic))
    assert any(t.startswith("> **Outside the sources") for t in texts), f"{topic}: no 'Outside the sources' box"
    last = next(t for t in texts if t.startswith("## What's next"))
    assert f"{topic}_exercises.ipynb" in last, f"{topic}: 'What's next' does not point to its exercise notebook"


@pytest.mark.parametrize("topic", SILENCE_NOTEBOOKS)
def test_notebook_names_what_the_sources_do_not_discuss_south_china_sea_first(topic):
    box = next((t for t in markdown_cells(notebook_of(topic))
                if t.startswith("> **What these sources do not discuss")), None)
    assert box, f"{topic}: no 'What these sources do not discuss' box"
    assert "outside the sources" in box.lower(), f"{topic}: the box is not marked as outside the sources"
    first_item = re.search(r"^> *- (.+)$", box, re.M)
    assert first_item and "South China Sea" in first_item.group(1), f"{topic}: the South China Sea is not first"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_question_has_a_level_and_an_objective_of_its_notebook(topic):
    count = len(objectives(notebook_of(topic)))
    for q in load_bank(topic).questions:
        assert 1 <= q.objective <= count, f"{q.id}: objective {q.objective} (the notebook has {count})"


def test_each_bank_sits_at_least_forty_percent_above_recall(request):
    shares = {}
    for topic in TOPICS:
        levels = Counter(q.level for q in load_bank(topic).questions)
        total = sum(levels.values())
        shares[topic] = {level: levels[level] / total for level in ("recall", "explain", "compare", "evaluate")}
    request.config.stash[LEVEL_SHARES] = shares
    low = {t: round(1 - s["recall"], 2) for t, s in shares.items() if 1 - s["recall"] < ABOVE_RECALL}
    assert not low, f"banks with less than {ABOVE_RECALL:.0%} above recall: {low}"


@pytest.mark.parametrize("topic", TOPICS)
def test_numeric_questions_accept_a_sensible_range(topic):
    exact = [q.id for q in load_bank(topic).questions if q.type == "numeric" and not q.tolerance]
    assert not exact, f"numeric questions with no tolerance: {exact}"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_question_draws_on_a_paragraph_its_notebook_teaches(topic):
    taught = prose_paragraphs(notebook_of(topic))
    untaught = [q.id for q in load_bank(topic).questions if not set(split_list(q.cites)) & taught]
    assert not untaught, f"{topic}: questions on paragraphs the notebook never cites: {untaught}"


@pytest.mark.parametrize("topic", TOPICS)
def test_each_bank_has_a_discrepancy_the_learner_must_find_unaided(topic):
    flagged = [set(split_list(c)) for c in load_table("discrepancies")["cites"]]
    spots = [q for q in load_bank(topic).questions if q.spot]
    assert spots, f"{topic}: no question where the learner finds a discrepancy themselves"
    for q in spots:
        assert q.level in ("compare", "evaluate"), f"{q.id}: a discrepancy question should compare or evaluate"
        assert len({c.split(":")[0] for c in split_list(q.cites)}) >= 1
        assert not any(set(split_list(q.cites)) <= rows for rows in flagged), (
            f"{q.id}: this discrepancy is already flagged in the discrepancies table")


def test_every_source_says_how_learners_can_read_it():
    from vndiplomacy.course import readings_html

    for row in load_table("sources").to_dict("records"):
        assert row["access"].strip(), f"{row['id']}: no way to read it"
        if not row["url"]:
            assert "http" in row["access"] or "search" in row["access"].lower(), (
                f"{row['id']} has no link, and its access note gives neither an address nor what to search for")
        assert "How to read it" in readings_html(row["id"])
