"""The domain's vocabulary for search: abbreviations, synonyms and an English glossary.

Written with diacritics for people to read and extend; search folds everything (đ → d).
"""

from __future__ import annotations

# The English glossary lives in its own module; it is re-exported here, and search reads
# every table through this module (bench/letters_qa.py swaps them here).
from bot.letters.glossary import ENGLISH, ENGLISH_MARKERS, ENGLISH_STOPWORDS

__all__ = [
    "ABBREVIATIONS",
    "AFTER",
    "ENGLISH",
    "ENGLISH_MARKERS",
    "ENGLISH_STOPWORDS",
    "NEEDS_NUMBER",
    "OFF_TOPIC",
    "RELATED",
    "STOPWORDS",
    "SYNONYMS",
]

# Abbreviations officials type, and the long forms letters use: both sides are rewritten to
# the long form before indexing and before searching.
ABBREVIATIONS: dict[str, str] = {
    "vb": "văn bản",
    "vbđt": "văn bản điện tử",
    "vp": "văn phòng",
    "vptu": "văn phòng tỉnh ủy",
    "vpub": "văn phòng ủy ban nhân dân",
    "vpđu": "văn phòng đảng ủy",
    "btv": "ban thường vụ",
    "btvtu": "ban thường vụ tỉnh ủy",
    "bc": "báo cáo",
    "cv": "công văn",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "cbcc": "cán bộ công chức",
    "cbccvc": "cán bộ công chức viên chức",
    "khcn": "khoa học công nghệ",
    "kh&cn": "khoa học công nghệ",
    "qlvb": "quản lý văn bản",
    "cks": "chữ ký số",
    "cts": "chứng thư số",
    "nđ": "nghị định",
    "nd": "nghị định",
    "qđ": "quyết định",
    "qd": "quyết định",
    "hd": "hướng dẫn",
    "đu": "đảng ủy",
    "du": "đảng ủy",
    "cđs": "chuyển đổi số",
    "cds": "chuyển đổi số",
    "attt": "an toàn thông tin",
    "sttđv": "sổ tay đảng viên",
    "đv": "đảng viên",
    "dv": "đảng viên",
    "tw": "trung ương",
    "vptw": "văn phòng trung ương",
    "pmdc": "phần mềm dùng chung",
    "tđ": "tỉnh đảng",
    "ks": "ký số",
    "gq": "giải quyết",
    "sl": "số lượng",
    "tl": "tỷ lệ",
    "cq": "cơ quan",
    "cb": "cán bộ",
    "nq": "nghị quyết",
    "lđ": "lãnh đạo",
    "vt": "văn thư",
    "cntt": "công nghệ thông tin",
    "cchc": "cải cách hành chính",
    "bt": "bí thư",
    "skhcn": "sở khoa học công nghệ",
    "snv": "sở nội vụ",
    "xp": "xã phường",
    "ng": "người",
    "trc": "trước",
    "tgian": "thời gian",
    "hthong": "hệ thống",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
}

# Short forms that are also the first syllable of common words ("dự", "hợp"…): abbreviations
# only in capitals or before a number ("nd 30/2020").
NEEDS_NUMBER = frozenset({"nd", "qd", "hd", "du", "dv", "cv", "tl", "sl", "gq", "nq", "bt"})

# Short forms that are abbreviations only after certain words ("tu" is also "từ", "tư"):
# short form → (long form, the words it may follow). Typed in capitals, "TU" always is.
AFTER: dict[str, tuple[str, tuple[str, ...]]] = {
    "tu": (
        "tỉnh ủy",
        ("văn phòng", "ban thường vụ", "thường trực", "công văn", "thường vụ", "kế hoạch"),
    ),
    "dt": ("điện tử", ("văn bản", "ký số văn bản")),
    "đt": ("điện tử", ("văn bản", "ký số văn bản")),
}

# Groups of words that mean the same thing here; a question using one also finds the others.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "token",
        "usb token",
        "usb ký số",
        "thiết bị lưu khóa bí mật",
        "chứng thư số",
        "chứng thư số cá nhân",
        "chứng thư chữ ký số",
        "khóa bí mật",
        "thiết bị ký số",
        "sim ký số",
    ),
    ("scan", "quét", "số hóa", "sao y", "bản scan", "bản chụp", "chụp"),
    ("văn thư", "cán bộ văn phòng", "nhân viên văn phòng", "chuyên viên văn phòng"),
    ("ký hộ", "ký thay", "nhờ ký", "ký giùm", "ký giúp", "ký dùm", "ký hộ lãnh đạo"),
    ("mật khẩu", "mã pin", "password", "pass"),
    (
        "cho mượn",
        "đưa cho",
        "giao cho",
        "chuyển giao",
        "nhờ giữ",
        "cho người khác",
        "giữ hộ",
        "cầm hộ",
    ),
    (
        "hạn",
        "thời hạn",
        "hạn chót",
        "hạn cuối",
        "trước ngày",
        "hạn nộp",
        "khi nào",
        "bao giờ",
        "ngày nào",
        "lúc nào",
        "ngày mấy",
    ),
    ("nộp", "gửi", "gởi"),
    ("giải trình", "báo cáo giải trình", "bản giải trình"),
    ("nội dung", "gồm", "bao gồm", "những gì", "nguyên nhân trách nhiệm giải pháp"),
    ("chịu trách nhiệm", "trách nhiệm", "chịu trách nhiệm trực tiếp"),
    ("bí thư", "người đứng đầu", "thủ trưởng", "sếp", "giám đốc", "trưởng phòng"),
    ("theo dõi", "đôn đốc", "kiểm tra", "giám sát"),
    ("phần trăm", "%"),
    ("tối thiểu", "ít nhất", "chỉ tiêu"),
    ("đạt", "bảo đảm", "đảm bảo"),
    ("đánh giá", "xếp loại", "chấm điểm", "thi đua"),
    ("sổ tay đảng viên", "sổ tay đảng viên điện tử", "sổ tay"),
    ("cài", "cài đặt", "kích hoạt", "tải"),
    ("đảng viên", "đảng viên đủ điều kiện"),
    ("phần mềm", "ứng dụng", "app"),
    ("hệ thống điều hành tác nghiệp", "hệ thống thông tin điều hành tác nghiệp"),
    ("quản lý văn bản", "hệ thống quản lý văn bản và điều hành", "td office"),
    ("văn bản mật", "văn bản mật theo quy định", "tài liệu mật"),
    ("kết nối", "liên thông"),
    ("trí tuệ nhân tạo", "artificial intelligence"),
    ("đào tạo", "bồi dưỡng", "tập huấn"),
    ("khó khăn", "vướng mắc"),
    ("phản ánh", "báo về", "hỏi ai"),
    ("an toàn thông tin", "an ninh mạng", "bảo mật"),
    ("thu hồi", "bị thu hồi", "hết hiệu lực"),
    ("phát hành", "ban hành", "gửi đi"),
    ("sở khoa học và công nghệ", "sở khoa học công nghệ"),
    ("hướng dẫn 09", "09-hd/vptw", "hướng dẫn số 09-hd/vptw"),
    ("người khác", "đồng nghiệp", "cấp dưới", "người khác giữ", "cấp phó", "thư ký"),
    ("vắng", "đi vắng", "vắng mặt", "đi công tác", "không có mặt"),
    ("thấp", "kém", "chưa đạt"),
    ("hoàn thành", "xong", "hoàn tất"),
)

# Words related without meaning the same: a question using the first also looks, with less
# weight, for the others ("may the clerk sign for the head?" is about handing over a token).
RELATED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ký hộ", ("chuyển giao", "người khác", "người có thẩm quyền", "chứng thư số cá nhân")),
    ("cho mượn", ("nghiêm cấm", "người khác")),
    ("vắng", ("người khác", "người có thẩm quyền")),
    ("scan", ("văn bản giấy", "sao y văn bản giấy sang văn bản điện tử")),
    ("giải trình", ("nguyên nhân", "giải pháp khắc phục", "dưới 80%")),
    ("bí thư", ("chịu trách nhiệm",)),
    ("ai ký", ("người có thẩm quyền",)),
    ("do ai ký", ("người có thẩm quyền",)),
    ("hạn", ("hoàn thành",)),
    ("sổ tay đảng viên", ("ban xây dựng đảng",)),
    ("theo dõi", ("tổng hợp",)),
    ("kỷ luật", ("chịu trách nhiệm", "kiểm điểm")),
    ("vi phạm", ("nghiêm cấm", "không đúng quy định")),
)

# What directive letters on signing never cover: money, pay, leave. A question about them is
# not answered from a passage that merely shares its other words ("bao nhiêu tiền một chứng
# thư số" is not "how many certificates"). One-syllable entries count only typed with accents.
OFF_TOPIC: tuple[str, ...] = (
    "bao nhiêu tiền",
    "mấy tiền",
    "giá tiền",
    "giá bao nhiêu",
    "hết bao nhiêu",
    "mất bao nhiêu",
    "chi phí",
    "kinh phí",
    "mức lương",
    "tiền lương",
    "lương",
    "tiền",
    "phụ cấp",
    "tiền thưởng",
    "bảo hiểm",
    "nghỉ phép",
    "nghỉ ốm",
    "công tác phí",
    "thuế",
)

# Vietnamese words that carry no content in a question (folded; "đ" already "d").
STOPWORDS = frozenset(
    "la cua va cac nhung mot nay do thi ma cho voi trong tren tai theo de den khi neu da "
    "se co duoc khong gi nao the nhu lam sao bao nhieu hay hoac roi thoi a oi nhe vay ha "
    "kia day nua cung viec ve muon biet hoi xin minh toi em anh chu ai dau may phai can "
    "vao ra len xuong thi sau truoc luc bay gio hien nay nhe nha ak ah uh ok "
    # chat spellings of "không" and "được"
    "ko k kg hok hem khong dc dk duoc".split()
)
