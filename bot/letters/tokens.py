"""Syllables for search: folded (no diacritics, đ → d) and, where the writer typed them, with
their diacritics, so 'lương' (salary) and 'lượng' (quantity) differ when it matters.

Abbreviations are expanded (in letters only when written in capitals, "UBND"), English
questions are put in the letters' Vietnamese, and 'ký'/'kí', 'tỷ'/'tỉ' count as one spelling.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.text import fold
from bot.letters import synonyms as vocab

_WORD = re.compile(r"[^\W_]+|%")
_MARKS = str.maketrans(dict.fromkeys("⁰¹²³⁴⁵⁶⁷⁸⁹", " "))  # footnote marks are not part of words
_Y_TO_I = re.compile(r"^(b|c|d|g|h|k|l|m|n|p|r|s|t|v|x|ch|gh|kh|nh|ph|th|tr|ng|ngh|qu)y$")
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
# Vietnamese rimes once folded (ă, â → a; ê → e; ô, ơ → o; ư → u): a word outside onset + rime
# is not a Vietnamese syllable ('aang', 'tihn' are typos; 'deadline' is English).
_RIMES = (
    "a ai ao au ay ac ach am an ang anh ap at "
    "e eo eu ec ech em en eng enh ep et "
    "i ia iu ich im in inh ip it "
    "ieu iec iem ien ieng iep iet yeu yem yen yet "
    "o oi oc om on ong op ot ooc oong "
    "oa oai oay oac oach oam oan oang oanh oap oat oe oeo oem oen oet "
    "u ua ue ui uu uy uc um un ung up ut "
    "uo uoi uou uoc uom uon uong uop uot "
    "uan uang uat uay uech uenh uya uyu uych uynh uyn uyt uyen uyet y ych ynh yn yt"
).split()
_VI_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi(?!i)|kh|ph|th|tr|qu|k(?=[eiy])|[bcdghlmnprstvx])?"
    rf"({'|'.join(sorted(_RIMES, key=len, reverse=True))})$"
)
_CAPITALS = {"AI": "trí tuệ nhân tạo", "TU": "tỉnh ủy", "VP": "văn phòng"}


@dataclass(frozen=True, slots=True)
class Tok:
    """One syllable: folded, with its diacritics if known, and whether it was in capitals."""

    f: str
    a: str | None = None
    upper: bool = False
    chunk: int = -1  # pairs are only formed within a chunk (an English phrase translated)


def accent_key(word: str) -> str:
    """'Ủy' and 'uỷ' → 'uy3': letters with their shape marks (ư, â, đ…) and the tone as a digit."""
    tone = ""
    base = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)) + tone


def _tok(word: str, *, accents: bool) -> Tok:
    """A word as a token ('Ký' → ki / kí1)."""
    folded = fold(word).replace(" ", "")
    key = accent_key(word) if accents else None
    if _Y_TO_I.match(folded):
        folded = folded[:-1] + "i"
        if key is not None:
            key = key.replace("y", "i") if key.rstrip("0123456789").endswith("y") else key
    return Tok(folded, key, word.isupper() and len(word) > 1)


def has_diacritics(text: str) -> bool:
    """Whether the writer typed Vietnamese diacritics (then they count when matching)."""
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


def tokenize(text: str, *, accents: bool) -> list[Tok]:
    """Words of a text as tokens ('80%' → '80', '%')."""
    text = unicodedata.normalize("NFC", text).translate(_MARKS)
    return [_tok(w, accents=accents) for w in _WORD.findall(text)]


@cache
def phrase(text: str) -> tuple[Tok, ...]:
    """A vocabulary phrase (written with its diacritics)."""
    return tuple(tokenize(text, accents=True))


def folded(tokens: Sequence[Tok]) -> tuple[str, ...]:
    """Just the folded syllables."""
    return tuple(t.f for t in tokens)


def is_vietnamese_syllable(token: str) -> bool:
    """Whether a folded token can be a Vietnamese syllable ('deadline', 'sign' cannot)."""
    return not token.isalpha() or _VI_SYLLABLE.match(token) is not None


def is_stop(token: Tok) -> bool:
    """A word that carries no content in a question."""
    return token.f in vocab.STOPWORDS


# --- tables ---------------------------------------------------------------------------------


@cache
def _abbreviations() -> dict[tuple[str, ...], tuple[Tok, ...]]:
    """Folded abbreviation → long form."""
    return {folded(phrase(k)): phrase(v) for k, v in vocab.ABBREVIATIONS.items()}


@cache
def _after() -> dict[str, tuple[tuple[Tok, ...], tuple[tuple[str, ...], ...]]]:
    """Abbreviations that need a preceding word: short → (long form, contexts)."""
    return {
        folded(phrase(short))[0]: (phrase(long), tuple(folded(phrase(c)) for c in contexts))
        for short, (long, contexts) in vocab.AFTER.items()
    }


@cache
def english_table(full: bool) -> dict[tuple[str, ...], tuple[Tok, ...]]:
    """English phrase → Vietnamese (only unmistakably English words unless `full`)."""
    table = {}
    for en, vi in vocab.ENGLISH.items():
        source = folded(phrase(en))
        if full or not all(is_vietnamese_syllable(t) for t in source):
            table[source] = phrase(vi)
    return table


@cache
def _english_stopwords() -> frozenset[str]:
    """English function words as tokens spell them ('by', 'my' → 'bi', 'mi')."""
    return frozenset(_tok(w, accents=False).f for w in vocab.ENGLISH_STOPWORDS)


def is_english(tokens: Sequence[Tok]) -> bool:
    """An English question: it has an English function word, or mostly English words."""
    words = [t.f for t in tokens if t.f.isalpha()]
    foreign = sum(1 for w in words if not is_vietnamese_syllable(w))
    return any(w in vocab.ENGLISH_MARKERS for w in words) or (
        bool(words) and foreign * 2 > len(words)
    )


def _replace(
    tokens: Sequence[Tok],
    table: dict[tuple[str, ...], tuple[Tok, ...]],
    *,
    allowed: Callable[[Sequence[Tok], int, int], bool] | None = None,
    drop: frozenset[str] = frozenset(),
    chunks: bool = False,
    isolate: bool = False,
) -> list[Tok]:
    """Replace phrases of the table (longest first); `allowed(tokens, i, size)` may veto.
    With `chunks` each replacement is a chunk of its own (and with `isolate`, so is every
    word left as it was): an English question's words are not Vietnamese word pairs."""
    longest = max((len(k) for k in table), default=1)
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        chunk = len(out) + 1000 if chunks else -1
        for size in range(min(longest, len(tokens) - i), 0, -1):
            key = folded(tokens[i : i + size])
            target = table.get(key)
            if target is not None and (allowed is None or allowed(tokens, i, size)):
                out.extend(replace(t, chunk=chunk) for t in target)
                i += size
                break
        else:
            if tokens[i].f not in drop:
                if isolate and tokens[i].f.isdigit() and out and out[-1].f.isdigit():
                    chunk = out[-1].chunk  # a date or a number ('25/6') stays one phrase
                out.append(replace(tokens[i], chunk=chunk) if isolate else tokens[i])
            i += 1
    return out


def _ambiguous_ok(tokens: Sequence[Tok], i: int, size: int) -> bool:
    """'nd', 'qd', 'hd' are abbreviations before a number ('nd 30/2020') or in capitals."""
    short = folded(tokens[i : i + size])
    if size > 1 or short[0] not in vocab.NEEDS_NUMBER:
        return True
    following = tokens[i + 1].f if i + 1 < len(tokens) else ""
    return tokens[i].upper or following.isdigit()


def _expand_after(tokens: Sequence[Tok], *, capitals_only: bool) -> list[Tok]:
    """'tu' after 'văn phòng' is 'tỉnh ủy'; 'dt' after 'văn bản' is 'điện tử'."""
    out: list[Tok] = []
    rules = _after()
    for token in tokens:
        rule = rules.get(token.f)
        if (
            rule is not None
            and (token.upper or not capitals_only)
            and any(folded(out[-len(c) :]) == c for c in rule[1])
        ):
            out.extend(rule[0])
        else:
            out.append(token)
    return out


def _capitals(text: str) -> str:
    """'AI', 'TU', 'VP' typed in capitals are abbreviations wherever they stand."""
    return re.sub(r"\b(AI|TU|VP)\b", lambda m: f" {_CAPITALS[m.group(1)]} ", text)


def document_tokens(text: str) -> list[Tok]:
    """A letter's text: abbreviations expanded only where written in capitals ('UBND')."""
    tokens = tokenize(_capitals(text), accents=True)
    expanded = _replace(
        tokens, _abbreviations(), allowed=lambda ts, i, size: all(t.upper for t in ts[i : i + size])
    )
    return _expand_after(expanded, capitals_only=True)


def _english_base(token: Tok, table: dict[tuple[str, ...], tuple[Tok, ...]]) -> Tok:
    """An inflected English word the glossary has in its base form ('certificates',
    'supervises', 'connected', 'heads' → 'certificate', 'supervise', 'connect', 'head')."""
    word = token.f
    if (word,) in table or len(word) < 4:
        return token
    for suffix, ending in _INFLECTIONS:
        if word.endswith(suffix) and (word[: -len(suffix)] + ending,) in table:
            return replace(token, f=word[: -len(suffix)] + ending)
    return token


@cache
def _english_words() -> tuple[str, ...]:
    """Every English word the glossary and the stopword list know, as tokens spell them."""
    words = {_tok(w, accents=False).f for en in vocab.ENGLISH for w in en.split()}
    return tuple(sorted(words | _english_stopwords() | set(vocab.ENGLISH_MARKERS)))


def _english_typo(token: Tok) -> Tok:
    """An English word the glossary lacks, one keystroke from one it has ('edadline',
    'rpeort' → 'deadline', 'report'); short words and Vietnamese syllables are left alone
    ('pays' is not 'pass')."""
    word = token.f
    known = _english_words()
    if len(word) < 5 or not word.isalpha() or word in known or is_vietnamese_syllable(word):
        return token  # 'truong' in 'xuan truong' is a name, not a typo
    candidates = process.extract(word, known, scorer=OSA.distance, score_cutoff=1, limit=None)
    if not candidates:
        return token
    best = min(candidates, key=lambda c: (c[1], c[0]))
    return replace(token, f=best[0])


_INFLECTIONS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    *((f"{c}{c}{end}", c) for c in "bdglmnprt" for end in ("ing", "ed")),  # 'scanning' → 'scan'
)


_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTHS})\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b({_MONTHS})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_VI_DATE = re.compile(r"\b(\d{1,2})\s+th(?:a|á)ng\s+(\d{1,2})\b", re.IGNORECASE)


_MONTH_NUMBERS = {
    m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)
}


def _month(name: str) -> int:
    """'June', 'jun' → 6."""
    return _MONTH_NUMBERS[name[:3].lower()]


def dates_as_letters_write_them(text: str, *, english: bool = True) -> str:
    """'25 June', 'June 25th', 'ngày 25 tháng 6' → '25/6', as the letters write dates (month
    names only in an English question: '5 may tinh' is five computers)."""
    if english:
        text = _DAY_MONTH.sub(lambda m: f"{m.group(1)}/{_month(m.group(2))}", text)
        text = _MONTH_DAY.sub(lambda m: f"{m.group(2)}/{_month(m.group(1))}", text)
    return _VI_DATE.sub(r"\1/\2", text)


def question_tokens(text: str) -> list[Tok]:
    """A question: English put in Vietnamese, abbreviations expanded, diacritics kept if typed."""
    text = dates_as_letters_write_them(text, english=is_english(tokenize(text, accents=False)))
    tokens = tokenize(_capitals(text), accents=has_diacritics(text))
    english = is_english(tokens)
    drop = _english_stopwords() if english else frozenset()
    table = english_table(english)
    if english:
        tokens = [_english_base(_english_typo(t), table) for t in tokens]
    tokens = _replace(tokens, table, drop=drop, chunks=True, isolate=english)
    tokens = _replace(tokens, _abbreviations(), allowed=_ambiguous_ok)
    return _expand_after(tokens, capitals_only=False)


_DOCUMENT_WORDS = frozenset(
    {
        ("quyet", "dinh"),
        ("nghi", "dinh"),
        ("qui", "dinh"),
        ("cong", "van"),
        ("ke", "hoach"),
        ("huong", "dan"),
        ("nghi", "quyet"),
        ("bao", "cao"),
        ("chi", "thi"),
        ("thong", "tu"),
    }
)


def document_number(tokens: Sequence[Tok], i: int) -> bool:
    """Token i is the number of a document the question names ('quyết định 28', 'qđ 28')."""
    return (
        tokens[i].f.isdigit() and i >= 2 and (tokens[i - 2].f, tokens[i - 1].f) in _DOCUMENT_WORDS
    )


# --- terms ----------------------------------------------------------------------------------


def _key(tokens: Sequence[Tok], *, accented: bool) -> str:
    """A term: one syllable or a pair, folded or with diacritics ('~' first)."""
    if accented:
        return "~" + "_".join(t.a or t.f for t in tokens)
    return "_".join(t.f for t in tokens)


def index_terms(tokens: Sequence[Tok]) -> list[str]:
    """A passage's terms: content syllables and adjacent pairs, folded and with diacritics."""
    terms = []
    for t in tokens:
        if not is_stop(t):
            terms.append(t.f)
            if t.a is not None:
                terms.append(_key((t,), accented=True))
    for pair in itertools.pairwise(tokens):
        if not (is_stop(pair[0]) and is_stop(pair[1])):
            terms.append(_key(pair, accented=False))
            if pair[0].a is not None and pair[1].a is not None:
                terms.append(_key(pair, accented=True))
    return terms


def query_term(tokens: Sequence[Tok]) -> str:
    """How a question's syllable or pair is looked up: with diacritics if they were typed."""
    return _key(tokens, accented=all(t.a is not None for t in tokens))


def query_terms(tokens: Sequence[Tok]) -> list[tuple[str, range]]:
    """A question's terms with their positions: content syllables, and adjacent pairs of the
    same chunk unless both are stopwords."""
    terms = [(query_term((t,)), range(i, i + 1)) for i, t in enumerate(tokens) if not is_stop(t)]
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if a.chunk == b.chunk and not (is_stop(a) and is_stop(b)):
            terms.append((query_term(tokens[i : i + 2]), range(i, i + 2)))
    return terms


_RANGE = re.compile(
    r"từ ngày (\d{1,2})/(\d{1,2})/(\d{4}) đến ngày (\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE
)
PERIOD_DAYS = 45  # a range from the 1st this short is that month's figures


def period_words(text: str) -> str:
    """What a date range in a passage covers, in the words a question uses: from 1 January it
    is the year's figures ('cả năm 2020'), from the 1st of a month for a few weeks that
    month's ('tháng 11 năm 2020')."""
    found = []
    for match in _RANGE.finditer(text):
        day, month, year, end_day, end_month, end_year = (int(g) for g in match.groups())
        if day != 1 or not 1 <= month <= 12:
            continue
        span = (end_year - year) * 365 + (end_month - month) * 30 + end_day - day
        if month == 1 and span > PERIOD_DAYS:
            found.append(f"cả năm {year}")
        elif 0 <= span <= PERIOD_DAYS:
            found.append(f"tháng {month} năm {year}")
    return " . ".join(found)
