"""Unit administration in chat: list, search, card, add, rename, kind, area, officials, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from bot.core.clock import SimulatedClock
from bot.core.db import session_scope
from bot.core.models import (
    AppUser,
    AuditLog,
    Measurement,
    Official,
    Role,
    Unit,
    UnitNameHistory,
    utcnow,
)
from bot.core.text import fold
from handlers.units.dialog import TTL
from tests.conftest import ADMIN_ID, Harness, PublishedRow

HEAD = 5002
STAFF = 5003
NAM = "Đảng ủy xã Nam Tiền Hải"
REFUSAL = "Lệnh này chỉ dành cho Văn phòng (quản trị)."


def unit_id(h: Harness, name: str) -> int:
    """Id of the one unit (active or not) with exactly this name."""
    with Session(h.engine) as session:
        unit = session.exec(select(Unit).where(Unit.name == name)).one()
        assert unit.id is not None
        return unit.id


def unit(h: Harness, ident: int) -> Unit:
    """A unit row, fresh from the database."""
    with Session(h.engine) as session:
        row = session.get(Unit, ident)
        assert row is not None
        session.expunge(row)
        return row


def audits(h: Harness, action: str | None = None) -> list[AuditLog]:
    """Audit entries, oldest first, optionally of one action."""
    with Session(h.engine) as session:
        stmt = select(AuditLog).order_by(col(AuditLog.id))
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list(session.exec(stmt))


def unit_buttons(h: Harness) -> list[tuple[str, str]]:
    """(label, data) of the unit buttons on the last keyboard."""
    return [(label, data) for label, data in h.last_keyboard() if data.startswith("ua:c:")]


def button(h: Harness, label_part: str) -> str:
    """Callback data of the last keyboard's button whose label contains a text."""
    found = [data for label, data in h.last_keyboard() if label_part in label]
    assert len(found) == 1, (label_part, h.last_keyboard())
    return found[0]


def db_state(h: Harness) -> tuple[Any, ...]:
    """Everything a refused action must leave untouched."""
    with Session(h.engine) as session:
        units = [
            (u.id, u.name, u.kind, u.parent_id, u.active)
            for u in session.exec(select(Unit).order_by(col(Unit.id)))
        ]
        officials = [
            (o.id, o.unit_id, o.active)
            for o in session.exec(select(Official).order_by(Official.id))
        ]
        history = len(session.exec(select(UnitNameHistory)).all())
        audit_count = len(session.exec(select(AuditLog)).all())
    return units, officials, history, audit_count


def published_rank(published: list[PublishedRow], name: str) -> int:
    """Competition rank from the published counts."""
    (row,) = [r for r in published if r.name == name]
    return 1 + sum(1 for r in published if r.rate > row.rate)


# --- list and search ----------------------------------------------------------------------


async def test_list_pages_through_all_104_units(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """/donvi shows 10 units a page over 11 pages; Next/Previous walk through every unit."""
    (text,) = await loaded.send(ADMIN_ID, "/donvi")
    assert "104 đơn vị" in text and "trang 1/11" in text
    first = unit_buttons(loaded)
    assert len(first) == 10
    seen: list[str] = [label for label, _ in first]
    pages_text = [text]
    for page in range(2, 12):
        (text,) = await loaded.press(ADMIN_ID, button(loaded, "Tiếp"))
        assert f"trang {page}/11" in text
        pages_text.append(text)
        seen.extend(label for label, _ in unit_buttons(loaded))
    assert len(unit_buttons(loaded)) == 4  # 104 = 10 × 10 + 4
    assert not [label for label, _ in loaded.last_keyboard() if "Tiếp" in label]
    names = [label.split(". ", 1)[1] for label in seen]
    assert len(names) == 104 and set(names) == {r.name for r in published}
    assert pages_text[0] != pages_text[1]
    assert seen[:10] != seen[10:20]
    (back,) = await loaded.press(ADMIN_ID, button(loaded, "Trước"))
    assert "trang 10/11" in back
    assert "1 cán bộ" not in pages_text[0] and "0 cán bộ" in pages_text[0]


async def test_search_ignores_diacritics(loaded: Harness, published: list[PublishedRow]) -> None:
    """'/donvi tien hai' lists exactly the units whose name contains 'Tiền Hải'."""
    (text,) = await loaded.send(ADMIN_ID, "/donvi tien hai")
    expected = {r.name for r in published if "tien hai" in fold(r.name)}
    assert expected and len(expected) <= 10
    shown = {label.split(". ", 1)[1] for label, _ in unit_buttons(loaded)}
    assert shown == expected
    assert "tìm: “tien hai”" in text
    (same,) = await loaded.send(ADMIN_ID, "/donvi TIỀN HẢI")
    assert same == text
    (none,) = await loaded.send(ADMIN_ID, "/donvi khong co ten nay")
    assert "Không tìm thấy đơn vị nào" in none


async def test_filter_by_kind(loaded: Harness, published: list[PublishedRow]) -> None:
    """'/donvi phuong' and the kind keyboard list the wards only."""
    wards = {r.name for r in published if fold(r.name).startswith("dang uy phuong ")}
    assert wards
    (text,) = await loaded.send(ADMIN_ID, "/donvi phuong")
    assert f"{len(wards)} đơn vị" in text and "loại: phường" in text
    shown = {label.split(". ", 1)[1] for label, _ in unit_buttons(loaded)}
    assert len(shown) == 10 and shown <= wards
    await loaded.send(ADMIN_ID, "/donvi")
    (kinds,) = await loaded.press(ADMIN_ID, button(loaded, "Lọc theo loại"))
    assert "Loại đơn vị nào?" in kinds
    labels = [label for label, _ in loaded.last_keyboard()]
    assert {"Xã", "Phường", "Thị trấn", "Sở, ngành", "Ban", "Khu vực", "Khác"} <= set(labels)
    (filtered,) = await loaded.press(ADMIN_ID, button(loaded, "Phường"))
    assert filtered == text


async def test_unit_card_shows_details_rate_and_actions(
    loaded: Harness, published: list[PublishedRow]
) -> None:
    """Tapping a unit opens its card: name, code, kind, area, status, latest rate, buttons."""
    await loaded.send(ADMIN_ID, "/donvi nam tien hai")
    (card,) = await loaded.press(ADMIN_ID, button(loaded, NAM))
    rank = published_rank(published, NAM)
    assert f"<b>{NAM}</b>" in card
    assert "Mã: <code>dang-uy-xa-nam-tien-hai</code>" in card
    assert "Loại: xã" in card and "Khu vực: không có" in card
    assert "đang theo dõi" in card
    assert "<b>82,5%</b> (33/40)" in card and f"xếp hạng {rank}/104" in card
    assert "0 cán bộ đã liên kết" in card
    labels = [label for label, _ in loaded.last_keyboard()]
    assert labels == [
        "✏️ Đổi tên",
        "🏷 Loại",
        "🗺 Khu vực",
        "👥 Cán bộ",
        "⛔ Ngừng theo dõi",
        "⬅️ Danh sách đơn vị",
    ]
    (back,) = await loaded.press(ADMIN_ID, button(loaded, "Danh sách"))
    assert "tìm: “nam tien hai”" in back


async def test_stale_unit_button(loaded: Harness) -> None:
    """A button for a unit that does not exist says so."""
    (text,) = await loaded.press(ADMIN_ID, "ua:c:999999")
    assert text == "Đơn vị này không còn tồn tại."


# --- add ----------------------------------------------------------------------------------


async def test_add_unit_guesses_kind_and_refuses_duplicates(loaded: Harness) -> None:
    """/donvi_them adds a unit (kind guessed, audited); a name folding to an existing one is
    refused naming that unit; an empty name is refused."""
    (text,) = await loaded.send(ADMIN_ID, "/donvi_them Đảng ủy phường Hồng Châu Mới")
    assert "Đã thêm đơn vị" in text and "<b>Đảng ủy phường Hồng Châu Mới</b>" in text
    new = unit(loaded, unit_id(loaded, "Đảng ủy phường Hồng Châu Mới"))
    assert new.kind == "phuong" and new.active and new.code == "dang-uy-phuong-hong-chau-moi"
    (entry,) = audits(loaded, "unit.create")
    assert entry.actor_telegram_id == ADMIN_ID and entry.subject == f"unit:{new.id}"
    assert entry.details["name"] == "Đảng ủy phường Hồng Châu Mới"

    before = db_state(loaded)
    (dup,) = await loaded.send(ADMIN_ID, "/donvi_them dang uy xa NAM TIEN HAI")
    assert dup == f"Đã có đơn vị tên “{NAM}”."
    (empty,) = await loaded.send(ADMIN_ID, "/donvi_them   ...  ")
    assert empty == "Tên đang để trống."
    assert db_state(loaded) == before


async def test_add_unit_by_typing_the_name(bot: Harness) -> None:
    """/donvi_them alone asks for the name; the next message creates the unit."""
    (ask,) = await bot.send(ADMIN_ID, "/donvi_them")
    assert "Gõ tên đơn vị mới" in ask and "/huy" in ask
    (empty,) = await bot.send(ADMIN_ID, "?!")
    assert empty == "Tên đang để trống.\nGõ tên khác, hoặc /huy để hủy."
    (done,) = await bot.send(ADMIN_ID, "Sở Nội vụ")
    assert "Đã thêm đơn vị" in done and "Loại: sở, ngành" in done
    assert unit(bot, unit_id(bot, "Sở Nội vụ")).kind == "so"


# --- rename -------------------------------------------------------------------------------


async def test_rename_keeps_history_and_old_name_still_resolves(
    loaded: Harness, shared_tsv: bytes
) -> None:
    """Renaming stores the old name; /tyle <old name> and an import using the old name both
    reach the renamed unit, and no unit is created."""
    uid = unit_id(loaded, NAM)
    (ask,) = await loaded.press(ADMIN_ID, f"ua:r:{uid}")
    assert f"Gõ tên mới cho <b>{NAM}</b>" in ask
    (done,) = await loaded.send(ADMIN_ID, "Đảng ủy xã Tiền Hải Nam")
    assert f"Đã đổi tên “{NAM}” thành “Đảng ủy xã Tiền Hải Nam”" in done
    assert f"Tên cũ: {NAM}" in done

    renamed = unit(loaded, uid)
    assert renamed.name == "Đảng ủy xã Tiền Hải Nam"
    assert renamed.name_key == "dang uy xa tien hai nam" and renamed.short_key == "tien hai nam"
    with Session(loaded.engine) as session:
        (history,) = session.exec(select(UnitNameHistory)).all()
    assert (history.unit_id, history.old_name, history.new_name) == (
        uid,
        NAM,
        "Đảng ủy xã Tiền Hải Nam",
    )
    assert history.old_name_key == "dang uy xa nam tien hai" and history.changed_by == ADMIN_ID
    (entry,) = audits(loaded, "unit.rename")
    assert entry.details == {"old": NAM, "new": "Đảng ủy xã Tiền Hải Nam"}

    (rate,) = await loaded.send(ADMIN_ID, "/tyle Nam Tiền Hải")
    assert "Đảng ủy xã Tiền Hải Nam" in rate and "82,5%" in rate

    # The next period's table still says "Đảng ủy xã Nam Tiền Hải".
    assert NAM.encode("utf-8") in shared_tsv
    result = loaded.import_table(
        shared_tsv,
        "next.tsv",
        period_start=dt.date(2026, 6, 23),
        period_end=dt.date(2026, 7, 6),
    )
    assert result.new_units == [] and result.rows == 104
    with Session(loaded.engine) as session:
        assert len(session.exec(select(Unit)).all()) == 104
        periods = session.exec(
            select(Measurement.period_id).where(Measurement.unit_id == uid)
        ).all()
    assert len(set(periods)) == 2

    # The old name cannot be given to another unit (files using it mean the renamed one).
    (taken,) = await loaded.send(ADMIN_ID, f"/donvi_them {NAM}")
    assert taken == f"“{NAM}” là tên cũ của “Đảng ủy xã Tiền Hải Nam”."


async def test_rename_refuses_a_taken_name_and_asks_again(loaded: Harness) -> None:
    """A new name that another unit has is refused; the bot asks again; /huy cancels."""
    uid = unit_id(loaded, NAM)
    before = db_state(loaded)
    await loaded.press(ADMIN_ID, f"ua:r:{uid}")
    (refused,) = await loaded.send(ADMIN_ID, "dang uy xa quang lich")
    assert "Đã có đơn vị tên “Đảng ủy xã Quang Lịch”." in refused and "Gõ tên khác" in refused
    (cancel,) = await loaded.send(ADMIN_ID, "/huy")
    assert cancel == "Đã hủy."
    (after,) = await loaded.send(ADMIN_ID, "Tên mới")
    assert "chưa hiểu" in after  # the private-chat fallback: nothing pending any more
    (nothing,) = await loaded.send(ADMIN_ID, "/cancel", language_code="en")
    assert nothing == "Nothing to cancel."
    assert db_state(loaded) == before


# --- deactivate / reactivate --------------------------------------------------------------


async def test_deactivate_needs_confirmation_and_hides_the_unit(loaded: Harness) -> None:
    """Deactivate asks first; then the unit leaves lookups and rankings; reactivate brings it
    back; both are audited."""
    uid = unit_id(loaded, NAM)
    loaded.link(HEAD, "Nam Tiền Hải")
    (confirm,) = await loaded.press(ADMIN_ID, f"ua:d:{uid}")
    assert f"Ngừng theo dõi <b>{NAM}</b>?" in confirm
    assert "không xuất hiện khi tra cứu" in confirm and "vẫn được giữ" in confirm
    assert "1 cán bộ đã liên kết vẫn giữ liên kết" in confirm
    assert unit(loaded, uid).active
    (card,) = await loaded.press(ADMIN_ID, button(loaded, "Đồng ý ngừng theo dõi"))
    assert "Đã ngừng theo dõi đơn vị" in card and "⛔ ngừng theo dõi" in card
    assert "✅ Theo dõi lại" in [label for label, _ in loaded.last_keyboard()]
    assert not unit(loaded, uid).active
    (entry,) = audits(loaded, "unit.deactivate")
    assert entry.actor_telegram_id == ADMIN_ID and entry.subject == f"unit:{uid}"

    (lookup,) = await loaded.send(ADMIN_ID, "/tyle nam tien hai")
    assert "82,5%" not in lookup
    (overview,) = await loaded.send(ADMIN_ID, "/tyle")
    assert "103 đơn vị" in overview
    (listed,) = await loaded.send(ADMIN_ID, "/donvi nam tien hai")
    assert f"⛔ <b>{NAM}</b>" in listed  # still listed for the secretariat, marked

    (again,) = await loaded.press(ADMIN_ID, f"ua:e:{uid}")
    assert "Đã theo dõi lại đơn vị" in again and unit(loaded, uid).active
    assert len(audits(loaded, "unit.activate")) == 1
    (back,) = await loaded.send(ADMIN_ID, "/tyle nam tien hai")
    assert "82,5%" in back and "/104" in back


# --- kind and area ------------------------------------------------------------------------


async def test_change_kind_from_the_keyboard(loaded: Harness) -> None:
    """The kind keyboard marks the current kind; choosing another changes it (audited)."""
    uid = unit_id(loaded, NAM)
    (text,) = await loaded.press(ADMIN_ID, f"ua:k:{uid}")
    assert "(hiện tại: xã)" in text
    labels = [label for label, _ in loaded.last_keyboard()]
    assert "✓ Xã" in labels and "Khu vực" in labels and len(labels) == 8
    (card,) = await loaded.press(ADMIN_ID, button(loaded, "Khu vực"))
    assert "Đã đổi loại đơn vị" in card and "Loại: khu vực" in card
    assert unit(loaded, uid).kind == "khu-vuc"
    (entry,) = audits(loaded, "unit.update")
    assert entry.details == {"field": "kind", "old": "xa", "new": "khu-vuc"}


async def test_area_choice_typed_area_and_cycle_refusal(loaded: Harness) -> None:
    """Units are placed under an area by button or by typing its name; a unit cannot go under
    itself or under one of its own sub-units."""
    await loaded.send(ADMIN_ID, "/donvi_them Khu vực Tiền Hải")
    area = unit_id(loaded, "Khu vực Tiền Hải")
    await loaded.press(ADMIN_ID, f"ua:ks:{area}:khu-vuc")
    nam = unit_id(loaded, NAM)
    (choose,) = await loaded.press(ADMIN_ID, f"ua:a:{nam}:0")
    assert "Chọn khu vực" in choose and "(hiện tại: không có)" in choose
    (card,) = await loaded.press(ADMIN_ID, button(loaded, "Khu vực Tiền Hải"))
    assert "Đã đổi khu vực" in card and "Khu vực: Khu vực Tiền Hải" in card
    assert unit(loaded, nam).parent_id == area

    # Typing the area's name for another unit.
    quang = unit_id(loaded, "Đảng ủy xã Quang Lịch")
    (ask,) = await loaded.press(ADMIN_ID, f"ua:at:{quang}")
    assert "Gõ tên khu vực" in ask
    (typed,) = await loaded.send(ADMIN_ID, "khu vuc tien hai")
    assert "Khu vực: Khu vực Tiền Hải" in typed
    (area_card,) = await loaded.press(ADMIN_ID, f"ua:c:{area}")
    assert "2 đơn vị trong khu vực này" in area_card

    before = db_state(loaded)
    (cycle,) = await loaded.press(ADMIN_ID, f"ua:as:{area}:{nam}")
    assert (
        f"“{NAM}” nằm trong “Khu vực Tiền Hải”: không thể xếp một đơn vị vào đơn vị cấp dưới"
        in cycle
    )
    (own,) = await loaded.press(ADMIN_ID, f"ua:as:{area}:{area}")
    assert "Một đơn vị không thể là khu vực của chính nó." in own
    assert db_state(loaded) == before
    # The area keyboard of the area itself does not offer its own sub-units or itself.
    await loaded.press(ADMIN_ID, f"ua:a:{area}:0")
    labels = [label for label, _ in loaded.last_keyboard()]
    assert not [label for label in labels if "Tiền Hải" in label]

    (top,) = await loaded.press(ADMIN_ID, f"ua:as:{nam}:0")
    assert "Khu vực: không có" in top and unit(loaded, nam).parent_id is None
    areas = [e.details for e in audits(loaded, "unit.update") if e.details["field"] == "area"]
    assert areas == [
        {"field": "area", "old": None, "new": "Khu vực Tiền Hải"},
        {"field": "area", "old": None, "new": "Khu vực Tiền Hải"},
        {"field": "area", "old": "Khu vực Tiền Hải", "new": None},
    ]


# --- officials ----------------------------------------------------------------------------


async def test_officials_list_and_removal(loaded: Harness) -> None:
    """A unit's officials are listed with role and ID; removing one asks first, ends the link
    (kept with ended_at), is audited, and the person is then told they are not linked."""
    loaded.link(HEAD, "Quang Lịch", Role.HEAD)
    loaded.link(STAFF, "Quang Lịch", Role.STAFF)
    uid = unit_id(loaded, "Đảng ủy xã Quang Lịch")
    with session_scope(loaded.engine) as session:
        person = session.get(AppUser, STAFF)
        assert person is not None
        person.display_name, person.username = "Nguyễn Văn Bình", "binhnv"
        session.add(person)
    (text,) = await loaded.press(ADMIN_ID, f"ua:o:{uid}")
    assert "Cán bộ của Đảng ủy xã Quang Lịch" in text
    assert f"Nguyễn Văn Bình (@binhnv) · ID <code>{STAFF}</code> — cán bộ văn phòng" in text
    assert f"<code>{HEAD}</code>" in text and f"<code>{STAFF}</code>" in text
    assert text.index(str(HEAD)) < text.index(str(STAFF))  # heads first
    assert "bí thư" in text.lower()
    with Session(loaded.engine) as session:
        head_row = session.exec(
            select(Official).where(Official.telegram_id == HEAD, Official.active == True)  # noqa: E712
        ).one()
    (confirm,) = await loaded.press(ADMIN_ID, f"ua:ro:{head_row.id}")
    assert (
        "Gỡ ID <code>5002</code> (người đứng đầu" in confirm and "Đảng ủy xã Quang Lịch" in confirm
    )
    (rate_before,) = await loaded.send(HEAD, "/tyle")
    assert "80%" in rate_before
    (done,) = await loaded.press(ADMIN_ID, button(loaded, "Đồng ý gỡ"))
    assert "Đã gỡ ID <code>5002</code> khỏi Đảng ủy xã Quang Lịch" in done
    assert f"<code>{HEAD}</code>" not in done.split("\n\n", 1)[1]
    with Session(loaded.engine) as session:
        ended = session.get(Official, head_row.id)
        assert ended is not None and not ended.active and ended.ended_at is not None
    (entry,) = audits(loaded, "official.remove")
    assert entry.actor_telegram_id == ADMIN_ID
    assert entry.details["telegram_id"] == HEAD and entry.details["role"] == "head"
    (rate_after,) = await loaded.send(HEAD, "/tyle")
    assert "chưa được gắn với đơn vị" in rate_after and "80%" not in rate_after
    (stale,) = await loaded.press(ADMIN_ID, f"ua:ry:{head_row.id}")
    assert stale == "Cán bộ này không còn liên kết với đơn vị nào."


# --- refusals -----------------------------------------------------------------------------


async def test_everything_is_refused_to_non_secretariat(loaded: Harness) -> None:
    """Officials and strangers get the refusal for every admin command and button, and
    nothing changes."""
    loaded.link(HEAD, "Quang Lịch", Role.HEAD)
    loaded.link(STAFF, "Nam Tiền Hải", Role.STAFF)
    uid = unit_id(loaded, "Đảng ủy xã Quang Lịch")
    with Session(loaded.engine) as session:
        official_id = session.exec(
            select(Official.id).where(Official.telegram_id == STAFF, Official.active == True)  # noqa: E712
        ).one()
    before = db_state(loaded)
    commands = [
        "/donvi",
        "/units",
        "/donvi tien hai",
        "/donvi_them Đơn vị lạ",
        "/addunit X",
        "/nhom",
        "/group",
        "/nhom_ds",
        "/groups",
    ]
    for user in (HEAD, 777):
        for command in commands:
            texts = await loaded.send(user, command)
            assert texts == [REFUSAL], (user, command, texts)
    buttons = [
        "ul:0::",
        "ul:1:xa:nam",
        "ul:k",
        "ul:back",
        f"ua:c:{uid}",
        f"ua:r:{uid}",
        f"ua:k:{uid}",
        f"ua:ks:{uid}:ban",
        f"ua:a:{uid}:0",
        f"ua:as:{uid}:0",
        f"ua:at:{uid}",
        f"ua:o:{uid}",
        f"ua:d:{uid}",
        f"ua:dy:{uid}",
        f"ua:e:{uid}",
        f"ua:ro:{official_id}",
        f"ua:ry:{official_id}",
    ]
    for data in buttons:
        start = len(loaded.request.calls)
        texts = await loaded.press(HEAD, data)
        assert texts == [], data
        (answer,) = [c for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
        assert answer.params["text"] == REFUSAL and answer.params["show_alert"] is True
    # A typed "new name" from a non-secretariat user is just text, not a rename.
    await loaded.send(HEAD, "Đảng ủy xã Tên Mới")
    assert db_state(loaded) == before


async def test_help_lists_admin_commands_for_the_secretariat_only(loaded: Harness) -> None:
    """/trogiup shows /donvi to the secretariat and hides it from officials."""
    loaded.link(HEAD, "Quang Lịch")
    await loaded.send(ADMIN_ID, "/trogiup")
    admin_help = "\n".join(
        [(await loaded.press(ADMIN_ID, data))[0] for _label, data in loaded.last_keyboard()]
    )
    assert "/donvi —" in admin_help and "/nhom —" in admin_help
    (head_help,) = await loaded.send(HEAD, "/trogiup")
    head_help += "\n".join(
        [(await loaded.press(HEAD, data))[0] for _label, data in loaded.last_keyboard()]
    )
    assert "/donvi" not in head_help and "/nhom" not in head_help


async def test_pending_answer_expires(loaded: Harness) -> None:
    """A typed answer is awaited for a short while only; later text is ordinary text."""
    clock = SimulatedClock(utcnow())
    loaded.app.bot_data.runtime.clock = clock
    uid = unit_id(loaded, NAM)
    await loaded.press(ADMIN_ID, f"ua:r:{uid}")
    clock.advance(TTL + dt.timedelta(seconds=1))
    (text,) = await loaded.send(ADMIN_ID, "Đảng ủy xã Tên Khác")
    assert "chưa hiểu" in text
    assert unit(loaded, uid).name == NAM


async def test_unit_administration_stays_out_of_group_chats(loaded: Harness) -> None:
    """In a group even the secretariat is sent to a private chat: cards list contact data."""
    loaded.link(HEAD, "Quang Lịch")
    uid = unit_id(loaded, "Đảng ủy xã Quang Lịch")
    (text,) = await loaded.send(ADMIN_ID, "/donvi", chat_id=-100777, chat_type="supergroup")
    assert "trò chuyện riêng" in text
    before = db_state(loaded)
    start = len(loaded.request.calls)
    assert await loaded.press(ADMIN_ID, f"ua:o:{uid}", chat_id=-100777) == []
    (answer,) = [c for c in loaded.request.calls[start:] if c.method == "answerCallbackQuery"]
    assert "trò chuyện riêng" in answer.params["text"]
    assert await loaded.send(ADMIN_ID, "/donvi_them X", chat_id=-100777, chat_type="group") == [
        "Đồng chí vui lòng dùng lệnh này trong cuộc trò chuyện riêng với tôi, vì nội dung có "
        "thông tin liên hệ của cán bộ."
    ]
    assert db_state(loaded) == before
