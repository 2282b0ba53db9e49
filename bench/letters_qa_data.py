"""Questions for bench/letters_qa.py, written the way officials type them, with their answers.

Each answerable question lists the passages that answer it as (letter, label): the letter is a
key of LETTERS, the label the passage's place in its letter ("1", "3.2", "intro" for the
opening paragraphs, "end" for the closing ones). Any one of them ranked first counts as right.
Unanswerable questions have no passages: the bot must not answer them confidently.

A question is held out from tuning by a hash of its text (see bench/letters_qa.py): the
held-out figures are printed only with --held-out, after tuning.
"""

from __future__ import annotations

LETTERS = {
    "hy": "hung-yen-cv-tu-2026-06-ky-so-van-ban-dien-tu.txt",
    "hy484": "hung-yen-484-cv-tu-2026-05-21-chuyen-doi-so.txt",
    "tg": "tuan-giao-ubnd-vp-2020-12-chu-ky-so.txt",
    "dt": "dong-thap-ubnd-kgvx-2026-chu-ky-so-cong-vu.txt",
    "xt": "xuan-truong-cv-du-2026-06-08-phan-mem-dung-chung.txt",
}

Q = tuple[str, tuple[tuple[str, str], ...]]

QUESTIONS: tuple[Q, ...] = (
    # --- the issue's own examples
    ("van thu co duoc ky thay bi thu khi di vang khong", (("dt", "1"), ("dt", "2"))),
    ("han nop bao cao giai trinh", (("hy", "3"),)),
    # --- Hưng Yên, signing letter
    ("bao cao giai trinh gom nhung noi dung gi", (("hy", "3"),)),
    ("bc giai trinh gui ai", (("hy", "3"),)),
    ("don vi duoi 80% phai lam gi", (("hy", "3"),)),
    ("khi nao phai dat 100% vb ky so", (("hy", "2"),)),
    ("deadline for 100% signed documents", (("hy", "2"),)),
    ("who is accountable for the signing rate of a commune", (("hy", "4"), ("dt", "1"))),
    ("bi thu dang uy xa chiu trach nhiem gi ve ky so", (("hy", "4"),)),
    ("quy trinh trinh ky, ky so va phat hanh vb dien tu theo huong dan nao", (("hy", "1"),)),
    ("huong dan 09-HD/VPTW quy dinh gi", (("hy", "1"),)),
    ("vp tu lam gi sau khi nhan bc giai trinh", (("hy", "end"), ("hy", "3"))),
    ("ai theo doi don doc viec ky so cua cac dang uy xa", (("hy", "end"),)),
    ("bao nhieu chung thu so da cap cho dang uy xa phuong", (("hy", "intro"),)),
    ("what must the explanation report contain", (("hy", "3"),)),
    ("by when must units below 80 percent explain", (("hy", "3"),)),
    ("kí số văn bản điện tử đạt 100% trước ngày nào", (("hy", "2"),)),
    ("giai trnh gui vp tu truoc ngay may", (("hy", "3"),)),
    ("ki so vb dt phai dat bao nhieu %", (("hy", "2"), ("tg", "3"))),
    # --- Đồng Tháp
    ("co duoc dua usb token cho nguoi khac giu khong", (("dt", "1"),)),
    ("co duoc cho muon mat khau chu ky so khong", (("dt", "1"),)),
    ("can you give your signing token to a colleague", (("dt", "1"),)),
    ("scan van ban giay roi phat hanh co duoc khong", (("dt", "2"),)),
    ("khi nao duoc sao y vb giay sang vb dien tu", (("dt", "2"),)),
    ("can I scan paper documents instead of signing them", (("dt", "2"),)),
    ("vb dien tu phai do ai ky", (("dt", "2"),)),
    ("so khcn co nhiem vu gi ve chu ky so", (("dt", "3"),)),
    ("ai kiem tra giam sat viec ky so o dong thap", (("dt", "3"),)),
    ("ky so co dua vao danh gia xep loai nguoi dung dau khong", (("dt", "4"), ("hy484", "1"))),
    ("chi so cai cach hanh chinh co tinh ky so khong", (("dt", "4"),)),
    ("nghiem cam chuyen giao thiet bi luu khoa bi mat", (("dt", "1"),)),
    ("chung thu so ca nhan bi thu hoi thi phat hanh vb the nao", (("dt", "2"),)),
    ("may the office clerk sign for the head with the head's token", (("dt", "1"), ("dt", "2"))),
    ("who checks improper digital signatures", (("dt", "3"),)),
    ("nghi dinh 30/2020 khoan 3 dieu 32 quy dinh gi", (("dt", "1"),)),
    ("nghi dinh 68/2024 la ve cai gi", (("dt", "intro"), ("dt", "2"))),
    # --- Tuần Giáo
    ("chi tieu ky so toi thieu tren td office", (("tg", "3"),)),
    ("huyen tuan giao yeu cau ky so bao nhieu phan tram", (("tg", "3"),)),
    ("phong noi vu tuan giao ky so duoc bao nhieu", (("tg", "3.1"), ("tg", "3.2"))),
    ("xa nao o tuan giao chua ky so", (("tg", "3.1"), ("tg", "3.2"))),
    ("quyet dinh 28/2018 noi ve gi", (("tg", "2"),)),
    ("cong van 266/UBND-KGVX cua dien bien ve viec gi", (("tg", "1"),)),
    # --- Xuân Trường
    ("so tay dang vien dien tu bao nhieu % dang vien dung", (("xt", "intro"),)),
    ("ai huong dan dang vien cai so tay dang vien", (("xt", "2"), ("xt", "3"))),
    ("dang vien phai cai ung dung so tay dang vien khong", (("xt", "2"), ("xt", "3"))),
    ("chi bo co trach nhiem gi voi so tay dang vien dien tu", (("xt", "3"),)),
    ("van phong dang uy xa co nhiem vu gi", (("xt", "4"), ("xt", "end"))),
    ("gap kho khan vuong mac thi phan anh ve dau", (("xt", "end"),)),
    ("bao lau phai dang nhap he thong dieu hanh tac nghiep", (("xt", "1"),)),
    ("van ban giua cac co quan trong xa co phai gui dien tu het khong", (("xt", "1"),)),
    ("hướng dẫn cài đặt sổ tay đảng viên", (("xt", "2"), ("xt", "3"))),
    # --- Hưng Yên 484 (digital transformation tasks)
    ("nguoi dung dau chiu trach nhiem gi ve chuyen doi so", (("hy484", "1"), ("hy484", "intro"))),
    ("han hoan thanh ket noi he thong qlvb voi he thong cua dang", (("hy484", "3.2"),)),
    ("vb mat co gui dien tu duoc khong", (("hy484", "3.2"),)),
    ("ai phu trach an toan thong tin an ninh mang", (("hy484", "4"),)),
    ("dao tao ky nang so cho can bo", (("hy484", "2"),)),
    ("AI training for officials", (("hy484", "2"),)),
    ("cong van 2039-CV/VPTW noi gi", (("hy484", "intro"),)),
    ("nhiem vu qua han trong quy II xu ly the nao", (("hy484", "1"),)),
    ("tranh dau tu dan trai lang phi", (("hy484", "1"),)),
    ("so hoa lam giau du lieu", (("hy484", "2"),)),
    ("co quan tham muu giup viec TU phai dung he thong nao", (("hy484", "3.1"),)),
    # --- not in the letters
    ("luong cua can bo van phong bao nhieu", ()),
    ("what is the salary of a commune secretary", ()),
    ("thu tuc cap lai can cuoc cong dan", ()),
    ("may in van phong hong thi bao ai", ()),
    ("khi nao duoc nghi phep nam", ()),
    ("cach cai phan mem diet virus", ()),
    ("phu cap cong tac dang bao nhieu", ()),
    ("lich hop chi bo thang 7", ()),
    ("how do I reset my wifi password", ()),
    ("mua usb o dau re", ()),
    ("quy dinh ve trang phuc cong so", ()),
    ("ky nghi tet nguyen dan 2027 may ngay", ()),
    ("dang phi dong bao nhieu mot thang", ()),
    ("ho so ket nap dang gom nhung gi", ()),
    ("thoi tiet hung yen ngay mai", ()),
    ("chu ky so het han thi gia han o dau", ()),
    ("tien thuong cho don vi dat 100% ky so", ()),
)
