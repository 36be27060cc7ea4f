import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_dashboard_is_indonesian_by_default(client, loaded):
    login(client, "admin.kpu")
    page = client.get(reverse("home")).content.decode()
    assert "Dasbor" in page and "Temuan" in page
    assert "Dashboard" not in page


def test_switching_to_english_translates_the_dashboard(client, loaded):
    login(client, "admin.kpu")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "Dashboard" in page and "Findings" in page and "Voter lists" in page
    assert "Dasbor" not in page
