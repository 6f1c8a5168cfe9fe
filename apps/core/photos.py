"""Photos people upload (reports, works progress): checked, re-encoded, stripped, thumbnailed.

One set of rules for every app: at most 10 MB, JPEG / PNG / WebP that actually decode, no
decompression bombs. Every accepted photo is re-encoded by Pillow, which drops EXIF (GPS
position, phone model, owner name) and anything hidden after the image data, turned upright
first so dropping the orientation tag does not leave it on its side, and scaled down to a
sensible size. A small JPEG thumbnail is made for lists and popups.

Use `photo_process(upload)` in a form's clean (it raises ValidationError with a message a
person can act on) and save the returned `ProcessedPhoto.image` / `.thumbnail` files into
ImageFields; `photos_process(files)` does the same for a multi-file input.
"""

from __future__ import annotations

import io
import os
import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS_PER_UPLOAD = 6
# Long edge of the stored photo: plenty for evidence, a fraction of a phone's original.
MAX_EDGE = 2560
THUMBNAIL_EDGE = 480
# Refuse images that would expand to more pixels than this when decoded (about 8000×6000):
# a small file can declare an enormous canvas and exhaust memory.
MAX_PIXELS = 48_000_000

# Pillow format name → (file extension, content type).
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
ACCEPT = ",".join(content_type for _ext, content_type in FORMATS.values())


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo that passed the checks, re-encoded, with its thumbnail (both unsaved files)."""

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    content_type: str
    original_name: str


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _open(upload: IO[bytes], name: str) -> Image.Image:
    """Decode fully (not just the header) so a truncated or fake file is caught here."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError(
                    _("“%(name)s” is a %(format)s image: upload a JPEG, PNG or WebP photo.")
                    % {"name": name, "format": image.format or "?"},
                    code="photo_format",
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("“%(name)s” is %(width)s×%(height)s pixels, too large to process.")
                    % {"name": name, "width": image.width, "height": image.height},
                    code="photo_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("“%(name)s” declares too many pixels to be a photo.") % {"name": name},
            code="photo_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("“%(name)s” is not a readable image: upload a JPEG, PNG or WebP photo.")
            % {"name": name},
            code="photo_unreadable",
        ) from None
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=85)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha channel."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_process(upload: Any) -> ProcessedPhoto:
    """Check one uploaded photo and return it re-encoded (EXIF stripped) with a thumbnail.

    Raises ValidationError (translated, naming the file) when it is too big, not an image,
    not JPEG/PNG/WebP, or has an absurd number of pixels. Nothing is written to storage.
    """
    name = os.path.basename(getattr(upload, "name", "") or "") or _("photo")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo may be at most %(max)s.")
            % {"name": name, "size": _human_size(size), "max": _human_size(MAX_PHOTO_BYTES)},
            code="photo_size",
        )
    image = _open(upload, name)
    fmt = str(image.format)
    extension, content_type = FORMATS[fmt]
    # Upright first: the EXIF orientation tag is about to be dropped with the rest of EXIF.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        image = _flatten(image)
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert(
            "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        )
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: no EXIF, XMP, ICC comments or trailing bytes survive.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    stem = uuid.uuid4().hex
    thumb = _flatten(clean)
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=ContentFile(_encode(clean, fmt), name=f"{stem}.{extension}"),
        thumbnail=ContentFile(_encode(thumb, "JPEG"), name=f"{stem}-thumb.jpg"),
        width=clean.width,
        height=clean.height,
        content_type=content_type,
        original_name=name[:200],
    )


def photos_process(
    files: Iterable[Any], *, max_count: int = MAX_PHOTOS_PER_UPLOAD
) -> list[ProcessedPhoto]:
    """Check several photos at once; every file's problem is reported, not just the first."""
    uploads: Sequence[Any] = list(files)
    if len(uploads) > max_count:
        raise ValidationError(
            ngettext(
                "Upload at most %(max)d photo at a time; you chose %(count)d.",
                "Upload at most %(max)d photos at a time; you chose %(count)d.",
                max_count,
            )
            % {"max": max_count, "count": len(uploads)},
            code="photo_count",
        )
    processed, errors = [], []
    for upload in uploads:
        try:
            processed.append(photo_process(upload))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return processed


class MultiplePhotoInput(forms.ClearableFileInput):
    """A file input that lets a phone pick several photos (or take one with the camera)."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Form field for zero or more photos; cleans to a list of `ProcessedPhoto`."""

    def __init__(self, *, max_count: int = MAX_PHOTOS_PER_UPLOAD, **kwargs: Any) -> None:
        self.max_count = max_count
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[ProcessedPhoto]:  # type: ignore[override]
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return photos_process(files, max_count=self.max_count)
