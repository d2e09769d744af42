"""Render every mail with sample data to files, so a designer can open them (`make preview-mails`).

    python -m tools.preview_mails [--out docs/mails] [--screenshots]

Writes `<kind>.html` and `<kind>.txt` per mail kind; with `--screenshots`, also `<kind>.png`, taken
with headless Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.entities import (
    AdminRole,
    LocalAdmin,
    Organization,
    OrganizationWithAdmins,
    Outcome,
    RequestStatus,
    RequestType,
    TargetGroup,
)
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest, Decision
from zelfregistratie.domain.rights import Grant
from zelfregistratie.mail.compose import Mail, MailKind, Site, mails_for_audit, mails_for_warning, render

BASE_URL = "https://zelfregistratie-gebruikersbeheer-ti.vlaanderen.be"
SITE = Site(BASE_URL, Periods())


def sample(kind: MailKind) -> AccessRequest:
    request = AccessRequest(
        id="0192f3a4-5b6c-7d8e-9f01-23456789abcd",
        type=RequestType.USER_RIGHT,
        requester="sample",
        requester_name="Erwin Hermans",
        target_group=TargetGroup.EA,
        organization="0418825808",
        organization_name="Duikschool Atlantis Demo",
        application_id=1203,
        application_name="Strategisch Integratieprogramma (SIP)",
        right="DWSE_ORG_MEDEWERKER",
        right_name="DWSE Organisatie medewerker",
        context="Lokale diensteneconomie",
        phone="+32492915448",
        email="erwin.hermans@example.be",
        reason="Ik beheer de dossiers <lokale diensteneconomie> voor onze vestiging in Aarschot.",
        created_at=datetime(2026, 11, 26, 9, 30, tzinfo=UTC),
    )
    if kind in (MailKind.APPROVED, MailKind.REJECTED, MailKind.DECIDED_ADMIN):
        outcome = Outcome.REJECTED if kind is MailKind.REJECTED else Outcome.APPROVED
        reason = (
            "Testen of de mailing correct werkt voor een afgekeurde aanvraag"
            if outcome is Outcome.REJECTED
            else "Welkom in het team; u kunt meteen aan de slag."
        )
        request = replace(
            request,
            status=RequestStatus(outcome.value),
            decision=Decision(
                outcome=outcome,
                by_person="admin",
                by_name="Els Wouters",
                at=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
                reason=reason,
            ),
            grant_begin=date(2026, 11, 28) if outcome is Outcome.APPROVED else None,
            grant_end=date(2028, 11, 28) if outcome is Outcome.APPROVED else None,
        )
    return request


ADMIN_ACTIONS = {
    MailKind.ADMIN_APPOINTED: AuditAction.ADMIN_APPOINTED,
    MailKind.ADMIN_REMOVED: AuditAction.ADMIN_REMOVED,
    MailKind.ADMIN_EMAIL_CHANGED: AuditAction.ADMIN_EMAIL_CHANGED,
    MailKind.ADMIN_UNREACHABLE: AuditAction.ADMIN_UNREACHABLE,
}
RIGHTS_ACTIONS = {
    MailKind.GRANT_CREATED: AuditAction.GRANT_CREATED,
    MailKind.GRANT_REVOKED: AuditAction.GRANT_REVOKED,
    MailKind.GRANT_GIVEN_UP: AuditAction.GRANT_REVOKED,
    MailKind.WORK_RELATIONSHIP_ENDED: AuditAction.WORK_RELATIONSHIP_ENDED,
    MailKind.GRANT_EXPIRED: AuditAction.GRANT_EXPIRED,
}
SAMPLE_GRANT = Grant(
    id="sample",
    person="person",
    person_name="Erwin Hermans",
    organization="0428364866",
    organization_name="Bakkerij De Zonnebloem BV",
    application_id=45,
    application_name="Dimona Mandaat",
    right="DIMONA_MANDAAT_BEHEERDER",
    right_name="Dimona mandaatbeheerder",
    begin=date(2025, 1, 6),
    end=date(2026, 12, 31),
    email="erwin.hermans@example.be",
)
SAMPLE_ADMIN = LocalAdmin(
    organization="0428364866",
    person="tom",
    name="Tom Jacobs",
    role=AdminRole.LOCAL,
    email="tom.jacobs@example.be",
)


def sample_mail(kind: MailKind) -> Mail:
    if kind in ADMIN_ACTIONS:
        entry = AuditEntry(
            id="sample",
            organization="0418825808",
            organization_name="Duikschool Atlantis Demo",
            at=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
            action=ADMIN_ACTIONS[kind],
            actor="rep",
            actor_name="Marc Dubois",
            person="admin",
            person_name="Marc Dubois",
            role=AdminRole.HEAD,
            email="marc.dubois@example.be",
            previous_email="m.dubois@oud.example.be" if kind is MailKind.ADMIN_EMAIL_CHANGED else None,
            reason="bounced" if kind is MailKind.ADMIN_UNREACHABLE else None,
        )
        return mails_for_audit(entry, SITE, lambda: [SAMPLE_ADMIN])[0]
    if kind in RIGHTS_ACTIONS:
        entry = AuditEntry(
            id="sample",
            organization="0428364866",
            organization_name="Bakkerij De Zonnebloem BV",
            at=datetime(2026, 11, 28, 10, 0, tzinfo=UTC),
            action=RIGHTS_ACTIONS[kind],
            actor="person" if kind is MailKind.GRANT_GIVEN_UP else "admin",
            actor_name="Els Wouters",
            person="person",
            person_name="Erwin Hermans",
            email="erwin.hermans@example.be",
            right="DIMONA_MANDAAT_BEHEERDER",
            right_name="Dimona mandaatbeheerder",
            end=date(2028, 11, 28),
            reason="Erwin werkt niet meer aan de aangiften.",
            rights=("Dimona mandaatbeheerder", "Dimona raadpleger")
            if kind is MailKind.WORK_RELATIONSHIP_ENDED
            else (),
            by_holder=kind is MailKind.GRANT_GIVEN_UP,
        )
        return mails_for_audit(entry, SITE, lambda: [SAMPLE_ADMIN])[0]
    if kind in (MailKind.EXPIRING_HOLDER, MailKind.EXPIRING_ADMIN):
        organization = Organization(
            code="0428364866", name="Bakkerij De Zonnebloem BV", target_group=TargetGroup.EA
        )
        found = OrganizationWithAdmins(organization=organization, admins=(SAMPLE_ADMIN,))
        [holder, admin_mail] = mails_for_warning(SAMPLE_GRANT, found, SITE)
        return holder if kind is MailKind.EXPIRING_HOLDER else admin_mail
    admin = "Tom Jacobs" if kind.value.endswith("_admin") else ""
    to = "tom.jacobs@example.be" if admin else "erwin.hermans@example.be"
    # as the usual case reads: an administrator was reminded, the organisation can receive requests
    return render(kind, to, sample(kind), SITE, admin, second=True, reminded=True, can_refile=True)


def write(out: Path, screenshots: bool) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    for kind in MailKind:
        mail = sample_mail(kind)
        html, text = out / f"{kind.value}.html", out / f"{kind.value}.txt"
        html.write_text(mail.html, encoding="utf-8")
        text.write_text(f"Onderwerp: {mail.subject}\nAan: {mail.to}\n\n{mail.text}", encoding="utf-8")
        written += [html, text]
        if screenshots:
            if chromium is None:
                raise SystemExit("--screenshots needs chromium (apt-get install -y chromium)")
            png = out / f"{kind.value}.png"
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    f"--screenshot={png}",
                    "--window-size=680,820",
                    html.resolve().as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            written.append(png)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("docs/mails"))
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args(argv)
    for path in write(args.out, args.screenshots):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
