"""The notice board: published notices, drafting, and the approval steps."""

from __future__ import annotations

from rest_framework import serializers

from apps.notices.models import NOTICE_TRANSITIONS, Notice, NoticeAttachment

NOTICE_ACTIONS = sorted(NOTICE_TRANSITIONS.actions)


class NoticeAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeAttachment
        fields = ("id", "kind", "original_name", "content_type", "size")


class NoticeSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    section_label = serializers.CharField(source="get_section_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    compound_id = serializers.IntegerField(read_only=True, allow_null=True)
    attachments = NoticeAttachmentSerializer(source="live_attachments", many=True, read_only=True)

    class Meta:
        model = Notice
        fields = (
            "id",
            "community",
            "section",
            "section_label",
            "title",
            "body",
            "compound_id",
            "status",
            "status_label",
            "published_at",
            "attachments",
        )


class NoticeCreateSerializer(serializers.Serializer):
    """A new draft. The community is given by its code; `submit` sends it for approval."""

    community = serializers.CharField(max_length=32)
    section = serializers.ChoiceField(choices=Notice.Section.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    compound = serializers.IntegerField(required=False, allow_null=True, default=None)
    submit = serializers.BooleanField(required=False, default=False)


class NoticeUpdateSerializer(serializers.Serializer):
    """Any subset of a draft's text; the community stays. Only finance notices may name a
    compound (of the same community): the service checks it."""

    section = serializers.ChoiceField(choices=Notice.Section.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False)
    compound = serializers.IntegerField(required=False, allow_null=True)


class NoticeTransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=NOTICE_ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoticeTransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Notice.Status.choices)
    action = serializers.CharField()
