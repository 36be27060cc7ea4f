"""C.Hasil photos by chat: a witness guarding a TPS sends ``HASIL``, then the pages of the C.Hasil as photos, then
``SELESAI``. Each photo is kept through the photos pipeline (kind ``c_hasil``) and attached to the sender's
assigned TPS: to their own latest reading of it when there is one, and to every reading they enter later
(``attach_to_new_entry``, on ``ResultEntry`` creation). So the coordinator comparing readings, and the public
page of a verified TPS, see the paper next to the numbers.

Which TPS is decided by the server from the sender's ``TpsAssignment`` rows of their latest voting day, never by
what the chat says; a Pilkada with two elections at one TPS (governor and mayor) asks which form it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kawal.web.incidents.messaging.inbound import Inbound
from kawal.web.incidents.models import ChatMedia, Conversation
from kawal.wilayah import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from kawal.web.results.models import ResultEntry

START = {"hasil", "/hasil", "c.hasil", "chasil", "c hasil", "c1", "c.hasil-kwk"}
NOT_ASSIGNED = (
    "Anda belum ditugaskan menjaga TPS, jadi foto C.Hasil belum dapat kami simpan. Minta koordinator Anda "
    "menugaskan Anda di kawal. Untuk melaporkan pelanggaran, ketik LAPOR."
)
ASK_PHOTOS = "Kirim foto C.Hasil {place} ({election}), semua halaman, satu foto per halaman. Ketik SELESAI bila sudah."
ASK_WHICH = "Anda menjaga lebih dari satu formulir. Foto C.Hasil yang mana? Balas dengan angka:\n{lines}"


def starts(message: Inbound) -> bool:
    """``HASIL`` as a message, or as the caption of a photo."""
    return " ".join(message.text.strip().lower().split()) in START


def assignments(user: User) -> list[tuple[int, str, str]]:
    """(election id, kode TPS, election name) the user may enter as witness, from their latest voting day."""
    from kawal.web.results.models import ResultEntry, TpsAssignment
    from kawal.web.results.service import entry_kind

    rows = list(
        TpsAssignment.objects.filter(user=user)
        .select_related("election")
        .order_by("-election__held_on", "election_id", "kode_tps")
    )
    if not rows:
        return []
    latest = rows[0].election.held_on
    return [
        (a.election_id, a.kode_tps, a.election.name)
        for a in rows
        if a.election.held_on == latest and entry_kind(user, a.election, a.kode_tps) == ResultEntry.Kind.WITNESS
    ]


def place(kode_tps: str) -> str:
    kelurahan = registry().get(kode_tps[:10])
    return f"TPS {kode_tps[10:]}" + (f" Kel. {kelurahan.name.title()}" if kelurahan else "")


def start(conversation: Conversation, user: User) -> str | None:
    """Set the conversation up for C.Hasil photos; the question to ask, or None when the user guards no TPS."""
    found = assignments(user)
    if not found:
        return None
    if len(found) == 1:
        election, kode, name = found[0]
        conversation.state = "chasil"
        conversation.data.update(election=election, kode_tps=kode, election_name=name)
        return ASK_PHOTOS.format(place=place(kode), election=name)
    conversation.state = "chasil_pick"
    conversation.data["choices"] = [[e, k, n] for e, k, n in found]
    lines = "\n".join(f"{i}. {place(k)} · {n}" for i, (_e, k, n) in enumerate(found, start=1))
    return ASK_WHICH.format(lines=lines)


def pick(conversation: Conversation, message: Inbound) -> list[str]:
    choices = conversation.data.get("choices") or []
    answer = message.text.strip().rstrip(".")
    if not (answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(choices)):
        lines = "\n".join(f"{i}. {place(k)} · {n}" for i, (_e, k, n) in enumerate(choices, start=1))
        return [f"Balas dengan angka 1 sampai {len(choices)}.\n{lines}"]
    election, kode, name = choices[int(answer) - 1]
    conversation.state = "chasil"
    conversation.data.update(election=election, kode_tps=kode, election_name=name)
    return [ASK_PHOTOS.format(place=place(kode), election=name)]


def photos(conversation: Conversation, message: Inbound, done: set[str]) -> list[str]:
    """The photos step: count what came, close on ``SELESAI``."""
    sent = conversation.media.filter(purpose=ChatMedia.Purpose.C_HASIL).count()
    where = place(conversation.data["kode_tps"])
    if message.kind == "image":
        return [f"Foto C.Hasil {where} diterima ({sent}). Kirim halaman berikutnya atau ketik SELESAI."]
    if message.text.strip().lower() not in done:
        return [f"Kirim foto C.Hasil {where}, atau ketik SELESAI bila sudah (BATAL untuk berhenti)."]
    conversation.closed = True
    if not sent:
        return ["Belum ada foto C.Hasil yang terkirim; tidak ada yang disimpan. Ketik HASIL untuk mulai lagi."]
    return [
        f"Terima kasih. {sent} foto C.Hasil {where} tersimpan dan dilampirkan ke TPS itu. "
        "Jangan lupa isi angkanya di kawal (menu Jaga TPS)."
    ]


def media_fields(conversation: Conversation) -> dict:
    """What a photo sent in this conversation is: evidence of the report, or a page of a TPS's C.Hasil."""
    if conversation.state == "chasil":
        return {
            "purpose": ChatMedia.Purpose.C_HASIL,
            "election_id": conversation.data["election"],
            "kode_tps": conversation.data["kode_tps"],
        }
    return {"purpose": ChatMedia.Purpose.EVIDENCE}


def attach(item: ChatMedia) -> None:
    """A fetched C.Hasil photo joins the sender's latest reading of their TPS, if they entered one already; the
    action log holds the photo, the TPS and the reading it joined (ids and codes only)."""
    from kawal.web.actionlog.models import record
    from kawal.web.results.models import ResultEntry

    entry = (
        ResultEntry.objects.filter(
            # a None election matches nothing (IS NULL); the stubs type the lookup as not null
            election_id=item.election_id,  # type: ignore[misc]
            kode_tps=item.kode_tps,
            entered_by=item.conversation.user_id,
        )
        .order_by("-received_at", "-pk")
        .first()
    )
    if entry is not None and item.photo_id:
        entry.photos.add(item.photo_id)
    details: dict[str, Any] = {
        "election": item.election_id,
        "kode_tps": item.kode_tps,
        "entry": entry.pk if entry else None,
    }
    record("result.chat_photo", user=item.conversation.user, obj=item.photo, **details)


def attach_to_new_entry(sender: type, instance: ResultEntry, created: bool, **kwargs: Any) -> None:
    """``post_save`` of ``ResultEntry``: a witness's new reading carries the C.Hasil photos they sent by chat."""
    from kawal.web.results.models import ResultEntry

    if not created or instance.kind != ResultEntry.Kind.WITNESS:
        return
    photos = ChatMedia.objects.filter(
        purpose=ChatMedia.Purpose.C_HASIL,
        election_id=instance.election_id,
        kode_tps=instance.kode_tps,
        conversation__user_id=instance.entered_by_id,
    ).exclude(photo=None)
    ids = list(photos.values_list("photo_id", flat=True))
    if ids:
        instance.photos.add(*ids)
