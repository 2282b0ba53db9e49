"""Fresh blind questions for bench/letters_qa.py (written without seeing the retrieval)."""

from __future__ import annotations

Q = tuple[str, tuple[tuple[str, str], ...]]

FRESH: tuple[Q, ...] = (
    # --- hy (Hưng Yên signing letter), intro: the situation, certificates issued, units < 50 %
    ("tai sao tinh uy lai ra cv yeu cau ky so vb dien tu", (("hy", "intro"),)),
    ("co dang uy xa phuong nao ky so duoi 50% khong", (("hy", "intro"),)),
    ("tình hình ký số văn bản ở các đảng ủy xã hiện nay thế nào", (("hy", "intro"),)),
    # --- hy, item 1: review the use of signatures, brief the officials, 09-HD/VPTW
    ("can bo cong chuc xa can duoc quan triet gi ve ky so", (("hy", "1"),)),
    ("how should a commune party committee review its use of digital signatures", (("hy", "1"),)),
    # --- hy, item 2: 100 % of e-issued documents signed by 30/6/2026
    ("30/6 la han cua viec gi vay", (("hy", "2"),)),
    ("tat ca vb dien tu deu phai ky so ha", (("hy", "2"), ("dt", "2"))),
    # --- hy, item 3: units under 80 % write an explanation
    ("xa em dat 72% ky so thi co phai lam bc giai trnh ko a", (("hy", "3"),)),
    ("bc giải trình phải nêu rõ những gì: nguyên nhân, trách nhiệm hay giải pháp", (("hy", "3"),)),
    # --- hy, item 4 and closing: who answers for the result, who checks
    ("chu tich xa hay bi thu chiu trach nhiem ve ket qua ks cua dang uy", (("hy", "4"),)),
    (
        "what happens if our ward does not reach 100% signing by end of june",
        (("hy", "4"), ("hy", "3")),
    ),
    ("tinh uy co kiem tra viec ky so cua dang uy phuong khong", (("hy", "end"),)),
    # --- hy484 (Hưng Yên 484-CV/TU), intro: 2039-CV/VPTW, Nghị quyết 57
    ("cv 484 trien khai theo chi dao cua van ban nao cua trung uong", (("hy484", "intro"),)),
    ("cong van 2039-CV/VPTW noi gi", (("hy484", "intro"),)),
    # --- hy484, item 1: leadership, KH 36/63/64/65-KH/TU, overdue tasks, no scattered spending
    (
        "nguoi dung dau cap uy co trach nhiem gi voi chuyen doi so",
        (("hy484", "1"), ("hy484", "intro")),
    ),
    ("nhiem vu cds qua han trong quy 2 thi phai lam gi", (("hy484", "1"),)),
    ("ke hoach 36-KH/TU ngay bao nhieu", (("hy484", "1"), ("hy484", "4"))),
    ("tranh dau tu dan trai trung lap lang phi khi lam chuyen doi so", (("hy484", "1"),)),
    # --- hy484, item 2: data, infrastructure, digital skills, AI training
    ("co dao tao AI cho can bo cong chuc khong", (("hy484", "2"),)),
    ("xay dung doi ngu chuyen trach ban chuyen trach ve chuyen doi so", (("hy484", "2"),)),
    ("what does the party letter say about digitising and enriching data", (("hy484", "2"),)),
    # --- hy484, item 3.1: the party's operations system (Hệ thống điều hành tác nghiệp)
    (
        "cac dang uy truc thuoc tinh uy phai dung he thong dieu hanh tac nghiep the nao",
        (("hy484", "3.1"),),
    ),
    # --- hy484, item 3.2: the government document system connected, secret docs, by 25/6/2026
    ("van ban mat co duoc gui nhan dien tu khong", (("hy484", "3.2"),)),
    ("han 25/6 la han hoan thanh viec gi", (("hy484", "3.2"),)),
    ("lien thong he thong qlvb cua ubnd voi he thong dieu hanh cua dang", (("hy484", "3.2"),)),
    ("deadline to connect the government document system to the party system", (("hy484", "3.2"),)),
    # --- hy484, item 4 and closing: information security, periodic reports
    ("ai huong dan dam bao an toan thong tin, an ninh mang trong co quan dang", (("hy484", "4"),)),
    ("công an tỉnh có nhiệm vụ gì trong chuyển đổi số của đảng", (("hy484", "4"),)),
    ("cv 484 co phai bao cao dinh ky ket qua ko", (("hy484", "end"),)),
    # --- tg (Tuần Giáo), intro and items 1-2: 1637/BC-STTTT, 266/UBND-KGVX, QĐ 28/2018
    ("cv huyen tuan giao can cu bao cao nao cua so tttt", (("tg", "intro"),)),
    ("vb 266/ubnd-kgvx cua tinh dien bien ve viec gi", (("tg", "1"),)),
    ("quyet dinh 28/2018/QD-TTg lien quan gi den ky so", (("tg", "2"),)),
    ("cbcc phai thuc hien quy trinh van ban di tren he thong ra sao", (("tg", "2"),)),
    # --- tg, item 3: at least 80 % on TD Office, self-criticism
    ("TD Office ky so dat bao nhieu % thi dat yeu cau", (("tg", "3"),)),
    ("don vi ks thap co phai kiem diem rut kinh nghiem ko", (("tg", "3"),)),
    # --- tg, item 3.1: results 01/11 - 08/12/2020
    ("xa muong khong ky so thang 11/2020 the nao", (("tg", "3.1"),)),
    ("which communes had 0% signing in november 2020", (("tg", "3.1"),)),
    ("phong noi vu ky so dc bn %", (("tg", "3.1"), ("tg", "3.2"))),
    ("trung tam gdnn-gdtx co ky so vb nao khong", (("tg", "3.1"), ("tg", "3.2"))),
    # --- tg, item 3.2: results for the whole of 2020
    ("ca nam 2020 xa nao o tuan giao ky so cao nhat", (("tg", "3.2"),)),
    ("tỷ lệ ký số của phòng văn hóa thông tin từ đầu năm 2020", (("tg", "3.2"),)),
    ("thi tran tuan giao ky so dat bao nhieu phan tram", (("tg", "3.1"), ("tg", "3.2"))),
    # --- dt (Đồng Tháp), intro: what the review found, the decrees it rests on
    ("cv ubnd tinh dong thap ve chu ky so can cu nghi dinh nao", (("dt", "intro"),)),
    ("qua rà soát Đồng Tháp phát hiện những sai sót gì khi ký số", (("dt", "intro"),)),
    # --- dt, item 1: the head answers for signing; never hand over a token or password
    ("thu truong co quan chiu trach nhiem truoc ai ve ky so vb dien tu", (("dt", "1"),)),
    ("is lending my usb signing token to a coworker allowed", (("dt", "1"),)),
    # --- dt, item 2: signed by the competent person and the body; scanned copies only if revoked
    ("khi nao thi duoc sao y vb giay sang vb dien tu", (("dt", "2"),)),
    ("scan vb giay roi phat hanh len he thong qlvb cua tinh dc k", (("dt", "2"),)),
    ("cts ca nhan bi thu hoi thi phat hanh van ban kieu gi", (("dt", "2"),)),
    ("vb phat hanh can chu ky so ca nhan va ca co quan hay chi 1 chu ky", (("dt", "2"),)),
    # --- dt, item 3: Sở Khoa học và Công nghệ checks and corrects
    ("ky so khong dung quy dinh thi ai chan chinh", (("dt", "3"),)),
    ("who supports units using official-duty digital signatures in dong thap", (("dt", "3"),)),
    # --- dt, item 4: signing in the administrative-reform index and the head's rating
    ("ks co dua vao chi so cai cach hanh chinh khong", (("dt", "4"),)),
    ("ty le ky so co tinh vao danh gia xep loai nguoi dung dau ko", (("dt", "4"), ("hy484", "1"))),
    # --- xt (Xuân Trường), intro: the rates at 31/5/2026 and the rules it rests on
    ("ty le dang vien xa xuan truong dung so tay dang vien la bao nhieu", (("xt", "intro"),)),
    ("xuân trường phát hành vb điện tử được bao nhiêu phần trăm", (("xt", "intro"),)),
    ("quy dinh 339-QD/TW ve cai gi", (("xt", "intro"),)),
    ("cv 25-CV/BCD cua ban chi dao tinh ve phan mem dungchung", (("xt", "intro"),)),
    # --- xt, item 1: signed e-documents, 100 % electronic exchange, log in often, no backlog
    ("bao lau thi phai dang nhap he thong dieu hanh tac nghiep 1 lan", (("xt", "1"),)),
    ("van ban ton dong qua han tren he thong thi ai chiu trach nhiem", (("xt", "1"),)),
    ("are paper documents still allowed between commune party bodies", (("xt", "1"),)),
    # --- xt, items 2-3: the e-handbook (Sổ tay đảng viên điện tử)
    ("dang vein ko co dien thoai thong minh co phai cai so tay ko", (("xt", "2"),)),
    ("so tay dang vien dien tu dung de lam gi", (("xt", "2"),)),
    ("ai huong dan dang vien cai dat kich hoat so tay dang vien", (("xt", "2"), ("xt", "3"))),
    ("chi bo can lam gi de dang vien dung so tay dien tu", (("xt", "3"),)),
    # --- xt, item 4 and closing: the party office reports; problems go to the party office
    ("vp dang uy xa bao cao ai dinh ky ve phan mem dung chung", (("xt", "4"),)),
    ("gap kho khan vuong mac khi dung phan mem dung chung thi phan anh voi ai", (("xt", "end"),)),
    ("who do i contact if the party software does not work", (("xt", "end"),)),
    # --- across letters: the minimum rate and the party operations system
    ("ky so phai dat toi thieu bao nhieu %", (("tg", "3"), ("hy", "2"), ("hy", "3"))),
    (
        "he thong dieu hanh tac nghiep cac co quan dang phai su dung the nao",
        (("hy484", "3.1"), ("xt", "1")),
    ),
    # --- unanswerable: close to the domain, but no letter answers them
    ("muc luong co so nam 2026 la bao nhieu", ()),
    ("cb xa duoc nghi phep may ngay 1 nam", ()),
    ("nam nay xa co duoc mua may tinh moi ko", ()),
    ("phan mem ke toan misa cai o dau", ()),
    ("han ky so cua tinh nghe an la ngay nao", ()),
    ("quyet toan thue tncn online lam the nao", ()),
    ("gia han chung thu so het han o dau", ()),
    ("cai chu ky so tren dien thoai sim ca the nao", ()),
    ("how much does a vnpt signing token cost", ()),
    ("lich hop giao ban ubnd xa tuan nay", ()),
    ("phụ cấp công tác đảng tính thế nào", ()),
    ("thi tuyen cong chuc 2026 khi nao", ()),
    ("what is the deadline for quang ninh province signing rate", ()),
    ("tai khoan dich vu cong cua dan bi khoa phai lam sao", ()),
    ("dang phi hang thang dong bao nhieu", ()),
)
