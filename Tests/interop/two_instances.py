"""Two `solmu serve` instances on one PostgreSQL database behave as one service.

Run by Tests/run.sh when a PostgreSQL cluster is available:

    python two_instances.py SOLMU_BINARY REPOSITORY POSTGRES_ADMIN_URL

It creates a fresh database, starts instances A and B on free loopback ports with the same keys,
policies and issuer (as behind a load balancer), and checks: a link made on A resolves on B; a
login started on A finishes on B and its code is exchanged on B; a refresh token rotated on A is
detected as reused on B (and the family is revoked on both); customers, links and merges made
concurrently through both are all there afterwards; `solmu audit verify` passes against both, and
the two never sign different roots for one size. Prints each check and ends with
"N passed, N failed".
"""

import base64
import concurrent.futures
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from forms import hidden_fields

passed = 0
failed = 0


def check(condition, what, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {what}")
    else:
        failed += 1
        print(f"FAIL {what}" + (f": {detail}" if detail else ""))
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def request(method, url, body=None, headers=None, form=None):
    headers = dict(headers or {})
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with opener.open(req, timeout=30) as r:
            return Response(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Response(e.code, e.headers, e.read())


class Browser:
    """Keeps cookies by hand: Solmu's cookies are `Secure`, and this test speaks plain HTTP on
    loopback. Cookies ignore ports (RFC 6265), so A's cookies go to B as a browser's would."""

    def __init__(self):
        self.cookies = {}

    def go(self, method, url, form=None):
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = request(method, url, form=form, headers={"Cookie": header} if header else {})
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.split(";")[0].partition("=")
            if "Max-Age=0" in value or not rest:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = rest
        return response


class Instance:
    def __init__(self, name, binary, database, keys, policies, issuer, logs):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(logs, f"{name}.log"), "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--issuer", issuer,
             "--database", database, "--keys", keys, "--policies", policies],
            stdout=self.log, stderr=subprocess.STDOUT, env=clean_environment())

    def wait(self):
        for _ in range(600):
            try:
                if request("GET", self.base + "/health/ready").status == 200:
                    return True
            except OSError:
                pass
            if self.process.poll() is not None:
                return False
            time.sleep(0.05)
        return False

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def token(self, client, scope):
        basic = base64.b64encode(f"{client}:{client}-dev-secret".encode()).decode()
        response = request("POST", self.base + "/oauth/token", form={"grant_type": "client_credentials", "scope": scope},
                           headers={"Authorization": "Basic " + basic})
        if response.status != 200:
            raise RuntimeError(f"token for {client} on {self.name}: {response.status} {response.text[:200]}")
        return response.json()["access_token"]

    def api(self, method, path, token, body=None):
        return request(method, self.base + path, body=body, headers={"Authorization": "Bearer " + token})


def clean_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith("SOLMU_")}


def psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True)


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def newest_code(outbox, after):
    deadline = time.time() + 20
    while time.time() < deadline:
        newest = None
        for file in os.listdir(outbox):
            if file.endswith(".json") and file not in after:
                with open(os.path.join(outbox, file)) as f:
                    newest = json.load(f)
        if newest:
            return json.loads(newest["payload"])["code"]
        time.sleep(0.1)
    raise RuntimeError("no one-time code was delivered")


def main(argv):
    binary, repository, admin_url = argv[1], argv[2], argv[3]
    work = tempfile.mkdtemp(prefix="solmu-two-instances-")
    database_name = "solmu_two_" + secrets.token_hex(6)
    psql(admin_url, f"CREATE DATABASE {database_name}")
    database = with_database(admin_url, database_name)
    policies = os.path.join(work, "policies")
    shutil.copytree(os.path.join(repository, "policies"), policies)
    outbox = os.path.join(work, "outbox")
    os.makedirs(outbox)
    with open(os.path.join(policies, "messages.yaml")) as f:
        messages = f.read().replace("directory: data/outbox", f"directory: {outbox}")
    with open(os.path.join(policies, "messages.yaml"), "w") as f:
        f.write(messages)
    keys = os.path.join(work, "keys")
    issuer = "http://solmu.test"
    # A starts first on the empty database (it migrates and generates the keys, which the
    # operator then shares: here the same directory); B joins it.
    a = Instance("a", binary, database, keys, policies, issuer, work)
    b = None
    try:
        check(a.wait(), "instance A starts on an empty database")
        b = Instance("b", binary, database, keys, policies, issuer, work)
        check(b.wait(), "instance B joins it")
        run_checks(a, b, outbox, binary, issuer)
    except Exception as error:  # a crash is a failure, not a silent pass
        check(False, "the two-instance checks ran to the end", repr(error))
    finally:
        a.stop()
        if b:
            b.stop()
        try:
            psql(admin_url, f"DROP DATABASE IF EXISTS {database_name} WITH (FORCE)")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{passed} passed, {failed} failed")
    return 1 if failed else 0


def run_checks(a, b, outbox, binary, issuer):
    # 1. Link on A, resolve on B.
    shop_a = a.token("webshop", "identity:link identity:resolve identity:read")
    created = a.api("POST", "/v1/customers", shop_a, {"identifiers": [{"kind": "email", "value": "anna@example.com"}]})
    check(created.status == 201, "A creates a customer", created.text[:200])
    customer = created.json()["id"]
    linked = a.api("POST", "/v1/links", shop_a, {"customer_id": customer, "identifier": {"kind": "phone", "value": "+358401234567"}})
    check(linked.status in (200, 201), "A links a phone number", linked.text[:200])
    resolved = b.api("GET", "/v1/resolve?kind=phone&value=%2B358401234567", shop_a)
    check(resolved.status == 200 and resolved.json().get("customer_id") == customer,
          "B resolves the link made on A, with A's token", resolved.text[:200])

    # 2. Authorize on A, finish the login and exchange the code on B.
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect = "http://127.0.0.1/oauth/callback"
    browser = Browser()
    query = urllib.parse.urlencode({"response_type": "code", "client_id": "webshop", "redirect_uri": redirect,
                                    "scope": "openid email offline_access", "state": "st-1", "nonce": "no-1",
                                    "code_challenge": challenge, "code_challenge_method": "S256"})
    page = browser.go("GET", a.base + "/oauth/authorize?" + query)
    check(page.status == 200 and 'action="/login/start"' in page.text, "A shows the login page", str(page.status))
    before = set(os.listdir(outbox))
    fields = hidden_fields(page.text, "/login/start") or {}
    fields["identifier"] = "anna@example.com"
    code_page = browser.go("POST", a.base + "/login/start", fields)
    check(code_page.status == 200 and 'action="/login/code"' in code_page.text, "A sends a one-time code", str(code_page.status))
    one_time = newest_code(outbox, before)
    fields = hidden_fields(code_page.text, "/login/code") or {}
    fields["code"] = "000000" if one_time != "000000" else "111111"
    wrong = browser.go("POST", b.base + "/login/code", fields)
    check(wrong.status == 400 and 'action="/login/code"' in wrong.text, "B refuses a wrong code against the challenge A created",
          str(wrong.status))
    fields = hidden_fields(wrong.text, "/login/code") or {}
    fields["code"] = one_time
    done = browser.go("POST", b.base + "/login/code", fields)
    if done.status == 200 and 'action="/login/set-password"' in done.text:
        fields = hidden_fields(done.text, "/login/set-password") or {}
        fields["skip"] = "1"
        done = browser.go("POST", b.base + "/login/set-password", fields)
    location = done.headers.get("Location", "")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    check(done.status in (302, 303) and location.startswith(redirect) and params.get("state") == "st-1" and "code" in params,
          "B finishes the login A started and redirects with a code", f"{done.status} {location[:120]}")
    basic = base64.b64encode(b"webshop:webshop-dev-secret").decode()
    tokens = request("POST", b.base + "/oauth/token", headers={"Authorization": "Basic " + basic},
                     form={"grant_type": "authorization_code", "code": params.get("code", ""), "redirect_uri": redirect,
                           "code_verifier": verifier})
    check(tokens.status == 200 and "refresh_token" in tokens.json(), "B exchanges the code", tokens.text[:200])
    session_on_a = browser.go("GET", a.base + "/oauth/authorize?" + query.replace("st-1", "st-2"))
    check(session_on_a.status in (302, 303) and "code=" in session_on_a.headers.get("Location", ""),
          "the session B created signs the browser in on A without a login page", str(session_on_a.status))

    # 3. Refresh on A, then the old refresh token on B: reuse, and the family is revoked everywhere.
    first_refresh = tokens.json()["refresh_token"]
    rotated = request("POST", a.base + "/oauth/token", headers={"Authorization": "Basic " + basic},
                      form={"grant_type": "refresh_token", "refresh_token": first_refresh})
    check(rotated.status == 200, "A rotates the refresh token B issued", rotated.text[:200])
    reuse = request("POST", b.base + "/oauth/token", headers={"Authorization": "Basic " + basic},
                    form={"grant_type": "refresh_token", "refresh_token": first_refresh})
    check(reuse.status == 400 and reuse.json().get("error") == "invalid_grant", "B detects the reuse of the rotated token", reuse.text[:200])
    after_reuse = request("POST", a.base + "/oauth/token", headers={"Authorization": "Basic " + basic},
                          form={"grant_type": "refresh_token", "refresh_token": rotated.json().get("refresh_token", "")})
    check(after_reuse.status == 400, "the whole family is revoked: A refuses the newest token too", after_reuse.text[:200])

    # A code redeemed on B is spent on A too (and its replay revokes what it issued, RFC 6749 §4.1.2).
    replay = request("POST", a.base + "/oauth/token", headers={"Authorization": "Basic " + basic},
                     form={"grant_type": "authorization_code", "code": params.get("code", ""), "redirect_uri": redirect,
                           "code_verifier": verifier})
    check(replay.status == 400 and replay.json().get("error") == "invalid_grant", "A refuses the code B redeemed", replay.text[:200])

    # 4. Concurrent changes through both instances.
    shop_b = b.token("webshop", "identity:link identity:resolve identity:read")
    admin_a = a.token("admin-cli", "admin")
    admin_b = b.token("admin-cli", "admin")
    instances = [(a, shop_a), (b, shop_b)]

    def create(index):
        instance, token = instances[index % 2]
        response = instance.api("POST", "/v1/customers", token, {"identifiers": [
            {"kind": "email", "value": f"c{index}@example.com"}, {"kind": "phone", "value": f"+35840{3000000 + index}"}]})
        return index, response.status, response.json().get("id") if response.status == 201 else response.text[:200]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(create, range(120)))
    ids = {index: value for index, status, value in results if status == 201}
    check(len(ids) == 120, "120 customers created concurrently through A and B", str([r for r in results if r[1] != 201][:3]))

    def link(index):
        instance, token = instances[(index + 1) % 2]
        response = instance.api("POST", "/v1/links", token, {"customer_id": ids[index],
                                                              "identifier": {"kind": "email", "value": f"extra{index}@example.com"}})
        return response.status

    def merge(pair):
        survivor, duplicate = pair
        instance, token = [(a, admin_a), (b, admin_b)][survivor % 2]
        response = instance.api("POST", "/admin/v1/merges", token, {"survivor": ids[survivor], "duplicate": ids[duplicate],
                                                                     "operator": "two-instance test", "reason": "concurrency"})
        return response.status

    pairs = [(i, i + 1) for i in range(0, 40, 2)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        links = pool.map(link, range(120))
        merges = pool.map(merge, pairs)
        link_statuses, merge_statuses = list(links), list(merges)
    check(all(s in (200, 201) for s in link_statuses), "120 links made concurrently through both", str(set(link_statuses)))
    check(all(s in (200, 201) for s in merge_statuses), "20 merges made concurrently through both", str(set(merge_statuses)))

    missing = []
    for index in range(120):
        expected = ids[index - 1] if index < 40 and index % 2 == 1 else ids[index]
        for value in (f"c{index}@example.com", f"extra{index}@example.com"):
            instance = b if index % 2 else a
            found = instance.api("GET", "/v1/resolve?kind=email&value=" + urllib.parse.quote(value), shop_a)
            if found.status != 200 or found.json().get("customer_id") != expected:
                missing.append((value, found.status))
    check(not missing, "every link is present, merged ones at their survivor, read on either instance", str(missing[:5]))

    # 5. The log verifies against both instances, and they never sign two roots for one size.
    keys = None
    for instance in (a, b):
        verifier = subprocess.run([binary, "keys", "log-verifier", "--keys", keys_dir(instance), "--issuer", issuer],
                                  capture_output=True, text=True, env=clean_environment()).stdout.strip()
        keys = keys or verifier
        check(verifier == keys, f"{instance.name} uses the same log key")
    time.sleep(5.5)  # past the checkpoint interval, so both have signed the final size
    notes = {}
    for instance in (a, b):
        environment = clean_environment()
        environment.update({"SOLMU_SERVER": instance.base, "SOLMU_CLIENT_ID": "auditor", "SOLMU_CLIENT_SECRET": "auditor-dev-secret",
                            "SOLMU_LOG_VERIFIER": keys})
        verified = subprocess.run([binary, "audit", "verify"], capture_output=True, text=True, env=environment)
        check(verified.returncode == 0 and "verified" in verified.stdout, f"solmu audit verify passes against {instance.name}",
              (verified.stdout + verified.stderr)[-300:])
        auditor = instance.token("auditor", "audit:read")
        notes[instance.name] = instance.api("GET", "/log/checkpoint", auditor).text
    size_a, root_a = notes["a"].split("\n")[1:3]
    size_b, root_b = notes["b"].split("\n")[1:3]
    check(size_a != size_b or root_a == root_b, "A and B sign the same root for the same size",
          f"{size_a} {root_a} / {size_b} {root_b}")


def keys_dir(instance):
    arguments = instance.process.args
    return arguments[arguments.index("--keys") + 1]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
