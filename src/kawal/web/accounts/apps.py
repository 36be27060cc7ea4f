from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kawal.web.accounts"
    label = "accounts"
    verbose_name = "Organisasi dan akun"
