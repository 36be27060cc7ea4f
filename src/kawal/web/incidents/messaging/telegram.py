"""Telegram bot webhook: the update shape, the secret token header, replies and photo downloads.

Telegram sends ``X-Telegram-Bot-Api-Secret-Token`` with the secret given to ``setWebhook``
(``KAWAL_TELEGRAM_SECRET_TOKEN``); it retries an update with the same ``update_id`` until it gets 200. Replies
and downloads need ``KAWAL_TELEGRAM_BOT_TOKEN``; without it nothing is sent.
"""

from __future__ import annotations

import hmac
import json
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from kawal.web.incidents.messaging.inbound import Inbound

API = "https://api.telegram.org"
PLATFORM = "telegram"


def secret_ok(header: str) -> bool:
    expected = getattr(settings, "KAWAL_TELEGRAM_SECRET_TOKEN", "")
    return bool(expected) and hmac.compare_digest(expected.encode(), header.encode())


def message(update: dict) -> Inbound | None:
    """The update's message from a private chat, or None (edits, channel posts, groups, callbacks)."""
    found = update.get("message")
    if not found or (found.get("chat") or {}).get("type") != "private":
        return None
    base: dict[str, Any] = {
        "platform": PLATFORM,
        "message_id": str(update["update_id"]),
        "sender": str(found["chat"]["id"]),
        "sent_at": datetime.fromtimestamp(int(found.get("date") or 0), tz=UTC),
    }
    if found.get("photo"):
        largest = max(found["photo"], key=lambda size: size.get("file_size") or size.get("width", 0))
        return Inbound(
            **base, kind="image", media_ref=largest["file_id"], mime="image/jpeg", text=found.get("caption", "")
        )
    if found.get("location"):
        place = found["location"]
        return Inbound(**base, kind="location", latitude=place.get("latitude"), longitude=place.get("longitude"))
    if "text" in found:
        return Inbound(**base, kind="text", text=found["text"])
    return Inbound(**base, kind="other")


def configured() -> bool:
    return bool(getattr(settings, "KAWAL_TELEGRAM_BOT_TOKEN", ""))


def _call(method: str, data: dict) -> dict:
    url = f"{API}/bot{settings.KAWAL_TELEGRAM_BOT_TOKEN}/{method}"
    request = urllib.request.Request(url, data=json.dumps(data).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def send(recipient: str, text: str) -> None:
    _call("sendMessage", {"chat_id": int(recipient), "text": text})


def fetch_media(file_id: str) -> bytes:
    path = _call("getFile", {"file_id": file_id})["result"]["file_path"]
    url = f"{API}/file/bot{settings.KAWAL_TELEGRAM_BOT_TOKEN}/{urllib.parse.quote(path)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()
