"""The class check behind nginx (``make serve``): failover, cookies under the CSP, logs.

M1: the teacher's backend is killed mid-poll; nginx moves the tab to the other
process, and the projected page takes control again by itself, nothing lost.
M3: the teacher token is in no line nginx logs. M4: a student's identity
cookie is written under the deployment's Content-Security-Policy (the
component's script is served from the page's own origin), so a reload is the
same student.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from deploy.serve import COOKIE, Cluster
from tests.browser.test_class_check import (
    _first_question,
    _student,
    _teacher_token,
    answer_count,
    start_poll,
)
from tests.deploy.conftest import nginx_or_skip, wait_until

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation', e => "
    "window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def _route_of(context: BrowserContext) -> str | None:
    """The backend nginx's sticky cookie names for this browser."""
    for cookie in context.cookies():
        if cookie["name"] == COOKIE:
            return cookie["value"]
    return None


def test_the_class_check_survives_a_failover_behind_nginx(
    browser: Browser, tmp_path
) -> None:
    nginx_or_skip()
    right = _first_question()["answer"]
    database = f"sqlite:///{tmp_path / 'polls.db'}"
    with Cluster(2, env={"DATABASE_URL": database}) as cluster, cluster.supervising():
        teacher = browser.new_context()
        teacher.add_init_script(WATCH_VIOLATIONS)
        page = teacher.new_page()
        student = None
        try:
            code = start_poll(page, cluster.url)
            token = _teacher_token(page, code)
            student = _student(browser, cluster.url, code, right)
            student.context.add_init_script(WATCH_VIOLATIONS)
            # The identity cookie was written under nginx's policy: a reload
            # is the same browser, not a second student.
            student.reload()
            expect(student.get_by_text(f"Your answer: {right}")).to_be_visible()
            count = answer_count(page)
            expect(count).to_have_text("1 answer")

            route = _route_of(teacher)
            dead = next(b for b in cluster.backends if b.name == route)
            assert dead.process is not None
            dead.process.kill()
            wait_until(
                lambda: _route_of(teacher) not in (route, None),
                what="the teacher's tab to move to the other process",
            )
            # On the other process the projected page is in control again,
            # with nothing typed and nothing lost.
            expect(count).to_have_text("1 answer", timeout=60_000)
            expect(page.get_by_role("button", name="Reveal results")).to_be_enabled()
            page.get_by_role("button", name="Reveal results").click()
            expect(student.get_by_text("You were right.")).to_be_visible()
            for tab in (page, student):
                assert tab.evaluate("window.__violations") == []
        finally:
            if student is not None:
                student.context.close()
            teacher.close()
        logged = "".join(
            path.read_text(errors="replace")
            for path in cluster.access_log.parent.glob("*.log*")
        )
    assert "/class-check" in logged  # the pages were logged…
    assert token not in logged  # …and never the teacher token
