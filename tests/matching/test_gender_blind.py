"""Gender is never an input: flipping it, in every form it can take, changes nothing."""

import dataclasses
import random
from datetime import date, timedelta

import numpy as np
import pytest

from matching.gender import GENDER_WORDS, flip_gender, neutral
from matching.occupations import default_normaliser
from matching.profiles import occupation_lookup
from matching.records import StudentRecord
from matching.rounds import run_round
from matching.scoring import MatchScorer, analyse
from matching.text import base_form

from .records import TODAY, observed, placement, student, took_part

# Words a student might write about themselves; the flip is matching.gender.flip_gender.
PAIRS = [("meisje", "jongen"), ("zij", "hij"), ("haar", "zijn"), ("dochter", "zoon"),
         ("monteuse", "monteur"), ("verkoopster", "verkoper"), ("kapster", "kapper"),
         ("medewerkster", "medewerker"), ("directrice", "directeur"),
         ("programmeuse", "programmeur"), ("elektricienne", "elektricien"),
         ("loodgietster", "loodgieter"), ("ontwerpster", "ontwerper"), ("boerin", "boer"),
         ("installatrice", "installateur"), ("automonteuse", "automonteur"),
         ("ingenieuse", "ingenieur"), ("vrouwelijke", "mannelijke"), ("moeder", "vader"),
         ("zussen", "broers"), ("vriendin", "vriend")]

TEMPLATES = [
    "Ik ben een {person} en ik wil later {job} worden.",
    "Mijn moeder zegt dat {pronoun} goed is in solderen; ik wil {job} worden",
    "{pronoun} houdt van robots en 3D-printen, droomt ervan {job} te zijn",
    "Als {person} vind ik auto's en motoren gaaf. Misschien {job}?",
    "ik help {possessive} vader in de schuur, later {job} bij een installatiebedrijf",
    "Mijn moeder en mijn zussen zeggen: word {job}! Ik wil een vrouwelijke collega",
]
THEMES = ["elektrotechniek", "robotica", "installatietechniek", "motorvoertuigen", "bouw",
          "ict", "zorg", "werktuigbouw", "duurzame-energie"]
POSTCODES = ["6901", "6902", "6903", "6921", "6941", "7001", "7009", "6951"]


def cohort(seed: int, n: int) -> list[StudentRecord]:
    rng = random.Random(seed)
    people = []
    for i in range(n):
        girl = rng.random() < 0.5
        job = rng.choice(PAIRS[4:])[0 if girl else 1]
        text = rng.choice(TEMPLATES).format(
            person="meisje" if girl else "jongen", pronoun="zij" if girl else "hij",
            possessive="haar" if girl else "zijn", job=job)
        observations = tuple(
            observed(rng.choice(THEMES), rng.randint(1, 5),
                     TODAY - timedelta(days=rng.randint(0, 900)), skills=rng.choice(
                         ["solderen", "netjes werken", "programmeren", ""]))
            for _ in range(rng.randint(0, 3)))
        people.append(student(
            i, postcode=rng.choice(POSTCODES), travel_km=rng.choice([10, 20, 40]),
            themes=tuple(rng.sample(THEMES, rng.randint(0, 2))), interests=text,
            dream_job=rng.choice([job, f"vrouwelijke {job}" if girl else job, ""]),
            observations=observations,
            participations=tuple(took_part(rng.choice(THEMES)) for _ in range(rng.randint(0, 2))),
            wants_role_model=rng.random() < 0.3,
            available_from=date(2026, 2, 1) if rng.random() < 0.8 else None))
    return people


def flipped(records: list[StudentRecord]) -> list[StudentRecord]:
    return [dataclasses.replace(r, interests=flip_gender(r.interests),
                                dream_job=flip_gender(r.dream_job)) for r in records]


def placements(seed: int, n: int):
    rng = random.Random(seed)
    titles = ["Stage monteur", "Meelopen als elektricien", "Programmeur gezocht",
              "Installatiemonteur warmtepompen", "Werken in de bouw", "Zorgtechnologie stage",
              # Placements may well name who they are for; the student's side must not care.
              "Techniekdag: elk meisje solderen", "Elke jongen welkom: monteuse of monteur",
              "Vrouwelijke monteurs gezocht", "Stage bij de brandweer: moeder en vader trots"]
    return [placement(j, title=rng.choice(titles), themes=tuple(rng.sample(THEMES, 2)),
                      postcode=rng.choice(POSTCODES), levels=("mbo_2",),
                      female_role_model=rng.random() < 0.3) for j in range(n)]


def seen(proposal) -> tuple:
    """What a proposal decides and says. The reason may quote the student's own words
    ("automonteuse"); those are compared in their neutral form."""
    parts = dict(proposal.pair.explanation.parts)
    parts["words"] = [neutral(w) for w in parts.get("words", [])]
    return (proposal.student_id, proposal.placement_id, proposal.rank, proposal.pair.score,
            proposal.pair.components, parts)


def test_a_student_record_has_no_field_for_gender():
    names = {f.name for f in dataclasses.fields(StudentRecord)}
    assert not names & {"gender", "sex", "girl", "boy"}


def test_the_flip_really_changes_the_text():
    records = cohort(1, 50)
    assert sum(a.interests != b.interests for a, b in zip(records, flipped(records),
                                                          strict=True)) == 50


def test_flipping_gendered_words_changes_no_score_ranking_proposal_or_explanation():
    places = placements(7, 40)
    # With the real occupation lookup: a dream job must find the same occupation either way.
    scorer = MatchScorer(today=TODAY, candidates_k=15,
                         occupation_lookup=occupation_lookup(default_normaliser())).fit(places)
    for seed in range(3):
        records = cohort(seed, 300)
        original, mirror = scorer.score(records), scorer.score(flipped(records))
        assert np.array_equal(original.scores.indices, mirror.scores.indices)
        assert np.array_equal(original.scores.indptr, mirror.scores.indptr)
        assert np.array_equal(original.scores.data, mirror.scores.data)
        for record, twin in zip(records[:60], flipped(records)[:60], strict=True):
            assert np.array_equal(scorer.score_one(record), scorer.score_one(twin))
        free = {p.id: 2 for p in places}
        a = run_round(scorer=scorer, students=records, free_places=free, random_state=seed)
        b = run_round(scorer=scorer, students=flipped(records), free_places=free,
                      random_state=seed)
        assert [seen(p) for p in a.proposals] == [seen(p) for p in b.proposals]


@pytest.mark.parametrize(("girl", "boy"), [
    ("ik ben een meid die graag last", "ik ben een gast die graag last"),
    ("Mijn moeder is lasster en mijn zusje wil kokkin worden",
     "Mijn vader is lasser en mijn broertje wil kok worden"),
    ("Als vrouw wil ik serveerster worden, zegt mijn oma", "Als man wil ik serveerder worden, "
     "zegt mijn opa"),
    ("Ik speel in het meidenteam en wil ICT'ster worden", "Ik speel in het jongensteam en wil "
     "ICT'er worden"),
    ("Zij is een stoere meisjes-meid, vrouwelijke brandweervrouwen zijn haar voorbeeld",
     "Hij is een stoere jongens-gast, mannelijke brandweermannen zijn zijn voorbeeld"),
])
def test_gender_words_in_free_text_are_dropped(girl, boy):
    assert analyse(girl) == analyse(boy)
    assert neutral(girl) == neutral(boy)
    assert not set(analyse(girl)) & GENDER_WORDS


def test_every_gender_word_reads_as_a_gender_word():
    assert {word for word in GENDER_WORDS if base_form(word) not in GENDER_WORDS} == set()
    assert [word for word in GENDER_WORDS if analyse(word)] == []


@pytest.mark.parametrize(("text", "other"), [
    ("Hij is lasser en kok", "Zij is lasster en kokkin"),
    ("Ik word zonnepaneelmonteur of hulpkok", "Ik word zonnepaneelmonteuse of hulpkokkin"),
    ("De serveerders en de ICT'ers", "De serveersters en de ICT'sters"),
    ("Brandweerman, ICTer of installateur", "Brandweervrouw, ICTster of installatrice"),
    ("Mijn vader is computerexpert", "Mijn moeder is computerexpert"),
])
def test_flip_gender_makes_the_other_form_by_the_rule_and_back(text, other):
    assert flip_gender(text) == other
    assert flip_gender(other) == text
    assert neutral(text) == neutral(other)


def test_words_without_gender_do_not_flip():
    text = "Ik wil arts, docent of computer-expert worden in Amsterdam; een monster van een hamer"
    assert flip_gender(text).replace("docente", "docent") == text
