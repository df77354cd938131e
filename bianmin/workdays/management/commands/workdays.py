"""Working-day arithmetic from the shell:

    manage.py workdays add 2026-09-30 3              -> 2026-10-10
    manage.py workdays between 2026-09-30 2026-10-12 -> 4

Only the answer goes to standard output; a note on standard error says when a provisional day was used.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bianmin.core.exceptions import ApplicationError
from bianmin.workdays import services


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式错误：{value!r}，应为 YYYY-MM-DD。") from exc


def _integer(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise CommandError(f"工作日数须为整数：{value!r}。") from exc


class Command(BaseCommand):
    help = "工作日计算：add <起算日> <N> 输出第 N 个工作日；between <开始> <结束> 输出 (开始, 结束] 内的工作日数。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="起算日之后第 N 个工作日（起算日不计入）")
        add.add_argument("start")
        add.add_argument("workdays")
        between = sub.add_parser("between", help="(开始, 结束] 内的工作日数")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args, **options):
        try:
            if options["action"] == "add":
                result = services.add_with_provenance(
                    _iso_date(options["start"]), _integer(options["workdays"])
                )
                answer, provisional = result.date.isoformat(), result.is_provisional
            else:
                result = services.between_with_provenance(
                    _iso_date(options["start"]), _iso_date(options["end"])
                )
                answer, provisional = str(result.count), result.is_provisional
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(answer)
        if provisional:
            self.stderr.write("注意：计算涉及尚未公布正式放假安排的暂定日期。")
