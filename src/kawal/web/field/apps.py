from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "kawal.web.field"
    label = "field"
    verbose_name = "Verifikasi lapangan"
