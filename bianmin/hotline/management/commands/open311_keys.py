"""Open311 api_keys for client apps: create (the raw key is printed once), list, revoke.

manage.py open311_keys create "城市App"
manage.py open311_keys list
manage.py open311_keys revoke <prefix>
"""

from django.core.management.base import BaseCommand, CommandError

from bianmin.hotline import services
from bianmin.hotline.models import ApiKey


class Command(BaseCommand):
    help = "Create, list or revoke Open311 api_keys (the raw key is shown once, only its SM3 digest is kept)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument(
            "value", nargs="?", default="", help="client name (create) or key prefix (revoke)"
        )

    def handle(self, *args, action: str, value: str, **options):
        if action == "create":
            if not value.strip():
                raise CommandError('give the client\'s name: open311_keys create "城市App"')
            key, raw = services.api_key_create(acting_user=None, name=value.strip())
            self.stdout.write(f"{key.name}: {raw}")
            self.stdout.write("Keep it now: only its digest is stored.")
        elif action == "list":
            for key in ApiKey.objects.order_by("name"):
                state = "active" if key.is_active else "revoked"
                used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "never"
                self.stdout.write(f"{key.prefix}…  {state:<7}  last used {used}  {key.name}")
        else:
            keys = list(ApiKey.objects.filter(prefix=value.strip())) if value.strip() else []
            if len(keys) != 1:
                raise CommandError("give the prefix of exactly one key (see: open311_keys list)")
            services.api_key_revoke(acting_user=None, key=keys[0])
            self.stdout.write(f"revoked {keys[0].prefix}… {keys[0].name}")
