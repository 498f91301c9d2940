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


@pytest.mark.parametrize("doc", DOCS)
def test_relative_links_point_to_files(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        assert ((ROOT / doc).parent / target).exists(), f"{doc}: link to missing {target}"


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
