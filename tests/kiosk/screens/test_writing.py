"""Arabic as drawn: letters joined, lines right to left, values from elsewhere kept whole."""

from kiosk.screens.writing import drawn, isolated, plain

ADDRESS = "12 rue de Paris, Douai"


def test_an_address_inside_an_arabic_line_keeps_its_number_before_its_street():
    line = drawn(f"العنوان : {isolated(ADDRESS)}", rtl=True)
    assert line.startswith(f"{ADDRESS} :")  # on the left, whole; the Arabic label on the right


def test_without_isolation_the_number_would_leave_its_street():
    assert ADDRESS not in drawn(f"العنوان : {ADDRESS}", rtl=True)


def test_the_invisible_marks_are_never_drawn_nor_read():
    for text in (isolated(ADDRESS), f"Adresse : {isolated(ADDRESS)}", isolated("مرحبا")):
        assert plain(text) == text.replace("\u2068", "").replace("\u2069", "")
        assert "\u2068" not in drawn(text, rtl=True) and "\u2069" not in drawn(text, rtl=False)


def test_french_words_are_left_as_written():
    assert drawn("Émilie-Anne N'Diaye", rtl=False) == "Émilie-Anne N'Diaye"
