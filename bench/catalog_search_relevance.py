"""Relevance of the catalog search on realistic citizen queries: top-1, top-3 and MRR.

The queries and the items that answer them are in bench/data/search_queries.json (≥ 50 queries, written
against the demo catalog of bianmin.catalog.seed). A query is a hit at rank r when one of its expected
item names is the r-th result of the public catalog search (selectors.published_item_list(q=…)).

    .venv/bin/python bench/catalog_search_relevance.py            # prints the figures and the misses
    .venv/bin/python -m bench.run catalog_relevance               # the same, recorded in bench/RESULTS.md

Both run on a database of their own holding the demo district only, bench/out/catalog_demo.sqlite3 (or
<DATABASE_URL>_catalog_demo), created and seeded on the first run and reused (seed_demo is idempotent):
the big benchmark database's generated items would drown the demo catalog.
tests/catalog/test_search_relevance.py asserts a floor on the same figures.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "data" / "search_queries.json"
if __name__ == "__main__":  # bench/http.py must not shadow the stdlib when run as a script
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))


@dataclass
class Relevance:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    reciprocal_ranks: float = 0.0
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.queries if self.queries else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.queries if self.queries else 0.0


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def evaluate(queries: list[dict] | None = None, *, depth: int = 10) -> Relevance:
    """Run every query through the public search and score the ranks of the expected items."""
    from bianmin.catalog import selectors

    result = Relevance()
    for entry in queries if queries is not None else load_queries():
        expected = set(entry["expected"])
        names = [
            item.current_version.name
            for item in selectors.published_item_list(filters={"q": entry["q"]})[:depth]
        ]
        result.queries += 1
        rank = next((i for i, name in enumerate(names, start=1) if name in expected), None)
        if rank is None:
            result.misses.append((entry["q"], names[:3]))
            continue
        result.reciprocal_ranks += 1.0 / rank
        result.top1 += rank == 1
        result.top3 += rank <= 3
        if rank > 3:
            result.misses.append((entry["q"], names[:3]))
    return result


def report_into(report, relevance: Relevance) -> None:
    report.figure("queries", relevance.queries, "queries", "bench/data/search_queries.json")
    report.figure("top-1", relevance.top1_rate * 100, "%", f"{relevance.top1} of {relevance.queries}")
    report.figure("top-3", relevance.top3_rate * 100, "%", f"{relevance.top3} of {relevance.queries}")
    report.figure("MRR@10", relevance.mrr, "", "mean reciprocal rank of the first expected item")
    for q, got in relevance.misses:
        report.note(f"not in top 3: “{q}” → {', '.join(got) or '(nothing)'}")


def run_in_child() -> Relevance:
    """Evaluate in a child process on the demo-only database (bench/out/catalog_demo.sqlite3)."""
    from bench.catalog_generate import run_child

    data = run_child(["bench/catalog_search_relevance.py", "--json"], name="catalog_demo", tag="RELEVANCE")
    return Relevance(
        queries=data["queries"],
        top1=data["top1"],
        top3=data["top3"],
        reciprocal_ranks=data["reciprocal_ranks"],
        misses=[(q, got) for q, got in data["misses"]],
    )


def main() -> None:
    import json
    from dataclasses import asdict

    from bench.catalog_generate import setup_child

    setup_child("catalog_demo")
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)  # idempotent: a changed seed is picked up, nothing is doubled
    relevance = evaluate()
    if "--json" in sys.argv:
        print("RELEVANCE " + json.dumps(asdict(relevance), ensure_ascii=False))
        return
    print(
        f"queries {relevance.queries}  top-1 {relevance.top1_rate:.1%}  top-3 {relevance.top3_rate:.1%}  MRR {relevance.mrr:.3f}"
    )
    for q, got in relevance.misses:
        print(f"  miss: {q!r} -> {got}")


if __name__ == "__main__":
    main()
