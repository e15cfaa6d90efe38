"""Framework versions as loaded from content/. Rows are written only by load_content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceds.core.i18n import localized


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


# Parsed definitions by (version id, checksum): a version used by an assessment never changes,
# and an edited unused one has a new checksum, so a process may keep them. Read-only data.
_definitions: dict[tuple[int, str], dict] = {}


def attach_definition(version: FrameworkVersion) -> FrameworkVersion:
    """Give a version loaded without its definition (`defer("definition")`) the parsed one.

    Pages load assessments with their version on every request; this spares them moving and
    parsing the ~180 kB definition each time.
    """
    if "definition" in version.__dict__:
        return version
    key = (version.pk, version.checksum)
    if key not in _definitions:
        _definitions[key] = FrameworkVersion.objects.values_list("definition", flat=True).get(pk=version.pk)
    version.definition = _definitions[key]
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
