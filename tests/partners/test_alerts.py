"""Ending-agreement notices: each threshold once per agreement and recipient, in the
recipient's language, to the Coordinators and the partner's own active portal users."""

from datetime import date

from partners import services
from partners.models import Agreement, Alert, Membership
from partners.tasks import daily_run
from tests.factories import UserFactory
from tests.partners.helpers import agreement, pdf


def _ending(partner, status=Agreement.Status.ACTIVE) -> Agreement:
    return agreement(
        status=status,
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        partner=partner,
    )


def _run(day: str, capture) -> dict:
    with capture(execute=True):
        return daily_run(today=day)


def test_each_threshold_goes_once_and_45_days_left_gets_the_60_notice_only(
    partner_md, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    md = partner_md.partner_membership.organisation
    ending = _ending(md)
    _run("2025-11-16", django_capture_on_commit_callbacks)  # 45 days left
    _run("2025-11-16", django_capture_on_commit_callbacks)
    _run("2025-11-20", django_capture_on_commit_callbacks)
    sixty = Alert.objects.filter(agreement=ending, days=60)
    assert sorted(sixty.values_list("email", flat=True)) == sorted(
        [partner_md.email, coordinator.email]
    )
    assert not Alert.objects.filter(agreement=ending, days=90).exists()
    assert len(mailoutbox) == 2
    _run("2025-12-01", django_capture_on_commit_callbacks)  # 30 days left
    _run("2025-12-16", django_capture_on_commit_callbacks)  # 15 days left
    _run("2025-12-17", django_capture_on_commit_callbacks)
    days = sorted(
        d or 0 for d in Alert.objects.filter(agreement=ending).values_list("days", flat=True)
    )
    assert days == [15, 15, 30, 30, 60, 60]
    assert len(mailoutbox) == 6
    assert all(m.to[0] in {partner_md.email, coordinator.email} for m in mailoutbox)


def test_each_recipient_reads_the_notice_in_their_language_with_their_link(
    partner_md, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    partner_md.preferred_language = "ar"
    partner_md.save()
    coordinator.preferred_language = "fr"
    coordinator.save()
    _ending(partner_md.partner_membership.organisation)
    _run("2025-10-02", django_capture_on_commit_callbacks)  # 90 days left
    by_email = {m.to[0]: m for m in mailoutbox}
    arabic = by_email[partner_md.email]
    french = by_email[coordinator.email]
    assert "AGR-TEST-1" in arabic.subject and "AGR-TEST-1" in french.subject
    assert "اتفاقية" in arabic.subject + arabic.body
    assert "/ar/portal/" in arabic.body
    assert "Convention" in french.subject + french.body
    assert "/admin/" in french.body


def test_other_partners_and_inactive_users_get_nothing(
    partner_md, partner_jette, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    md = partner_md.partner_membership.organisation
    inactive = UserFactory(email="gone@md.example.test", is_active=False)
    Membership.objects.create(user=inactive, organisation=md)
    _ending(md)
    _run("2025-10-02", django_capture_on_commit_callbacks)
    sent_to = {m.to[0] for m in mailoutbox}
    assert sent_to == {partner_md.email, coordinator.email}


def test_suspended_terminated_or_ended_agreements_get_no_ending_notice(
    partner_md, coordinator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    md = partner_md.partner_membership.organisation
    for number, status in enumerate(
        (Agreement.Status.SUSPENDED, Agreement.Status.TERMINATED, Agreement.Status.ENDED)
    ):
        made = agreement(
            status=Agreement.Status.ACTIVE,
            signed_on=date(2025, 1, 1),
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            partner=md,
            reference=f"AGR-OFF-{number}",
        )
        if status == Agreement.Status.TERMINATED:
            services.agreement_terminate(
                agreement_id=made.pk, by=coordinator, reason="Stopped.", document=pdf()
            )
        else:
            Agreement.objects.filter(pk=made.pk).update(status=status)
    # The notices alone: the daily run would also let the dates move an ended one.
    with django_capture_on_commit_callbacks(execute=True):
        services.agreements_ending_queue(today=date(2025, 12, 16))
    assert not Alert.objects.filter(kind=Alert.Kind.AGREEMENT_ENDING).exists()
    assert mailoutbox == []
