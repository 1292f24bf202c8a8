"""Uploads are partner spreadsheets: stop one at GEFYRA_IMPORT_MAX_BYTES while it streams in; a previewed one waits
for its confirmation at most KEEP_UPLOADS."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone

KEEP_UPLOADS = datetime.timedelta(hours=12)

# The form's other fields (agency, CSRF token) and the multipart boundaries around the file.
SLACK = 64 * 1024


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers: nothing past the limit reaches memory or a temporary file. The request
    says so (`upload_refused`) for the page to tell the user."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.declared, self.received = content_length, 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.declared and self.declared > settings.GEFYRA_IMPORT_MAX_BYTES + SLACK:
            self._refuse(reset=True)  # known from the start: read none of it

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.GEFYRA_IMPORT_MAX_BYTES:
            self._refuse(reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self, *, reset: bool):
        self.request.upload_refused = True
        raise StopUpload(connection_reset=reset)


def forget_previews() -> int:
    """Delete previewed files never confirmed within KEEP_UPLOADS: they hold personal data. Return how many."""
    storage = storages["import_export"]
    try:
        _dirs, names = storage.listdir("referrals")
    except FileNotFoundError:
        return 0
    stale = [f"referrals/{name}" for name in names
             if timezone.now() - storage.get_modified_time(f"referrals/{name}") > KEEP_UPLOADS]
    for path in stale:
        storage.delete(path)
    return len(stale)
