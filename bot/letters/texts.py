"""What the letters feature says: errors, citations, answers, previews and lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from html import escape
from typing import Any

from bot.core import messages
from bot.core.i18n import _, fmt_date, fmt_number, lazy_gettext, ngettext
from bot.letters.header import DAY, MONTH
from bot.letters.passages import APPENDIX, END, INTRO


def _mb(size: int) -> str:
    """Bytes as megabytes with one decimal."""
    return fmt_number(Decimal(size) / Decimal(1024 * 1024), 1)


def _name(p: Mapping[str, Any]) -> str:
    """The file name, escaped."""
    return escape(str(p.get("name", "")))


READ_ERRORS = {
    "old_format": lambda p: _(
        "“{name}” is in an old Word format I cannot read. Open it in Word, choose Save As → "
        "Word Document (.docx), and send the new file (or a PDF, or plain text)."
    ).format(name=_name(p)),
    "unsupported": lambda p: _(
        "I cannot read “{name}” as a letter. Send the letter as a Word (.docx) file, a PDF "
        "with selectable text, or plain text (.txt)."
    ).format(name=_name(p)),
    "too_large": lambda p: _(
        "The file is too large ({size} MB; the limit is {limit} MB). A letter is normally much "
        "smaller: check that you sent the right file."
    ).format(size=_mb(int(p["size"])), limit=_mb(int(p["limit"]))),
    "empty": lambda p: _("“{name}” has no text I can read.").format(name=_name(p)),
    "encoding": lambda p: _(
        "“{name}” is not in UTF-8, so its Vietnamese letters would come out wrong. Save it as "
        "UTF-8 text (or send the Word file) and try again."
    ).format(name=_name(p)),
    "binary": lambda p: _(
        "“{name}” is not a text file. Send the letter as .docx, .pdf or .txt."
    ).format(name=_name(p)),
    "corrupt": lambda p: _(
        "“{name}” looks damaged: I could not open it. Save it again and resend it."
    ).format(name=_name(p)),
    "docx_bomb": lambda p: _(
        "I refused “{name}”: once unpacked it would be far larger than any letter (it may be "
        "damaged or hold large embedded files). Save the letter alone as a new .docx, or "
        "send it as PDF or text."
    ).format(name=_name(p)),
    "encrypted": lambda p: _(
        "“{name}” is password-protected. Send a copy without a password."
    ).format(name=_name(p)),
    "too_many_pages": lambda p: _(
        "“{name}” has more than {pages} pages; that is not a single letter."
    ).format(name=_name(p), pages=fmt_number(int(p.get("pages", 0)))),
    "too_long": lambda p: _("“{name}” holds far more text than a letter; I did not add it.").format(
        name=_name(p)
    ),
    "no_text": lambda p: _(
        "“{name}” has no text layer (it looks like a scan). Send the Word file or a PDF "
        "exported from Word, not a scanned copy."
    ).format(name=_name(p)),
    "timeout": lambda p: _(
        "Reading “{name}” took too long, so I stopped. Send the Word file or plain text instead."
    ).format(name=_name(p)),
}


LIBRARY_ERRORS = {
    "no_passages": lambda p: _(
        "I read “{name}” but found no paragraphs to quote in it. Is it a letter?"
    ).format(name=_name(p)),
    "duplicate": lambda p: _(
        "This file is already in the library (letter #{id}). Nothing was added."
    ).format(id=p["id"]),
    "duplicate_now": lambda p: _(
        "The same file was added to the library in the meantime. Nothing was added."
    ),
    "gone": lambda p: _("This preview is no longer open. Send the file again if needed."),
    "not_yours": lambda p: _(
        "This preview belongs to another member of the secretariat: only they can confirm it."
    ),
    "expired": lambda p: _("This preview has expired. Send the file again."),
    "bad_field": lambda p: _("That is not a field of the letter."),
    "bad_value": lambda p: _("Please type a value of at most {limit} characters.").format(
        limit=fmt_number(int(p["limit"]))
    ),
    "bad_date": lambda p: _(
        "“{value}” is not a date. Type it as 21/5/2026, or 6/2026 or 2026 when the letter "
        "gives no day."
    ).format(value=escape(str(p["value"]))),
    "not_found": lambda p: _("There is no letter #{id} in the library.").format(id=p["id"]),
    "already_retired": lambda p: _("Letter #{id} was already retired.").format(id=p["id"]),
    "no_deadline": lambda p: _("There is no deadline #{id}.").format(id=p["id"]),
    "no_item": lambda p: _("Letter #{id} has no item “{item}”.").format(
        id=p["id"], item=escape(str(p["item"]))
    ),
}

KIND_LABELS = {
    "cv": lazy_gettext("Official letter"),
    "hd": lazy_gettext("Guidance"),
    "kh": lazy_gettext("Plan"),
    "tb": lazy_gettext("Notice"),
    "qd": lazy_gettext("Decision"),
    "qđ": lazy_gettext("Decision"),
    "ct": lazy_gettext("Directive"),
    "nq": lazy_gettext("Resolution"),
    "bc": lazy_gettext("Report"),
}


def issued_text(issued_on: dt.date | None, precision: str) -> str:
    """'of 21/05/2026', 'of 06/2026', 'of 2026' in the reader's language ('' if unknown)."""
    if issued_on is None or not precision:
        return ""
    if precision == DAY:
        return _("of {date}").format(date=fmt_date(issued_on))
    if precision == MONTH:
        return _("of month {month}").format(month=f"{issued_on.month:02d}/{issued_on.year}")
    return _("of year {year}").format(year=issued_on.year)


def letter_name(
    *, kind: str, number: str, issued_on: dt.date | None, precision: str, issuer: str
) -> str:
    """'Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên' (not escaped)."""
    parts = [str(KIND_LABELS.get(kind, KIND_LABELS["cv"]))]
    if number:
        parts.append(_("No. {number}").format(number=number))
    date = issued_text(issued_on, precision)
    if date:
        parts.append(date)
    if issuer:
        parts.append(_("from {issuer}").format(issuer=issuer))
    return " ".join(parts)


def place_text(kind: str, label: str) -> str:
    """'item 1', 'item 3.2', 'point a of item 1', 'item 2 of part II', 'opening paragraph'."""
    if kind == INTRO:
        return _("opening paragraph")
    if kind == END:
        return _("closing paragraph")
    if kind == APPENDIX:
        return _("appendix")
    part, _sep, rest = (
        label.partition(".") if label[:1].isalpha() and label[:1].isupper() else ("", "", label)
    )
    pieces = rest.split(".") if rest else []
    letter = pieces.pop() if pieces and pieces[-1].isalpha() else ""
    item = ".".join(pieces)
    if item and letter:
        text = _("point {letter} of item {item}").format(letter=letter, item=item)
    elif item:
        text = _("item {item}").format(item=item)
    else:
        text = ""
    if part and text:
        return _("{place} of part {part}").format(place=text, part=part)
    if part:
        return _("part {part}").format(part=part)
    return text


def citation(letter: Any, passage: Any) -> str:
    """'Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên, mục 1' (not escaped)."""
    name = letter_name(
        kind=letter.kind,
        number=letter.number,
        issued_on=letter.issued_on,
        precision=letter.date_precision,
        issuer=letter.issuer,
    )
    place = place_text(passage.kind, passage.label)
    return f"{name}, {place}" if place else name


# --- answers ------------------------------------------------------------------------------


def answer_text(answer: Any) -> str:
    """The reply to a question: quotes with citations, or that the letters do not cover it."""
    if answer.empty_library:
        return _(
            "No letters have been added to the library yet, so I cannot answer from them. "
            "Please ask the secretariat."
        )
    if not answer.quotes and answer.nearby:
        return nearby_text(answer.nearby)
    if not answer.quotes:
        return not_covered_text()
    blocks = []
    for quote in answer.quotes:
        lines = [
            "📄 <b>" + escape(citation(quote.source.letter, quote.source.passage)) + "</b>",
            "«" + escape(quote.excerpt) + "»",
        ]
        if quote.decrees:
            lines.append("⚖️ " + escape("; ".join(quote.decrees)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def nearby_text(nearby: Any) -> str:
    """No passage answers clearly: the closest ones, offered as such, and who to ask."""
    lines = [_("📭 The letters do not answer this clearly. The closest passages:")]
    for quote in nearby:
        lines.append(
            "📄 <b>" + escape(citation(quote.source.letter, quote.source.passage)) + "</b>"
        )
        lines.append("«" + escape(quote.excerpt) + "»")
    lines.append(_("If this is not what you need, please ask the secretariat."))
    return "\n".join(lines)


def not_covered_text() -> str:
    """The letters do not answer this."""
    return _(
        "📭 The letters in the library do not cover this question. Please ask the secretariat."
    )


def ask_usage_text() -> str:
    """/hoi without a question."""
    return _(
        "Ask me about the letters, for example:\n"
        "<code>/ask văn thư có được ký thay bí thư khi đi vắng không</code>\n"
        "<code>/ask hạn nộp báo cáo giải trình</code>\n"
        "<code>/ask may I scan paper documents instead of signing them?</code>\n"
        "In a private chat you can also just type the question."
    )


# --- the library --------------------------------------------------------------------------


def date_field(view: Any) -> str:
    """The date of a letter for a preview or list ('—' if none)."""
    if view.issued_on is None or not view.precision:
        return "—"
    if view.precision == DAY:
        return fmt_date(view.issued_on)
    if view.precision == MONTH:
        return f"{view.issued_on.month:02d}/{view.issued_on.year}"
    return str(view.issued_on.year)


def preview_text(view: Any) -> str:
    """What was read from a letter, to confirm or correct."""
    dash = "—"
    lines = [
        _("📄 Letter read from “{name}”:").format(name=escape(view.filename)),
        _("Number: {value}").format(value=escape(view.number or dash)),
        _("Date: {value}").format(value=escape(date_field(view))),
        _("Issuer: {value}").format(value=escape(view.issuer or dash)),
        _("Subject: {value}").format(value=escape(view.title or dash)),
        ngettext("{n} passage to quote", "{n} passages to quote", view.passages).format(
            n=fmt_number(view.passages)
        )
        + " · "
        + ngettext("{n} numbered item", "{n} numbered items", view.items).format(
            n=fmt_number(view.items)
        )
        + " · "
        + ngettext("{n} footnote", "{n} footnotes", view.footnotes).format(
            n=fmt_number(view.footnotes)
        )
        + (" · " + _("appendix kept apart") if view.appendix else ""),
    ]
    for first in view.first_items:
        lines.append("  " + escape(first) + "…")
    lines.append("")
    lines.append(
        _(
            "Citations will read: <i>{citation}</i>. Correct a field with the buttons if needed, "
            "then add the letter to the library."
        ).format(
            citation=escape(
                letter_name(
                    kind=view.kind,
                    number=view.number,
                    issued_on=view.issued_on,
                    precision=view.precision,
                    issuer=view.issuer,
                )
            )
        )
    )
    return "\n".join(lines)


FIELD_LABELS = {
    "number": lazy_gettext("✏️ Number"),
    "date": lazy_gettext("✏️ Date"),
    "issuer": lazy_gettext("✏️ Issuer"),
    "title": lazy_gettext("✏️ Subject"),
}


def field_prompt(field: str) -> str:
    """Ask for the corrected value of a field."""
    prompts = {
        "number": _("Type the letter's number as written on it, e.g. <code>484-CV/TU</code>."),
        "date": _("Type the letter's date, e.g. <code>21/5/2026</code> (or <code>6/2026</code>)."),
        "issuer": _("Type the issuing body, e.g. <code>Tỉnh ủy Hưng Yên</code>."),
        "title": _("Type the letter's subject (after “V/v”)."),
    }
    return prompts[field] + "\n" + _("Send /cancel to leave it as it is.")


def added_text(view: Any) -> str:
    """A letter is now in the library."""
    return _(
        "✅ Added to the library as letter #{id}: {name}. Officials can now ask about it with /ask."
    ).format(id=view.id, name=escape(_list_name(view)))


def cancelled_text() -> str:
    """A preview was thrown away."""
    return _("Cancelled: the letter was not added.")


def _list_name(view: Any) -> str:
    """A letter's name for lists."""
    return letter_name(
        kind=view.kind,
        number=view.number,
        issued_on=view.issued_on,
        precision=view.precision,
        issuer=view.issuer,
    )


def list_text(views: list[Any], *, secretariat: bool) -> str:
    """The library."""
    if not views:
        text = _("The library has no letters yet.")
        if secretariat:
            text += "\n" + _("Send a letter's file here (.docx, .pdf or .txt) to add it.")
        return text
    lines = [
        ngettext(
            "📚 {n} letter in the library:", "📚 {n} letters in the library:", len(views)
        ).format(n=fmt_number(len(views)))
    ]
    for view in views:
        lines.append(
            f"#{view.id} "
            + escape(_list_name(view))
            + (f" — {escape(view.title)}" if view.title else "")
        )
    lines.append("")
    lines.append(_("Ask about them with /ask, e.g. <code>/ask hạn nộp báo cáo giải trình</code>."))
    if secretariat:
        lines.append(_("To take a letter out of the answers, press its button below."))
    return "\n".join(lines)


def retire_label(letter_id: int) -> str:
    """Button: retire a letter."""
    return _("🗄 Retire #{id}").format(id=letter_id)


def retire_question(view: Any) -> str:
    """Confirm a retirement."""
    return _(
        "Retire letter #{id} ({name})? Its passages will no longer be used in answers; "
        "citations that name it stay."
    ).format(id=view.id, name=escape(_list_name(view)))


def retired_text(view: Any) -> str:
    """A letter was retired."""
    return _("🗄 Letter #{id} retired: it is no longer used in answers.").format(id=view.id)


def add_help_text(max_bytes: int) -> str:
    """/vanban_them: how to add a letter."""
    return _(
        "Send me the letter as a file now: Word (.docx), PDF with selectable text, or plain text "
        "(.txt), up to {limit} MB. I read its number, date, issuer and subject from its header "
        "and show you a preview to confirm or correct."
    ).format(limit=_mb(max_bytes))


def not_secretariat_text() -> str:
    """A letter file from someone outside the secretariat."""
    return _(
        "Thank you, but only the secretariat adds letters to the library, so I did not read "
        "this file. To send an explanation report, use /explain."
    )


def reading_text() -> str:
    """While a letter is read."""
    return _("⏳ Reading the letter…")


def download_failed_text(name: str) -> str:
    """The file could not be fetched from Telegram."""
    return _("I could not download “{name}” from Telegram. Please send it again.").format(
        name=escape(name)
    )


def field_saved_text() -> str:
    """A corrected field was saved."""
    return _("Saved.")


def keep_text() -> str:
    """A retirement was called off."""
    return _("Kept: the letter stays in the library.")


def yes_retire_label() -> str:
    """Button: confirm retirement."""
    return _("🗄 Yes, retire it")


def no_keep_label() -> str:
    """Button: keep the letter."""
    return _("↩️ Keep it")


def add_label() -> str:
    """Button: add the previewed letter."""
    return _("✅ Add to the library")


def cancel_label() -> str:
    """Button: cancel the preview."""
    return _("✖️ Cancel")


def linked_text(deadline_id: int, basis: Any) -> str:
    """The reply when a deadline is linked to a letter's item."""
    return _("🔗 Deadline #{deadline} now cites: {citation}").format(
        deadline=deadline_id, citation=escape(basis.citation())
    )


def link_usage_text() -> str:
    """How to use /cancu."""
    return _(
        "Link a deadline to the letter item it carries out, so its reminders cite it:\n"
        "<code>/basis DEADLINE LETTER ITEM</code>, e.g. <code>/basis 12 3 3.2</code>\n"
        "DEADLINE is the number in /deadlines, LETTER the number in /letters, ITEM an item of "
        "the letter (1, 3.2) or intro or end."
    )


def basis_line(basis: Any) -> str:
    """'📜 Căn cứ: Công văn số … , mục 3' under a push (HTML-escaped), for a Basis."""
    return messages.basis_line(basis.citation())
