from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "kawal.web.photos"
    label = "photos"
    verbose_name = "Foto bukti"
