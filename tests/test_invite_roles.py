"""The roles an invitation may give: one set for the buttons and for the invitations' own check.

Every role is tried at both layers: the role button the secretariat presses (offered, or forged)
and `create_invite` itself. They must agree, and the secretariat is given by neither.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from bot.core.lookup import find_units
from bot.core.models import AuditLog, Invite, Role
from bot.invites.codes import InviteError, create_invite
from tests.conftest import ADMIN_ID, Harness


def quang_lich(h: Harness) -> int:
    """Id of Đảng ủy xã Quang Lịch."""
    with Session(h.engine) as session:
        unit = find_units(session=session, query="Quang Lịch").unique
        assert unit is not None
        return unit.id


def domain_gives(h: Harness, unit_id: int, role: Role) -> bool:
    """Whether create_invite makes an invitation with this role (nothing is kept either way)."""
    with Session(h.engine) as session:
        try:
            create_invite(
                session=session,
                unit_id=unit_id,
                role=role,
                created_by=ADMIN_ID,
                ttl=dt.timedelta(days=1),
            )
        except InviteError:
            return False
        finally:
            session.rollback()
    return True


def stored(h: Harness) -> tuple[list[tuple[int, str]], int]:
    """(unit id, role) of every invitation, and the number of audit entries."""
    with Session(h.engine) as session:
        invites = [(i.unit_id, i.role) for i in session.exec(select(Invite))]
        return invites, len(session.exec(select(AuditLog)).all())


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_a_role_button_works_exactly_when_an_invitation_may_give_the_role(
    loaded: Harness, role: Role
) -> None:
    """The role keyboard offers the role, and its button (pressed or forged) creates an
    invitation, exactly when create_invite accepts it; the secretariat is refused by both."""
    unit = quang_lich(loaded)
    given = domain_gives(loaded, unit, role)
    assert given is (role is not Role.SECRETARIAT)
    await loaded.press(ADMIN_ID, f"inv:{unit}:*")
    offered = {data.rsplit(":", 1)[1] for _label, data in loaded.last_keyboard()} - {"x"}
    assert (role.value in offered) is given
    before = stored(loaded)
    start = len(loaded.request.calls)
    replies = await loaded.press(ADMIN_ID, f"inv:{unit}:{role.value}")
    invites, audits = stored(loaded)
    if given:
        (reply,) = replies
        assert "Đã tạo lời mời" in reply and "start=" in reply
        assert invites == [(unit, role.value)] and audits == before[1] + 1
    else:  # the forged button reaches no callback: nothing said, nothing written
        assert replies == [] and (invites, audits) == before == ([], before[1])
        assert [c.method for c in loaded.request.calls[start:]] == []
