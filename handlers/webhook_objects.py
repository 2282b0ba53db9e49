"""PTB objects of a plain webhook message built by copying prototypes (bot/webhook.py reads them).

PTB's constructors set every field through `TelegramObject.__setattr__` (a Python call each,
~120 for a Message), and `de_json` adds its own checks; a lone /tyle built its Update with ~220
such calls. Here an object is copied, in C, from one its constructor built, with the
message's own fields: only when that is provably what the constructor gives (see `Prototype`),
otherwise through PTB as before. tests/test_webhook_parse.py pins every plain message's Update
equal to `Update.de_json`'s (Hypothesis).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from itertools import repeat
from types import MappingProxyType
from typing import Any

from telegram import Chat, Message, MessageEntity, Update, User
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.enum import get_member
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ExtBot


class Prototype:
    """Instances of a PTB class copied from one its constructor built, some fields replaced:
    what the constructor gives, without its ~100 calls of TelegramObject.__setattr__.

    Trusted only when two instances built with different values differ in exactly those fields
    (and `_id_attrs`, which the caller gives) and hold nothing mutable; otherwise (a PTB that
    derives more) `make` calls the constructor. tests/test_webhook_parse.py pins the result
    against `Update.de_json`."""

    def __init__(
        self,
        build: Callable[..., Any],
        first: dict[str, Any],
        second: dict[str, Any],
    ) -> None:
        """`build(**fields)` is the constructor; `first` and `second` differ in every field."""
        self.build = build
        one, two = build(**first), build(**second)
        self.cls = type(one)
        names = dict.fromkeys(
            name
            for klass in self.cls.__mro__[:-1]
            for name in (lambda slots: (slots,) if isinstance(slots, str) else slots)(
                getattr(klass, "__slots__", ())
            )
        )
        self.template = {name: getattr(one, name) for name in names}
        differ = {name for name in names if getattr(two, name) != self.template[name]}
        immutable = all(
            isinstance(value, _IMMUTABLE)
            for name, value in self.template.items()
            if name not in first
        )
        self.trusted = (
            not hasattr(one, "__dict__")
            and differ == set(first) | {"_id_attrs"}
            and immutable
            and self.template.get("_frozen") is True
        )

    def make(
        self, fields: dict[str, Any], id_attrs: tuple[Any, ...], bot: ExtBot[Any] | None
    ) -> Any:
        """A new instance with `fields` (and `_id_attrs`), bound to `bot`."""
        if not self.trusted:
            built = self.build(**fields)
            built.set_bot(bot)
            return built
        state = {**self.template, **fields, "_id_attrs": id_attrs, "_bot": bot}
        made = object.__new__(self.cls)
        any(map(_SET, repeat(made, len(state)), state.keys(), state.values()))  # all in C
        return made


_SET = object.__setattr__
_IMMUTABLE = (type(None), bool, int, float, str, tuple, frozenset, MappingProxyType, DefaultValue)
_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_CHATS = (Chat(1, "private"), Chat(2, "group"))
MESSAGES = Prototype(
    Message,
    {"message_id": 1, "date": _EPOCH, "chat": _CHATS[0], "from_user": None, "text": None,
     "entities": ()},
    {"message_id": 2, "date": _EPOCH + dt.timedelta(1), "chat": _CHATS[1],
     "from_user": User(3, "x", False), "text": "t", "entities": (MessageEntity("bold", 0, 1),)},
)  # fmt: skip
ENTITIES = Prototype(
    MessageEntity,
    {"type": "bold", "offset": 0, "length": 1},
    {"type": "bot_command", "offset": 1, "length": 2},
)
_ENTITY_KEYS = frozenset({"type", "offset", "length"})  # a command's, a bold word's: no extras


def entities_from_json(data: Any, bot: ExtBot[Any] | None) -> tuple[MessageEntity, ...]:
    """A message's entities as `MessageEntity.de_list` gives them: one with only a type, an
    offset and a length copied from the prototype, any other through `de_json`."""
    if not (ENTITIES.trusted and isinstance(data, list)):
        return tuple(MessageEntity.de_list(data, bot))
    made = []
    for entity in data:
        if isinstance(entity, dict) and entity.keys() == _ENTITY_KEYS:
            kind = get_member(MessageEntityType, entity["type"], entity["type"])
            offset, length = entity["offset"], entity["length"]
            fields = {"type": kind, "offset": offset, "length": length}
            made.append(ENTITIES.make(fields, (kind, offset, length), bot))
        else:
            made.append(MessageEntity.de_json(entity, bot))
    return tuple(made)


UPDATES = Prototype(
    Update,
    {"update_id": 1, "message": None},
    {"update_id": 2, "message": Message(1, _EPOCH, _CHATS[0])},
)


class JsonPrototype:
    """A flat PTB object (a Chat, a User) from its JSON through a `Prototype`: for JSON whose
    keys are all constructor parameters (the required ones present), stored as given, after
    `convert`; anything else through `de_json`. Trusted only when the prototype is and every
    sample comes out as `de_json` makes it, value and type of every field."""

    def __init__(
        self,
        cls: type[Any],
        samples: list[dict[str, Any]],
        convert: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """`samples`: real JSON of the class, compared with `de_json`'s objects at start-up."""
        self.cls, self.convert = cls, convert
        parameters = inspect.signature(cls).parameters.values()
        names = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
        self.names = frozenset(names)
        self.required = frozenset(
            p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        )
        self.prototype = Prototype(
            cls, {name: f"1{name}" for name in names}, {name: f"2{name}" for name in names}
        )
        self.defaults = {
            p.name: p.default
            for p in parameters
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty
        }  # what an absent field gets
        self.trusted = (
            self.prototype.trusted
            and "id" in self.required
            and all(isinstance(value, _IMMUTABLE) for value in self.defaults.values())
        )
        self.trusted = self.trusted and all(self._same(sample) for sample in samples)

    def from_json(self, data: Any, bot: ExtBot[Any] | None) -> Any:
        """The object of `data` (as `cls.de_json(data, bot)` gives it)."""
        if not (
            self.trusted and isinstance(data, dict) and self.required <= data.keys() <= self.names
        ):
            return self.cls.de_json(data, bot)
        fields = {**self.defaults, **data}
        if self.convert is not None:
            self.convert(fields)
        return self.prototype.make(fields, (fields["id"],), bot)

    def _same(self, sample: dict[str, Any]) -> bool:
        """Whether the copy of `sample` is `de_json`'s object, field for field."""
        self.trusted = True
        ours, theirs = self.from_json(sample, None), self.cls.de_json(sample, None)
        return all(
            type(getattr(ours, name)) is type(getattr(theirs, name))
            and getattr(ours, name) == getattr(theirs, name)
            for name in self.prototype.template
        )


def _chat_type(fields: dict[str, Any]) -> None:
    """A chat's type as PTB keeps it: ChatType's member when it is one."""
    fields["type"] = get_member(ChatType, fields["type"], fields["type"])


CHATS = JsonPrototype(
    Chat,
    [
        {"id": 1, "type": "private", "first_name": "An", "username": "an"},
        {"id": -2, "type": "supergroup", "title": "Tổ", "is_forum": True},
        {"id": -3, "type": "a future type", "title": "?"},
    ],
    _chat_type,
)
USERS = JsonPrototype(
    User,
    [
        {"id": 1, "is_bot": False, "first_name": "An", "language_code": "vi"},
        {"id": 2, "is_bot": True, "first_name": "B", "last_name": "C", "username": "bc_bot"},
    ],
)
