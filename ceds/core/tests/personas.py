"""The personas every permission matrix states a status for, in its columns' order."""

PERSONAS = [
    "a_coordinator",
    "a_contributor",
    "a_viewer",
    "b_coordinator",
    "b_contributor",
    "b_viewer",
    "regional",
    "secretariat",
    "analyst",
    "outsider",
    "anonymous",
]
