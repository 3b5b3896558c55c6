"""The capability gate, as a pure function of the organization node the sync wrote."""

from __future__ import annotations

from ingest.extract.capabilities import AT_LEAST
from ingest.remediate.actions import ACTIONS, action
from ingest.remediate.gate import (
    NO_OAUTH,
    SCIM_MANAGES_MEMBERS,
    OrgCapabilities,
    describe,
    gate,
    offered,
)


def org(product: str = "console", scim: str = "available", scopes=()) -> OrgCapabilities:
    return OrgCapabilities.from_node(
        {"id": "org", "name": "Org", "product": product, "scim_status": scim, "key_scopes": scopes}
    )


def refusals(o: OrgCapabilities, has_oauth: bool = True) -> dict[str, str]:
    return {x.action.kind: x.refused for x in gate(o, has_oauth) if x.refused}


def test_a_console_org_with_scim_and_oauth_is_offered_everything_console_has() -> None:
    kinds = offered(org(), has_oauth=True)
    assert {"remove_member", "deactivate_key", "archive_key", "delete_invite"} <= set(kinds)
    assert {"archive_service_account", "archive_federation_rule", "scim_deactivate"} <= set(kinds)
    assert "sign_out_member" not in kinds  # Enterprise only
    assert refusals(org()) == {}


def test_scim_on_a_standard_plan_refuses_scim_actions_and_keeps_key_actions() -> None:
    standard = org(scim="unavailable")
    why = refusals(standard)
    assert set(why) == {"scim_deactivate", "scim_reactivate"}
    assert why["scim_deactivate"].startswith("SCIM is not available on this plan")
    assert {"deactivate_key", "remove_member"} <= set(offered(standard, True))


def test_a_rejected_scim_token_says_to_fix_the_token() -> None:
    why = refusals(org(scim="credential_rejected"))
    assert "the SCIM token was rejected" in why["scim_deactivate"]
    assert "fix the token" in why["scim_deactivate"]
    assert "not available on this plan" not in why["scim_deactivate"]


def test_oauth_actions_need_the_token() -> None:
    why = refusals(org(), has_oauth=False)
    assert why == {"archive_service_account": NO_OAUTH, "archive_federation_rule": NO_OAUTH}


def test_enterprise_actions_name_the_missing_scope() -> None:
    reader = org("enterprise", scim="not_configured", scopes=["read:members", "write:members"])
    why = refusals(reader)
    assert why["remove_group_member"] == "the key lacks write:rbac_groups"
    assert {"remove_member", "sign_out_member", "delete_invite"} <= set(offered(reader, False))
    unseen = org("enterprise", scim="not_configured", scopes=["read:members", AT_LEAST])
    assert "write:members was never seen" in refusals(unseen)["remove_member"]


def test_scim_managed_enterprise_members_are_not_removed_through_the_api() -> None:
    scopes = ["write:members", "write:rbac_groups", "read:members"]
    managed = org("enterprise", scim="available", scopes=scopes)
    why = refusals(managed)
    assert why == {
        "remove_member": SCIM_MANAGES_MEMBERS,
        "change_member_role": SCIM_MANAGES_MEMBERS,
        "delete_invite": SCIM_MANAGES_MEMBERS,
    }
    assert {"sign_out_member", "remove_group_member", "scim_deactivate"} <= set(
        offered(managed, False)
    )


def test_describe_lists_offered_and_refused_with_reasons() -> None:
    text = describe(org(scim="unavailable"), has_oauth=False)
    assert text.startswith("offered: archive_key, change_member_role, ")
    assert "refused: archive_federation_rule (needs an org:admin OAuth token" in text
    assert "scim_deactivate (SCIM is not available on this plan" in text


def test_every_undo_names_an_action_of_the_same_products_and_irreversible_ones_have_none() -> None:
    for row in ACTIONS:
        if row.undo is not None:
            assert all(action(row.undo, product) for product in row.products), row.kind
        assert row.irreversible is None or row.undo is None, row.kind
