from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "kawal.web.voters"
    label = "voters"
    verbose_name = "Daftar pemilih"

    def ready(self) -> None:
        # Every process of the site (web workers, the task worker, `kawal manage`) seals the snapshots it writes
        # and opens those it reads with keys derived from KAWAL_FIELD_KEY: a copy of the data folder reads nothing.
        from kawal.engine import set_snapshot_keys
        from kawal.web.crypto import snapshot_keys

        set_snapshot_keys(*snapshot_keys())
