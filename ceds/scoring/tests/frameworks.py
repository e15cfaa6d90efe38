"""Small hand-made framework definitions for engine tests (plain data, as the engine reads)."""

LEVELS = [
    {"level": 1, "min": 0},
    {"level": 2, "min": 20},
    {"level": 3, "min": 40},
    {"level": 4, "min": 60},
    {"level": 5, "min": 80},
]
SCORING = {
    "level_scores": {1: 0, 2: 25, 3: 50, 4: 75, 5: 100},
    "service_status_factors": {"absent": 0, "planned": 0, "developing": 0.25, "operating": 1},
    "dont_know": "lowest",
}


def level_item(item_id, weight=1.0, show_if=None):
    item = {"id": item_id, "kind": "level", "weight": weight}
    if show_if:
        item["show_if"] = show_if
    return item


def service_item(item_id, weight=1.0):
    return {"id": item_id, "kind": "service", "weight": weight}


def two_part_framework():
    """Part A: two groups of level items; Part B: one service domain. Weights deliberately uneven."""
    return {
        "levels": LEVELS,
        "scoring": SCORING,
        "parts": [
            {
                "id": "A",
                "weight": 1,
                "groups": [
                    {
                        "id": "internal",
                        "weight": 1,
                        "sections": [
                            {
                                "id": "GM",
                                "weight": 1,
                                "items": [level_item("GM-01", 2), level_item("GM-02"), level_item("GM-03")],
                            },
                            {
                                "id": "PI",
                                "weight": 1,
                                "items": [level_item("PI-01"), level_item("PI-02"), {"id": "PI-03", "kind": "text"}],
                            },
                        ],
                    },
                    {
                        "id": "external",
                        "weight": 1,
                        "sections": [
                            {
                                "id": "NW",
                                "weight": 1,
                                "target": True,
                                "items": [level_item("NW-01"), level_item("NW-02")],
                            },
                        ],
                    },
                ],
            },
            {
                "id": "B",
                "weight": 1,
                "groups": [
                    {
                        "id": "domains",
                        "weight": 1,
                        "sections": [
                            {
                                "id": "ADM",
                                "kind": "domain",
                                "weight": 1,
                                "items": [
                                    service_item("ADM-001"),
                                    service_item("ADM-002"),
                                    service_item("ADM-003"),
                                    service_item("ADM-004"),
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
    }


def points_framework():
    """A website-evaluation-like framework: scale, binary and number items weighted by points."""
    return {
        "levels": LEVELS,
        "scoring": SCORING,
        "parts": [
            {
                "id": "W",
                "weight": 1,
                "groups": [
                    {
                        "id": "categories",
                        "weight": 1,
                        "sections": [
                            {
                                "id": "PRIV",
                                "weight": 1,
                                "items": [
                                    {"id": "PRIV-01", "kind": "scale", "points": {"min": 0, "max": 3}, "weight": 3},
                                    {"id": "PRIV-02", "kind": "binary", "points": 1, "weight": 1},
                                ],
                            },
                            {
                                "id": "USAB",
                                "weight": 1,
                                "items": [
                                    {
                                        "id": "USAB-01",
                                        "kind": "number",
                                        "weight": 4,
                                        "thresholds": [
                                            {"min": 0, "points": 0},
                                            {"min": 25, "points": 2},
                                            {"min": 75, "points": 4},
                                        ],
                                    },
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }


def services_definition(n=4):
    definition = two_part_framework()
    domain = definition["parts"][1]["groups"][0]["sections"][0]
    domain["items"] = [{"id": f"ADM-00{i}", "kind": "service", "weight": 1.0} for i in range(1, n + 1)]
    return definition
