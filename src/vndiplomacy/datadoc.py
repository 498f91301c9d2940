"""Keep the data dictionary in data/README.md in step with datapackage.json.

The tables section between the two markers is generated from the Table Schemas;
run ``python -m vndiplomacy.datadoc`` (``make datadoc``) after changing a schema.
"""
from __future__ import annotations

import sys

from .data import data_dir, descriptor, load_table

START, END = "<!-- tables:start -->", "<!-- tables:end -->"
AUTHORING = " Authoring field: not loaded by `vd.load_table`."


def tables_markdown() -> str:
    """One section per table: its description, row count, keys and a field table."""
    parts = []
    for resource in descriptor()["resources"]:
        schema = resource["schema"]
        rows = len(load_table(resource["name"]))
        keys = ", ".join(f"`{k}`" for k in schema["primaryKey"])
        links = "; ".join(f"`{fk['fields']}` → `{fk['reference']['resource']}.{fk['reference']['fields']}`"
                          for fk in schema.get("foreignKeys", []))
        lines = [f"### `{resource['path']}`: {resource['title']}", "", resource["description"], "",
                 f"{rows} rows. Primary key: {keys}." + (f" Foreign keys: {links}." if links else ""), "",
                 "| field | type | required | description |", "|---|---|---|---|"]
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            allowed = f" One of: {', '.join(constraints['enum'])}." if "enum" in constraints else ""
            lines.append(f"| `{field['name']}` | {field['type']} | {'yes' if constraints.get('required') else ''} "
                         f"| {field['description']}{allowed}{AUTHORING if field.get('authoring') else ''} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def render(readme: str) -> str:
    """The README text with its tables section regenerated."""
    head, rest = readme.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{tables_markdown()}\n{END}{tail}"


def main() -> int:
    """Command line: rewrite data/README.md in place."""
    path = data_dir() / "README.md"
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
