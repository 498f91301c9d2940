"""Colours, HTML helpers and text alternatives shared by every view."""
from __future__ import annotations

import functools
import html
import unicodedata
from pathlib import Path

import pandas as pd

# Okabe & Ito's colour-blind-safe palette (black last, for text-like marks).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

CSS = """
<style>
.vd-card, .vd-table, .vd-alt, .vd-readings, .vd-grid {line-height:1.4;}
.vd-card {border:1px solid #767676; border-radius:6px; padding:0.6em 0.9em; margin:0.3em 0;
          background:var(--jp-layout-color1, #fff); color:var(--jp-ui-font-color1, #111);}
.vd-card h4 {margin:0.1em 0 0.4em 0;}
.vd-reveal summary {cursor:pointer; display:inline-block; border:1px solid #0072B2; border-radius:4px;
                     padding:0.1em 0.6em; color:#0072B2; font-weight:600;}
.vd-reveal summary:focus-visible {outline:2px solid #D55E00; outline-offset:2px;}
.vd-quiz .widget-radio-box label, .vd-quiz .widget-checkbox, .vd-quiz .widget-checkbox label {
  height:auto; min-height:var(--jp-widgets-inline-height, 28px); white-space:normal; line-height:1.35;}
.vd-quiz .widget-radio-box label {display:flex; align-items:flex-start; padding:2px 0;}
.vd-named-slot .widget-label {position:absolute !important; width:1px !important; height:1px; overflow:hidden;
  clip:rect(0 0 0 0); white-space:nowrap;}
.vd-quiz .widget-radio-box label input {flex:none; order:-1; margin:0.25em 0.5em 0 0;}
.vd-grid {display:grid; grid-template-columns:repeat(auto-fit, minmax(240px, 1fr)); gap:0.6em;}
.vd-cite {font-size:0.9em; color:var(--jp-ui-font-color2, #444);}
.vd-quote {border-left:4px solid #0072B2; padding-left:0.6em; font-style:italic;}
.vd-badge {display:inline-block; border:1px solid #555; border-radius:3px; padding:0 0.35em;
           font-size:0.85em; margin-right:0.3em;}
.vd-right {color:#005a8f; font-weight:bold;}
.vd-wrong {color:#a63d00; font-weight:bold;}
.vd-table td, .vd-table th {text-align:left; vertical-align:top; padding:0.2em 0.5em;}
mark.vd-new {background:#F0E442; color:#000; padding:0 0.15em;}
.vd-scroll {overflow-x:auto; max-width:100%;}
.vd-hint {border-left:4px solid #E69F00; padding-left:0.6em;}
.vd-offline-note {display:none;}
.jupyter-widgets-disconnected .vd-offline-note {display:block; border:2px solid #a63d00; border-radius:6px;
    padding:0.5em 0.8em; margin:0.4em 0; color:#a63d00; font-weight:bold; background:var(--jp-layout-color1, #fff);}
</style>
"""


def esc(value) -> str:
    """HTML-escape any value; missing values become an empty string."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value))


QUOTE_MARKS = "\"“”'‘’"


def unquoted(text) -> str:
    """Text without the quotation marks around it (the views add their own)."""
    return str(text).strip().strip(QUOTE_MARKS).strip()


def quote_html(quote) -> str:
    """A verbatim quote as a styled block, or '' when there is none."""
    return f'<div class="vd-quote">“{esc(unquoted(quote))}”</div>' if esc(quote) else ""


def _sources() -> dict[str, dict]:
    """{source id: its row}, read again only when sources.csv changes."""
    from .data import data_dir

    path = data_dir() / "sources.csv"
    return _sources_of(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _sources_of(path: Path, _stamp: int) -> dict[str, dict]:
    from .data import load_table

    return {row["id"]: row for row in load_table("sources", path.parent).to_dict("records")}


def source_name(source_id) -> str:
    """A source as a reader names it: author or outlet, e.g. 'Khang Vu' or 'Communist Review No. 971'."""
    row = _sources().get(source_id)
    if row is None:
        return str(source_id)
    return row["outlet"].split(" (")[0] if row["author"] == "unknown" else row["author"]


def citation(cites, full: bool = False) -> str:
    """Where a cites cell's facts are, for learners, each source once with its paragraphs in order.

    Short: 'Communist Review No. 971 §2 ¶13, fn. 6; VOV.VN §3 ¶1'. Full: each source with its author, outlet and
    date, 'Khang Vu, The Diplomat (2025-11-28), §2 ¶1'.
    """
    from .data import place_label, split_cites

    groups: dict[str, list[str]] = {}
    for source, place in split_cites(cites):
        groups.setdefault(source, []).append(place_label(place))
    sources = _sources()
    parts = []
    for source, places in groups.items():
        where = ", ".join(places)
        if not full:
            parts.append(f"{source_name(source)} {where}")
        elif source in sources:
            row = sources[source]
            author = "" if row["author"] == "unknown" else f"{row['author']}, "
            date = "date unknown" if row["date"] == "unknown" else row["date"]
            parts.append(f"{author}{row['outlet']} ({date}), {where}")
        else:
            parts.append(f"{source}, {where}")
    return "; ".join(parts)


def cite_html(cites, general_knowledge=None) -> str:
    """The citation line under a card or a quiz answer; what comes from outside the sources is behind a 'more'
    toggle.
    """
    text = f'<div class="vd-cite">Source: {esc(citation(cites, full=True))}'
    if esc(general_knowledge):
        text += (f'<details class="vd-outside"><summary>Partly from outside this source (more)</summary>'
                 f"{esc(general_knowledge)}</details>")
    return text + "</div>"


def table_html(frame: pd.DataFrame, columns: dict[str, str], caption: str = "") -> str:
    """An accessible HTML table of the given columns {column: header}."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in columns.values())
    rows = "".join("<tr>" + "".join(f"<td>{esc(_plain(value, c))}</td>" for c, value in zip(columns, row, strict=True))
                   + "</tr>" for row in zip(*(frame[c] for c in columns), strict=True))
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return scroll_box(f'<table class="vd-table">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
                      caption or "Table")


def scroll_box(markup: str, label: str) -> str:
    """A wide table in a box that scrolls sideways, reachable by keyboard (a named region that takes focus)."""
    return f'<div class="vd-scroll" tabindex="0" role="region" aria-label="{esc(label)}">{markup}</div>'


def _plain(value, column=""):
    if column == "cites":
        return citation(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return value


def text_alternative(summary: str, frame: pd.DataFrame, columns: dict[str, str]) -> str:
    """A chart's text alternative: a one-paragraph summary and the data as a table."""
    return (f'<div class="vd-alt"><p><strong>Text alternative:</strong> {esc(summary)}</p>'
            f"<details><summary>Data table</summary>{table_html(frame, columns)}</details></div>")


def fold(text) -> str:
    """Lower-case text without diacritics (đ counts as d), for forgiving search and marking."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
