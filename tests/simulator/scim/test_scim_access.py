"""Bearer auth and the tier gate, on every SCIM endpoint."""

from __future__ import annotations

import httpx
import pytest
from scim_fixtures import ADMIN_KEY, ENG, SCIM_TOKEN, user_id

from anthropic_sim.state import Simulator

ENDPOINTS = [
    ("GET", "/ServiceProviderConfig"),
    ("GET", "/ResourceTypes"),
    ("GET", "/ResourceTypes/User"),
    ("GET", "/Schemas"),
    ("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
    ("GET", "/Users"),
    ("GET", "/Users?count=1"),
    ("POST", "/Users"),
    ("POST", "/Users/.search"),
    ("GET", f"/Users/{user_id(1)}"),
    ("PUT", f"/Users/{user_id(1)}"),
    ("PATCH", f"/Users/{user_id(1)}"),
    ("DELETE", f"/Users/{user_id(1)}"),
    ("GET", "/Groups"),
    ("POST", "/Groups"),
    ("POST", "/Groups/.search"),
    ("GET", f"/Groups/{ENG}"),
    ("PUT", f"/Groups/{ENG}"),
    ("PATCH", f"/Groups/{ENG}"),
    ("DELETE", f"/Groups/{ENG}"),
    ("GET", "/Me"),
    ("POST", "/Bulk"),
    ("GET", "/Nowhere"),
]
BODY = {"Operations": [{"op": "replace", "path": "active", "value": False}]}


def call(http: httpx.Client, method: str, path: str, **headers: str) -> httpx.Response:
    json = BODY if method in ("POST", "PUT", "PATCH") else None
    return http.request(method, path, json=json, headers=headers)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_unauthenticated_is_401_everywhere(
    anon: httpx.Client, sim: Simulator, method: str, path: str
) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {ADMIN_KEY}"},
        {"x-api-key": ADMIN_KEY},
        {"x-api-key": SCIM_TOKEN},
        {"Authorization": f"Basic {SCIM_TOKEN}"},
        {"Authorization": SCIM_TOKEN},
    ):
        response = call(anon, method, path, **headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/scim+json"
        assert response.json()["status"] == "401"
    assert sim.org.scim_users[user_id(1)]["active"] is True


def test_bearer_scheme_is_case_insensitive(anon: httpx.Client) -> None:
    response = anon.get("/Users?count=1", headers={"Authorization": f"bearer {SCIM_TOKEN}"})
    assert response.status_code == 200


@pytest.mark.parametrize("status", [403, 401, 404])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_tier_gate_on_every_endpoint(
    client: httpx.Client, sim: Simulator, method: str, path: str, status: int
) -> None:
    sim.org.tier = "standard"
    if status != 403:
        sim.config.scim_unavailable_status = status
    response = call(client, method, path)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(status)
    # the gate comes before auth: an anonymous caller gets the same answer
    assert call(client, method, path, Authorization="Bearer nope").status_code == status


def test_tier_flip_at_runtime(client: httpx.Client, sim: Simulator) -> None:
    assert client.get("/Users?count=1").status_code == 200
    sim.org.tier = "standard"
    assert client.get("/Users?count=1").status_code == 403
    sim.org.tier = "enterprise"
    assert client.get("/Users?count=1").status_code == 200


def test_token_rotation_at_runtime(client: httpx.Client, sim: Simulator) -> None:
    sim.org.scim_token = "rotated"
    assert client.get("/Users?count=1").status_code == 401


@pytest.mark.parametrize(
    ("gate", "status"), [("plan", 403), ("revoked_token", 401), ("no_directory", 404)]
)
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_scim_gate_switch_on_an_enterprise_org(
    client: httpx.Client, sim: Simulator, method: str, path: str, gate: str, status: int
) -> None:
    assert sim.org.tier == "enterprise"
    sim.config.scim_gate = gate  # type: ignore[assignment]
    response = call(client, method, path)  # with the org's own, valid token
    assert response.status_code == status, response.text
    assert response.json()["status"] == str(status)
    sim.config.scim_gate = "open"
    assert client.get("/Users?count=1").status_code == 200
