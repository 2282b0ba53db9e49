"""Help that fits a phone screen: the six things a person does most, then one button per topic.

Only the commands that apply to the person are shown (their role, and whether they belong to a
unit), each under its name in the reply's language. The topic and the person the help was shown
to travel in the callback data ('help:<owner>:<topic>'); anyone else's press is refused.
Also here: the closest command to an unknown one ("/tyel" → "/tyle").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.core.i18n import LazyString, _, current_language, lazy_gettext
from bot.core.people import Viewer
from handlers.commands import Audience, CommandSpec, audience_of
from handlers.context import BotContext, KysoApp

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "help"
_DATA = re.compile(rf"^{CALLBACK_PREFIX}:(\d{{1,20}}):([a-z]{{1,12}})$")
TOP = "top"
SUGGEST_CUTOFF = 60  # rapidfuzz ratio: "tyel" ~ "tyle" is 75, unrelated words stay below


@dataclass(frozen=True)
class Topic:
    """A group of commands under one button."""

    key: str
    label: LazyString
    commands: tuple[str, ...]  # first (Vietnamese) names, in display order


TOPICS: tuple[Topic, ...] = (
    Topic("rates", lazy_gettext("📊 Rates and reports"), ("tyle", "lichsu", "tonghop", "baocao")),
    Topic(
        "deadlines",
        lazy_gettext("⏰ Deadlines"),
        ("hanchot", "giaitrinh", "hanchot_moi", "hanchot_tt"),
    ),
    Topic(
        "news",
        lazy_gettext("📣 Announcements and groups"),
        ("thongbao", "thongbao_ds", "thongbao_tt", "khonglienlac", "nhom", "nhom_ds"),
    ),
    Topic("warnings", lazy_gettext("⚠️ Warnings"), ("canhbao", "imlang", "imlang_ds")),
    Topic(
        "people",
        lazy_gettext("👥 Invitations and secretariat"),
        ("moi", "moi_hangloat", "quantri", "quantri_them", "quantri_bo"),
    ),
    Topic(
        "data",
        lazy_gettext("🗂 Data and units"),
        ("nhap", "donvi", "donvi_them", "nhatky", "bangdieukhien"),
    ),
    Topic("letters", lazy_gettext("📚 Letters"), ("hoi", "vanban", "vanban_them")),
    Topic("account", lazy_gettext("👤 You and the bot"), ("toi", "ngonngu", "roi", "huy", "start")),
)

# The six things each kind of person does most, first in their help.
FAVOURITES: dict[Audience, tuple[str, ...]] = {
    Audience.STRANGER: ("start", "toi", "hoi", "vanban", "ngonngu"),
    Audience.VIEWER: ("tyle", "lichsu", "tonghop", "hanchot", "hoi", "toi"),
    Audience.STAFF: ("tyle", "hanchot", "giaitrinh", "lichsu", "hoi", "toi"),
    Audience.HEAD: ("tyle", "hanchot", "giaitrinh", "lichsu", "tonghop", "hoi"),
    Audience.SECRETARIAT: ("tyle", "nhap", "hanchot_moi", "thongbao", "moi", "canhbao"),
}

UNIT_ONLY = frozenset({"roi", "giaitrinh"})  # only for someone who belongs to a unit
# What a command does for the secretariat, where it differs from "your unit's".
SECRETARIAT_DESCRIPTIONS: dict[str, LazyString] = {
    "tyle": lazy_gettext("any unit's rate, e.g. /rate Nam Tiền Hải"),
    "lichsu": lazy_gettext("a unit's rate over the last periods, as a chart"),
    "hanchot": lazy_gettext("every open deadline and who still owes what"),
}


def command_for(spec: CommandSpec, language: str | None = None) -> str:
    """'/tyle' in Vietnamese, '/rate' in English: the command's name in a language."""
    language = language or current_language()
    names = spec.names
    return "/" + (names[1] if language == "en" and len(names) > 1 else names[0])


def applies(spec: CommandSpec, viewer: Viewer | None) -> bool:
    """Whether a command means something to this person (role, unit, already started)."""
    audience = audience_of(viewer)
    if audience not in spec.allowed:
        return False
    name = spec.names[0]
    if name in UNIT_ONLY and (viewer is None or viewer.unit_id is None):
        return False
    return not (name == "start" and audience is not Audience.STRANGER)


def _specs(context: BotContext) -> dict[str, CommandSpec]:
    """Every command by its first name, as the composition registered them."""
    return {spec.names[0]: spec for spec in context.bot_data.commands.values()}


def _line(spec: CommandSpec, audience: Audience) -> str:
    """'/rate — what it does' in the current language."""
    description = spec.description
    if audience is Audience.SECRETARIAT:
        description = SECRETARIAT_DESCRIPTIONS.get(spec.names[0], description)
    return f"{command_for(spec)} — {description}"


def _favourites(context: BotContext) -> list[CommandSpec]:
    """The person's most used commands that apply to them."""
    specs = _specs(context)
    wanted = FAVOURITES[audience_of(context.viewer)]
    return [specs[n] for n in wanted if n in specs and applies(specs[n], context.viewer)]


def _topic_specs(context: BotContext, topic: Topic) -> list[CommandSpec]:
    """A topic's commands that apply to the person."""
    specs = _specs(context)
    return [specs[n] for n in topic.commands if n in specs and applies(specs[n], context.viewer)]


def _keyboard(context: BotContext, owner: int) -> InlineKeyboardMarkup | None:
    """One button per topic holding a command beyond the favourites, two a row."""
    shown = {spec.names[0] for spec in _favourites(context)}
    buttons = [
        InlineKeyboardButton(str(t.label), callback_data=f"{CALLBACK_PREFIX}:{owner}:{t.key}")
        for t in TOPICS
        if any(spec.names[0] not in shown for spec in _topic_specs(context, t))
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return InlineKeyboardMarkup(rows) if rows else None


def help_text(context: BotContext) -> str:
    """The short help: the person's most used commands and a line on plain questions."""
    audience = audience_of(context.viewer)
    lines = [_("<b>What you can do most often</b>")]
    lines.extend(_line(spec, audience) for spec in _favourites(context))
    lines.append("")
    lines.append(_("You can also just ask, e.g. “what is my signing rate”."))
    lines.append(_("More commands, by topic:"))
    return "\n".join(lines)


def help_markup(context: BotContext, owner: int) -> InlineKeyboardMarkup | None:
    """The topic buttons under the short help."""
    return _keyboard(context, owner)


def topic_text(context: BotContext, topic: Topic) -> str:
    """A topic's commands that apply to the person."""
    audience = audience_of(context.viewer)
    lines = [f"<b>{topic.label}</b>"]
    lines.extend(_line(spec, audience) for spec in _topic_specs(context, topic))
    return "\n".join(lines)


async def help_button(update: Update, context: BotContext) -> None:
    """A topic button, or back to the short help: only for the person who asked for help."""
    query = update.callback_query
    assert query is not None and query.data is not None
    match = _DATA.match(query.data)
    if match is None:
        await query.answer()
        return
    owner, key = int(match.group(1)), match.group(2)
    if query.from_user.id != owner:
        logger.info("Refused a help button of %s to %s", owner, query.from_user.id)
        await query.answer(_("These buttons belong to the person who asked."), show_alert=True)
        return
    await query.answer()
    topic = next((t for t in TOPICS if t.key == key), None)
    if topic is None:
        await query.edit_message_text(help_text(context), reply_markup=help_markup(context, owner))
        return
    back = InlineKeyboardButton(_("◀️ Back"), callback_data=f"{CALLBACK_PREFIX}:{owner}:{TOP}")
    await query.edit_message_text(
        topic_text(context, topic), reply_markup=InlineKeyboardMarkup([[back]])
    )


def closest_command(context: BotContext, typed: str) -> str | None:
    """The command this person may use whose name (in either language) is closest to what they
    typed, named in the reply's language ('/tyel' → '/tyle'; in English '/rate')."""
    names = {
        name: spec
        for spec in _specs(context).values()
        if applies(spec, context.viewer)
        for name in spec.names
    }
    if not typed or not names:
        return None
    found = process.extractOne(typed.lower(), list(names), scorer=fuzz.ratio)
    if found is None or found[1] < SUGGEST_CUTOFF:
        return None
    return command_for(names[str(found[0])])  # named in the reply's language


def register(app: KysoApp) -> None:
    """The topic and back buttons of the help."""
    app.add_handler(CallbackQueryHandler(help_button, pattern=rf"^{CALLBACK_PREFIX}:"))
