"""A clinician's and an admin's journeys through the site, in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import ApiKey
from accounts.tests.factories import PASSWORD, UserFactory
from billing.models import MonthlyUsage
from billing.quota import month_start
from billing.services import plan_grant

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = (
    "CC: follow-up of hypertension.\n"
    "Patient: Maria Gonzalez, phone (415) 555-0134, seen 03/14/2025.\n"
    "A/P: Essential hypertension, continue lisinopril.\n"
    "Total time spent 25 minutes on the date of the encounter."
)


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_sign_up_verify_and_log_in(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("new.clinician@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text("Verify Your Email Address")).to_be_visible()

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    log_in(page, "new.clinician@example.org")
    expect(page.get_by_role("heading", name="Usage this month")).to_be_visible()


def test_paste_a_note_read_codes_and_highlight_evidence(page):
    user = UserFactory()
    log_in(page, user.email)
    page.get_by_role("link", name="Extract", exact=True).click()
    page.get_by_label("Clinical note").fill(NOTE)
    expect(page.locator("#note-count")).to_contain_text(f"{len(NOTE)} / 50,000")
    page.get_by_role("button", name="Extract codes").click()

    chip = page.locator(".code-chip", has_text="99213")
    expect(chip).to_be_visible()
    expect(page.locator("#scrubbed-note")).not_to_contain_text("(415) 555-0134")
    diagnosis = page.locator(".code-chip", has_text="I10")
    diagnosis.click()
    evidence = diagnosis.get_attribute("data-evidence")
    assert "hypertension" in evidence.lower()
    expect(page.locator("#scrubbed-note mark")).to_have_text(evidence)

    page.get_by_role("link", name="History").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody a").first.click()
    expect(page.locator(".code-chip", has_text="99213")).to_be_visible()


def test_quota_message_when_the_month_is_used_up(page):
    user = UserFactory()
    organization = user.memberships.get().organization
    MonthlyUsage.objects.create(organization=organization, period=month_start(), used=25)
    log_in(page, user.email)
    page.goto("/extract/")
    page.get_by_label("Clinical note").fill(NOTE)
    page.get_by_role("button", name="Extract codes").click()
    expect(page.get_by_role("heading", name="Monthly limit reached")).to_be_visible()
    expect(page.get_by_role("link", name="See plans and upgrade")).to_be_visible()


def test_create_copy_and_revoke_an_api_key(page):
    user = UserFactory()
    plan_grant(organization=user.memberships.get().organization, plan="pro")
    log_in(page, user.email)
    page.get_by_role("link", name="API keys", exact=True).click()
    page.get_by_label("Key name").fill("EHR integration")
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_label("New API key").input_value()
    assert key.startswith("cl_live_")
    assert ApiKey.objects.get(name="EHR integration").is_active

    page.get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke key").click()
    expect(page.get_by_text("Revoked “EHR integration”")).to_be_visible()
    assert not ApiKey.objects.get(name="EHR integration").is_active


def test_invite_a_member_who_accepts(page, browser, live_server):
    owner = UserFactory()
    organization = owner.memberships.get().organization
    plan_grant(organization=organization, plan="practice")
    invitee = UserFactory(email="colleague@example.org")
    log_in(page, owner.email)
    page.goto("/dashboard/members/")
    page.get_by_label("E-mail address").fill("colleague@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to colleague@example.org")).to_be_visible()

    link = re.search(r"http://\S+(/dashboard/invitations/accept/\S+/)", mail.outbox[-1].body)
    colleague = browser.new_context(base_url=page.url.split("/dashboard")[0]).new_page()
    log_in(colleague, invitee.email)
    colleague.goto(link.group(1))
    colleague.get_by_role("button", name="Accept invitation").click()
    expect(colleague.get_by_role("heading", name=organization.name)).to_be_visible()
    colleague.context.close()
