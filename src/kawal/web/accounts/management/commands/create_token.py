from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from kawal.web.accounts.models import ApiToken
from kawal.web.actionlog.models import record


class Command(BaseCommand):
    help = "Buat token API untuk seorang pengguna (ditampilkan sekali) / Issue an API token for a user (shown once)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("username")
        parser.add_argument("--name", default="token")

    def handle(self, *args: object, **options: object) -> None:
        user = get_user_model().objects.get(username=options["username"])
        token, key = ApiToken.issue(user, str(options["name"]))
        record("api_token.issued", user=user, obj=token)
        self.stdout.write(key)
