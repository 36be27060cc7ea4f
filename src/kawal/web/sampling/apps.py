from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "kawal.web.sampling"
    label = "sampling"
    verbose_name = "Audit sampel"
