"""Who is told what (docs/rules.md rule 7), rendered from jinja2 templates: HTML and plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import NamedTuple

from zelfregistratie.domain import periods
from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.deeplinks import DeepLink
from zelfregistratie.domain.entities import (
    AccessRequest,
    AdminRole,
    LocalAdmin,
    OrganizationWithAdmins,
    Outcome,
    RequestType,
)
from zelfregistratie.domain.identifiers import one_line  # header values never carry a line break
from zelfregistratie.domain.rights import Grant
from zelfregistratie.mail import environment
from zelfregistratie.mail import tags as mail_tags
from zelfregistratie.store.changes import RequestEvent

INFO_URL = "https://overheid.vlaanderen.be/gebruikersbeheer"


class MailKind(StrEnum):
    FILED_REQUESTER = "filed_requester"
    FILED_ADMIN = mail_tags.FILED_ADMIN  # what a bounce's tags say the filing's mail was
    APPROVED = "approved"
    REJECTED = "rejected"
    DECIDED_ADMIN = "decided_admin"
    CANCELLED_ADMIN = "cancelled_admin"
    ADMIN_APPOINTED = "admin_appointed"
    ADMIN_REMOVED = "admin_removed"
    ADMIN_EMAIL_CHANGED = "admin_email_changed"
    GRANT_CREATED = "grant_created"
    GRANT_REVOKED = "grant_revoked"
    GRANT_GIVEN_UP = "grant_given_up"
    WORK_RELATIONSHIP_ENDED = "work_relationship_ended"
    REMINDER_ADMIN = "reminder_admin"
    WAITING_REQUESTER = "waiting_requester"
    EXPIRED_REQUESTER = "expired_requester"
    EXPIRED_ADMIN = "expired_admin"
    EXPIRING_HOLDER = "expiring_holder"
    EXPIRING_ADMIN = "expiring_admin"
    GRANT_EXPIRED = "grant_expired"
    ADMIN_UNREACHABLE = "admin_unreachable"
    UNDELIVERED_REQUESTER = "undelivered_requester"


class Mail(NamedTuple):
    kind: MailKind
    to: str
    subject: str
    text: str
    html: str
    tags: mail_tags.Tags = ()  # SES message tags (`mail.tags`)


_templates = environment.environment()


def _subject(kind: MailKind, request: AccessRequest) -> str:
    organization = request.organization_name or request.organization
    subjects = {
        MailKind.FILED_REQUESTER: f"Uw aanvraag voor {organization} is ontvangen",
        MailKind.FILED_ADMIN: f"Nieuwe aanvraag van {request.requester_name} voor {organization}",
        MailKind.APPROVED: f"Uw aanvraag voor {organization} is goedgekeurd",
        MailKind.REJECTED: f"Uw aanvraag voor {organization} is afgekeurd",
        MailKind.DECIDED_ADMIN: f"Aanvraag van {request.requester_name} is al behandeld",
        MailKind.CANCELLED_ADMIN: f"Aanvraag van {request.requester_name} is ingetrokken",
        MailKind.REMINDER_ADMIN: f"Herinnering: aanvraag van {request.requester_name} wacht op u",
        MailKind.WAITING_REQUESTER: f"Uw aanvraag voor {organization} wacht nog op een beslissing",
        MailKind.EXPIRED_REQUESTER: f"Uw aanvraag voor {organization} is vervallen",
        MailKind.EXPIRED_ADMIN: f"Aanvraag van {request.requester_name} is vervallen",
        MailKind.UNDELIVERED_REQUESTER: f"Uw aanvraag voor {organization} heeft geen beheerder bereikt",
    }
    return one_line(subjects[kind])


def _mail(kind: MailKind, to: str, subject: str, **context: object) -> Mail:
    context |= {
        "info_url": INFO_URL,
        "subject": one_line(subject),
        "expiry_days": periods.PERIODS.request_expiry.days,
    }
    return Mail(
        kind=kind,
        to=to,
        subject=one_line(subject),
        text=_templates.get_template(f"{kind.value}.txt.j2").render(context),
        html=_templates.get_template(f"{kind.value}.html.j2").render(context),
        tags=mail_tags.tags(kind.value),
    )


def render(
    kind: MailKind,
    to: str,
    request: AccessRequest,
    base_url: str,
    admin_name: str = "",
    admin_names: Sequence[str] = (),
    admin_mails: int | None = None,
    **extra: object,
) -> Mail:
    mail = _mail(
        kind,
        to,
        _subject(kind, request),
        request=request,
        admin_name=admin_name,
        admin_names=list(admin_names),
        base_url=base_url,
        task_url=f"{base_url}/beheer/taken/{request.id}",
        **extra,
    )
    return mail._replace(tags=mail_tags.tags(kind.value, request.id, admin_mails))


ROLE_NAMES = {AdminRole.HEAD: "hoofd lokale beheerder", AdminRole.LOCAL: "lokale beheerder"}


def mails_for_audit(
    entry: AuditEntry, base_url: str, admins: Callable[[], Sequence[LocalAdmin]] = tuple
) -> list[Mail]:
    """The person concerned hears of every change to their administrator role, and of a grant given,
    revoked or ended with their work relationship; the organisation's other administrators hear of a
    grant its holder gave up (`admins` reads them, only then)."""
    if not entry.mailed:
        return []
    organization = entry.organization_name or entry.organization
    role = ROLE_NAMES.get(entry.role, "lokale beheerder") if entry.role else "lokale beheerder"
    context = {"entry": entry, "organization": organization, "role": role, "base_url": base_url}
    right = entry.right_name or entry.right or ""
    if entry.action is AuditAction.ADMIN_APPOINTED and entry.email:
        return [_mail(MailKind.ADMIN_APPOINTED, entry.email, f"U bent {role} van {organization}", **context)]
    if entry.action is AuditAction.ADMIN_REMOVED and entry.email:
        subject = f"U bent niet langer {role} van {organization}"
        return [_mail(MailKind.ADMIN_REMOVED, entry.email, subject, **context)]
    if entry.action is AuditAction.ADMIN_EMAIL_CHANGED:
        subject = f"Uw e-mailadres als {role} van {organization} is gewijzigd"
        # a security notice to the previous address only; the new one proves itself with its first mail
        recipients = dict.fromkeys(a for a in (entry.previous_email or entry.email,) if a)
        return [_mail(MailKind.ADMIN_EMAIL_CHANGED, to, subject, **context) for to in recipients]
    if entry.action is AuditAction.GRANT_CREATED and entry.email:
        subject = f"U heeft het gebruikersrecht {right} gekregen voor {organization}"
        return [_mail(MailKind.GRANT_CREATED, entry.email, subject, **context)]
    if entry.action is AuditAction.GRANT_REVOKED and entry.by_holder:
        subject = f"{entry.person_name} deed afstand van {right} voor {organization}"
        others = {(a.email or "").lower(): a for a in admins() if a.reachable and a.person != entry.person}
        return [
            _mail(MailKind.GRANT_GIVEN_UP, a.email or "", subject, admin_name=a.name, **context)
            for a in sorted(others.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        ]
    if entry.action is AuditAction.GRANT_REVOKED and entry.email:
        subject = f"Uw gebruikersrecht {right} voor {organization} werd herroepen"
        return [_mail(MailKind.GRANT_REVOKED, entry.email, subject, **context)]
    if entry.action is AuditAction.ADMIN_UNREACHABLE:
        # the organisation's other administrators whose address works, heads first
        # (docs/unreachable-administrators.md)
        subject = f"Mails aan {entry.person_name}, {role} van {organization}, komen niet aan"
        colleagues = {
            (a.email or "").lower(): a for a in admins() if a.reachable and a.person != entry.person
        }
        return [
            _mail(MailKind.ADMIN_UNREACHABLE, a.email or "", subject, admin_name=a.name, **context)
            for a in sorted(colleagues.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        ]
    if entry.action is AuditAction.GRANT_EXPIRED and entry.email:
        subject = f"Uw gebruikersrecht {right} voor {organization} is vervallen"
        return [_mail(MailKind.GRANT_EXPIRED, entry.email, subject, **context)]
    if entry.action is AuditAction.WORK_RELATIONSHIP_ENDED and entry.email:
        subject = f"Uw werkrelatie met {organization} werd beëindigd"
        return [_mail(MailKind.WORK_RELATIONSHIP_ENDED, entry.email, subject, **context)]
    return []


def mails_for(
    event: RequestEvent, request: AccessRequest, admins: Sequence[LocalAdmin], base_url: str
) -> list[Mail]:
    """Every mail one request event causes, one per recipient."""
    excluded = {request.requester}
    if event is RequestEvent.DECIDED and request.decision is not None:
        excluded.add(request.decision.by_person)
    reachable: dict[str, LocalAdmin] = {}
    for admin in admins:  # never to an address known to fail (docs/unreachable-administrators.md)
        if admin.reachable and admin.email and admin.person not in excluded:
            reachable.setdefault(admin.email.lower(), admin)
    to_admins = [(admin.email or "", admin.name) for admin in reachable.values()]
    mails: list[Mail] = []
    # The requester is told who their local administrators are (names, never addresses), heads first.
    names = [a.name for a in sorted(admins, key=lambda a: (a.role is not AdminRole.HEAD, a.name))]
    if event is RequestEvent.FILED:
        mails.append(render(MailKind.FILED_REQUESTER, request.email, request, base_url, admin_names=names))
        sent = len(to_admins)  # in each one's tags: a bounce of every one tells the requester
        mails += [
            render(MailKind.FILED_ADMIN, email, request, base_url, name, admin_mails=sent)
            for email, name in to_admins
        ]
        if not sent:  # every address failed between the filing and now
            mails.append(undelivered(request, base_url))
    elif event is RequestEvent.DECIDED and request.decision is not None:
        approved = request.decision.outcome is Outcome.APPROVED
        kind = MailKind.APPROVED if approved else MailKind.REJECTED
        mails.append(render(kind, request.email, request, base_url, admin_names=names))
        mails += [render(MailKind.DECIDED_ADMIN, email, request, base_url, name) for email, name in to_admins]
    elif event is RequestEvent.CANCELLED:
        mails += [
            render(MailKind.CANCELLED_ADMIN, email, request, base_url, name) for email, name in to_admins
        ]
    elif event in (RequestEvent.REMINDED, RequestEvent.REMINDED_AGAIN):
        again = event is RequestEvent.REMINDED_AGAIN
        mails += [
            render(MailKind.REMINDER_ADMIN, email, request, base_url, name, second=again)
            for email, name in to_admins
        ]
        if again:
            reminded = bool(to_admins)  # told only if one of them was reminded just now
            waiting = MailKind.WAITING_REQUESTER
            mails.append(
                render(waiting, request.email, request, base_url, admin_names=names, reminded=reminded)
            )
    elif event is RequestEvent.EXPIRED:
        can_refile = any(admin.reachable and admin.email for admin in admins)  # it can receive requests
        expired = MailKind.EXPIRED_REQUESTER
        mails.append(
            render(expired, request.email, request, base_url, admin_names=names, can_refile=can_refile)
        )
        mails += [render(MailKind.EXPIRED_ADMIN, email, request, base_url, name) for email, name in to_admins]
    return mails


def undelivered(request: AccessRequest, base_url: str) -> Mail:
    """None of the filing's administrator mails reached a working address
    (docs/unreachable-administrators.md): the requester hears so, with the way to a working local
    administrator; the request stays open."""
    return render(MailKind.UNDELIVERED_REQUESTER, request.email, request, base_url)


def mails_for_warning(grant: Grant, found: OrganizationWithAdmins, base_url: str) -> list[Mail]:
    """A grant's coming end (docs/lifecycle.md): its holder, with the deep link that renews it, and the
    organisation's reachable administrators."""
    if found.organization is None:  # the organisation is gone: nobody to renew with
        return []
    organization = grant.organization_name or grant.organization
    right = grant.right_name or grant.right
    link = DeepLink(
        type=RequestType.USER_RIGHT,
        target_group=found.organization.target_group,
        right=grant.right,
        context=grant.context,
        organization=grant.organization,
    )
    context = {"grant": grant, "organization": organization, "right": right, "base_url": base_url}
    mails = []
    if grant.email:
        subject = f"Uw gebruikersrecht {right} voor {organization} vervalt op {grant.end:%d/%m/%Y}"
        mails.append(
            _mail(MailKind.EXPIRING_HOLDER, grant.email, subject, renew_url=link.url(base_url), **context)
        )
    reachable = {(a.email or "").lower(): a for a in found.admins if a.reachable and a.person != grant.person}
    subject = f"Gebruikersrecht {right} van {grant.person_name} vervalt op {grant.end:%d/%m/%Y}"
    mails += [
        _mail(MailKind.EXPIRING_ADMIN, a.email or "", subject, admin_name=a.name, **context)
        for a in sorted(reachable.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
    ]
    return mails
