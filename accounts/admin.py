"""Staff accounts in the admin: the user list gains "Reset two-factor sign-in"; django-otp's device pages go,
since they would let anyone with their permission read a colleague's secret or delete it unrecorded."""
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import forms, two_factor

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffAdmin(UserAdmin):
    actions = ["reset_two_factor"]

    @admin.action(description=gettext_lazy("Reset two-factor sign-in"), permissions=["reset_two_factor"])
    def reset_two_factor(self, request, queryset):
        form = forms.ResetReasonForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            for user in queryset:
                two_factor.reset(user, by=request.user, reason=form.cleaned_data["reason"], request=request)
            self.message_user(request, _("Two-factor sign-in reset for %(count)d colleague(s); recorded in the audit.")
                              % {"count": len(queryset)}, messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "users": list(queryset), "form": form,
                   "title": _("Reset two-factor sign-in"), "opts": self.model._meta}
        return TemplateResponse(request, "accounts/reset_two_factor.html", context)

    def has_reset_two_factor_permission(self, request) -> bool:
        return request.user.has_perm("otp_totp.delete_totpdevice")
