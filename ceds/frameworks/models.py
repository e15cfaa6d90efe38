"""Framework versions as loaded from content/. Rows are written only by load_content."""

from collections.abc import Iterable

from django.db import models
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


# Versions by (id, checksum), with their parsed definitions: a version used by an assessment
# never changes (the loader refuses) and an edited unused one has a new checksum, so a process
# may keep them. Read-only: the objects are shared by all requests of the process.
_versions: dict[tuple[int, str], FrameworkVersion] = {}


def framework_version(pk: int, checksum: str) -> FrameworkVersion:
    """The version with this id and checksum, definition included, read once per process.

    Pages load an assessment with its version's checksum only, rather than joining the
    version's row (and moving its ~180 kB definition) on every request.
    """
    version = _versions.get((pk, checksum))
    if version is None:
        version = FrameworkVersion.objects.get(pk=pk)
        if version.checksum == checksum:  # not changed since the caller read the checksum
            _versions[(pk, checksum)] = version
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


# A used version's items never change either: kept per process like the versions themselves.
_items: dict[tuple[int, str], dict[str, Item]] = {}


def version_items(version: FrameworkVersion) -> dict[str, Item]:
    """{code: Item, with its section} of a version reached through an assessment, read once per process.

    Read-only: the objects are shared by all requests of the process.
    """
    key = (version.pk, version.checksum)
    items = _items.get(key)
    if items is None:
        items = _items[key] = {
            item.code: item for item in Item.objects.filter(framework_version_id=version.pk).select_related("section")
        }
    return items
