from django.conf import settings
from django.urls import reverse


def test_admin_speaks_greek_even_to_an_english_browser(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "el"
    assert "Υποθέσεις" in response.content.decode()


def test_english_is_a_choice_made_with_the_language_chooser(admin_client):
    response = admin_client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:index")})
    assert response.status_code == 302
    assert admin_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = admin_client.get(reverse("admin:index"))
    assert response.headers["Content-Language"] == "en"
    assert "Cases" in response.content.decode()
