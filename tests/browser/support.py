"""What the browser tests share: one password for every demo account, set on the accounts they log in with."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from kawal.web import demo
from kawal.web.accounts.models import Organisation

PASSWORD = "kata-sandi-uji-panjang"


def with_password() -> None:
    """Every account logs in with :data:`PASSWORD` (the demo's own passwords are random)."""
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()


def sign_in(page, url: str, username: str) -> None:
    """Log ``username`` in on the live server at ``url`` with :data:`PASSWORD`, as a person types it."""
    page.goto(f"{url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def upload_list(page, url: str, path: Path, stage: str) -> None:
    """Upload the voter list ``path`` as ``stage`` on the lists page and wait until its job is done."""
    page.goto(f"{url}/daftar/")
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=stage]", stage)
    page.click("form[enctype] button[type=submit]")  # the test queue runs the job before the page returns
    page.wait_for_selector('[data-status="done"]', timeout=120_000)


def demo_accounts() -> Organisation:
    """The demo's KPU office, Ormas and accounts, each with :data:`PASSWORD`; returns the KPU office."""
    kpu, _ = demo.create_accounts()
    with_password()
    return kpu


def small_city(out: Path) -> Path:
    """The small city the page sweeps crawl (1,500 voters, one seed): enough rows for every page, quick to load."""
    from kawal.synth.generator import generate

    generate(1500, seed=53, out=out)
    return out


def demo_site(dpt: Path, task: str) -> Organisation:
    """The demo's data on the list ``dpt``, so every page has rows, maps, visits, samples and results to show, and
    the relawan of Ketapang has an open task named ``task``; returns the KPU office."""
    from kawal.web.voters.models import Voter
    from tests.web.conftest import KETAPANG, ketapang_task

    kpu, _ = demo.create_accounts()
    voter_list = demo.load_list(kpu, dpt)
    demo.sample_fieldwork(voter_list)
    demo.sample_audit(voter_list)
    demo.sample_participation(kpu)
    demo.sample_results(kpu)
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    voters = list(Voter.unscoped.filter(**KETAPANG).exclude(alamat="")[:2])
    ketapang_task(voter_list, task, voters, relawan, alamat=voters[0].alamat)
    return kpu
