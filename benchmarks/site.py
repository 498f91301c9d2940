"""`make bench`, the website edition: how long `make site` takes and how big the site is, by kind of file."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "site.json"


def main() -> None:
    print("\n## The website edition (make site)")
    with tempfile.TemporaryDirectory(prefix="vd-bench-site-") as tmp:
        out = Path(tmp) / "site"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "vndiplomacy.website", "build", str(out)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        files = [p for p in out.rglob("*") if p.is_file()]
        by_kind = Counter()
        for path in files:
            by_kind[path.suffix or path.name] += path.stat().st_size
        total = sum(by_kind.values())
        pages = len(list(out.glob("*.html")))
    print(f"build: {seconds:.0f} s (runs every notebook once, then Jupyter Book)")
    print(f"size: {total / 1e6:.1f} MB in {len(files)} files, {pages} pages")
    for kind, size in by_kind.most_common(6):
        print(f"  {kind}: {size / 1e6:.1f} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"build_s": round(seconds, 1), "bytes": total, "files": len(files), "pages": pages,
                                   "bytes_by_kind": dict(by_kind)}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
