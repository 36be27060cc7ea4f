from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.static import serve as serve_file

from kawal.web.accounts import two_factor
from kawal.web.accounts import views as account_views
from kawal.web.accounts.throttle import ThrottledAuthenticationForm
from kawal.web.actionlog import views as log_views
from kawal.web.api import api
from kawal.web.field import documents as field_documents
from kawal.web.field import oversight as field_oversight
from kawal.web.field import referrals as field_referrals
from kawal.web.field import views as field_views
from kawal.web.participation import views as participation_views
from kawal.web.photos import views as photo_views
from kawal.web.public import views as public_views
from kawal.web.results import views as result_views
from kawal.web.sampling import views as sample_views
from kawal.web.voters import duplicate_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("akun/", account_views.account, name="account"),
    path("akun/token/cabut/", account_views.revoke_tokens, name="revoke_tokens"),
    path("akun/2fa/", two_factor.setup, name="two_factor_setup"),
    path("akun/2fa/verifikasi/", two_factor.verify, name="two_factor_verify"),
    path("keluar/", account_views.LogoutView.as_view(), name="logout"),
    path("undangan/<str:code>/", account_views.accept_invitation, name="accept_invitation"),
    path("undangan/", account_views.invitations, name="invitations"),
    path("organisasi/akreditasi/", include("kawal.web.accounts.accreditation")),  # issue 17: pemantau accreditation
    path("daftar/", views.lists, name="lists"),
    path("daftar/banding/", views.compare, name="compare"),
    path("daftar/<int:pk>/", views.voter_list, name="voter_list"),
    path("daftar/<int:pk>/status/", views.voter_list_status, name="voter_list_status"),
    path("daftar/<int:pk>/ditolak/", views.voter_list_rejects, name="voter_list_rejects"),
    path("daftar/<int:pk>/audit-ulang/", views.voter_list_reaudit, name="voter_list_reaudit"),
    path("temuan/", views.findings, name="findings"),
    path("temuan/<int:pk>/status/", views.finding_status, name="finding_status"),
    path("temuan/massal/", views.finding_bulk, name="finding_bulk"),  # issue 18: bulk status with undo
    path("temuan/massal/urungkan/", views.finding_bulk_undo, name="finding_bulk_undo"),
    path("temuan/<int:pk>/kirim/", views.finding_send, name="finding_send"),  # issue 18: "kirim ke relawan"
    path("temuan/ganda/ketepatan/", duplicate_views.precision, name="duplicate_precision"),
    path("temuan/ganda/acak/<int:audit>/", duplicate_views.random_pair, name="duplicate_random"),
    path("temuan/ganda/kandidat/<int:audit>/", duplicate_views.candidates, name="duplicate_candidates"),
    path("temuan/ganda/kandidat/pasangan/<int:pk>/", duplicate_views.candidate, name="duplicate_candidate"),
    path("temuan/ganda/pasangan/<int:pk>/jawab/", duplicate_views.answer, name="duplicate_answer"),
    path("temuan/ganda/<int:audit>/<path:cluster>/", duplicate_views.cluster, name="duplicate_cluster"),
    path("pemilih/<int:pk>/", views.voter_detail, name="voter_detail"),
    path("cari-pemilih/", views.voter_search, name="voter_search"),  # issue 18: "is X registered?"
    path("pemilih/<int:pk>/kirim/", views.voter_send, name="voter_send"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tugas/", field_views.my_tasks, name="my_tasks"),
    path("tugas/kelola/", field_views.manage, name="tasks_manage"),
    path("tugas/kemajuan/", field_views.progress_page, name="field_progress"),
    path("tugas/tinjau/", field_views.review_queue, name="review_queue"),
    path("kunjungan/<int:pk>/tinjau/", field_views.review_visit, name="review_visit"),
    path("tugas/<int:pk>/", field_views.edit_task, name="task_edit"),
    path("tugas/<int:pk>/kunjungi/", field_views.visit_form, name="visit_form"),
    path("sw.js", field_views.service_worker, name="service_worker"),
    path("tanggapan/", field_views.tanggapan_list, name="tanggapan_list"),
    path("tanggapan/<int:pk>/", field_views.tanggapan_detail, name="tanggapan_detail"),
    path("tanggapan/<int:pk>/ekspor.<str:kind>", field_views.tanggapan_export, name="tanggapan_export"),
    path("tugas/<int:pk>/pemilih-baru/", field_documents.new_voter_page, name="new_voter"),  # issue 17
    path("dokumen/<int:pk>/", field_documents.show_document, name="identity_document"),
    path("pengawasan-coklit/", field_oversight.oversight_page, name="coklit_oversight"),
    path("pengawasan-coklit/ekspor.<str:kind>", field_oversight.oversight_export, name="oversight_export"),
    path("rujukan-dukcapil/", field_referrals.referrals_page, name="dukcapil_referrals"),
    path("rujukan-dukcapil/<int:pk>/", field_referrals.referral_update, name="dukcapil_referral_update"),
    path("rujukan-dukcapil/<int:pk>/surat.txt", field_referrals.referral_letter, name="dukcapil_letter"),
    path("foto/<int:pk>/", photo_views.show, name="photo"),
    path("partisipasi/", participation_views.focus, name="participation"),
    path("partisipasi/rencana/", participation_views.plan, name="participation_plan"),
    path("partisipasi/kegiatan/", participation_views.events, name="participation_events"),
    path("partisipasi/kegiatan/<int:pk>/terlaksana/", participation_views.event_held, name="participation_event_held"),
    path("partisipasi/evaluasi/", participation_views.evaluation, name="participation_evaluation"),
    path("partisipasi/impor/", participation_views.import_figures, name="participation_import"),
    path("pemilihan/<int:pk>/ubah/", participation_views.election_settings, name="election_settings"),
    path("pemilihan/<int:pk>/paslon/", include("kawal.web.participation.candidates")),
    path("publik/", participation_views.public, name="public"),
    path("tps/", result_views.my_tps, name="my_tps"),
    path("tps/kelola/", result_views.assign, name="tps_assign"),
    path("tps/konflik/", result_views.conflicts, name="tps_conflicts"),
    path("tps/<int:election_id>/<str:kode_tps>/", result_views.entry_form, name="tps_entry"),
    path("hasil/", result_views.tally, name="tally"),
    path("hasil/selisih/", result_views.discrepancies, name="discrepancies"),
    path("hasil/hitung-cepat/", result_views.quick_count, name="quick_count"),
    path("publik/hasil/", public_views.results, name="public_tally"),
    path("publik/hasil/tps/<str:kode_tps>/", public_views.tps, name="public_tps"),
    path("publik/foto/<int:pk>/", public_views.photo, name="public_photo"),
    path("publik/hasil.<str:kind>", result_views.export, name="results_export"),
    path("sampel/", sample_views.index, name="samples"),
    path("sampel/cakupan/", sample_views.coverage, name="coverage"),
    path("sampel/ambil/", sample_views.create, name="sample_create"),
    path("sampel/<int:pk>/", sample_views.detail, name="sample_detail"),
    path("sampel/unit/<int:pk>/", sample_views.unit_form, name="sample_unit"),
    path("log/", log_views.browse, name="actionlog"),
    path("log/ekspor.csv", log_views.export, name="actionlog_export"),
    path("", include("kawal.web.incidents.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
if settings.KAWAL_SERVE_STATIC:  # `kawal serve`: no nginx in front (in production nginx serves /static/ itself)
    prefix = settings.STATIC_URL.strip("/")
    urlpatterns.append(re_path(rf"^{prefix}/(?P<path>.*)$", serve_file, {"document_root": settings.STATIC_ROOT}))
