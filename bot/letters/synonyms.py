"""The domain's vocabulary for search: abbreviations, synonyms and an English glossary.

Written with diacritics for people to read and extend; search folds everything (đ → d).
"""

from __future__ import annotations

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
}

# Short forms that are also the first syllable of common words ("dự", "hợp"…): abbreviations
# only in capitals or before a number ("nd 30/2020").
NEEDS_NUMBER = frozenset({"nd", "qd", "hd", "du", "dv", "cv", "tl", "sl", "gq", "ks"})

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
    ("cho mượn", "đưa cho", "giao cho", "chuyển giao", "nhờ giữ", "cho người khác"),
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
    ("bí thư", "người đứng đầu", "thủ trưởng"),
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
    ("người khác", "đồng nghiệp", "cấp dưới", "người khác giữ"),
    ("vắng", "đi vắng", "vắng mặt", "đi công tác", "không có mặt"),
    ("thấp", "kém", "chưa đạt"),
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
)

# English questions: phrases and their Vietnamese wording in the letters.
ENGLISH: dict[str, str] = {
    "digital signature": "chữ ký số",
    "digital signatures": "chữ ký số",
    "digitally signed": "ký số",
    "signing rate": "tỷ lệ ký số",
    "signed documents": "văn bản ký số",
    "signed": "ký số",
    "signing": "ký số",
    "sign": "ký số",
    "signature": "chữ ký số",
    "token": "token",
    "certificate": "chứng thư số",
    "password": "mật khẩu",
    "pin": "mã pin",
    "explanation report": "báo cáo giải trình",
    "explanation": "giải trình",
    "explain": "giải trình",
    "report": "báo cáo",
    "deadline": "hạn",
    "due": "hạn",
    "by when": "hạn",
    "below": "dưới",
    "under": "dưới",
    "percent": "%",
    "accountable": "chịu trách nhiệm",
    "responsible": "chịu trách nhiệm",
    "responsibility": "trách nhiệm",
    "commune": "xã",
    "communes": "xã",
    "ward": "phường",
    "party committee": "đảng ủy",
    "secretary": "bí thư",
    "head": "người đứng đầu",
    "clerk": "văn thư",
    "office clerk": "văn thư",
    "provincial party office": "văn phòng tỉnh ủy",
    "office": "văn phòng",
    "scan": "scan",
    "scanned": "scan",
    "paper": "giấy",
    "copy": "sao y",
    "document": "văn bản",
    "documents": "văn bản",
    "electronic": "điện tử",
    "colleague": "người khác",
    "someone else": "người khác",
    "another person": "người khác",
    "give": "cho mượn",
    "lend": "cho mượn",
    "hand over": "chuyển giao",
    "share": "cho mượn",
    "check": "kiểm tra",
    "checks": "kiểm tra",
    "monitor": "theo dõi",
    "monitors": "theo dõi",
    "supervise": "giám sát",
    "improper": "không đúng quy định",
    "training": "đào tạo",
    "train": "đào tạo",
    "officials": "cán bộ công chức",
    "official": "cán bộ",
    "staff": "cán bộ",
    "contain": "nội dung",
    "include": "nội dung",
    "send": "gửi",
    "submit": "nộp",
    "to whom": "gửi",
    "data": "dữ liệu",
    "security": "an toàn thông tin",
    "cyber security": "an ninh mạng",
    "handbook": "sổ tay đảng viên",
    "party member": "đảng viên",
    "party members": "đảng viên",
    "app": "ứng dụng",
    "application": "ứng dụng",
    "install": "cài đặt",
    "log in": "đăng nhập",
    "login": "đăng nhập",
    "system": "hệ thống",
    "secret": "văn bản mật",
    "classified": "văn bản mật",
    "connect": "kết nối",
    "rate": "tỷ lệ",
    "target": "chỉ tiêu",
    "minimum": "tối thiểu",
    "at least": "tối thiểu",
    "evaluation": "đánh giá",
    "ranking": "xếp loại",
    "administrative reform": "cải cách hành chính",
    "revoked": "thu hồi",
    "decree": "nghị định",
    "decision": "quyết định",
    "letter": "công văn",
    "guidance": "hướng dẫn",
    "procedure": "quy trình",
    "process": "quy trình",
    "difficulties": "khó khăn",
    "problems": "vướng mắc",
    "software": "phần mềm",
    "artificial intelligence": "trí tuệ nhân tạo",
    "digital transformation": "chuyển đổi số",
    "away": "vắng",
    "absent": "vắng",
    "for the head": "ký hộ",
    "sign for": "ký hộ",
    "sign on behalf": "ký hộ",
    "on behalf": "ký hộ",
    "issue": "cấp",
    "date": "ngày",
    "by what date": "hạn",
    "department": "sở",
    "annual": "hằng năm",
    "supervision": "giám sát",
    "all documents": "100% văn bản",
    "party": "đảng",
    "salary": "lương",
    "allowance": "phụ cấp",
}

ENGLISH_STOPWORDS = frozenset(
    "a an the is are was were be been do does did can could may might must should shall will "
    "would i we you he she they it my our your their his her its of for to in on at by with "
    "from about what which who when where how why whom whose this that these those there here "
    "and or not no yes if then than so as any all each every some have has had get got "
    "me us them please tell instead many much".split()
)

# Words that only an English question has (not Vietnamese syllables once folded: "the" is
# "thể", "do" is "do", "can" is "cần"…).
ENGLISH_MARKERS = frozenset(
    "what who when where why how which is are does should must would could will of for with "
    "from about my our your their this that these those there please i we you they and or if "
    "whom whose been was were".split()
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
