"""The scoring engine: a framework definition and answers in, scores that explain themselves out.

Pure Python on plain data (the validated framework definition as a dict, answers as
dicts); no Django, no database, so it is tested in isolation and runs the same in a page,
a management command or a benchmark.

Every figure (item, section, group, part, overall) has a score 0–100 or None ("no
score": nothing applicable was answered), a maturity level, its completeness
(answered / applicable) and the contributions that produced it. A figure's score is
exactly the sum of its contributions' shares, so the UI can answer "why is this 63?".

Answer shapes, by item kind (any answer may instead be {"na": True}; level items also
take {"dont_know": True}):
  level   {"value": 1..5}
  service {"status": "absent|planned|developing|operating", "level": 1..5,
           "utilization": 0..100, "systems": "..."}
           (the level is read on the service's kind's scale; a kind may bring its own
           level_scores, e.g. an information service earns some points for being published)
  scale   {"value": int}        binary {"value": bool}
  number  {"value": float}      text   {"value": str}   (never scored)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SERVICE_STATUSES = ("absent", "planned", "developing", "operating")

# Item states, as shown in explanations.
ANSWERED = "answered"
NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
UNANSWERED = "unanswered"
HIDDEN = "hidden"  # show_if not met: the item does not apply


@dataclass(slots=True)
class Contribution:
    """One child's part in a figure: its score times its share of the weight."""

    key: str
    score: float
    weight: float
    share: float  # weight / sum of weights of the children that have a score

    @property
    def points(self) -> float:
        return self.score * self.share

    def to_dict(self) -> dict:
        return {"key": self.key, "score": self.score, "weight": self.weight, "share": self.share, "points": self.points}


@dataclass(slots=True)
class Figure:
    key: str
    score: float | None
    level: int | None
    answered: int
    applicable: int
    contributions: Sequence[Contribution] = ()
    notes: Sequence[str] = ()
    state: str = ""  # items only
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.answered >= self.applicable

    @property
    def completeness(self) -> float | None:
        return None if self.applicable == 0 else self.answered / self.applicable * 100

    def to_dict(self) -> dict:
        data: dict[str, Any] = {
            "key": self.key,
            "score": self.score,
            "level": self.level,
            "answered": self.answered,
            "applicable": self.applicable,
            "complete": self.complete,
            "contributions": [c.to_dict() for c in self.contributions],
            "notes": list(self.notes),
        }
        if self.state:
            data["state"] = self.state
        if self.extra:
            data["extra"] = dict(self.extra)
        return data


@dataclass(slots=True)
class Result:
    figures: dict[str, Figure]

    @property
    def overall(self) -> Figure:
        return self.figures["overall"]

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    def to_dict(self) -> dict:
        return {key: figure.to_dict() for key, figure in self.figures.items()}


def item_key(item_id: str) -> str:
    return f"item:{item_id}"


def section_key(section_id: str) -> str:
    return f"section:{section_id}"


def group_key(part_id: str, group_id: str) -> str:
    return f"group:{part_id}/{group_id}"


def part_key(part_id: str) -> str:
    return f"part:{part_id}"


class DefinitionError(ValueError):
    """A definition the engine cannot score, e.g. a figure without its weight."""


def _weight(node: dict, what: str) -> float:
    """A declared weight; the loader fills every one in (Framework.engine_definition), so a
    missing weight is a definition that did not come through it, refused rather than guessed."""
    weight = node.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise DefinitionError(f"{what} has no positive weight (got {weight!r})")
    return float(weight)


class Engine:
    """A framework compiled once; score() is then called for many answer sets."""

    def __init__(self, definition: dict):
        self.definition = definition
        scoring = definition.get("scoring", {})
        self.level_scores = {int(k): float(v) for k, v in scoring.get("level_scores", {}).items()} or {
            1: 0.0,
            2: 25.0,
            3: 50.0,
            4: 75.0,
            5: 100.0,
        }
        self.status_factors = {
            "absent": 0.0,
            "planned": 0.0,
            "developing": 0.25,
            "operating": 1.0,
            **{k: float(v) for k, v in scoring.get("service_status_factors", {}).items()},
        }
        self.dont_know = scoring.get("dont_know", "lowest")
        self.lowest_score = self.level_scores[min(self.level_scores)]
        # Levels from the highest threshold down, for score -> level.
        self.thresholds = sorted(((float(lv["min"]), int(lv["level"])) for lv in definition["levels"]), reverse=True)
        self.parts = definition["parts"]
        self.items: dict[str, dict] = {}
        # Service kinds with their own level scores (framework version 2 on): item id -> scores.
        kind_scores = {
            name: {int(k): float(v) for k, v in kind["level_scores"].items()}
            for name, kind in (definition.get("service_kinds") or {}).items()
            if kind.get("level_scores")
        }
        self.service_level_scores: dict[str, dict[int, float]] = {}
        # Per section, the scored items with their key and weight worked out once: a page or a
        # benchmark scores thousands of answer sets with the same framework.
        self.compiled: dict[str, list[tuple[dict, str, float, str, bool]]] = {}
        # The weights of parts, groups and sections, checked once: (kind, id) -> weight.
        self.weights: dict[tuple[str, str], float] = {}
        for part in self.parts:
            self.weights[("part", part["id"])] = _weight(part, f"part {part['id']}")
            for group in part["groups"]:
                self.weights[("group", part["id"] + "/" + group["id"])] = _weight(group, f"group {group['id']}")
                for section in group["sections"]:
                    self.weights[("section", section["id"])] = _weight(section, f"section {section['id']}")
                    compiled = []
                    for item in section.get("items", []):
                        self.items[item["id"]] = item
                        if item["kind"] == "service" and item.get("service_kind") in kind_scores:
                            self.service_level_scores[item["id"]] = kind_scores[item["service_kind"]]
                        if item["kind"] != "text":
                            # (item, key, weight, kind, has no condition)
                            compiled.append(
                                (
                                    item,
                                    item_key(item["id"]),
                                    _weight(item, f"item {item['id']}"),
                                    item["kind"],
                                    not item.get("show_if"),
                                )
                            )
                    self.compiled[section["id"]] = compiled
        self._levels: dict[float, int | None] = {}
        self._level_notes = {level: f"level {level}" for level in self.level_scores}
        self._service_notes = {
            (status, level): f"{status} at level {level} (x{factor:g})"
            for status, factor in self.status_factors.items()
            for level in self.level_scores
        }
        # A level question's answer, worked out once for score(): (score, level, note).
        self._level_answers = {
            value: (score, self.level_for(score), self._level_notes[value])
            for value, score in self.level_scores.items()
        }

    # -- score -> level ------------------------------------------------------------

    def level_for(self, score: float | None) -> int | None:
        if score is None:
            return None
        cached = self._levels.get(score)
        if cached is not None:
            return cached
        found = self.thresholds[-1][1]
        for minimum, level in self.thresholds:
            if score >= minimum - 1e-9:
                found = level
                break
        if len(self._levels) < 4096:  # item scores repeat; aggregate scores rarely do
            self._levels[score] = found
        return found

    # -- items ---------------------------------------------------------------------

    def _visible(self, item: dict, answers: dict) -> bool:
        condition = item.get("show_if")
        if not condition:
            return True
        other = answers.get(condition["item"])
        if not other or other.get("na"):
            return False
        value = other.get("value", other.get("status"))
        return value in condition["in"]

    def score_item(self, item: dict, answer: dict | None, answers: dict, key: str = "") -> Figure:
        key = key or item_key(item["id"])
        if item.get("show_if") and not self._visible(item, answers):
            return Figure(key, None, None, 0, 0, state=HIDDEN, notes=["not shown: condition not met"])
        if not answer:
            return Figure(key, None, None, 0, 1, state=UNANSWERED, notes=["not answered"])
        if answer.get("na"):
            return Figure(key, None, None, 0, 0, state=NOT_APPLICABLE, notes=["not applicable: leaves the denominator"])
        kind = item["kind"]
        if answer.get("dont_know"):
            if self.dont_know == "exclude":
                return Figure(key, None, None, 1, 1, state=DONT_KNOW, notes=["don't know: left out of the score"])
            score = self.lowest_score
            return Figure(
                key,
                score,
                self.level_for(score),
                1,
                1,
                state=DONT_KNOW,
                notes=["don't know: counted as the lowest level"],
            )
        raw, note, extra = self._raw_score(kind, item, answer)
        if raw is None:
            return Figure(key, None, None, 0, 1, state=UNANSWERED, notes=[note])
        return Figure(key, raw, self.level_for(raw), 1, 1, state=ANSWERED, notes=[note], extra=extra)

    def _raw_score(self, kind: str, item: dict, answer: dict) -> tuple[float | None, str, dict]:
        """(score 0-100 or None when unanswered, the note saying why, extra figures) of one answer."""
        by_kind = {
            "level": self._raw_level,
            "service": self._raw_service,
            "scale": self._raw_scale,
            "binary": self._raw_binary,
            "number": self._raw_number,
        }
        if kind not in by_kind:
            raise ValueError(f"unknown item kind {kind!r}")
        return by_kind[kind](item, answer)

    def _raw_level(self, item: dict, answer: dict) -> tuple[float | None, str, dict]:
        level = answer.get("value")
        if level not in self.level_scores:
            return None, "no level chosen", {}
        return self.level_scores[level], self._level_notes[level], {}

    def _raw_service(self, item: dict, answer: dict) -> tuple[float | None, str, dict]:
        status = answer.get("status")
        if status not in self.status_factors:
            return None, "no status given", {}
        extra = {"status": status, "utilization": answer.get("utilization")}
        factor = self.status_factors[status]
        if factor == 0:
            return 0.0, f"{status}: earns nothing", extra
        level = answer.get("level")
        scores = self.service_level_scores.get(item["id"], self.level_scores)
        if level not in scores:
            return None, f"{status} but no level given", extra
        extra["level"] = level
        return scores[level] * factor, self._service_notes[(status, level)], extra

    @staticmethod
    def _raw_scale(item: dict, answer: dict) -> tuple[float | None, str, dict]:
        value, points = answer.get("value"), item["points"]
        if not isinstance(value, int) or isinstance(value, bool) or not points["min"] <= value <= points["max"]:
            return None, "no points given", {}
        return value / points["max"] * 100, f"{value} of {points['max']} points", {}

    @staticmethod
    def _raw_binary(item: dict, answer: dict) -> tuple[float | None, str, dict]:
        value = answer.get("value")
        if not isinstance(value, bool):
            return None, "not answered", {}
        return (100.0 if value else 0.0), ("present" if value else "absent"), {}

    @staticmethod
    def _raw_number(item: dict, answer: dict) -> tuple[float | None, str, dict]:
        value = answer.get("value")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None, "no number given", {}
        thresholds = item["thresholds"]
        top = max(t["points"] for t in thresholds)
        points = 0
        for step in thresholds:  # ascending by min
            if value >= step["min"]:
                points = step["points"]
        return points / top * 100, f"{value:g} gives {points} of {top} points", {}

    # -- aggregation -----------------------------------------------------------------

    def _combine(self, key: str, children: list[tuple[str, Figure, float]]) -> Figure:
        """Weighted mean of the children that have a score; the rest are noted, not zeroed."""
        # One pass over the children: this runs 16 times per assessment, thousands of times a second.
        scored, notes = [], []
        answered = applicable = 0
        total_weight = 0.0
        for k, f, w in children:
            answered += f.answered
            applicable += f.applicable
            if f.score is not None:
                scored.append((k, f.score, w))
                total_weight += w
            elif f.applicable:
                notes.append(f"{k}: no score, left out")
        if not scored:
            return Figure(key, None, None, answered, applicable, notes=notes or ["nothing applicable answered"])
        contributions = [Contribution(k, value, w, w / total_weight) for k, value, w in scored]
        score = sum([c.score * c.share for c in contributions])
        score = min(100.0, max(0.0, score))
        if answered < applicable:
            notes.append(f"provisional: {answered} of {applicable} applicable items answered")
        return Figure(key, score, self.level_for(score), answered, applicable, contributions, notes)

    def _service_stats(self, figures: list[Figure]) -> dict:
        """Part B figures of a domain. The base ("total services") is the services the domain's
        score counts: a status given, or "don't know" when the framework counts it (as the
        lowest level, neither operating nor developing); N/A and unanswered are outside both."""
        statuses = [f.extra.get("status") for f in figures if f.state == ANSWERED]
        dont_know = sum(1 for f in figures if f.state == DONT_KNOW and f.score is not None)
        total = len(statuses) + dont_know
        if not total:
            return {"total": 0, "operating_pct": None, "developing_pct": None, "utilization_pct": None}
        utilizations = [
            float(f.extra["utilization"])
            for f in figures
            if f.extra.get("status") == "operating" and f.extra.get("utilization") is not None
        ]
        return {
            "total": total,
            "operating": statuses.count("operating"),
            "developing": statuses.count("developing"),
            "dont_know": dont_know,
            "operating_pct": statuses.count("operating") / total * 100,
            "developing_pct": statuses.count("developing") / total * 100,
            "utilization_pct": sum(utilizations) / len(utilizations) if utilizations else None,
            # How many services the utilization figure is the mean of: what a mean over domains weighs.
            "utilization_n": len(utilizations),
        }

    def score(self, answers: dict[str, dict], targets: dict[str, int] | None = None) -> Result:
        targets = targets or {}
        figures: dict[str, Figure] = {}
        part_children = []
        for part in self.parts:
            group_children = []
            for group in part["groups"]:
                section_children = []
                for section in group["sections"]:
                    sfig = self._score_section(section, answers, targets, figures)
                    section_children.append((sfig.key, sfig, self.weights[("section", section["id"])]))
                gfig = self._combine(group_key(part["id"], group["id"]), section_children)
                figures[gfig.key] = gfig
                group_children.append((gfig.key, gfig, self.weights[("group", part["id"] + "/" + group["id"])]))
            pfig = self._combine(part_key(part["id"]), group_children)
            figures[pfig.key] = pfig
            part_children.append((pfig.key, pfig, self.weights[("part", part["id"])]))
        figures["overall"] = self._combine("overall", part_children)
        return Result(figures)

    def _score_section(self, section: dict, answers: dict, targets: dict[str, int], figures: dict) -> Figure:
        """The section's figure, its items' figures added to `figures` on the way."""
        item_children = []
        service_figures = []
        for item, key, weight, kind, plain in self.compiled[section["id"]]:
            answer = answers.get(item["id"])
            figure = self._plain_figure(item, key, kind, answer) if plain and answer else None
            if figure is None:
                figure = self.score_item(item, answer, answers, key)
            figures[key] = figure
            item_children.append((key, figure, weight))
            if kind == "service":
                service_figures.append(figure)
        sfig = self._combine(section_key(section["id"]), item_children)
        if service_figures:
            sfig.extra.update(self._service_stats(service_figures))
        if section.get("target") and section["id"] in targets:
            target = targets[section["id"]]
            sfig.extra["target"] = target
            if sfig.level is not None:
                sfig.extra["gap"] = max(0, target - sfig.level)
        figures[sfig.key] = sfig
        return sfig

    def _plain_figure(self, item: dict, key: str, kind: str, answer: dict) -> Figure | None:
        """The common cases, kept short (score_item gives the same figures); None for the others."""
        if kind == "level" and len(answer) == 1:
            value = answer.get("value")
            chosen = self._level_answers.get(value) if type(value) is int else None
            if chosen is not None:
                return Figure(key, chosen[0], chosen[1], 1, 1, (), (chosen[2],), ANSWERED)
        elif kind == "service" and "na" not in answer and "dont_know" not in answer:
            raw, note, extra = self._raw_service(item, answer)
            if raw is not None:
                return Figure(key, raw, self.level_for(raw), 1, 1, (), [note], ANSWERED, extra)
        return None


def score(definition: dict, answers: dict[str, dict], targets: dict[str, int] | None = None) -> Result:
    """Score one answer set. For many, build an Engine once and call its score()."""
    return Engine(definition).score(answers, targets)
