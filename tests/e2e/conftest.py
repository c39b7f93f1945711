"""Browser test fixtures: system Chromium through Playwright, with axe-core on every page.

Every main-frame navigation the browser makes (full loads and htmx history pushes alike) must be
followed by an accessibility check before the test ends; the `site` fixture enforces that. The
check also lays the page out 320 px wide and fails if anything makes it scroll sideways (WCAG
1.4.10 Reflow), naming the widest element.

When CIVSAM_E2E_REQUIRED=1 (CI), a missing browser or axe-core fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.second_factor import totp_secret_set, unused_totp_code

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = Path(os.environ.get("CIVSAM_AXE_PATH", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "e2e-lösenord-2026"

# Collects Content-Security-Policy violations in every document, so a page that only works
# without the site's strict CSP fails here as well.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${where})`);
});
"""
AXE_RUN = """
async (tags) => {
  const result = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}
"""


# WCAG 1.4.10 Reflow: at 320 CSS px nothing may scroll sideways. What overflows inside a scroll
# container of its own (a wide table in .table-scroll) is fine; an absolutely positioned element
# escapes every container up to its containing block, so it is judged from there. Returns the
# page's width and the innermost elements that stick out, widest first.
REFLOW_WIDTH = 320
REFLOW_CHECK = """
() => {
  const doc = document.documentElement;
  const viewport = doc.clientWidth;
  const contained = (el) => {
    let position = getComputedStyle(el).position;
    if (position === 'fixed') return true;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (position === 'absolute' && style.position === 'static' && style.transform === 'none') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
      if (position === 'fixed') return true;
    }
    return false;
  };
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return text ? `${name} "${text}"` : name;
  };
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > viewport + 0.5 && !contained(el)) sticking.push({el, right: box.right, width: box.width});
  }
  const outer = new Set(sticking.map((s) => s.el));
  const innermost = sticking.filter((s) => ![...s.el.querySelectorAll('*')].some((c) => outer.has(c)));
  innermost.sort((a, b) => b.right - a.right);
  return {
    viewport, scrollWidth: doc.scrollWidth,
    widest: innermost.slice(0, 5).map(
      (s) => `${describe(s.el)}: right edge at ${Math.round(s.right)} px, ${Math.round(s.width)} px wide`
    ),
  };
}
"""


def e2e_required() -> bool:
    return os.environ.get("CIVSAM_E2E_REQUIRED", "").strip() in {"1", "true", "yes"}


def _unavailable(reason: str):
    if e2e_required():
        pytest.fail(f"Browser tests are required (CIVSAM_E2E_REQUIRED=1) but cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    configured = os.environ.get("CIVSAM_CHROMIUM")
    candidates = [configured] if configured else [*CHROMIUM_CANDIDATES, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is a browser test, even if a module forgets its pytestmark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test is a failed one: it checked nothing."""
    report = yield
    if report.skipped and e2e_required() and item.get_closest_marker("e2e") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Browser test skipped while CIVSAM_E2E_REQUIRED=1: {reason}"
    return report


def pytest_sessionfinish(session, exitstatus):
    """In CI an empty selection is a failure, whatever marker expression selected it."""
    if e2e_required() and exitstatus == 0:
        ran = [i for i in session.items if i.get_closest_marker("e2e")]
        if not ran:
            session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


@pytest.fixture(scope="session")
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_async_unsafe_allowed):
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found (install it with `apt-get install -y chromium`).")
    if not AXE_PATH.is_file():
        _unavailable(f"axe-core not found at {AXE_PATH} (run `npm ci`).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the environment
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def format_violations(url: str, violations: list[dict], csp: list[str]) -> str:
    lines = [f"Accessibility check failed on {url}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"      at {node['target']}")
            for detail in node["summary"].splitlines()[1:3]:
                lines.append(f"         {detail.strip()}")
        if len(v["nodes"]) > 10:
            lines.append(f"      ... and {len(v['nodes']) - 10} more")
    for message in csp:
        lines.append(f"  [csp] {message}")
    return "\n".join(lines)


def format_reflow(url: str, result: dict) -> str:
    lines = [
        f"Reflow check failed on {url}: at {REFLOW_WIDTH} px wide the page is {result['scrollWidth']} px wide"
        " and scrolls sideways (WCAG 1.4.10). Widest elements:"
    ]
    lines += [f"  {element}" for element in result["widest"]] or ["  (none found: the overflow is in the page itself)"]
    return "\n".join(lines)


def reflow_fails(result: dict) -> bool:
    return result["scrollWidth"] > result["viewport"] or bool(result["widest"])


@dataclass
class Site:
    """A Playwright page bound to the live server, running axe-core after each navigation."""

    page: object
    base_url: str
    navigations: list[str] = field(default_factory=list)
    checked_upto: int = 0
    checks: int = 0

    def url(self, path: str) -> str:
        return self.base_url + path

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigations.append(frame.url)

    def check(self) -> None:
        """Run axe on the current document and lay it out 320 px wide; fail the test with a
        readable list on any violation, or if the narrow page scrolls sideways."""
        self.page.wait_for_load_state("load")
        seen = len(self.navigations)
        violations = self.page.evaluate(AXE_RUN, AXE_TAGS)
        csp = self.page.evaluate("window.__cspViolations || []")
        reflow = self.reflow()
        self.checked_upto = seen
        self.checks += 1
        failures = []
        if violations or csp:
            failures.append(format_violations(self.page.url, violations, csp))
        if reflow_fails(reflow):
            failures.append(format_reflow(self.page.url, reflow))
        if failures:
            pytest.fail("\n".join(failures), pytrace=False)

    def reflow(self) -> dict:
        """The page laid out REFLOW_WIDTH px wide (then back to the test's size): REFLOW_CHECK's answer."""
        size = self.page.viewport_size
        if size is None or size["width"] == REFLOW_WIDTH:
            return self.page.evaluate(REFLOW_CHECK)
        self.page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
        try:
            return self.page.evaluate(REFLOW_CHECK)
        finally:
            self.page.set_viewport_size(size)

    def goto(self, path: str, *, status: int = 200):
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"{path}: expected HTTP {status}, got {response.status}"
        self.check()
        return response

    def follow(self, action, *, status: int | None = None):
        """Do something that loads a new page (click a link, submit a form), then check it."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        if status is not None:
            assert response is not None and response.status == status, (
                f"expected HTTP {status}, got {response.status if response else None} at {self.page.url}"
            )
        self.check()
        return response

    def htmx(self, action):
        """Do something that htmx answers with a partial swap, wait for the swap, then check the page."""
        with self.page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as info:
            action()
        response = info.value
        assert response.ok, f"htmx request {response.url} answered {response.status}"
        # htmx settles the swapped content shortly after the response; wait until it is idle again.
        self.page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
        self.check()
        return response

    def unchecked(self) -> list[str]:
        return self.navigations[self.checked_upto :]


@pytest.fixture
def browser_context(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(path=str(AXE_PATH))
    context.add_init_script(script=CSP_LISTENER)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def site(browser_context, live_server, e2e_data):
    page = browser_context.new_page()
    site = Site(page=page, base_url=live_server.url)
    page.on("framenavigated", site._on_navigated)
    yield site
    missed = site.unchecked()
    assert not missed, f"pages visited without an accessibility check: {missed}"


@dataclass
class E2EData:
    users: dict
    own_org: object
    other_org: object
    plan_slug: str
    password: str = PASSWORD
    # Staff log in with a second factor (ADR 0080): the authenticator app's secret per role.
    totp_secrets: dict = field(default_factory=dict)


@pytest.fixture
def e2e_data(transactional_db) -> E2EData:
    """Reference data, the plans, 45 generated organisations and a few named ones, and one user per role.

    The live server runs in another thread, so the data is committed (transactional_db), not
    wrapped in a test transaction.
    """
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import LegalForm, Municipality
    from civsam.core.services import reference_data_load
    from civsam.plan.models import Plan
    from civsam.plan.services import plans_load_reference
    from civsam.registry import demo
    from civsam.registry.imports.bulk import demo_organisations_insert
    from civsam.registry.orgnr import complete
    from civsam.registry.services import organisation_create

    reference_data_load()
    plans_load_reference()
    populations = dict(Municipality.objects.values_list("code", "population"))
    demo_organisations_insert(demo.generate(45, populations, seed=7))
    orebro = Municipality.objects.get(code="1880")
    kumla = Municipality.objects.get(code="1881")
    ideell = LegalForm.objects.get(code="61")
    own_org = organisation_create(
        actor=None,
        name="Vivalla Idrottsförening",
        orgnr=complete("802000111"),
        legal_form=ideell,
        municipality=orebro,
        description="Fotboll och friidrott för barn och unga i Örebro.",
    )
    other_org = organisation_create(
        actor=None,
        name="Kumla Hembygdsförening",
        orgnr=complete("802000222"),
        legal_form=ideell,
        municipality=kumla,
        description="Lokalhistoria och hembygdsgård i Kumla.",
    )

    def user(username: str, first: str, last: str) -> User:
        # Fast to hash: the root conftest switches tests to a cheap password hasher.
        return User.objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last)

    officer = user("handlaggare", "Olle", "Handläggare")
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=orebro)
    rep = user("foretradare", "Fia", "Företrädare")
    role_assign(user=rep, role=Role.ORGANISATION_REP, organisation=own_org)
    admin = user("region", "Regina", "Regionsson")
    role_assign(user=admin, role=Role.REGION_ADMIN)
    totp_secrets = {"officer": totp_secret_set(officer), "admin": totp_secret_set(admin)}
    plan = Plan.objects.get(slug="2022-2025")
    return E2EData(
        users={"officer": officer, "rep": rep, "admin": admin},
        own_org=own_org,
        other_org=other_org,
        plan_slug=plan.slug,
        totp_secrets=totp_secrets,
    )


@pytest.fixture(autouse=True)
def _staff_second_factor_on(settings):
    """The browser tests run as production does: staff log in with a code (ADR 0080)."""
    settings.CIVSAM_STAFF_MFA = True


@pytest.fixture
def login(site, e2e_data):
    """Log in through the real form as one of the fixture users; the login page itself is checked too."""

    def do(role: str, next_path: str = "") -> None:
        username = e2e_data.users[role].username
        site.goto("/konto/logga-in/" + (f"?next={next_path}" if next_path else ""))
        site.page.get_by_label("Användarnamn").fill(username)
        site.page.get_by_label("Lösenord").fill(e2e_data.password)
        site.follow(lambda: site.page.get_by_role("button", name="Logga in").last.click())
        assert "/konto/logga-in/" not in site.page.url, f"login as {username} failed"
        if role in e2e_data.totp_secrets:  # staff: the code from the authenticator app
            assert "/konto/tvafaktor/kod/" in site.page.url, f"{username} was not asked for a code"
            site.page.get_by_label(re.compile(r"^Kod")).fill(unused_totp_code(e2e_data.totp_secrets[role]))
            site.follow(lambda: site.page.get_by_role("button", name="Logga in").last.click())
            assert "/konto/tvafaktor/" not in site.page.url, f"the code for {username} was refused"

    return do
