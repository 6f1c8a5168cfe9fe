"""Attachments of notices: PDFs and images, checked by their content, not their name.

A PDF must start with the PDF signature (%PDF-); anything else must decode as a JPEG, PNG
or WebP image, which is then re-encoded without its metadata by apps.core.photos (the same
rules as report photos). A file named .pdf that is really something else is refused.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _

from apps.core.photos import photo_process

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_NOTICE = 10
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class CheckedAttachment:
    file: File
    kind: str
    content_type: str
    original_name: str
    size: int


def attachment_check(upload: Any) -> CheckedAttachment:
    """Check one uploaded file; raises ValidationError naming the file and what to do."""
    name = os.path.basename(getattr(upload, "name", "") or "") or _("file")
    size = getattr(upload, "size", None) or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB. Attach a smaller file.") % {"name": name},
            code="attachment_size",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC):
        data = upload.read()
        return CheckedAttachment(
            file=ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"),
            kind="pdf",
            content_type="application/pdf",
            original_name=name[:200],
            size=len(data),
        )
    try:
        photo = photo_process(upload)
    except ValidationError:
        raise ValidationError(
            _("“%(name)s” is neither a PDF nor a JPEG, PNG or WebP image.") % {"name": name},
            code="attachment_type",
        ) from None
    return CheckedAttachment(
        file=photo.image,
        kind="image",
        content_type=photo.content_type,
        original_name=name[:200],
        size=photo.image.size,
    )


def attachments_check(uploads: list[Any]) -> list[CheckedAttachment]:
    """Check several files; every file's problem is reported, not just the first."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return checked
