"""Where a name search may begin: the start of each word of the folded name (no moto)."""

from __future__ import annotations

from zelfregistratie.domain.rights import NAME_STARTS, name_starts, searched


def test_each_word_of_the_folded_name_is_a_start() -> None:
    assert name_starts("Anne-Marie  De Smet") == ["anne-marie de smet", "marie de smet", "de smet", "smet"]
    assert name_starts("Élodie Vermeulen") == ["elodie vermeulen", "vermeulen"]


def test_a_name_without_words_has_no_start_and_a_long_one_keeps_the_first() -> None:
    assert name_starts("") == [] and name_starts(" - ") == []
    many = " ".join(f"w{n}" for n in range(20))
    assert len(name_starts(many)) == NAME_STARTS and name_starts(many)[0] == searched(many)


def test_a_search_is_folded_and_its_spaces_collapsed_as_the_names_are() -> None:
    assert searched("  ÉLS   Wou ") == "els wou"
    assert any(start.startswith(searched("els  W")) for start in name_starts("Els Wouters"))
    assert not any(start.startswith(searched("lodie")) for start in name_starts("Élodie Vermeulen"))
