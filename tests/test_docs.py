"""Documents for people: headings in order (one title, no skipped levels), links to files that exist."""
import re

import pytest
from course_paths import ROOT

DOCS = ["README.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "LICENSE-CONTENT.md", "data/README.md", "teacher/guide.md",
        "teacher/grading.md"]


def headings(text):
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return [len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", text, re.M)]


@pytest.mark.parametrize("doc", DOCS)
def test_headings_in_order(doc):
    levels = headings((ROOT / doc).read_text(encoding="utf-8"))
    assert levels and levels[0] == 1 and levels.count(1) == 1, f"{doc}: one # title first"
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not jumps, f"{doc}: heading levels jump {jumps}"


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"`|\*\*|__|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text):
    """Every anchor of a Markdown text: its headings' slugs (repeats numbered as GitHub does) and explicit ids."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    seen, out = {}, set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.M):
        base = slug(heading)
        out.add(base if base not in seen else f"{base}-{seen[base]}")
        seen[base] = seen.get(base, 0) + 1
    return out | set(re.findall(r"""<a (?:id|name)=["']([^"']+)["']""", text))


def broken_links(path):
    """Relative links of a Markdown file whose file is missing, or whose #anchor names no heading of its target."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in re.findall(r"\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)", text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto: ...
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file) if file else path
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target} (no such heading)")
    return broken


@pytest.mark.parametrize("doc", DOCS)
def test_relative_links_point_to_files(doc):
    assert not broken_links(ROOT / doc), f"{doc}: broken links {broken_links(ROOT / doc)}"


def test_the_link_check_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "other.md").write_text("# Title\n\n## Set up the hub (step 1)\n\n## Notes\n\n## Notes\n",
                                       encoding="utf-8")
    (tmp_path / "doc.md").write_text(
        "# Doc\n\n## Here\n\n[a](other.md) [b](other.md#set-up-the-hub-step-1) [c](other.md#notes-1) [d](#here)"
        " [e](https://example.org/x#y) [f](other.md#nowhere) [g](missing.md#title) [h](#gone) [i](missing.csv)\n",
        encoding="utf-8")
    assert broken_links(tmp_path / "doc.md") == ["other.md#nowhere (no such heading)",
                                                 "missing.md#title (no such file)", "#gone (no such heading)",
                                                 "missing.csv (no such file)"]


def test_the_hub_link_teachers_are_given_is_the_one_the_course_makes():
    from vndiplomacy.hub import pull_link

    link = pull_link("https://hub.example.edu")
    for doc in ("README.md", "teacher/guide.md"):
        assert link in (ROOT / doc).read_text(encoding="utf-8"), f"{doc} gives another link than `make hub-link`"


def test_the_project_carries_its_licences_citation_and_code_of_conduct():
    import tomllib

    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    package = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0" and citation["title"] and citation["authors"]
    assert citation["license"] == package["license"] == "MIT" and citation["version"] == package["version"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "CC BY 4.0" in (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("LICENSE", "LICENSE-CONTENT.md", "CITATION.cff", "CODE_OF_CONDUCT.md"):
        assert (ROOT / name).exists() and f"({name})" in readme, name
