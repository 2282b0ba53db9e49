"""Officials ask in chat and get the passage of the letter that answers, with its citation;
the secretariat adds, corrects and retires letters; every button checks who presses it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from bot.core.db import session_scope
from bot.core.models import AuditLog, Letter, LetterPassage, LetterStatus, Role
from bot.core.people import link_official
from bot.letters.service import load_shipped, shipped_letters
from tests.conftest import ADMIN_ID, SHARED_NAME, Harness
from tests.letters_kit import docx_bomb, docx_letter

OTHER_ADMIN = 2
HEAD = 901
STRANGER = 555
NOT_COVERED = "Các văn bản trong thư viện không đề cập đến câu hỏi này"


# The first line of a reply that answers nothing: "not covered", or the closest passages
# offered as such (English and Vietnamese).
NOT_ANSWERED = (
    "📭 The letters in the library do not cover this question. Please ask the secretariat.",
    "📭 The letters do not answer this clearly. The closest passages:",
    f"📭 {NOT_COVERED}. Đề nghị đồng chí hỏi Văn phòng.",
    "📭 Các văn bản chưa trả lời rõ câu hỏi này. Những đoạn gần nhất:",
)


def assert_not_answered(reply: str, question: str) -> None:
    """The reply says the letters do not cover the question or offers the closest passages,
    never quotes a passage (or its decree) as the answer."""
    assert reply.splitlines()[0] in NOT_ANSWERED, question
    assert "⚖️" not in reply and not reply.startswith("📄"), question


@pytest.fixture
async def lettered(loaded: Harness) -> Harness:
    """The June table, the five letters in the library and a head of unit."""
    with session_scope(loaded.engine) as session:
        load_shipped(session=session)
    loaded.link(HEAD, "Quang Lịch", Role.HEAD)
    return loaded


def letters(h: Harness, status: str | None = None) -> list[Letter]:
    """Letters stored (of one status)."""
    with Session(h.engine) as session:
        stmt = select(Letter)
        if status is not None:
            stmt = stmt.where(Letter.status == status)
        return list(session.exec(stmt.order_by(Letter.id)))


def audit_actions(h: Harness) -> list[str]:
    """Audit entries of the letters feature."""
    with Session(h.engine) as session:
        rows = session.exec(select(AuditLog.action).where(AuditLog.action.startswith("letter.")))  # type: ignore[attr-defined]
        return list(rows)


def alerts(h: Harness, start: int) -> list[str]:
    """Alert texts of button presses since `start`."""
    return [
        str(c.params.get("text"))
        for c in h.request.calls[start:]
        if c.method == "answerCallbackQuery" and c.params.get("text")
    ]


async def test_may_the_clerk_sign_for_the_secretary(lettered: Harness) -> None:
    """The issue's first example: three lines, the Đồng Tháp rule and its decree."""
    (reply,) = await lettered.send(HEAD, "van thu co duoc ky thay bi thu khi di vang khong")
    lines = reply.split("\n")
    assert len(lines) == 3
    assert lines[0] == (
        "📄 <b>Công văn số …/UBND-KGVX năm 2026 của Ủy ban nhân dân tỉnh Đồng Tháp, mục 1</b>"
    )
    assert "Nghiêm cấm tuyệt đối việc chuyển giao chứng thư số cá nhân" in lines[1]
    assert lines[2].startswith("⚖️ ² Khoản 3 Điều 32 Nghị định số 30/2020/NĐ-CP")


async def test_explanation_report_deadline_and_content(lettered: Harness) -> None:
    """The issue's second example: 26/6/2026, what the report contains, the Hưng Yên letter."""
    (reply,) = await lettered.send(STRANGER, "han nop bao cao giai trinh")
    assert reply.startswith(
        "📄 <b>Công văn số …-CV/TU tháng 06/2026 của Ban Thường vụ Tỉnh ủy Hưng Yên, mục 3</b>"
    )
    assert "rõ nguyên nhân, trách nhiệm và giải pháp khắc phục" in reply
    assert "gửi Văn phòng Tỉnh ủy trước ngày 26/6/2026" in reply


async def test_salaries_are_not_in_the_letters(lettered: Harness) -> None:
    """The issue's third example: said plainly, with who to ask."""
    (reply,) = await lettered.send(HEAD, "luong cua can bo van phong bao nhieu?")
    assert NOT_COVERED in reply and "hỏi Văn phòng" in reply
    (english,) = await lettered.send(
        HEAD, "/ask what is the salary of a commune secretary", language_code="en"
    )
    assert english == (
        "📭 The letters in the library do not cover this question. Please ask the secretariat."
    )


async def test_an_unclear_question_gets_the_closest_passage_not_an_answer(
    lettered: Harness,
) -> None:
    """Below the confidence needed to answer, the closest passage is offered as such (with its
    citation and who to ask), never quoted as the answer with its decree."""
    (reply,) = await lettered.send(HEAD, "ai giu mat khau cua usb")
    lines = reply.splitlines()
    assert lines[0] == "📭 Các văn bản chưa trả lời rõ câu hỏi này. Những đoạn gần nhất:"
    assert "Ủy ban nhân dân tỉnh Đồng Tháp, mục 1" in lines[1]
    assert "mật khẩu cho người khác" in lines[2]
    assert lines[-1] == "Nếu chưa đúng điều đồng chí cần, đề nghị đồng chí hỏi Văn phòng."
    assert "⚖️" not in reply and NOT_COVERED not in reply
    (clear,) = await lettered.send(HEAD, "van thu co duoc ky thay bi thu khi di vang khong")
    assert "Những đoạn gần nhất" not in clear and "⚖️" in clear


async def test_commands_in_both_languages_and_in_groups(lettered: Harness) -> None:
    """/hoi and /ask work anywhere; plain questions only in a private chat."""
    (usage,) = await lettered.send(HEAD, "/hoi")
    assert "/hoi hạn nộp báo cáo giải trình" in usage
    (english,) = await lettered.send(
        HEAD, "/ask can I scan paper documents instead of signing them?", language_code="en"
    )
    assert english.startswith(
        "📄 <b>Official letter No. …/UBND-KGVX of year 2026 from Ủy ban nhân dân tỉnh Đồng "
        "Tháp, item 2</b>"
    )
    assert "sao y văn bản giấy" in english
    assert "Điểm c Khoản 1 Điều 25 Nghị định số 30/2020/NĐ-CP" in english
    group = {"chat_id": -100123, "chat_type": "supergroup"}
    assert await lettered.send(HEAD, "han nop bao cao giai trinh", **group) == []
    (in_group,) = await lettered.send(HEAD, "/hoi han nop bao cao giai trinh", **group)
    assert "26/6/2026" in in_group


async def test_mistyped_and_english_questions_get_the_same_rule(lettered: Harness) -> None:
    """Two letters swapped in a chat message, an English question with a typo: the Đồng Tháp
    rule with its decree, not 'the letters do not cover this'."""
    (typed,) = await lettered.send(HEAD, "co duoc dua usb tokne cho nguoi khac giu khong")
    assert "Đồng Tháp, mục 1" in typed and "Khoản 3 Điều 32 Nghị định số 30/2020/NĐ-CP" in typed
    (english,) = await lettered.send(
        HEAD, "/ask may I give my USB token pasword to my deputy?", language_code="en"
    )
    assert "Đồng Tháp, item 1" in english
    assert "Nghiêm cấm tuyệt đối việc chuyển giao chứng thư số cá nhân" in english


async def test_rate_questions_and_chatter_still_go_where_they_went(lettered: Harness) -> None:
    """A rate question gets the rate; a greeting gets the usual hint."""
    (rate,) = await lettered.send(HEAD, "ty le ky so cua toi")
    assert "Đảng ủy xã Quang Lịch" in rate and "📄" not in rate
    (hello,) = await lettered.send(HEAD, "xin chào")
    assert hello.startswith("Tôi chưa hiểu ý đồng chí")


async def test_an_empty_library_says_so(loaded: Harness) -> None:
    """Before any letter is added."""
    (reply,) = await loaded.send(STRANGER, "/hoi han nop bao cao giai trinh")
    assert reply.startswith("Thư viện chưa có văn bản nào")


async def upload(h: Harness, user: int, data: bytes, name: str, **kw: Any) -> list[str]:
    """Send a file; return the texts sent or edited."""
    return await h.send_document(user, data, name, **kw)


async def test_the_secretariat_adds_a_word_letter(lettered: Harness) -> None:
    """Preview with what the header says, a field corrected, confirmed, then answered from."""
    word = docx_letter()
    texts = await upload(lettered, ADMIN_ID, word, "cv-125.docx")
    assert texts[0] == "⏳ Đang đọc văn bản…"
    preview = texts[-1]
    assert "Số, ký hiệu: 125/UBND-VP" in preview
    assert "Ngày ban hành: 07/07/2026" in preview
    assert "Cơ quan ban hành: Ủy ban nhân dân tỉnh Bắc Ninh" in preview
    assert "Trích yếu: chấn chỉnh việc ký số văn bản điện tử" in preview
    assert "1 chú thích" in preview
    keyboard = lettered.last_keyboard()
    labels = [label for label, _data in keyboard]
    assert labels[:2] == ["✅ Thêm vào thư viện", "✖️ Hủy"]
    assert all(len(data.encode()) <= 64 for _label, data in keyboard)
    assert len(letters(lettered, LetterStatus.PENDING.value)) == 1
    assert (await lettered.send(HEAD, "van thu co duoc giu ho thiet bi ky so cua lanh dao khong"))[
        0
    ].find("Bắc Ninh") == -1  # not searched before it is confirmed

    edit_issuer = next(data for label, data in keyboard if "Cơ quan" in label)
    (prompt,) = await lettered.press(ADMIN_ID, edit_issuer)
    assert "Gõ tên cơ quan ban hành" in prompt
    (saved,) = await lettered.send(ADMIN_ID, "UBND tỉnh Bắc Ninh")
    assert saved.startswith("Đã lưu.") and "Cơ quan ban hành: UBND tỉnh Bắc Ninh" in saved

    confirm = lettered.last_keyboard()[0][1]
    (added,) = await lettered.press(ADMIN_ID, confirm)
    assert added.startswith("✅ Đã thêm vào thư viện thành văn bản #6")
    assert audit_actions(lettered) == ["letter.add"] * 6

    (reply,) = await lettered.send(HEAD, "van thu co duoc giu ho thiet bi ky so cua lanh dao khong")
    assert reply.startswith(
        "📄 <b>Công văn số 125/UBND-VP ngày 07/07/2026 của UBND tỉnh Bắc Ninh, điểm a mục 2</b>"
    )
    (dup,) = (await upload(lettered, ADMIN_ID, word, "again.docx"))[-1:]
    assert "đã có trong thư viện (văn bản #6)" in dup


async def test_preview_buttons_check_who_presses(lettered: Harness, settings: Any) -> None:
    """Another admin cannot confirm someone's preview; an official cannot press at all;
    Cancel throws the preview away."""
    with session_scope(lettered.engine) as session:
        link_official(session=session, telegram_id=OTHER_ADMIN, unit_id=None, role=Role.SECRETARIAT)
    await upload(lettered, ADMIN_ID, docx_letter(), "cv.docx")
    confirm, cancel = (data for _label, data in lettered.last_keyboard()[:2])
    start = len(lettered.request.calls)
    assert await lettered.press(HEAD, confirm) == []
    assert alerts(lettered, start) == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."]
    start = len(lettered.request.calls)
    assert await lettered.press(OTHER_ADMIN, confirm) == []
    assert "chỉ đồng chí đó mới xác nhận được" in alerts(lettered, start)[0]
    assert len(letters(lettered, LetterStatus.ACTIVE.value)) == 5
    (cancelled,) = await lettered.press(ADMIN_ID, cancel)
    assert cancelled == "Đã hủy: văn bản không được thêm vào thư viện."
    assert len(letters(lettered)) == 5
    with Session(lettered.engine) as session:
        kept = {letter.id for letter in letters(lettered)}
        assert {p.letter_id for p in session.exec(select(LetterPassage))} == kept
    start = len(lettered.request.calls)
    assert await lettered.press(ADMIN_ID, confirm) == []
    assert alerts(lettered, start) == [
        "Bản xem trước này không còn hiệu lực. Nếu cần, đề nghị gửi lại tệp."
    ]


async def test_files_from_officials_and_bombs_are_refused(lettered: Harness) -> None:
    """Nothing is read or stored; the reason is plain."""
    (refusal,) = await upload(lettered, HEAD, docx_letter(), "cv.docx")
    assert refusal.startswith("Cảm ơn đồng chí, nhưng chỉ Văn phòng mới thêm văn bản")
    texts = await upload(lettered, ADMIN_ID, docx_bomb(20 * 1024 * 1024), "bom.docx")
    assert "Tôi từ chối đọc “bom.docx”" in texts[-1]
    (old,) = await upload(lettered, ADMIN_ID, b"\xd0\xcf\x11\xe0" + b"x" * 100, "cu.doc")
    assert "định dạng Word cũ" in old
    assert len(letters(lettered)) == 5


async def test_text_files_go_to_the_letters_only_when_said_so(lettered: Harness) -> None:
    """A .txt is a statistics table unless captioned as a letter or announced with
    /vanban_them; Word and PDF files are letters."""
    from bot.letters.service import shipped_letters

    name, data = shipped_letters()[0]
    with session_scope(lettered.engine) as session:
        for letter in session.exec(select(Letter)):
            letter.status = LetterStatus.RETIRED.value
            session.add(letter)
    texts = await upload(lettered, ADMIN_ID, data, name)
    assert "Văn bản đọc từ" not in texts[-1]  # the statistics importer answered
    texts = await upload(lettered, ADMIN_ID, data, name, caption="văn bản chỉ đạo")
    assert texts[-1].startswith("📄 Văn bản đọc từ “" + name + "”")
    (help_text,) = await lettered.send(ADMIN_ID, "/vanban_them")
    assert "Đồng chí gửi tệp văn bản ngay bây giờ" in help_text
    texts = await upload(lettered, ADMIN_ID, data, "khac.txt")
    assert "Văn bản đọc từ “khac.txt”" in texts[-1]
    tsv = (await upload(lettered, ADMIN_ID, b"", SHARED_NAME))[-1]
    assert "Văn bản đọc từ" not in tsv


async def test_list_and_retire(lettered: Harness) -> None:
    """Everyone sees the list; only the secretariat gets and may press the retire buttons."""
    (listing,) = await lettered.send(HEAD, "/vanban")
    assert listing.startswith("📚 Thư viện có 5 văn bản:")
    assert "Công văn số 484-CV/TU ngày 21/05/2026 của Tỉnh ủy Hưng Yên" in listing
    assert lettered.last_keyboard() == [] or all(
        not data.startswith("lt:") for _l, data in lettered.last_keyboard()
    )
    await lettered.send(ADMIN_ID, "/vanban")
    buttons = dict(lettered.last_keyboard())
    dong_thap = next(letter.id for letter in letters(lettered) if "Đồng Tháp" in letter.issuer)
    assert buttons[f"🗄 Đưa ra #{dong_thap}"] == f"lt:rt:{dong_thap}"

    start = len(lettered.request.calls)
    assert await lettered.press(HEAD, f"lt:ry:{dong_thap}") == []
    assert alerts(lettered, start) == ["Lệnh này chỉ dành cho Văn phòng (quản trị)."]
    (question,) = await lettered.press(ADMIN_ID, f"lt:rt:{dong_thap}")
    assert question.startswith(f"Đưa văn bản #{dong_thap} (Công văn")
    (retired,) = await lettered.press(ADMIN_ID, f"lt:ry:{dong_thap}")
    assert retired.startswith(f"🗄 Đã đưa văn bản #{dong_thap} ra khỏi thư viện")
    assert audit_actions(lettered)[-1] == "letter.retire"

    (reply,) = await lettered.send(HEAD, "van thu co duoc ky thay bi thu khi di vang khong")
    assert "Đồng Tháp" not in reply
    (again,) = await lettered.send(ADMIN_ID, "/vanban")
    assert again.startswith("📚 Thư viện có 4 văn bản:")


async def test_a_wrong_date_is_asked_again_and_huy_forgets_the_file(lettered: Harness) -> None:
    """A field waiting for its value asks again after a wrong date; /huy after /vanban_them
    closes it, so the next text file is a statistics table again."""
    await upload(lettered, ADMIN_ID, docx_letter(), "cv-125.docx")
    edit_date = dict(lettered.last_keyboard())["✏️ Ngày"]
    await lettered.press(ADMIN_ID, edit_date)
    (wrong,) = await lettered.send(ADMIN_ID, "hôm qua")
    assert wrong.startswith("“hôm qua” không phải là ngày.")
    (saved,) = await lettered.send(ADMIN_ID, "8/7/2026")
    assert saved.startswith("Đã lưu.") and "Ngày ban hành: 08/07/2026" in saved
    assert "Đã lưu." not in " ".join(await lettered.send(ADMIN_ID, "9/7/2026"))

    name, data = shipped_letters()[0]
    await lettered.send(ADMIN_ID, "/vanban_them")
    assert await lettered.send(ADMIN_ID, "/huy") == ["Đã hủy."]
    texts = await upload(lettered, ADMIN_ID, data, name)
    assert "Văn bản đọc từ" not in texts[-1]  # the statistics importer answered


async def test_may_the_clerk_use_the_directors_token_in_english(lettered: Harness) -> None:
    """A permission question gets the rule that forbids it (Đồng Tháp's item 1), not the
    lead-in before the items whose footnote names the decree on clerical work."""
    (reply,) = await lettered.send(HEAD, "can the clerk use the director's token")
    assert "Đồng Tháp, mục 1</b>" in reply.split("\n")[0]
    assert "Nghiêm cấm tuyệt đối việc chuyển giao chứng thư số cá nhân" in reply


async def test_how_to_reset_or_change_a_token_pin_is_never_answered(lettered: Harness) -> None:
    """The letters set rules, not procedures: asked how to reset or change a token's PIN or
    password, the bot says the letters do not cover it or offers the closest passages (the rule
    never to hand over a token's password) as such, never quotes it as the answer."""
    for question, language in (
        ("how do I reset the PIN on my USB token?", "en"),
        ("how can I change the password of my usb token?", "en"),
        ("lam the nao de doi mat khau token", "vi"),
    ):
        (reply,) = await lettered.send(HEAD, question, language_code=language)
        assert_not_answered(reply, question)


async def test_how_long_a_certificate_lasts_is_never_answered(lettered: Harness) -> None:
    """The letters never say how many years a signing certificate is valid or what it costs:
    asked that, the bot says the letters do not cover it or offers the closest passages (the
    rule never to hand a personal certificate over) as such, never quotes it as the answer."""
    for question, language in (
        ("chứng thư số dùng được mấy năm", "vi"),
        ("thời hạn sử dụng chứng thư số cá nhân là mấy năm", "vi"),
        ("chung thu so ca nhan su dung duoc bao lau", "vi"),
        ("thiet bi luu khoa bi mat dung duoc may nam", "vi"),
        ("how many years is my signing certificate valid", "en"),
        ("how many years can a personal signing certificate be used", "en"),
        ("chuyen giao chung thu so ca nhan mat bao nhieu tien", "vi"),
    ):
        (reply,) = await lettered.send(HEAD, question, language_code=language)
        assert_not_answered(reply, question)
    (answer,) = await lettered.send(HEAD, "bao lau phai dang nhap he thong dieu hanh tac nghiep")
    assert "Thường xuyên đăng nhập hệ thống" in answer  # how often: the rule says it
    assert not answer.startswith("📭")


async def test_a_phone_number_or_a_head_count_the_letters_never_give_is_not_answered(
    lettered: Harness,
) -> None:
    """No letter gives a support phone number or how many party members a commune has: asked
    that, the bot says the letters do not cover it or offers the closest passages (Đồng Tháp's
    item 3 on who supports signing, Xuân Trường's rates) as such, never quotes one as the
    answer; the share of members using the app is still answered."""
    for question, language in (
        ("xa xuan truong co tong cong bao nhieu dang vien", "vi"),
        ("tổng số đảng viên của đảng bộ xã xuân trường là bao nhiêu", "vi"),
        ("xuan truong tong so dang vien la bn", "vi"),
        ("How many party members in total does the Xuan Truong commune have?", "en"),
        ("so dien thoai ho tro ky so cua so khcn dong thap la so may", "vi"),
        ("sdt so khoa hoc cong nghe ho tro chu ky so", "vi"),
        ("hotline so khoa hoc va cong nghe ho tro chu ky so cong vu", "vi"),
        ("số điện thoại của Sở Khoa học và Công nghệ Đồng Tháp hỗ trợ chữ ký số", "vi"),
        ("What is the phone number of the science department for signing support?", "en"),
    ):
        (reply,) = await lettered.send(HEAD, question, language_code=language)
        assert_not_answered(reply, question)
    (answer,) = await lettered.send(
        HEAD, "tỷ lệ đảng viên xã Xuân Trường dùng Sổ tay đảng viên là bao nhiêu"
    )
    assert answer.startswith("📄") and "Xuân Trường, phần mở đầu</b>" in answer, answer


async def test_the_closest_passages_offered_are_different_places(lettered: Harness) -> None:
    """A long item or table split into pieces is offered once, by its best piece: the closest
    passages are different places of the letters (Tuần Giáo's November table, then the year's),
    and a clear answer quotes one item once, never the same item twice under one citation."""
    (reply,) = await lettered.send(HEAD, "phong ban nao tuan giao ky so 0%")
    lines = reply.splitlines()
    assert lines[0] == "📭 Các văn bản chưa trả lời rõ câu hỏi này. Những đoạn gần nhất:"
    cited = [line for line in lines if line.startswith("📄")]
    assert len(cited) == 2 and len(set(cited)) == 2, cited
    assert "mục 3.1</b>" in cited[0] and "mục 3.2</b>" in cited[1]
    (answer,) = await lettered.send(HEAD, "which offices in tuan giao signed nothing")
    cited = [line for line in answer.splitlines() if line.startswith("📄")]
    assert len(cited) == len(set(cited)) == 1 and "mục 3.1</b>" in cited[0]


async def test_by_when_and_whom_to_ask_get_the_passage_that_says_it(lettered: Harness) -> None:
    """Asked by when, the bot first quotes the item that sets the date (Hưng Yên's item 2,
    30/6/2026), not another rule on signing; asked whom to turn to, it first offers the item
    that names who supports signing (Đồng Tháp's item 3, the Department of Science)."""
    (reply,) = await lettered.send(
        HEAD, "/ask by when must every electronic document be digitally signed?", language_code="en"
    )
    first, _sep, _rest = reply.partition("\n\n")
    assert "Hưng Yên, item 2</b>" in first and "30/6/2026" in first, reply
    (offer,) = await lettered.send(HEAD, "he thong qlvb ky so khong duoc thi lien he dau")
    lines = offer.splitlines()
    assert lines[0] == "📭 Các văn bản chưa trả lời rõ câu hỏi này. Những đoạn gần nhất:"
    assert "Đồng Tháp, mục 3</b>" in lines[1] and "Sở Khoa học và Công nghệ" in lines[2], offer
