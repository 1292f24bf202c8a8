"""Every admin page of our apps withholds the fields the user may not see."""
from django.contrib import admin

from common.admin_mixins import register_in_front
from privacy.fields import our_models
from privacy.withholding import WithheldFieldsAdmin

for model in our_models():
    if admin.site.is_registered(model):
        register_in_front(model, WithheldFieldsAdmin)
