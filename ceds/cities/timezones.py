"""A city's time zone: IANA names checked through zoneinfo, and due dates read in that zone.

A due date is a calendar day in the city: a section due on 3 March is late once 3 March has ended
where the city is, whatever the server's or the reader's zone (Seoul's day ends 13 hours before
Asunción's). Pure apart from Django's ValidationError; the "now" is always passed in or read once.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the system knows, sorted (the tz database, through zoneinfo)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_timezone(value: str) -> None:
    if value not in zone_names():
        raise ValidationError(
            _("Unknown time zone %(value)s; use an IANA name such as Asia/Seoul."),
            code="invalid_timezone",
            params={"value": value},
        )


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")  # a stored name is validated; never fail a page on an old row


def today_in(name: str, now: datetime | None = None) -> date:
    """The calendar day it is in the zone at `now` (default: this instant)."""
    return (now or timezone.now()).astimezone(zone(name)).date()


def due_end(due: date, name: str) -> datetime:
    """The instant a due day ends in the zone: midnight at the start of the next day there."""
    return datetime.combine(due + timedelta(days=1), time.min, tzinfo=zone(name))


def is_overdue(due: date | None, name: str, now: datetime | None = None) -> bool:
    """True once the due day has ended in the zone."""
    return due is not None and (now or timezone.now()) >= due_end(due, name)


def days_left(due: date, name: str, now: datetime | None = None) -> int:
    """Whole days from today in the zone to the due day: 0 on the day, negative once past."""
    return (due - today_in(name, now)).days
