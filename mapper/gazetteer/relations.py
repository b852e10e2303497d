"""Reference points: a place named only to say how far the place meant is from it.

"Mondulkiri, 300 km from Phnom Penh", "캄보디아 수도 프놈펜에서 약 300㎞ 떨어진 몬돌끼리",
"Poipet, yang berjarak sekitar 7-8 jam dari Phnom Penh", "cách TP.HCM 200 km": the capital
is a yardstick, not where the row is. :func:`without_reference_points` cuts such phrases
out; the lookup tries the rest first and keeps the whole only when the rest places nothing.
"""

from __future__ import annotations

import re

# A distance or a travel time: "300 km", "7-8 jam", "약 300㎞", "两个小时" is left out.
_AMOUNT = r"\d[\d.,]*(?:\s*[-–~]\s*\d[\d.,]*)?"
_UNIT = (r"(?:km|kilomet(?:er|re)s?|miles?|mi|hours?|hrs?|minutes?|mins?|jam|menit|giờ|tiếng|"
         r"phút|kilômét|㎞|킬로미터|킬로|시간|분|キロメートル|キロ|時間|分|公里|千米|小时|小時|"
         r"กม\.?|กิโลเมตร|ชั่วโมง)")
# X: a few words up to punctuation, in scripts with spaces; a run without, in the others.
_LATIN_PLACE = r"(?:[^\W\d_][\w'’.-]*)(?:\s+[^\W\d_][\w'’.-]*){0,3}"
_DIGIT = re.compile(r"\d")
_PATTERNS = [
    # "300 km from X", "à 300 km de X", "7-8 jam dari X", "200 km north of X"
    re.compile(rf"{_AMOUNT}\s*{_UNIT}\s+(?:(?:to the\s+)?(?:north|south|east|west|"
               rf"north-?east|north-?west|south-?east|south-?west|nord|sud|est|ouest)\s+)?"
               rf"(?:away\s+)?(?:from|of|de|du|des|d'|dari|daripada)\s+{_LATIN_PLACE}",
               re.IGNORECASE),
    # "cách X 200 km", "cách X khoảng 200 km"
    re.compile(rf"cách\s+{_LATIN_PLACE}?\s*(?:khoảng\s+|chừng\s+)?{_AMOUNT}\s*{_UNIT}",
               re.IGNORECASE),
    # "프놈펜에서 약 300㎞ 떨어진", "プノンペンから約300キロ"
    re.compile(rf"\S+(?:에서|から)\s*(?:약|約|およそ)?\s*{_AMOUNT}\s*{_UNIT}(?:\s*떨어진)?"),
    # "距金边约300公里", "离金边300公里"
    re.compile(rf"(?:距离|距離|距|离|離)\S+?(?:约|約)?\s*{_AMOUNT}\s*{_UNIT}"),
    # "ห่างจากกรุงพนมเปญประมาณ 300 กม."
    re.compile(rf"ห่างจาก\S+?\s*(?:ประมาณ)?\s*{_AMOUNT}\s*{_UNIT}"),
]


def without_reference_points(text: str) -> str | None:
    """``text`` with its "N km from X" phrases cut out, or None when it has none (or
    nothing would be left)."""
    if not _DIGIT.search(text):  # every reference point has a number: most names have none
        return None
    reduced = text
    for pattern in _PATTERNS:
        reduced = pattern.sub(" ", reduced)
    if reduced == text:
        return None
    reduced = re.sub(r"\s+", " ", reduced).strip(" ,;")
    return reduced if re.search(r"[^\W\d_]", reduced) else None
