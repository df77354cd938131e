"""Accuracy of the smart guide (智能导办) on a held set of realistic citizen questions: top-1 and top-3.

The questions are in bench/data/guide_questions.json (≥ 80), each with the demo catalog's item names and/or
the demo FAQ codes (bianmin/hotline/faq_data.py) that answer it. The guide shows two lists side by side
(matching items, FAQ answers); a question is a hit at k when an expected item is among its first k items or
an expected FAQ among its first k FAQ answers.

    .venv/bin/python -m bench.run guide            # recorded in bench/RESULTS.md
tests/hotline/test_guide_accuracy.py asserts a floor on the same figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import Context, Report, benchmark

QUESTIONS = Path(__file__).resolve().parent / "data" / "guide_questions.json"


@dataclass
class GuideAccuracy:
    questions: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.questions if self.questions else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.questions if self.questions else 0.0


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["questions"]


def _rank(names: list[str], expected: set[str]) -> int | None:
    return next((i for i, name in enumerate(names, start=1) if name in expected), None)


def evaluate(questions: list[dict] | None = None) -> GuideAccuracy:
    from bianmin.hotline import guide

    result = GuideAccuracy()
    for entry in questions if questions is not None else load_questions():
        answer = guide.answer(entry["q"], items=3, faqs=3)
        ranks = [
            r
            for r in (
                _rank([hit.name for hit in answer.items], set(entry.get("expected_items", []))),
                _rank([hit.code for hit in answer.faqs], set(entry.get("expected_faqs", []))),
            )
            if r is not None
        ]
        best = min(ranks) if ranks else None
        result.questions += 1
        result.top1 += best == 1
        result.top3 += best is not None and best <= 3
        if best is None or best > 1:
            got = [hit.name for hit in answer.items[:3]] + [f"FAQ:{hit.code}" for hit in answer.faqs[:3]]
            result.misses.append((entry["q"], got))
    return result


def ensure_demo_data() -> None:
    from django.core.management import call_command

    from bianmin.hotline.models import FaqEntry

    if not FaqEntry.objects.exists():
        call_command("seed_demo", verbosity=0)


@benchmark("guide", "智能导办准确率：84 条群众问法的 top-1 / top-3（事项 + 常见问题）")
def run(ctx: Context) -> Report:
    ensure_demo_data()
    accuracy = evaluate()
    report = Report()
    report.figure("questions", accuracy.questions, "questions", "bench/data/guide_questions.json")
    report.figure("top-1", accuracy.top1_rate * 100, "%", f"{accuracy.top1} of {accuracy.questions}")
    report.figure("top-3", accuracy.top3_rate * 100, "%", f"{accuracy.top3} of {accuracy.questions}")
    for q, got in accuracy.misses:
        report.note(f"not first: “{q}” → {', '.join(got) or '(nothing)'}")
    return report
