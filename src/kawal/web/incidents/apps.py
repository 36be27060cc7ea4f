from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "kawal.web.incidents"
    label = "incidents"
    verbose_name = "Laporan pelanggaran"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kawal.web.incidents.messaging.chasil import attach_to_new_entry
        from kawal.web.results.models import ResultEntry

        # A witness's reading made on the web carries the C.Hasil photos they sent by chat (messaging/chasil.py).
        post_save.connect(attach_to_new_entry, sender=ResultEntry, dispatch_uid="incidents-chasil-photos")
