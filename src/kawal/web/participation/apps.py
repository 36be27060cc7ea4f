from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "kawal.web.participation"
    label = "participation"
    verbose_name = "Partisipasi pemilih"
