"""Services for people and their roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from .roles import ROLE_PERMISSIONS, Role


@transaction.atomic
def roles_ensure() -> None:
    """Make one group per `Role`, named by its code, holding exactly its ROLE_PERMISSIONS.

    Idempotent: groups and permissions already in place are left as they are. Raises
    ImproperlyConfigured when a listed permission does not exist (a typo in roles.py, or
    migrations not applied), rather than handing out a group that silently lacks it.
    """
    wanted = {label for labels in ROLE_PERMISSIONS.values() for label in labels}
    app_labels = {label.split(".", 1)[0] for label in wanted}
    known = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=app_labels
        )
    }
    missing = sorted(wanted - known.keys())
    if missing:
        raise ImproperlyConfigured(
            _("Roles need permissions that do not exist: %(missing)s. Run `manage.py migrate`.")
            % {"missing": ", ".join(missing)}
        )
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        permissions = [known[label] for label in ROLE_PERMISSIONS.get(role, [])]
        if set(group.permissions.all()) != set(permissions):
            group.permissions.set(permissions)
