"""The words around a number that decide what it is, in both languages: qualifiers before it
("gần", "nearly") or after it ("trở lên", "or more"), heads that make it an ordinal or a name
part ("thứ", "số", "zone"), and the function words that are never a counted noun.

May import: `summarizer.vietnamese.numbers`.
"""

from __future__ import annotations

import re
from typing import Literal

from summarizer.chars import alternation
from summarizer.vietnamese.numbers import _WS, _words

Qualifier = Literal["approximate", "at_least", "at_most", "more_than", "less_than"]

# Words that are never the head of a counted noun phrase (fallback rule).
_STOP_VI = _words(
    "trong và của với là có được đã sẽ đang các những cho tại từ đến tới theo về khi này đó "
    "nên thì mà hay hoặc nhưng như để so bằng trên dưới hơn gần khoảng đạt tăng giảm chiếm "
    "vượt lên xuống ra vào ở do bởi vì nếu rồi cũng đều còn nữa lại không chưa sau trước qua "
    "nay đây kia ấy nào gì mỗi mọi từng cả cùng đầu cuối giữa rằng chỉ mới lớn nhỏ nhất khác "
    "số thứ loại phần hết ngoài bên trên dưới tiếp tục đồng thời thêm riêng chung chính"
)
_MODIFIERS_VI = _words("mới lớn nhỏ khác nữa này đó ấy kia đầu cuối")

# A number right after these is an ordinal, a date part or a name part: never a figure.
_STRONG_HEADS_VI = _words("thứ năm tháng ngày quý tuần lúc khóa khoá kỳ đợt phiên niên")
# After these a number is a name part ("số 5", "Quân khu 4") unless a strong unit follows.
_WEAK_HEADS_VI = _words(
    "khu số phòng tổ đội quận phường lô tầng đường lộ điều khoản chương mục phần trang lớp "
    "hạng cấp vòng bảng tập nhóm bậc ảnh hình mẫu kho lần"
)
_WEAK_HEADS2_VI = frozenset(
    {"giai đoạn", "quân khu", "tổ máy", "quốc lộ", "tỉnh lộ", "sư đoàn", "trung đoàn", "tiểu đoàn"}
)
# Capitalised words that may start a sentence before a count ("Có 3 ..."): not a name.
_CAP_FUNCTION_VI = _words(
    "Có Với Và Các Những Cả Tổng Gồm Đạt Tăng Giảm Chiếm Hơn Gần Khoảng Trên Dưới Hiện Thêm "
    "Chỉ Mất Cùng Trong Sau Trước Từ Đến Tới Khoảng"
)

_QUALIFIERS_VI: dict[str, Qualifier] = {
    "gần": "approximate",
    "khoảng": "approximate",
    "khoảng chừng": "approximate",
    "chừng": "approximate",
    "xấp xỉ": "approximate",
    "ước": "approximate",
    "ước đạt": "approximate",
    "ước tính": "approximate",
    "ước khoảng": "approximate",
    "hơn": "more_than",
    "trên": "more_than",
    "vượt mốc": "more_than",
    "vượt quá": "more_than",
    "dưới": "less_than",
    "chưa đến": "less_than",
    "chưa tới": "less_than",
    "ít hơn": "less_than",
    "không đến": "less_than",
    "tối thiểu": "at_least",
    "ít nhất": "at_least",
    "không dưới": "at_least",
    "không ít hơn": "at_least",
    "tối đa": "at_most",
    "nhiều nhất": "at_most",
    "không quá": "at_most",
    "không vượt quá": "at_most",
    "lên tới": "at_most",
    "lên đến": "at_most",
    "tới": "at_most",
}
_QUAL_VI = re.compile(
    r"(?:(?<=[\s(\[\"“'‘:;,])|^)(?P<q>" + alternation(_QUALIFIERS_VI) + r")" + _WS + r"+$",
    re.IGNORECASE,
)
_POSTFIX_VI = re.compile(_WS + r"+(?P<q>trở" + _WS + r"+lên|trở" + _WS + r"+xuống)(?!\w)")


_SKIPPABLE_EN = _words(
    "new foreign direct international major key large small registered active more other "
    "domestic local national provincial official total valid operating investment priority "
    "sister friendly partner heritage cultural key strategic"
)
_STOP_EN = _words(
    "the a an and or of in on at to for with by from as is are was were be been its their "
    "this that these those than then per each which who whom whose while when where over "
    "under about around into onto out up down off against between among through during before "
    "after since until within without"
)
_CAP_FUNCTION_EN = _words(
    "The A An Some About Over Nearly Almost Around With In Of Its Their All Only Another And "
    "More Less Up At By For From Under Above Roughly Approximately Exactly Just These Those "
    "Total"
)
_QUALIFIERS_EN: dict[str, Qualifier] = {
    "nearly": "approximate",
    "almost": "approximate",
    "about": "approximate",
    "around": "approximate",
    "approximately": "approximate",
    "approx.": "approximate",
    "roughly": "approximate",
    "some": "approximate",
    "an estimated": "approximate",
    "estimated": "approximate",
    "close to": "approximate",
    "just under": "less_than",
    "just over": "more_than",
    "over": "more_than",
    "more than": "more_than",
    "above": "more_than",
    "exceeding": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "under": "less_than",
    "less than": "less_than",
    "below": "less_than",
    "fewer than": "less_than",
    "at least": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "at most": "at_most",
    "up to": "at_most",
    "as much as": "at_most",
    "as many as": "at_most",
    "no more than": "at_most",
    "a maximum of": "at_most",
}
_QUAL_EN = re.compile(
    r"(?:(?<=[\s(\[\"“'‘:;,])|^)(?P<q>" + alternation(_QUALIFIERS_EN) + r")" + _WS + r"+$",
    re.IGNORECASE,
)
_POSTFIX_EN = re.compile(_WS + r"+(?P<q>or" + _WS + r"+more|or" + _WS + r"+less)(?!\w)")
_STRONG_HEADS_EN = _words(
    "in since until by during from year years fiscal term session no no. number at"
)
_WEAK_HEADS_EN = _words(
    "zone district unit room route highway decree resolution round grade level page figure "
    "photo phase stage article clause chapter item section point no number group class block "
    "lot"
)

_NUMBER_SIGN_EN = re.compile(r"(?:(?<!\w)(?:No|no|Nr|nr)\.|#)" + _WS + r"*$")


def _qualifier_before_vi(text: str, pos: int) -> tuple[int, Qualifier | None, str | None]:
    """Leftmost start of a qualifier chain ending at `pos` ("lên tới gần"), its category (the
    qualifier nearest the number) and its surface text."""
    start = pos
    category: Qualifier | None = None
    for _ in range(2):
        m = _QUAL_VI.search(text, max(0, start - 24), start)
        if m is None:
            break
        if category is None:
            category = _QUALIFIERS_VI[m.group("q").lower()]
        start = m.start("q")
    if category is None:
        return pos, None, None
    return start, category, text[start:pos].strip()


def _qualifier_before_en(text: str, pos: int) -> tuple[int, Qualifier | None, str | None]:
    m = _QUAL_EN.search(text, max(0, pos - 20), pos)
    if m is None:
        return pos, None, None
    return m.start("q"), _QUALIFIERS_EN[m.group("q").lower()], m.group("q")
