"""Audit history of the main models (django-simple-history) and restoring deleted records.

Every model that declares `history = tracked_history()` keeps a historical row for each
create (+), change (~) and delete (-), with who (the signed-in web or API user, through
`HistoryRequestMiddleware`) and when. Deleting a row also loses links that Django does not
send signals for: foreign keys set to NULL and rows of automatic many-to-many tables.
`pre_delete` writes those down on the deletion record (`deleted_links`), so
`history_restore` can put the row back with every field and every relation: its own fields
from the deletion record, the rows that were deleted with it (CASCADE) from theirs, and the
links from `deleted_links`.

Bulk writes (`QuerySet.update`, `bulk_create`) send no signals: services that make them on
behalf of a person use `bulk_create_with_history` / `save()` instead. The demo and city
generators load data in bulk without history on purpose: that data was never anyone's work.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# Rows deleted together (a cascade) get deletion records within the same transaction;
# this much slack also covers a slow cascade over many rows.
CASCADE_WINDOW = timedelta(minutes=2)
RESTORED_REASON = "restored"


class DeletedLinks(models.Model):
    """Extra column on every historical table: the links a deletion cut."""

    deleted_links = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class TrackedHistory(HistoricalRecords):
    """HistoricalRecords that leaves out generated columns: PostgreSQL computes them from
    the other fields (so history loses nothing), and reading one back after a save would
    cost a query on every write."""

    def __init__(self, *, kept_as: dict[str, str] | None = None, **options: Any) -> None:
        self.kept_as = kept_as or {}
        super().__init__(**options)

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        if self.cls is sender:
            generated = [
                f.name for f in sender._meta.fields if isinstance(f, models.GeneratedField)
            ]
            excluded: list[str] = list(self.excluded_fields)  # type: ignore[has-type]
            self.excluded_fields = [*excluded, *generated]
            sender._history_kept_as = self.kept_as  # type: ignore[attr-defined]
        super().finalize(sender, **kwargs)


def tracked_history(*, kept_as: dict[str, str] | None = None, **options: Any) -> HistoricalRecords:
    """The `HistoricalRecords` every tracked model uses (same bases and options).

    `kept_as` maps a foreign key whose name simple-history reserves on historical rows
    (`instance`) to a plain id column of another name there, e.g. {"instance": "patrol"}.
    """
    bases: list[type] = [DeletedLinks]
    if kept_as:
        attrs: dict[str, Any] = {
            "__module__": __name__,
            "Meta": type("Meta", (), {"abstract": True}),
        }
        for new in kept_as.values():
            attrs[new] = models.BigIntegerField(
                null=True, blank=True, db_index=True, editable=False
            )
        bases.insert(0, type("KeptAs" + "".join(kept_as.values()).title(), (models.Model,), attrs))
        options["excluded_fields"] = [*options.get("excluded_fields", []), *kept_as]
    options.setdefault("bases", bases)
    return TrackedHistory(kept_as=kept_as, **options)


class HistoryRestoreError(Exception):
    """A record that cannot be restored, with a message that says why."""


def is_tracked(model: type[models.Model]) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def history_manager(model: type[models.Model]) -> Any:
    return getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]


def _cut_links(instance: models.Model) -> list[dict[str, Any]]:
    """The links deleting `instance` removes without signals (SET_NULL, automatic M2M)."""
    links: list[dict[str, Any]] = []
    opts = instance._meta
    for rel in opts.related_objects:
        if rel.many_to_many:
            through: Any = rel.through  # type: ignore[attr-defined]
            if not through._meta.auto_created:
                continue  # an explicit through model cascades (and keeps its own history)
            own = rel.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            other = rel.field.m2m_field_name()  # type: ignore[attr-defined]
        elif rel.on_delete is models.SET_NULL:  # type: ignore[attr-defined]
            related: Any = rel.related_model
            pks = list(
                related._default_manager.filter(**{rel.field.name: instance.pk})
                .order_by()
                .values_list("pk", flat=True)
            )
            if pks:
                links.append(
                    {
                        "kind": "set_null",
                        "model": related._meta.label_lower,
                        "field": rel.field.name,
                        "pks": pks,
                    }
                )
            continue
        else:
            continue
        links.extend(_m2m_link(through, own, other, instance.pk))
    for field in opts.many_to_many:
        through = field.remote_field.through  # type: ignore[attr-defined]
        if through._meta.auto_created:
            own = field.m2m_field_name()  # type: ignore[attr-defined]
            other = field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            links.extend(_m2m_link(through, own, other, instance.pk))
    return links


def _m2m_link(through: Any, own: str, other: str, pk: Any) -> list[dict[str, Any]]:
    pks = list(
        through._default_manager.filter(**{own: pk})
        .order_by()
        .values_list(f"{other}_id", flat=True)
    )
    if not pks:
        return []
    return [
        {
            "kind": "m2m",
            "through": through._meta.label_lower,
            "own": own,
            "other": other,
            "pks": pks,
        }
    ]


@receiver(pre_delete, dispatch_uid="core_history_cut_links")
def _remember_cut_links(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if is_tracked(sender):
        instance._history_cut_links = _cut_links(instance)  # type: ignore[attr-defined]


@receiver(pre_create_historical_record, dispatch_uid="core_history_store_links")
def _store_cut_links(sender: Any, instance: models.Model, history_instance: Any, **_: Any) -> None:
    for old, new in getattr(type(instance), "_history_kept_as", {}).items():
        setattr(history_instance, new, getattr(instance, f"{old}_id"))
    if history_instance.history_type == "-":
        history_instance.deleted_links = getattr(instance, "_history_cut_links", None) or None


def latest_record(model: type[models.Model], pk: Any) -> Any:
    return (
        history_manager(model)
        .filter(**{model._meta.pk.attname: pk})  # type: ignore[union-attr]
        .order_by("-history_date", "-history_id")
        .first()
    )


@transaction.atomic
def history_restore(*, model: type[models.Model], pk: Any) -> models.Model:
    """Put a deleted row back as it was when deleted, with the rows deleted with it and
    the links its deletion cut. The restore itself is a new history record ("restored").
    """
    pk = model._meta.pk.to_python(pk)  # type: ignore[union-attr]
    if not is_tracked(model):
        raise HistoryRestoreError(
            _("%(model)s keeps no history.") % {"model": model._meta.verbose_name}
        )
    record = latest_record(model, pk)
    if record is None or record.history_type != "-":
        raise HistoryRestoreError(
            _("There is no deleted %(model)s #%(pk)s to restore.")
            % {"model": model._meta.verbose_name, "pk": pk}
        )
    if model._default_manager.filter(pk=pk).exists():
        raise HistoryRestoreError(
            _("%(model)s #%(pk)s exists already.") % {"model": model._meta.verbose_name, "pk": pk}
        )
    instance = record.instance
    for old, new in getattr(model, "_history_kept_as", {}).items():
        setattr(instance, f"{old}_id", getattr(record, new))
    _relink_set_null(instance, record)
    if hasattr(instance, "set_unusable_password"):
        # The password hash is never kept in history: a restored account signs in again
        # only after a password reset.
        instance.set_unusable_password()
    instance._change_reason = RESTORED_REASON
    instance.save(force_insert=True)
    # save() stamps auto_now/auto_now_add fields with the time of the restore: put back
    # the recorded times (the restore itself is dated in its history record).
    stamps = {
        f.attname: getattr(record, f.attname)
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    if stamps:
        model._default_manager.filter(pk=pk).update(**stamps)
        for name, value in stamps.items():
            setattr(instance, name, value)
    _restore_cascaded(model, pk, since=record.history_date - CASCADE_WINDOW)
    _restore_links(record.deleted_links or [], pk)
    return instance


def _relink_set_null(instance: models.Model, record: Any) -> None:
    """Foreign keys that a deletion in the same cascade set to NULL before this row was
    deleted (so its deletion record has NULL): take them from that deletion's cut links,
    when the row they point at is back already."""
    model = type(instance)
    since = record.history_date - CASCADE_WINDOW
    for field in model._meta.concrete_fields:
        if not field.is_relation or getattr(instance, field.attname) is not None:
            continue
        target = field.related_model
        if not isinstance(target, type) or not is_tracked(target):
            continue
        if field.remote_field.on_delete is not models.SET_NULL:  # type: ignore[union-attr]
            continue
        link = {"kind": "set_null", "model": model._meta.label_lower, "field": field.name}
        cut = (
            history_manager(target)
            .filter(
                history_type="-",
                history_date__gte=since,
                deleted_links__contains=[{**link, "pks": [instance.pk]}],
            )
            .order_by("-history_date")
            .first()
        )
        if cut is None:
            continue
        target_pk = getattr(cut, target._meta.pk.attname)  # type: ignore[union-attr]
        if target._default_manager.filter(pk=target_pk).exists():
            setattr(instance, field.attname, target_pk)


def _restore_cascaded(model: type[models.Model], pk: Any, *, since: Any) -> None:
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.on_delete is not models.CASCADE:  # type: ignore[attr-defined]
            continue
        child = rel.related_model
        if not isinstance(child, type) or not is_tracked(child):
            continue
        child_pk = child._meta.pk.attname  # type: ignore[union-attr]
        column = getattr(child, "_history_kept_as", {}).get(rel.field.name, rel.field.attname)
        deleted = (
            history_manager(child)
            .filter(history_type="-", history_date__gte=since, **{column: pk})
            .values_list(child_pk, flat=True)
            .distinct()
        )
        for child_id in deleted:
            if child._default_manager.filter(pk=child_id).exists():
                continue
            latest = latest_record(child, child_id)
            if latest is not None and latest.history_type == "-":
                history_restore(model=child, pk=child_id)


def _restore_links(links: list[dict[str, Any]], pk: Any) -> None:
    for link in links:
        if link["kind"] == "set_null":
            related = apps.get_model(link["model"])
            field = link["field"]
            rows = related._default_manager.filter(pk__in=link["pks"], **{f"{field}__isnull": True})
            for row in rows:
                # save() rather than update(): the relinking is itself recorded in history.
                setattr(row, f"{field}_id", pk)
                row._change_reason = RESTORED_REASON
                row.save(update_fields=[field])
        elif link["kind"] == "m2m":
            through = apps.get_model(link["through"])
            other_model = through._meta.get_field(link["other"]).related_model
            alive = other_model._default_manager.filter(pk__in=link["pks"]).values_list(
                "pk", flat=True
            )
            through._default_manager.bulk_create(
                [through(**{f"{link['own']}_id": pk, f"{link['other']}_id": o}) for o in alive],
                ignore_conflicts=True,
            )


def deleted_records(*, models_: list[type[models.Model]], limit: int = 100) -> list[Any]:
    """The latest deletion records of these models whose rows are still gone, newest first."""
    found: list[Any] = []
    for model in models_:
        manager = history_manager(model)
        pk_name = model._meta.pk.attname  # type: ignore[union-attr]
        existing = model._default_manager.filter(pk=models.OuterRef(pk_name))
        later = manager.filter(
            **{pk_name: models.OuterRef(pk_name)},
            history_date__gt=models.OuterRef("history_date"),
        )
        rows = (
            manager.filter(history_type="-")
            .exclude(models.Exists(existing))
            .exclude(models.Exists(later))
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        for row in rows:
            row.tracked_model = model
            found.append(row)
    found.sort(key=lambda row: row.history_date, reverse=True)
    return found[:limit]
