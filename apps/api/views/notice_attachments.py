"""Files attached to a notice draft: upload (checked for what they really are, then stored
by apps.notices.services.notice_attach) and removal (hidden and recorded, never deleted)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.notices import access, selectors, services
from apps.notices.attachments import attachments_check
from apps.notices.models import Notice, NoticeAttachment

from .. import schema
from ..serializers import notice_attachments as a
from ..serializers import notices as s

TAGS = ["notices"]


def _notice_for(user: object, pk: int) -> Notice:
    # Drafts exist only for the community's staff: to anyone else they are not found.
    notice = selectors.notice_with_attachments(pk)
    if notice is None or not access.can_view(user, notice):
        raise exceptions.ValidationError({"notice": [_("There is no such notice.")]})
    return notice


class NoticeAttachmentViewSet(viewsets.GenericViewSet):
    """Attachments of notices still being drafted."""

    serializer_class = s.NoticeAttachmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    queryset = NoticeAttachment.objects.none()

    @extend_schema(
        operation_id="notice_attachments_create",
        tags=TAGS,
        description="Attach files to a draft or returned notice (its author or a community "
        "admin). A file that is not really a PDF or an image is refused with 400 and nothing "
        "is stored; a notice past drafting is 409.",
        request={"multipart/form-data": a.NoticeAttachmentUploadSerializer},
        responses={201: s.NoticeSerializer, **schema.WRITE_ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = a.NoticeAttachmentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = _notice_for(request.user, body.validated_data["notice"])
        checked = attachments_check(body.validated_data["files"])
        services.notice_attach(notice=notice, actor=request.user, files=checked)
        out = selectors.notice_with_attachments(notice.pk)
        return Response(s.NoticeSerializer(out).data, status=201)

    @extend_schema(
        operation_id="notice_attachments_destroy",
        tags=TAGS,
        description="Take an attachment off a draft (the removal is recorded).",
        responses={204: None, **schema.WRITE_ERRORS},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        attachment = NoticeAttachment.objects.filter(
            pk=int(pk) if pk and pk.isdigit() else 0, removed=False
        ).first()
        if attachment is None:
            raise Http404
        notice = selectors.notice_with_attachments(attachment.notice_id)
        if notice is None or not access.can_view(request.user, notice):
            raise Http404
        services.notice_attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=204)
