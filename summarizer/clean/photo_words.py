"""The words and shapes of photos on a page: image residue (markdown stubs, file names, URL and
capital slugs, "- ảnh 1" markers), photo credits, and the wording and position notes of
captions. Split from `vocabulary`, which keeps the words of the page's other furniture.

Lines are matched on their casefolded, NFC, whitespace-collapsed text (`Unit.key`) unless a
pattern says otherwise. Data only: imports `summarizer.chars` and nothing else.
"""

from __future__ import annotations

import re

from ..chars import MD_IMAGE

IMG_STUB_RE = re.compile(rf"^(?:{MD_IMAGE}[\s|]*)+$|^[|\s]+$|^\[(?:ảnh|image|hình)\]$", re.I)

# A camera's file name without its extension: "IMG 4824", "DSC_0123", "IMG-20240512-WA0001".
CAMERA_FILE_RE = re.compile(r"^(?:img|dsc[nf]?|pxl|mvimg)[\s_-]?\d{3,}(?:[_-]\w+)*$", re.I)

IMG_FILE_RE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|svg|avif)(?:\?\S*)?$", re.IGNORECASE)
# An image's storage id left where the image was: "AD_4nXdlO3FXdqNwX25BMjfgeCg9r43GBkJ...?key=...".
IMG_ID_RE = re.compile(r"^(?=[\w-]*\d)(?=[\w-]*[A-Z])[A-Za-z0-9_-]{40,}(?:\?[\w=&-]*)?$")
# A logo's name glued to its image's address: "Hội Nông dân tỉnh Bình Địnhhttps://.../chu.png".
LOGO_URL_RE = re.compile(r"https?://\S+\.(?:png|jpe?g|gif|webp|svg)$", re.IGNORECASE)
# A file name with spaces in it: "04 - Chị Nguyễn Bạch Yến (thứ 3 từ trài).jpg"; no sentence
# ends on an image's extension.
IMG_NAMED_FILE_RE = re.compile(r"^.{1,200}\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)

IMG_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[\s_-]+[a-z0-9]+){2,}$")

# The same slug in capitals where an image was: "KON TUM CO 15 DU AN DUOC CAP PHEP". Told from
# an English or acronym line by the unaccented Vietnamese syllables it is made of.
CAPS_SLUG_RE = re.compile(r"^[A-Z0-9]+(?:[\s_-]+[A-Z0-9]+){3,}$")

_UNACCENTED_SYLLABLES_TEXT = (
    "CUA VA CAC CO LA TINH DU AN NGUOI DUOC TAI VOI CHO TRONG NAM VIET HA NOI THANH PHO HUYEN "
    "XA NGAY DAN CONG TY HOI NGHI TO CHUC PHAT TRIEN KINH TE MOT NHUNG KHONG NHAN TRAO THAM "
    "LAM VIEC DOAN TIEP DONG CHI BO TRUONG NGOAI GIAO QUOC GIA DAI HOC SU KIEN TREN DUONG VE "
    "TU KHI DA SE DANG CAP PHEP HOP TAC DAU TU TIEN QUAN LY BAN UY VIEN SAN XUAT MOI"
)

UNACCENTED_SYLLABLES = frozenset(_UNACCENTED_SYLLABLES_TEXT.split())

IMG_MARKER_RE = re.compile(
    r"[-–—]\s*(?:ảnh|hình|hình ảnh|photo|video|clip)\s*\d+\s*\.?$|\s(?:ảnh|photo)\s\d{1,2}$",
    re.IGNORECASE,
)

# An alt text's "- ảnh 1" glued to the next caption: "<title> - ảnh 1Quang cảnh hội nghị.".
FUSED_IMG_MARKER_RE = re.compile(r"[-–—]\s*(?:ảnh|hình)\s*\d{1,2}(?=[^\W\d_])", re.IGNORECASE)

CREDIT_ONLY_RE = re.compile(
    r"^\(?\s*(?:ảnh|nguồn ảnh|ảnh minh h[ọo]a|ảnh chụp màn hình|ảnh tư liệu|photo|video)"
    r"(?:\s*:\s*[^.()]{1,60})?\s*\)?\.?$",
    re.IGNORECASE,
)

CREDIT_RE = re.compile(
    # not "(ảnh)", "(ảnh trái)": who is pictured, inside a sentence ("ông Ngô Minh Long (ảnh), Chủ
    # tịch ...")
    r"\((?!\s*ảnh\s*(?:trái|phải|trên|dưới|giữa|bên trái|bên phải)?\s*\))"
    r"\s*(?:ảnh|nguồn ảnh|ảnh minh h[ọo]a|ảnh chụp màn hình|ảnh tư liệu|ảnh\s*/\s*video"
    r"|photo)\b[^()]*\)"
    r"|\(\s*h[ìí]nh\s*:[^()]{2,60}\)"  # overseas papers credit a "hình": "(Hình: Lê Hùng)"
    r"|(?:^|[.!?]\s|\s[-–—]\s)(?:ảnh|nguồn ảnh|ảnh minh h[ọo]a|photo)\s*:\s*[^.]{2,80}\.?$"
    r"|^(?:ảnh|nguồn ảnh)\s*:"
)

# A line that points at its photo: "Trong ảnh: ...", "... Trong ảnh là ...", "Chú thích của
# VHO: ..." (a "chú thích" is a caption).
PHOTO_POINTER_RE = re.compile(r"\btrong (?:bức )?ảnh\s*(?::|là\b|\()|^chú thích\b")

# A photo credit with no colon after a caption's last sentence: "... nhiệm kỳ II. Ảnh nguồn GLO.",
# "... thống nhất đất nước. Ảnh St", "... ngày 24-11-2021_Ảnh: TTXVN", "Ảnh trong bài: Trần Nhã".
NAMED_CREDIT_RE = re.compile(
    r"(?:[.!?…]\s+|_\s*)(?:Ảnh|ẢNH)(?:\s+(?:nguồn|trong bài|tư liệu|sưu tầm))?\s*:?\s+"
    r"(?P<name>[^!?]+)$"
)

# A caption sentence followed by its image's source: "... bà Audrey Azoulay. (Nguồn: UNESCO)".
SOURCE_CREDIT_RE = re.compile(r"[.!?]\s*\(\s*nguồn\s*:\s*[^()]{1,60}\)\.?$")

# Where a person stands in the photo: "(giữa)", "(thứ hai từ trái sang)", "(ngoài cùng bên trái)".
POSITION_RE = re.compile(
    r"\((?:giữa|trái|phải|[^()]{0,30}(?:từ trái|từ phải|bên trái|bên phải|ngoài cùng|đứng giữa"
    r"|ở giữa)[^()]{0,20})\)"
)

# Wording typical of photo captions ("... phát biểu tại buổi làm việc.", "Quang cảnh ...").
CAPTION_CUE_RE = re.compile(
    r"^(?:quang cảnh|toàn cảnh|các đại biểu|đại biểu)\b|phát biểu (?:tại|chỉ đạo|khai mạc|bế mạc|"
    r"kết luận|sau|trong)|trình bày báo cáo|chụp ảnh|ảnh lưu niệm|quà lưu niệm|trao tặng|tặng quà|"
    r"trao quà|tặng hoa|trao hoa|tại buổi (?:làm việc|tiếp|gặp|lễ|hội)|tại điểm cầu|cắt băng|"
    r"bấm nút|thăm hỏi|trao quyết định|trao giấy|trao bằng|trao kỷ niệm chương|ảnh minh h[ọo]a"
)
