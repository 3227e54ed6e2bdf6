"""The admin index as the day's work: what each panel says, that every figure links to
a list of exactly the rows it counted, who sees which panel and link, and that it costs
the same number of queries whatever the size of the data."""

import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone, translation

from participants.models import Participant, SupportRequest
from partners.models import Agreement, ProgressReport
from programs.models import Indicator, ManualResult, Programme
from tests.belfaa.dashboard_world import boundaries, sign_ups
from tests.factories import EventFactory, OrganisationFactory, UserFactory, make_participant
from tests.partners.helpers import agreement
from tests.programs.plan_builders import held, indicator, plan, programme, target

pytestmark = pytest.mark.django_db

PANELS = {
    "upcoming",
    "support_requests",
    "referrals_waiting",
    "agreements_ending",
    "progress_reports",
    "results_waiting",
    "retention",
    "evaluations_due",
    "indicators",
}


@dataclass(frozen=True)
class Link:
    panel: str
    href: str
    text: str

    @property
    def count(self) -> int | None:
        """The figure a link opens the rows of: the number it starts with."""
        found = re.match(r"\d+", self.text)
        return int(found.group()) if found else None

    @property
    def query(self) -> str:
        return urlsplit(self.href).query


class PanelLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[Link] = []
        self.panels: list[str] = []
        self.inside = False
        self.href: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "dashboard-panel" in (found.get("class") or ""):
            self.panels.append((found["aria-labelledby"] or "").removeprefix("panel-"))
            self.inside = True
        elif tag == "a" and self.inside:
            self.href, self.text = found["href"], ""

    def handle_data(self, data: str) -> None:
        if self.href is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.inside = False
        elif tag == "a" and self.href is not None:
            self.links.append(Link(self.panels[-1], self.href, " ".join(self.text.split())))
            self.href = None


def dashboard(client: Client, lang: str = "fr") -> PanelLinks:
    response = client.get(f"/{lang}/admin/")
    assert response.status_code == 200
    reader = PanelLinks()
    reader.feed(response.content.decode())
    return reader


def rows_listed(client: Client, href: str) -> int:
    """The number of rows the admin list at `href` shows, all pages together."""
    response = client.get(href)
    assert response.status_code == 200, href
    assert response.context_data is not None, href
    return int(response.context_data["cl"].result_count)


def admin_page(href: str) -> Any:
    """What the admin URL `href` resolves to (its language prefix active)."""
    path = urlsplit(href).path
    with translation.override(path.split("/")[1]):
        return resolve(path)


def view_permission(href: str) -> str:
    """The permission needed to read the admin page at `href` (asserting it is one)."""
    model = admin_page(href).func.model_admin.model
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def follow_every_link(client: Client, user: Any, reader: PanelLinks) -> None:
    """Each count opens a list of exactly that many rows; each other link the page where
    its item is handled; every page is one this user may read."""
    for link in reader.links:
        assert user.has_perm(view_permission(link.href)), link
        if link.count is None:
            assert admin_page(link.href).url_name.endswith("_change"), link
            assert client.get(link.href).status_code == 200, link
        else:
            assert rows_listed(client, link.href) == link.count, link


def test_every_count_opens_a_list_of_exactly_the_rows_it_counted(
    client_for, coordinator, officer
) -> None:
    expected = boundaries(entered_by=officer, approved_by=coordinator)
    client = client_for(coordinator)
    reader = dashboard(client)
    assert set(reader.panels) == PANELS
    follow_every_link(client, coordinator, reader)
    counts = {link.query: link.count for link in reader.links if link.count is not None}
    soon, partner = expected["soon"], expected["partner"]
    requests = {}
    for status, figures in expected["requests"].items():
        for age, figure in zip(("recent", "weeks", "older"), figures, strict=False):
            if figure:
                requests[f"status__exact={status}&opened={age}"] = figure
        requests[f"status__exact={status}"] = figures[-1]
    assert counts == {
        "when=upcoming": expected["upcoming"],
        f"event__id__exact={soon}&status__exact=confirmed&walk_in__exact=0": expected["seats"],
        f"event__id__exact={soon}&status__exact=waitlisted": expected["waitlisted"],
        **requests,
        f"referral=waiting&referred_to__id__exact={partner}": 1,
        "ending=soon": expected["ending"],
        **{f"stage={stage}": figure for stage, figure in expected["reports"].items()},
        "approved_by__isempty=1": expected["results"],
        "retention=noticed": expected["retention"],
        "evaluation=missing": expected["evaluations"],
    }


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_viewers_and_officers_without_sensitive_rights_follow_every_link(
    request, client_for, coordinator, officer, role
) -> None:
    boundaries(entered_by=officer, approved_by=coordinator)
    user = request.getfixturevalue(role)
    assert not user.has_perm("participants.view_sensitive")
    client = client_for(user)
    reader = dashboard(client)
    assert set(reader.panels) == PANELS
    follow_every_link(client, user, reader)


def _clerk(*codenames: str) -> Any:
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return clerk


@pytest.mark.parametrize(
    ("codenames", "panels"),
    [
        (("view_event",), {"upcoming"}),
        (("view_event", "view_registration"), {"upcoming"}),
        (("view_supportrequest",), {"support_requests", "referrals_waiting"}),
        (("view_participant",), {"retention"}),
        (("view_progressreport", "view_manualresult"), {"progress_reports", "results_waiting"}),
        (("view_agreement", "view_indicator"), {"agreements_ending", "indicators"}),
        (("view_programme",), {"evaluations_due"}),
    ],
)
def test_staff_see_only_the_panels_and_links_their_permissions_open(
    client_for, coordinator, officer, codenames, panels
) -> None:
    boundaries(entered_by=officer, approved_by=coordinator)
    clerk = _clerk(*codenames)
    client = client_for(clerk)
    reader = dashboard(client)
    assert set(reader.panels) == panels
    follow_every_link(client, clerk, reader)
    to_sign_ups = [link for link in reader.links if "registration" in link.href]
    assert bool(to_sign_ups) == ("view_registration" in codenames)


def test_a_coordinator_reads_the_days_work_in_french(client_for, coordinator, officer) -> None:
    boundaries(entered_by=officer, approved_by=coordinator)
    page = client_for(coordinator).get("/fr/admin/").content.decode()
    assert "Travail du jour" in page
    assert "2 activités à venir" in page and "2 sur 30" in page
    assert page.index("AGR-B-1") < page.index("AGR-B-2")  # the nearest end first
    assert "dans 90 jours" in page and "AGR-B-3" not in page
    assert "se termine aujourd\u2019hui" in page and "dans 0 jour" not in page  # AGR-B-1
    assert "2 en attente d\u2019examen" in page and "1 attendu d\u2019un partenaire" in page
    assert "2 en retard" in page
    assert "1 résultat attend la validation" in page
    assert "1 fiche a reçu son préavis." in page
    year = timezone.localdate().year
    evaluations = page.split('id="panel-evaluations_due"')[1].split("</section>")[0]
    assert (
        f'n\u2019a pas encore d\u2019évaluation de <bdi dir="ltr">{year - 1}</bdi>' in evaluations
    )
    assert "mig-1" in evaluations and "done" not in evaluations
    bars = page.split('id="panel-indicators"')[1].split("</section>")[0]
    assert f'<bdi dir="ltr">{year - 2}-{year + 4}</bdi>' in bars
    assert 'value="50"' in bars and 'value="25"' in bars and 'value="100"' in bars
    assert "130 %" in bars  # the bar stops at its end, the figure does not


def test_a_record_given_notice_is_listed_with_its_anonymisation_day(
    client_for, coordinator
) -> None:
    person = make_participant()
    Participant.objects.filter(pk=person.pk).update(
        retention_warned_at=timezone.make_aware(timezone.datetime(2026, 11, 1, 9))
    )
    page = client_for(coordinator).get("/fr/admin/").content.decode()
    assert person.reference in page
    assert "anonymisé à partir du 01/12/2026" in page


def test_nothing_to_do_shows_no_empty_panels(client_for, coordinator) -> None:
    page = client_for(coordinator).get("/fr/admin/").content.decode()
    assert 'class="dashboard-panel' not in page
    assert "Travail du jour" not in page


def test_an_unknown_filter_value_lists_everything_rather_than_failing(
    client_for, coordinator, officer
) -> None:
    boundaries(entered_by=officer, approved_by=coordinator)
    client = client_for(coordinator)
    for changelist, crafted in (
        ("partners/progressreport/", "stage=nonsense"),
        ("participants/supportrequest/", "opened=%27%3B--"),
        ("participants/participant/", "retention=1"),
        ("events/event/", "when="),
        ("programs/programme/", "evaluation=none%27--"),
    ):
        everything = rows_listed(client, f"/fr/admin/{changelist}")
        assert everything > 0
        assert rows_listed(client, f"/fr/admin/{changelist}?{crafted}") == everything


# --- The cost: the same queries for a dataset and one ten times larger -----------------


def world(size: int, start: int, manual: Indicator, by: Any) -> None:
    """`size` items for every panel (numbered from `start`, so worlds add up)."""
    today, year = timezone.localdate(), timezone.localdate().year
    person = make_participant()
    for i in range(start, start + size):
        sign_ups(EventFactory(capacity=3), confirmed=3, waitlisted=2)
        held(year, month=1 + i % 12)
        made = agreement(
            reference=f"AGR-{i}",
            status=Agreement.Status.ACTIVE,
            signed_on=today - timedelta(days=410),
            starts_on=today - timedelta(days=400),
            ends_on=today + timedelta(days=20 + i),
        )
        party = made.parties.get()
        for months, (status, due) in enumerate(
            (
                (ProgressReport.Status.DRAFT, 5),
                (ProgressReport.Status.DRAFT, -5),
                (ProgressReport.Status.SUBMITTED, -5),
            )
        ):
            ProgressReport.objects.create(
                agreement=made,
                organisation=party.organisation,
                period_start=today - timedelta(days=120 + 31 * months),
                period_end=today - timedelta(days=30),
                due_on=today + timedelta(days=due),
                status=status,
            )
        SupportRequest.objects.create(
            participant=person,
            kind=SupportRequest.Kind.HEALTH,
            opened_on=today - timedelta(days=3),
            status=SupportRequest.Status.REFERRED,
            referred_to=OrganisationFactory(),
        )
        for days in (0, 10, 60):
            SupportRequest.objects.create(
                participant=person,
                kind=SupportRequest.Kind.LEGAL,
                opened_on=today - timedelta(days=days),
            )
        ManualResult.objects.create(indicator=manual, year=2000 + i, value=1, entered_by=by)
        programme(manual.programme.period, f"unevaluated-{i}")
        Participant.objects.filter(pk=make_participant().pk).update(
            retention_warned_at=timezone.now()
        )


def test_the_dashboard_costs_the_same_queries_whatever_the_data_size(
    client_for, coordinator, officer
) -> None:
    # The indicators are the plan's (at most 12, one measure each): fixed, whatever the
    # data their measures count.
    year = timezone.localdate().year
    prog: Programme = programme(plan(year - 2, year + 3))
    sport = indicator(
        prog,
        "sport",
        unit="activities",
        source="measure",
        measure_code="events.activities_held",
        measure_params={"kind": "sport"},
    )
    target(sport, year, 40)
    manual = indicator(prog, "manual")
    target(manual, year, 10)
    client = client_for(coordinator)
    world(1, 0, manual, officer)
    client.get("/fr/admin/")
    with CaptureQueriesContext(connection) as small:
        assert set(dashboard(client).panels) == PANELS
    world(10, 1, manual, officer)
    with CaptureQueriesContext(connection) as large:
        reader = dashboard(client)
    assert set(reader.panels) == PANELS
    assert any(link.text.startswith("11 ") for link in reader.links if link.panel == "retention")
    assert len(large) == len(small)
