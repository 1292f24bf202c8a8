from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("session/", views.session, name="session"),
    path("two-factor/", views.two_factor_verify, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
