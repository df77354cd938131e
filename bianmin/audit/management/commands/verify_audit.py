"""manage.py verify_audit: exit 0 and print OK when every partition's chain holds, else list the first
problem of each broken partition and exit 1."""

from django.core.management.base import BaseCommand, CommandError

from bianmin.audit.verification import CHUNK_SIZE, verify_audit


class Command(BaseCommand):
    help = "Verify the audit trail's HMAC-SM3 chains, heads and SM2-signed checkpoints."

    def add_arguments(self, parser):
        parser.add_argument("--partition", type=int, action="append", help="only this partition (repeatable)")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)

    def handle(self, *args, partition=None, chunk_size=CHUNK_SIZE, **options):
        report = verify_audit(partitions=partition, chunk_size=chunk_size)
        for problem in report.problems:
            self.stdout.write(str(problem))
        summary = (
            f"{report.entries} entries in {len(report.partitions)} partitions, "
            f"{report.checkpoints} checkpoints, {report.seconds:.2f} s"
        )
        if not report.ok:
            raise CommandError(
                f"audit trail FAILED verification: {len(report.problems)} problem(s); {summary}"
            )
        self.stdout.write(f"OK {summary}")
