"""Framework versions as loaded from content/. Rows are written only by load_content."""

import json
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, models
from django.utils.translation import gettext_lazy as _

from ceds.core.i18n import localized
from ceds.frameworks import crosswalk as crosswalks


class FrameworkVersion(models.Model):
    framework_id = models.SlugField(_("framework"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    title = models.JSONField(_("title"))
    # The validated definition, with effective weights, exactly as the scoring engine reads it.
    definition = models.JSONField()
    checksum = models.CharField(max_length=64, help_text=_("SHA-256 of the definition, to detect edits"))
    crosswalk = models.JSONField(
        null=True, blank=True, help_text=_("From the previous version: old id -> new id or 'dropped'")
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework_id", "-version"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [models.UniqueConstraint(fields=["framework_id", "version"], name="framework_version_unique")]

    def __str__(self) -> str:
        return f"{localized(self.title)} (v{self.version})"

    @property
    def name(self) -> str:
        return localized(self.title)

    def target_levels(self) -> range:
        """The levels a section's target may take: the framework's own (its definition's `levels`)."""
        numbers = [int(level["level"]) for level in self.definition["levels"]]
        return range(min(numbers), max(numbers) + 1)

    def carried_codes(self, older: "FrameworkVersion", old_codes: Iterable[str] | None = None) -> dict[str, str]:
        """Old item id -> this version's id, for the answers of `older` that carry over to this one.

        Read through this version's crosswalk when the versions differ (crosswalk.carry_map: dropped
        items and items that changed kind left out). `old_codes` are the items that have an answer,
        in the old version's order; all of the old version's items when None. Carrying forward,
        comparing two cycles and the history read old answers through here, so they agree.
        """
        old_kinds = crosswalks.item_kinds(older.definition)
        if old_codes is not None:
            old_kinds = {code: old_kinds[code] for code in old_codes if code in old_kinds}
        return crosswalks.carry_map(
            old_kinds, crosswalks.item_kinds(self.definition), self.crosswalk if older.pk != self.pk else None
        )

    def map_code(self, older: "FrameworkVersion", code: str) -> str | None:
        """The id in this version of `older`'s item `code`; None when its answer does not carry over."""
        return self.carried_codes(older).get(code)


def newest_versions() -> "models.QuerySet[FrameworkVersion]":
    """The version a new cycle of each framework uses: its newest (docs/methodology.md, "A new
    cycle uses the newest version"). The page offers only these and the workflow refuses others."""
    newest = FrameworkVersion.objects.filter(framework_id=models.OuterRef("framework_id")).order_by("-version")
    return FrameworkVersion.objects.filter(pk=models.Subquery(newest.values("pk")[:1]))


def newest_version(framework_id: str) -> FrameworkVersion | None:
    return newest_versions().filter(framework_id=framework_id).first()


def _instance(model, **values):
    """An instance as a query gives it (saved, on the default database), from plain values."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]  # from_db's order
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


# Versions by (id, checksum) as plain, immutable data: a version used by an assessment never
# changes (the loader refuses) and an edited unused one has a new checksum, so a process may keep
# them. The JSON fields are kept as text and every call builds its own instance, so nothing one
# request does to a version reaches another.
_versions: dict[tuple[int, str], tuple[str, int, str, str, str | None]] = {}


def framework_version(pk: int, checksum: str) -> FrameworkVersion:
    """The version with this id and checksum, definition included, read once per process.

    Pages load an assessment with its version's checksum only, rather than joining the
    version's row (and moving its ~180 kB definition) on every request.
    """
    kept = _versions.get((pk, checksum))
    if kept is None:
        version = FrameworkVersion.objects.get(pk=pk)
        if version.checksum == checksum:  # not changed since the caller read the checksum
            _versions[(pk, checksum)] = (
                version.framework_id,
                version.version,
                json.dumps(version.title),
                json.dumps(version.definition),
                None if version.crosswalk is None else json.dumps(version.crosswalk),
            )
        return version
    framework_id, number, title, definition, crosswalk = kept
    return _instance(
        FrameworkVersion,
        id=pk,
        framework_id=framework_id,
        version=number,
        title=json.loads(title),
        definition=json.loads(definition),
        checksum=checksum,
        crosswalk=None if crosswalk is None else json.loads(crosswalk),
    )


class Section(models.Model):
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=16)
    part = models.CharField(max_length=16)
    group = models.CharField(max_length=32)
    kind = models.CharField(max_length=16)
    title = models.JSONField()
    position = models.PositiveIntegerField()
    takes_target = models.BooleanField(default=False)

    class Meta:
        ordering = ["framework_version", "position"]
        constraints = [models.UniqueConstraint(fields=["framework_version", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {localized(self.title)}"

    @property
    def name(self) -> str:
        return localized(self.title)


class Item(models.Model):
    """One question or service. `code` (GM-03, ADM-012) is the stable identifier."""

    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=16)
    kind = models.CharField(max_length=16)
    position = models.PositiveIntegerField()
    data = models.JSONField(help_text=_("The item as written in content/"))

    class Meta:
        ordering = ["framework_version", "position"]
        constraints = [models.UniqueConstraint(fields=["framework_version", "code"], name="item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {localized(self.data.get('title'))}"

    @property
    def title(self) -> str:
        return localized(self.data.get("title"))


# A used version's items never change either: kept per process like the versions themselves,
# as plain rows (JSON as text), each call building its own instances.
_items: dict[tuple[int, str], tuple[tuple, ...]] = {}
_SECTION_FIELDS = ("id", "code", "part", "group", "kind", "position", "takes_target")
_ITEM_FIELDS = ("id", "code", "kind", "position")


def _item_row(item: Item) -> tuple:
    section = item.section
    return (
        tuple(getattr(item, f) for f in _ITEM_FIELDS),
        json.dumps(item.data),
        tuple(getattr(section, f) for f in _SECTION_FIELDS),
        json.dumps(section.title),
    )


def version_items(version: FrameworkVersion) -> dict[str, Item]:
    """{code: Item, with its section} of a version reached through an assessment, read once per process."""
    key = (version.pk, version.checksum)
    rows = _items.get(key)
    if rows is None:
        query = Item.objects.filter(framework_version_id=version.pk).select_related("section")
        rows = _items[key] = tuple(_item_row(item) for item in query)
    sections: dict[int, Section] = {}
    items = {}
    for item_fields, data, section_fields, section_title in rows:
        section = sections.get(section_fields[0])
        if section is None:
            section = sections[section_fields[0]] = _instance(
                Section,
                framework_version_id=version.pk,
                title=json.loads(section_title),
                **dict(zip(_SECTION_FIELDS, section_fields, strict=True)),
            )
        fields = dict(zip(_ITEM_FIELDS, item_fields, strict=True))
        item = _instance(Item, framework_version_id=version.pk, section_id=section.pk, data=json.loads(data), **fields)
        item.section = section
        items[item.code] = item
    return items
