"""Khmer normalisation, administrative prefixes and transliteration."""

from __future__ import annotations

import pytest

from mapper.names import khmer, romanise


@pytest.mark.parametrize("zw", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"])
def test_zero_width_removed(zw):
    assert khmer.normalise(f"កំ{zw}ពត") == "កំពត"


def test_coeng_da_becomes_coeng_ta():
    assert khmer.normalise("កណ្ដាល") == khmer.normalise("កណ្តាល") == "កណ្តាល"
    assert khmer.normalise("ឧត្ដរមានជ័យ") == "ឧត្តរមានជ័យ"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("\u1780\u17c1\u17b6\u17c7", "\u1780\u17c4\u17c7"),  # ក េ ា ះ -> កោះ
        ("\u1783\u17d2\u1798\u17c6\u17bb", "\u1783\u17d2\u1798\u17bb\u17c6"),  # ឃ្មំុ -> ឃ្មុំ
        ("\u179f\u17d2\u179a\u17d2\u178f\u17b8", "\u179f\u17d2\u178f\u17d2\u179a\u17b8"),  # ស្រ្តី
    ],
)
def test_interchangeable_spellings(typed, kept):
    assert khmer.normalise(typed) == kept


def test_nfc_and_spaces():
    assert khmer.normalise("  ភ្នំ   ពេញ ") == "ភ្នំ ពេញ"


@pytest.mark.parametrize(
    ("text", "core", "hint"),
    [
        ("ខេត្តកំពត", "កំពត", "province"),
        ("ខេត្ដ ក្រចេះ", "ក្រចេះ", "province"),
        ("រាជធានីភ្នំពេញ", "ភ្នំពេញ", "province"),
        ("ស្រុកអង្គស្នួល", "អង្គស្នួល", "district"),
        ("ខណ្ឌដូនពេញ", "ដូនពេញ", "district"),
        ("ក្រុងបាវិត", "បាវិត", "city"),
        ("ឃុំបាវិត", "បាវិត", "commune"),
        ("សង្កាត់ទួលគោក", "ទួលគោក", "commune"),
        ("ភូមិថ្មី", "ថ្មី", "village"),
        ("ច្រកទ្វារមុនជ័យ", "មុនជ័យ", "border_post"),
        ("ច្រកព្រំដែនបាវិត", "បាវិត", "border_post"),
        ("ភូមិ", "ភូមិ", None),
        ("ក្រុងាល", "ក្រុងាល", None),
    ],
)
def test_strip_prefixes(text, core, hint):
    assert khmer.strip_prefixes(text) == (core, hint)


@pytest.mark.parametrize(
    ("khm", "latin"),
    [
        ("កំពង់ចាម", "Kampong Cham"),
        ("បាត់ដំបង", "Battambang"),
        ("កំពត", "Kampot"),
        ("បន្ទាយមានជ័យ", "Banteay Meanchey"),
        ("ភ្នំពេញ", "Phnom Penh"),
        ("សៀមរាប", "Siem Reap"),
        ("ក្រចេះ", "Kratie"),
        ("ស្ទឹងត្រែង", "Stung Treng"),
        ("តាកែវ", "Takeo"),
        ("កណ្ដាល", "Kandal"),
        ("មណ្ឌលគិរី", "Mondulkiri"),
        ("ឧត្ដរមានជ័យ", "Oddar Meanchey"),
        ("ប៉ៃលិន", "Pailin"),
        ("ត្បូងឃ្មុំ", "Tboung Khmum"),
        ("ស្វាយរៀង", "Svay Rieng"),
        ("កោះកុង", "Koh Kong"),
        ("កែប", "Kep"),
        ("ព្រៃវែង", "Prey Veng"),
        ("កំពង់ស្ពឺ", "Kampong Speu"),
        ("កំពង់ឆ្នាំង", "Kampong Chhnang"),
        ("កំពង់ធំ", "Kampong Thom"),
        ("អង្គរបុរី", "Angkor Borei"),
        ("ចំណោម", "Chamnaom"),
        ("ដងទង់", "Dang Tung"),
        ("ក្រគរ", "Krakor"),
        ("ពាមជរ", "Peam Chor"),
        ("បាវិត", "Bavit"),
        ("ខេត្តកំពត", "Khett Kampot"),
        ("ភូមិថ្មី", "Phumi Thmei"),
    ],
)
def test_translit_key_meets_latin_key(khm, latin):
    assert khmer.key(khm) == romanise.name_key(latin)


@pytest.mark.parametrize(
    ("khm", "latin"),
    [
        ("កំពង់ចាម", "kampongcham"),
        ("បាត់ដំបង", "batdambang"),
        ("សៀមរាប", "siemreab"),
        ("ភ្នំពេញ", "phnumpenh"),
        ("ស្វាយរៀង", "svayrieng"),
        ("ត្បូងឃ្មុំ", "tboungkhmum"),
    ],
)
def test_transliteration(khm, latin):
    assert khmer.transliterate(khm) == latin


def test_transliteration_keeps_latin_and_words():
    assert khmer.transliterate("ភ្នំពេញ Phnom Penh") == "phnumpenh Phnom Penh"
    assert khmer.transliterate("") == ""


def test_key_of_latin_is_romanise_key():
    assert khmer.key("Kâmpôt") == romanise.key("Kampot")
    assert khmer.is_khmer("កំពត") and not khmer.is_khmer("Kampot")
