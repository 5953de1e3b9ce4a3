"""A real browser through Solmu's login pages, with JavaScript off (issue 8, "A real browser").

Headless Chromium (Debian `chromium`), driven over WebDriver by Debian's `chromium-driver` through
selenium, with a fresh profile in a temporary folder and JavaScript disabled by the content
setting `profile.managed_default_content_settings.javascript: 2`. The test first proves that
scripts really do not run (a page whose script would change its title keeps its title), then:

1. opens the authorization URL of the public `mobile-app` channel (PKCE S256, `state`, `nonce`)
   with a loopback redirect URI on a port of a small local HTTP server (any port is allowed for
   loopback redirects, RFC 8252 §7.3), and saves a screenshot of the login page;
2. checks that Chromium kept Solmu's `Secure` cookies on plain http://127.0.0.1 (loopback is a
   potentially trustworthy origin);
3. types an e-mail address and submits; reads the one-time code from the outbox and submits it;
   skips the "set a password" offer if it is shown;
4. lands on the redirect URI with a `code` and exactly the `state` it sent (and RFC 9207 `iss`),
   as the local server recorded it; then redeems the code with the PKCE verifier at
   `/oauth/token`, verifies the ID token (signature from the JWKS, `aud`, `iss`, `nonce`) and
   reads the typed e-mail address back from userinfo.

Selenium with chromedriver rather than raw DevTools: WebDriver is the W3C standard for driving a
browser as a person does (typing, clicking, real form submission and redirects), and Debian's
`chromium-driver` is built from the same source version as `chromium`, so the two always match.
The driver and the browser are given by path, so selenium never looks for or downloads one.

With `CI=true` a missing Chromium or chromedriver fails the test; elsewhere it is skipped.
`SOLMU_BROWSER_SCREENSHOT` sets the screenshot path (default `.build/test-run/login-page.png`).

    SOLMU_BINARY=$(swift build --show-bin-path)/solmu PYTHONDONTWRITEBYTECODE=1 \\
        .build/venv-interop/bin/python -m pytest -q -p no:cacheprovider Tests/interop/test_browser.py
"""

import os
import secrets
import shutil
import tempfile
import urllib.parse

import jwt
import pytest
import requests

from solmu_server import REPOSITORY, LoopbackHTTPServer, QuietHandler, pkce_pair, started_server

CHROMIUM = os.environ.get("SOLMU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("SOLMU_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = os.environ.get("SOLMU_BROWSER_SCREENSHOT") or os.path.join(REPOSITORY, ".build", "test-run",
                                                                         "login-page.png")
# A page whose script, if it ran, would change the title.
SCRIPT_PROBE = "<!DOCTYPE html><title>scripts off</title><script>document.title = 'scripts on'</script>"


def require_browser():
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        message = f"no headless browser: {', '.join(missing)} missing (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


class RedirectReceiver(LoopbackHTTPServer):
    """The app's loopback redirect endpoint: records each GET of /oauth/callback, answers with a small page.

    `/script-probe` serves SCRIPT_PROBE, so the JavaScript check also runs on an http://127.0.0.1
    origin, like the login pages.
    """

    def __init__(self):
        received = self.received = []

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/script-probe":
                    body = SCRIPT_PROBE.encode()
                elif self.path.startswith("/oauth/callback"):
                    received.append(self.path)
                    body = b"<!DOCTYPE html><title>callback</title><p>Back in the app.</p>"
                else:  # the browser's own requests, e.g. /favicon.ico
                    self.send_error(404)
                    return
                self.send_body(body, "text/html; charset=utf-8")

        super().__init__(Handler, "redirect-receiver")
        self.redirect_uri = self.base + "/oauth/callback"


@pytest.fixture(scope="module")
def server(request):
    return started_server(request)


@pytest.fixture(scope="module")
def receiver(request):
    receiver = RedirectReceiver()
    request.addfinalizer(receiver.stop)
    return receiver


@pytest.fixture(scope="module")
def browser(request):
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="solmu-chromium-")
    request.addfinalizer(lambda: shutil.rmtree(profile, ignore_errors=True))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
                     "--disable-dev-shm-usage", "--disable-gpu", "--window-size=900,1000",
                     # As root (CI) Chromium refuses to start with its sandbox on.
                     "--no-sandbox"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    log = os.path.join(profile, "chromedriver.log")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER, log_output=log), options=options)
    request.addfinalizer(driver.quit)
    driver.set_page_load_timeout(30)
    return driver


def test_javascript_is_off(browser, receiver):
    browser.get("data:text/html;charset=utf-8," + urllib.parse.quote(SCRIPT_PROBE))
    assert browser.title == "scripts off", "a data: page ran its script"
    browser.get(receiver.base + "/script-probe")
    assert browser.title == "scripts off", "an http://127.0.0.1 page ran its script"


def test_login_with_a_one_time_code_lands_on_the_redirect_uri(server, receiver, browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    nonce = secrets.token_urlsafe(16)
    email = f"browser-{secrets.token_hex(6)}@example.com"
    authorize = server.base + "/oauth/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": "mobile-app", "redirect_uri": receiver.redirect_uri,
        "scope": "openid email", "state": state, "nonce": nonce,
        "code_challenge": challenge, "code_challenge_method": "S256"})

    # 1. The login page, and its screenshot.
    browser.get(authorize)
    assert browser.current_url.startswith(server.base + "/"), browser.current_url
    field = browser.find_element(By.NAME, "identifier")
    assert field.is_displayed()
    os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
    assert browser.save_screenshot(SCREENSHOT), "no screenshot"
    with open(SCREENSHOT, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"

    # 2. Chromium kept the Secure cookies on plain http://127.0.0.1.
    cookies = {c["name"]: c for c in browser.get_cookies()}
    assert cookies, "Chromium kept none of Solmu's cookies"
    assert all(c.get("secure") and c.get("httpOnly") for c in cookies.values()), cookies

    # 3. E-mail, then the code from the outbox, as a person types them. A click starts a
    # navigation without waiting for it, so each step waits for the next page.
    def on_redirect_uri(driver):
        return driver.current_url.startswith(receiver.redirect_uri + "?")

    def wait_until(condition, what):
        try:
            return WebDriverWait(browser, 30).until(condition)
        except TimeoutException:
            pytest.fail(f"no {what} within 30 s: {browser.current_url}\n{browser.page_source[:1500]}")

    before = server.outbox_files()
    field.send_keys(email)
    browser.find_element(By.CSS_SELECTOR, 'form[action="/login/start"] button[type="submit"]').click()
    code_field = wait_until(lambda driver: driver.find_elements(By.NAME, "code"), "code page")[0]
    code_field.send_keys(server.one_time_code(before, email))
    browser.find_element(By.CSS_SELECTOR, 'form[action="/login/code"] button[type="submit"]').click()
    skip = 'form[action="/login/set-password"] button[name="skip"]'
    wait_until(lambda driver: on_redirect_uri(driver) or driver.find_elements(By.CSS_SELECTOR, skip),
               "redirect or set-password offer")
    if not on_redirect_uri(browser):
        browser.find_element(By.CSS_SELECTOR, skip).click()
        wait_until(on_redirect_uri, "redirect to the client")

    # 4. On the redirect URI, with a code and exactly our state.
    landed = urllib.parse.urlsplit(browser.current_url)
    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == receiver.redirect_uri, \
        f"did not land on the redirect URI: {browser.current_url}\n{browser.page_source[:1000]}"
    params = dict(urllib.parse.parse_qsl(landed.query))
    assert params.get("state") == state, params
    assert params.get("iss") == server.issuer, params
    assert params.get("code"), params
    assert receiver.received == [landed.path + "?" + landed.query], receiver.received

    # The code is real: the token endpoint redeems it with the PKCE verifier.
    tokens = requests.post(server.base + "/oauth/token", timeout=30, data={
        "grant_type": "authorization_code", "client_id": "mobile-app", "code": params["code"],
        "redirect_uri": receiver.redirect_uri, "code_verifier": verifier})
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["access_token"], body
    discovery = requests.get(server.base + "/.well-known/openid-configuration", timeout=10).json()
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(body["id_token"])
    claims = jwt.decode(body["id_token"], key.key, algorithms=["EdDSA", "ES256"], audience="mobile-app",
                        issuer=server.issuer)
    assert claims["nonce"] == nonce
    # And it is the customer who typed the address.
    userinfo = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + body["access_token"]},
                            timeout=10)
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == claims["sub"] and userinfo.json()["email"] == email, userinfo.json()
