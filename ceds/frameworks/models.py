"""Framework versions as loaded from content/. Rows are written only by load_content."""

import pickle
from collections.abc import Iterable, Mapping

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

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """A deferred field this instance keeps serialised (framework_version: the definition and
        the crosswalk) is thawed when first read, without a query; anything else as Django does."""
        kept = self.__dict__.get("_kept", {})
        if fields and all(name in kept for name in fields):
            for name in fields:
                setattr(self, name, _thaw(kept.pop(name)))
            return
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

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
# them. The JSON fields are kept serialised and every call builds its own instance, so nothing one
# request does to a version reaches another.


def _keep(value) -> bytes:
    """A JSON field's value as the process caches keep it. Pickled, not JSON text: a version's
    definition (2.6 MB for the CeDS framework's second version) reads back three times as fast."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _thaw(kept: bytes):
    return pickle.loads(kept)  # noqa: S301 (only bytes this process pickled itself, in _keep)


_versions: dict[tuple[int, str], tuple[str, int, bytes, bytes, bytes]] = {}


def framework_version(pk: int, checksum: str) -> FrameworkVersion:
    """The version with this id and checksum, definition included, read once per process.

    Pages load an assessment with its version's checksum only, rather than joining the
    version's row (and moving its definition, 2.6 MB for the CeDS framework's second version) on
    every request. The definition and crosswalk are thawed only if the request reads them.
    """
    kept = _versions.get((pk, checksum))
    if kept is None:
        version = FrameworkVersion.objects.get(pk=pk)
        if version.checksum == checksum:  # not changed since the caller read the checksum
            _versions[(pk, checksum)] = (
                version.framework_id,
                version.version,
                _keep(version.title),
                _keep(version.definition),
                _keep(version.crosswalk),
            )
        return version
    framework_id, number, title, definition, crosswalk = kept
    version = _instance(
        FrameworkVersion, id=pk, framework_id=framework_id, version=number, title=_thaw(title), checksum=checksum
    )
    version._kept = {"definition": definition, "crosswalk": crosswalk}  # deferred: see refresh_from_db
    return version


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
# as plain rows (JSON fields kept by _keep), each version instance building its own items once.
_items: dict[tuple[int, str], tuple[tuple, ...]] = {}
_SECTION_FIELDS = ("id", "code", "part", "group", "kind", "position", "takes_target")
_ITEM_FIELDS = ("id", "code", "kind", "position")


def _item_row(item: Item) -> tuple:
    section = item.section
    return (
        tuple(getattr(item, f) for f in _ITEM_FIELDS),
        _keep(item.data),
        tuple(getattr(section, f) for f in _SECTION_FIELDS),
        _keep(section.title),
    )


class VersionItems(Mapping):
    """{code: Item, with its section} of one version, in position order, each item built from the
    process's rows when first asked for: a request that needs one item or only the codes (an
    autosave, scoring) does not unpickle the 200 items' texts."""

    def __init__(self, version: FrameworkVersion, rows: tuple[tuple, ...]):
        self._version_pk = version.pk
        self._rows = {row[0][1]: row for row in rows}  # code -> row (_ITEM_FIELDS: id, code, ...)
        self._built: dict[str, Item] = {}
        self._sections: dict[int, Section] = {}

    def __getitem__(self, code: str) -> Item:
        item = self._built.get(code)
        if item is None:
            item = self._built[code] = self._build(*self._rows[code])
        return item

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def codes_by_id(self) -> dict[int, str]:
        """{item id: code}, without building any item."""
        return {row[0][0]: code for code, row in self._rows.items()}

    def _build(self, item_fields, data, section_fields, section_title) -> Item:
        section = self._sections.get(section_fields[0])
        if section is None:
            section = self._sections[section_fields[0]] = _instance(
                Section,
                framework_version_id=self._version_pk,
                title=_thaw(section_title),
                **dict(zip(_SECTION_FIELDS, section_fields, strict=True)),
            )
        fields = dict(zip(_ITEM_FIELDS, item_fields, strict=True))
        item = _instance(Item, framework_version_id=self._version_pk, section_id=section.pk, data=_thaw(data), **fields)
        item.section = section
        return item


def version_items(version: FrameworkVersion) -> VersionItems:
    """The items of a version reached through an assessment: read once per process, kept once per
    version instance (a request's steps share its items, as they share the version; another request
    has its own instance)."""
    kept = version.__dict__.get("_version_items")
    if kept is not None:
        return kept
    key = (version.pk, version.checksum)
    rows = _items.get(key)
    if rows is None:
        query = Item.objects.filter(framework_version_id=version.pk).select_related("section").order_by("position")
        rows = _items[key] = tuple(_item_row(item) for item in query)
    version._version_items = VersionItems(version, rows)
    return version._version_items
