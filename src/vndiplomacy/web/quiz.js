/* The course's quizzes on the static website: every .vd-site-quiz element becomes a working quiz.
 *
 * Each placeholder holds its bank as JSON (vndiplomacy.webquiz.quiz_placeholder_html). Answers are marked here
 * with the same rules as vndiplomacy.quizbank.mark, scored by the course's one rule (a question's score is the
 * first attempt at it; a wrong first answer shows the hint and allows one more try; later tries are practice),
 * and kept in this browser's localStorage in the fields of the course's progress store. "Export my answers"
 * writes a progress export that the JupyterLab progress dashboard imports and the class dashboard reads.
 * Plain JavaScript, no libraries, no network.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "vndiplomacy-progress";
  var EXPORT_FORMAT = "vndiplomacy-progress";
  var EXPORT_VERSION = 2;
  var FIELDS = ["uid", "topic", "question", "correct", "answer", "at", "kind"];
  var KINDS = ["first", "retry", "practice"];
  var EXPORT_FILE = "my_progress.json";
  var PLACEHOLDER = "\u2014 choose \u2014";
  var POLICY = "Your first answer to each question is the one that counts. If it is wrong you get a hint and one " +
    "more try; then the answer and its source are shown. Later tries are practice and do not change your score.";
  var SEED = 0;

  /* ------------------------------------------------------------------ Python-compatible text helpers */

  // Python's str.isspace() characters: what str.strip() and str.split() treat as whitespace.
  var PY_WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var PY_STRIP = new RegExp("^[" + PY_WS + "]+|[" + PY_WS + "]+$", "g");
  var PY_SPLIT = new RegExp("[" + PY_WS + "]+");
  var PY_SPACE = new RegExp("^[" + PY_WS + "]$");
  var MARK = /\p{M}/u;
  var DIGIT = /\p{Nd}/u;

  function pyStrip(text) {
    return text.replace(PY_STRIP, "");
  }

  function pySplitJoin(text) {
    return text.split(PY_SPLIT).filter(function (w) { return w !== ""; }).join(" ");
  }

  function pyStr(value) {
    if (value === null || value === undefined) return "None";
    if (value === true) return "True";
    if (value === false) return "False";
    return String(value);
  }

  function pyTruthy(value) {
    if (Array.isArray(value)) return value.length > 0;
    if (value && typeof value === "object") return Object.keys(value).length > 0;
    return Boolean(value);
  }

  var combiningCache = new Map();

  // Whether a character has a non-zero canonical combining class (Python's unicodedata.combining). NFD puts
  // such a character before U+0345 (class 240, the highest), and leaves a class-0 character where it is.
  function isCombining(c) {
    if (c.charCodeAt(0) < 0x300 || !MARK.test(c)) return false;
    if (c === "\u0345") return true;
    var known = combiningCache.get(c);
    if (known === undefined) {
      var probe = "a\u0345" + c;
      known = probe.normalize("NFD") !== probe;
      combiningCache.set(c, known);
    }
    return known;
  }

  // vndiplomacy.style.fold: lower-case text without diacritics (đ counts as d).
  function fold(text) {
    var decomposed = String(text).replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFKD");
    var kept = "";
    for (var c of decomposed) {
      if (!isCombining(c)) kept += c;
    }
    return pyStrip(kept.toLowerCase());
  }

  // The value of a Unicode decimal digit: such digits come in runs of ten from a zero.
  function digitValue(c) {
    var code = c.codePointAt(0);
    var start = code;
    while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    return (code - start) % 10;
  }

  function pyIsSpace(c) {
    return PY_SPACE.test(c);
  }

  // What Python's float() accepts, once its Unicode digits are ASCII: digits with single underscores between
  // them, a decimal point, an exponent; or inf, infinity and nan.
  var PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
  var PY_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

  function pyFloat(text) {
    var ascii = "";
    for (var c of text) {
      if (c.charCodeAt(0) < 128) ascii += c;
      else if (DIGIT.test(c)) ascii += String(digitValue(c));
      else if (pyIsSpace(c)) ascii += " ";
      else return null;
    }
    ascii = ascii.replace(/^[\t\n\x0b\x0c\r\x1c-\x1f ]+|[\t\n\x0b\x0c\r\x1c-\x1f ]+$/g, "");
    if (PY_SPECIAL.test(ascii)) return /nan/i.test(ascii) ? NaN : (ascii.charAt(0) === "-" ? -Infinity : Infinity);
    if (!PY_FLOAT.test(ascii)) return null;
    return Number(ascii.replace(/_/g, ""));
  }

  // Python's format(x, "g") and format(x, ",g"): six significant digits, trailing zeros dropped.
  function formatG(x, grouping) {
    if (!isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    var sign = x < 0 ? "-" : "";
    var ax = Math.abs(x);
    var exp = parseInt(ax.toExponential(5).split("e")[1], 10);
    var text;
    if (exp < -4 || exp >= 6) {
      var parts = ax.toExponential(5).split("e");
      var mantissa = parts[0].replace(/\.?0+$/, "");
      var e = parseInt(parts[1], 10);
      text = mantissa + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    } else {
      text = ax.toFixed(Math.max(0, 5 - exp));
      if (text.indexOf(".") >= 0) text = text.replace(/\.?0+$/, "");
      if (grouping) {
        var whole = text.split(".");
        whole[0] = whole[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        text = whole.join(".");
      }
    }
    return sign + text;
  }

  // json.dumps(value, ensure_ascii=False): how the kernel stores an answer.
  function pyDumps(value) {
    if (Array.isArray(value)) return "[" + value.map(pyDumps).join(", ") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).map(function (k) { return JSON.stringify(k) + ": " + pyDumps(value[k]); })
        .join(", ") + "}";
    }
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }

  /* ------------------------------------------------------------------ marking (quizbank.mark) */

  function AnswerTypeError(message) {
    this.name = "AnswerTypeError";
    this.message = message;
  }
  AnswerTypeError.prototype = Object.create(Error.prototype);
  AnswerTypeError.prototype.constructor = AnswerTypeError;

  function marking(correct, message, answer) {
    return {correct: correct, message: message, answer: answer};
  }

  function parseNumber(response) {
    var value;
    if (typeof response === "boolean") throw new AnswerTypeError("Enter a number, not True or False.");
    if (typeof response === "number") {
      value = response;
    } else {
      var text = pyStrip(pyTruthy(response) ? pyStr(response) : "").replace(/,/g, "").replace(/\u00a0/g, "")
        .replace(/ /g, "");
      if (!text) throw new AnswerTypeError("Enter a number first.");
      value = pyFloat(text);
      if (value === null) {
        throw new AnswerTypeError("'" + pyStr(response) + "' is not a number. Enter digits only, such as 1100.");
      }
    }
    if (!isFinite(value)) throw new AnswerTypeError("Enter a finite number.");
    return value;
  }

  var MARKERS = {
    single: function (q, response) {
      if (response === null || response === undefined || response === "") {
        throw new AnswerTypeError("Choose one option first.");
      }
      var ok = response === q.answer;
      return marking(ok, ok ? "Right." : "Not quite.", q.answer);
    },
    multiple: function (q, response) {
      if (!Array.isArray(response)) throw new AnswerTypeError("Tick the options you choose (a list of options).");
      var chosen = new Set(response);
      var right = new Set(q.answer);
      if (!chosen.size) throw new AnswerTypeError("Tick at least one option.");
      var both = 0, wrong = 0, missing = 0;
      chosen.forEach(function (c) { if (right.has(c)) both += 1; else wrong += 1; });
      right.forEach(function (r) { if (!chosen.has(r)) missing += 1; });
      var answer = q.answer.join("; ");
      if (!wrong && !missing) return marking(true, "Right: you found every correct option.", answer);
      return marking(false, "Not quite: " + both + " of your choices are right, " + wrong + " wrong, and " +
        missing + " missing.", answer);
    },
    true_false: function (q, response) {
      if (typeof response !== "boolean") throw new AnswerTypeError("Choose True or False.");
      var ok = response === q.answer;
      return marking(ok, ok ? "Right." : "Not quite.", "the statement is " + pyStr(q.answer));
    },
    numeric: function (q, response) {
      var value = parseNumber(response);
      var ok = Math.abs(value - q.answer) <= q.tolerance;
      var unit = q.unit ? " " + q.unit : "";
      var around = q.tolerance ? " (answers within " + formatG(q.tolerance, false) + " count as right)" : "";
      return marking(ok, ok ? "Right." : "Not quite.", formatG(q.answer, true) + unit + around);
    },
    order: function (q, response) {
      var given = Array.isArray(response) ? response.map(pyStr).sort() : null;
      var items = q.items.slice().sort();
      if (!given || given.length !== items.length || given.some(function (g, i) { return g !== items[i]; })) {
        throw new AnswerTypeError("Give every item exactly one position.");
      }
      var placed = response.filter(function (r, i) { return r === q.items[i]; }).length;
      var order = q.items.join(" \u2192 ");
      if (placed === q.items.length) return marking(true, "Right: that is the order.", order);
      return marking(false, "Not quite: " + placed + " of " + q.items.length + " in the right place.", order);
    },
    match: function (q, response) {
      var isDict = response !== null && typeof response === "object" && !Array.isArray(response);
      var get = function (left) { return Object.prototype.hasOwnProperty.call(response, left) ? response[left] : null; };
      if (!isDict || q.pairs.some(function (p) { return !pyTruthy(get(p.left)); })) {
        throw new AnswerTypeError("Match every item on the left to one on the right.");
      }
      var right = q.pairs.filter(function (p) { return get(p.left) === p.right; }).length;
      var pairs = q.pairs.map(function (p) { return p.left + " \u2192 " + p.right; }).join("; ");
      if (right === q.pairs.length) return marking(true, "Right: every pair matches.", pairs);
      return marking(false, "Not quite: " + right + " of " + q.pairs.length + " pairs right.", pairs);
    },
    text: function (q, response) {
      if (typeof response !== "string" || !pyStrip(response)) throw new AnswerTypeError("Type an answer first.");
      var given = pySplitJoin(fold(response));
      var ok = q.answer.some(function (a) { return given === pySplitJoin(fold(a)); });
      return marking(ok, ok ? "Right." : "Not quite.", q.answer.slice(0, 3).join(" or "));
    }
  };

  /** Mark a response as quizbank.mark does; throws AnswerTypeError when it has the wrong kind. */
  function mark(q, response) {
    return MARKERS[q.type](q, response);
  }

  /** mark(), with a wrong kind of answer returned as {error: message} instead of thrown. */
  function check(q, response) {
    try {
      return mark(q, response);
    } catch (problem) {
      if (problem instanceof AnswerTypeError) return {error: problem.message};
      throw problem;
    }
  }

  /** 'first', 'retry' (the one more try after a wrong first answer) or 'practice', from the earlier results. */
  function kindOfNextAttempt(q, earlier) {
    if (!earlier.length) return "first";
    if (earlier.length === 1 && !earlier[0] && q.type !== "true_false") return "retry";
    return "practice";
  }

  /* ------------------------------------------------------------------ the attempts, kept in localStorage */

  function randomHex(bytes) {
    var values = new Uint8Array(bytes);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(values);
    else for (var i = 0; i < bytes; i += 1) values[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(values, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  var lastStamp = "";

  // The time as the kernel writes it (ISO 8601, microseconds, +00:00), always later than the previous one here,
  // so that attempts sort by time in the order they were made.
  function now() {
    var ms = Date.now();
    var micro = 0;
    var stamp = "";
    while (stamp <= lastStamp) {
      if (micro === 1000) {
        ms += 1;
        micro = 0;
      }
      stamp = new Date(ms).toISOString().slice(0, 23) + String(micro).padStart(3, "0") + "+00:00";
      micro += 1;
    }
    lastStamp = stamp;
    return stamp;
  }

  function byTime(a, b) {
    if (a.at !== b.at) return a.at < b.at ? -1 : 1;
    return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  }

  function validAttempt(a) {
    if (!a || typeof a !== "object") return false;
    for (var i = 0; i < FIELDS.length; i += 1) if (!(FIELDS[i] in a)) return false;
    return ["uid", "topic", "question", "answer", "at"].every(function (f) {
      return typeof a[f] === "string" && a[f] !== "";
    }) && [0, 1, true, false].indexOf(a.correct) >= 0 && KINDS.indexOf(a.kind) >= 0;
  }

  function describe(error) {
    var name = error && error.name;
    if (name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED" || (error && error.code === 22)) {
      return "this browser's storage for this site is full";
    }
    if (name === "SecurityError") return "this browser does not let this site store anything (private mode or " +
      "blocked cookies and site data)";
    return "this browser's storage cannot be used (" + (error && error.message ? error.message : String(error)) + ")";
  }

  /** The course's attempts in this browser: localStorage when it works, else this page's memory. */
  function Store() {
    this.memory = null;       // the data, when localStorage cannot be read at all
    this.unsaved = [];        // attempts made while localStorage could not be written
    this.learnerInMemory = null;
    this.problem = null;      // why answers are not being saved, or null
    this.movedAside = null;   // the key a damaged value was copied to
    this.listeners = [];
  }

  Store.prototype.storage = function () {
    return window.localStorage;  // may throw (SecurityError) in some browsers
  };

  Store.prototype.fresh = function () {
    return {format: EXPORT_FORMAT, version: EXPORT_VERSION,
            learner: this.learnerInMemory || {id: randomHex(16), name: "", linked: []}, attempts: []};
  };

  Store.prototype.tell = function () {
    this.listeners.forEach(function (listener) { listener(); });
  };

  Store.prototype.setProblem = function (problem) {
    if (problem !== this.problem) {
      this.problem = problem;
      this.tell();
    }
  };

  /** The stored data {learner, attempts}, with any attempts not yet saved. */
  Store.prototype.read = function () {
    var raw, data;
    try {
      raw = this.storage().getItem(STORAGE_KEY);
    } catch (error) {
      this.setProblem(describe(error));
      if (!this.memory) this.memory = this.fresh();
      return this.memory;
    }
    if (raw === null) {
      data = this.fresh();
    } else {
      try {
        data = JSON.parse(raw);
        if (!data || typeof data !== "object" || !data.learner || typeof data.learner.id !== "string" ||
            !Array.isArray(data.attempts)) {
          throw new Error("not the course's progress");
        }
      } catch (error) {
        this.moveAside(raw);
        data = this.fresh();
        this.learnerInMemory = data.learner;
        this.write(data);
      }
      data.attempts = data.attempts.filter(validAttempt);
    }
    this.learnerInMemory = data.learner;
    if (this.unsaved.length) {
      var known = new Set(data.attempts.map(function (a) { return a.uid; }));
      data.attempts = data.attempts.concat(this.unsaved.filter(function (a) { return !known.has(a.uid); }));
    }
    return data;
  };

  Store.prototype.moveAside = function (raw) {
    var key = STORAGE_KEY + ".damaged-" + new Date().toISOString().replace(/[:.]/g, "");
    try {
      this.storage().setItem(key, raw);
      this.movedAside = key;
    } catch (error) {
      this.movedAside = "";
    }
    this.tell();
  };

  /** Write the data; returns null, or the reason it could not be saved (it is then kept in this page). */
  Store.prototype.write = function (data) {
    if (this.memory) {
      this.memory = data;
      return this.problem;
    }
    try {
      this.storage().setItem(STORAGE_KEY, JSON.stringify({format: EXPORT_FORMAT, version: EXPORT_VERSION,
        learner: data.learner, attempts: data.attempts}));
    } catch (error) {
      var problem = describe(error);
      this.setProblem(problem);
      return problem;
    }
    this.unsaved = [];
    this.setProblem(null);
    return null;
  };

  Store.prototype.attempts = function () {
    return this.read().attempts.slice().sort(byTime);
  };

  Store.prototype.learner = function () {
    return this.read().learner;
  };

  /** Record one attempt; returns null, or the reason it was not saved in the browser. */
  Store.prototype.record = function (topic, question, correct, answer, kind) {
    var data = this.read();
    var attempt = {uid: randomHex(16), topic: topic, question: question, correct: correct ? 1 : 0,
                   answer: pyDumps(answer), at: now(), kind: kind};
    data.attempts.push(attempt);
    var problem = this.write(data);
    if (problem && !this.memory) this.unsaved.push(attempt);
    return problem;
  };

  Store.prototype.setName = function (name) {
    var data = this.read();
    data.learner = Object.assign({}, data.learner, {name: name});
    this.learnerInMemory = data.learner;
    return this.write(data);
  };

  /** The progress export the kernel writes (ProgressStore.export), of every attempt in this browser. */
  Store.prototype.exportPayload = function () {
    var data = this.read();
    var learner = data.learner;
    return {format: EXPORT_FORMAT, version: EXPORT_VERSION, exported: now(),
            learner: {id: learner.id, name: learner.name || "", linked: Array.isArray(learner.linked) ? learner.linked : []},
            attempts: data.attempts.slice().sort(byTime).map(function (a) {
              var row = {};
              FIELDS.forEach(function (f) { row[f] = f === "correct" ? (a.correct ? 1 : 0) : a[f]; });
              return row;
            })};
  };

  /** {question id: whether its first attempt was right} for the given ids (scoring.question_results). */
  function questionResults(attempts, ids) {
    var wanted = new Set(ids);
    var results = {};
    attempts.slice().sort(byTime).forEach(function (a) {
      if (wanted.has(a.question) && !(a.question in results)) results[a.question] = Boolean(a.correct);
    });
    return results;
  }

  /* ------------------------------------------------------------------ the page */

  var counter = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // A reproducible shuffle per question (the order stays the same on every visit).
  function shuffled(list, key) {
    var h = 2166136261;
    for (var i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    var random = function () {
      h = (h + 0x6D2B79F5) | 0;
      var t = Math.imul(h ^ (h >>> 15), 1 | h);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    var out = list.slice();
    for (var j = out.length - 1; j > 0; j -= 1) {
      var k = Math.floor(random() * (j + 1));
      var swap = out[j]; out[j] = out[k]; out[k] = swap;
    }
    return out;
  }

  function choices(q) {
    var key = SEED + ":" + q.id;
    if (q.type === "order") {
      var order = shuffled(q.items, key);
      // Never show the items in the right order already.
      if (order.every(function (item, i) { return item === q.items[i]; })) order.push(order.shift());
      return order;
    }
    if (q.type === "match") return shuffled(q.pairs.map(function (p) { return p.right; }).sort(), key);
    return shuffled(q.options, key);
  }

  /** One question: its controls, a Check button and the feedback. */
  function QuestionView(quiz, q, number) {
    this.quiz = quiz;
    this.q = q;
    this.number = number;
    this.id = quiz.id + "-" + q.id;
    this.history = [];
    var promptId = this.id + "-prompt";
    this.prompt = el("p", {class: "vd-quiz-prompt", id: promptId}, [el("b", {text: number + ". "}), q.prompt]);
    this.control = this.build(promptId);
    this.check = el("button", {type: "button", class: "vd-quiz-check", "aria-label": "Check question " + number,
                               text: "Check"});
    this.feedback = el("div", {class: "vd-quiz-feedback", role: "status", "aria-live": "polite"});
    this.node = el("li", {class: "vd-quiz-question vd-quiz-type-" + q.type, id: this.id, "data-question": q.id},
                   [this.prompt, this.control, this.check, this.feedback]);
    var view = this;
    this.check.addEventListener("click", function () { view.submit(); });
    if (q.type === "numeric" || q.type === "text") {
      this.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          view.submit();
        }
      });
    }
  }

  QuestionView.prototype.group = function (promptId, legend, rows) {
    return el("fieldset", {class: "vd-quiz-control", "aria-describedby": promptId},
              [el("legend", {text: legend})].concat(rows));
  };

  QuestionView.prototype.build = function (promptId) {
    var q = this.q, id = this.id, view = this;
    if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
      var options = q.type === "true_false" ? [["True", "true"], ["False", "false"]] :
        choices(q).map(function (o) { return [o, o]; });
      var kind = q.type === "multiple" ? "checkbox" : "radio";
      this.inputs = options.map(function (pair, i) {
        return el("input", {type: kind, name: id + "-choice", id: id + "-o" + i, value: pair[1]});
      });
      var legend = {single: "Choose one answer.", multiple: "Tick every answer that is right.",
                    true_false: "True or false?"}[q.type];
      return this.group(promptId, legend, options.map(function (pair, i) {
        return el("div", {class: "vd-quiz-option"}, [view.inputs[i], el("label", {for: id + "-o" + i, text: pair[0]})]);
      }));
    }
    if (q.type === "numeric" || q.type === "text") {
      var what = q.type === "numeric" ? "a number" + (q.unit ? " (" + q.unit + ")" : "") : "your answer";
      this.input = el("input", {type: "text", id: id + "-input", class: "vd-quiz-input", autocomplete: "off",
                                autocapitalize: "off", spellcheck: "false", placeholder: "Type " + what,
                                "aria-describedby": promptId});
      var label = "Your answer" + (q.type === "numeric" ? ": a number" + (q.unit ? " (" + q.unit + ")" : "") : "");
      return el("div", {class: "vd-quiz-control vd-quiz-field"},
                [el("label", {for: id + "-input", text: label}), this.input]);
    }
    var rows, values;
    if (q.type === "order") {
      this.labels = choices(q);
      values = this.labels.map(function (_item, i) { return String(i + 1); });
      rows = this.slots(values);
      return this.group(promptId, "Give each item its position (1 = earliest or first).", rows);
    }
    this.labels = q.pairs.map(function (p) { return p.left; });
    rows = this.slots(choices(q));
    return this.group(promptId, "Match each item on the left to one on the right.", rows);
  };

  QuestionView.prototype.slots = function (values) {
    var id = this.id;
    this.selects = [];
    var view = this;
    return this.labels.map(function (label, i) {
      var select = el("select", {id: id + "-s" + i, class: "vd-quiz-select"},
                      [el("option", {value: "", text: PLACEHOLDER})].concat(values.map(function (v) {
                        return el("option", {value: v, text: v});
                      })));
      view.selects.push(select);
      // On a narrow screen a long choice is cut off in its select: it is shown in full below it.
      var chosen = view.q.type === "match" ? el("span", {class: "vd-quiz-chosen", "aria-hidden": "true"}) : null;
      if (chosen) {
        select.addEventListener("change", function () { chosen.textContent = select.value; });
        select.vdChosen = chosen;
      }
      return el("div", {class: "vd-quiz-slot"}, [el("label", {for: id + "-s" + i, text: label}), select, chosen]);
    });
  };

  /** The learner's current answer, in the form mark() expects (as the kernel's QuestionView.response). */
  QuestionView.prototype.response = function () {
    var q = this.q;
    if (q.type === "multiple") {
      return this.inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (q.type === "single" || q.type === "true_false") {
      var chosen = this.inputs.filter(function (i) { return i.checked; })[0];
      if (!chosen) return null;
      return q.type === "true_false" ? chosen.value === "true" : chosen.value;
    }
    if (q.type === "numeric" || q.type === "text") return this.input.value;
    var selects = this.selects, labels = this.labels;
    if (q.type === "order") {
      var positions = selects.map(function (s) { return s.value; });
      if (positions.indexOf("") >= 0 || new Set(positions).size !== positions.length) return null;
      return labels.map(function (item, i) { return [item, Number(positions[i])]; })
        .sort(function (a, b) { return a[1] - b[1]; }).map(function (pair) { return pair[0]; });
    }
    var out = {};
    labels.forEach(function (left, i) { out[left] = selects[i].value || null; });
    return out;
  };

  /** Put a saved answer back into the controls. */
  QuestionView.prototype.show = function (response) {
    var q = this.q;
    if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
      var wanted = q.type === "multiple" ? (Array.isArray(response) ? response : []) :
        [q.type === "true_false" ? (response === true ? "true" : response === false ? "false" : null) : response];
      this.inputs.forEach(function (i) { i.checked = wanted.indexOf(i.value) >= 0; });
    } else if (q.type === "numeric" || q.type === "text") {
      this.input.value = response === null || response === undefined ? "" : String(response);
    } else if (q.type === "order") {
      var labels = this.labels;
      this.selects.forEach(function (s, i) {
        var at = Array.isArray(response) ? response.indexOf(labels[i]) : -1;
        s.value = at >= 0 && at < labels.length ? String(at + 1) : "";
      });
    } else {
      var lefts = this.labels;
      this.selects.forEach(function (s, i) {
        var value = response && typeof response === "object" ? response[lefts[i]] : null;
        s.value = Array.prototype.some.call(s.options, function (o) { return o.value === value && value; }) ? value : "";
        s.vdChosen.textContent = s.value;
      });
    }
  };

  QuestionView.prototype.reset = function () {
    this.show(null);
    this.feedback.textContent = "";
  };

  QuestionView.prototype.submit = function () {
    var q = this.q;
    var response = this.response();
    var result;
    try {
      result = mark(q, response);
    } catch (problem) {
      if (!(problem instanceof AnswerTypeError)) throw problem;
      this.feedback.replaceChildren(el("p", {class: "vd-wrong"}, ["\u26a0 " + problem.message]));
      return null;
    }
    var earlier = this.quiz.earlierResults(q.id, this.history);
    var kind = kindOfNextAttempt(q, earlier);
    this.history = earlier.concat([result.correct]);
    var saved = this.quiz.store.record(this.quiz.bank.topic, q.id, result.correct, response, kind);
    this.feedback.replaceChildren(feedbackNode(q, result, kind, saved));
    this.quiz.update();
    return result;
  };

  /** The feedback for one attempt (quiz.feedback_html); `saved` is null when saved, else the reason it was not. */
  function feedbackNode(q, result, kind, saved) {
    var reveal = result.correct || kind !== "first" || q.type === "true_false";
    var parts = [];
    if (result.correct) {
      parts.push(el("p", {}, [el("span", {class: "vd-right", text: "\u2714 Right"}), kind === "retry" ? " this time." : "."]));
    } else {
      parts.push(el("p", {}, [el("span", {class: "vd-wrong", text: "\u2718 " + result.message})]));
    }
    if (kind === "practice") parts.push(el("p", {class: "vd-quiz-practice"}, [el("i", {text: "Practice: this try does not change your score."})]));
    if (!reveal) {
      parts.push(el("p", {class: "vd-hint"}, [el("b", {text: "Hint:"}), " " + q.hint]));
      parts.push(el("p", {text: "You have one more try. Your first answer is the one that counts; this try is for learning."}));
    } else {
      if (!result.correct) parts.push(el("p", {class: "vd-quiz-answer"}, [el("b", {text: "The answer:"}), " " + result.answer + "."]));
      parts.push(el("p", {class: "vd-quiz-explanation", text: q.explanation}));
      if (q.quote) parts.push(el("blockquote", {class: "vd-quote", text: "\u201c" + q.quote + "\u201d"}));
      parts.push(el("p", {class: "vd-cite", text: "Source: " + q.citation}));
    }
    if (saved) parts.push(el("p", {class: "vd-wrong"}, ["\u26a0 Marked, but not saved: " + saved + "."]));
    return el("div", {class: "vd-card vd-quiz-card vd-quiz-" + (result.correct ? "right" : "wrong")}, parts);
  }

  /** A topic's quiz in one .vd-site-quiz element. */
  function Quiz(root, bank, store) {
    counter += 1;
    this.root = root;
    this.bank = bank;
    this.store = store;
    this.id = "vdq" + counter + "-" + bank.topic;
    var quiz = this;
    this.views = bank.questions.map(function (q, i) { return new QuestionView(quiz, q, i + 1); });
    this.ids = bank.questions.map(function (q) { return q.id; });
    var titleId = this.id + "-title";
    this.notice = el("div", {class: "vd-quiz-notice", role: "alert"});
    this.score = el("p", {class: "vd-quiz-score", "aria-live": "polite"});
    this.redo = el("button", {type: "button", class: "vd-quiz-redo", text: "Redo the ones I missed",
                              title: "Practise the questions whose first answer was wrong"});
    this.showAll = el("button", {type: "button", class: "vd-quiz-all", text: "Show all questions"});
    this.mode = el("p", {class: "vd-quiz-mode", role: "status"});
    this.list = el("ol", {class: "vd-quiz-questions"}, this.views.map(function (v) { return v.node; }));
    this.name = el("input", {type: "text", id: this.id + "-name", class: "vd-quiz-name", autocomplete: "name",
                             placeholder: "the name your teacher knows you by"});
    this.exportButton = el("button", {type: "button", class: "vd-quiz-export", text: "Export my answers"});
    this.exportStatus = el("p", {class: "vd-quiz-export-status", role: "status"});
    var section = el("section", {class: "vd-quiz", "aria-labelledby": titleId}, [
      el("h3", {id: titleId, class: "vd-quiz-title", text: "Quiz: " + bank.title}),
      el("p", {class: "vd-quiz-policy", text: bank.questions.length + " questions. " + POLICY}),
      el("p", {class: "vd-quiz-keep", text: "Your answers are kept in this browser only. To keep them safe, hand " +
               "them in, or carry on in JupyterLab, use Export my answers at the end of the quiz."}),
      this.notice,
      el("div", {class: "vd-quiz-bar"}, [this.score, el("div", {class: "vd-quiz-buttons"}, [this.redo, this.showAll])]),
      this.mode,
      this.list,
      el("div", {class: "vd-quiz-export-box"}, [
        el("p", {class: "vd-quiz-export-intro", text: "Export my answers: a file of every answer you gave on this " +
                 "site's quizzes, for your teacher or for Import in the course's progress dashboard (notebook 00)."}),
        el("div", {class: "vd-quiz-field"}, [el("label", {for: this.id + "-name", text: "Your name"}), this.name]),
        this.exportButton, this.exportStatus])
    ]);
    root.replaceChildren(section);
    root.classList.add("vd-site-quiz-ready");
    this.redo.addEventListener("click", function () { quiz.filterMissed(); });
    this.showAll.addEventListener("click", function () { quiz.filterAll(); });
    this.exportButton.addEventListener("click", function () { quiz.exportAnswers(); });
    this.name.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        quiz.exportAnswers();
      }
    });
    store.listeners.push(function () { quiz.showNotice(); });
    this.name.value = store.learner().name || "";
    this.restore();
    this.showNotice();
    this.update();
  }

  Quiz.prototype.showNotice = function () {
    var notes = [];
    if (this.store.movedAside !== null) {
      notes.push("The answers saved in this browser could not be read (they were damaged)" +
                 (this.store.movedAside ? "; they were kept under the name " + this.store.movedAside : "") +
                 ", and a new record was started.");
    }
    if (this.store.problem) {
      notes.push("Your answers cannot be saved in this browser: " + this.store.problem + ". They are kept only " +
                 "while this page is open; use Export my answers before you leave.");
    }
    this.notice.replaceChildren.apply(this.notice, notes.map(function (n) {
      return el("p", {class: "vd-wrong"}, ["\u26a0 " + n]);
    }));
  };

  /** Show each answered question's last answer, and where it stands under the policy. */
  Quiz.prototype.restore = function () {
    var attempts = this.store.attempts();
    this.views.forEach(function (view) {
      var mine = attempts.filter(function (a) { return a.question === view.q.id; });
      if (!mine.length) return;
      view.history = mine.map(function (a) { return Boolean(a.correct); });
      var last = mine[mine.length - 1];
      var response;
      try {
        response = JSON.parse(last.answer);
      } catch (error) {
        response = null;
      }
      view.show(response);
      var note = el("p", {class: "vd-quiz-restored", text: "Answered before: your first answer was " +
                          (view.history[0] ? "right" : "wrong") + "."});
      var result = check(view.q, view.response());
      view.feedback.replaceChildren(note);
      if (!result.error) view.feedback.appendChild(feedbackNode(view.q, result, last.kind, null));
    });
  };

  Quiz.prototype.earlierResults = function (questionId) {
    return this.store.attempts().filter(function (a) { return a.question === questionId; })
      .map(function (a) { return Boolean(a.correct); });
  };

  Quiz.prototype.results = function () {
    return questionResults(this.store.attempts(), this.ids);
  };

  Quiz.prototype.update = function () {
    var results = this.results();
    var answered = Object.keys(results).length;
    var right = Object.keys(results).filter(function (k) { return results[k]; }).length;
    this.score.replaceChildren(el("b", {text: "Score: " + right + " of " + this.views.length + " right at the first try"}),
                               ", " + answered + " answered");
  };

  Quiz.prototype.filterMissed = function () {
    var results = this.results();
    var missed = 0;
    this.views.forEach(function (view) {
      var isMissed = results[view.q.id] === false;
      view.node.hidden = !isMissed;
      if (isMissed) {
        view.reset();
        missed += 1;
      }
    });
    this.list.classList.add("vd-quiz-practising");
    this.mode.replaceChildren(el("i", {text: missed ? "Practice: these tries do not change your score. Show all " +
      "questions to see every question again." : "Nothing to redo: no first answer was wrong."}));
  };

  Quiz.prototype.filterAll = function () {
    this.views.forEach(function (view) { view.node.hidden = false; });
    this.list.classList.remove("vd-quiz-practising");
    this.mode.textContent = "";
  };

  Quiz.prototype.exportAnswers = function () {
    var name = pySplitJoin(this.name.value);
    var status = this.exportStatus;
    if (!name) {
      status.replaceChildren(el("span", {class: "vd-wrong", text: "\u26a0 Type your name first: your teacher uses it " +
                                "to know whose work this is."}));
      this.name.focus();
      return null;
    }
    this.store.setName(name);
    var payload = this.store.exportPayload();
    payload.learner.name = name;
    var blob = new Blob([JSON.stringify(payload, null, 1)], {type: "application/json"});
    var url = URL.createObjectURL(blob);
    var link = el("a", {href: url, download: EXPORT_FILE, hidden: true});
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    status.textContent = "Saved " + payload.attempts.length + " answers to " + EXPORT_FILE + " (in your downloads). " +
      "Keep it: import it in the progress dashboard in JupyterLab (notebook 00), or hand it to your teacher.";
    return payload;
  };

  /* ------------------------------------------------------------------ start */

  var sharedStore = null;

  function init() {
    if (!sharedStore) {
      sharedStore = new Store();
      window.addEventListener("storage", function (event) {
        if (event.key === STORAGE_KEY) quizzes.forEach(function (quiz) { quiz.update(); });
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll(".vd-site-quiz:not(.vd-site-quiz-ready)"), function (root) {
      var source = root.querySelector("script.vd-quiz-bank");
      try {
        quizzes.push(new Quiz(root, JSON.parse(source.textContent), sharedStore));
      } catch (error) {
        root.classList.add("vd-site-quiz-ready");
        root.appendChild(el("p", {class: "vd-wrong", role: "alert",
                                  text: "\u26a0 This quiz could not be shown (" + error.message + ")."}));
        if (window.console) window.console.error(error);
      }
    });
  }

  var quizzes = [];

  window.vdQuiz = {mark: mark, check: check, parseNumber: parseNumber, fold: fold, formatG: formatG,
                   kindOfNextAttempt: kindOfNextAttempt, questionResults: questionResults, init: init,
                   quizzes: quizzes, STORAGE_KEY: STORAGE_KEY, AnswerTypeError: AnswerTypeError,
                   store: function () { return sharedStore; }};

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
