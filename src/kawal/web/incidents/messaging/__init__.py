"""Reports by chat: WhatsApp Cloud API and Telegram bot webhooks feeding one guided conversation
(``conversation.py``). Each platform module reads its payloads into ``Inbound`` messages, verifies the request
and knows how to send a reply and fetch a photo (on the task queue, never while the webhook answers)."""
