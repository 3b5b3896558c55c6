"""The hand-built org the SCIM tests run against (no dependency on the generator)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from anthropic_sim.state import Org, User

EPOCH = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SCIM_TOKEN = "scim-test-token-0123456789"
ADMIN_KEY = "sk-ant-admin01-test"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
N_USERS = 23


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def scim_user(i: int, active: bool = True, email: bool = True) -> dict[str, Any]:
    given, family = f"Given{i:02d}", f"Family{i:02d}"
    address = f"User{i:02d}@Example.com"
    created = EPOCH - timedelta(days=100 - i)
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": f"directory_user_01JTEST{i:019d}",
        "externalId": f"00uOKTA{i:02d}",
        "userName": address,
        "name": {"givenName": given, "familyName": family, "formatted": f"{given} {family}"},
        "displayName": f"{given} {family}",
        "active": active,
        "emails": [{"value": address, "type": "work", "primary": True}] if email else [],
        "meta": {
            "resourceType": "User",
            "created": stamp(created),
            "lastModified": stamp(created + timedelta(days=i % 5)),
            "version": 'W/"1"',
        },
    }
    if not email:
        del resource["emails"]
    return resource


def scim_group(gid: str, name: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": gid,
        "externalId": f"ext-{name}",
        "displayName": name,
        "members": [{"value": m["id"], "display": m["userName"], "type": "User"} for m in members],
        "meta": {
            "resourceType": "Group",
            "created": stamp(EPOCH - timedelta(days=50)),
            "lastModified": stamp(EPOCH - timedelta(days=10)),
            "version": 'W/"3"',
        },
    }


def build_org() -> Org:
    org = Org(
        id="7b0c7c7e-0000-4000-8000-000000000001",
        name="Test Org",
        tier="enterprise",
        epoch=EPOCH,
        admin_key=ADMIN_KEY,
        oauth_token="sk-ant-oat01-test",
        scim_token=SCIM_TOKEN,
        inference_key="sk-ant-api03-test",
    )
    users = [scim_user(i, active=(i != 7), email=(i != 9)) for i in range(N_USERS)]
    for i, resource in enumerate(users):
        org.scim_users[resource["id"]] = resource
        uid = f"user_01TEST{i:020d}"
        role = "primary_owner" if i == 0 else "user"
        org.users[uid] = User(uid, resource["userName"], resource["displayName"], role, EPOCH)
    org.scim_groups = {
        g["id"]: g
        for g in (
            scim_group("directory_group_01JTESTENGINEERING00000000", "Engineering", users[:5]),
            scim_group("directory_group_01JTESTSALES00000000000000", "Sales", users[5:8]),
            scim_group("directory_group_01JTESTEMPTY00000000000000", "Empty", []),
        )
    }
    return org


def user_id(i: int) -> str:
    return f"directory_user_01JTEST{i:019d}"


ENG = "directory_group_01JTESTENGINEERING00000000"
SALES = "directory_group_01JTESTSALES00000000000000"
EMPTY = "directory_group_01JTESTEMPTY00000000000000"
