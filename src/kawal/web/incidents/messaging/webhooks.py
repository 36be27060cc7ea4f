"""The two webhooks. Both refuse a request they cannot authenticate (403) and answer 200 to anything else they
can read, quickly: replies and downloads go to the task queue."""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kawal.web.incidents.messaging import conversation, telegram, whatsapp

log = logging.getLogger(__name__)


def _json(request: HttpRequest) -> dict | None:
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # Meta's subscription handshake
        if request.GET.get("hub.mode") == "subscribe" and whatsapp.verify_token_ok(
            request.GET.get("hub.verify_token", "")
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse(status=403)
    if not whatsapp.signature_ok(request.body, request.headers.get("X-Hub-Signature-256", "")):
        log.warning("whatsapp webhook: bad or missing signature")
        return HttpResponse(status=403)
    payload = _json(request)
    if payload is None:
        return HttpResponse(status=400)
    for message in whatsapp.messages(payload):
        conversation.handle(message)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_http_methods(["POST"])
def telegram_view(request: HttpRequest) -> HttpResponse:
    if not telegram.secret_ok(request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")):
        log.warning("telegram webhook: bad or missing secret token")
        return HttpResponse(status=403)
    update = _json(request)
    if update is None or "update_id" not in update:
        return HttpResponse(status=400)
    message = telegram.message(update)
    if message is not None:
        conversation.handle(message)
    return HttpResponse("ok", content_type="text/plain")
