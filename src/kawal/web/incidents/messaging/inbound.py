"""A message as the conversation sees it, whatever platform it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Inbound:
    platform: str
    message_id: str  # WhatsApp: the wamid; Telegram: the update_id. Retries repeat it.
    sender: str  # WhatsApp: the wa_id (phone number); Telegram: the private chat's id
    sent_at: datetime
    kind: str  # text, image, location, other
    text: str = ""
    media_ref: str = ""  # WhatsApp media id / Telegram file_id
    mime: str = ""
    latitude: float | None = None
    longitude: float | None = None
