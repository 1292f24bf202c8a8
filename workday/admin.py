"""The admin's index is each user's working day (workday/templates/workday/index.html)."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.index_template = "workday/index.html"
admin.site.index_title = _("My day")
