"""Browser tests: Playwright driving Debian's chromium against Django's live_server.

Never `playwright install` (downloads fail here): the launch fixture points at /usr/bin/chromium.
Tests use `live_server` with django_db(transaction=True, serialized_rollback=True): the database is
flushed after each test, and serialized_rollback restores the data migrations' reference rows.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop runs in the test thread

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "bianmin-demo"
E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def demo_data(transactional_db, settings):
    """The demo district (accounts, halls, catalog …) as `manage.py seed_demo` loads it."""
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    cache.clear()  # login rate limits and axes counters from earlier tests
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    return DEMO_PASSWORD


@pytest.fixture
def sign_in(live_server, demo_data):
    """Sign in on a page through the real login form; returns the page where the site sent us."""

    def _sign_in(page, username: str, *, next_path: str = ""):
        url = f"{live_server.url}/accounts/login/" + (f"?next={next_path}" if next_path else "")
        page.goto(url)
        form = page.locator("main form[action$='/accounts/login/']")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(demo_data)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        return page

    return _sign_in
