"""Fuzzing Solmu from its own OpenAPI document with schemathesis (issue 8, "Fuzzing").

A live `solmu serve` (see solmu_server.py) serves `/openapi.yaml`; schemathesis loads the document
from that URL and, for every operation in it (OAuth and discovery, OpenID Connect, the login
pages, the Solmu API, the admin API, the verifiable log, operations), generates requests that fit
the document and requests that break it, sends them, and checks every answer:

* `not_a_server_error`: no 5xx, whatever the input;
* `status_code_conformance`: the status code is documented for the operation;
* `content_type_conformance`: the Content-Type is the documented one for that status;
* `response_schema_conformance`: the body validates against the documented schema;
* `response_headers_conformance`: documented required headers are present and valid.

Each request carries the credentials its operation's `security` asks for, so the fuzzer gets past
authentication and reaches the handlers: a `client_credentials` token of the channel whose scopes
cover the operation (`admin-cli` for the Solmu and admin APIs, `auditor` for `/log`), a customer
access token from a real login for `customerBearerAuth` (userinfo), and the web shop's HTTP Basic
credentials for `basicAuth` (token, introspection, revocation). Tokens are fetched again before
they expire, so long runs work.

Each operation is a test item per generation mode: `positive` (the document's own examples once,
then generated requests) and, for operations that take input, `negative`. Not checked:
`negative_data_rejection`, because the document deliberately accepts some schema-breaking input
(unknown top-level members are ignored; the `DPoP` header is ignored with the `Bearer` scheme).

The number of generated examples per operation and mode comes from `SOLMU_FUZZ_EXAMPLES`
(default 30, the bound CI runs: 84 items in about 50 s on two cores with a debug build; 300 took
about 6 minutes). A longer run:

    SOLMU_FUZZ_EXAMPLES=1000 SOLMU_BINARY=$(swift build --show-bin-path)/solmu PYTHONDONTWRITEBYTECODE=1 \\
        .build/venv-interop/bin/python -m pytest -q -p no:cacheprovider Tests/interop/test_fuzz.py

`SOLMU_FUZZ_SEED` fixes hypothesis' seed to replay a run; without it every run explores anew.
"""

import os
import secrets
import threading
import time
import urllib.parse

import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from solmu_server import LOOPBACK_REDIRECT, REPOSITORY, Browser, pkce_pair, query_of, started_server

EXAMPLES = int(os.environ.get("SOLMU_FUZZ_EXAMPLES", "30"))
SEED = os.environ.get("SOLMU_FUZZ_SEED")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]

# The channels whose client_credentials tokens open the API, with the scopes policies/channels.yaml
# gives them; an operation gets the first channel that has every scope it needs.
CHANNEL_SCOPES = {
    "admin-cli": {"identity:resolve", "identity:link", "identity:read", "admin"},
    "auditor": {"identity:read", "audit:read"},
}
BASIC_CHANNEL = "webshop"


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def server(request):
    return started_server(request)


class Credentials:
    """Tokens for the operations' security requirements, fetched again shortly before they expire."""

    def __init__(self, server):
        self.server = server
        self.lock = threading.Lock()
        self.cache = {}  # name -> (token, expires at, monotonic)

    def _cached(self, name, fetch):
        with self.lock:
            token, expires = self.cache.get(name, (None, 0.0))
            if token is None or time.monotonic() > expires - 60:
                token, lifetime = fetch()
                expires = time.monotonic() + lifetime
                self.cache[name] = (token, expires)
            return token

    def channel_token(self, client_id):
        def fetch():
            response = requests.post(self.server.base + "/oauth/token", data={"grant_type": "client_credentials"},
                                     auth=(client_id, f"{client_id}-dev-secret"), timeout=30)
            assert response.status_code == 200, f"{client_id}: {response.status_code} {response.text}"
            body = response.json()
            assert set(body["scope"].split()) == CHANNEL_SCOPES[client_id], body["scope"]
            return body["access_token"], body["expires_in"]
        return self._cached(client_id, fetch)

    def customer_token(self):
        """A customer's access token from a real login (web shop, PKCE) for userinfo."""
        def fetch():
            verifier, challenge = pkce_pair()
            state = secrets.token_urlsafe(16)
            query = urllib.parse.urlencode({
                "response_type": "code", "client_id": "webshop", "redirect_uri": LOOPBACK_REDIRECT,
                "scope": "openid profile email phone", "state": state, "nonce": secrets.token_urlsafe(16),
                "code_challenge": challenge, "code_challenge_method": "S256"})
            done = Browser(self.server).login("/oauth/authorize?" + query, f"fuzz-{secrets.token_hex(6)}@example.com")
            params = query_of(done.headers["Location"])
            assert params.get("state") == state, done.headers["Location"]
            response = requests.post(self.server.base + "/oauth/token", auth=(BASIC_CHANNEL, "webshop-dev-secret"),
                                     data={"grant_type": "authorization_code", "code": params["code"],
                                           "redirect_uri": LOOPBACK_REDIRECT, "code_verifier": verifier}, timeout=30)
            assert response.status_code == 200, response.text
            return response.json()["access_token"], response.json()["expires_in"]
        return self._cached("customer", fetch)

    def headers_for(self, operation, root_security):
        """The Authorization header that satisfies one of the operation's security requirements."""
        requirements = operation.definition.raw.get("security", root_security)
        if not requirements:
            return {}
        for requirement in requirements:
            if "bearerAuth" in requirement:
                needed = set(requirement["bearerAuth"])
                for client_id, scopes in CHANNEL_SCOPES.items():
                    if needed <= scopes:
                        return {"Authorization": "Bearer " + self.channel_token(client_id)}
                pytest.fail(f"{operation.label} needs scopes {sorted(needed)} that no channel has")
            if "customerBearerAuth" in requirement:
                return {"Authorization": "Bearer " + self.customer_token()}
            if "basicAuth" in requirement:
                # requests encodes Basic; both halves are form-urlencoded already (RFC 6749 §2.3.1).
                token = requests.auth._basic_auth_str(BASIC_CHANNEL, f"{BASIC_CHANNEL}-dev-secret")
                return {"Authorization": token}
        if {} in requirements:
            return {}
        pytest.fail(f"{operation.label}: no security requirement this test can satisfy: {requirements}")


@pytest.fixture(scope="module")
def credentials(server):
    return Credentials(server)


@pytest.fixture(scope="module")
def api_schema(server):
    """The document exactly as the live server serves it."""
    schema = schemathesis.openapi.from_url(server.base + "/openapi.yaml", timeout=30)
    schema.config.update(base_url=server.base)
    return schema


# ---------------------------------------------------------------------------------------------
# The fuzz tests: per operation, requests that fit the document and requests that break it


def document_operations():
    """The operations of the repository's document, for pytest's test ids, each with whether it
    takes any input (parameters or a body): only those can be sent input that breaks the
    document. The live document must have exactly these operations."""
    with open(DOCUMENT) as f:
        paths = yaml.safe_load(f)["paths"]
    operations = {}
    for path, item in paths.items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                has_input = bool(item.get("parameters") or operation.get("parameters") or operation.get("requestBody"))
                operations[f"{method.upper()} {path}"] = has_input
    return operations


HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
DOCUMENT = os.path.join(REPOSITORY, "Sources", "SolmuHTTP", "Resources", "openapi.yaml")
OPERATIONS = document_operations()
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + \
        [(label, GenerationMode.NEGATIVE) for label, has_input in OPERATIONS.items() if has_input]
# schemathesis leaves the operation its document came from out of its list (it can still be found).
SCHEMA_OPERATION = "GET /openapi.yaml"


def test_the_live_document_has_the_operations_fuzzed(api_schema):
    live = {result.ok().label for result in api_schema.get_all_operations()} | {SCHEMA_OPERATION}
    assert live == set(OPERATIONS)
    assert all(api_schema.find_operation_by_label(label) is not None for label in OPERATIONS)


def fuzz_settings(examples):
    # No shrinking: a failure is reported with the request as sent (and a curl line), and the
    # bounded run stays bounded. Hypothesis prints the seed to replay it (SOLMU_FUZZ_SEED).
    return settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


# Headers that frame the HTTP message rather than carry an API parameter. Negative generation adds
# unexpected headers to break the document, and an empty or bogus `Content-Length` was among them:
# the HTTP/1.1 parser refuses such a message with a bare `400` and closes the connection before any
# operation sees it (RFC 9112 §6.3: the body's length cannot be known). That is a broken message,
# not API input, and the document says so in its conventions; the fuzzer sends well-framed requests.
FRAMING_HEADERS = {"content-length", "transfer-encoding", "host", "connection", "te", "trailer", "upgrade"}


def keeps_http_framing(case):
    return not any(name.lower() in FRAMING_HEADERS for name in (case.headers or {}))


def send_and_check(case, credentials, api_schema):
    headers = credentials.headers_for(case.operation, api_schema.raw_schema.get("security", []))
    response = case.call(headers=headers, timeout=60, allow_redirects=False)
    case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES])
def test_every_answer_conforms_to_the_document(label, mode, api_schema, credentials):
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in the live document"
    strategies = [operation.as_strategy(generation_mode=mode).filter(keeps_http_framing)]
    if mode is GenerationMode.POSITIVE:
        # The document's own examples first, each once.
        strategies = api_schema.get_strategies_from_examples(operation) + strategies
    for index, strategy in enumerate(strategies):
        examples = EXAMPLES if index == len(strategies) - 1 else 1

        @fuzz_settings(examples)
        @given(case=strategy)
        def run(case):
            send_and_check(case, credentials, api_schema)

        if SEED is not None:
            run = hypothesis_seed(int(SEED))(run)
        run()
