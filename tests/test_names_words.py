"""Type words: hints of kind around a name, in every script, never part of the name."""

from __future__ import annotations

import pytest

from mapper.names import words


@pytest.mark.parametrize(
    ("text", "core", "hint"),
    [
        ("Phumi Ta Kream", "ta kream", "village"),
        ("Phum Thmei", "thmei", "village"),
        ("Khum Bavet", "bavet", "commune"),
        ("Sangkat Tuol Kork", "tuol kork", "commune"),
        ("Srok Ang Snuol", "ang snuol", "district"),
        ("Khan Doun Penh", "doun penh", "district"),
        ("Krong Bavet", "bavet", "city"),
        ("Khett Kâmpôt", "kampot", "province"),
        ("Kampot Province", "kampot", "province"),
        ("province de Kampot", "kampot", "province"),
        ("Provinsi Tboung Khmum", "tboung khmum", "province"),
        ("Phnum Srok", "phnum srok", None),  # Srok only stands before a name,
        ("Krong", "krong", None),
    ],
)
def test_strip_latin(text, core, hint):
    assert words.strip(text) == (core, hint)


@pytest.mark.parametrize(
    ("text", "core", "hint"),
    [
        ("province de Takéo", "takeo", "province"),
        ("the border town of Poipet", "poipet", "city"),
        ("Kota Poipet", "poipet", "city"),
        ("huyện Svay Teab", "svay teab", "district"),
        ("Steung Hav port", "steung hav", "zone"),
        ("タケオ州", "タケオ", "province"),
        ("캄퐁참주", "캄퐁참", "province"),
        ("จังหวัดพระตะบอง", "พระตะบอง", "province"),
        ("西哈努克省", "西哈努克", "province"),
        ("ស្រុកស្វាយទាប", "ស្វាយទាប", "district"),
        ("ច្រកទ្វារព្រំដែនអន្តរជាតិបាវិត", "បាវិត", "border_post"),
        ("ក្រុងាល", "ក្រុងាល", None),  # ក្រុង followed by a vowel sign is part of a word
        ("省", "省", None),
    ],
)
def test_strip_every_script(text, core, hint):
    assert words.strip(text) == (core, hint)


def test_every_kind_is_known():
    for group in words.type_words().values():
        assert set(group.values()) <= {*words.KINDS, None}
