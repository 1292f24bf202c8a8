"""Every page carries a Content-Security-Policy with no inline scripts, and the other protective headers."""
import pytest

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/cases/person/"])
def test_pages_forbid_inline_and_foreign_scripts(client, supervisor, url):
    client.force_login(supervisor)
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin" and response["X-Content-Type-Options"] == "nosniff"


def test_no_page_of_ours_has_an_inline_script(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/admin/").content.decode()
    scripts = [tag for tag in page.split("<script")[1:] if "src=" not in tag.split(">")[0]]
    assert not [s for s in scripts if "application/json" not in s.split(">")[0]]
