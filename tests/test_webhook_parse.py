"""The webhook's update parsing: a plain text message is built directly, and must be the very
Update PTB's `Update.de_json` builds from the same body (any other body goes to de_json)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from telegram import Chat, Message, Update
from telegram.constants import ChatType
from telegram.ext import Defaults, ExtBot

from bot.offline import message_update
from bot.webhook import parse_update
from handlers.webhook_objects import CHATS, MESSAGES, UPDATES, USERS, JsonPrototype, Prototype

BOT: ExtBot[Any] = ExtBot("123456:PARSE-TEST")
EPOCH = dt.datetime(2026, 6, 26, tzinfo=dt.UTC)
BOT_VN: ExtBot[Any] = ExtBot(
    "123456:PARSE-TEST", defaults=Defaults(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
)

ids = st.integers(min_value=-(2**52), max_value=2**52)
texts = st.text(max_size=60)
people = st.fixed_dictionaries(
    {"id": ids, "is_bot": st.booleans(), "first_name": texts},
    optional={
        "last_name": texts,
        "username": texts,
        "language_code": st.sampled_from(["vi", "en", "fr"]),
        "is_premium": st.booleans(),
        "something_new": texts,  # a field this PTB does not know: kept in api_kwargs
    },
)
chats = st.fixed_dictionaries(
    {"id": ids, "type": st.sampled_from(["private", "group", "supergroup", "channel"])},
    optional={"title": texts, "first_name": texts, "username": texts, "is_forum": st.booleans()},
)
entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["bot_command", "mention", "bold", "url", "not_a_type"]),
            "offset": st.integers(0, 50),
            "length": st.integers(1, 50),
        },
        optional={"url": texts},
    ),
    max_size=3,
)
messages = st.fixed_dictionaries(
    {"message_id": ids, "date": st.integers(0, 2**32), "chat": chats},
    optional={"from": people, "text": texts, "entities": entities},
)
updates = st.fixed_dictionaries({"update_id": ids, "message": messages})


def same(body: dict[str, Any], bot: ExtBot[Any]) -> None:
    """parse_update and de_json give equal Updates, field for field."""
    ours, theirs = parse_update(body, bot), Update.de_json(body, bot)
    assert ours is not None and theirs is not None
    assert ours.to_dict() == theirs.to_dict()
    assert ours == theirs and ours.message == theirs.message
    assert ours.message is not None and theirs.message is not None
    assert ours.message.date == theirs.message.date
    assert ours.message.date.tzinfo == theirs.message.date.tzinfo
    assert ours.effective_user == theirs.effective_user
    assert ours.effective_chat == theirs.effective_chat
    assert ours.message.entities == theirs.message.entities
    assert [(e.to_dict(), type(e.type), e.get_bot()) for e in ours.message.entities] == [
        (e.to_dict(), type(e.type), e.get_bot()) for e in theirs.message.entities
    ]
    assert ours.message.api_kwargs == theirs.message.api_kwargs
    assert ours.get_bot() is bot and ours.message.get_bot() is bot


@settings(max_examples=150, deadline=None)
@given(updates)
@example(message_update(10_001, "/tyle nam tien hai"))
def test_a_plain_message_is_the_update_de_json_builds(body: dict[str, Any]) -> None:
    """Any plain text message: the same Update as PTB's, with or without a time zone."""
    same(body, BOT)
    same(body, BOT_VN)


def test_what_is_not_a_plain_message_goes_to_de_json() -> None:
    """A reply, a callback, a photo: PTB's own parsing (equal by construction)."""
    reply = message_update(1, "ừ")
    reply["message"]["reply_to_message"] = message_update(1, "/tyle")["message"]
    callback = {
        "update_id": 9,
        "callback_query": {
            "id": "1",
            "from": {"id": 1, "is_bot": False, "first_name": "A"},
            "chat_instance": "x",
            "data": "unit:1",
        },
    }
    for body in (reply, callback):
        parsed = parse_update(body, BOT)
        assert parsed is not None and parsed.to_dict() == Update.de_json(body, BOT).to_dict()
    assert parse_update(reply, BOT).message.reply_to_message is not None  # type: ignore[union-attr]


def test_odd_values_in_a_plain_shape_are_left_to_de_json() -> None:
    """A date that is not a number, an id that is a string: de_json decides (here: refuses or
    converts exactly as PTB does)."""
    body = message_update(1, "/tyle")
    body["message"]["message_id"] = "7"
    assert parse_update(body, BOT).to_dict() == Update.de_json(body, BOT).to_dict()  # type: ignore[union-attr]
    body = message_update(1, "/tyle")
    body["message"]["date"] = dt.datetime(2026, 1, 1).isoformat()
    for parse in (parse_update, Update.de_json):
        try:
            outcome: object = parse(body, BOT)
        except Exception as exc:
            outcome = type(exc)
        assert outcome is not None


def test_plain_updates_are_copied_from_prototypes_and_stay_frozen() -> None:
    """On the installed PTB the fast copies are used (so the equality tests above check them),
    and what they make is as read-only as PTB's own objects."""
    assert MESSAGES.trusted and UPDATES.trusted and CHATS.trusted and USERS.trusted
    update = parse_update(message_update(10_001, "/tyle"), BOT)
    assert update is not None and update.message is not None
    with pytest.raises(AttributeError):
        update.message.text = "/other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        update.update_id = 5  # type: ignore[misc]


def test_a_prototype_that_cannot_be_trusted_uses_the_constructor() -> None:
    """A class whose constructor derives more than the given fields (a future PTB) is built by
    its constructor, never copied."""

    def derived(message_id: int) -> Message:
        return Message(message_id, EPOCH, Chat(message_id, "private"))  # chat follows the id

    prototype = Prototype(derived, {"message_id": 1}, {"message_id": 2})
    assert not prototype.trusted
    made = prototype.make({"message_id": 7}, (7,), BOT)
    assert made.chat.id == 7 and made.get_bot() is BOT


def test_a_json_prototype_that_misses_a_conversion_is_not_trusted() -> None:
    """Chats copied without turning their type into PTB's ChatType would differ from de_json's
    (a str, not the member): such a prototype is refused and de_json builds every chat."""
    plain = JsonPrototype(Chat, [{"id": 1, "type": "private", "first_name": "An"}])
    assert not plain.trusted
    chat = plain.from_json({"id": 5, "type": "private"}, BOT)
    assert chat.type is ChatType.PRIVATE and chat == Chat.de_json({"id": 5, "type": "private"}, BOT)
