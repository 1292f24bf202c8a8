from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # The admin-interface language chooser posts to set_language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", include("workday.urls")),  # before the admin's own, whose catch-all would answer 404
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
