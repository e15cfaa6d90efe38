"""A module in the deployment-guide shape, for tests of the pages that show a guide.

Validated against the content schema in test_module_guide.py, so it stays a real guide.
"""


def t(text: str) -> dict:
    return {"en": text}


GUIDE = {
    "id": "guide-strategy",
    "title": t("Digital strategy, the guide"),
    "summary": t("A short strategy the council adopts, with a costed roadmap."),
    "raises": {"GV-01": 3},
    "prerequisites": [],
    "duration_months": 4,
    "cost": {
        "assumptions": t("City staff at local rates; no licences; workshops in city premises."),
        "bands": {
            "under_100k": {"one_off": [5000, 15000], "yearly": [1000, 2000], "staff": 0.5},
            "100k_500k": {"one_off": [10000, 30000], "yearly": [2000, 4000], "staff": 1},
            "500k_1m": {"one_off": [20000, 60000], "yearly": [3000, 6000], "staff": 1.5},
            "1m_5m": {"one_off": [40000, 120000], "yearly": [5000, 12000], "staff": 2},
            "over_5m": {"one_off": [80000, 250000], "yearly": [10000, 25000], "staff": 3},
        },
    },
    "cheaper_route": {
        "kind": "regional_shared",
        "text": t("Adapt the strategy template of the regional association instead of drafting from scratch."),
        "one_off": [2000, 8000],
        "yearly": [500, 1500],
        "staff": 0.5,
    },
    "resident_facing": False,
    "necessary_when": t("GV-01 is at level 1 or 2."),
    "reasonable_when": {"text": t("Every city.")},
    "steps": [
        {
            "title": t("Name the owner"),
            "weeks": 2,
            "roles": ["mayor_office", "cio_office"],
            "deliverable": t("A mayoral decision naming the owner"),
            "done_when": t("The decision is signed and published on the intranet."),
        },
        {
            "title": t("Take stock"),
            "weeks": 4,
            "roles": ["cio_office", "department"],
            "deliverable": t("An inventory of systems and services"),
            "done_when": t("Every department has confirmed its part of the inventory."),
        },
        {
            "title": t("Consult residents"),
            "weeks": 3,
            "roles": ["communications", "residents"],
            "deliverable": t("A consultation summary"),
            "done_when": t("The summary is published with the number of responses."),
        },
        {
            "title": t("Draft and cost the roadmap"),
            "weeks": 4,
            "roles": ["cio_office", "finance"],
            "deliverable": t("A costed roadmap"),
            "done_when": t("Finance has signed off each year's figure."),
        },
        {
            "title": t("Adopt"),
            "weeks": 3,
            "roles": ["council"],
            "deliverable": t("The council's resolution"),
            "done_when": t("The resolution is in the council minutes."),
        },
    ],
    "terms_of_reference": {
        "scope": t("Facilitation of the stock-take and the consultation; the city writes the strategy."),
        "requirements": [
            t("Every deliverable in an open, editable format."),
            t("All data gathered handed over in CSV."),
            t("Consultation materials meet WCAG 2.1 AA."),
            t("No personal data leaves the city's systems."),
        ],
    },
    "kpis": [
        {
            "name": t("Roadmap items started"),
            "definition": t("Items started over items planned for the year."),
            "source": t("The CIO office's portfolio register."),
            "baseline": t("0 at adoption."),
            "target": t("At least 80 % of the year's items by its end."),
        },
        {
            "name": t("Departments covered"),
            "definition": t("Departments with an entry in the inventory over all departments."),
            "source": t("The inventory."),
            "baseline": t("Counted in step 2."),
            "target": t("100 % before adoption."),
        },
        {
            "name": t("Consultation responses"),
            "definition": t("Responses per 10,000 residents."),
            "source": t("The consultation summary."),
            "baseline": t("The last comparable consultation."),
            "target": t("Above the baseline."),
        },
    ],
    "risks": [
        {"risk": t("The strategy stays on the shelf."), "mitigation": t("Tie each year's budget line to it.")},
        {"risk": t("Departments do not answer."), "mitigation": t("The mayor's office sets the deadline.")},
        {"risk": t("The consultation reaches few."), "mitigation": t("Add assisted sessions in libraries.")},
    ],
    "sources": [{"title": "CeDS editorial", "publisher": "CeDS"}],
}


def create_guide_module():
    from ceds.content.schema import Module as ModuleSchema
    from ceds.solutions.models import Module

    schema = ModuleSchema.model_validate(GUIDE)
    return Module.objects.create(
        code=GUIDE["id"],
        title=GUIDE["title"],
        cost_band=schema.cost_band(),
        duration_months=GUIDE["duration_months"],
        data=schema.model_dump(mode="json", exclude_none=True),
    )
