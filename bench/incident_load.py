"""Incident reports under load on the production set-up: gunicorn workers (kawal.web.gunicorn_conf) + PostgreSQL +
the photo worker, on loopback. Reports arrive mixed: from the phone form's queue (``POST /api/v1/incidents/reports``,
a share of them after a photo upload) and as WhatsApp and Telegram conversations (five signed webhook calls each:
LAPOR, category, place, what happened, SELESAI). A tenth of all calls are sent twice, as phones and messengers
retry. Open loop at ``--rate`` reports per second; prints reports/s achieved, p50/p95/p99 per report (a chat report
from its first message to its receipt) and errors, then checks that every acknowledged report is stored exactly
once (0 lost, 0 duplicated). It also sums the server side's CPU time (gunicorn, the photo worker, the PostgreSQL
backends of its database) from /proc: CPU per report, and the reports/s two dedicated cores would give, a figure a
busy shared machine does not distort. Results: ``src/kawal/web/incidents/README.md`` (Load).

    .venv/bin/python bench/incident_load.py [--rate 50] [--seconds 20] [--workers 5] [--chat-share 0.4]
        [--photo-share 0.1] [--database-url postgres://postgres@127.0.0.1:5432/kawal_incident_load]

The database named is emptied first (it must not be one you need).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import fresh_database
from tests.loadgen import Server, free_port, multipart, phone_photo, server_env

APP_SECRET, TG_SECRET = "bench-wa-secret", "bench-tg-secret"
LINK_SCRIPT = """
import os, django, json, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from django.contrib.auth import get_user_model
from kawal.web.crypto import encrypt, keyed_hash
from kawal.web.incidents.models import ChatLink
senders = []
for i, user in enumerate(get_user_model().objects.filter(username__startswith="relawan.beban").order_by("pk")):
    platform = "whatsapp" if i % 2 == 0 else "telegram"
    sender = f"62811{i:07d}" if platform == "whatsapp" else str(700000000 + i)
    ChatLink.objects.create(platform=platform, sender_hash=keyed_hash(f"{platform}:{sender}"),
                            sender_encrypted=encrypt(sender), user=user)
    senders.append({"platform": platform, "sender": sender})
print(json.dumps(senders))
"""
COUNT_SCRIPT = """
import os, django, json, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from kawal.web.incidents.models import Report
rows = list(Report.unscoped.values_list("client_id", "channel", "description"))
print(json.dumps({"web": [str(c) for c, ch, _ in rows if ch == "web"],
                  "chat": [d.rsplit(" ", 1)[-1] for _, ch, d in rows if ch != "web"]}))
"""


class Load:
    """What is sent, and which reports the server acknowledged."""

    def __init__(self, seed: dict, senders: list[dict], port: int, chat_share: float, photo_share: float) -> None:
        self.port, self.chat_share, self.photo_share = port, chat_share, photo_share
        self.relawan, self.lock, self.rng = seed["relawan"], threading.Lock(), random.Random(7)
        self.free_senders = list(senders)  # one conversation per sender at a time
        self.acked_web: set[str] = set()
        self.acked_chat: set[str] = set()
        self.photo = phone_photo(2000, 1500) if photo_share else b""
        self.update_id = iter(range(10**6, 10**9))

    def job(self, connection: http.client.HTTPConnection) -> bool:
        with self.lock:
            chat = self.rng.random() < self.chat_share and self.free_senders
            sender = self.free_senders.pop(self.rng.randrange(len(self.free_senders))) if chat else None
            relawan = self.rng.choice(self.relawan)
            photo = self.rng.random() < self.photo_share
            resend = self.rng.random() < 0.1
        if sender:
            try:
                return self._chat(connection, sender, resend)
            finally:
                with self.lock:
                    self.free_senders.append(sender)
        return self._web(connection, relawan, photo, resend)

    def _web(self, connection: http.client.HTTPConnection, relawan: dict, photo: bool, resend: bool) -> bool:
        auth = {"Authorization": f"Bearer {relawan['token']}"}
        photos = []
        if photo:
            photo_id = str(uuid.uuid4())
            body, content_type = multipart({"client_id": photo_id, "kind": "bukti"}, "bukti.jpg", self.photo)
            if send(connection, "/api/v1/photos", body, {**auth, "Content-Type": content_type}) not in (200, 201):
                return False
            photos = [{"client_id": photo_id}]
        client_id = str(uuid.uuid4())
        report = {
            "client_id": client_id,
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
            "category": "politik_uang",
            "kode_kelurahan": "3671051007",
            "tps": "3",
            "incident_at": time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 6 * 3600)),
            "description": "Pembagian amplop di depan TPS 3 (uji beban).",
            "saksi_1_nama": "SAKSI UJI",
            "photos": photos,
        }
        body = json.dumps(report).encode()
        headers = {**auth, "Content-Type": "application/json"}
        statuses = [send(connection, "/api/v1/incidents/reports", body, headers) for _ in range(2 if resend else 1)]
        if statuses[0] in (200, 201):
            with self.lock:
                self.acked_web.add(client_id)
        return all(s in (200, 201) for s in statuses)

    def _chat(self, connection: http.client.HTTPConnection, sender: dict, resend: bool) -> bool:
        token = uuid.uuid4().hex
        texts = ["LAPOR", "1", "TPS 3", f"Pembagian amplop di depan TPS 3, kode uji {token}", "SELESAI"]
        for text in texts:
            body, path, headers = self._chat_message(sender, text)
            statuses = [send(connection, path, body, headers) for _ in range(2 if resend else 1)]
            if statuses[0] != 200:
                return False
        with self.lock:
            self.acked_chat.add(token)
        return True

    def _chat_message(self, sender: dict, text: str) -> tuple[bytes, str, dict]:
        with self.lock:
            number = next(self.update_id)
        if sender["platform"] == "telegram":
            chat = {"id": int(sender["sender"]), "type": "private", "first_name": "Uji"}
            update = {
                "update_id": number,
                "message": {"message_id": number, "chat": chat, "date": int(time.time()), "text": text},
            }
            headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
            return json.dumps(update).encode(), "/webhook/telegram/", headers
        message = {"from": sender["sender"], "id": f"wamid.BEBAN{number}", "timestamp": str(int(time.time())), "type": "text",
                   "text": {"body": text}}  # fmt: skip
        value = {"messaging_product": "whatsapp", "messages": [message]}
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{"value": value}]}]}).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return body, "/webhook/whatsapp/", {"Content-Type": "application/json", "X-Hub-Signature-256": signature}


FAILURES: Counter = Counter()  # (path, status) of every call that did not answer 2xx; 0: no answer


def send(connection: http.client.HTTPConnection, path: str, body: bytes, headers: dict) -> int:
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        connection.close()
        status = 0
    if status not in (200, 201):
        FAILURES[(path, status)] += 1
    return status


def run(load: Load, rate: float, seconds: float, threads: int) -> tuple[list[float], int, float]:
    total, counter, lock = int(rate * seconds), iter(range(int(rate * seconds))), threading.Lock()
    latencies: list[float] = []
    errors = [0]
    start = time.perf_counter() + 0.2

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", load.port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            due = start + i / rate
            if (pause := due - time.perf_counter()) > 0:
                time.sleep(pause)
            ok = load.job(connection)
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - due)
                else:
                    errors[0] += 1

    began = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert len(latencies) + errors[0] == total
    return latencies, errors[0], time.perf_counter() - began


def cpu_seconds(server: Server, database: str) -> dict[str, float]:
    """CPU time used so far by the server side: gunicorn (master and workers), the photo worker, and PostgreSQL's
    backends serving this database. Summed from /proc, so the figure does not depend on what else the machine
    runs: CPU per report, and so reports/s on N dedicated cores, even on a busy shared machine."""
    tick = os.sysconf("SC_CLK_TCK")
    app_roots = {server.process.pid, server.photo_worker.pid}
    used = {"app": 0.0, "db": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        ppid, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) in app_roots or ppid in app_roots:
            used["app"] += seconds
        elif cmdline.startswith("postgres:") and f" {database} " in cmdline:
            used["db"] += seconds
    return used


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50, help="reports per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=48)
    parser.add_argument("--chat-share", type=float, default=0.4)
    parser.add_argument("--photo-share", type=float, default=0.1, help="share of web reports sent with a photo")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/kawal_incident_load")
    args = parser.parse_args()
    fresh_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="kawal-incident-load-") as data:
        env = server_env(Path(data), args.database_url)
        env.update(
            KAWAL_WHATSAPP_APP_SECRET=APP_SECRET, KAWAL_TELEGRAM_SECRET_TOKEN=TG_SECRET, KAWAL_LOAD_RELAWAN="200"
        )
        server = Server(env, free_port())
        server.start(args.workers)
        try:
            linked = subprocess.run(
                [sys.executable, "-c", LINK_SCRIPT], env=env, check=True, capture_output=True, text=True
            )
            senders = json.loads(linked.stdout.strip().splitlines()[-1])
            load = Load(server.seed, senders, server.port, args.chat_share, args.photo_share)
            _warm, warm_errors, _wall = run(load, 10, 2, 8)  # warm up (its reports are checked too)
            database = args.database_url.rsplit("/", 1)[-1]
            before = cpu_seconds(server, database)
            latencies, errors, wall = run(load, args.rate, args.seconds, args.threads)
            time.sleep(2)  # the photo worker finishes the last served copies
            after = cpu_seconds(server, database)
            counted = subprocess.run(
                [sys.executable, "-c", COUNT_SCRIPT], env=env, check=True, capture_output=True, text=True
            )
            stored = json.loads(counted.stdout.strip().splitlines()[-1])
        finally:
            server.stop()
    lost = len(load.acked_web - set(stored["web"])) + len(load.acked_chat - set(stored["chat"]))
    # Stored although the client saw an error (a timeout after the commit): not lost, and its retry by client_id
    # would find it, so not a duplicate either. Counted to show what a failing network leaves behind.
    unacknowledged = len(set(stored["web"]) - load.acked_web) + len(set(stored["chat"]) - load.acked_chat)
    duplicated = (len(stored["web"]) - len(set(stored["web"]))) + (len(stored["chat"]) - len(set(stored["chat"])))
    print(
        f"gunicorn {args.workers} workers + PostgreSQL + photo worker, loopback; {args.chat_share:.0%} of reports by chat "
        f"(5 webhook calls each), {args.photo_share:.0%} of web reports with a {len(load.photo) / 2**20:.1f} MiB photo, "
        "a tenth of calls sent twice"
    )
    print(f"{'target/s':>9} {'done/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    print(
        f"{args.rate:9.0f} {len(latencies) / wall:7.1f} {percentile(latencies, 0.5):7.0f} "
        f"{percentile(latencies, 0.95):7.0f} {percentile(latencies, 0.99):7.0f} {errors:6d}"
    )
    print(
        f"reports acknowledged: {len(load.acked_web):,} from the form, {len(load.acked_chat):,} by chat; "
        f"stored {len(stored['web']) + len(stored['chat']):,}; lost {lost}, duplicated {duplicated}; "
        f"stored without acknowledgement {unacknowledged}; warm-up errors {warm_errors}"
    )
    done = len(latencies)
    app, db = (1000 * (after[k] - before[k]) / max(done, 1) for k in ("app", "db"))
    print(
        f"server CPU per report: {app + db:.0f} ms (app {app:.0f}, PostgreSQL {db:.0f}); on 2 dedicated cores that is "
        f"at most {2000 / (app + db):.0f} reports/s of this mix (the load generator not counted)"
    )
    if FAILURES:
        print("calls without 2xx: " + ", ".join(f"{path} {status}: {n}" for (path, status), n in FAILURES.items()))


if __name__ == "__main__":
    main()
