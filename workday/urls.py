from django.contrib import admin
from django.urls import path

from workday import views

urlpatterns = [
    path("go/", admin.site.admin_view(views.go), name="workday_go"),
]
