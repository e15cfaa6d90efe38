"""What the workflow announces to the apps above it (which assessments must not import)."""

from django.dispatch import Signal

# Sent by validate() inside its transaction once the score snapshot is stored, with `assessment`
# and `issue_now` (False leaves the report to its first view): reports issues the official report
# on it (ceds/reports/apps.py).
validated = Signal()

# Sent by reopen() inside its transaction once the correction is recorded, with `assessment` and
# `correction`: reports keeps the issued report as an earlier issue (ceds/reports/apps.py).
reopened = Signal()
