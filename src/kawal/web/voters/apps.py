from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "kawal.web.voters"
    label = "voters"
    verbose_name = "Daftar pemilih"
