from django.urls import path

from kawal.web.incidents import public, views
from kawal.web.incidents.messaging import webhooks

urlpatterns = [
    path("lapor/", views.my_reports, name="incident_mine"),
    path("lapor/baru/", views.new_report, name="incident_new"),
    path("lapor/kelola/", views.dashboard, name="incident_dashboard"),
    path("lapor/identitas/", views.profile, name="incident_profile"),
    path("lapor/hubungkan/", views.link_chat, name="incident_link"),
    path("lapor/<int:pk>/", views.detail, name="incident_detail"),
    path("lapor/<int:pk>/konfirmasi/", views.confirm, name="incident_confirm"),
    path("lapor/<int:pk>/status/", views.change_status, name="incident_status"),
    path("lapor/<int:pk>/jenis/", views.change_category, name="incident_category"),
    path("lapor/<int:pk>/gabung/", views.merge, name="incident_merge"),
    path("lapor/<int:pk>/teruskan/", views.forward, name="incident_forward"),
    path("lapor/<int:pk>/registrasi/", views.register, name="incident_register"),
    path("lapor/<int:pk>/model-a1.pdf", views.model_a1, name="incident_pdf"),
    path("lapor/<int:pk>/bukti.zip", views.evidence_zip, name="incident_zip"),
    path("lapor/<int:pk>/bukti/<int:evidence>/", views.evidence_file, name="incident_evidence"),
    path("publik/pelanggaran/", public.public, name="incident_public"),
    path("webhook/whatsapp/", webhooks.whatsapp_view, name="webhook_whatsapp"),
    path("webhook/telegram/", webhooks.telegram_view, name="webhook_telegram"),
]
