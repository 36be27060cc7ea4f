from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "kawal.web.incidents"
    label = "incidents"
    verbose_name = "Laporan pelanggaran"
