from datetime import date

from matching.scoring import MatchScorer

from .records import TODAY, observed, placement, student, took_part


def explain_one(record, **placement_fields):
    scorer = MatchScorer(today=TODAY).fit([placement(**placement_fields)])
    return scorer.pair(record, 0).explanation


def test_observed_talent_leads_the_sentence_with_the_activity_skill_theme_and_distance():
    why = explain_one(student(themes=("elektrotechniek",), observations=(
        observed("elektrotechniek", skills="solderen, netjes werken"),)))
    assert why.text_nl == ("Je liet bij de Week van de Techniek zien dat je goed bent in "
                           "solderen, en dit bedrijf zoekt iemand voor elektrotechniek, "
                           "1 km van huis.")
    assert why.text_en.startswith("At de Week van de Techniek you showed you are good at "
                                  "solderen, and this company is looking for someone in "
                                  "electrical engineering")
    assert why.parts["why"] == "observed" and why.parts["theme"] == "elektrotechniek"


def test_talent_the_student_never_named_is_an_invitation_to_have_a_look():
    why = explain_one(student(themes=(), observations=(
        observed("elektrotechniek", skills="solderen, netjes werken"),)))
    assert why.text_nl == ("Je liet bij de Week van de Techniek zien dat je goed bent in "
                           "solderen: wil je eens kijken bij Elektro Zevenaar B.V., "
                           "1 km van huis?")
    assert why.text_en == ("At de Week van de Techniek you showed you are good at solderen: "
                           "would you like to have a look at Elektro Zevenaar B.V., "
                           "1 km from home?")
    assert why.parts["invite"] and why.parts["why"] == "observed"


def test_talent_beside_an_interest_elsewhere_is_an_invitation_too():
    why = explain_one(student(themes=("zorg",), observations=(
        observed("elektrotechniek", skills="solderen"),)))
    assert why.parts["invite"] and "wil je eens kijken bij" in why.text_nl


def test_stated_interest_is_the_reason_when_there_is_no_talent_evidence():
    why = explain_one(student(themes=("elektrotechniek",)))
    assert why.text_nl.startswith("Je vindt elektrotechniek interessant, en dit bedrijf zoekt "
                                  "iemand voor elektrotechniek")


def test_taking_part_is_named_when_it_is_the_only_evidence():
    why = explain_one(student(themes=(), participations=(took_part("elektrotechniek"),)))
    assert why.text_nl.startswith("Je deed mee aan Girlsday over elektrotechniek")


def test_shared_words_are_quoted_when_no_theme_is_shared():
    why = explain_one(student(themes=(), interests="ik wil printplaten ontwerpen"),
                      themes=(), title="Printplaten ontwerpen", description="")
    assert why.parts["why"] == "words" and "‘printpla" in why.text_nl


def test_a_wanted_female_role_model_is_mentioned_only_when_the_company_has_one():
    wants = student(wants_role_model=True)
    assert "rolmodel" in explain_one(wants, female_role_model=True).text_nl
    assert "rolmodel" not in explain_one(wants, female_role_model=False).text_nl
    assert "rolmodel" not in explain_one(student(), female_role_model=True).text_nl


def test_an_unknown_distance_is_left_out_and_a_very_near_one_reads_close_to_home():
    assert "km" not in explain_one(student(postcode=None)).text_nl
    assert explain_one(student(postcode="6902")).text_nl.endswith("vlak bij huis.")


def test_a_long_scout_note_gives_way_to_the_theme_in_the_sentence():
    why = explain_one(student(themes=(), observations=(
        observed("elektrotechniek", skills="heel precies bij het solderen van printplaten"),)))
    assert why.text_nl.startswith("Je liet bij de Week van de Techniek zien dat je talent hebt "
                                  "voor elektrotechniek")


def test_the_sentence_names_the_theme_its_claim_is_about():
    scorer = MatchScorer(today=TODAY).fit([placement(themes=("bouw", "robotica"))])
    talent_elsewhere = scorer.pair(student(themes=("bouw",), observations=(
        observed("robotica", skills="heel precies bij het programmeren van robots"),)), 0)
    assert talent_elsewhere.explanation.parts["why"] == "observed"
    assert talent_elsewhere.explanation.parts["theme"] == "robotica"
    assert talent_elsewhere.explanation.text_nl.startswith(
        "Je liet bij de Week van de Techniek zien dat je talent hebt voor robotica")
    interest_only = scorer.pair(student(themes=("bouw", "ict", "zorg", "elektrotechniek"),
                                        observations=(observed("robotica", strength=1,
                                                               on=date(2022, 1, 1)),)), 0)
    assert interest_only.explanation.parts["why"] == "interest"
    assert interest_only.explanation.text_nl.startswith("Je vindt bouwtechniek interessant")


def test_an_invitation_after_an_activity_title_with_a_colon_is_a_question_of_its_own():
    why = explain_one(student(themes=(), participations=(took_part(
        "elektrotechniek", activity="Week van de techniek: workshops in Alkmaar"),)))
    assert why.text_nl.startswith("Je deed mee aan Week van de techniek: workshops in Alkmaar "
                                  "over elektrotechniek. Wil je eens kijken bij Elektro ")
    assert why.text_nl.endswith("?") and why.text_en.count(":") == 1
