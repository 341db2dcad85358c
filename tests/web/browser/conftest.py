"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, headless) against a
real uvicorn server on 127.0.0.1 with a free port, serving a temp SQLite database with the
demo corpus and one user of each role (all with PASSWORD).

- Without /usr/bin/chromium (or playwright) the tests are skipped, with the reason.
- SERVICEQA_REQUIRE_BROWSER=1 (`.ci/run` sets it after installing Chromium) turns "browser
  tests skipped, or none ran" into a failed run, as SERVICEQA_REQUIRE_PG does for PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from serviceqa.store import default_url
from serviceqa.web import create_app
from tests.web.conftest import AGENT_ID, PASSWORD, ROLES

CHROMIUM = os.environ.get("SERVICEQA_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("SERVICEQA_REQUIRE_BROWSER") == "1"
_outcomes = {"passed": 0, "skipped": 0}


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return (f"browser tests skipped: no Chromium at {CHROMIUM} "
                "(apt-get install chromium, or set SERVICEQA_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: playwright is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    reason = _missing()
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium against a live server")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "browser" not in report.keywords:
        return
    if report.skipped:
        _outcomes["skipped"] += 1
    elif report.passed and report.when == "call":
        _outcomes["passed"] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With SERVICEQA_REQUIRE_BROWSER=1 a run whose browser tests did not run fails."""
    if not REQUIRE_BROWSER or (_outcomes["passed"] and not _outcomes["skipped"]):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = (f"SERVICEQA_REQUIRE_BROWSER=1: the browser tests must run, but "
               f"{_outcomes['passed']} passed and {_outcomes['skipped']} were skipped "
               f"(is Chromium at {CHROMIUM}?)")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_line(message, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, not a downloaded one (`playwright install` fails offline);
    --no-sandbox because CI runs as root."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, demo_pairs) -> Iterator[str]:
    """uvicorn in a thread of this process (so the cheap test password hash applies)."""
    import uvicorn

    url = default_url(tmp_path_factory.mktemp("ui") / "serviceqa.db")
    app = create_app(url, secure_cookies=False)
    store = app.state.workspace.store
    store.save_many(demo_pairs)
    for role in ROLES:
        store.accounts.add_user(f"{role}-user", role, AGENT_ID if role == "agent" else None,
                                PASSWORD)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the uvicorn test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright resolves page.goto("/...") against this."""
    return live_server
