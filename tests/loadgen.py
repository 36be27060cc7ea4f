"""A bounded, loopback-only load generator for kawal's production set-up (gunicorn workers + a real database):
an election-night mix of relawan visits and C.Hasil entries (some with photos, some sent twice), coordinators
reading the review queue, and the public reading the tally. Open loop: each request has a scheduled start, and
its latency counts from then, so a server that falls behind shows it.

Used by ``bench/load_bench.py`` (the full ramp) and ``tests/web/test_load.py`` (a short bounded run in CI).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SEED_SCRIPT = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
import json
from datetime import date
from django.contrib.auth import get_user_model
from kawal.web.accounts.models import ApiToken, Membership, Organisation, Role
from kawal.web.field.models import FieldTask
from kawal.web.participation.models import Election
from kawal.web.results.models import TpsAssignment
from kawal.web.voters.models import VoterList
n = int(os.environ["KAWAL_LOAD_RELAWAN"])
kpu = Organisation.objects.create(name="KPU", kind="kpu", wilayah="3671")
ormas = Organisation.objects.create(name="Ormas", kind="ormas", wilayah="3671", partner_of=kpu)
admin = get_user_model().objects.create_user("admin.beban", password="kata-sandi-beban-1")
Membership.objects.create(user=admin, organisation=kpu, role=Role.KPU_ADMIN, wilayah="3671")
coordinator = get_user_model().objects.create_user("koordinator.beban", password="kata-sandi-beban-1")
Membership.objects.create(user=coordinator, organisation=ormas, role=Role.COORDINATOR, wilayah="367105")
lst = VoterList.objects.create(organisation=kpu, uploaded_by=admin, stage="DPT", wilayah="3671", source_name="beban", status="done")
election = Election.objects.create(organisation=kpu, name="Beban", pemilihan="walikota", held_on=date(2029, 11, 28))
out = {"election": election.pk, "relawan": []}
for i in range(n):
    user = get_user_model().objects.create_user(f"relawan.beban{i}")
    Membership.objects.create(user=user, organisation=ormas, role=Role.RELAWAN, wilayah="3671051007", rw=1 + i // 10, rt=1 + i % 10)
    tasks = [FieldTask.unscoped.create(voter_list=lst, household=f"b{i}-{j}", kode_kelurahan="3671051007", rw=1 + i // 10,
             rt=1 + i % 10, assigned_to=user).pk for j in range(50)]
    tps = [f"367105{1001 + i // 10:04d}{(i % 10) * 10 + k + 1:03d}" for k in range(10)]
    for kode in tps:
        TpsAssignment.objects.create(election=election, user=user, kode_tps=kode)
    out["relawan"].append({"token": ApiToken.issue(user, "beban")[1], "tasks": tasks, "tps": tps})
print(json.dumps(out))
"""
FORM = {"suara_paslon_1": 120, "suara_paslon_2": 95, "suara_paslon_3": 140, "suara_sah": 355, "suara_tidak_sah": 9,
        "suara_sah_dan_tidak_sah": 364, "dpt": 520, "pengguna_total": 364}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    env: dict
    port: int
    process: subprocess.Popen | None = None
    photo_worker: subprocess.Popen | None = None
    seed: dict = field(default_factory=dict)

    def start(self, workers: int, threads: int = 1) -> None:
        python = sys.executable
        subprocess.run([python, "-m", "kawal", "manage", "migrate", "--no-input", "-v", "0"], env=self.env, check=True)
        seeded = subprocess.run([python, "-c", SEED_SCRIPT], env=self.env, check=True, capture_output=True, text=True)
        self.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        gunicorn = Path(python).with_name("gunicorn")
        self.photo_worker = subprocess.Popen(  # as deploy/systemd/kawal-photos.service runs it
            ["nice", "-n", "10", python, "-m", "kawal", "manage", "db_worker", "--queue-name", "photos",
             "--interval", "0.5", "--no-startup-delay"], env=self.env,
            stdout=subprocess.DEVNULL, stderr=(Path(self.env["KAWAL_DATA_DIR"]) / "photo-worker.log").open("w"),
        )  # fmt: skip
        env = {**self.env, "KAWAL_BIND": f"127.0.0.1:{self.port}", "KAWAL_WEB_WORKERS": str(workers)}
        threaded = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
        self.process = subprocess.Popen(  # the production settings (kawal.web.gunicorn_conf), on a loopback port
            [str(gunicorn), "-c", "python:kawal.web.gunicorn_conf", *threaded, "kawal.web.wsgi:application"], env=env
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        for process in (self.process, self.photo_worker):
            if process:
                process.terminate()
                process.wait(timeout=30)


def server_env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KAWAL_", "DATABASE_URL"))}
    env.update(
        KAWAL_DATA_DIR=str(data_dir),
        KAWAL_DEBUG="0",
        KAWAL_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="kawal.web.settings",
        KAWAL_LOAD_RELAWAN=os.environ.get("KAWAL_LOAD_RELAWAN", "40"),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@dataclass
class Step:
    rate: float
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sent: int = 0
    wall: float = 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def achieved(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG about the size a phone camera makes (3–4 MB): gradients with sensor-like noise."""
    import io

    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:height, 0:width]
    scene = np.stack([(x / 16) % 256, (y / 12) % 256, ((x + y) / 20) % 256], -1)
    noisy = scene + np.random.default_rng(1).normal(0, 12, scene.shape)
    out = io.BytesIO()
    Image.fromarray(noisy.clip(0, 255).astype("uint8")).save(out, "JPEG", quality=88)
    return out.getvalue()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
    head += "Content-Type: image/jpeg\r\n\r\n"
    body = "".join(parts).encode() + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Mix:
    """What the generator sends, and which submissions the server acknowledged (for the no-loss check).

    Per 100 requests: 10 resends of something already sent, ``photo_share`` photo uploads (a 12-megapixel JPEG,
    before the entry or visit that refers to it), about 38 visits, 25 C.Hasil entries (each with a photo its
    sender uploaded, once there is one), 10 task-list reads and 15 reads of the public tally."""

    def __init__(self, seed: dict, port: int, rng_seed: int = 1, photo_share: float = 0.02) -> None:
        self.seed, self.port, self.photo_share = seed, port, photo_share
        self.rng = random.Random(rng_seed)
        self.lock = threading.Lock()
        self.acked_visits: set[str] = set()
        self.acked_entries: set[str] = set()
        self.acked_photos: dict[str, list[str]] = {}  # token → photo client ids stored for that relawan
        self.recent: list[tuple[str, str, dict, dict]] = []  # for deliberate resends
        self.photo = phone_photo() if photo_share else b""

    def next_request(self) -> tuple[str, str, dict, bytes | None]:
        with self.lock:
            roll = self.rng.random()
            relawan = self.rng.choice(self.seed["relawan"])
            if roll < 0.10 and self.recent:  # a phone that retries what it already sent
                kind, path, headers, body = self.rng.choice(self.recent)
                return kind, path, headers, json.dumps(body).encode()
            if roll < 0.10 + self.photo_share:
                return self._photo(relawan)
            auth = {"Authorization": f"Bearer {relawan['token']}", "Content-Type": "application/json"}
            if roll < 0.50:
                task = self.rng.choice(relawan["tasks"])
                body = {"client_id": str(uuid.uuid4()), "recorded_at": "2029-11-28T10:00:00+07:00",
                        "pantarlih_visited": "ya", "sticker": "ya", "checks": [], "new_voters": []}  # fmt: skip
                item = ("visit", f"/api/v1/tasks/{task}/visits", auth, body)
            elif roll < 0.75:
                body = {"client_id": str(uuid.uuid4()), "recorded_at": "2029-11-28T14:00:00+07:00", **FORM}
                photos = self.acked_photos.get(relawan["token"])
                if photos:
                    body["photos"] = [{"client_id": self.rng.choice(photos)}]
                tps = self.rng.choice(relawan["tps"])
                item = ("entry", f"/api/v1/tps/{self.seed['election']}/{tps}/entries", auth, body)
            elif roll < 0.85:
                return "review", "/api/v1/tasks", {"Authorization": f"Bearer {relawan['token']}"}, None
            else:
                return "public", "/api/v1/tally?wilayah=3671", {}, None
            self.recent = [*self.recent, item][-200:]
            return item[0], item[1], item[2], json.dumps(item[3]).encode()

    def _photo(self, relawan: dict) -> tuple[str, str, dict, bytes]:
        client_id = str(uuid.uuid4())
        body, content_type = multipart({"client_id": client_id, "kind": "c_hasil"}, "c1.jpg", self.photo)
        headers = {
            "Authorization": f"Bearer {relawan['token']}",
            "Content-Type": content_type,
            "X-Photo-Client-Id": client_id,
        }  # fmt: skip  (read back by acknowledge, not by the server)
        return "photo", "/api/v1/photos", headers, body

    def acknowledge(self, kind: str, headers: dict, body: bytes | None, status: int) -> None:
        if not body or status not in (200, 201):
            return
        with self.lock:
            if kind == "photo":
                token = headers["Authorization"].removeprefix("Bearer ")
                self.acked_photos.setdefault(token, []).append(headers["X-Photo-Client-Id"])
            else:
                client_id = json.loads(body)["client_id"]
                (self.acked_visits if kind == "visit" else self.acked_entries).add(client_id)


def run_step(mix: Mix, step: Step, threads: int = 16) -> Step:
    """Send ``step.rate`` requests per second for ``step.seconds``, open loop, over keep-alive connections."""
    total = int(step.rate * step.seconds)
    start = time.perf_counter() + 0.2
    counter = iter(range(total))
    counter_lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", mix.port, timeout=30)
        while True:
            with counter_lock:
                i = next(counter, None)
            if i is None:
                break
            due = start + i / step.rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            kind, path, headers, body = mix.next_request()
            method = "POST" if body is not None else "GET"
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", mix.port, timeout=30)
                status = 0
            latency = time.perf_counter() - due
            with counter_lock:
                step.sent += 1
                if status in (200, 201):
                    step.latencies.append(latency)
                else:
                    step.errors += 1
            mix.acknowledge(kind, headers, body, status)
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    step.wall = time.perf_counter() - began
    return step


COUNT_SCRIPT = """
import os, django, json, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.web.settings")
django.setup()
from kawal.web.field.models import Visit
from kawal.web.photos.models import Photo
from kawal.web.results.models import ResultEntry
visits = set(str(c) for c in Visit.unscoped.values_list("client_id", flat=True))
entries = set(str(c) for c in ResultEntry.objects.values_list("client_id", flat=True))
photos = set(str(c) for c in Photo.objects.values_list("client_id", flat=True))
pending = Photo.objects.filter(served="", damaged=False).count()
print(json.dumps({"visits": sorted(visits), "entries": sorted(entries), "photos": sorted(photos),
                  "visit_rows": Visit.unscoped.count(), "entry_rows": ResultEntry.objects.count(),
                  "photo_rows": Photo.objects.count(), "photos_pending": pending,
                  "entries_with_photos": ResultEntry.objects.filter(photos__isnull=False).distinct().count()}))
"""


def stored_counts(server: Server) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_SCRIPT], env=server.env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def photo_backlog(server: Server, wait: float = 120.0) -> tuple[int, float]:
    """Photos still waiting for their served copy when the load stopped, and how long the queue took to drain."""
    began = time.monotonic()
    pending = first = stored_counts(server)["photos_pending"]
    while pending and time.monotonic() - began < wait:
        time.sleep(1)
        pending = stored_counts(server)["photos_pending"]
    return first, time.monotonic() - began if not pending else float("inf")


def integrity(server: Server, mix: Mix) -> dict:
    """Every acknowledged submission is stored, once."""
    stored = stored_counts(server)
    acked_photos = {c for ids in mix.acked_photos.values() for c in ids}
    kinds = (("visits", "visit_rows", mix.acked_visits), ("entries", "entry_rows", mix.acked_entries),
             ("photos", "photo_rows", acked_photos))  # fmt: skip
    return {
        "lost": sum(len(acked - set(stored[ids])) for ids, _, acked in kinds),
        "duplicated": sum(stored[rows] - len(stored[ids]) for ids, rows, _ in kinds),
        "stored": sum(stored[rows] for _, rows, _ in kinds),
        "photos": stored["photo_rows"],
        "entries_with_photos": stored["entries_with_photos"],
    }
