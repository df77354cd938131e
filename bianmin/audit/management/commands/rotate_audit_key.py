"""manage.py rotate_audit_key: retire the audit checkpoint signing key and create a new one."""

from django.core.management.base import BaseCommand

from bianmin.audit.services import signing_key_rotate


class Command(BaseCommand):
    help = "Rotate the SM2 key that signs audit checkpoints (old public keys are kept for verification)."

    def handle(self, *args, **options):
        key = signing_key_rotate(acting_user=None)
        self.stdout.write(f"new audit signing key {key.fingerprint}")
