"""The handler index (handlers/dispatch.py) picks, in every group, the handler PTB's own loop
would pick: for every registered command in private chats, groups and forum topics, edited
messages, captions, /cmd@otherbot, buttons, member updates and any text Hypothesis makes up."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import CommandHandler, TypeHandler, filters

from bot.offline import BOT_USER, callback_update, message_update
from handlers.dispatch import update_key
from tests.conftest import Harness

BOT_NAME = str(BOT_USER["username"])


def ptb_choice(app: Any, update: object) -> list[Any]:
    """Per group, the first handler whose check_update accepts the update (PTB's loop)."""
    chosen = []
    for handlers in app.handlers.values():
        chosen.append(
            next((h for h in handlers if h.check_update(update) not in (None, False)), None)
        )
    return chosen


def index_choice(app: Any, update: object) -> list[Any]:
    """The same, asking only the index's candidates; every handler left out must refuse the
    update (what PTB's loop would have seen), and the key's facts are PTB's filters' answers."""
    key = update_key(update)
    if key is None:  # the index steps aside: PTB's own loop runs
        return ptb_choice(app, update)
    assert isinstance(update, Update)
    assert key[2:] == (
        bool(filters.BaseFilter.check_update(filters.COMMAND, update)),
        bool(filters.COMMAND.check_update(update)),
        bool(filters.Document.ALL.check_update(update)),
        bool(filters.PHOTO.check_update(update)),
    )
    groups = app._index().groups(app.handlers, key)
    chosen = []
    for handlers, candidates in zip(app.handlers.values(), groups, strict=True):
        for handler in handlers:
            if handler not in candidates:
                assert handler.check_update(update) in (None, False), (handler, update)
        chosen.append(
            next((h for h in candidates if h.check_update(update) not in (None, False)), None)
        )
    return chosen


def command_names(app: Any) -> list[str]:
    """Every command a CommandHandler of the application answers."""
    return sorted(
        {
            c
            for hs in app.handlers.values()
            for h in hs
            if isinstance(h, CommandHandler)
            for c in h.commands
        }
    )


def variants(name: str) -> list[dict[str, Any]]:
    """A command's updates: suffixes, case, chat kinds, edited, caption."""
    bodies = []
    for text in (
        f"/{name}",
        f"/{name.upper()} x y",
        f"/{name}@{BOT_NAME}",
        f"/{name}@{BOT_NAME.upper()} x",
        f"/{name}@OtherBot",
    ):
        for chat_type, chat_id in (("private", 501), ("group", -502), ("supergroup", -100503)):
            body = message_update(501, text, chat_id=chat_id, chat_type=chat_type)
            if chat_type == "supergroup":
                body["message"].update(message_thread_id=7, is_topic_message=True)
                body["message"]["chat"]["is_forum"] = True
            bodies.append(body)
            edited = message_update(501, text, chat_id=chat_id, chat_type=chat_type)
            edited["edited_message"] = edited.pop("message")
            edited["edited_message"]["edit_date"] = edited["edited_message"]["date"]
            bodies.append(edited)
    caption = message_update(501, "")
    message = caption["message"]
    del message["text"]
    message["caption"] = f"/{name}"
    message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": len(name) + 1}]
    message["document"] = {"file_id": "f", "file_unique_id": "f", "file_name": "a.tsv"}
    bodies.append(caption)
    photo = message_update(501, "")
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    photo["message"]["caption"] = f"/{name} x"
    photo["message"]["caption_entities"] = caption["message"]["caption_entities"]
    bodies.append(photo)
    return bodies


async def test_every_command_and_button_goes_to_the_handler_ptb_picks(bot: Harness) -> None:
    """Every registered command (and an unknown one) in every shape, texts, buttons."""
    app = bot.app
    bodies: list[dict[str, Any]] = []
    for name in [*command_names(app), "nosuch"]:
        bodies.extend(variants(name))
    for text in ("tỷ lệ ký số của tôi", "hello", "hi /tyle", "", "/"):
        bodies.append(message_update(501, text))
        bodies.append(message_update(501, text, chat_id=-502, chat_type="group"))
    for data in ("rate:1", "page:2", "help:rates", "nonsense", "x" * 64):
        bodies.append(callback_update(501, data, message_id=1))
        bodies.append(callback_update(501, data, message_id=1, message_text="/tyle"))
    bodies.append(
        {
            "update_id": 99,
            "my_chat_member": {
                "chat": {"id": -502, "type": "group", "title": "G"},
                "from": {"id": 501, "is_bot": False, "first_name": "A"},
                "date": 1,
                "old_chat_member": {"status": "left", "user": BOT_USER},
                "new_chat_member": {"status": "member", "user": BOT_USER},
            },
        }
    )
    assert len(bodies) > 1000
    for body in bodies:
        update = Update.de_json(body, app.bot)
        assert index_choice(app, update) == ptb_choice(app, update), body


async def test_any_text_and_entities_go_to_the_handler_ptb_picks(bot: Harness) -> None:
    """Hypothesis: any text, any first entity, any chat kind."""
    app = bot.app
    names = [*command_names(app), "nosuch"]

    @settings(max_examples=300, deadline=None)
    @given(
        text=st.one_of(
            st.text(max_size=30),
            st.builds(lambda n, rest: f"/{n}{rest}", st.sampled_from(names), st.text(max_size=20)),
        ),
        kind=st.sampled_from(["bot_command", "mention", "bold"]),
        offset=st.integers(0, 3),
        length=st.integers(0, 40),
        chat=st.sampled_from([("private", 501), ("group", -502), ("supergroup", -100503)]),
        shape=st.sampled_from(["text", "photo", "document", "edited"]),
    )
    def check(
        text: str, kind: str, offset: int, length: int, chat: tuple[str, int], shape: str
    ) -> None:
        body = message_update(501, "x", chat_id=chat[1], chat_type=chat[0])
        message = body["message"]
        message["text"] = text
        message["entities"] = [{"type": kind, "offset": offset, "length": length}]
        if shape == "photo":
            message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        elif shape == "document":
            message["document"] = {"file_id": "f", "file_unique_id": "f"}
        elif shape == "edited":
            message["edit_date"] = message["date"]
            body["edited_message"] = body.pop("message")
        update = Update.de_json(body, app.bot)
        assert index_choice(app, update) == ptb_choice(app, update)

    check()


async def test_a_handler_added_later_answers(bot: Harness) -> None:
    """The index follows add_handler and remove_handler after updates were handled."""
    app = bot.app
    seen: list[str] = []

    async def command(_update: Update, _context: Any) -> None:
        seen.append("command")

    async def anything(_update: Update, _context: Any) -> None:
        seen.append("anything")

    unknown = await bot.send(501, "/zzz")  # the index is built for /zzz: no handler of its own
    assert unknown and not seen
    handler = CommandHandler("zzz", command)
    app.add_handler(handler, group=1)
    app.add_handler(TypeHandler(Update, anything), group=5)
    assert await bot.send(501, "/zzz") == unknown  # group 0 still answers it
    assert seen == ["command", "anything"]
    app.remove_handler(handler, group=1)
    await bot.send(501, "/zzz")
    assert seen == ["command", "anything", "anything"]


@pytest.mark.filterwarnings("ignore:Tasks created via")  # the harness does not start the app
async def test_a_non_blocking_handler_runs_on_its_own(bot: Harness) -> None:
    """block=False (PTB's option) still means the update does not wait for that handler."""
    app = bot.app
    gate = asyncio.Event()
    done: list[str] = []

    async def waits(_update: Update, _context: Any) -> None:
        await gate.wait()
        done.append("late")

    app.add_handler(TypeHandler(Update, waits, block=False), group=7)
    await bot.send(501, "/tyle")  # returns although the handler still waits
    assert done == []
    gate.set()
    for task in [t for t in asyncio.all_tasks() if "non_blocking" in t.get_name()]:
        await task
    assert done == ["late"]


async def test_a_command_for_this_bot_with_a_second_at_is_still_checked(bot: Harness) -> None:
    """'/moi@bot@x' runs /moi in PTB: a stranger is refused it as for '/moi', not invited."""
    for text in ("/moi", f"/moi@{BOT_NAME}@x", f"/quantri@{BOT_NAME}@x"):
        body = message_update(777, text)
        body["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        start = len(bot.request.calls)
        await bot.app.process_update(Update.de_json(body, bot.app.bot))
        texts = [str(c.params.get("text")) for c in bot.request.calls[start:]]
        assert texts == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."], (text, texts)


async def test_updates_are_counted_under_the_command_that_ran(bot: Harness) -> None:
    """The metrics name the command PTB dispatched ('/rate@bot' is /tyle), a command for
    another bot is a message, an unknown one 'unknown'."""
    for text in ("/tyle", f"/rate@{BOT_NAME}", f"/TYLE@{BOT_NAME.upper()}", "/tyle@otherbot"):
        await bot.send(501, text, chat_id=-502, chat_type="group")
    await bot.send(501, "/nosuch")
    metrics = bot.app.bot_data.runtime.metrics.render().decode()
    assert 'kyso_updates_total{command="tyle",kind="command"} 3.0' in metrics
    assert 'kyso_updates_total{command="",kind="message"} 1.0' in metrics
    assert 'kyso_updates_total{command="unknown",kind="command"} 1.0' in metrics
