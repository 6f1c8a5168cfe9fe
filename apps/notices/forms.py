"""Forms of the notice desk."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.regions.models import Community, Compound

from .access import drafting_communities
from .attachments import CheckedAttachment, attachments_check
from .models import Notice


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more PDFs or images, checked by content; cleans to CheckedAttachments."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedAttachment]:  # type: ignore[override]
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(_("Choose one or more files to attach."), code="required")
            return []
        return attachments_check(files)


class NoticeForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), empty_label=None
    )
    section = forms.ChoiceField(
        label=_("Section"), choices=Notice.Section.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    compound = forms.ModelChoiceField(
        label=_("Compound ledger (finance notices)"),
        queryset=Compound.objects.none(),
        required=False,
        help_text=_("The notice links to this compound's public-income ledger."),
    )
    attachments = AttachmentsField(
        label=_("Attachments (PDF or images)"),
        help_text=_("Up to 10 files of at most 10 MB each."),
    )

    def __init__(self, *args: Any, user: Any, notice: Notice | None = None, **kwargs: Any):
        if notice is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "community": notice.community_id,
                "section": notice.section,
                "title": notice.title,
                "body": notice.body,
                "compound": notice.compound_id,
            }
        super().__init__(*args, **kwargs)
        communities = drafting_communities(user).order_by("code")
        compounds = Compound.objects.filter(community__in=communities).order_by("name")
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities
        cast(forms.ModelChoiceField, self.fields["compound"]).queryset = compounds
        if notice is not None:
            self.fields["community"].disabled = True
            del self.fields["attachments"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        compound = cleaned.get("compound")
        if compound is not None and cleaned.get("section") != Notice.Section.FINANCE:
            self.add_error(
                "compound", ValidationError(_("Only finance notices link to a compound's ledger."))
            )
        community = cleaned.get("community")
        if compound is not None and community is not None and compound.community_id != community.pk:
            self.add_error("compound", ValidationError(_("That compound is in another community.")))
        return cleaned


class AttachForm(forms.Form):
    attachments = AttachmentsField(label=_("Add attachments (PDF or images)"), required=True)
