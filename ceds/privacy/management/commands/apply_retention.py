from django.core.management.base import BaseCommand

from ceds.privacy import personal_data


class Command(BaseCommand):
    help = (
        "Delete evidence (of closed cycles) and audit events older than CEDS_EVIDENCE_RETENTION_DAYS "
        "and CEDS_AUDIT_RETENTION_DAYS (docs/security.md); run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")

    def handle(self, *args, dry_run, **options):
        cutoffs = personal_data.retention_cutoffs()
        counts = personal_data.apply_retention(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        for kind, count in counts.items():
            kept = f"older than {cutoffs[kind]:%Y-%m-%d}" if cutoffs[kind] else "kept for ever (period 0)"
            self.stdout.write(f"{kind}: {verb} {count} ({kept})")
