"""WhatsApp Cloud API: the webhook's payload shape, its signature, replies and media downloads.

Meta signs each POST with ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body under the app secret>``
(``KAWAL_WHATSAPP_APP_SECRET``); the subscription handshake is a GET with ``hub.mode=subscribe``,
``hub.verify_token`` (``KAWAL_WHATSAPP_VERIFY_TOKEN``) and ``hub.challenge``. Replies and media need
``KAWAL_WHATSAPP_TOKEN`` and ``KAWAL_WHATSAPP_PHONE_NUMBER_ID``; without them nothing is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from kawal.web.incidents.messaging.inbound import Inbound

GRAPH = "https://graph.facebook.com/v21.0"
PLATFORM = "whatsapp"


def signature_ok(body: bytes, header: str) -> bool:
    secret = getattr(settings, "KAWAL_WHATSAPP_APP_SECRET", "")
    if not secret or not header.startswith("sha256="):
        return False  # no secret configured: every request is refused, never accepted unchecked
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def verify_token_ok(token: str) -> bool:
    expected = getattr(settings, "KAWAL_WHATSAPP_VERIFY_TOKEN", "")
    return bool(expected) and hmac.compare_digest(expected.encode(), token.encode())


def messages(payload: dict) -> list[Inbound]:
    """The messages of one webhook call (status updates and other changes carry none)."""
    found = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                found.append(_message(message))
    return found


def _message(message: dict) -> Inbound:
    kind = message.get("type", "")
    sent_at = datetime.fromtimestamp(int(message.get("timestamp") or 0), tz=UTC)
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "message_id": str(message["id"]),
        "sender": str(message["from"]),
        "sent_at": sent_at,
    }
    if kind == "text":
        return Inbound(**base, kind="text", text=(message.get("text") or {}).get("body", ""))
    if kind == "image":
        image = message.get("image") or {}
        return Inbound(
            **base,
            kind="image",
            media_ref=str(image.get("id", "")),
            mime=image.get("mime_type", ""),
            text=image.get("caption", ""),
        )
    if kind == "location":
        place = message.get("location") or {}
        return Inbound(**base, kind="location", latitude=place.get("latitude"), longitude=place.get("longitude"))
    if kind == "interactive":  # a tapped reply button or list row: its title is the answer
        reply = (
            (message.get("interactive") or {}).get("button_reply")
            or (message.get("interactive") or {}).get("list_reply")
            or {}
        )
        return Inbound(**base, kind="text", text=reply.get("id") or reply.get("title", ""))
    return Inbound(**base, kind="other")


def _request(url: str, data: dict | None = None) -> bytes:
    token = getattr(settings, "KAWAL_WHATSAPP_TOKEN", "")
    request = urllib.request.Request(url, method="POST" if data is not None else "GET")
    request.add_header("Authorization", f"Bearer {token}")
    body = None
    if data is not None:
        request.add_header("Content-Type", "application/json")
        body = json.dumps(data).encode()
    with urllib.request.urlopen(request, body, timeout=20) as response:
        return response.read()


def configured() -> bool:
    return bool(
        getattr(settings, "KAWAL_WHATSAPP_TOKEN", "") and getattr(settings, "KAWAL_WHATSAPP_PHONE_NUMBER_ID", "")
    )


def send(recipient: str, text: str) -> None:
    number_id = settings.KAWAL_WHATSAPP_PHONE_NUMBER_ID
    payload = {"messaging_product": "whatsapp", "to": recipient, "type": "text", "text": {"body": text}}
    _request(f"{GRAPH}/{number_id}/messages", payload)


def fetch_media(media_id: str) -> bytes:
    """The media's bytes: first its short-lived URL, then the file (both need the token)."""
    meta = json.loads(_request(f"{GRAPH}/{media_id}"))
    return _request(meta["url"])
