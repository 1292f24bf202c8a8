"""Request middleware of the project."""
from __future__ import annotations


class GreekUnlessChosenMiddleware:
    """Ignore the browser's language: Greek is the centre's language, English a choice made in the admin.

    Many Greek staff run browsers set to English; the admin-interface language chooser stores an explicit
    choice in the language cookie, which LocaleMiddleware still honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
