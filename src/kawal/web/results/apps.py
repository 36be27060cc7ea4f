from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kawal.web.results"
    label = "results"
    verbose_name = "Hasil penghitungan"
