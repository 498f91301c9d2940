"""The quizzes of the static website edition: each bank as JSON for the browser quiz (web/quiz.js).

The website has no kernel, so the browser marks the answers itself, with the same rules as quizbank.mark, and keeps
the attempts in the browser. A page holds one placeholder per quiz, made by quiz_placeholder_html(); quiz.js and
quiz.css (in the web/ folder beside this module, see ASSETS) turn each one into a working quiz.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .quizbank import Question, bank_label, load_bank
from .style import citation, unquoted

WEB_DIR = Path(__file__).parent / "web"
ASSETS = (WEB_DIR / "quiz.js", WEB_DIR / "quiz.css")

NOSCRIPT = ("This quiz needs JavaScript, which is turned off or blocked in this browser. Turn it on and reload the "
            "page, or take the quiz in the live version of the course (the notebook in JupyterLab or on Binder).")

# Characters that must not appear literally inside a <script> element, nor in a JSON text read as JavaScript.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def question_json(q: Question) -> dict:
    """One question as the browser needs it: what is shown, what is right, and the citation as learners read it."""
    return {
        "id": q.id,
        "type": q.type,
        "prompt": q.prompt,
        "hint": q.hint,
        "options": list(q.options),
        "answer": list(q.answer) if isinstance(q.answer, list | tuple) else q.answer,
        "tolerance": q.tolerance,
        "unit": q.unit,
        "items": list(q.items),
        "pairs": [{"left": p["left"], "right": p["right"]} for p in q.pairs],
        "explanation": q.explanation,
        "quote": unquoted(q.quote) if q.quote else "",
        "citation": citation(q.cites, full=True),
        "level": q.level,
    }


def bank_json(topic: str) -> dict:
    """Everything the browser needs for one bank: topic, title, label and its questions (see question_json)."""
    bank = load_bank(topic)
    return {"topic": bank.topic, "title": bank.title, "label": bank_label(bank.topic),
            "questions": [question_json(q) for q in bank.questions]}


def script_json(value) -> str:
    """JSON that is safe inside an HTML <script> element: no text in it can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(c, c) for c in text)


def quiz_placeholder_html(topic: str) -> str:
    """The element a page holds for one quiz: the bank as JSON, turned into a quiz by quiz.js."""
    data = bank_json(topic)
    return (f'<div class="vd-site-quiz" data-bank="{html.escape(data["topic"])}">'
            f'<script type="application/json" class="vd-quiz-bank">{script_json(data)}</script>'
            f'<noscript><p class="vd-quiz-noscript">{html.escape(NOSCRIPT)}</p></noscript></div>')
