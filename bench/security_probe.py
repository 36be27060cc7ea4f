"""Replay the attacks of issue 16 against a running kawal and print, per attack, whether it was refused.

    python bench/security_probe.py http://127.0.0.1:8000 \\
        --relawan relawan.ketapang:PASSWORD --coordinator koordinator.cipondoh:PASSWORD --admin admin.kpu:PASSWORD

The passwords are the ones ``kawal demo`` prints. The probe starts nothing and needs only the standard library.
It changes the server's data the way an attacker would try to: it records a visit on one of the relawan's open
tasks and has the coordinator approve it (to try to replace it), records person lookups on a drawn RT unit, and
ends with wrong passwords, so the probe's own address is refused logins for 15 minutes afterwards (that is the
throttle working) and the relawan's person lookups are used up for the hour. Run it against a demo or a staging
copy, never against a site in use.

One line per attack: ``refused`` (the server held), ``OPEN`` (the attack worked) or ``skipped`` (the server has
nothing to try it on, e.g. no drawn RT unit, or it needs a second source address). Exit status 1 when anything
is OPEN. Attacks that need the server's disk, database or shell (files at rest, the log's checkpoints, the task
queue) are covered by ``tests/security/`` and not replayed here.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import hmac
import http.client
import http.cookiejar
import ipaddress
import json
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

LOCKED = "Terlalu banyak percobaan"  # the login form's message for a refused attempt
PAIR_FAILURES = 5  # wrong passwords one name may have from one address (accounts/throttle.py)
ADDRESS_FAILURES = 20  # wrong passwords one address may have across all names
LOOKUPS_PER_HOUR = 20  # person lookups a relawan may make (KAWAL_PERSON_LOOKUPS_PER_HOUR)
WHEN = "2024-07-10T09:30:00+07:00"


@dataclass
class Answer:
    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> object:
        try:
            return json.loads(self.text)
        except ValueError:
            return None


@dataclass
class Result:
    attack: str
    verdict: str  # refused, OPEN or skipped
    detail: str = ""

    def line(self) -> str:
        return f"{self.verdict:8} {self.attack}" + (f" — {self.detail}" if self.detail else "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 302 is an answer to look at (a login that worked), not a page to follow."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _From(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    """Connect from a chosen local address (a second loopback address stands for a second person)."""

    def __init__(self, source: str) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.source = (source, 0)

    def http_open(self, req: urllib.request.Request) -> object:
        return self.do_open(functools.partial(http.client.HTTPConnection, source_address=self.source), req)

    def https_open(self, req: urllib.request.Request) -> object:
        connection = functools.partial(http.client.HTTPSConnection, source_address=self.source)
        return self.do_open(connection, req)


@dataclass
class Browser:
    """One person's browser: cookies, the CSRF token, and optionally the local address it connects from."""

    base: str
    source: str | None = None
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()]
        if self.source:
            handlers.append(_From(self.source))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as response:
                return Answer(response.status, response.read().decode(errors="replace"), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), dict(error.headers))

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def csrf(self) -> str:
        if not any(c.name == "csrftoken" for c in self.jar):
            self.get("/masuk/")
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def post(self, path: str, data: dict, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}, doseq=True).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path, **(headers or {})}
        return self.request("POST", path, body, sent)

    def post_json(self, path: str, data: object, headers: dict | None = None) -> Answer:
        sent = {"Content-Type": "application/json", "X-CSRFToken": self.csrf(), "Referer": self.base + path}
        return self.request("POST", path, json.dumps(data).encode(), {**sent, **(headers or {})})

    def login(self, username: str, password: str, path: str = "/masuk/", headers: dict | None = None) -> Answer:
        return self.post(path, {"username": username, "password": password}, headers)


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (HMAC-SHA1, 30 s, 6 digits), for accounts that need the second factor."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((time.time() if at is None else at) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6).zfill(6)


def signed_in(base: str, username: str, password: str, secret: str = "") -> Browser:
    """A browser signed in as ``username`` (with the second factor when a secret is given); raises when not."""
    browser = Browser(base)
    answer = browser.login(username, password)
    if answer.status != 302:
        raise SystemExit(f"{username}: login failed ({answer.status}); check the password")
    if "/akun/2fa/" in browser.get("/").headers.get("Location", ""):
        if not secret:
            raise SystemExit(f"{username}: the server asks for a second factor; give the account's TOTP secret")
        browser.post("/akun/2fa/verifikasi/", {"code": totp(secret)})
        if "/akun/2fa/" in browser.get("/").headers.get("Location", ""):
            raise SystemExit(f"{username}: the TOTP code was refused (secret or clock)")
    return browser


# --- the attacks -------------------------------------------------------------------------------------------------


@dataclass
class Probe:
    base: str
    relawan: Browser
    coordinator: Browser
    accounts: dict[str, tuple[str, str]]  # role → (username, password)
    victim_source: str | None = None  # a second local address, standing for a user other than the attacker
    token: str = ""  # a relawan's API token (the probe revokes it)
    results: list[Result] = field(default_factory=list)
    task: dict | None = None  # the relawan's open task the visits go to (found once: a visit closes it)
    visit_accepted: bool = False  # a plain visit was accepted there: a refusal is then the hostile value's

    def say(self, attack: str, refused: bool | None, detail: str = "") -> None:
        verdict = "skipped" if refused is None else "refused" if refused else "OPEN"
        self.results.append(Result(attack, verdict, detail))

    # -- what the relawan can reach --

    def find_task(self) -> None:
        tasks = self.relawan.get("/api/v1/tasks").json() or []
        tasks = sorted(tasks if isinstance(tasks, list) else [], key=lambda t: not t["voters"])  # households first
        self.task = tasks[0] if tasks else None

    def debug_pages(self) -> None:
        answer = Browser(self.base).get("/tidak-ada-halaman-seperti-ini/")
        listed = "URLconf" in answer.text or "Traceback" in answer.text
        self.say("DEBUG 404 page lists every URL", answer.status == 404 and not listed, f"{answer.status}")

    def compare_for_relawan(self) -> None:
        answer = self.relawan.get("/daftar/banding/")
        self.say("/daftar/banding/ (seconds of CPU) open to a relawan", answer.status in (403, 404), f"{answer.status}")

    def hostile_api_values(self) -> None:
        """residents -1 and 1e20, recorded_at in year 9999 / 1 with an offset, "²" as a vote count: once 500s."""
        if not self.visit_accepted:
            self.say("API hostile numbers and dates", None, "no plain visit was accepted to compare with")
            return
        url = f"/api/v1/tasks/{self.task['id']}/visits"
        for name, change in (
            ("residents: -1", {"residents": -1}),
            ("residents: 1e20", {"residents": 1e20}),
            ("residents: 2^64", {"residents": 2**64}),
            ("recorded_at 9999-12-31T23:59:59-05:00", {"recorded_at": "9999-12-31T23:59:59-05:00"}),
            ("recorded_at 0001-01-01T00:00:00+07:00", {"recorded_at": "0001-01-01T00:00:00+07:00"}),
            ("latitude NaN", {"latitude": "NaN"}),
            ("pantarlih_date 0001-01-01", {"pantarlih_date": "0001-01-01"}),
        ):
            answer = self.relawan.post_json(url, {**_visit(), **change})
            self.say(f"API visit {name}", 400 <= answer.status < 500, f"{answer.status}")
        self._vote_counts()

    def _vote_counts(self) -> None:
        found = re.search(r"/tps/(\d+)/(\d{13})/", self.relawan.get("/tps/").text)
        if not found:
            self.say('API C.Hasil vote count "²"', None, "no TPS assigned to the relawan")
            return
        url = f"/api/v1/tps/{found[1]}/{found[2]}/entries"
        control = self.relawan.post_json(
            url, {"client_id": str(uuid.uuid4()), "recorded_at": WHEN, "suara_paslon_1": 7}
        )
        if control.status not in (200, 201):  # a plain count must go through, or a refusal proves nothing
            self.say('API C.Hasil vote count "²"', None, f"a plain count answered {control.status}")
            return
        for value in ("²", "٣", "9" * 5000, -1, 10**20):
            body = {"client_id": str(uuid.uuid4()), "recorded_at": WHEN, "suara_paslon_1": value}
            answer = self.relawan.post_json(url, body)
            self.say(f"API C.Hasil suara_paslon_1 {str(value)[:12]!r}", 400 <= answer.status < 500, f"{answer.status}")

    def replace_an_approved_visit(self) -> None:
        """A relawan "corrects" a visit the coordinator approved: a confirmed TMS claim would lose a confirmation."""
        if self.task is None:
            self.say("replace an approved visit (supersedes)", None, "the relawan has no open task")
            return
        url = f"/api/v1/tasks/{self.task['id']}/visits"
        first = self.relawan.post_json(url, _visit())
        if first.status not in (200, 201):
            self.say("replace an approved visit (supersedes)", None, f"a plain visit answered {first.status}")
            return
        self.visit_accepted = True
        visit = first.json()["id"]
        approved = self.coordinator.post(f"/kunjungan/{visit}/tinjau/", {"decision": "approved"})
        if approved.status != 302:
            self.say("replace an approved visit (supersedes)", None, f"the approval answered {approved.status}")
            return
        second = self.relawan.post_json(url, {**_visit(), "supersedes": visit, "note": "diganti"})
        self.say("replace an approved visit (supersedes)", 400 <= second.status < 500, f"{second.status}")

    def relawan_sees_nik_derived_details(self) -> None:
        """NIK_TIDAK_COCOK's explanation named the birth date, the sex and NIK digits 7-12."""
        path = "/api/v1/findings?check=NIK_TIDAK_COCOK&limit=50"
        mine = (self.relawan.get(path).json() or {}).get("results", [])
        if not mine:
            self.say("NIK_TIDAK_COCOK details shown to a relawan", None, "no such finding in the relawan's RT")
            return
        first = mine[0]
        there = f"{path}&wilayah={first['kode_kelurahan']}&rw={first['rw']}&rt={first['rt']}"
        theirs = {f["id"]: f["detail"] for f in (self.coordinator.get(there).json() or {}).get("results", [])}
        if not any(theirs.get(f["id"]) for f in mine):  # the coordinator must see what the relawan must not
            self.say("NIK_TIDAK_COCOK details shown to a relawan", None, "the coordinator sees no explanation either")
            return
        leaked = [f["id"] for f in mine if f["detail"] and f["detail"] == theirs.get(f["id"])]
        self.say("NIK_TIDAK_COCOK details shown to a relawan", not leaked, f"{len(mine)} findings, {len(leaked)} shown")

    def person_lookups(self) -> None:
        """The sample's "person met" answered registered: true/false for the whole city, without a limit."""
        unit = self._rt_unit()
        outsider = self._outsider()
        if unit is None or outsider is None:
            why = "no drawn RT unit assigned to the relawan" if unit is None else "no voter outside the relawan's RT"
            self.say("person lookup outside the relawan's RT", None, why)
            self.say("person lookups without a limit", None, why)
            return
        url = f"/api/v1/sample-units/{unit}/observations"
        person = {"kind": "orang", "recorded_at": WHEN, "nama": outsider["nama"], "tanggal_lahir": outsider["lahir"]}
        first = self.relawan.post_json(url, {**person, "client_id": str(uuid.uuid4())})
        told = (first.json() or {}).get("registered") if first.status in (200, 201) else None
        self.say("person lookup outside the relawan's RT", told is not True, f"{first.status}, registered={told}")
        statuses = [first.status]
        for _ in range(LOOKUPS_PER_HOUR + 1):
            statuses.append(self.relawan.post_json(url, {**person, "client_id": str(uuid.uuid4())}).status)
            if statuses[-1] == 429:
                break
        self.say("person lookups without a limit", 429 in statuses, f"429 after {len(statuses) - 1} lookups")

    def _rt_unit(self) -> str | None:
        pages = self.relawan.get("/tugas/").text + self.relawan.get("/sampel/").text
        for unit in dict.fromkeys(re.findall(r"/sampel/unit/(\d+)/", pages)):
            if 'value="orang"' in self.relawan.get(f"/sampel/unit/{unit}/").text:
                return unit
        return None

    def _outsider(self) -> dict | None:
        """A listed voter outside the relawan's RT, as the coordinator sees them (name and birth date): the ids
        next to the task's voters (lists are numbered in order, so the neighbours lie in nearby RTs)."""
        task = self.task or {}
        here = (task.get("kode_kelurahan"), task.get("rw"), task.get("rt"))
        start = min((v["id"] for v in task.get("voters", [])), default=1)
        for voter_id in [*range(start + 1, start + 200, 7), *range(max(start - 200, 1), start, 7)]:
            voter = self.coordinator.get(f"/api/v1/voters/{voter_id}").json() or {}
            if voter.get("tanggal_lahir") and (voter["kode_kelurahan"], voter["rw"], voter["rt"]) != here:
                return {"nama": voter["nama"], "lahir": voter["tanggal_lahir"]}
        return None

    # -- what a coordinator can reach --

    def act_for_the_kpu_office(self) -> None:
        """A coordinator recorded a held sosialisasi for organisation=KPU, attendance 5,000,000 (1e20: a 500)."""
        form = self.coordinator.get("/partisipasi/kegiatan/").text
        offered = set(re.findall(r'<option value="(\d+)"', _select(form, "organisation")))
        foreign = [str(i) for i in range(1, 30) if str(i) not in offered]
        event = {"status": "terlaksana", "title": "Probe", "starts_at": "2024-07-20T09:00", "attendance": "40"}
        event["kode_wilayah"] = next(iter(re.findall(r'<option value="(\d{4,})"', _select(form, "kode_wilayah"))), "")
        mine = next(iter(offered), "")
        control = self.coordinator.post("/partisipasi/kegiatan/", {**event, "organisation": mine})
        if control.status != 302:  # the coordinator's own event must go through, or a refusal proves nothing
            self.say("record an event in another organisation's name", None, f"own event answered {control.status}")
            return
        taken = [o for o in foreign if self._event({**event, "organisation": o}) == 302]
        self.say(
            "record an event in another organisation's name", not taken, f"{len(foreign)} ids tried, taken {taken}"
        )
        for attendance in ("5000000", "1e20", "100000000000000000000", "²", "-3"):
            status = self._event({**event, "organisation": mine, "attendance": attendance})
            self.say(f"event attendance {attendance}", status == 200, f"{status}")  # 200: the form again, refused

    def _event(self, data: dict) -> int:
        return self.coordinator.post("/partisipasi/kegiatan/", data).status

    # -- tokens --

    def revoked_token(self) -> None:
        if not self.token:
            self.say("a revoked API token still works", None, "no --token given")
            return
        bearer = {"Authorization": f"Bearer {self.token}"}
        before = Browser(self.base).get("/api/v1/tasks", bearer).status
        self.relawan.post("/akun/token/cabut/", {})
        after = Browser(self.base).get("/api/v1/tasks", bearer).status
        self.say("a revoked API token still works", before == 200 and after == 401, f"{before} then {after}")

    # -- logins (last: they lock the probe's own address) --

    def spoofed_address_evades_the_lock(self) -> None:
        """Each wrong password with an X-Forwarded-For of its own: believed, the per-address lock never bites."""
        name, password = self.accounts["relawan"]
        attacker = Browser(self.base)
        for i in range(PAIR_FAILURES):
            attacker.login(name, "salah-sekali", headers={"X-Forwarded-For": f"10.66.{i}.1"})
        answer = attacker.login(name, password, headers={"X-Forwarded-For": "10.66.99.1"})
        self.say("X-Forwarded-For chosen by the client evades the lock", answer.status != 302, _login(answer))

    def look_alike_name(self) -> None:
        name, password = self.accounts["relawan"]
        look_alike = "ｒ" + name[1:] if name.startswith("r") else name.upper()  # U+FF52 or another case
        attacker = Browser(self.base)
        for _ in range(PAIR_FAILURES):  # the name as registered, locked from this address
            attacker.login(name, "salah-sekali")
        answer = attacker.login(look_alike, password)
        self.say(f"look-alike name {look_alike!r} after the lock", answer.status != 302, _login(answer))

    def admin_login_unthrottled(self) -> None:
        if "admin" not in self.accounts:
            self.say("/admin/login/ without a throttle", None, "no --admin given")
            return
        name, password = self.accounts["admin"]
        attacker = Browser(self.base)
        for _ in range(PAIR_FAILURES + 3):
            attacker.login(name, "salah-sekali", path="/admin/login/")
        answer = attacker.login(name, password, path="/admin/login/")
        self.say("/admin/login/ lets the right password in after 8 wrong ones", answer.status != 302, _login(answer))
        answer = attacker.login(name, password)
        self.say("/masuk/ refuses, /admin/login/ differs", answer.status != 302, _login(answer))

    def staff_without_second_factor(self) -> None:
        if "admin" not in self.accounts:
            self.say("staff reach /admin/ without a second factor", None, "no --admin given")
            return
        name, password = self.accounts["admin"]
        admin = Browser(self.base)
        if admin.login(name, password, path="/admin/login/").status != 302:
            self.say("staff reach /admin/ without a second factor", None, "the admin could not sign in")
            return
        answer = admin.get("/admin/")
        kept_out = answer.status == 302 and "/akun/2fa/" in answer.headers.get("Location", "")
        self.say("staff reach /admin/ without a second factor", kept_out, f"{answer.status}")

    def lock_out_everyone(self) -> None:
        """20 wrong passwords under made-up names, each with its own X-Forwarded-For, then the coordinator's own
        name: the coordinator, from their own address, must still get in with the right password."""
        if not self.victim_source:
            self.say("one client locks everyone out", None, "needs a second source address (--victim-source)")
            return
        attacker = Browser(self.base)
        for i in range(ADDRESS_FAILURES + 5):
            attacker.login(f"palsu.{i}", "salah-sekali", headers={"X-Forwarded-For": f"10.{i}.0.1"})
        name, password = self.accounts["coordinator"]
        for _ in range(PAIR_FAILURES):
            attacker.login(name, "salah-sekali")
        answer = Browser(self.base, self.victim_source).login(name, password)
        self.say("one client locks everyone out", answer.status == 302, "the coordinator " + _login(answer))

    def run(self) -> list[Result]:
        steps: list[Callable[[], None]] = [
            self.find_task,
            self.debug_pages,
            self.compare_for_relawan,
            self.replace_an_approved_visit,  # first: its plain visit is the control of the hostile values
            self.hostile_api_values,
            self.relawan_sees_nik_derived_details,
            self.person_lookups,
            self.act_for_the_kpu_office,
            self.revoked_token,
            self.staff_without_second_factor,
            self.spoofed_address_evades_the_lock,
            self.look_alike_name,
            self.admin_login_unthrottled,
            self.lock_out_everyone,
        ]
        for step in steps:
            step()
        return self.results


def _visit() -> dict:
    return {
        "client_id": str(uuid.uuid4()), "recorded_at": WHEN, "pantarlih_visited": "ya", "sticker": "tidak",
        "residents": 2, "note": "probe",
    }  # fmt: skip


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    return found[0] if found else ""


def _login(answer: Answer) -> str:
    if answer.status == 302:
        return "signed in"
    return "refused as locked" if LOCKED in answer.text else f"not signed in ({answer.status})"


def default_victim_source(base: str) -> str | None:
    """Another loopback address (Linux answers on all of 127/8) when the server is on this machine."""
    host = urllib.parse.urlsplit(base).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    return "127.0.0.2" if local else None


def _account(text: str) -> tuple[str, str]:
    name, _, password = text.partition(":")
    return name, password


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--relawan", required=True, type=_account, metavar="NAME:PASSWORD")
    parser.add_argument("--coordinator", required=True, type=_account, metavar="NAME:PASSWORD")
    parser.add_argument("--admin", type=_account, metavar="NAME:PASSWORD", help="a staff account (admin site)")
    parser.add_argument("--coordinator-totp", default="", help="the coordinator's TOTP secret, when 2FA is on")
    parser.add_argument("--token", default="", help="a relawan API token to revoke (it is revoked)")
    parser.add_argument("--victim-source", default=None, help="a second local address (default 127.0.0.2 locally)")
    args = parser.parse_args(argv)
    base = args.base.rstrip("/")
    accounts = {"relawan": args.relawan, "coordinator": args.coordinator}
    if args.admin:
        accounts["admin"] = args.admin
    probe = Probe(
        base,
        relawan=signed_in(base, *args.relawan),
        coordinator=signed_in(base, *args.coordinator, secret=args.coordinator_totp),
        accounts=accounts,
        victim_source=args.victim_source or default_victim_source(base),
        token=args.token,
    )
    results = probe.run()
    for result in results:
        print(result.line())
    open_ = [r for r in results if r.verdict == "OPEN"]
    print(f"{len(results)} attacks: {len(results) - len(open_)} refused or skipped, {len(open_)} OPEN")
    return 1 if open_ else 0


if __name__ == "__main__":
    sys.exit(main())
