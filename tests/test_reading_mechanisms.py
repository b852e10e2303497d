"""The ways the gazetteer reads a place string it was never given, one example each: the
phonetic bridge's rules, type words that hint a kind without ruling the name out, and the
checks that keep a hint or a reference point from placing a row in a wrong province."""

from __future__ import annotations

import pytest

from mapper.gazetteer.relations import without_reference_points
from mapper.names import romanise, scripts
from mapper.schema import Status


@pytest.fixture(scope="module")
def gaz(reference):
    return reference.gazetteer


# -- the phonetic bridge (mapper/names/scripts.py) --------------------------------------------
@pytest.mark.parametrize(("heard", "latin"), [
    ("コンポン", "Kampong"),          # ン before p is an m
    ("トラペン", "Trapeang"),         # ト in a cluster writes a bare t
    ("ドムデック", "Dam Daek"),       # but not opening a word: ドム is "dam"
    ("캄퐁트락", "Kampong Trach"),    # final stops k, t and ch are one
    ("반테이미어", "Banteay Meas"),   # a final s is not heard
    ("コンポンプルック", "Kampong Phluk"),  # a vowel before ッ is real: pu-ruk, not pu-rk
    ("เสียมเรียบ", "Siem Reap"),      # Thai เ-ีย is the diphthong ie
])
def test_the_bridge_meets_names_written_by_ear(heard, latin):
    assert scripts.key(heard) == scripts.merged(romanise.key(latin))


def test_a_double_hangul_l_is_one_l():
    assert scripts.latin("께일라") == "kkeila"


@pytest.mark.parametrize(("text", "province"), [
    ("バベル郡", "KH-2"),             # ル after a final l; 郡 says district (Bavel)
    ("マライ郡", "KH-1"),             # a kanji type word after a katakana name (Malai)
    ("อำเภอบาราย", "KH-6"),           # the Thai spelling names villages; by ear, the district
    ("這裡的安隆汶縣", "KH-22"),       # Chinese read by ear before an admin word (Anlong Veng)
    ("시하눅빌주", "KH-18"),           # "province" after a town: the town's province
])
def test_names_written_by_ear_are_placed(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


# -- type words that hint without ruling out ----------------------------------------------------
@pytest.mark.parametrize(("text", "province"), [
    ("캄보디아 푸르사트 지역", "KH-15"),  # "area" says around, not what kind of place
    ("parc national de Ream", "KH-18"),  # a landmark named after its commune
    ("pulau Koh Rong", "KH-18"),         # an island named like several of its villages
    ("シェムリアップ州 バコウン区", "KH-17"),  # 区: an admin word of no one level
])
def test_a_landmark_or_area_word_keeps_the_place_it_names(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


def test_a_landmark_named_after_one_village_is_not_placed_there(gaz):
    """'Phumi Vott Phnum' is a village in Kampong Speu; a pagoda called Wat Phnom may be
    anywhere: the village does not place it (the landmark table has the famous one)."""
    match = gaz.lookup("chùa Wat Phnom")
    assert match.entry is None or match.entry.adm1_code != "KH-5"


# -- what must not place a row ------------------------------------------------------------------
def test_two_features_do_not_meet_in_one_province(gaz):
    """The Tonle Sap lake and the Tonle Sap river share Kampong Chhnang; that is not where
    a row naming both is."""
    assert gaz.lookup("톤레삽 강(Tonle Sap River)").status is Status.AMBIGUOUS


def test_a_village_word_does_not_pick_one_village_among_communes(gaz):
    """Kampong Luong is a commune in Kandal and in Pursat and a village in Takeo: "floating
    village" must not choose Takeo's."""
    match = gaz.lookup("깜뽕루엉 수상마을")
    assert match.entry is None or match.entry.adm1_code != "KH-21"


def test_thai_abbreviated_admin_words_are_read(gaz):
    """ต. is a tambon (commune): the Thai tambon Sai Taku is not the Sai Taku resort in
    Cambodia, nor a near spelling of it."""
    match = gaz.lookup("ต.สายตะกู")
    assert match.entry is None or match.entry.country != "KH"


@pytest.mark.parametrize(("text", "province"), [
    ("Kg Cham", "KH-3"), ("Kpg. Thom", "KH-6"), ("konvoi terus bergerak ke Kg Speu", "KH-5"),
])
def test_kg_and_kpg_are_kampong(gaz, text, province):
    assert gaz.lookup(text).entry.adm1_code == province


def test_two_letters_left_between_type_words_are_no_name(gaz):
    """Hồ (lake) and "International Border Gate" are type words: what is left, "Lu", is a
    village's name, but not a name this string gives (Hoa Lu, misspelt)."""
    assert gaz.lookup("Ho Lu International Border Gate").entry is None
    assert gaz.lookup("Lu").entry.adm1_code == "KH-12", "the name alone still stands"


def test_kg_after_a_number_is_kilograms(gaz):
    entry = gaz.lookup("5 kg Cham").entry
    assert entry is None or entry.adm1_code != "KH-3"


@pytest.mark.parametrize(("text", "province"), [
    ("R’kiri", "KH-16"), ("M'kiri", "KH-11"), ("S'ville", "KH-18"), ("B'bang", "KH-2"),
    ("K'Cham", "KH-3"),
])
def test_press_contractions_are_written_out(gaz, text, province):
    assert gaz.lookup(text).entry.adm1_code == province


def test_a_contraction_needs_its_apostrophe_and_one_fitting_name(gaz):
    from mapper.gazetteer.contractions import expand_contractions

    names = [("kampongcham", "Kampong Cham"), ("kampongchhnang", "Kampong Chhnang")]
    assert expand_contractions("K'Cham", names) == "Kampong Cham"
    assert expand_contractions("Kcham", names) == "Kcham"
    assert expand_contractions("K'ang", names) == "K'ang", "three letters end names by chance"
    assert expand_contractions("K'Speu", names) == "K'Speu", "ends no name"
    both = [("kampongcham", "Kampong Cham"), ("kohcham", "Koh Cham")]
    assert expand_contractions("K'Cham", both) == "K'Cham", "two names fit: left alone"


@pytest.mark.parametrize(("text", "province"), [
    ("pulau Rong", "KH-18"), ("Rong island", "KH-18"), ("île de Rong", "KH-18"),
    ("ロン島", "KH-18"),
])
def test_a_translated_khmer_generic_is_put_back(gaz, text, province):
    """島, pulau, island translate Koh: "ロン島" is heard as コロン, Koh Rong."""
    match = gaz.lookup(text)
    assert match.status is Status.OK and match.entry.adm1_code == province


@pytest.mark.parametrize(("text", "province"), [
    ("cầu Neak Loeung", "KH-14"), ("musée de Tuol Sleng", "KH-12"),
])
def test_a_translated_type_word_meets_the_landmark_named_in_english(gaz, text, province):
    """cầu (bridge) before the name: the table's landmark is "... Neak Loeung Bridge"."""
    match = gaz.lookup(text)
    assert match.status is Status.OK and match.entry.adm1_code == province


def test_a_translated_generic_never_reaches_a_village_or_abroad(gaz):
    from mapper.gazetteer.generics import generic_readings

    assert generic_readings("Lake Toba") == ["Boeng toba"]
    assert generic_readings("river Sen") == [], "rivers run through several provinces"
    for text in ("Lake Toba", "sông Hồng", "núi Bà Đen", "pulau Bali", "pulau Kon Tm"):
        entry = gaz.lookup(text).entry
        assert entry is None or entry.country != "KH", text


@pytest.mark.parametrize(("text", "province"), [
    ("Peace Museum of Mine Action in Siem Rea province", "KH-17"),
    ("a compound in Preah Sihnouk province", "KH-18"),
])
def test_a_misspelt_name_beside_its_province_word_is_near_spelt_alone(gaz, text, province):
    """The province word marks the words beside it as a name, inside a longer phrase."""
    assert gaz.lookup(text).entry.adm1_code == province


@pytest.mark.parametrize(("text", "province"), [
    ("Kasino Mocbai", "KH-20"), ("Aranyaprathet casino", "KH-1"),
])
def test_a_casino_named_after_a_town_across_the_border_is_on_the_cambodian_side(
        gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK and match.entry.adm1_code == province
    assert match.precision == 2


def test_the_town_across_the_border_alone_stays_abroad(gaz):
    assert gaz.lookup("Moc Bai").status is Status.OUTSIDE


# -- reference points and words around a name ---------------------------------------------------
@pytest.mark.parametrize(("text", "rest"), [
    ("Mondulkiri, 300 km from Phnom Penh", "Mondulkiri"),
    ("Poipet, yang berjarak sekitar 7-8 jam dari Phnom Penh", "Poipet, yang berjarak sekitar"),
    ("프놈펜에서 약 300㎞ 떨어진 몬돌끼리", "몬돌끼리"),
    ("cách TP.HCM khoảng 200 km, tỉnh Kratie", "tỉnh Kratie"),
    ("Kampot", None),
])
def test_reference_points_are_cut_out(text, rest):
    assert without_reference_points(text) == rest


@pytest.mark.parametrize(("text", "province"), [
    ("몬돌끼리 지방, 프놈펜에서 약 300㎞ 떨어진 곳", "KH-11"),  # Phnom Penh is a yardstick
    ("a compound 30 km from Poipet", "KH-1"),                 # alone, it still places
])
def test_a_reference_point_does_not_contradict_the_place(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


@pytest.mark.parametrize(("text", "province"), [
    ("바벳 지역의 온라인 사기 거점", "KH-20"),   # words that sound like no name do not touch it
    ("포이펫에 있는 사기 조직", "KH-1"),         # a village's Korean name, heard as the town
    ("깜폿지방검찰청", "KH-7"),                  # a name read by ear before a type word
])
def test_korean_words_around_a_name_leave_it_standing(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


def test_a_name_written_in_two_words_is_joined_in_the_order_written(gaz):
    """반떼이 (Banteay) alone is a village name in four provinces; joined with the word after
    it, 민쩨이 (Meanchey), it is the province, heard by ear."""
    assert gaz.lookup("북서부 반떼이 민쩨이주 국경도로").entry.adm1_code == "KH-1"


def test_a_korean_particle_after_a_bracket_is_no_country(gaz):
    """이란 after "(Kampong Plouk)" means "called", not Iran."""
    assert gaz.lookup("캄퐁플럭(Kampong Plouk)이란 마을").status is not Status.OUTSIDE


# -- near spellings and addresses -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "province"), [
    ("Siam Reap", "KH-17"),     # 25 provinces, far apart: matched more loosely than others
    ("Preh Vihear", "KH-13"),
])
def test_a_province_is_near_spelt_more_loosely(gaz, text, province):
    match = gaz.lookup(text)
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == province


def test_a_village_named_like_a_province_is_not_that_province(gaz):
    """"Kampong Thmey" is a village name all over the country, not Kampong Thom."""
    match = gaz.lookup("Kampong Thmey")
    assert match.entry is None or match.entry.adm1_code != "KH-6"


def test_words_said_to_be_in_a_country_are_near_spelt_one_by_one(gaz):
    match = gaz.lookup("Polisi Sihanoukvile, Kamboja")
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == "KH-18"


def test_an_address_outweighs_a_name_met_only_by_its_key(gaz):
    """The commune the key meets (Chrey Thum, Svay Rieng) contradicts the district and the
    province written out: they place the row, and the message says the commune was not
    found there."""
    match = gaz.lookup("Chrey Thom commune, Koh Thom district, Kandal province")
    assert match.status is Status.OK, match.message
    assert match.entry.adm1_code == "KH-8"
    assert "not found there" in match.message


def test_chinese_transcription_conventions():
    """磅 is Kampong; 斯 writes the s of a cluster; pinyin b, d, g are plain p, t, k."""
    assert scripts.key("磅西拉") == scripts.merged(romanise.key("Kampong Seila"))
    assert scripts.latin("斯登").startswith("st")
    assert scripts.latin("甘丹").startswith("kan tan")
