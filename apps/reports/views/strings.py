"""Texts the report pages' JavaScript shows, translated on the server (json_script)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def report_page_strings() -> dict[str, str]:
    return {
        "tap_to_pin": _("Tap the map where the problem is."),
        "pinned": _("Pinned. Drag the pin to adjust it."),
        "locating": _("Finding your location…"),
        "located": _("Pinned at your location (±%(metres)s m). Drag the pin to adjust it."),
        "locate_failed": _(
            "Your location is not available (%(reason)s). Tap the map where the problem is."
        ),
        "locate_unsupported": _("This browser cannot tell your location: tap the map instead."),
        "outside": _("This place is outside the served area (the outlined communities)."),
        "checking_nearby": _("Looking for reports of the same problem nearby…"),
        "nearby_title": _("Already reported within 30 m"),
        "nearby_intro": _(
            "Is it one of these? Add “me too” instead of filing it again: it raises the "
            "report's priority."
        ),
        "me_too": _("Me too"),
        "me_too_done": _("Added"),
        "distance": _("%(metres)s m away"),
        "people": _("%(count)s people"),
        "no_pin": _("Put the pin on the map first: tap where the problem is."),
        "no_category": _("Choose what the problem is about."),
        "no_description": _("Describe the problem in a few words."),
        "too_many_photos": _("Choose at most %(max)s photos."),
        "photo_too_big": _("“%(name)s” is %(size)s MB; a photo may be at most %(max)s MB."),
        "photo_wrong_type": _("“%(name)s” is not a JPEG, PNG or WebP photo."),
        "remove_photo": _("Remove"),
        "sending": _("Sending your report…"),
        "send_failed": _(
            "The report could not be sent (no connection?). Try again: it will not be filed twice."
        ),
        "sent_title": _("Thank you! Your report is filed."),
        "sent_code": _("Tracking code"),
        "sent_link": _("Follow your report"),
        "calling": _("Looking up your grid worker…"),
        "call_worker": _("Call %(name)s (grid %(grid)s): %(phone)s"),
        "call_office": _("Call %(name)s: %(phone)s"),
        "no_worker": _("No grid worker with a public phone is on duty here."),
        "pin_for_call": _("Pin the place first (or use your location) to find its grid worker."),
        "load_failed": _("Could not load the served area. Check the connection and reload."),
    }


def console_strings() -> dict[str, str]:
    return {
        "loading": _("Loading reports on the map…"),
        "load_failed": _("Could not load the reports map. Check the connection and reload."),
        "none_on_map": _("No report on the map matches these filters."),
        "open": _("Open"),
        "overdue": _("Overdue"),
    }
