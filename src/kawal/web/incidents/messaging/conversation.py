"""The guided conversation, in Bahasa Indonesia: category, place, what happened, photos; then the report.

Every inbound message is handled once (``ChatMessage`` keyed by platform and message id), so a webhook retried by
the messenger changes nothing and sends no second reply. A sender must first link their number or Telegram account
to a relawan account with the one-time code from the web (``DAFTAR 12345678``); anyone else gets a polite
refusal (at most one an hour). Replies wait in the ``Outbox`` for the task queue to send.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, cast

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from kawal.web.accounts.models import Membership
from kawal.web.accounts.scope import Scope
from kawal.web.accounts.throttle import bump, count
from kawal.web.actionlog.models import record
from kawal.web.crypto import encrypt, keyed_hash
from kawal.web.incidents import access, categories
from kawal.web.incidents.messaging import chasil
from kawal.web.incidents.messaging.inbound import Inbound
from kawal.web.incidents.models import ChatLink, ChatMedia, ChatMessage, Conversation, LinkCode, Outbox, Report
from kawal.web.incidents.service import ReportError, ReportIn, record_report
from kawal.wilayah import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NAMESPACE = uuid.UUID("6f1d2a52-8c1e-4f0b-9d57-2b0a2c9b7e31")  # client ids of chat reports and photos
LINK = re.compile(r"^(?:/start\s+|daftar\s+)?(\d{8})$", re.IGNORECASE)
CANCEL, DONE = {"batal", "/batal", "/cancel"}, {"selesai", "/selesai", "kirim"}
REFUSAL_SECONDS = 3600
# A link code is 8 digits (10^8) and lives 30 minutes. Guessing one would tie the guesser's chat to a relawan's
# account, so wrong codes are counted: a sender may get LINK_FAILURES wrong within LINK_WINDOW, then every code
# from it is refused (the right one too) until the window ends. A guesser with many numbers or Telegram accounts
# meets a second counter over the whole platform: past LINK_FAILURES_ALL wrong codes in the window, linking by
# chat pauses for everyone (a relawan waits up to an hour; an attacker learns nothing).
LINK_FAILURES, LINK_FAILURES_ALL, LINK_WINDOW = 5, 200, 3600

REFUSED = (
    "Maaf, nomor ini belum terhubung dengan akun relawan kawal, jadi laporan belum dapat kami terima di sini. "
    "Bila Anda relawan, buat kode di kawal (menu Laporan, lalu 'Lapor lewat WhatsApp atau Telegram') dan kirim "
    "DAFTAR <kode>. Bila bukan, Anda dapat melapor langsung ke Bawaslu setempat. Terima kasih."
)
BAD_CODE = "Kode itu tidak dikenal atau sudah kedaluwarsa. Buat kode baru di kawal lalu kirim DAFTAR <kode>."
TOO_MANY_CODES = (
    "Terlalu banyak kode yang salah. Demi keamanan, kode belum dapat diperiksa sekarang; coba lagi dalam satu jam "
    "dengan kode baru dari kawal."
)
NO_MEMBERSHIP = "Akun Anda tidak lagi terdaftar sebagai anggota Ormas pemantau, jadi laporan tidak dapat dibuat."
ASK_PLACE_ONE = "Di mana kejadiannya? Balas nomor TPS di Kel. {kelurahan} (mis. 5), atau 0 bila bukan di TPS. Boleh juga kirim lokasi."
ASK_PLACE_MANY = (
    "Di mana kejadiannya? Balas kode TPS 13 angka, atau kode kelurahan 10 angka lalu nomor TPS (mis. 3671051007 5)."
)
ASK_WHAT = "Apa yang terjadi? Ceritakan singkat: siapa berbuat apa, kepada siapa, kapan."
ASK_PHOTOS = (
    "Kirim foto bukti bila ada (boleh beberapa). Ketik SELESAI bila sudah, atau SELESAI saja bila tidak ada foto."
)


def handle(message: Inbound) -> list[str]:
    """Process one inbound message; returns the replies queued (empty for a repeated message)."""
    sender_hash = keyed_hash(f"{message.platform}:{message.sender}")
    with transaction.atomic():
        if not _first_time(message, sender_hash):  # handled before (a retried webhook)
            return []
        replies, media = _respond(message, sender_hash)
        recipient = encrypt(message.sender)
        outbox = [
            Outbox.objects.create(platform=message.platform, recipient_encrypted=recipient, text=text).pk
            for text in replies
        ]
    from kawal.web.incidents.messaging.tasks import PLATFORMS, fetch_chat_media, send_reply

    for item in media:  # after the commit, so the worker finds the rows
        fetch_chat_media.enqueue(item.pk)
    if PLATFORMS[message.platform].configured():  # without a token the replies stay in the outbox: no queue rows
        for pk in outbox:
            send_reply.enqueue(pk)
    return replies


def _first_time(message: Inbound, sender_hash: str) -> bool:
    """Claim this message id in the caller's transaction; False if it was claimed before. One statement, no
    savepoint (every webhook call passes here): a concurrent claim waits for the other transaction, then finds
    its row if that one committed, or takes the id if it rolled back."""
    table = ChatMessage._meta.db_table
    sql = (
        f"INSERT INTO {table} (platform, message_id, sender_hash, received_at) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (platform, message_id) DO NOTHING RETURNING id"
    )
    now = ChatMessage._meta.get_field("received_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [message.platform, message.message_id, sender_hash, now])
        return cursor.fetchone() is not None


def _respond(message: Inbound, sender_hash: str) -> tuple[list[str], list[ChatMedia]]:
    words = message.text.strip()
    code = LINK.match(words)
    if code:
        return [_link(message, sender_hash, code.group(1))], []
    user, scope = _sender(message.platform, sender_hash)
    if user is None:
        return ([REFUSED] if cache.add(f"incident-refused:{sender_hash}", 1, REFUSAL_SECONDS) else []), []
    conversation = Conversation.objects.filter(platform=message.platform, sender_hash=sender_hash, closed=False).first()
    if conversation is not None and conversation.user_id == user.pk:
        conversation.user = user  # the same person, already read: no query for it when the report is made
    if words.lower() in CANCEL:
        if conversation:
            conversation.closed = True
            conversation.save(update_fields=["closed", "updated_at"])
        return ["Laporan dibatalkan. Ketik LAPOR untuk mulai lagi."], []
    if conversation is None and chasil.starts(message):
        return _start_chasil(message, sender_hash, user)
    chasil_open = conversation is not None and conversation.state.startswith("chasil")  # witnesses: results rules
    if not chasil_open and not access.ormas_memberships(scope):
        return [NO_MEMBERSHIP], []
    if conversation is None:
        conversation = Conversation.objects.create(
            platform=message.platform,
            sender_hash=sender_hash,
            user=user,
            state="category",
            data={"started": message.sent_at.isoformat()},
        )
        media = _media(conversation, message)
        return [_menu("Halo! Terima kasih mau melapor. ")], media
    media = _media(conversation, message)
    steps = {"category": _category, "place": _place, "what": _what, "photos": _photos}
    steps |= {"chasil_pick": _chasil_pick, "chasil": _chasil_photos}
    replies = steps[conversation.state](conversation, message, scope)
    conversation.save()
    return replies, media


def _sender(platform: str, sender_hash: str) -> tuple[User | None, Scope]:
    """The active relawan account this sender is linked to (None: not linked, or the account is deactivated) and
    that account's scope, read fresh on every message (a link or membership ended counts at once).

    One query where ``Scope.for_user`` after the link's lookup took two (every webhook call passes here, and an ORM
    query costs several times what PostgreSQL spends on it): the active memberships of the linked, active user,
    each with the user and organisation joined in. Only a linked user without any active membership needs the
    link looked up on its own, to tell them apart from a sender never linked."""
    found = list(
        Membership.objects.filter(
            user__chat_links__platform=platform,
            user__chat_links__sender_hash=sender_hash,
            user__is_active=True,
            active=True,
        ).select_related("user", "organisation__partner_of")
    )
    if found:
        user = found[0].user
        for membership in found:  # one user object for all (the rows joined the same user)
            membership.user = user
        return user, Scope(tuple(found))
    link = ChatLink.objects.filter(platform=platform, sender_hash=sender_hash).select_related("user").first()
    if link is None or not link.user.is_active:
        return None, Scope(())
    return link.user, Scope(())


def _link(message: Inbound, sender_hash: str, code: str) -> str:
    sender_key = f"incident-link-fail:{sender_hash}"
    platform_key = f"incident-link-fail-all:{message.platform}"
    if count(sender_key) >= LINK_FAILURES or count(platform_key) >= LINK_FAILURES_ALL:
        return TOO_MANY_CODES
    found = LinkCode.objects.filter(code_hash=keyed_hash(f"link:{code}"), used_at=None).select_related("user").first()
    if found is None or found.expires_at <= timezone.now():
        failures = bump(sender_key, LINK_WINDOW)
        if bump(platform_key, LINK_WINDOW) == LINK_FAILURES_ALL or failures == LINK_FAILURES:
            record("incident.link_throttled", platform=message.platform, sender_limit=failures >= LINK_FAILURES)
        return BAD_CODE
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    ChatLink.objects.update_or_create(
        platform=message.platform,
        sender_hash=sender_hash,
        defaults={"user": found.user, "sender_encrypted": encrypt(message.sender)},
    )
    record("incident.chat_linked", user=found.user, platform=message.platform)
    return (
        f"Terhubung dengan akun {found.user.username}. Ketik LAPOR untuk melaporkan pelanggaran, atau HASIL untuk "
        "mengirim foto C.Hasil TPS yang Anda jaga."
    )


def _menu(greeting: str = "") -> str:
    lines = [f"{i}. {c.label_id}" for i, c in enumerate(categories.categories(), start=1)]
    return greeting + "Apa yang terjadi? Balas dengan angka:\n" + "\n".join(lines) + "\n(Ketik BATAL untuk berhenti.)"


def _media(conversation: Conversation, message: Inbound) -> list[ChatMedia]:
    if message.kind != "image" or not message.media_ref or conversation.state == "chasil_pick":
        return []
    item, created = ChatMedia.objects.get_or_create(
        message_id=f"{message.platform}:{message.message_id}",
        defaults={
            "conversation": conversation,
            "media_ref": message.media_ref,
            "mime": message.mime,
            **chasil.media_fields(conversation),
        },
    )
    return [item] if created else []


def _start_chasil(message: Inbound, sender_hash: str, user: User) -> tuple[list[str], list[ChatMedia]]:
    """``HASIL`` (or a photo captioned so): photos of the C.Hasil of the TPS the sender guards."""
    conversation = Conversation(
        platform=message.platform, sender_hash=sender_hash, user=user, data={"started": message.sent_at.isoformat()}
    )
    question = chasil.start(conversation, user)
    if question is None:
        return [chasil.NOT_ASSIGNED], []
    conversation.save()
    media = _media(conversation, message)  # a captioned photo is the first page
    if media:
        return [chasil.photos(conversation, message, DONE)[0]], media
    return [question], media


def _chasil_pick(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    return chasil.pick(conversation, message)


def _chasil_photos(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    return chasil.photos(conversation, message, DONE)


def _category(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    listed = categories.categories()
    choice = message.text.strip().rstrip(".")
    if not (choice.isascii() and choice.isdigit() and 1 <= int(choice) <= len(listed)):
        return [_menu(f"Balas dengan angka 1 sampai {len(listed)}.\n")]
    conversation.data["category"] = listed[int(choice) - 1].code
    conversation.state = "place"
    return [_ask_place(scope)]


def _ask_place(scope: Scope) -> str:
    codes = access.kelurahan_choices(scope)
    if len(codes) == 1:
        unit = registry().get(codes[0])
        return ASK_PLACE_ONE.format(kelurahan=unit.name if unit else codes[0])
    return ASK_PLACE_MANY


def _place(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    codes = access.kelurahan_choices(scope)
    if message.kind == "location" and message.latitude is not None:
        conversation.data.update(latitude=message.latitude, longitude=message.longitude)
        if len(codes) != 1:
            return ["Lokasi tercatat. " + ASK_PLACE_MANY]
        conversation.data.update(kode_kelurahan=codes[0], tps=None)
    else:
        found = _parse_place(message.text, codes)
        if found is None:
            return ["Tempat itu tidak dapat kami baca atau di luar wilayah Anda. " + _ask_place(scope)]
        conversation.data.update(kode_kelurahan=found[0], tps=found[1])
    conversation.state = "what"
    return [ASK_WHAT]


def _parse_place(text: str, codes: list[str]) -> tuple[str, int | None] | None:
    words = re.sub(r"(?i)\btps\b", " ", text).split()
    if not words or not all(w.isascii() and w.isdigit() for w in words):
        return None
    tps: int | None
    if len(words) == 1 and len(words[0]) == 13:
        kode, tps = words[0][:10], int(words[0][10:])
    elif len(words[0]) == 10:
        kode, tps = words[0], int(words[1]) if len(words) > 1 else None
    elif len(words) == 1 and len(codes) == 1 and len(words[0]) <= 3:
        kode, tps = codes[0], int(words[0])
    else:
        return None
    if kode not in codes:
        return None
    return kode, (tps or None)


def _what(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    text = message.text.strip()
    if message.kind != "text" or len(text) < 10:
        return ["Mohon ceritakan dengan kalimat (paling sedikit 10 huruf). " + ASK_WHAT]
    conversation.data["description"] = text
    conversation.state = "photos"
    return [ASK_PHOTOS]


def _photos(conversation: Conversation, message: Inbound, scope: Scope) -> list[str]:
    if message.kind == "image":
        return [f"Foto diterima ({conversation.media.count()}). Kirim lagi atau ketik SELESAI."]
    if message.text.strip().lower() not in DONE:
        return ["Kirim foto, atau ketik SELESAI untuk mengirim laporan (BATAL untuk membatalkan)."]
    try:
        report = _make_report(conversation, message, scope)
    except ReportError as error:
        return [f"Laporan belum dapat disimpan: {error}. Ketik BATAL lalu LAPOR untuk mulai lagi."]
    conversation.report, conversation.closed = report, True
    return [
        f"Terima kasih. Laporan Anda tercatat dengan nomor {report.number}. Koordinator akan memeriksanya. "
        f"Batas pelaporan ke Bawaslu: {report.deadline:%d-%m-%Y}."
    ]


def _make_report(conversation: Conversation, message: Inbound, scope: Scope) -> Report:
    from datetime import datetime

    data = conversation.data
    started = datetime.fromisoformat(data["started"])
    photos = [str(p) for p in conversation.media.exclude(photo=None).values_list("photo__client_id", flat=True)]
    report_in = ReportIn(
        client_id=str(uuid.uuid5(NAMESPACE, f"{conversation.platform}:{conversation.pk}")),
        category=data["category"],
        incident_at=started,
        known_at=started,
        kode_kelurahan=data["kode_kelurahan"],
        description=data["description"],
        recorded_at=message.sent_at,
        tps=data.get("tps"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        evidence=tuple(photos),
        channel=conversation.platform,
    )
    same = all(m.user_id == conversation.user_id for m in scope.memberships)  # re-linked mid-way: read it again
    user = cast("User", conversation.user)  # a report is made in a linked conversation only
    report, _created = record_report(user, report_in, scope if same else None)
    return report
