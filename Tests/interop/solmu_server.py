"""A live `solmu serve` for the real-client tests, and a hand-driven browser for its login pages.

`SolmuServer` starts the binary named by `SOLMU_BINARY` on a free loopback port with a throwaway
SQLite database, fresh keys and a copy of the repository's `policies/` whose one-time codes go to a
temporary outbox. It removes every `SOLMU_*` variable from the child's environment, waits for
`GET /health/ready`, and `stop()` ends only the process it started and removes its folder.

`channel_replacements` edits that copy's channels.yaml (each text must occur), e.g. to point a
back-channel logout URI at a `BackchannelReceiver`, a loopback endpoint that records what it gets.

`Browser` keeps cookies by hand (Solmu's cookies are `Secure` and the tests speak plain HTTP on
loopback) and walks the login pages: e-mail, one-time code read from the outbox, and the optional
"set a password" offer, which it skips.
"""

import base64
import hashlib
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse

import requests

from forms import hidden_fields

REPOSITORY = os.environ.get("SOLMU_REPOSITORY") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BINARY = os.path.join(REPOSITORY, ".build", "debug", "solmu")
LOOPBACK_REDIRECT = "http://127.0.0.1/oauth/callback"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith("SOLMU_")}


class SolmuServer:
    def __init__(self, binary=None, repository=REPOSITORY, channel_replacements=None):
        self.binary = binary or os.environ.get("SOLMU_BINARY") or DEFAULT_BINARY
        self.repository = repository
        # Exact text replacements in the copy of policies/channels.yaml (each must occur).
        self.channel_replacements = dict(channel_replacements or {})
        self.work = None
        self.process = None
        self.log = None

    def start(self, timeout=60):
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"no solmu binary at {self.binary} (set SOLMU_BINARY)")
        self.work = tempfile.mkdtemp(prefix="solmu-real-clients-")
        self.policies = os.path.join(self.work, "policies")
        shutil.copytree(os.path.join(self.repository, "policies"), self.policies)
        self.outbox = os.path.join(self.work, "outbox")
        os.makedirs(self.outbox)
        messages_path = os.path.join(self.policies, "messages.yaml")
        with open(messages_path) as f:
            messages = f.read()
        if "directory: data/outbox" not in messages:
            raise RuntimeError("policies/messages.yaml no longer has `directory: data/outbox`")
        with open(messages_path, "w") as f:
            f.write(messages.replace("directory: data/outbox", f"directory: {self.outbox}"))
        channels_path = os.path.join(self.policies, "channels.yaml")
        with open(channels_path) as f:
            channels = f.read()
        for old, new in self.channel_replacements.items():
            if old not in channels:
                raise RuntimeError(f"policies/channels.yaml no longer has {old!r}")
            channels = channels.replace(old, new)
        with open(channels_path, "w") as f:
            f.write(channels)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = self.base
        self.log_path = os.path.join(self.work, "solmu.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--issuer", self.issuer,
             "--database", "sqlite:" + os.path.join(self.work, "solmu.sqlite"),
             "--keys", os.path.join(self.work, "keys"), "--policies", self.policies],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=clean_environment())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"solmu serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/health/ready", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"solmu serve was not ready within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, characters=3000):
        try:
            self.log.flush()
            with open(self.log_path, errors="replace") as f:
                return f.read()[-characters:]
        except (OSError, AttributeError, ValueError):
            return ""

    def stop(self):
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=15)
        finally:
            if self.log is not None:
                self.log.close()
            if self.work is not None:
                shutil.rmtree(self.work, ignore_errors=True)

    def outbox_files(self):
        return set(os.listdir(self.outbox))

    def one_time_code(self, before, recipient=None, timeout=20):
        """The code of the first message that arrived after `before` (for `recipient`, if given)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in sorted(self.outbox_files() - before):
                if not name.endswith(".json"):
                    continue
                try:
                    with open(os.path.join(self.outbox, name)) as f:
                        message = json.load(f)
                    payload = json.loads(message["payload"])
                except (OSError, ValueError, KeyError):
                    continue  # still being written
                if recipient is None or recipient in json.dumps(message):
                    return payload["code"]
            time.sleep(0.05)
        raise AssertionError(f"no one-time code reached the outbox within {timeout} s")


class Browser:
    """A browser's cookie jar kept by hand, sent on every request, never following redirects."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}
        self.http = requests.Session()

    def go(self, method, url, form=None):
        if url.startswith("/"):
            url = self.server.base + url
        header = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(method, url, data=form, allow_redirects=False, timeout=30,
                                     headers={"Cookie": header} if header else {})
        for value in response.raw.headers.getlist("Set-Cookie"):
            name, _, rest = value.split(";")[0].partition("=")
            if "max-age=0" in value.lower() or not rest:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = rest
        return response

    def login(self, authorization_url, email):
        """Walks the login pages from an authorization URL and returns the final redirect."""
        page = self.go("GET", authorization_url)
        if page.status_code in (302, 303):
            return page  # a live session: single sign-on, no page
        fields = hidden_fields(page.text, "/login/start")
        assert page.status_code == 200 and fields is not None, f"no login page: {page.status_code} {page.text[:300]}"
        before = self.server.outbox_files()
        fields["identifier"] = email
        code_page = self.go("POST", "/login/start", fields)
        fields = hidden_fields(code_page.text, "/login/code")
        assert code_page.status_code == 200 and fields is not None, \
            f"no code page: {code_page.status_code} {code_page.text[:300]}"
        fields["code"] = self.server.one_time_code(before, email)
        done = self.go("POST", "/login/code", fields)
        offer = hidden_fields(done.text, "/login/set-password") if done.status_code == 200 else None
        if offer is not None:
            offer["skip"] = "1"
            done = self.go("POST", "/login/set-password", offer)
        assert done.status_code in (302, 303), f"login did not redirect: {done.status_code} {done.text[:300]}"
        return done


def started_server(request, **kwargs):
    """A started `SolmuServer` that stops when the fixture `request`'s scope ends (the finalizer is
    registered before the start, so a failed start still cleans up)."""
    solmu = SolmuServer(**kwargs)
    request.addfinalizer(solmu.stop)
    return solmu.start()


def pkce_pair():
    """A PKCE verifier and its S256 challenge (RFC 7636 §4.2)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(location):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def wait_until(predicate, timeout=5.0):
    """Polls `predicate` until it holds or `timeout` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args):
        pass

    def send_body(self, body, content_type):
        """Answers 200 with `body` (bytes) as `content_type`."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class LoopbackHTTPServer:
    """`handler` (a QuietHandler subclass) served on a free loopback port by a daemon thread."""

    def __init__(self, handler, name):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=name, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class BackchannelReceiver(LoopbackHTTPServer):
    """A relying party's back-channel logout endpoint on loopback: records each POSTed form, answers 200."""

    def __init__(self):
        received = self.received = []
        condition = self.condition = threading.Condition()

        class Handler(QuietHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace")
                with condition:
                    received.append({"content_type": self.headers.get("Content-Type", ""),
                                     "form": dict(urllib.parse.parse_qsl(body))})
                    condition.notify_all()
                self.send_response(200)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler, "backchannel-receiver")
        self.url = self.base + "/backchannel-logout"

    def wait_for(self, predicate, timeout=15):
        """The first received form that satisfies `predicate`, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for item in self.received:
                    if predicate(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self.condition.wait(remaining)
