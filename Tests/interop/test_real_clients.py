"""Solmu against real OAuth 2.0 / OpenID Connect client libraries (issue 8, "Real clients").

A live `solmu serve` (binary from SOLMU_BINARY, repository from SOLMU_REPOSITORY or two levels up)
runs on a free loopback port with a throwaway SQLite database, fresh keys and a copy of policies/
(one-time codes to a temporary outbox; the web shop's back-channel logout URI to a local receiver).
authlib's requests client (OAuth2Session) drives the grants, introspection and revocation; PyJWT's
PyJWKClient verifies the tokens with the `jwks_uri` of the discovery document; a hand-kept cookie
jar walks the login pages (the cookies are `Secure`, the tests speak plain HTTP on loopback). Run:

    python3 -m venv /tmp/interop-venv && /tmp/interop-venv/bin/pip install -r Tests/interop/requirements.txt
    SOLMU_BINARY=$(swift build --show-bin-path)/solmu PYTHONDONTWRITEBYTECODE=1 \
        /tmp/interop-venv/bin/python -m pytest -q -p no:cacheprovider Tests/interop/test_real_clients.py

Signing, from policies/channels.yaml and the token code: every access token is ES256 with
`typ: at+jwt`; the web shop's logout tokens are ES256 with `typ: logout+jwt`; ID tokens are ES256
unless the channel sets `id_token_signing_alg` (mobile-app: EdDSA).
"""

import base64
import hashlib
import secrets
import time
import urllib.parse

import jwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from forms import hidden_fields
from solmu_server import LOOPBACK_REDIRECT, BackchannelReceiver, Browser, SolmuServer, query_of, wait_until

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
WEBSHOP_LOGOUT_REDIRECT = "https://shop.example.com/"
APP_LOGOUT_REDIRECT = "com.example.shop:/logged-out"
# Loopback redirects may carry any port (RFC 8252 §7.3); the app uses one, the web shop does not.
APP_REDIRECT = "http://127.0.0.1:53117/oauth/callback"


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def backchannel(request):
    receiver = BackchannelReceiver()
    request.addfinalizer(receiver.stop)
    return receiver


@pytest.fixture(scope="session")
def server(request, backchannel):
    # The web shop's back-channel logout endpoint is a local receiver instead of
    # https://shop.example.com/..., which cannot be reached here.
    solmu = SolmuServer(channel_replacements={
        "backchannel_logout_uri: https://shop.example.com/oauth/backchannel-logout":
            f"backchannel_logout_uri: {backchannel.url}"})
    request.addfinalizer(solmu.stop)  # registered before start: a failed start still cleans up
    solmu.start()
    return solmu


@pytest.fixture(scope="session")
def discovery(server):
    response = requests.get(server.base + "/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="session")
def jwks(discovery):
    return jwt.PyJWKClient(discovery["jwks_uri"], cache_keys=True, lifespan=600)


def confidential(client_id, **kwargs):
    return OAuth2Session(client_id=client_id, client_secret=f"{client_id}-dev-secret", **kwargs)


def public_app(**kwargs):
    return OAuth2Session(client_id="mobile-app", token_endpoint_auth_method="none",
                         revocation_endpoint_auth_method="none", **kwargs)


@pytest.fixture
def customer(server, discovery):
    """A new customer with a fresh e-mail address, created by the web shop (identity:link)."""
    shop = confidential("webshop", scope="identity:link")
    try:
        shop.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
        email = f"real-client-{secrets.token_hex(6)}@example.com"
        created = shop.post(server.base + "/v1/customers", json={"identifiers": [{"kind": "email", "value": email}]},
                            timeout=10)
        assert created.status_code == 201, created.text
        return {"id": created.json()["id"], "email": email}
    finally:
        shop.close()


@pytest.fixture
def sessions():
    """Closes every OAuth2Session a test opens, even when it fails."""
    opened = []

    def track(session):
        opened.append(session)
        return session

    yield track
    for session in opened:
        session.close()


def login(server, discovery, client, email, browser=None, scope="openid email", redirect_uri=LOOPBACK_REDIRECT,
          **authorize):
    """Authorization code with PKCE S256 through the login pages; returns the token and what was sent."""
    client.scope = scope
    client.redirect_uri = redirect_uri
    client.code_challenge_method = "S256"
    verifier = generate_token(64)
    nonce = generate_token(24)
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier,
                                                 nonce=nonce, **authorize)
    browser = browser or Browser(server)
    done = browser.login(url, email)
    location = done.headers["Location"]
    assert location.split("?")[0] == redirect_uri, location
    params = query_of(location)
    assert params.get("state") == state, location
    assert params.get("iss") == discovery["issuer"], f"RFC 9207 iss: {location}"
    token = client.fetch_token(discovery["token_endpoint"], authorization_response=location, state=state,
                               code_verifier=verifier)
    return {"token": token, "nonce": nonce, "state": state, "verifier": verifier, "location": location,
            "browser": browser}


def verify_id_token(jwks, discovery, token, client_id, alg, nonce, access_token=None):
    header = jwt.get_unverified_header(token)
    assert header["alg"] == alg, header
    key = jwks.get_signing_key_from_jwt(token)
    assert key.key_id == header["kid"]
    claims = jwt.decode(token, key.key, algorithms=[alg], audience=client_id, issuer=discovery["issuer"],
                        options={"require": ["iss", "sub", "aud", "exp", "iat"]})
    assert claims["nonce"] == nonce
    assert claims["exp"] > time.time() > claims["iat"] - 60
    if access_token is not None:
        digest = (hashlib.sha512 if alg == "EdDSA" else hashlib.sha256)(access_token.encode("ascii")).digest()
        expected = base64.urlsafe_b64encode(digest[:len(digest) // 2]).rstrip(b"=").decode()
        assert claims["at_hash"] == expected, "at_hash (OpenID Connect Core §3.1.3.6)"
    return claims


def verify_access_token(jwks, discovery, token, audience):
    """RFC 9068: `typ: at+jwt`, ES256 here, and the required claims."""
    header = jwt.get_unverified_header(token)
    assert header.get("typ", "").lower() in ("at+jwt", "application/at+jwt"), header
    assert header["alg"] == "ES256", header
    key = jwks.get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["ES256"], audience=audience, issuer=discovery["issuer"],
                        options={"require": ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]})
    assert claims["exp"] > time.time()
    return claims


def assert_oauth_error(error, code):
    """`error` is the OAuthError authlib raised; RFC 6749 §5.2 names the code."""
    assert error.value.error == code, f"{error.value.error}: {error.value.description}"


# ---------------------------------------------------------------------------------------------
# Discovery and keys


def test_discovery_names_what_the_clients_use(server, discovery):
    assert discovery["issuer"] == server.issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                     "end_session_endpoint", "introspection_endpoint", "revocation_endpoint"):
        assert discovery[endpoint].startswith(server.base + "/"), endpoint
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert {"ES256", "EdDSA"} <= set(discovery["id_token_signing_alg_values_supported"])
    assert TOKEN_EXCHANGE in discovery["grant_types_supported"]
    assert discovery["authorization_response_iss_parameter_supported"] is True
    keys = requests.get(discovery["jwks_uri"], timeout=10).json()["keys"]
    assert {(k["kty"], k.get("crv"), k["alg"]) for k in keys} >= {("EC", "P-256", "ES256"), ("OKP", "Ed25519", "EdDSA")}
    assert all("d" not in k for k in keys), "the JWKS must hold public keys only"
    # PyJWT accepts every key in it.
    assert {k.algorithm_name for k in jwt.PyJWKSet(keys).keys} >= {"ES256", "EdDSA"}


# ---------------------------------------------------------------------------------------------
# client_credentials


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_client_credentials(server, discovery, jwks, sessions, auth_method):
    shop = sessions(confidential("webshop", scope="identity:link identity:resolve",
                                 token_endpoint_auth_method=auth_method))
    token = shop.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"].lower() == "bearer"
    assert token["expires_in"] == 900  # channels.yaml: webshop access_token_lifetime
    assert set(token["scope"].split()) == {"identity:link", "identity:resolve"}
    assert "refresh_token" not in token and "id_token" not in token
    claims = verify_access_token(jwks, discovery, token["access_token"], discovery["issuer"] + "/v1")
    assert claims["client_id"] == "webshop" and claims["sub"] == "webshop"
    assert claims["exp"] - claims["iat"] == 900
    # authlib sends the token as a Bearer header; the API accepts it.
    email = f"cc-{secrets.token_hex(4)}@example.com"
    created = shop.post(server.base + "/v1/customers", json={"identifiers": [{"kind": "email", "value": email}]}, timeout=10)
    assert created.status_code == 201, created.text
    resolved = shop.get(server.base + "/v1/resolve", params={"kind": "email", "value": email}, timeout=10)
    assert resolved.status_code == 200 and resolved.json()["customer_id"] == created.json()["id"], resolved.text


def test_client_credentials_refusals(discovery, sessions):
    wrong = sessions(OAuth2Session(client_id="webshop", client_secret="not-the-secret"))
    with pytest.raises(OAuthError) as error:
        wrong.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert_oauth_error(error, "invalid_client")
    shop = sessions(confidential("webshop", scope="admin"))
    with pytest.raises(OAuthError) as error:
        shop.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert_oauth_error(error, "invalid_scope")
    app = sessions(public_app())
    with pytest.raises(OAuthError) as error:
        app.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert error.value.error in ("unauthorized_client", "invalid_client"), error.value.error


# ---------------------------------------------------------------------------------------------
# Authorization code with PKCE, ID tokens and access tokens (ES256 and EdDSA)


def test_authorization_code_webshop_es256(server, discovery, jwks, customer, sessions):
    shop = sessions(confidential("webshop"))
    result = login(server, discovery, shop, customer["email"], scope="openid email")
    token = result["token"]
    assert {"access_token", "id_token", "refresh_token", "expires_in"} <= set(token)
    assert token["token_type"].lower() == "bearer"
    id_claims = verify_id_token(jwks, discovery, token["id_token"], "webshop", "ES256", result["nonce"],
                                token["access_token"])
    assert id_claims["sub"] == customer["id"]
    assert id_claims.get("sid")
    access = verify_access_token(jwks, discovery, token["access_token"], discovery["issuer"])
    assert access["sub"] == customer["id"] and access["client_id"] == "webshop"
    assert set(access["scope"].split()) == {"openid", "email"}
    # userinfo with authlib's Bearer header: the e-mail the customer just proved is verified.
    userinfo = shop.get(discovery["userinfo_endpoint"], timeout=10)
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == customer["id"]
    assert userinfo.json()["email"] == customer["email"] and userinfo.json()["email_verified"] is True


def test_authorization_code_mobile_app_eddsa(server, discovery, jwks, customer, sessions):
    app = sessions(public_app())
    result = login(server, discovery, app, customer["email"], scope="openid email", redirect_uri=APP_REDIRECT)
    token = result["token"]
    id_claims = verify_id_token(jwks, discovery, token["id_token"], "mobile-app", "EdDSA", result["nonce"],
                                token["access_token"])
    assert id_claims["sub"] == customer["id"]
    assert jwks.get_signing_key_from_jwt(token["id_token"]).algorithm_name == "EdDSA"
    access = verify_access_token(jwks, discovery, token["access_token"], discovery["issuer"])
    assert access["sub"] == customer["id"] and access["client_id"] == "mobile-app"
    assert access["exp"] - access["iat"] == 600  # channels.yaml: mobile-app access_token_lifetime
    # An ES256 key must not verify the EdDSA ID token, nor the reverse.
    with pytest.raises(jwt.InvalidTokenError):
        jwt.decode(token["id_token"], jwks.get_signing_key_from_jwt(token["access_token"]).key, algorithms=["ES256"],
                   audience="mobile-app")


def test_single_sign_on_across_channels(server, discovery, jwks, customer, sessions):
    """The web shop login's session signs the app in without a page; the app's ID token is EdDSA."""
    shop = sessions(confidential("webshop"))
    first = login(server, discovery, shop, customer["email"])
    app = sessions(public_app())
    second = login(server, discovery, app, customer["email"], browser=first["browser"], redirect_uri=APP_REDIRECT)
    shop_claims = verify_id_token(jwks, discovery, first["token"]["id_token"], "webshop", "ES256", first["nonce"])
    app_claims = verify_id_token(jwks, discovery, second["token"]["id_token"], "mobile-app", "EdDSA", second["nonce"])
    assert shop_claims["sub"] == app_claims["sub"] == customer["id"]
    assert shop_claims["sid"] == app_claims["sid"]


def test_pkce_and_code_reuse(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop", scope="openid", redirect_uri=LOOPBACK_REDIRECT, code_challenge_method="S256"))
    verifier = generate_token(64)
    url, state = shop.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce="n")
    location = Browser(server).login(url, customer["email"]).headers["Location"]
    with pytest.raises(OAuthError) as error:
        shop.fetch_token(discovery["token_endpoint"], authorization_response=location, state=state,
                         code_verifier=generate_token(64))
    assert_oauth_error(error, "invalid_grant")
    # A second, good-verifier login: its code works once.
    result = login(server, discovery, shop, customer["email"], scope="openid")
    again = sessions(confidential("webshop", redirect_uri=LOOPBACK_REDIRECT))
    with pytest.raises(OAuthError) as error:
        again.fetch_token(discovery["token_endpoint"], authorization_response=result["location"],
                          state=result["state"], code_verifier=result["verifier"])
    assert_oauth_error(error, "invalid_grant")


def test_public_client_without_pkce_gets_no_code(server, discovery):
    app = OAuth2Session(client_id="mobile-app", scope="openid", redirect_uri=APP_REDIRECT)
    url, state = app.create_authorization_url(discovery["authorization_endpoint"])  # no code_verifier
    assert "code_challenge" not in url
    response = Browser(server).go("GET", url)
    assert response.status_code in (302, 303), response.status_code
    params = query_of(response.headers["Location"])
    assert "code" not in params
    assert params.get("error") == "invalid_request" and params.get("state") == state, params
    assert params.get("iss") == discovery["issuer"]


@pytest.mark.parametrize("authorize, error", [
    pytest.param({"prompt": "none"}, "login_required", id="prompt-none"),
    pytest.param({"pkce": None}, "invalid_request", id="no-pkce"),
    pytest.param({"pkce": "plain"}, "invalid_request", id="plain-pkce"),
    pytest.param({"scope": "openid admin"}, "invalid_scope", id="customer-may-not-have-admin"),
])
def test_error_redirects_keep_the_loopback_port(server, discovery, authorize, error):
    """An error goes back to the redirect URI the app sent, port included, as a code does."""
    authorize = dict(authorize)
    pkce = authorize.pop("pkce", "S256")
    app = OAuth2Session(client_id="mobile-app", scope="openid", redirect_uri=APP_REDIRECT,
                        code_challenge_method="S256")
    url, state = app.create_authorization_url(discovery["authorization_endpoint"],
                                              code_verifier=generate_token(64) if pkce else None, **authorize)
    if pkce == "plain":
        url = url.replace("code_challenge_method=S256", "code_challenge_method=plain")
    response = Browser(server).go("GET", url)
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    params = query_of(location)
    assert params.get("error") == error and params.get("state") == state, location
    assert location.split("?")[0] == APP_REDIRECT, location


# ---------------------------------------------------------------------------------------------
# Refresh with rotation


def test_refresh_rotates_and_refuses_the_old_token(server, discovery, jwks, customer, sessions):
    shop = sessions(confidential("webshop"))
    first = login(server, discovery, shop, customer["email"])["token"]
    old_refresh = first["refresh_token"]
    refreshed = shop.refresh_token(discovery["token_endpoint"], refresh_token=old_refresh)
    assert refreshed["refresh_token"] != old_refresh
    assert refreshed["access_token"] != first["access_token"]
    assert verify_access_token(jwks, discovery, refreshed["access_token"], discovery["issuer"])["sub"] == customer["id"]
    # The newest works once more (and rotates again).
    newest = shop.refresh_token(discovery["token_endpoint"], refresh_token=refreshed["refresh_token"])
    # The rotated one is refused, and its reuse revokes the family: the newest goes too.
    stale = sessions(confidential("webshop", scope="openid email"))
    with pytest.raises(OAuthError) as error:
        stale.refresh_token(discovery["token_endpoint"], refresh_token=old_refresh)
    assert_oauth_error(error, "invalid_grant")
    with pytest.raises(OAuthError) as error:
        stale.refresh_token(discovery["token_endpoint"], refresh_token=newest["refresh_token"])
    assert_oauth_error(error, "invalid_grant")


def test_refresh_token_is_bound_to_its_client(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop"))
    token = login(server, discovery, shop, customer["email"])["token"]
    app = sessions(public_app(scope="openid email"))
    with pytest.raises(OAuthError) as error:
        app.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert_oauth_error(error, "invalid_grant")


# ---------------------------------------------------------------------------------------------
# Token exchange (RFC 8693)


def test_token_exchange_hand_off_from_app_to_webshop(server, discovery, jwks, customer, sessions):
    app = sessions(public_app())
    token = login(server, discovery, app, customer["email"], scope="openid email", redirect_uri=APP_REDIRECT)["token"]
    exchanger = sessions(public_app())
    exchanged = exchanger.fetch_token(discovery["token_endpoint"], grant_type=TOKEN_EXCHANGE,
                                      subject_token=token["access_token"], subject_token_type=ACCESS_TOKEN_TYPE,
                                      audience="webshop", scope="openid email")
    assert exchanged["issued_token_type"] == ACCESS_TOKEN_TYPE
    assert exchanged["token_type"].lower() == "bearer"
    assert "refresh_token" not in exchanged
    assert 0 < exchanged["expires_in"] <= 300  # the rule's max_lifetime
    claims = verify_access_token(jwks, discovery, exchanged["access_token"], "webshop")
    assert claims["sub"] == customer["id"]
    assert claims["exp"] - claims["iat"] <= 300
    assert set(claims["scope"].split()) <= {"openid", "profile", "email"}
    # The web shop may introspect it (it is named in aud).
    shop = sessions(confidential("webshop"))
    answer = shop.introspect_token(discovery["introspection_endpoint"], token=exchanged["access_token"]).json()
    assert answer["active"] is True and answer["sub"] == customer["id"], answer
    # No rule for another audience: invalid_target (RFC 8693 §2.2.2).
    with pytest.raises(OAuthError) as error:
        exchanger.fetch_token(discovery["token_endpoint"], grant_type=TOKEN_EXCHANGE,
                              subject_token=token["access_token"], subject_token_type=ACCESS_TOKEN_TYPE,
                              audience="callcenter", scope="openid")
    assert_oauth_error(error, "invalid_target")
    # A channel without the grant is refused.
    marketing = sessions(confidential("marketing"))
    with pytest.raises(OAuthError) as error:
        marketing.fetch_token(discovery["token_endpoint"], grant_type=TOKEN_EXCHANGE,
                              subject_token=token["access_token"], subject_token_type=ACCESS_TOKEN_TYPE,
                              audience="webshop")
    assert error.value.error in ("unauthorized_client", "invalid_target"), error.value.error


def test_token_exchange_delegation_to_call_center(server, discovery, jwks, customer, sessions):
    shop = sessions(confidential("webshop"))
    customer_token = login(server, discovery, shop, customer["email"])["token"]["access_token"]
    agent = sessions(confidential("callcenter", scope="identity:read"))
    agent_token = agent.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")["access_token"]
    delegated = agent.fetch_token(discovery["token_endpoint"], grant_type=TOKEN_EXCHANGE,
                                  subject_token=customer_token, subject_token_type=ACCESS_TOKEN_TYPE,
                                  actor_token=agent_token, actor_token_type=ACCESS_TOKEN_TYPE,
                                  audience="callcenter", scope="openid email")
    assert delegated["issued_token_type"] == ACCESS_TOKEN_TYPE
    claims = verify_access_token(jwks, discovery, delegated["access_token"], "callcenter")
    assert claims["sub"] == customer["id"]
    assert claims["act"]["client_id"] == "callcenter" and claims["act"]["sub"] == "callcenter", claims["act"]
    # The rule requires an actor.
    alone = sessions(confidential("callcenter"))
    with pytest.raises(OAuthError) as error:
        alone.fetch_token(discovery["token_endpoint"], grant_type=TOKEN_EXCHANGE, subject_token=customer_token,
                          subject_token_type=ACCESS_TOKEN_TYPE, audience="callcenter", scope="openid")
    assert error.value.error in ("invalid_request", "invalid_grant", "invalid_target"), error.value.error


# ---------------------------------------------------------------------------------------------
# Introspection (RFC 7662)


def test_introspection(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop"))
    token = login(server, discovery, shop, customer["email"])["token"]
    endpoint = discovery["introspection_endpoint"]
    access = shop.introspect_token(endpoint, token=token["access_token"], token_type_hint="access_token")
    assert access.status_code == 200 and access.headers["Content-Type"].startswith("application/json")
    answer = access.json()
    assert answer["active"] is True, answer
    assert answer["client_id"] == "webshop" and answer["sub"] == customer["id"]
    assert set(answer["scope"].split()) == {"openid", "email"}
    assert answer["iss"] == discovery["issuer"]
    assert answer["exp"] > time.time() and answer["iat"] <= time.time() + 60
    refresh = shop.introspect_token(endpoint, token=token["refresh_token"], token_type_hint="refresh_token").json()
    assert refresh["active"] is True and refresh["client_id"] == "webshop" and refresh["sub"] == customer["id"], refresh
    # Without a hint the refresh token is found too.
    assert shop.introspect_token(endpoint, token=token["refresh_token"]).json()["active"] is True
    # Another channel learns nothing about the web shop's token.
    marketing = sessions(confidential("marketing"))
    assert marketing.introspect_token(endpoint, token=token["access_token"]).json() == {"active": False}
    assert marketing.introspect_token(endpoint, token=token["refresh_token"]).json() == {"active": False}
    # Garbage is inactive, not an error.
    assert shop.introspect_token(endpoint, token="not-a-token").json() == {"active": False}
    # Client authentication is required: a bad secret is 401 invalid_client.
    bad = sessions(OAuth2Session(client_id="webshop", client_secret="wrong"))
    refused = bad.introspect_token(endpoint, token=token["access_token"])
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client", refused.text
    # A public channel may not introspect.
    app = sessions(OAuth2Session(client_id="mobile-app", token_endpoint_auth_method="none"))
    public = app.introspect_token(endpoint, token=token["access_token"])
    assert public.status_code == 400 and public.json()["error"] == "unauthorized_client", public.text


# ---------------------------------------------------------------------------------------------
# Revocation (RFC 7009)


def test_revocation_of_refresh_and_access_tokens(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop"))
    token = login(server, discovery, shop, customer["email"])["token"]
    revoke, introspect = discovery["revocation_endpoint"], discovery["introspection_endpoint"]

    revoked = shop.revoke_token(revoke, token=token["refresh_token"], token_type_hint="refresh_token")
    assert revoked.status_code == 200, revoked.text
    assert shop.introspect_token(introspect, token=token["refresh_token"]).json() == {"active": False}
    stale = sessions(confidential("webshop", scope="openid email"))
    with pytest.raises(OAuthError) as error:
        stale.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert_oauth_error(error, "invalid_grant")

    bearer = {"Authorization": "Bearer " + token["access_token"]}
    assert requests.get(discovery["userinfo_endpoint"], headers=bearer, timeout=10).status_code == 200
    revoked = shop.revoke_token(revoke, token=token["access_token"], token_type_hint="access_token")
    assert revoked.status_code == 200, revoked.text
    assert wait_until(lambda: requests.get(discovery["userinfo_endpoint"], headers=bearer, timeout=10).status_code == 401), \
        "userinfo still accepts the revoked access token"
    assert shop.introspect_token(introspect, token=token["access_token"]).json() == {"active": False}

    # Unknown tokens: 200 all the same (RFC 7009 §2.2).
    assert shop.revoke_token(revoke, token="no-such-token").status_code == 200
    assert shop.revoke_token(revoke, token="no-such-token", token_type_hint="refresh_token").status_code == 200


def test_revocation_hints_are_only_hints(server, discovery, customer, sessions):
    """RFC 7009 §2.1: a wrong hint widens the search, an unknown one is ignored."""
    shop = sessions(confidential("webshop"))
    token = login(server, discovery, shop, customer["email"])["token"]
    revoke, introspect = discovery["revocation_endpoint"], discovery["introspection_endpoint"]
    wrong = shop.revoke_token(revoke, token=token["refresh_token"], token_type_hint="access_token")
    assert wrong.status_code == 200, wrong.text
    assert shop.introspect_token(introspect, token=token["refresh_token"]).json() == {"active": False}
    unknown = shop.revoke_token(revoke, token=token["access_token"], token_type_hint="id_token")
    assert unknown.status_code == 200, unknown.text
    assert wait_until(lambda: shop.introspect_token(introspect, token=token["access_token"]).json() == {"active": False})


def test_public_app_revokes_its_refresh_token(server, discovery, customer, sessions):
    app = sessions(public_app())
    token = login(server, discovery, app, customer["email"], redirect_uri=APP_REDIRECT)["token"]
    revoked = app.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"],
                               token_type_hint="refresh_token")
    assert revoked.status_code == 200, revoked.text
    with pytest.raises(OAuthError) as error:
        public_app(scope="openid email").refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert_oauth_error(error, "invalid_grant")


def test_another_channel_cannot_revoke(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop"))
    token = login(server, discovery, shop, customer["email"])["token"]
    marketing = sessions(confidential("marketing"))
    answer = marketing.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"])
    assert answer.status_code == 200, answer.text  # RFC 7009: the same answer, but nothing revoked
    refreshed = shop.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["refresh_token"] != token["refresh_token"]


# ---------------------------------------------------------------------------------------------
# RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)


def logout_url(discovery, **params):
    return discovery["end_session_endpoint"] + "?" + urllib.parse.urlencode(params)


def test_logout_with_id_token_hint(server, discovery, jwks, backchannel, customer, sessions):
    shop = sessions(confidential("webshop"))
    result = login(server, discovery, shop, customer["email"], scope="openid email")
    browser = result["browser"]
    assert "solmu_session" in browser.cookies, browser.cookies
    # The same browser also holds an offline_access family from a silent (single sign-on) login.
    offline_client = sessions(confidential("webshop"))
    offline = login(server, discovery, offline_client, customer["email"], browser=browser,
                    scope="openid offline_access")["token"]

    state = generate_token(16)
    response = browser.go("GET", logout_url(discovery, id_token_hint=result["token"]["id_token"],
                                            post_logout_redirect_uri=WEBSHOP_LOGOUT_REDIRECT, state=state))
    assert response.status_code in (302, 303), response.text[:300]
    location = response.headers["Location"]
    assert location.split("?")[0] == WEBSHOP_LOGOUT_REDIRECT, location
    assert query_of(location).get("state") == state, location
    assert "solmu_session" not in browser.cookies, "the session cookie is cleared"

    # The session's refresh family is revoked; the offline one survives (docs/integrating.md).
    stale = sessions(confidential("webshop", scope="openid email"))
    with pytest.raises(OAuthError) as error:
        stale.refresh_token(discovery["token_endpoint"], refresh_token=result["token"]["refresh_token"])
    assert_oauth_error(error, "invalid_grant")
    survivor = offline_client.refresh_token(discovery["token_endpoint"], refresh_token=offline["refresh_token"])
    assert survivor["refresh_token"] != offline["refresh_token"]

    # The web shop's back-channel logout endpoint gets a logout token for this session
    # (OpenID Connect Back-Channel Logout 1.0 §2.4, §2.6).
    sid = jwt.decode(result["token"]["id_token"], options={"verify_signature": False})["sid"]

    def logout_token_for_session(item):
        token = item["form"].get("logout_token", "")
        try:
            return jwt.decode(token, options={"verify_signature": False}).get("sid") == sid
        except jwt.InvalidTokenError:
            return False

    delivered = backchannel.wait_for(logout_token_for_session)
    assert delivered is not None, "no back-channel logout token arrived"
    assert delivered["content_type"].startswith("application/x-www-form-urlencoded")
    logout_token = delivered["form"]["logout_token"]
    header = jwt.get_unverified_header(logout_token)
    assert header["typ"] == "logout+jwt" and header["alg"] == "ES256", header
    claims = jwt.decode(logout_token, jwks.get_signing_key_from_jwt(logout_token).key, algorithms=["ES256"],
                        audience="webshop", issuer=discovery["issuer"],
                        options={"require": ["iss", "aud", "iat", "jti", "events"]})
    assert claims["sub"] == customer["id"]
    assert claims["events"] == {"http://schemas.openid.net/event/backchannel-logout": {}}
    assert "nonce" not in claims

    # No single sign-on any more: the login page is shown again.
    again, _ = shop.create_authorization_url(discovery["authorization_endpoint"], code_verifier=generate_token(64),
                                             nonce="n2", scope="openid", redirect_uri=LOOPBACK_REDIRECT)
    page = browser.go("GET", again)
    assert page.status_code == 200 and 'action="/login/start"' in page.text, page.status_code


def test_logout_of_the_app_by_id_token_hint_alone(server, discovery, customer, sessions):
    """Without the cookie (as from another browser), the `sid` of the hint names the session."""
    app = sessions(public_app())
    result = login(server, discovery, app, customer["email"], redirect_uri=APP_REDIRECT)
    state = generate_token(16)
    response = Browser(server).go("GET", logout_url(discovery, id_token_hint=result["token"]["id_token"],
                                                    post_logout_redirect_uri=APP_LOGOUT_REDIRECT, state=state,
                                                    client_id="mobile-app"))
    assert response.status_code in (302, 303), response.text[:300]
    location = response.headers["Location"]
    assert location.split("?")[0] == APP_LOGOUT_REDIRECT and query_of(location).get("state") == state, location
    with pytest.raises(OAuthError) as error:
        public_app(scope="openid email").refresh_token(discovery["token_endpoint"],
                                                       refresh_token=result["token"]["refresh_token"])
    assert_oauth_error(error, "invalid_grant")


def test_logout_refuses_untrusted_redirects(server, discovery, customer, sessions):
    shop = sessions(confidential("webshop"))
    result = login(server, discovery, shop, customer["email"])
    browser = result["browser"]
    for params in (
        {"id_token_hint": result["token"]["id_token"], "post_logout_redirect_uri": "https://evil.example.com/"},
        {"id_token_hint": result["token"]["id_token"], "post_logout_redirect_uri": WEBSHOP_LOGOUT_REDIRECT,
         "client_id": "mobile-app"},
        {"id_token_hint": result["token"]["id_token"][:-8] + "AAAAAAAA",
         "post_logout_redirect_uri": WEBSHOP_LOGOUT_REDIRECT},
    ):
        response = browser.go("GET", logout_url(discovery, state="s", **params))
        assert response.status_code == 400 and "Location" not in response.headers, (params.keys(), response.status_code)
    # Without id_token_hint nothing shows the customer's own channel asked: a confirmation page
    # (a CSRF-protected form), no redirect, nothing ended yet.
    response = browser.go("GET", logout_url(discovery, post_logout_redirect_uri=WEBSHOP_LOGOUT_REDIRECT, state="s"))
    assert response.status_code == 200 and "Location" not in response.headers, response.status_code
    assert 'action="/oauth/logout"' in response.text
    # Nothing was ended: the session cookie stays, and the refresh token still works.
    assert "solmu_session" in browser.cookies
    refreshed = shop.refresh_token(discovery["token_endpoint"], refresh_token=result["token"]["refresh_token"])
    assert refreshed["refresh_token"]


# ---------------------------------------------------------------------------------------------
# Brute force: one-time codes and the rate of sending them


def start_login(server, discovery, email):
    """Opens the login page for the web shop and submits `email`; returns (browser, code page)."""
    shop = OAuth2Session(client_id="webshop", scope="openid", redirect_uri=LOOPBACK_REDIRECT, code_challenge_method="S256")
    url, _ = shop.create_authorization_url(discovery["authorization_endpoint"], code_verifier=generate_token(64))
    shop.close()
    browser = Browser(server)
    page = browser.go("GET", url)
    assert page.status_code == 200, page.status_code
    fields = hidden_fields(page.text, "/login/start")
    assert fields is not None, page.text[:300]
    fields["identifier"] = email
    return browser, browser.go("POST", "/login/start", fields)


def test_code_guessing_stops_at_the_attempt_limit(server, discovery, customer):
    before = server.outbox_files()
    browser, page = start_login(server, discovery, customer["email"])
    assert page.status_code == 200 and 'action="/login/code"' in page.text, page.status_code
    real = server.one_time_code(before, customer["email"])
    wrong = "000000" if real != "000000" else "111111"
    answers = []
    form = None
    for _ in range(5):
        form = hidden_fields(page.text, "/login/code")
        assert form is not None, f"no code form after {len(answers)} wrong codes"
        page = browser.go("POST", "/login/code", {**form, "code": wrong})
        answers.append(page.status_code)
    assert answers == [400] * 5, answers
    # The fifth wrong code spends the challenge: the customer starts over...
    assert 'action="/login/code"' not in page.text and 'action="/login/start"' in page.text
    # ...and the right code, posted with the last form (as a guesser would), signs nobody in.
    last = browser.go("POST", "/login/code", {**form, "code": real})
    assert last.status_code not in (302, 303) and "code=" not in last.headers.get("Location", ""), last.status_code


def test_sending_codes_is_rate_limited_with_retry_after(server, discovery, customer):
    statuses = []
    for _ in range(6):
        _, page = start_login(server, discovery, customer["email"])
        statuses.append(page.status_code)
        if page.status_code == 429:
            retry_after = page.headers.get("Retry-After", "")
            assert retry_after.isdigit() and int(retry_after) > 0, retry_after
            break
    # Five codes per identifier per window (LoginSettings.codesPerIdentifier), then 429.
    assert statuses == [200] * 5 + [429], statuses
