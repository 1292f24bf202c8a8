"""Drive an admin form as a browser would: GET the page, send back what its form holds, with changes."""
from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collect the values a browser would submit from the page's admin form (the one with `id` …_form)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "option":
            if self._select and "selected" in a:
                self._add(self._select, a.get("value", ""))
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
                return
            self._add(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                # Browsers drop the newline that follows <textarea>.
                self.fields[self._textarea][-1] = self.fields[self._textarea][-1].removeprefix("\n")
            self._textarea = None


def form_data(response, **changes) -> dict:
    """The admin form's data as the page shows it, with `changes` applied (a value of None removes the field)."""
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.fields.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def post_form(client, url, **changes):
    """GET `url`, then POST its form back with `changes`."""
    return client.post(url, form_data(client.get(url), **changes))


def form_errors(response) -> dict:
    """The main form's errors, by field (status 200: the form came back)."""
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors
