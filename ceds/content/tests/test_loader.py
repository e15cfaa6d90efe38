import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ceds.assessments.models import Assessment
from ceds.frameworks.models import FrameworkVersion, Item
from ceds.solutions.models import Module, Practice

from .helpers import FIXTURE, copy_fixture, edit_yaml


def _load(root):
    call_command("load_content", content=str(root))


def test_load_is_idempotent(db):
    _load(FIXTURE)
    _load(FIXTURE)
    version = FrameworkVersion.objects.get(framework_id="kinds")
    assert Item.objects.filter(framework_version=version).count() == 7
    assert Module.objects.get(code="e-mail").prerequisites.get().code == "strategy"
    assert Practice.objects.count() == 1
    # The stored definition carries effective weights: binary -> its points, number -> top points.
    items = {i["id"]: i for s in version.definition["parts"][0]["groups"][0]["sections"] for i in s["items"]}
    assert items["GV-03"]["weight"] == 1 and items["GV-04"]["weight"] == 2 and items["GV-02"]["weight"] == 3


def test_a_used_version_cannot_change(world, tmp_path, capsys):
    root = copy_fixture(tmp_path)
    _load(root)
    version = FrameworkVersion.objects.get(framework_id="kinds")
    Assessment.objects.create(city=world.city_a, framework_version=version, period="2026")
    edit_yaml(root / "frameworks" / "kinds" / "1" / "sections" / "GV.yaml", lambda d: d["items"][0].update(weight=3))
    with pytest.raises(CommandError, match="nothing was loaded"):
        _load(root)
    assert "is used by 1 assessment(s) and cannot change; copy it to version 2" in capsys.readouterr().err
    version.refresh_from_db()
    assert version.definition["parts"][0]["groups"][0]["sections"][0]["items"][0]["weight"] == 2


def test_an_unused_version_is_reloaded(db, tmp_path):
    root = copy_fixture(tmp_path)
    _load(root)
    edit_yaml(root / "frameworks" / "kinds" / "1" / "sections" / "GV.yaml", lambda d: d["items"][0].update(weight=3))
    _load(root)
    assert Item.objects.get(code="GV-01").data["weight"] == 3


def test_a_bad_file_loads_nothing(db, tmp_path):
    root = copy_fixture(tmp_path)
    edit_yaml(root / "modules" / "core.yaml", lambda d: d[1].update(prerequisites=["nowhere"]))
    with pytest.raises(CommandError):
        _load(root)
    assert not FrameworkVersion.objects.exists() and not Module.objects.exists()


def test_new_version_with_crosswalk(db, tmp_path):
    import shutil

    root = copy_fixture(tmp_path)
    v2 = root / "frameworks" / "kinds" / "2"
    shutil.copytree(root / "frameworks" / "kinds" / "1", v2)
    edit_yaml(v2 / "framework.yaml", lambda d: d.update(version=2))
    (v2 / "crosswalk.yaml").write_text("from_version: 1\nitems: {GV-01: GV-01, GV-02: dropped, GV-09: GV-77}\n")
    problems = [str(p) for p in __import__("ceds.content.reader", fromlist=["x"]).read_content(root).problems]
    assert any("items.GV-09: maps to GV-77, which is not in version 2" in p for p in problems)
    (v2 / "crosswalk.yaml").write_text("from_version: 1\nitems: {GV-01: GV-01, GV-02: dropped}\n")
    _load(root)
    assert FrameworkVersion.objects.get(framework_id="kinds", version=2).crosswalk["items"]["GV-02"] == "dropped"


def test_a_process_keeps_a_version_and_its_items_until_its_checksum_changes(db, tmp_path, django_assert_num_queries):
    """Pages keep versions by (id, checksum): an unused version reloaded with a change is read anew."""
    from ceds.frameworks.models import framework_version, version_items

    root = copy_fixture(tmp_path)
    _load(root)
    loaded = FrameworkVersion.objects.get(framework_id="kinds")
    version_items(framework_version(loaded.pk, loaded.checksum))
    with django_assert_num_queries(0):  # read once
        kept = framework_version(loaded.pk, loaded.checksum)
        items = version_items(kept)
    assert items["GV-01"].data["weight"] == 2 and items["GV-01"].section.code == "GV"
    # Each request reaches its own version instance, with its own items: what one request changes
    # never reaches another. Within a request the steps share them, as they share the version.
    assert version_items(kept) is items
    kept.definition.clear()
    items["GV-01"].data["weight"] = 99
    other_request = framework_version(loaded.pk, loaded.checksum)
    assert other_request.definition and version_items(other_request)["GV-01"].data["weight"] == 2
    edit_yaml(root / "frameworks" / "kinds" / "1" / "sections" / "GV.yaml", lambda d: d["items"][0].update(weight=3))
    _load(root)
    reloaded = FrameworkVersion.objects.get(pk=loaded.pk)
    assert reloaded.checksum != loaded.checksum
    fresh = framework_version(reloaded.pk, reloaded.checksum)
    assert fresh is not kept and version_items(fresh)["GV-01"].data["weight"] == 3
