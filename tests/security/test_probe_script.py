"""The probe of issue 16 (bench/security_probe.py) against a live server with the demo's data: every attack it
replays is refused. The probe talks HTTP only; this test gives it what `kawal demo` gives a person (accounts with
passwords, a drawn RT unit, a TPS, a finding whose explanation comes from the NIK) and checks its verdicts."""

from __future__ import annotations

import socket
from datetime import date

import pytest
from bench import security_probe
from django.contrib.auth import get_user_model
from django.utils import timezone

from kawal.web import demo
from kawal.web.accounts import totp
from kawal.web.accounts.models import ApiToken, Role, TotpDevice
from kawal.web.crypto import encrypt
from kawal.web.voters.models import Finding, Voter
from tests.security.conftest import PASSWORD
from tests.web.conftest import KETAPANG, city, ketapang_task  # noqa: F401  (city: a fixture)


def _second_loopback_works() -> bool:
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
        return True
    except OSError:
        return False


@pytest.fixture
def site(transactional_db, city, settings):  # noqa: F811  (city: the synthetic city of tests/web/conftest.py)
    """The demo's data, production's second-factor rule, and the fixtures the probe looks for."""
    from kawal.web.participation.models import Election
    from kawal.web.results.models import TpsAssignment
    from kawal.web.sampling.models import SampleDraw, SampleUnit

    settings.KAWAL_REQUIRE_2FA = True
    settings.KAWAL_PERSON_VIEW_LIMITS = dict.fromkeys(Role, 10**6)  # the probe reads a few people to try
    kpu, _ = demo.create_accounts()
    users = get_user_model().objects
    for user in users.all():
        user.set_password(PASSWORD)
        user.save()
    voter_list = demo.load_list(kpu, city / "dpt.csv")
    relawan = users.get(username="relawan.ketapang")
    election = Election.objects.create(organisation=kpu, name="Probe", pemilihan="walikota", held_on=date(2024, 11, 27))
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps="3671051007001")
    voters = list(Voter.unscoped.filter(**KETAPANG)[:2])
    ketapang_task(voter_list, "rumah-probe", voters, relawan, check="NIK_TIDAK_COCOK")
    Finding.unscoped.filter(check_code="NIK_TIDAK_COCOK").update(detail="lahir 1990-05-17, perempuan, 170590")
    draw = SampleDraw.unscoped.create(
        voter_list=voter_list, created_by=users.get(username="koordinator.cipondoh"), phrase="probe", seed="0",
        list_sha256="0", unit="rt", by="kota", sample_sha256="0", size=1,
    )  # fmt: skip
    SampleUnit.objects.create(
        draw=draw, stratum="3671", urutan=1, key="3671051007/1/1", rank="0", kode_kelurahan="3671051007", rw=1, rt=1,
        task=ketapang_task(voter_list, "rt-probe", [], relawan),
    )  # fmt: skip
    secret = totp.new_secret()
    coordinator = users.get(username="koordinator.cipondoh")
    TotpDevice.objects.create(user=coordinator, secret_encrypted=encrypt(secret), confirmed_at=timezone.now())
    _token, key = ApiToken.issue(relawan, "probe")
    return {"secret": secret, "token": key}


@pytest.mark.skipif(not _second_loopback_works(), reason="needs 127.0.0.2 (a second loopback address)")
def test_the_probe_finds_every_attack_refused(live_server, site, capsys):
    status = security_probe.main(
        [
            live_server.url,
            "--relawan", f"relawan.ketapang:{PASSWORD}",
            "--coordinator", f"koordinator.cipondoh:{PASSWORD}",
            "--admin", f"admin.kpu:{PASSWORD}",
            "--coordinator-totp", site["secret"],
            "--token", site["token"],
            "--victim-source", "127.0.0.2",
        ]
    )  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    verdicts = [line.split()[0] for line in lines[:-1]]
    print("\n".join(lines))  # shown with -s: the verdicts in full
    assert status == 0 and "OPEN" not in verdicts, "\n".join(lines)
    assert verdicts.count("skipped") == 0, "\n".join(lines)  # the site above gives every attack something to try
    assert len(verdicts) >= 25


def test_the_probe_reports_an_open_door(live_server, site, capsys, settings):
    """The verdicts can fail: with the client's own X-Forwarded-For believed (every address a trusted proxy), the
    spoofing attacks come out OPEN."""
    settings.KAWAL_TRUSTED_PROXIES = ["0.0.0.0/0", "::/0"]
    probe = security_probe.Probe(
        live_server.url,
        relawan=security_probe.signed_in(live_server.url, "relawan.ketapang", PASSWORD),
        coordinator=security_probe.Browser(live_server.url),
        accounts={"relawan": ("relawan.ketapang", PASSWORD)},
    )
    probe.spoofed_address_evades_the_lock()
    probe.compare_for_relawan()
    assert [r.verdict for r in probe.results] == ["OPEN", "refused"], probe.results
