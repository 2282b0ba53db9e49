"""What a question asks for and what a passage does, from their own words: a soft prior that
lets a permission or obligation question prefer the passage that sets the rule, a question
about figures the passage that gives them, and a 'why' question the passage that describes
the situation, 'whom do I ask' the passage that says where problems go, 'by when' the one that
sets a date — between siblings of one letter (an intro that describes a problem, the item
that sets the rule, the tables of results). Never a filter: a small lift on the fused score.

A procedure question ("how do I reset …", "cách cài …", "làm thế nào để …") needs a passage
that reads as steps; directive letters set rules and deadlines, so for such a question a
passage without steps is not an answer, however many words it shares (ranking.py lowers the
confidence, not the ranking).

So does a question asking for an amount — how long, how many years or days, how much money
("bao lâu", "mấy năm", "thời hạn sử dụng", "how long", "valid for", "giá bao nhiêu", "cost"):
only a passage that itself states such an amount (a number with a unit of time or money, a
date range) answers it; a rule on the same thing that states none is not an answer. The same
holds for a contact detail ("số điện thoại", "hotline", "email", "địa chỉ": only a passage with a
phone number, an email or a street address gives one) and a head count ("tổng cộng bao nhiêu
đảng viên", "how many members in total": only a passage with a number right before that noun,
not a percentage, states one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.text import fold
from bot.letters.search import MAX_QUESTION_CHARS
from bot.letters.tokens import is_english, tokenize

RULE = "rule"
PERMIT = "permit"
FIGURES = "figures"
WHY = "why"
HELP = "help"
DEADLINE = "deadline"
# Narrow asks — whom to turn to, by when — that one passage of a letter answers outright
# (ranking.py weighs their fit more than the broad ones').
NARROW = frozenset({HELP, DEADLINE})

# The question's intent, on its folded words (typed with or without diacritics, or English).
_INTENT_CUES: dict[str, tuple[str, ...]] = {
    PERMIT: (
        "co duoc",
        "duoc khong",
        "duoc ko",
        "dc ko",
        "dc khong",
        "co dc",
        "dk ko",
        "duoc phep",
    ),
    RULE: (
        "co phai",
        "phai",
        "bat buoc",
        "lam gi",
        "lam j",
        "co bi",
        "co can",
        "can phai",
        "nen lam",
        "yeu cau",
        "chi tieu",
        "toi thieu",
        "muc tieu",
    ),
    FIGURES: (
        "bao nhieu",
        "bn",
        "may phan tram",
        "phan tram",
        "ty le",
        "tyle",
        "ti le",
        "dat",
        "so lieu",
    ),
    WHY: (
        "tai sao",
        "vi sao",
        "ly do",
        "can cu",
        "tinh trang",
        "thuc trang",
        "hien nay",
    ),
    HELP: (
        "lien he",
        "phan anh",
        "ho tro",
        "giup do",
        "vuong mac",
        "kho khan",
    ),
}
# … and in an English question ("can", "may" are "cần", "máy" in Vietnamese).
_ENGLISH_CUES: dict[str, tuple[str, ...]] = {
    PERMIT: ("can", "may", "allowed", "permitted"),
    RULE: (
        "must",
        "should",
        "need",
        "needs",
        "have to",
        "has to",
        "required",
        "obliged",
        "target",
        "minimum",
        "deadline",
    ),
    FIGURES: ("how many", "how much", "percent", "percentage", "figure", "figures"),
    WHY: ("why", "reason", "based on", "situation", "currently"),
    HELP: ("contact", "help", "support", "turn to", "who do i ask", "who do we ask"),
}

# A passage that sets a rule says who must do what; one that describes the situation says
# what is (so far, still, however); a table of results is mostly figures.
_RULE_WORDS = (
    "phải",
    "nghiêm cấm",
    "không được",
    "chịu trách nhiệm",
    "đề nghị",
    "yêu cầu",
    "bảo đảm",
    "đảm bảo",
    "hoàn thành trước",
    "chỉ thực hiện",
    "hạn chế tối đa",
    "kiên quyết",
    "chủ trì",
    "giao",
)
_PERMIT_WORDS = (
    "nghiêm cấm",
    "cấm",
    "không được",
    "được phép",
    "chỉ thực hiện",
    "hạn chế tối đa",
)
_WHY_WORDS = (
    "hiện nay",
    "tuy nhiên",
    "thời gian qua",
    "qua rà soát",
    "qua theo dõi",
    "cho thấy",
    "vẫn còn",
    "còn thấp",
    "căn cứ",
)
# … and one that says where to turn with a problem (whom to ask, who supports and guides).
_HELP_WORDS = (
    "vướng mắc",
    "phản ánh về",
    "liên hệ",
    "hỗ trợ",
    "giải đáp",
    "đầu mối",
)
# A question asking whom to turn to: "báo (cho) ai", "hỏi sở nào", "phản ánh về đâu".
_WHOM = re.compile(
    r"\b(?:bao|hoi|nho|lien he|phan anh|gui)(?: cho| voi| ve| o| len)? (?:ai|dau|so nao|noi nao"
    r"|co quan nao|don vi nao)\b"
)
# A question asking by when, on its folded words ("hạn", not "hạn chế", a restriction, nor "quá
# hạn", "trễ hạn", "hết hạn", "gia hạn": overdue, expired) …
_WHEN = re.compile(
    r"\b(?:thoi han|khi nao|bao gio|truoc ngay nao|deadline|by when|due date"
    r"|when (?:must|should|do|does|is|are))\b"
    r"|(?<!qua )(?<!tre )(?<!het )(?<!gia )\bhan\b(?! che)"
)
# … and a passage that sets one ("hoàn thành trước ngày 30/6/2026", "chậm nhất ngày …").
_DUE = re.compile(r"(?:trước|chậm nhất|hạn chót|hạn cuối)(?: ngày)? \d{1,2}/\d{1,2}")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\b\d{1,3}(?:\.\d{3})+\b")
PERMIT_RULE = 0.5  # a permission question, answered by a rule that neither forbids nor allows
# A procedure question, on its folded words: asks how to carry out an act, not what the rule is.
_PROCEDURE = re.compile(
    r"\bhow (?:do|can|could|should|would) (?:i|we|you|one)\b|\bhow to\b"
    r"|^(?:cho (?:em|toi|minh) hoi )?(?:cach|huong dan cach)\b|\blam (?:the nao|sao) de\b"
    r"|\b(?:cai|cai dat|mo khoa|mo|reset|gia han|khoi phuc|lay lai|doi mat khau|doi ten|tao"
    r"|bi loi|bi khoa|quen)\b"
    r".*\b(?:the nao|lam sao|ra sao)\b"
)
# A passage that reads as steps: numbered steps, or what one presses, opens, chooses.
_STEP = re.compile(r"\bbước \d|\bbước (?:một|hai|ba)\b")
_STEP_WORDS = ("nhấn", "bấm", "truy cập", "đăng nhập", "chọn mục", "nhập mã", "click")
# An amount a question asks for, on its folded words: a span of time or a sum of money. "Bao
# lâu … phải" and "… một lần" ask how often (a rule answers "thường xuyên"), not how long.
DURATION = "duration"
MONEY = "money"
_ASKS: dict[str, re.Pattern[str]] = {
    DURATION: re.compile(
        r"\b(?:may|bao nhieu) (?:nam|thang|ngay|tuan|gio)\b|\bbao lau\b(?! (?:thi )?phai)"
        r"|\bthoi han (?:su dung|hieu luc|luu tru)\b|\bhow long\b"
        r"|\bhow many (?:years|months|weeks|days|hours)\b|\bvalid for\b|\bvalidity\b"
        r"|\bexpir(?:e|es|y|ation)\b"
    ),
    MONEY: re.compile(
        r"\bbao nhieu tien\b|\b(?:het|mat|tra) (?:bao nhieu|bn)\b|\bcost(?:s)?\b|\bprices?\b"
        r"|(?<!tham )(?<!danh )(?<!quoc )\bgia\b(?! han| tri| dinh| canh).*\b(?:bao nhieu|bn)\b"
        r"|\bhow much (?:is|are|does|do|will)\b(?!.*(?:%|percent))"
    ),
}
_OFTEN = re.compile(r"\b(?:1|mot) lan\b")
# … and an amount a passage states: "05 năm", "trong 30 ngày", "từ 01/11 đến 08/12" (not "tháng
# 11 năm 2025": a date), "500.000 đồng", "2 triệu".
_GIVES: dict[str, re.Pattern[str]] = {
    DURATION: re.compile(
        r"\b(?:\d{1,3}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s*(?:năm|tháng|ngày|tuần|giờ)\b"
        r"(?!\s*\d)|\btừ (?:ngày )?\d{1,2}/\d{1,2}\b.{0,40}?\bđến (?:ngày )?\d{1,2}/\d{1,2}\b"
    ),
    MONEY: re.compile(
        r"\d[\d.,]*\s*(?:đồng|đ|vnđ|vnd|nghìn|ngàn|triệu|tỷ(?! lệ))(?!\w)|\btriệu đồng\b"
    ),
}
# A contact detail and a head count, asked on the folded words: "số điện thoại", "sđt",
# "hotline", "địa chỉ (email)", "phone number" (not "email công vụ", the mail service, nor "on my
# phone"); "tổng (cộng/số) … bao nhiêu/mấy … đảng viên/người/đơn vị" or
# "how many … in total" (never a rate: "%", "phần trăm", "tỷ lệ", "rate").
CONTACT = "contact"
MEMBERS = "count:members"
PEOPLE = "count:people"
UNITS = "count:units"
_ASKS[CONTACT] = re.compile(
    r"\bso (?:dien thoai|dt|hotline|fax)\b|\bsdt\b|\bdien thoai lien he\b|\bhotline\b"
    r"|\bduong day nong\b|\bdia chi\b(?! (?:truy cap|web|trang))|\bhop thu e ?mail\b"
    r"|\be ?mail (?:address|lien he|ho tro)\b|\b(?:tele)?phone (?:number|no|line)s?\b"
    r"|\bcontact (?:number|details?|info(?:rmation)?|e ?mail|address|phone)\b"
)
_TOTAL = re.compile(
    r"\btong (?:cong|so|bao nhieu|bn|may|co|la)\b|\btong$|\btotal\b|\baltogether\b|\bin all\b"
)
_HOW_MANY = re.compile(r"\b(?:bao nhieu|may|bn|how many)\b|\bnumber of\b")
_RATE = re.compile(r"%|\bphan tram\b|\bty le\b|\bti le\b|\btyle\b|\brates?\b|\bpercent")
# The nouns of a head count, as a question names them (folded) and a passage counts them.
_COUNTED: dict[str, tuple[re.Pattern[str], str]] = {
    MEMBERS: (re.compile(r"\bdang vien\b|\bmembers?\b"), r"đảng viên"),
    PEOPLE: (
        re.compile(r"\b(?:nguoi|can bo|cong chuc|vien chuc|cbcc|people|staff|officials)\b"),
        r"người|cán bộ|công chức|viên chức|cbcc",
    ),
    UNITS: (
        re.compile(r"\b(?:don vi|co quan|chi bo|units?|agencies|offices)\b"),
        r"đơn vị|cơ quan|chi bộ|xã|phường",
    ),
}
_NUMERAL = r"(?<![\w,.%])(?:\d{1,3}(?:\.\d{3})+|\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)"
# … and a passage that gives one: a phone number, an email, a street address; a number right
# before the noun counted ("3.026 chứng thư số", "12 đơn vị"; not "68,04% đảng viên").
_GIVES[CONTACT] = re.compile(
    r"(?:\+84|(?<!\d)0)\d{2,3}[\s.-]?\d{3}[\s.-]?\d{3,4}(?!\d)|[\w.+-]+@[\w-]+\.\w"
    r"|\bsố \d+[a-z]?,? (?:đường|phố|ngõ)\b|\bđịa chỉ:"
)
for _kind, (_asked, _nouns) in _COUNTED.items():
    _GIVES[_kind] = re.compile(rf"{_NUMERAL}\s+(?:{_nouns})\b")
STEP_WORDS = 2  # this many of them make a passage read as instructions
FIGURES_FULL = 3  # this many figures make a passage about figures…
FIGURE_WORDS = 10  # … and so does one figure in every this many words (a row of a table)


@dataclass(frozen=True)
class Role:
    """How much a passage sets rules, gives figures, describes the situation (0 to 1)."""

    rule: float = 0.0
    permits: float = 0.0  # says what is forbidden or allowed
    figures: float = 0.0
    why: float = 0.0
    helps: float = 0.0  # says where to turn with a problem
    due: float = 0.0  # sets a date by which something must be done
    steps: bool = False  # reads as instructions (numbered steps, what to press or open)
    amounts: frozenset[str] = frozenset()  # the details it states (DURATION, MONEY, CONTACT…)


def _has(text: str, cue: str) -> bool:
    """Whether the cue occurs as whole words."""
    return re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text) is not None


def passage_role(text: str) -> Role:
    """A passage's role from its own words."""
    lower = " ".join(text.lower().split())
    describes = any(_has(lower, cue) for cue in _WHY_WORDS)
    rules = any(_has(lower, cue) for cue in _RULE_WORDS)
    count = len(_FIGURE.findall(text))
    density = count * FIGURE_WORDS / max(len(lower.split()), 1)
    figures = min(max(count / FIGURES_FULL, density), 1.0)
    announces = lower.endswith(":")  # a lead-in: "… thực hiện các nội dung sau:"
    sets_rule = not describes and not announces and (rules or figures < 1.0)
    return Role(
        rule=1.0 if sets_rule else 0.0,
        permits=1.0 if sets_rule and any(_has(lower, cue) for cue in _PERMIT_WORDS) else 0.0,
        figures=figures,
        why=1.0 if describes else 0.0,
        helps=1.0 if any(_has(lower, cue) for cue in _HELP_WORDS) else 0.0,
        due=1.0 if _DUE.search(lower) else 0.0,
        steps=bool(_STEP.search(lower)) or sum(_has(lower, w) for w in _STEP_WORDS) >= STEP_WORDS,
        amounts=frozenset(kind for kind, gives in _GIVES.items() if gives.search(lower)),
    )


def intents(question: str) -> frozenset[str]:
    """What the question asks for: a rule, figures, a reason, whom to ask, by when (any, or
    none)."""
    question = question[:MAX_QUESTION_CHARS]
    words = f" {fold(question)} "
    tables = [_INTENT_CUES]
    if is_english(tokenize(question, accents=False)):
        tables.append(_ENGLISH_CUES)
    found = {
        intent
        for table in tables
        for intent, cues in table.items()
        if any(f" {cue} " in words for cue in cues)
    }
    if "%" in question:
        found.add(FIGURES)
    if _WHOM.search(words):
        found.add(HELP)
    if _WHEN.search(words):
        found.add(DEADLINE)
    if WHY in found:
        found -= {RULE, PERMIT}  # "why must we…" asks the reason, not the rule
    return frozenset(found)


def folded_words(question: str) -> str:
    """The question (bounded) folded, its words single-spaced: what the cues are matched on."""
    return " ".join(fold(question[:MAX_QUESTION_CHARS]).split())


def procedure(question: str) -> bool:
    """Whether the question asks how to carry out an act (steps), not what the rule is."""
    return _PROCEDURE.search(folded_words(question)) is not None


def amounts(question: str) -> frozenset[str]:
    """The details the question asks for that only a passage stating them answers: an amount
    (DURATION, MONEY), a CONTACT detail, a head count (MEMBERS, PEOPLE, UNITS); none for most."""
    words = folded_words(question)
    found = {kind for kind, asks in _ASKS.items() if asks.search(words)}
    if _TOTAL.search(words) and _HOW_MANY.search(words) and not _RATE.search(words):
        found |= {kind for kind, (asked, _nouns) in _COUNTED.items() if asked.search(words)}
    if _OFTEN.search(words) and "bao lau" in words:
        found.discard(DURATION)  # "bao lâu … một lần": how often
    return frozenset(found)


def fit(wanted: frozenset[str], role: Role) -> float:
    """How well a passage's role fits what the question asks for (0 to 1)."""
    values = {
        PERMIT: max(role.permits, PERMIT_RULE * role.rule),
        RULE: role.rule,
        FIGURES: role.figures,
        WHY: role.why,
        HELP: role.helps,
        DEADLINE: role.due,
    }
    return max((values[intent] for intent in wanted), default=0.0)
