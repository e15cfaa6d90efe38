"""What the workflow announces to the apps above it (which assessments must not import)."""

from django.dispatch import Signal

# Sent by validate() inside its transaction once the score snapshot is stored, with
# `assessment`: reports issues the official report on it (ceds/reports/apps.py).
validated = Signal()
