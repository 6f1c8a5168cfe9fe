"""Uploading files to a notice draft: the multipart body (each file is checked by
apps.notices.attachments before the service stores it)."""

from __future__ import annotations

from rest_framework import serializers


class NoticeAttachmentUploadSerializer(serializers.Serializer):
    notice = serializers.IntegerField(help_text="The notice (a draft or a returned one).")
    files = serializers.ListField(
        child=serializers.FileField(), min_length=1, help_text="PDFs or JPEG/PNG/WebP images."
    )
