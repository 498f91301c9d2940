"""Quiz banks: load and validate the YAML files, and mark answers.

Marking is pure Python with no widgets, so it is easy to test and reuse.
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .data import citable_paragraphs, content_version, data_dir, is_validated, main_source, mark_validated, split_list
from .manifest import quiz_banks
from .style import fold

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it: ten times faster


class QuizBankError(ValueError):
    """A quiz bank is malformed; the message names the file, the question and the field."""

    def __init__(self, path, message, question=None, field_name=None):
        self.path, self.question, self.field = Path(path), question, field_name
        where = [str(path)]
        if question:
            where.append(f"question '{question}'")
        if field_name:
            where.append(f"field '{field_name}'")
        super().__init__(f"{', '.join(where)}: {message}")


class AnswerTypeError(ValueError):
    """The learner's answer has the wrong kind (text where a number is needed, say)."""


@dataclass(frozen=True)
class Question:
    """One question of a bank, as written in the YAML file."""

    id: str
    type: str
    prompt: str
    explanation: str
    cites: str
    hint: str = ""
    options: tuple = ()
    answer: object = None
    tolerance: float = 0.0
    unit: str = ""
    items: tuple = ()
    pairs: tuple = ()
    quote: str = ""
    checked_in: tuple = ()
    level: str = "recall"
    objective: int = 0
    spot: bool = False

    @property
    def source(self) -> str:
        """The main source: that of the first paragraph cited."""
        return main_source(self.cites)

    def choices(self, seed: int = 0) -> list[str]:
        """Options (or order items, or match targets) shuffled reproducibly for this question and seed."""
        pool = {"order": list(self.items), "match": sorted(p["right"] for p in self.pairs)}.get(self.type,
                                                                                             list(self.options))
        random.Random(f"{seed}:{self.id}").shuffle(pool)
        return pool


@dataclass
class Bank:
    """A topic's questions, loaded from its YAML file."""

    topic: str
    title: str
    path: Path
    questions: list[Question] = field(default_factory=list)

    def get(self, question_id: str) -> Question:
        """The question with this id."""
        return next(q for q in self.questions if q.id == question_id)


def bank_path(topic: str) -> Path:
    """The YAML file of a topic's bank."""
    return data_dir() / "quizzes" / f"{topic}.yaml"


def bank_topics() -> list[str]:
    """The quiz banks course.yml lists, in course order."""
    return quiz_banks()


# What decides whether an answer is right; a question id must change when any of these does.
MARKING_FIELDS = ("type", "answer", "options", "items", "pairs", "tolerance")
RELEASED = "released.json"


def marking_fingerprint(question: Question) -> str:
    """A short hash of what counts as right for a question (wording fixes leave it unchanged)."""
    import hashlib

    marking = {name: getattr(question, name) for name in MARKING_FIELDS}
    if question.type in ("single", "multiple", "match"):  # the order of options and pairs does not matter
        marking["options"] = sorted(marking["options"])
        marking["pairs"] = sorted(json.dumps(p, sort_keys=True) for p in marking["pairs"])
    if question.type in ("multiple", "text"):
        marking["answer"] = sorted(marking["answer"])
    return hashlib.sha256(json.dumps(marking, sort_keys=True, default=list).encode()).hexdigest()[:16]


def released_fingerprints() -> dict[str, str]:
    """{question id: marking fingerprint} as last released (data/quizzes/released.json)."""
    return json.loads((data_dir() / "quizzes" / RELEASED).read_text(encoding="utf-8"))


def current_fingerprints() -> dict[str, str]:
    """{question id: marking fingerprint} of the banks as they are now."""
    return {q.id: marking_fingerprint(q) for topic in bank_topics() for q in load_bank(topic).questions}


def bank_label(topic: str) -> str:
    """A bank as learners read it: '01_history' is '1. History'."""
    number, _, words = str(topic).partition("_")
    return f"{int(number)}. {words.replace('_', ' ').capitalize()}" if number.isdigit() else str(topic)


def bank_question_ids() -> dict[str, list[str]]:
    """{topic: its question ids}, for every bank: what the scoring rule counts."""
    return {topic: [q.id for q in load_bank(topic).questions] for topic in bank_topics()}


def _schema() -> dict:
    return json.loads((data_dir() / "quizzes" / "schema.json").read_text(encoding="utf-8"))


def load_bank(topic_or_path) -> Bank:
    """Load one bank and validate it against the schema and for consistency."""
    path = Path(topic_or_path) if str(topic_or_path).endswith((".yaml", ".yml")) else bank_path(topic_or_path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as exc:
        raise QuizBankError(path, f"cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise QuizBankError(path, "not UTF-8 text; save the file as UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise QuizBankError(path, f"not valid YAML{line}: {getattr(exc, 'problem', exc)}") from exc
    version = content_version([path, data_dir() / "quizzes" / "schema.json"])
    if not is_validated(version=version):
        _validate_against_schema(path, raw)
    questions = [Question(**{k: tuple(v) if isinstance(v, list) and k != "answer" else v for k, v in q.items()})
                 for q in raw["questions"]]
    _check_consistency(path, questions)
    mark_validated(version=version)
    return Bank(raw["topic"], raw["title"], path, questions)


def _validate_against_schema(path: Path, raw) -> None:
    """Check a parsed bank against schema.json; run once per version of the bank (it takes seconds to import)."""
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(_schema()).iter_errors(raw))
    if error is not None:
        raise _schema_error(path, raw, error)


def _schema_error(path, raw, error) -> QuizBankError:
    where = list(error.absolute_path)
    question = None
    if len(where) >= 2 and where[0] == "questions":
        entry = raw["questions"][where[1]]
        question = entry.get("id", f"#{where[1] + 1}") if isinstance(entry, dict) else f"#{where[1] + 1}"
        where = where[2:]
    field_name = ".".join(str(w) for w in where) or None
    message = error.message
    if error.validator == "required":
        field_name = message.split("'")[1]
        message = "this field is required for this question type"
    return QuizBankError(path, message, question, field_name)


def _check_consistency(path, questions) -> None:
    seen = set()
    citable = citable_paragraphs()
    for q in questions:
        if q.id in seen:
            raise QuizBankError(path, "the id is used twice", q.id, "id")
        seen.add(q.id)
        unknown = [c for c in split_list(q.cites) if c not in citable]
        if unknown:
            raise QuizBankError(path, f"{', '.join(unknown)}: not a paragraph of a source (see "
                                      "data/source_paragraphs.csv)", q.id, "cites")
        if q.type == "single" and q.answer not in q.options:
            raise QuizBankError(path, f"the answer {q.answer!r} is not one of the options", q.id, "answer")
        if q.type == "multiple" and not set(q.answer) <= set(q.options):
            missing = sorted(set(q.answer) - set(q.options))
            raise QuizBankError(path, f"answers not among the options: {missing}", q.id, "answer")
        if q.type == "match" and len({p["right"] for p in q.pairs}) != len(q.pairs):
            raise QuizBankError(path, "two pairs share the same right-hand side", q.id, "pairs")


@dataclass(frozen=True)
class Marking:
    """The result of marking one answer: right or not, feedback that gives nothing away, and the answer."""

    correct: bool
    message: str
    answer: str


def mark(question: Question, response) -> Marking:
    """Mark a response. Raises AnswerTypeError when it has the wrong kind."""
    check = {"single": _single, "multiple": _multiple, "true_false": _true_false, "numeric": _numeric,
             "order": _order, "match": _match, "text": _text}[question.type]
    return check(question, response)


def _single(q, response):
    if response is None or response == "":
        raise AnswerTypeError("Choose one option first.")
    ok = response == q.answer
    return Marking(ok, "Right." if ok else "Not quite.", q.answer)


def _multiple(q, response):
    if not isinstance(response, (list, tuple, set)):
        raise AnswerTypeError("Tick the options you choose (a list of options).")
    chosen, right = set(response), set(q.answer)
    if not chosen:
        raise AnswerTypeError("Tick at least one option.")
    answer = "; ".join(q.answer)
    if chosen == right:
        return Marking(True, "Right: you found every correct option.", answer)
    return Marking(False, f"Not quite: {len(chosen & right)} of your choices are right, {len(chosen - right)} wrong, "
                          f"and {len(right - chosen)} missing.", answer)


def _true_false(q, response):
    if not isinstance(response, bool):
        raise AnswerTypeError("Choose True or False.")
    ok = response == q.answer
    return Marking(ok, "Right." if ok else "Not quite.", f"the statement is {q.answer}")


def parse_number(response) -> float:
    """A number from the learner's input; '1,100' and ' 1100 ' are accepted."""
    if isinstance(response, bool):
        raise AnswerTypeError("Enter a number, not True or False.")
    if isinstance(response, (int, float)):
        value = float(response)
    else:
        text = str(response or "").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            raise AnswerTypeError("Enter a number first.")
        try:
            value = float(text)
        except ValueError:
            raise AnswerTypeError(f"'{response}' is not a number. Enter digits only, such as 1100.") from None
    if not math.isfinite(value):
        raise AnswerTypeError("Enter a finite number.")
    return value


def _numeric(q, response):
    value = parse_number(response)
    ok = abs(value - q.answer) <= q.tolerance
    unit = f" {q.unit}" if q.unit else ""
    around = f" (answers within {q.tolerance:g} count as right)" if q.tolerance else ""
    return Marking(ok, "Right." if ok else "Not quite.", f"{q.answer:,g}{unit}{around}")


def _order(q, response):
    if not isinstance(response, (list, tuple)) or sorted(map(str, response)) != sorted(q.items):
        raise AnswerTypeError("Give every item exactly one position.")
    placed = sum(a == b for a, b in zip(response, q.items, strict=True))
    order = " → ".join(q.items)
    if placed == len(q.items):
        return Marking(True, "Right: that is the order.", order)
    return Marking(False, f"Not quite: {placed} of {len(q.items)} in the right place.", order)


def _match(q, response):
    if not isinstance(response, dict) or any(not response.get(p["left"]) for p in q.pairs):
        raise AnswerTypeError("Match every item on the left to one on the right.")
    right = sum(response.get(p["left"]) == p["right"] for p in q.pairs)
    pairs = "; ".join(f"{p['left']} → {p['right']}" for p in q.pairs)
    if right == len(q.pairs):
        return Marking(True, "Right: every pair matches.", pairs)
    return Marking(False, f"Not quite: {right} of {len(q.pairs)} pairs right.", pairs)


def _text(q, response):
    if not isinstance(response, str) or not response.strip():
        raise AnswerTypeError("Type an answer first.")
    given = " ".join(fold(response).split())
    ok = any(given == " ".join(fold(a).split()) for a in q.answer)
    return Marking(ok, "Right." if ok else "Not quite.", " or ".join(q.answer[:3]))


def main(argv: list[str]) -> int:
    """``release``: record the current marking fingerprints as released (after checking every bank)."""
    if argv != ["release"]:
        print("usage: python -m vndiplomacy.quizbank release")
        return 2
    path = data_dir() / "quizzes" / RELEASED
    merged = {**(json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}), **current_fingerprints()}
    path.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n", encoding="utf-8")
    print(f"recorded {len(merged)} question ids in {path}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
