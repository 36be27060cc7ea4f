from django.apps import AppConfig


class ActionLogConfig(AppConfig):
    name = "kawal.web.actionlog"
    label = "actionlog"
    verbose_name = "Log tindakan"
