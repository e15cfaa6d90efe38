"""Real accounts and drafts for the fault test (deploy/prod-check.sh), written as JSON for the client.

Production settings refuse demo accounts, so this makes ordinary ones, as an invitation would:
a coordinator for each demo city that may open assessments, with a 2027 draft carried forward from
its last cycle (complete, so it can be submitted), and secretariat analysts who validate, each with
a TOTP authenticator (CEDS_REQUIRE_MFA_FOR_STAFF is on; the client signs in with real codes).

    python deploy/check/setup.py OUT.json VALIDATIONS
"""

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PASSWORD = secrets.token_urlsafe(16)  # one per run: the accounts live only in the check's database


def main(out: Path, validations: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from ceds.accounts.models import CityRole, User
    from ceds.assessments import services
    from ceds.assessments.models import Answer, Assessment
    from ceds.cities.models import City
    from ceds.frameworks.models import FrameworkVersion

    version = FrameworkVersion.objects.filter(framework_id="ceds").order_by("-version").first()
    validators = []
    for n in (1, 2):
        user = User.objects.create_user(f"validator{n}@check.ceds.local", PASSWORD, first_name="Validator")
        user.secretariat_role = User.SecretariatRole.ANALYST
        user.save()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        validators.append({"email": user.email, "password": PASSWORD, "totp_secret": secret})
    cities = [
        c
        for c in City.objects.filter(assessments__is_demo=True).distinct().order_by("slug")
        if c.membership.may_open_assessments
    ]
    drafts = []
    for city in cities:
        user = User.objects.create_user(f"coordinator.{city.slug}@check.ceds.local", PASSWORD, first_name="Check")
        CityRole.objects.create(user=user, city=city, role="coordinator")
        if Assessment.objects.filter(city=city, framework_version=version, period="2027").exists():
            continue
        draft = services.open_assessment(user, city, version, "2027", carry_forward=True)
        if len(drafts) < validations:
            # The coordinator confirms the carried answers (each one a save in the page; here at once,
            # as the check is about the topology): the draft is then complete and can be submitted.
            Answer.objects.filter(assessment=draft).update(carried_forward=False)
        complete = not services.missing_items(draft)
        drafts.append({"email": user.email, "password": PASSWORD, "draft": draft.pk, "complete": complete})
    # The complete drafts are submitted and validated; the others take autosaves only.
    chosen = [d for d in drafts if d["complete"]][:validations]
    for d in drafts:
        d["validate"] = d in chosen
    codes = list(version.items.order_by("position").filter(kind="level").values_list("code", flat=True))
    out.write_text(json.dumps({"validators": validators, "drafts": drafts, "level_items": codes}, indent=1))
    print(f"{len(drafts)} drafts ({len(chosen)} to validate), {len(validators)} validators with TOTP")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
