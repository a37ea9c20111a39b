"""The chain's cast: the Party network of tests/party (organised: every household has a
contact) and helpers to invite and sign in a network member."""

from __future__ import annotations

from django.contrib.auth.forms import SetPasswordForm

from jinlin.core.models import User
from jinlin.party.services.accounts import Issued, member_invite
from tests.party.conftest import (  # noqa: F401  (fixtures used by this folder's tests)
    PartyMemberFactory,
    branch_secretary,
    frozen_day,
    group_leader,
    organised,
    party,
)

NEW_PASSWORD = "qingshan-lvshui-2026"


def invited_member(member, secretary: User) -> Issued:
    return member_invite(member_id=member.pk, actor=secretary, request=None)


def with_password(account: User) -> User:
    form = SetPasswordForm(account, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()
    return account
