"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live
server. No test downloads a browser; without /usr/bin/chromium these tests skip."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}")

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def warm_server(live_server):
    """Import every view module once, so the first page a test opens is not the slow one."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and its views
    from extraction import icd10

    icd10.is_code("E11.9")  # loads the ICD-10-CM tables
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not HAVE_CHROMIUM:
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous, which Django must be told is intended.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, warm_server):
    """A fresh browser context; fails the test on any CSP violation or outside request."""
    # 127.0.0.1, not "localhost": Chromium's name lookup for localhost can stall for seconds.
    base_url = warm_server.url.replace("localhost", "127.0.0.1")
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            problems.append(f"outside request {request.url}")
            if not request.url.startswith((base_url, "data:"))
            else None
        ),
    )
    page.problems = problems
    yield page
    context.close()
    assert not problems, problems
