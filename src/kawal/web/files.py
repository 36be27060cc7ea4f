"""Uploaded files kept only while a request reads them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def stash(upload: UploadedFile, suffix: str) -> Path:
    """Write an upload to a private temporary file (the caller deletes it when done)."""
    with tempfile.NamedTemporaryFile(delete=False, suffix=suffix) as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return Path(out.name)
