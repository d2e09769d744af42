"""Who is told what (docs/rules.md rule 7), rendered from jinja2 templates: HTML and plain text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import NamedTuple

from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.deeplinks import DeepLink
from zelfregistratie.domain.entities import (
    AdminRole,
    LocalAdmin,
    OrganizationWithAdmins,
    Outcome,
    RequestType,
)
from zelfregistratie.domain.identifiers import one_line  # header values never carry a line break
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import AccessRequest, RequestEvent
from zelfregistratie.domain.rights import Grant
from zelfregistratie.mail import environment
from zelfregistratie.mail import tags as mail_tags

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


class Site(NamedTuple):
    """What every mail is written with: the site's address its links start with, and the periods it
    quotes (the deployment's)."""

    base_url: str
    periods: Periods


class Mail(NamedTuple):
    kind: MailKind
    to: str
    subject: str
    text: str
    html: str
    tags: mail_tags.Tags = ()  # SES message tags (`mail.tags`)


_templates = environment.environment()


def _mail(kind: MailKind, to: str, **context: object) -> Mail:
    """A mail of `kind` to `to`: its subject is the `subject` block of its text template."""
    text = _templates.get_template(f"{kind.value}.txt.j2")
    context |= {"info_url": INFO_URL}
    subject = one_line("".join(text.blocks["subject"](text.new_context(context))))
    context["subject"] = subject
    return Mail(
        kind=kind,
        to=to,
        subject=subject,
        text=text.render(context),
        html=_templates.get_template(f"{kind.value}.html.j2").render(context),
        tags=mail_tags.tags(kind.value),
    )


def render(
    kind: MailKind,
    to: str,
    request: AccessRequest,
    site: Site,
    admin_name: str = "",
    admin_names: Sequence[str] = (),
    admin_mails: int | None = None,
    **extra: object,
) -> Mail:
    mail = _mail(
        kind,
        to,
        request=request,
        organization=request.organization_name or request.organization,
        admin_name=admin_name,
        admin_names=list(admin_names),
        base_url=site.base_url,
        task_url=f"{site.base_url}/beheer/taken/{request.id}",
        expiry_days=site.periods.request_expiry.days,
        **extra,
    )
    return mail._replace(tags=mail_tags.tags(kind.value, request.id, admin_mails))


def mails_for_audit(
    entry: AuditEntry, site: Site, admins: Callable[[], Sequence[LocalAdmin]] = tuple
) -> list[Mail]:
    """The person concerned hears of every change to their administrator role, and of a grant given,
    revoked or ended with their work relationship; the organisation's other administrators hear of a
    grant its holder gave up (`admins` reads them, only then)."""
    if not entry.mailed:
        return []
    organization = entry.organization_name or entry.organization
    role = str(_templates.get_template("_words.txt.j2").module.role(entry.role))  # type: ignore[attr-defined]
    right = entry.right_name or entry.right or ""
    context = {
        "entry": entry,
        "organization": organization,
        "role": role,
        "right": right,
        "base_url": site.base_url,
    }
    if entry.action is AuditAction.ADMIN_APPOINTED and entry.email:
        return [_mail(MailKind.ADMIN_APPOINTED, entry.email, **context)]
    if entry.action is AuditAction.ADMIN_REMOVED and entry.email:
        return [_mail(MailKind.ADMIN_REMOVED, entry.email, **context)]
    if entry.action is AuditAction.ADMIN_EMAIL_CHANGED:
        # a security notice to the previous address only; the new one proves itself with its first mail
        recipients = dict.fromkeys(a for a in (entry.previous_email or entry.email,) if a)
        return [_mail(MailKind.ADMIN_EMAIL_CHANGED, to, **context) for to in recipients]
    if entry.action is AuditAction.GRANT_CREATED and entry.email:
        return [_mail(MailKind.GRANT_CREATED, entry.email, **context)]
    if entry.action is AuditAction.GRANT_REVOKED and entry.by_holder:
        others = {(a.email or "").lower(): a for a in admins() if a.reachable and a.person != entry.person}
        return [
            _mail(MailKind.GRANT_GIVEN_UP, a.email or "", admin_name=a.name, **context)
            for a in sorted(others.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        ]
    if entry.action is AuditAction.GRANT_REVOKED and entry.email:
        return [_mail(MailKind.GRANT_REVOKED, entry.email, **context)]
    if entry.action is AuditAction.ADMIN_UNREACHABLE:
        # the organisation's other administrators whose address works, heads first
        # (docs/unreachable-administrators.md)
        colleagues = {
            (a.email or "").lower(): a for a in admins() if a.reachable and a.person != entry.person
        }
        return [
            _mail(MailKind.ADMIN_UNREACHABLE, a.email or "", admin_name=a.name, **context)
            for a in sorted(colleagues.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
        ]
    if entry.action is AuditAction.GRANT_EXPIRED and entry.email:
        return [_mail(MailKind.GRANT_EXPIRED, entry.email, **context)]
    if entry.action is AuditAction.WORK_RELATIONSHIP_ENDED and entry.email:
        return [_mail(MailKind.WORK_RELATIONSHIP_ENDED, entry.email, **context)]
    return []


def mails_for(
    event: RequestEvent, request: AccessRequest, admins: Sequence[LocalAdmin], site: Site
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
        mails.append(render(MailKind.FILED_REQUESTER, request.email, request, site, admin_names=names))
        sent = len(to_admins)  # in each one's tags: a bounce of every one tells the requester
        mails += [
            render(MailKind.FILED_ADMIN, email, request, site, name, admin_mails=sent)
            for email, name in to_admins
        ]
        if not sent:  # every address failed between the filing and now
            mails.append(undelivered(request, site))
    elif event is RequestEvent.DECIDED and request.decision is not None:
        approved = request.decision.outcome is Outcome.APPROVED
        kind = MailKind.APPROVED if approved else MailKind.REJECTED
        mails.append(render(kind, request.email, request, site, admin_names=names))
        mails += [render(MailKind.DECIDED_ADMIN, email, request, site, name) for email, name in to_admins]
    elif event is RequestEvent.CANCELLED:
        mails += [render(MailKind.CANCELLED_ADMIN, email, request, site, name) for email, name in to_admins]
    elif event in (RequestEvent.REMINDED, RequestEvent.REMINDED_AGAIN):
        again = event is RequestEvent.REMINDED_AGAIN
        mails += [
            render(MailKind.REMINDER_ADMIN, email, request, site, name, second=again)
            for email, name in to_admins
        ]
        if again:
            reminded = bool(to_admins)  # told only if one of them was reminded just now
            waiting = MailKind.WAITING_REQUESTER
            mails.append(render(waiting, request.email, request, site, admin_names=names, reminded=reminded))
    elif event is RequestEvent.EXPIRED:
        can_refile = any(admin.reachable and admin.email for admin in admins)  # it can receive requests
        expired = MailKind.EXPIRED_REQUESTER
        mails.append(render(expired, request.email, request, site, admin_names=names, can_refile=can_refile))
        mails += [render(MailKind.EXPIRED_ADMIN, email, request, site, name) for email, name in to_admins]
    return mails


def undelivered(request: AccessRequest, site: Site) -> Mail:
    """None of the filing's administrator mails reached a working address
    (docs/unreachable-administrators.md): the requester hears so, with the way to a working local
    administrator; the request stays open."""
    return render(MailKind.UNDELIVERED_REQUESTER, request.email, request, site)


def mails_for_warning(grant: Grant, found: OrganizationWithAdmins, site: Site) -> list[Mail]:
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
    context = {"grant": grant, "organization": organization, "right": right, "base_url": site.base_url}
    mails = []
    if grant.email:
        mails.append(
            _mail(MailKind.EXPIRING_HOLDER, grant.email, renew_url=link.url(site.base_url), **context)
        )
    reachable = {(a.email or "").lower(): a for a in found.admins if a.reachable and a.person != grant.person}
    mails += [
        _mail(MailKind.EXPIRING_ADMIN, a.email or "", admin_name=a.name, **context)
        for a in sorted(reachable.values(), key=lambda a: (a.role is not AdminRole.HEAD, a.name))
    ]
    return mails
