"""Attacks on a live `solmu serve` (issue 8): RFC 8725 token attacks, RFC 9700 / OpenID Connect
authorization attacks, each refused with the right error and leaving no token usable.

A throwaway server (module scope, see solmu_server.SolmuServer) runs on loopback. Run:

    python3 -m venv /tmp/interop-venv && /tmp/interop-venv/bin/pip install -r Tests/interop/requirements.txt
    SOLMU_BINARY=$(swift build --show-bin-path)/solmu PYTHONDONTWRITEBYTECODE=1 \
        /tmp/interop-venv/bin/python -m pytest -q -p no:cacheprovider Tests/interop/test_attacks.py

Tokens are built by hand (base64url, hmac, cryptography), because PyJWT refuses to build most of
them. A forged token whose claims are wrong (expired, `nbf`, `iss`, `aud`, `typ`) is signed with
the server's own private key, read from its `keys/` directory: the refusal then proves the claim
check, not the signature check. Each such family has a control: the same token re-signed with
the claims unchanged is accepted, so a refusal is about the one thing the attack changed.

Every attack token is presented where it could do harm:
- `api`: as a Bearer token to the Solmu API (`GET /v1/resolve`): 401, RFC 9457 problem+json,
  `WWW-Authenticate: Bearer ... error="invalid_token"`;
- `introspect`: to `/oauth/introspect` by the channel the token claims to belong to: `{"active": false}`;
- `exchange`: as `subject_token` of an RFC 8693 token exchange: an OAuth error, no token.

After every test `/health/ready` answers 200, and no answer in this file may be a 5xx.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import time
import urllib.parse

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from solmu_server import LOOPBACK_REDIRECT, Browser, LoopbackHTTPServer, QuietHandler, SolmuServer, query_of, wait_until

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
WEBSHOP_REDIRECT = "https://shop.example.com/oauth/callback"
WEBSHOP_LOGOUT_REDIRECT = "https://shop.example.com/"
APP_REDIRECT = "http://127.0.0.1:53117/oauth/callback"
WEBSHOP_AUTH = ("webshop", "webshop-dev-secret")


# ---------------------------------------------------------------------------------------------
# JOSE by hand


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_json(value):
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def parts_of(token):
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def sign_es256(private_key, signing_input):
    r, s = decode_dss_signature(private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def compact(header, payload, sign=None):
    """`sign(signing_input) -> bytes`; without it the signature part is empty."""
    signing_input = (b64url_json(header) + "." + b64url_json(payload)).encode("ascii")
    signature = b64url(sign(signing_input)) if sign else ""
    return signing_input.decode("ascii") + "." + signature


def hs256(secret):
    return lambda signing_input: hmac.new(secret, signing_input, hashlib.sha256).digest()


class Keys:
    """The server's private keys (read from its keys/ directory), its JWKS, and an attacker key."""

    def __init__(self, keys_directory, jwks):
        with open(os.path.join(keys_directory, "signing-keys.json")) as f:
            manifest = json.load(f)
        self.private = {}
        for entry in manifest["keys"]:
            if entry.get("retired_at"):
                continue
            with open(os.path.join(keys_directory, entry["file"]), "rb") as f:
                self.private[entry["alg"]] = (entry["kid"], serialization.load_pem_private_key(f.read(), password=None))
        assert {"ES256", "EdDSA"} <= set(self.private), f"keys/ holds {sorted(self.private)}"
        self.es256_kid, self.es256 = self.private["ES256"]
        self.eddsa_kid, self.eddsa = self.private["EdDSA"]
        self.jwks = jwks
        self.es256_jwk = next(k for k in jwks["keys"] if k["kid"] == self.es256_kid)
        self.eddsa_jwk = next(k for k in jwks["keys"] if k["kid"] == self.eddsa_kid)
        # The file read is the key the server publishes: its public half is in the JWKS.
        public = self.es256.public_key().public_numbers()
        assert (b64url(public.x.to_bytes(32, "big")), b64url(public.y.to_bytes(32, "big"))) == \
            (self.es256_jwk["x"], self.es256_jwk["y"]), "keys/ and the JWKS disagree"
        self.attacker = ec.generate_private_key(ec.SECP256R1())
        numbers = self.attacker.public_key().public_numbers()
        self.attacker_jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                             "y": b64url(numbers.y.to_bytes(32, "big"))}
        thumbprint_input = json.dumps({k: self.attacker_jwk[k] for k in ("crv", "kty", "x", "y")},
                                      separators=(",", ":"), sort_keys=True).encode()
        self.attacker_kid = b64url(hashlib.sha256(thumbprint_input).digest())
        self.attacker_jwk.update({"kid": self.attacker_kid, "alg": "ES256", "use": "sig"})

    def solmu(self, header, payload):
        """Signed with the server's own key of `header["alg"]` (ES256 unless given)."""
        alg = header.get("alg", "ES256")
        if alg == "EdDSA":
            return compact(header, payload, self.eddsa.sign)
        return compact(header, payload, lambda signing_input: sign_es256(self.es256, signing_input))

    def attacker_signed(self, header, payload):
        return compact(header, payload, lambda signing_input: sign_es256(self.attacker, signing_input))

    # The EC public key of the JWKS (what an attacker has) in the forms a careless HMAC verifier
    # might use as its secret.
    def public_key_secrets(self):
        x, y = b64url_decode(self.es256_jwk["x"]), b64url_decode(self.es256_jwk["y"])
        public = ec.EllipticCurvePublicNumbers(int.from_bytes(x, "big"), int.from_bytes(y, "big"),
                                               ec.SECP256R1()).public_key()
        return {
            "pem": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
            "der": public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
            "raw-xy": x + y,
            "uncompressed-point": public.public_bytes(serialization.Encoding.X962,
                                                      serialization.PublicFormat.UncompressedPoint),
            "jwk-json": json.dumps(self.es256_jwk).encode(),
            "x-coordinate": x,
        }

    def attacker_certificate(self):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "solmu attacker")])
        now = time.time()
        certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                       .public_key(self.attacker.public_key()).serial_number(x509.random_serial_number())
                       .not_valid_before(datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
                       .not_valid_after(datetime.datetime.fromtimestamp(now + 3600, datetime.timezone.utc))
                       .sign(self.attacker, hashes.SHA256()))
        return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


class KeyURLServer(LoopbackHTTPServer):
    """An attacker's key server on loopback (for `jku`, `x5u`): serves the attacker JWKS, records every request."""

    def __init__(self, jwks):
        requests_seen = self.requests = []
        body = json.dumps(jwks).encode()

        class Handler(QuietHandler):
            def do_GET(self):
                requests_seen.append(self.path)
                self.send_body(body, "application/json")

        super().__init__(Handler, "attacker-key-server")


# ---------------------------------------------------------------------------------------------
# Fixtures


class Solmu:
    """The live server, with every answer checked for 5xx."""

    def __init__(self, server):
        self.server = server
        self.base = server.base
        self.http = requests.Session()

    def request(self, method, path, **kwargs):
        url = path if path.startswith("http") else self.base + path
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        response = self.http.request(method, url, **kwargs)
        assert response.status_code < 500, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return response

    def healthy(self):
        response = requests.get(self.base + "/health/ready", timeout=10)
        return response.status_code

    # The three places an access token is presented.

    def api(self, token, email):
        return self.request("GET", "/v1/resolve", params={"kind": "email", "value": email},
                            headers={"Authorization": "Bearer " + token})

    def introspect(self, token, auth=WEBSHOP_AUTH):
        return self.request("POST", "/oauth/introspect", data={"token": token}, auth=auth)

    def exchange(self, subject_token):
        return self.request("POST", "/oauth/token", data={
            "grant_type": TOKEN_EXCHANGE, "client_id": "mobile-app", "subject_token": subject_token,
            "subject_token_type": ACCESS_TOKEN_TYPE, "audience": "webshop", "scope": "openid"})

    def token(self, data, auth=None):
        return self.request("POST", "/oauth/token", data=data, auth=auth)


@pytest.fixture(scope="module")
def server(request):
    solmu = SolmuServer()
    request.addfinalizer(solmu.stop)  # registered before start: a failed start still cleans up
    solmu.start()
    return solmu


@pytest.fixture(scope="module")
def solmu(server):
    client = Solmu(server)
    yield client
    client.http.close()


@pytest.fixture(autouse=True)
def stays_healthy(solmu):
    yield
    assert solmu.healthy() == 200, "the server is no longer ready after the attack"


@pytest.fixture(scope="module")
def discovery(solmu):
    response = solmu.request("GET", "/.well-known/openid-configuration")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def keys(server, solmu, discovery):
    jwks = solmu.request("GET", discovery["jwks_uri"]).json()
    return Keys(os.path.join(server.work, "keys"), jwks)


@pytest.fixture(scope="module")
def key_url_server(request, keys):
    served = KeyURLServer({"keys": [keys.attacker_jwk]})
    request.addfinalizer(served.stop)
    return served


@pytest.fixture(scope="module")
def customer(solmu):
    """A customer (by e-mail) that the web shop resolves, created with the web shop's channel token."""
    token = solmu.token({"grant_type": "client_credentials", "scope": "identity:link"}, auth=WEBSHOP_AUTH)
    assert token.status_code == 200, token.text
    email = f"attack-{secrets.token_hex(6)}@example.com"
    created = solmu.request("POST", "/v1/customers", json={"identifiers": [{"kind": "email", "value": email}]},
                            headers={"Authorization": "Bearer " + token.json()["access_token"]})
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "email": email}


@pytest.fixture(scope="module")
def channel_token(solmu):
    """The web shop's genuine channel token with identity:resolve (audience: the API)."""
    response = solmu.token({"grant_type": "client_credentials", "scope": "identity:resolve"}, auth=WEBSHOP_AUTH)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def pkce_pair():
    verifier = b64url(secrets.token_bytes(48))
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


def authorize_url(discovery, client_id, redirect_uri, challenge=None, method="S256", scope="openid email", **extra):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope}
    if challenge is not None:
        params["code_challenge"] = challenge
    if method is not None and challenge is not None:
        params["code_challenge_method"] = method
    params.update(extra)
    return discovery["authorization_endpoint"] + "?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


class LoggedIn:
    """A browser with a live Solmu session: later authorization requests are answered at once."""

    def __init__(self, solmu, discovery, customer):
        self.solmu, self.discovery, self.customer = solmu, discovery, customer
        self.browser = Browser(solmu.server)
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(8)
        done = self.browser.login(authorize_url(discovery, "webshop", LOOPBACK_REDIRECT, challenge, state=state,
                                                nonce="first"), customer["email"])
        assert "solmu_session" in self.browser.cookies, self.browser.cookies
        location = done.headers["Location"]
        assert query_of(location).get("state") == state, location
        self.first = self.redeem("webshop", query_of(location)["code"], LOOPBACK_REDIRECT, verifier)

    def code(self, client_id="webshop", redirect_uri=LOOPBACK_REDIRECT, scope="openid email", **extra):
        """A fresh authorization code through single sign-on: (code, verifier, location)."""
        verifier, challenge = pkce_pair()
        response = self.browser.go("GET", authorize_url(self.discovery, client_id, redirect_uri, challenge, scope=scope,
                                                        **extra))
        assert response.status_code in (302, 303), f"no single sign-on: {response.status_code} {response.text[:200]}"
        location = response.headers["Location"]
        assert location.split("?")[0] == redirect_uri, location
        params = query_of(location)
        assert "code" in params, location
        return params["code"], verifier, location

    def redeem(self, client_id, code, redirect_uri, verifier):
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": verifier}
        if client_id == "webshop":
            response = self.solmu.token(data, auth=WEBSHOP_AUTH)
        else:
            response = self.solmu.token({**data, "client_id": client_id})
        assert response.status_code == 200, response.text
        return response.json()

    def tokens(self, client_id="webshop", redirect_uri=LOOPBACK_REDIRECT, scope="openid email"):
        code, verifier, _ = self.code(client_id, redirect_uri, scope)
        return self.redeem(client_id, code, redirect_uri, verifier)


@pytest.fixture(scope="module")
def logged_in(solmu, discovery, customer):
    return LoggedIn(solmu, discovery, customer)


@pytest.fixture(scope="module")
def logout_target(solmu, discovery, customer):
    """A second browser and session, for the logout attacks: if one wrongly ends it, nothing else breaks."""
    return LoggedIn(solmu, discovery, customer)


@pytest.fixture(scope="module")
def app_token(logged_in):
    """A genuine customer access token of the mobile app (the subject of the app's token exchange)."""
    return logged_in.tokens("mobile-app", APP_REDIRECT)


# ---------------------------------------------------------------------------------------------
# Assertions


def assert_bearer_refused(response):
    """RFC 6750 §3: 401 with a Bearer challenge naming invalid_token (userinfo, OpenID Connect Core §5.3.3)."""
    assert response.status_code == 401, f"{response.status_code} {response.text[:300]}"
    challenge = response.headers.get("WWW-Authenticate", "")
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge, challenge


def assert_api_refused(response):
    """The Solmu API: the RFC 6750 challenge, and an RFC 9457 problem+json body."""
    assert_bearer_refused(response)
    assert response.headers.get("Content-Type", "").startswith("application/problem+json"), response.headers
    problem = response.json()
    assert problem["status"] == 401 and problem.get("type") and problem.get("title"), problem
    assert "customer_id" not in problem


def assert_inactive(response):
    assert response.status_code == 200, f"{response.status_code} {response.text[:300]}"
    assert response.json() == {"active": False}, response.text


def assert_oauth_error(response, codes, status=400):
    """RFC 6749 §5.2: JSON with `error`, no-store, and no token."""
    assert response.status_code == status, f"{response.status_code} {response.text[:300]}"
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers
    body = response.json()
    assert body.get("error") in codes, body
    assert "access_token" not in body and "refresh_token" not in body and "id_token" not in body, body




# ---------------------------------------------------------------------------------------------
# Tokens (RFC 8725): each forged token against the API, introspection and token exchange


def resigned(keys, token, header=None, claims=None, drop=()):
    """`token` with its header and claims changed, signed with the server's own key."""
    original_header, payload, _ = parts_of(token)
    new_header = {**original_header, **(header or {})}
    new_payload = {**payload, **(claims or {})}
    for name in drop:
        new_header.pop(name, None)
        new_payload.pop(name, None)
    return keys.solmu(new_header, new_payload)


def with_header(keys, token, sign, **changes):
    """`token`'s claims under a new header, signed by `sign(header, payload)`."""
    header, payload, _ = parts_of(token)
    header = {**header, **changes}
    return sign({k: v for k, v in header.items() if v is not None}, payload)


def changed_payload(token, change):
    """The original header and signature over a changed payload."""
    header, payload, signature = token.split(".")
    return header + "." + change(payload) + "." + signature


def elevate_scope(payload_b64):
    claims = json.loads(b64url_decode(payload_b64))
    claims["scope"] = claims.get("scope", "") + " admin identity:link identity:read"
    return b64url_json(claims)


def flip_one_byte(payload_b64):
    raw = bytearray(b64url_decode(payload_b64))
    index = raw.index(b'"jti"') + 8  # inside the jti value: still JSON, one byte different
    raw[index] = ord("A") if raw[index] != ord("A") else ord("B")
    return b64url(bytes(raw))


def now():
    return int(time.time())


# Each attack: (id, build(keys, genuine_token, key_url_server) -> token, where it is presented, a
# word the API's refusal must name or None). A wrong audience is the resource server's own check:
# introspection answers for any audience and reports `aud` (RFC 7662 §2.2), and token exchange
# reads Solmu's tokens whatever their audience (AccessTokenInspector); so for those tokens
# introspection must be inactive or report the forged audience, never the API's.
ALL = ("api", "introspect", "exchange")
AUD = ("api", "introspect-reports-aud")

TOKEN_ATTACKS = [
    # alg: none (RFC 8725 §2.1, §3.1)
    ("alg-none", lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p), alg="none"), ALL, 'alg'),
    ("alg-None", lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p), alg="None"), ALL, 'alg'),
    ("alg-none-no-kid", lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p), alg="none", kid=None), ALL, 'alg'),
    ("alg-none-keeps-the-real-signature",
     lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p), alg="none").rstrip(".") + "." + t.split(".")[2], ALL, 'alg'),
    # Algorithm confusion: HS256 keyed with our public key (RFC 8725 §2.1, §3.1)
    *[(f"hs256-keyed-with-public-key-{form}",
       (lambda form: lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p, hs256(k.public_key_secrets()[form])),
                                                  alg="HS256"))(form), ALL, 'alg')
      for form in ("pem", "der", "raw-xy", "uncompressed-point", "jwk-json", "x-coordinate")],
    ("hs256-keyed-with-eddsa-public-key",
     lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p, hs256(b64url_decode(k.eddsa_jwk["x"]))),
                                 alg="HS256", kid=k.eddsa_kid), ALL, 'alg'),
    ("hs256-empty-secret", lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p, hs256(b"")), alg="HS256"), ALL, 'alg'),
    # Our own keys, each with the other's algorithm or kid
    ("es256-signature-under-the-eddsa-kid",
     lambda k, t, u: with_header(k, t, lambda h, p: k.solmu({**h, "alg": "ES256"}, p), kid=k.eddsa_kid), ALL, 'kid'),
    ("eddsa-signature-under-the-es256-kid",
     lambda k, t, u: with_header(k, t, k.solmu, alg="EdDSA", kid=k.es256_kid), ALL, 'kid'),
    # kid: unknown, missing, injected (signed with the server's own key or an attacker's secret)
    ("unknown-kid", lambda k, t, u: with_header(k, t, k.solmu, kid="no-such-key"), ALL, 'kid'),
    ("missing-kid", lambda k, t, u: with_header(k, t, k.solmu, kid=None), ALL, 'kid'),
    ("kid-path-traversal", lambda k, t, u: with_header(k, t, k.solmu, kid="../../keys/x"), ALL, 'kid'),
    ("kid-path-to-our-key-file",
     lambda k, t, u: with_header(k, t, k.solmu, kid=f"../keys/es256-{k.es256_kid}.pem"), ALL, 'kid'),
    ("kid-dev-null-hs256-empty-secret",
     lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p, hs256(b"")), alg="HS256", kid="/dev/null"), ALL, 'alg'),
    ("kid-sql-injection", lambda k, t, u: with_header(k, t, k.solmu, kid="' OR '1'='1"), ALL, 'kid'),
    ("kid-sql-union-hs256",
     lambda k, t, u: with_header(k, t, lambda h, p: compact(h, p, hs256(b"secret")), alg="HS256",
                                 kid="x' UNION SELECT 'secret' --"), ALL, 'alg'),
    ("kid-with-nul-suffix", lambda k, t, u: with_header(k, t, k.solmu, kid=k.es256_kid + "\u0000x"), ALL, 'kid'),
    # Headers that point at keys (RFC 8725 §3.10 via RFC 7515 §4.1.2-§4.1.6), attacker-signed
    ("jwk-header-with-attacker-key",
     lambda k, t, u: with_header(k, t, k.attacker_signed, kid=k.attacker_kid, jwk=k.attacker_jwk), ALL, 'jwk'),
    ("jwk-header-under-our-kid",
     lambda k, t, u: with_header(k, t, k.attacker_signed, jwk={**k.attacker_jwk, "kid": k.es256_kid}), ALL, 'jwk'),
    ("jku-to-attacker-jwks",
     lambda k, t, u: with_header(k, t, k.attacker_signed, kid=k.attacker_kid, jku=u.base + "/jwks.json"), ALL, 'jku'),
    ("jku-under-our-kid",
     lambda k, t, u: with_header(k, t, k.attacker_signed, jku=u.base + "/our-kid/jwks.json"), ALL, 'jku'),
    ("x5u-to-attacker",
     lambda k, t, u: with_header(k, t, k.attacker_signed, kid=k.attacker_kid, x5u=u.base + "/cert.pem"), ALL, 'x5u'),
    ("x5c-attacker-certificate",
     lambda k, t, u: with_header(k, t, k.attacker_signed, kid=k.attacker_kid, x5c=[k.attacker_certificate()]), ALL, 'x5c'),
    ("jku-header-on-our-own-signature",
     lambda k, t, u: with_header(k, t, k.solmu, jku=u.base + "/signed-by-solmu/jwks.json"), ALL, 'jku'),
    ("crit-header-on-our-own-signature", lambda k, t, u: with_header(k, t, k.solmu, crit=["exp"]), ALL, 'crit'),
    # Claims, with the server's own signature (RFC 8725 §3.8, §3.9; RFC 9068 §4)
    ("expired", lambda k, t, u: resigned(k, t, claims={"exp": now() - 3600, "iat": now() - 4500}), ALL, 'expired'),
    ("expired-beyond-the-leeway", lambda k, t, u: resigned(k, t, claims={"exp": now() - 90, "iat": now() - 990}), ALL, 'expired'),
    ("nbf-in-the-future", lambda k, t, u: resigned(k, t, claims={"nbf": now() + 3600}), ALL, 'nbf'),
    ("iat-in-the-future", lambda k, t, u: resigned(k, t, claims={"iat": now() + 3600, "exp": now() + 7200}), ALL, 'iat'),
    ("wrong-iss", lambda k, t, u: resigned(k, t, claims={"iss": "https://evil.example"}), ALL, 'issuer'),
    ("iss-with-trailing-slash", lambda k, t, u: resigned(k, t, claims={"iss": parts_of(t)[1]["iss"] + "/"}), ALL, 'issuer'),
    ("missing-iss", lambda k, t, u: resigned(k, t, drop=("iss",)), ALL, None),
    ("missing-exp", lambda k, t, u: resigned(k, t, drop=("exp",)), ALL, None),
    ("wrong-aud", lambda k, t, u: resigned(k, t, claims={"aud": "https://evil.example/v1"}), AUD, 'audience'),
    ("wrong-aud-array", lambda k, t, u: resigned(k, t, claims={"aud": ["https://evil.example/v1", "webshop"]}), AUD, 'audience'),
    ("customer-token-audience-at-the-api", lambda k, t, u: resigned(k, t, claims={"aud": parts_of(t)[1]["iss"]}), AUD, 'audience'),
    ("missing-aud", lambda k, t, u: resigned(k, t, drop=("aud",)), ("api",), None),
    # typ: only at+jwt is an access token (RFC 8725 §3.11, RFC 9068 §2.1)
    ("typ-JWT-like-an-id-token", lambda k, t, u: resigned(k, t, header={"typ": "JWT"}), ALL, 'typ'),
    ("typ-missing", lambda k, t, u: resigned(k, t, drop=("typ",)), ALL, 'typ'),
    ("typ-logout+jwt", lambda k, t, u: resigned(k, t, header={"typ": "logout+jwt"}), ALL, 'typ'),
    # A changed payload under the original signature
    ("payload-scope-elevated", lambda k, t, u: changed_payload(t, elevate_scope), ALL, 'signature'),
    ("payload-one-byte-flipped", lambda k, t, u: changed_payload(t, flip_one_byte), ALL, 'signature'),
    ("signature-one-byte-flipped",
     lambda k, t, u: t.rsplit(".", 1)[0] + "." + b64url(bytes([b64url_decode(t.rsplit(".", 1)[1])[0] ^ 1])
                                                         + b64url_decode(t.rsplit(".", 1)[1])[1:]), ALL, 'signature'),
    # Truncated and garbage
    ("signature-dropped", lambda k, t, u: t.rsplit(".", 1)[0] + ".", ALL, 'signature'),
    ("signature-and-dot-dropped", lambda k, t, u: t.rsplit(".", 1)[0], ALL, None),
    ("last-character-dropped", lambda k, t, u: t[:-1], ALL, None),
    ("last-eight-characters-dropped", lambda k, t, u: t[:-8], ALL, None),
    ("header-only", lambda k, t, u: t.split(".")[0], ALL, None),
    ("four-parts", lambda k, t, u: t + "." + t.split(".")[2], ALL, None),
    ("not-base64url", lambda k, t, u: t.split(".")[0] + ".!!!." + t.split(".")[2], ALL, None),
    # Past the verifier's 8 KiB limit but within the HTTP header limit, with our own signature
    ("sixteen-kilobytes", lambda k, t, u: resigned(k, t, claims={"pad": "A" * 16_000}), ALL, "exceeds"),
]


def test_forged_tokens_are_built_right(solmu, keys, channel_token, customer, app_token):
    """The control: the genuine tokens re-signed with our copy of the server's key are accepted
    everywhere, so every refusal below is about what the attack changed."""
    again = resigned(keys, channel_token)
    assert again != channel_token
    assert solmu.api(again, customer["email"]).status_code == 200
    answer = solmu.introspect(again).json()
    assert answer["active"] is True and answer["client_id"] == "webshop", answer
    app_again = resigned(keys, app_token["access_token"])
    exchanged = solmu.exchange(app_again)
    assert exchanged.status_code == 200 and exchanged.json().get("access_token"), exchanged.text
    # The same holds for the EdDSA key (the one ID tokens of the app are signed with).
    eddsa = with_header(keys, channel_token, keys.solmu, alg="EdDSA", kid=keys.eddsa_kid)
    assert solmu.api(eddsa, customer["email"]).status_code == 200


@pytest.mark.parametrize("build, sink, reason", [
    pytest.param(build, sink, reason, id=f"{name}-{sink}") for name, build, sinks, reason in TOKEN_ATTACKS for sink in sinks])
def test_forged_access_token_is_refused(solmu, discovery, keys, key_url_server, channel_token, app_token, customer,
                                        build, sink, reason):
    assert solmu.api(channel_token, customer["email"]).status_code == 200  # the genuine token works here
    if sink == "api":
        refused = solmu.api(build(keys, channel_token, key_url_server), customer["email"])
        assert_api_refused(refused)
        if reason:
            assert reason in refused.json().get("detail", "").lower(), refused.json()
    elif sink == "introspect":
        assert_inactive(solmu.introspect(build(keys, channel_token, key_url_server)))
    elif sink == "introspect-reports-aud":
        forged = build(keys, channel_token, key_url_server)
        answer = solmu.introspect(forged)
        assert answer.status_code == 200, answer.text
        audience = parts_of(forged)[1]["aud"]
        if answer.json() != {"active": False}:
            assert answer.json()["aud"] == (audience if isinstance(audience, list) else [audience]), answer.json()
            assert discovery["issuer"] + "/v1" not in answer.json()["aud"], answer.json()
    elif sink == "exchange":
        # The subject is the app's genuine customer token, attacked the same way.
        assert_oauth_error(solmu.exchange(build(keys, app_token["access_token"], key_url_server)),
                           {"invalid_grant", "invalid_request"})
    else:
        raise AssertionError(sink)
    assert key_url_server.requests == [], f"the server fetched attacker keys: {key_url_server.requests}"


def test_no_attacker_key_url_was_ever_fetched(key_url_server):
    """After every jku/x5u token above (and a second for anything asynchronous), nothing came."""
    time.sleep(1)
    assert key_url_server.requests == [], key_url_server.requests


def test_a_one_megabyte_token_is_a_clear_4xx(solmu, customer, channel_token):
    header, payload, _ = parts_of(channel_token)
    huge = b64url_json(header) + "." + b64url_json({**payload, "pad": "A" * 1_000_000}) + "." + "A" * 86
    assert len(huge) > 1_000_000
    api = solmu.api(huge, customer["email"])
    assert 400 <= api.status_code < 500, api.status_code
    assert api.status_code in (400, 401, 413, 431), api.status_code
    if api.status_code == 401:
        assert_api_refused(api)
    introspection = solmu.introspect(huge)
    assert introspection.status_code in (200, 400, 413), introspection.status_code
    if introspection.status_code == 200:
        assert_inactive(introspection)
    else:
        assert introspection.json().get("error") == "invalid_request", introspection.text
    assert_oauth_error(solmu.exchange(huge), {"invalid_request", "invalid_grant"})
    # The server still answers, and the genuine token still works.
    assert solmu.healthy() == 200
    assert solmu.api(channel_token, customer["email"]).status_code == 200


def test_an_id_token_is_not_an_access_token(solmu, logged_in, app_token, customer):
    """Genuine ID tokens (typ JWT, from the login flow) presented as access tokens."""
    shop_id_token = logged_in.first["id_token"]
    app_id_token = app_token["id_token"]
    assert parts_of(shop_id_token)[0].get("typ") != "at+jwt" and parts_of(app_id_token)[0]["alg"] == "EdDSA"
    userinfo = solmu.request("GET", "/.well-known/openid-configuration").json()["userinfo_endpoint"]
    for id_token in (shop_id_token, app_id_token):
        assert_api_refused(solmu.api(id_token, customer["email"]))
        assert_bearer_refused(solmu.request("GET", userinfo, headers={"Authorization": "Bearer " + id_token}))
        assert_inactive(solmu.introspect(id_token))
    assert_oauth_error(solmu.exchange(app_id_token), {"invalid_grant", "invalid_request"})
    # The access tokens issued with them do work at userinfo (the control).
    for access in (logged_in.first["access_token"], app_token["access_token"]):
        assert solmu.request("GET", userinfo, headers={"Authorization": "Bearer " + access}).status_code == 200


# ---------------------------------------------------------------------------------------------
# Authorization (RFC 9700 §2.1, §4.1; OpenID Connect Core §3.1.2.1)

REDIRECT_VARIANTS = [
    ("path-prefix", "https://shop.example.com/oauth/"),
    ("path-extended", "https://shop.example.com/oauth/callbackx"),
    ("path-child", "https://shop.example.com/oauth/callback/evil"),
    ("path-dot-segments", "https://shop.example.com/oauth/callback/../../evil"),
    ("trailing-slash", "https://shop.example.com/oauth/callback/"),
    ("host-suffix", "https://shop.example.com.evil.example/oauth/callback"),
    ("host-prefix", "https://evilshop.example.com/oauth/callback"),
    ("registered-uri-as-path", "https://evil.example/https://shop.example.com/oauth/callback"),
    ("host-case", "https://SHOP.example.com/oauth/callback"),
    ("path-case", "https://shop.example.com/OAuth/callback"),
    ("scheme-case", "HTTPS://shop.example.com/oauth/callback"),
    ("percent-encoded-slash", "https://shop.example.com/oauth%2Fcallback"),
    ("percent-encoded-letter", "https://shop.example.com/oauth/%63allback"),
    ("percent-encoded-nul", "https://shop.example.com/oauth/callback%00"),
    ("other-port", "https://shop.example.com:8443/oauth/callback"),
    ("explicit-default-port", "https://shop.example.com:443/oauth/callback"),
    ("http-instead-of-https", "http://shop.example.com/oauth/callback"),
    ("fragment", "https://shop.example.com/oauth/callback#evil"),
    ("extra-query", "https://shop.example.com/oauth/callback?next=https://evil.example"),
    ("userinfo-host-before-at", "https://shop.example.com@evil.example/oauth/callback"),
    ("userinfo-added", "https://attacker@shop.example.com/oauth/callback"),
    ("trailing-space", "https://shop.example.com/oauth/callback "),
    ("loopback-as-localhost", "http://localhost/oauth/callback"),
    ("loopback-other-address", "http://127.0.0.2/oauth/callback"),
    ("loopback-ipv6-not-registered", "http://[::1]/oauth/callback"),
    ("loopback-path-extended", "http://127.0.0.1:8080/oauth/callbackx"),
    ("loopback-extra-query", "http://127.0.0.1:8080/oauth/callback?x=1"),
    ("loopback-fragment", "http://127.0.0.1:8080/oauth/callback#x"),
    ("loopback-userinfo", "http://127.0.0.1@evil.example/oauth/callback"),
    ("loopback-https", "https://127.0.0.1/oauth/callback"),
    ("another-clients-uri", "com.example.shop:/oauth/callback"),
]


def test_registered_redirect_uris_get_a_code(logged_in):
    """The control for the table below: the registered URIs, loopback on another port included."""
    for redirect in (WEBSHOP_REDIRECT, LOOPBACK_REDIRECT, "http://127.0.0.1:8080/oauth/callback"):
        code, _, location = logged_in.code("webshop", redirect)
        assert code and location.startswith(redirect + "?"), location


@pytest.mark.parametrize("redirect_uri", [pytest.param(uri, id=name) for name, uri in REDIRECT_VARIANTS])
def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(solmu, discovery, logged_in, redirect_uri):
    """With a live session (a code would be issued at once), a variant of a registered URI gets an
    error page: no redirect, no code, no Location at all."""
    _, challenge = pkce_pair()
    url = authorize_url(discovery, "webshop", redirect_uri, challenge, state="s", nonce="n")
    response = logged_in.browser.go("GET", url)
    assert response.status_code < 500, response.status_code
    assert response.status_code == 400, f"{response.status_code} Location={response.headers.get('Location')}"
    assert "Location" not in response.headers, response.headers["Location"]
    assert response.headers.get("Content-Type", "").startswith("text/html"), response.headers
    assert "code=" not in response.text


PKCE_VARIANTS = [
    ("none", {}),
    ("plain", {"code_challenge": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "code_challenge_method": "plain"}),
    ("plain-by-default", {"code_challenge": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}),
    ("method-without-challenge", {"code_challenge_method": "S256"}),
    ("method-lowercase", {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "s256"}),
    ("challenge-too-short", {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", "code_challenge_method": "S256"}),
    ("challenge-not-base64url", {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+c/", "code_challenge_method": "S256"}),
]


@pytest.mark.parametrize("pkce", [pytest.param(params, id=name) for name, params in PKCE_VARIANTS])
def test_public_client_without_s256_pkce_gets_no_code(solmu, discovery, logged_in, pkce):
    """Even with a live session the app gets an error at its redirect URI, never a code."""
    state = secrets.token_urlsafe(8)
    params = {"response_type": "code", "client_id": "mobile-app", "redirect_uri": APP_REDIRECT, "scope": "openid",
              "state": state, "nonce": "n", **pkce}
    response = logged_in.browser.go("GET", discovery["authorization_endpoint"] + "?" + urllib.parse.urlencode(params))
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    assert location.split("?")[0] == APP_REDIRECT, location
    answer = query_of(location)
    assert "code" not in answer, location
    assert answer.get("error") == "invalid_request" and answer.get("state") == state, answer
    assert answer.get("iss") == discovery["issuer"], answer


def bad_redemption(logged_in, code, verifier, attack):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT,
            "code_verifier": verifier}
    solmu = logged_in.solmu
    if attack == "wrong-verifier":
        return solmu.token({**data, "code_verifier": pkce_pair()[0]}, auth=WEBSHOP_AUTH)
    if attack == "missing-verifier":
        return solmu.token({k: v for k, v in data.items() if k != "code_verifier"}, auth=WEBSHOP_AUTH)
    if attack == "challenge-as-verifier":
        challenge = b64url(hashlib.sha256(verifier.encode()).digest())
        return solmu.token({**data, "code_verifier": challenge}, auth=WEBSHOP_AUTH)
    if attack == "another-client":  # the app is public: it needs only the code and the verifier
        return solmu.token({**data, "client_id": "mobile-app"})
    if attack == "another-redirect-uri":
        return solmu.token({**data, "redirect_uri": WEBSHOP_REDIRECT}, auth=WEBSHOP_AUTH)
    raise AssertionError(attack)


@pytest.mark.parametrize("attack", ["wrong-verifier", "missing-verifier", "challenge-as-verifier", "another-client",
                                    "another-redirect-uri"])
def test_bad_code_redemption_is_refused_and_burns_the_code(logged_in, attack):
    code, verifier, _ = logged_in.code("webshop", LOOPBACK_REDIRECT)
    refused = bad_redemption(logged_in, code, verifier, attack)
    assert_oauth_error(refused, {"invalid_grant"})
    # The code is spent: the rightful client with the right verifier gets nothing either.
    again = logged_in.solmu.token({"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT,
                                   "code_verifier": verifier}, auth=WEBSHOP_AUTH)
    assert_oauth_error(again, {"invalid_grant"})


@pytest.mark.parametrize("replayer", ["same-client", "another-client"])
def test_code_replay_revokes_what_the_first_use_issued(solmu, discovery, logged_in, replayer):
    code, verifier, _ = logged_in.code("webshop", LOOPBACK_REDIRECT)
    tokens = logged_in.redeem("webshop", code, LOOPBACK_REDIRECT, verifier)
    bearer = {"Authorization": "Bearer " + tokens["access_token"]}
    assert solmu.request("GET", discovery["userinfo_endpoint"], headers=bearer).status_code == 200
    assert solmu.introspect(tokens["access_token"]).json()["active"] is True
    assert solmu.introspect(tokens["refresh_token"]).json()["active"] is True
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": LOOPBACK_REDIRECT, "code_verifier": verifier}
    if replayer == "same-client":
        replay = solmu.token(data, auth=WEBSHOP_AUTH)
    else:
        replay = solmu.token({**data, "client_id": "mobile-app"})
    assert_oauth_error(replay, {"invalid_grant"})
    # What the first use issued is revoked: introspection, the API (userinfo) and the refresh grant.
    assert wait_until(lambda: solmu.introspect(tokens["access_token"]).json() == {"active": False}), \
        "the access token from the replayed code is still active"
    assert wait_until(lambda: solmu.request("GET", discovery["userinfo_endpoint"], headers=bearer).status_code == 401), \
        "userinfo still accepts the access token from the replayed code"
    assert_bearer_refused(solmu.request("GET", discovery["userinfo_endpoint"], headers=bearer))
    assert_inactive(solmu.introspect(tokens["refresh_token"]))
    assert_oauth_error(solmu.token({"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                                   auth=WEBSHOP_AUTH), {"invalid_grant"})


def refresh(solmu, token):
    return solmu.token({"grant_type": "refresh_token", "refresh_token": token}, auth=WEBSHOP_AUTH)


@pytest.mark.parametrize("rotations, reused", [
    pytest.param(1, 0, id="first-after-one-rotation"),
    pytest.param(2, 0, id="first-after-two-rotations"),
    pytest.param(2, 1, id="second-after-two-rotations"),
])
def test_refresh_token_reuse_revokes_the_family(solmu, logged_in, rotations, reused):
    generations = [logged_in.tokens("webshop", LOOPBACK_REDIRECT)["refresh_token"]]
    for _ in range(rotations):
        rotated = refresh(solmu, generations[-1])
        assert rotated.status_code == 200, rotated.text
        generations.append(rotated.json()["refresh_token"])
    assert len(set(generations)) == len(generations)
    assert solmu.introspect(generations[-1]).json()["active"] is True
    assert_oauth_error(refresh(solmu, generations[reused]), {"invalid_grant"})
    # The whole family is revoked: the newest refresh token is refused and inactive.
    assert_inactive(solmu.introspect(generations[-1]))
    assert_oauth_error(refresh(solmu, generations[-1]), {"invalid_grant"})


LOGOUT_VARIANTS = [
    ("another-host", "https://evil.example.com/"),
    ("no-trailing-slash", "https://shop.example.com"),
    ("path-added", "https://shop.example.com/evil"),
    ("host-case", "https://SHOP.example.com/"),
    ("fragment", "https://shop.example.com/#evil"),
    ("extra-query", "https://shop.example.com/?next=https://evil.example"),
    ("userinfo-host-before-at", "https://shop.example.com@evil.example/"),
    ("host-suffix", "https://shop.example.com.evil.example/"),
    ("http-instead-of-https", "http://shop.example.com/"),
    ("other-port", "https://shop.example.com:8443/"),
    ("percent-encoded", "https://shop.example.com/%2e%2e/evil"),
    ("another-clients-uri", "com.example.shop:/logged-out"),
]


@pytest.mark.parametrize("redirect_uri", [pytest.param(uri, id=name) for name, uri in LOGOUT_VARIANTS])
def test_unregistered_post_logout_redirect_uri_is_refused(solmu, discovery, logout_target, redirect_uri):
    params = {"id_token_hint": logout_target.first["id_token"], "post_logout_redirect_uri": redirect_uri, "state": "s"}
    response = logout_target.browser.go("GET", discovery["end_session_endpoint"] + "?" + urllib.parse.urlencode(params))
    assert response.status_code == 400, f"{response.status_code} Location={response.headers.get('Location')}"
    assert "Location" not in response.headers, response.headers["Location"]
    # Nothing was ended: the session cookie stays, the login's refresh token is still active.
    assert "solmu_session" in logout_target.browser.cookies
    assert solmu.introspect(logout_target.first["refresh_token"]).json()["active"] is True


ODD_VALUES = [
    ("spaces", "a b  c "),
    ("ampersand-equals", "a&b=c&state=forged"),
    ("plus-and-percent", "1+1=2 %20 %zz"),
    ("unicode", "ünïcödé ✓ 日本 🔑"),
    ("quotes-and-markup", "'\"<script>alert(1)</script>"),
    ("url", "https://evil.example/?x=1#frag"),
    ("slashes-and-dots", "../..//\\"),
]


@pytest.mark.parametrize("value", [pytest.param(v, id=name) for name, v in ODD_VALUES])
def test_state_and_nonce_round_trip_exactly(solmu, discovery, keys, logged_in, value):
    state, nonce = "s:" + value, "n:" + value
    code, verifier, location = logged_in.code("webshop", LOOPBACK_REDIRECT, scope="openid", state=state, nonce=nonce)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query, keep_blank_values=True, strict_parsing=True)
    assert query["state"] == [state], location
    assert query["iss"] == [discovery["issuer"]], location
    tokens = logged_in.redeem("webshop", code, LOOPBACK_REDIRECT, verifier)
    claims = jwt.decode(tokens["id_token"], keys.es256.public_key(), algorithms=["ES256"], audience="webshop",
                        issuer=discovery["issuer"])
    assert claims["nonce"] == nonce
    # An error redirect echoes the state exactly too.
    params = {"response_type": "code", "client_id": "mobile-app", "redirect_uri": APP_REDIRECT, "scope": "openid",
              "state": state}  # no PKCE: invalid_request
    error = logged_in.browser.go("GET", discovery["authorization_endpoint"] + "?"
                                 + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))
    assert error.status_code in (302, 303), error.status_code
    answer = urllib.parse.parse_qs(urllib.parse.urlsplit(error.headers["Location"]).query, strict_parsing=True)
    assert answer["error"] == ["invalid_request"] and answer["state"] == [state], error.headers["Location"]


def test_the_server_logged_no_unhandled_error(server):
    """Last: the process still runs, and no request above reached the 500 path (ErrorMiddleware)."""
    assert server.process.poll() is None, "solmu serve has exited"
    server.log.flush()
    with open(server.log_path, errors="replace") as f:
        log = f.read()
    assert "unhandled error" not in log, log[-3000:]
