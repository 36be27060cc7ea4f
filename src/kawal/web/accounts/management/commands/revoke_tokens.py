from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kawal.web.accounts.models import ApiToken
from kawal.web.actionlog.models import record


class Command(BaseCommand):
    help = (
        "Cabut token API seorang pengguna (semua, atau satu dengan --token-id) / "
        "Revoke a user's API tokens (all, or one with --token-id)."
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--user", required=True, help="nama pengguna / user name")
        parser.add_argument("--token-id", type=int, default=None, help="hanya token ini / only this token")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("pengguna tidak ditemukan / no such user")
        count = ApiToken.revoke_all(user, options["token_id"])
        record("api_token.revoked", user=user, count=count)
        self.stdout.write(f"{count} token dicabut / revoked")
