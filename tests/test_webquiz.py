"""The website's quizzes, kernel side: every bank as JSON for the browser, and the placeholder that carries it."""
import json
from html.parser import HTMLParser

import pytest
import yaml

from vndiplomacy.quizbank import bank_label, bank_topics, load_bank
from vndiplomacy.style import citation
from vndiplomacy.webquiz import ASSETS, bank_json, quiz_placeholder_html, script_json

QUESTION_KEYS = {"id", "type", "prompt", "hint", "options", "answer", "tolerance", "items", "pairs", "explanation",
                 "quote", "citation", "level"}
PLANTED = '</script><script>window.planted = 1</script><!-- <script> "quoted" & \u2028 end'


class Elements(HTMLParser):
    """The start tags, and the text of each <script>, as a browser's tokenizer reads them."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parsed(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("topic", bank_topics())
def test_bank_json_has_every_question_with_its_citation(topic):
    bank, data = load_bank(topic), bank_json(topic)
    assert (data["topic"], data["title"], data["label"]) == (topic, bank.title, bank_label(topic))
    assert [q["id"] for q in data["questions"]] == [q.id for q in bank.questions]
    for q, out in zip(bank.questions, data["questions"], strict=True):
        assert QUESTION_KEYS <= set(out), f"{q.id}: missing {QUESTION_KEYS - set(out)}"
        assert out["citation"] == citation(q.cites, full=True) and out["citation"].strip(), q.id
        assert (out["type"], out["prompt"], out["hint"], out["explanation"], out["level"]) == \
               (q.type, q.prompt, q.hint, q.explanation, q.level)
        assert out["options"] == list(q.options) and out["items"] == list(q.items)
        assert out["pairs"] == [dict(p) for p in q.pairs]
        assert out["answer"] == (list(q.answer) if isinstance(q.answer, list | tuple) else q.answer)
        assert out["tolerance"] == q.tolerance and out["unit"] == q.unit
        assert bool(out["quote"]) == bool(q.quote)
    json.dumps(data, allow_nan=False)  # plain JSON, nothing a browser cannot read


@pytest.mark.parametrize("topic", bank_topics())
def test_placeholder_carries_the_bank_and_a_noscript_sentence(topic):
    html = quiz_placeholder_html(topic)
    assert html.startswith(f'<div class="vd-site-quiz" data-bank="{topic}"><script type="application/json" '
                           'class="vd-quiz-bank">') and html.endswith("</noscript></div>")
    page = parsed(html)
    assert [t for t, _ in page.tags] == ["div", "script", "noscript", "p"]
    assert len(page.scripts) == 1 and json.loads(page.scripts[0]) == bank_json(topic)
    assert "needs JavaScript" in html.split("<noscript>")[1]


def test_script_json_escapes_what_could_end_the_script():
    value = {"text": PLANTED, "more": "a</SCRIPT >b<!--c-->d"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_a_planted_script_end_in_a_prompt_cannot_break_out(data_copy):
    path = data_copy / "quizzes" / "01_history.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["questions"][0]["prompt"] = PLANTED
    raw["questions"][1]["explanation"] = "<!-- " + PLANTED
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    html = quiz_placeholder_html("01_history")
    page = parsed(html)
    assert [t for t, _ in page.tags] == ["div", "script", "noscript", "p"], "the planted text opened an element"
    assert len(page.scripts) == 1
    data = json.loads(page.scripts[0])
    assert data["questions"][0]["prompt"] == PLANTED
    assert data["questions"][1]["explanation"] == "<!-- " + PLANTED
    assert html.count("</script>") == 1


def test_the_browser_assets_ship_with_the_package():
    for path in ASSETS:
        assert path.is_file() and path.stat().st_size > 1000, path
    script = ASSETS[0].read_text(encoding="utf-8")
    assert not any(word in script for word in ("http://", "https://", "fetch(", "XMLHttpRequest")), "no network"
