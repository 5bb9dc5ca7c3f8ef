from matching.text import normalise, strip_accents


def test_accents_are_removed():
    assert strip_accents("coördinator elektriciën café") == "coordinator elektricien cafe"


def test_case_punctuation_and_spacing_are_normalised():
    assert normalise("  ICT/Programmeren -- 3D-printen!! ") == "ict programmeren 3d printen"
