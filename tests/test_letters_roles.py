"""What a question asks for (a rule, a permission, figures, a reason) and what a passage does,
read from their own words: the prior that tells an intro from the item that sets the rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.letters.roles import (
    CONTACT,
    DEADLINE,
    DURATION,
    FIGURES,
    HELP,
    MEMBERS,
    MONEY,
    PEOPLE,
    PERMIT,
    RULE,
    UNITS,
    WHY,
    amounts,
    fit,
    intents,
    passage_role,
    procedure,
)

pytestmark = pytest.mark.sqlite_pass_only  # no database

DESCRIBES = (
    "Tuy nhiên, qua rà soát, vẫn còn tình trạng một số cơ quan chưa thực hiện nghiêm quy trình"
    " ký số như: văn bản điện tử không được ký số bởi người có thẩm quyền."
)
FORBIDS = (
    "Chịu trách nhiệm trực tiếp trước Ủy ban nhân dân tỉnh. Nghiêm cấm tuyệt đối việc chuyển"
    " giao chứng thư số cá nhân hoặc mật khẩu cho người khác."
)
REQUIRES = "Nghiêm túc kiểm điểm, đảm bảo tối thiểu 80% văn bản phát hành được ký số."
TABLE_ROW = "Các đơn vị chưa ký số: Trung tâm GDNN - GDTX (0%); Trung tâm DVNN (0%)."
STEPS = (
    "Bước 1: cắm thiết bị USB token vào máy tính. Bước 2: mở phần mềm quản lý token, nhấn"
    ' "Đổi mã PIN" và nhập mã PIN cũ.'
)
DETAILS = {DURATION, MONEY, CONTACT, MEMBERS, PEOPLE, UNITS}
LEAD_IN = "Ủy ban nhân dân tỉnh yêu cầu Thủ trưởng các cơ quan thực hiện nghiêm các nội dung sau:"


def test_a_passage_says_what_it_does() -> None:
    """An intro describes, an item sets a rule (and may forbid), a table row gives figures, a
    lead-in only announces the items."""
    assert passage_role(DESCRIBES).why == 1.0 and passage_role(DESCRIBES).rule == 0.0
    assert passage_role(FORBIDS).rule == 1.0 and passage_role(FORBIDS).permits == 1.0
    assert passage_role(REQUIRES).rule == 1.0 and passage_role(REQUIRES).permits == 0.0
    assert passage_role(TABLE_ROW).figures == 1.0 and passage_role(TABLE_ROW).rule == 0.0
    lead_in = passage_role(LEAD_IN)
    assert (lead_in.rule, lead_in.why, lead_in.figures) == (0.0, 0.0, 0.0)


def test_a_question_says_what_it_wants() -> None:
    """Typed with or without diacritics, in chat spelling or English."""
    assert PERMIT in intents("văn thư có được dùng token của giám đốc không")
    assert PERMIT in intents("can the clerk use the director's token")
    assert RULE in intents("o tuan giao phong nao ky so thap thi phai lam gi")
    assert FIGURES in intents("phòng văn hóa tháng 11 ký số được mấy phần trăm")
    assert FIGURES in intents("which departments hit 100% in november")
    assert intents("tại sao tỉnh phải chấn chỉnh ký số") == frozenset({WHY})
    assert intents("han nop bao cao giai trinh") == frozenset({DEADLINE})  # by when
    assert intents("xa co may tinh moi khong") == frozenset()  # "máy", not English "may"


def test_the_rule_fits_a_permission_question_better_than_the_description() -> None:
    """The prior orders the siblings: forbidding rule, then any rule, then the description."""
    wanted = intents("văn thư có được dùng token của giám đốc không")
    forbids, requires, describes = (
        fit(wanted, passage_role(t)) for t in (FORBIDS, REQUIRES, DESCRIBES)
    )
    assert forbids > requires > describes == 0.0


def test_a_procedure_question_wants_steps_and_the_letters_give_none() -> None:
    """'How do I …', 'cách …', 'làm thế nào để …', '… thế nào' after an act: a procedure; a
    question about the rule on that act is not. Only a passage of steps reads as instructions."""
    for question in (
        "how do I reset the PIN on my USB token?",
        "How can I change the password of my usb token",
        "cách cài driver token trên win 11",
        "làm thế nào để đổi mật khẩu token",
        "token bị khóa do nhập sai pin 3 lần thì mở thế nào",
    ):
        assert procedure(question), question
    for question in (
        "đảng viên có phải cài sổ tay đảng viên không",
        "who must install the party member handbook app",
        "hướng dẫn cài đặt sổ tay đảng viên",
        "đảng ủy trực thuộc tỉnh ủy gửi nhận vbđt và ký số thế nào",
        "cts ca nhan bi thu hoi roi thi phat hanh vb bang cach nao",
        "ký số có được tính vào chỉ số cải cách hành chính không",
    ):
        assert not procedure(question), question
    assert passage_role(STEPS).steps
    assert not any(passage_role(t).steps for t in (DESCRIBES, FORBIDS, REQUIRES, LEAD_IN))


def test_whom_to_ask_and_by_when_are_narrow_asks_a_passage_answers() -> None:
    """A question asking whom to turn to wants the passage that says where problems go; one
    asking by when wants the passage that sets a date — not overdue or expired work, nor a
    restriction ("hạn chế")."""
    turn_to = (
        "Trong quá trình thực hiện nếu có khó khăn, vướng mắc các cơ quan, đơn vị phản ánh về"
        " Văn phòng Đảng ủy xã để tổng hợp, báo cáo."
    )
    due = "Bảo đảm 100% văn bản điện tử được ký số đúng quy định; hoàn thành trước ngày 30/6/2026."
    assert passage_role(turn_to).helps == 1.0 and passage_role(due).helps == 0.0
    assert passage_role(due).due == 1.0 and passage_role(turn_to).due == 0.0
    assert not any(passage_role(t).due or passage_role(t).helps for t in (FORBIDS, TABLE_ROW))
    for question in (
        "app so tay loi ko dang nhap dc thi bao ai",
        "phần mềm bị lỗi thì báo cho ai",
        "ky so bi loi thi hoi so nao",
        "who do we ask for help with the signing certificate?",
    ):
        assert HELP in intents(question), question
        assert fit(intents(question), passage_role(turn_to)) == 1.0, question
    for question in (
        "han nop bao cao giai trinh",
        "khi nào phải ký số đủ 100% văn bản",
        "by when must every e-document be signed?",
        "deadline to get all e-docs signed?",
    ):
        assert DEADLINE in intents(question), question
        assert fit(intents(question), passage_role(due)) == 1.0, question
    for question in (
        "vb ton dong qua han thi sao",
        "chung thu so het han thi gia han o dau",
        "con nhieu han che ve ky so",
        "ai ky thay giam doc",
    ):
        assert not intents(question) & {DEADLINE, HELP}, question


def test_an_amount_question_wants_a_passage_that_states_one() -> None:
    """How long, how many years, how much money: asked in any spelling, and only a passage that
    states a span of time or a sum gives it — a rate, a date, a deadline or "how often" is not."""
    for question in (
        "thoi han su dung cua chung thu so la may nam",
        "chứng thư số dùng được mấy năm",
        "nghỉ phép năm được bao nhiêu ngày",
        "chung thu so co hieu luc bao lau",
        "how many years is my signing certificate valid",
        "how long is the certificate valid for?",
        "when does my token expire",
    ):
        assert amounts(question) == frozenset({DURATION}), question
    for question in (
        "gia usb token bao nhieu",
        "mua token het bao nhieu tien",
        "how much does a signing token cost",
    ):
        assert amounts(question) == frozenset({MONEY}), question
    for question in (
        "ty le ky so cua phong noi vu la bao nhieu",
        "ky so phai dat bao nhieu %",
        "han nop bao cao giai trinh la ngay nao",
        "bao lau phai dang nhap he thong dieu hanh tac nghiep",
        "bao lau thi phai vao he thong 1 lan",
        "gia han chung thu so o dau",
        "đánh giá xếp loại có tính ký số không",
        "how much of the documents must be signed, in percent",
        "tinh da cap bao nhieu chung thu so cho dang uy xa",
    ):
        assert amounts(question) == frozenset(), question
    assert passage_role("Chứng thư số có thời hạn sử dụng 05 năm.").amounts == {DURATION}
    assert passage_role("Từ 01/11 đến 08/12, phòng Nội vụ ký số 40%.").amounts == {DURATION}
    assert passage_role("Lệ phí cấp lại là 500.000 đồng.").amounts == {MONEY}
    dated = "Báo cáo trước ngày 30 tháng 6 năm 2026; tỷ lệ tháng 11 năm 2025 đạt 97%."
    assert not any(passage_role(t).amounts for t in (dated, FORBIDS, REQUIRES, TABLE_ROW))


@given(st.text(max_size=300))
def test_any_text_has_a_role_and_intents_within_bounds(text: str) -> None:
    """Whatever is typed or stored: shares between 0 and 1, never a crash."""
    role = passage_role(text)
    shares = (role.rule, role.permits, role.figures, role.why, role.helps, role.due)
    assert all(0.0 <= v <= 1.0 for v in shares)
    assert 0.0 <= fit(intents(text), role) <= 1.0
    assert procedure(text) in (True, False)
    assert amounts(text) <= DETAILS and role.amounts <= DETAILS


def test_a_contact_or_head_count_question_wants_a_passage_that_gives_one() -> None:
    """A phone number, an email, an address; how many members, people, units in total: asked in
    any spelling, and only a passage with such a string, or a number right before the noun,
    gives it — "email công vụ", "on my phone", a rate or whom to ask is not such a question."""
    for question in (
        "so dien thoai ho tro ky so cua so khcn dong thap la so may",
        "sđt hỗ trợ chữ ký số",
        "hotline ho tro ky so",
        "địa chỉ email hỗ trợ của Sở",
        "what is the phone number for signing support",
        "contact number of the department",
    ):
        assert amounts(question) == frozenset({CONTACT}), question
    assert amounts("xa xuan truong co tong cong bao nhieu dang vien") == {MEMBERS}
    assert amounts("Tổng số đảng viên của xã là bao nhiêu?") == {MEMBERS}
    assert amounts("how many party members are there in total") == {MEMBERS}
    assert amounts("tong cong co bao nhieu can bo") == {PEOPLE}
    assert amounts("what is the total number of units") == {UNITS}
    for question in (
        "email cong vu bi khoa thi mo sao",
        "How do I sign a PDF on my phone?",
        "xa xuan truong co bao nhieu dang vien dung so tay",  # no total: the rate answers
        "tong cong bao nhieu phan tram dang vien dung so tay",
        "tỷ lệ tổng cộng của các đơn vị là bao nhiêu",
        "what is the total signing rate of the units",
        "tong hop bao cao gui cho ai",
        "vuong mac ve chu ky so thi lien he ai",
        "van ban so may",
    ):
        assert amounts(question) == frozenset(), question
    assert passage_role("Liên hệ: 0277 3851 234 hoặc hotro@dongthap.gov.vn.").amounts == {CONTACT}
    assert passage_role("Trụ sở: số 12 đường Lê Lợi, phường 1.").amounts == {CONTACT}
    assert passage_role("Đảng bộ xã có 1.234 đảng viên.").amounts == {MEMBERS}
    assert passage_role("Còn hai đơn vị chưa ký số.").amounts == {UNITS}
    rate = "Tỷ lệ đảng viên của Đảng bộ xã sử dụng Sổ tay đạt 68,04%; 100% đảng viên cài đặt."
    help_item = "Sở Khoa học và Công nghệ hỗ trợ, giải đáp vướng mắc về chữ ký số."
    assert not any(passage_role(t).amounts for t in (rate, help_item, FORBIDS, TABLE_ROW))


@given(
    st.text(max_size=120),
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(["đảng viên", "người", "cán bộ", "đơn vị"]),
    st.text(max_size=120),
)
def test_a_number_before_the_noun_is_a_count_a_percentage_is_not(
    before: str, number: int, noun: str, after: str
) -> None:
    """Whatever surrounds it, "N <noun>" states a count of that noun and "N% <noun>" does not
    add one (what else the text states may)."""
    kind = MEMBERS if noun == "đảng viên" else UNITS if noun == "đơn vị" else PEOPLE
    counted = passage_role(f"{before} {number} {noun} {after}").amounts
    assert kind in counted
    alone = passage_role(f"{before} {after}").amounts
    assert passage_role(f"{before} {number}% {noun} {after}").amounts <= alone | {DURATION, MONEY}
