"""Reading and checking everything under content/ (no database involved).

read_content() returns the parsed frameworks, modules and practices together with every
problem found, each naming its file, the path inside the file and the reason, so an author
can fix them all in one pass.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ceds.content.audit import check as check_audit_content
from ceds.content.problems import Problem
from ceds.content.schema import LANGUAGES, Framework, Module, Practice, SectionFile

MIN_ANCHOR_WORDS = 8
NEAR_DUPLICATE = 0.8  # Jaccard similarity of two anchors' word sets
MAX_MODULE_ITEMS = 15
# Every module must be a full deployment guide (guide_problems).
REQUIRE_GUIDES = True
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class LoadedFramework:
    framework: Framework
    directory: Path
    crosswalk: dict | None = None


@dataclass
class Bundle:
    root: Path
    frameworks: list[LoadedFramework] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) -> file

    def framework(self, framework_id: str, version: int | None = None) -> Framework | None:
        matches = [lf.framework for lf in self.frameworks if lf.framework.id == framework_id]
        if version is not None:
            matches = [f for f in matches if f.version == version]
        return max(matches, key=lambda f: f.version) if matches else None


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _loc(loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _read_yaml(path: Path, bundle: Bundle):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        bundle.problems.append(Problem(_rel(bundle.root, path), "(file)", f"cannot read YAML: {exc}"))
        return None


def _validate(model: type[BaseModel], data, file: str, bundle: Bundle, prefix: str = ""):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            path = _loc(error["loc"])
            bundle.problems.append(Problem(file, f"{prefix}{path}" if prefix else path, error["msg"]))
        return None


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def jaccard(a: str, b: str) -> float:
    sa, sb = set(words(a)), set(words(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def read_content(root: Path) -> Bundle:
    bundle = Bundle(root=root)
    for directory in sorted((root / "frameworks").glob("*/*")):
        if (directory / "framework.yaml").is_file():
            _read_framework(directory, bundle)
    for path in sorted((root / "modules").glob("*.yaml")):
        data = _read_yaml(path, bundle)
        for index, entry in enumerate(data or []):
            module = _validate(Module, entry, _rel(root, path), bundle, prefix=f"[{index}]")
            if module:
                bundle.files[("module", module.id)] = _rel(root, path)
                bundle.modules.append(module)
    for path in sorted((root / "practices").glob("*.yaml")):
        data = _read_yaml(path, bundle)
        for index, entry in enumerate(data or []):
            practice = _validate(Practice, entry, _rel(root, path), bundle, prefix=f"[{index}]")
            if practice:
                bundle.files[("practice", practice.id)] = _rel(root, path)
                bundle.practices.append(practice)
    _check_modules(bundle)
    _check_practices(bundle)
    check_audit_content(bundle)
    return bundle


def _mappings(value) -> list[tuple[int, dict]]:
    """(index, entry) for the mappings in a list; anything else is left for validation to report."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _read_framework(directory: Path, bundle: Bundle) -> None:
    root = bundle.root
    main = directory / "framework.yaml"
    raw = _read_yaml(main, bundle)
    if not isinstance(raw, dict):
        if raw is not None:
            bundle.problems.append(Problem(_rel(root, main), "(top)", "must be a mapping"))
        return
    before = len(bundle.problems)
    item_files: dict[str, str] = {}
    for p_index, part in _mappings(raw.get("parts")):
        for g_index, group in _mappings(part.get("groups")):
            for s_index, section in _mappings(group.get("sections")):
                where = f"parts[{p_index}].groups[{g_index}].sections[{s_index}]"
                item_files.update(_read_section(directory, section, where, bundle))
    framework = _validate(Framework, raw, _rel(root, main), bundle)
    if framework is None or len(bundle.problems) > before:
        return
    if directory.name != str(framework.version) or directory.parent.name != framework.id:
        bundle.problems.append(
            Problem(
                _rel(root, main),
                "id",
                f"lives in {directory.parent.name}/{directory.name} but declares {framework.id}/{framework.version}",
            )
        )
    _check_framework(framework, item_files, _rel(root, main), bundle)
    crosswalk = None
    crosswalk_path = directory / "crosswalk.yaml"
    if crosswalk_path.is_file():
        crosswalk = _check_crosswalk(framework, crosswalk_path, bundle)
    bundle.frameworks.append(LoadedFramework(framework, directory, crosswalk))


def _read_section(directory: Path, section: dict, where: str, bundle: Bundle) -> dict[str, str]:
    """Read a section's file into its entry of framework.yaml; {item id: file} of its items."""
    root, main = bundle.root, directory / "framework.yaml"
    section_id = section.get("id")
    path = directory / "sections" / f"{section_id}.yaml"
    if not path.is_file():
        bundle.problems.append(Problem(_rel(root, main), where, f"section file sections/{section_id}.yaml is missing"))
        return {}
    section_raw = _read_yaml(path, bundle)
    parsed = _validate(SectionFile, section_raw, _rel(root, path), bundle)
    if parsed is None:
        return {}
    if parsed.id != section_id:
        bundle.problems.append(
            Problem(_rel(root, path), "id", f"is {parsed.id!r} but framework.yaml lists {section_id!r}")
        )
    section["items"] = section_raw["items"]
    return {item.id: _rel(root, path) for item in parsed.items}


def _check_framework(framework: Framework, item_files: dict[str, str], main_file: str, bundle: Bundle) -> None:
    seen: dict[str, str] = {}
    section_ids = Counter(section.id for _p, _g, section in framework.sections())
    for section_id, count in section_ids.items():
        if count > 1:
            bundle.problems.append(Problem(main_file, f"sections.{section_id}", "section id used more than once"))
    order = {}
    for position, (section, item) in enumerate(framework.items()):
        file = item_files.get(item.id, main_file)
        index = section.items.index(item)
        path = f"items[{index}] ({item.id})"
        if item.id in seen:
            bundle.problems.append(Problem(file, path, f"id {item.id} is also used in {seen[item.id]}"))
        seen[item.id] = file
        order[item.id] = position
        if not item.id.startswith(f"{section.id}-"):
            bundle.problems.append(Problem(file, path, f"id should start with the section id {section.id}-"))
        if item.anchors:
            bundle.problems.extend(Problem(file, where, message) for where, message in _anchor_problems(item, path))
    for item_id, message in framework.service_problems():
        section = next(s for s, i in framework.items() if i.id == item_id)
        index = [i.id for i in section.items].index(item_id)
        bundle.problems.append(Problem(item_files.get(item_id, main_file), f"items[{index}] ({item_id})", message))
    _check_show_if(framework, item_files, main_file, order, bundle)


def _anchor_problems(item, path: str) -> list[tuple[str, str]]:
    """(where, message) for a level item's anchors: too short to check, or near-duplicates of each other."""
    problems = []
    for level, text in item.anchors.items():
        count = len(words(text["en"]))
        if count < MIN_ANCHOR_WORDS:
            problems.append(
                (
                    f"{path}.anchors[{level}]",
                    f"anchor has {count} words; write at least {MIN_ANCHOR_WORDS} that can be checked",
                )
            )
    levels = sorted(item.anchors)
    for i, a in enumerate(levels):
        for b in levels[i + 1 :]:
            similarity = jaccard(item.anchors[a]["en"], item.anchors[b]["en"])
            if similarity >= NEAR_DUPLICATE:
                problems.append(
                    (f"{path}.anchors", f"anchors {a} and {b} are near-duplicates ({similarity:.0%} of words shared)")
                )
    return problems


def _check_show_if(
    framework: Framework, item_files: dict[str, str], main_file: str, order: dict[str, int], bundle: Bundle
) -> None:
    """A condition refers to an item of the framework that comes before it."""
    for section, item in framework.items():
        if item.show_if:
            file = item_files.get(item.id, main_file)
            path = f"items[{section.items.index(item)}] ({item.id}).show_if"
            if item.show_if.item not in order:
                bundle.problems.append(Problem(file, path, f"refers to {item.show_if.item}, which does not exist"))
            elif order[item.show_if.item] >= order[item.id]:
                bundle.problems.append(Problem(file, path, f"refers to {item.show_if.item}, which comes later"))


def _check_crosswalk(framework: Framework, path: Path, bundle: Bundle) -> dict | None:
    file = _rel(bundle.root, path)
    data = _read_yaml(path, bundle)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("items"), dict)
        or not isinstance(data.get("from_version"), int)
    ):
        bundle.problems.append(Problem(file, "(top)", "needs from_version: N and items: {old id: new id | dropped}"))
        return None
    new_ids = {item.id for _s, item in framework.items()}
    for old, new in data["items"].items():
        if new != "dropped" and new not in new_ids:
            bundle.problems.append(
                Problem(file, f"items.{old}", f"maps to {new}, which is not in version {framework.version}")
            )
    linked = data.get("linked", [])
    if not isinstance(linked, list):
        bundle.problems.append(Problem(file, "linked", "needs a list of pairs: [[A, B], ...]"))
        linked = []
    for index, pair in enumerate(linked):
        if not isinstance(pair, list) or len(pair) != 2 or pair[0] == pair[1]:
            bundle.problems.append(Problem(file, f"linked[{index}]", "needs two different item ids: [A, B]"))
            continue
        for item_id in pair:
            if item_id not in new_ids:
                bundle.problems.append(
                    Problem(file, f"linked[{index}]", f"{item_id} is not in version {framework.version}")
                )
    return data


def guide_problems(module: Module) -> list[str]:
    """What a module lacks to be a deployment guide a city can follow without outside help."""
    problems = []
    for name in ("duration_months", "cost", "terms_of_reference", "sources", "resident_facing"):
        if getattr(module, name) is None:
            problems.append(f"{name} is missing")
    if module.effort is not None or module.source is not None:
        problems.append("effort and source are the version-1 shape: use cost, duration_months and sources")
    if module.cheaper_route is None and module.no_cheaper_route is None:
        problems.append("give a cheaper_route, or no_cheaper_route with the reason there is none")
    if module.resident_facing and module.low_bandwidth is None:
        problems.append("a resident-facing module needs a low_bandwidth variant (SMS, USSD, assisted service points)")
    for index, step in enumerate(module.steps, start=1):
        for name in ("weeks", "roles", "done_when"):
            if getattr(step, name) is None:
                problems.append(f"step {index}: {name} is missing")
    if not 3 <= len(module.kpis) <= 5 or not all(isinstance(k, BaseModel) for k in module.kpis):
        problems.append("give 3 to 5 KPIs, each with name, definition, source, baseline and target")
    if len(module.risks) < 3 or not all(isinstance(r, BaseModel) for r in module.risks):
        problems.append("give 3 or more risks, each with its mitigation")
    if module.sources is not None and not module.sources:
        problems.append("sources: cite at least one (CeDS editorial where no public source is at hand)")
    return problems


def _check_modules(bundle: Bundle) -> None:
    items_by_id = {item.id: item for lf in bundle.frameworks for _section, item in lf.framework.items()}
    ids = Counter(m.id for m in bundle.modules)
    for module in bundle.modules:
        file = bundle.files[("module", module.id)]
        bundle.problems.extend(
            Problem(file, where, message) for where, message in _module_problems(module, ids, items_by_id)
        )
    cycle = find_cycle({m.id: m.prerequisites for m in bundle.modules})
    if cycle:
        module = next(m for m in bundle.modules if m.id == cycle[0])
        bundle.problems.append(
            Problem(
                bundle.files[("module", module.id)],
                f"{cycle[0]}.prerequisites",
                "prerequisite cycle: " + " -> ".join(cycle),
            )
        )
    _check_coverage(bundle)


def _module_problems(module: Module, ids: Counter, items_by_id: dict) -> list[tuple[str, str]]:
    """(where, message) for one module: its id, the items it raises, its guide, its prerequisites."""
    problems = []
    if ids[module.id] > 1:
        problems.append((module.id, "module id used more than once"))
    if len(module.raises) > MAX_MODULE_ITEMS:
        problems.append(
            (f"{module.id}.raises", f"covers {len(module.raises)} items; split it (at most {MAX_MODULE_ITEMS})")
        )
    for item_id in module.raises:
        if item_id not in items_by_id:
            problems.append((f"{module.id}.raises.{item_id}", "no such item"))
        elif items_by_id[item_id].kind == "text":
            problems.append((f"{module.id}.raises.{item_id}", "is a text item, which has no level"))
    if REQUIRE_GUIDES:
        problems.extend((module.id, problem) for problem in guide_problems(module))
    problems.extend(
        (f"{module.id}.prerequisites", f"{prerequisite} is not a module")
        for prerequisite in module.prerequisites
        if prerequisite not in ids
    )
    return problems


def _check_coverage(bundle: Bundle) -> None:
    """Coverage declared by each framework (the CeDS diagnostic: every Part A question and
    every Part B domain has at least one module)."""
    covered = {item_id for m in bundle.modules for item_id in m.raises}
    for lf in bundle.frameworks:
        coverage = lf.framework.module_coverage
        if not coverage:
            continue
        main = _rel(bundle.root, lf.directory / "framework.yaml")
        for part in lf.framework.parts:
            sections = [s for g in part.groups for s in g.sections]
            where = f"module_coverage.{part.id}"
            if part.id in coverage.every_item_in:
                bundle.problems.extend(
                    Problem(main, where, f"no module raises {item.id}")
                    for section in sections
                    for item in section.items
                    if item.kind != "text" and item.id not in covered
                )
            if part.id in coverage.every_section_in:
                bundle.problems.extend(
                    Problem(main, where, f"no module covers section {section.id}")
                    for section in sections
                    if not any(item.id in covered for item in section.items)
                )


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle in a prerequisite graph as a list of ids (first repeated at the end), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt in graph and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def _check_practices(bundle: Bundle) -> None:
    section_ids = {s.id for lf in bundle.frameworks for _p, _g, s in lf.framework.sections()}
    ids = Counter(p.id for p in bundle.practices)
    for practice in bundle.practices:
        file = bundle.files[("practice", practice.id)]
        if ids[practice.id] > 1:
            bundle.problems.append(Problem(file, practice.id, "practice id used more than once"))
        for section in practice.sections:
            if section not in section_ids:
                bundle.problems.append(
                    Problem(file, f"{practice.id}.sections", f"{section} is not a dimension or domain")
                )


# -- reporting ----------------------------------------------------------------------


def _texts(value):
    """Every translatable text (a dict with an 'en' key) inside a dumped model."""
    if isinstance(value, dict):
        if "en" in value and all(isinstance(v, str) for v in value.values()):
            yield value
        else:
            for v in value.values():
                yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def language_completeness(models) -> dict[str, float]:
    """Share (0–100) of translatable texts that exist in each language."""
    texts = [t for m in models for t in _texts(m.model_dump(mode="json", by_alias=True))]
    if not texts:
        return {}
    return {lang: sum(1 for t in texts if t.get(lang)) / len(texts) * 100 for lang in LANGUAGES}


def summary(bundle: Bundle) -> list[str]:
    lines = []
    for lf in bundle.frameworks:
        fw = lf.framework
        lines.append(f"framework {fw.id} v{fw.version}: {fw.title['en']}")
        for part in fw.parts:
            for group in part.groups:
                for section in group.sections:
                    kinds = Counter(item.kind for item in section.items)
                    described = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                    lines.append(f"  {part.id}/{group.id}/{section.id} {section.title['en']}: {described}")
        totals = defaultdict(int)
        for part in fw.parts:
            for _s, item in ((s, i) for g in part.groups for s in g.sections for i in s.items):
                totals[(part.id, item.kind)] += 1
        for (part_id, kind), n in sorted(totals.items()):
            lines.append(f"  part {part_id}: {n} {kind} items")
        public = sum(
            1 for _s, item in fw.items() if item.kind != "text" and not item.source.strip().lower().startswith("ceds")
        )
        scored = sum(1 for _s, item in fw.items() if item.kind != "text")
        lines.append(f"  items citing a public framework: {public} of {scored}")
        completeness = language_completeness([fw])
        lines.append("  languages: " + ", ".join(f"{lang} {pct:.0f}%" for lang, pct in completeness.items()))
    lines.append(f"modules: {len(bundle.modules)}")
    if bundle.modules:
        lines.append(
            "  languages: " + ", ".join(f"{k} {v:.0f}%" for k, v in language_completeness(bundle.modules).items())
        )
    lines.append(f"practices: {len(bundle.practices)}")
    return lines
