"""Flipping gender changes nothing, on a cohort of 600 twins.

Every student is drawn once and written twice: as a girl and as a boy, with everything
gendered in their free texts (interests, dream job, what observers wrote) in the girl's or the
boy's words: "ik ben een meid", "mijn moeder", "als vrouw", and job titles in their female or
male form. Many titles come from ESCO's male titles with a female form made by the textbook
suffix patterns (tests/matching/gendered.py), so most female forms are in no list; some are
compounds ESCO lacks ("drone|lasster"), some plural, capitalised, or written after an
abbreviation ("ICT'ster", "ICT-ster", "ICTster"). The girls, the boys and the flip_gender of
the girls must get the same score tables, candidate lists and proposals.
"""

from __future__ import annotations

import dataclasses
import zlib
from datetime import timedelta

import numpy as np
import pytest

from matching.gender import flip_gender, neutral
from matching.records import StudentRecord
from matching.rounds import run_round
from matching.scoring import MatchScorer
from matching.taxonomy import load_themes

from .gendered import FEMALE_ENDINGS, a_field, esco_titles, textbook_female
from .records import TODAY, observed, placement, student, took_part

N_STUDENTS = 600
THEMES = [theme.slug for theme in load_themes()]
POSTCODES = ["6901", "6902", "6903", "6921", "6941", "7001", "7009", "6951"]
# (girl, boy) words about who someone is.
PERSON = [("meisje", "jongen"), ("meid", "gast"), ("vrouw", "man"), ("dame", "heer"),
          ("girl", "boy")]
FAMILY = [("moeder", "vader"), ("zus", "broer"), ("zusje", "broertje"), ("oma", "opa"),
          ("tante", "oom"), ("vriendin", "vriend"), ("mama", "papa")]
PRONOUN = [("zij", "hij"), ("ze", "hij")]
TEAM = [("meidenteam", "jongensteam"), ("meisjesclub", "jongensclub"),
        ("damesvoetbal", "herenvoetbal"), ("vrouwenelftal", "mannenelftal")]
# Titles in their female and male forms that the textbook patterns do not make.
IRREGULAR = [("kokkin", "kok"), ("hulpkokkin", "hulpkok"), ("boerin", "boer"),
             ("serveerster", "serveerder"), ("lerares", "leraar"), ("schilderes", "schilder"),
             ("brandweervrouw", "brandweerman"), ("timmervrouw", "timmerman"),
             ("vakvrouw", "vakman"), ("stalmeisje", "staljongen"), ("technica", "technicus"),
             ("elektricienne", "elektricien"), ("cheffin", "chef"), ("bokster", "bokser")]
ABBREVIATED = [("ICT'ster", "ICT'er"), ("ICT-ster", "ICT-er"), ("ICTster", "ICTer"),
               ("CNC'ster", "CNC'er")]
TECH_FRONTS = ["zonnepaneel", "drone", "windmolen", "warmtepomp", "laadpaal", "robot",
               "onderhouds", "machine", "kraan", "lift"]
TECH_HEADS = ["monteur", "lasser", "installateur", "programmeur", "bouwer", "ontwerper",
              "verkoper", "technicus", "operator", "inspecteur"]
ACTIVITIES = ["solderen", "robots bouwen", "3D-printen", "programmeren", "sleutelen aan brommers",
              "lassen", "koken", "tekenen", "zonnepanelen leggen", "metselen", "timmeren",
              "met dieren werken", "apps maken", "elektronica repareren"]
INTERESTS = [
    "Ik ben een {person} en ik wil later {job} worden.",
    "Als {person} vind ik {activity} gaaf. Mijn {family} is {job2} en ik wil {job} worden.",
    "{Pronoun} houdt van {activity} en wil {job} worden, net als {possessive} {family}.",
    "Op de techniekdag zag ik {jobs} aan het werk; ik ben een {person} die {job} wil worden.",
    "ik zit in het {team} en later word ik {job} of {job2}",
    "Mijn {family} zegt: jij wordt een goede {job}! Ik vind {activity} leuk.",
    "Ik wil {job} worden. {Pronoun} is een {person} die van {activity} houdt.",
]
SKILLS = ["werkt nauwkeurig, een echte {job}", "{pronoun} soldeert heel netjes",
          "sterk in {activity}; wil {job} worden", "neemt de leiding, {person} met lef",
          "helpt {possessive} {family} in de werkplaats", ""]


def job_pool(rng: np.random.Generator) -> list[tuple[str, str]]:
    """(female, male) job titles: ESCO's male titles with their textbook female form (a field's
    name such as "genetica" left out: it keeps its own meaning), compounds ESCO lacks, and the
    forms the patterns do not make."""
    males = sorted(title for title in esco_titles()
                   if not title.endswith(FEMALE_ENDINGS) and textbook_female(title))
    esco = [(textbook_female(male), male) for male in rng.choice(males, 160, replace=False)]
    esco = [(female, male) for female, male in esco if not a_field(female)]
    compounds = [(textbook_female(front + head), front + head)
                 for front in TECH_FRONTS for head in TECH_HEADS]
    return esco + compounds + IRREGULAR + ABBREVIATED


def plural(word: str) -> str:
    """The textbook plural of a job title: -nen after -in, -sen after -es, -en after -vrouw and
    -ist, -s otherwise (lassers, lassters, monteuses, directrices)."""
    for ending, added in (("in", "nen"), ("es", "sen"), ("vrouw", "en"), ("ist", "en")):
        if word.endswith(ending):
            return word + added
    return word + "s"


def render(choices: dict, girl: bool) -> tuple[str, str, str]:
    """A student's interests, dream job and observation skills as a girl or as a boy."""
    side = 0 if girl else 1

    def job(pair: tuple[str, str], capital: bool, many: bool) -> str:
        word = pair[side]
        if many and pair[1].isalpha() and pair[1].endswith(("er", "eur", "or", "ist")):
            word = plural(word)
        return word.capitalize() if capital and word.islower() else word

    words = {
        "person": choices["person"][side], "family": choices["family"][side],
        "pronoun": choices["pronoun"][side], "Pronoun": choices["pronoun"][side].capitalize(),
        "possessive": ("haar", "zijn")[side], "team": choices["team"][side],
        "activity": choices["activity"],
        "job": job(choices["job"], choices["capital"], False),
        "job2": job(choices["job2"], False, False), "jobs": job(choices["job2"], False, True),
    }
    interests = choices["interests"].format(**words)
    dream = {0: words["job"], 1: f"{('vrouwelijke', 'mannelijke')[side]} {words['job']}",
             2: f"{words['job']} of {words['job2']}", 3: ""}[choices["dream"]]
    skills = [template.format(**words) for template in choices["skills"]]
    return interests, dream, skills


def twins(seed: int, n: int) -> tuple[list[StudentRecord], list[StudentRecord]]:
    """The same n students as girls and as boys."""
    rng = np.random.default_rng(seed)
    pool = job_pool(rng)

    def pick(options):
        return options[int(rng.integers(len(options)))]

    girls, boys = [], []
    for i in range(n):
        choices = {
            "person": pick(PERSON), "family": pick(FAMILY), "pronoun": pick(PRONOUN),
            "team": pick(TEAM), "activity": pick(ACTIVITIES), "job": pick(pool),
            "job2": pick(pool), "capital": rng.random() < 0.2, "interests": pick(INTERESTS),
            "dream": int(rng.integers(4)),
            "skills": [pick(SKILLS) for _ in range(int(rng.integers(0, 3)))],
        }
        observations = [(pick(THEMES), int(rng.integers(1, 6)), int(rng.integers(0, 900)))
                        for _ in choices["skills"]]
        fields = {
            "postcode": pick(POSTCODES), "travel_km": float(pick([10, 20, 40])),
            "themes": tuple(rng.choice(THEMES, int(rng.integers(0, 3)), replace=False)),
            "participations": tuple(took_part(pick(THEMES))
                                    for _ in range(int(rng.integers(0, 2)))),
            "wants_role_model": bool(rng.random() < 0.3),
        }
        for girl, out in ((True, girls), (False, boys)):
            interests, dream, skills = render(choices, girl)
            out.append(student(
                i, interests=interests, dream_job=dream, **fields,
                observations=tuple(observed(theme, strength, TODAY - timedelta(days=days), skills=s)
                                   for (theme, strength, days), s
                                   in zip(observations, skills, strict=True))))
    return girls, boys


def flipped(records: list[StudentRecord]) -> list[StudentRecord]:
    return [dataclasses.replace(
        r, interests=flip_gender(r.interests), dream_job=flip_gender(r.dream_job),
        observations=tuple(dataclasses.replace(o, skills=flip_gender(o.skills))
                           for o in r.observations)) for r in records]


def placements(seed: int, n: int):
    rng = np.random.default_rng(seed)
    titles = ["Stage {0}", "Leerbaan {0} (BBL)", "Meeloopdag bij een {0}", "{0} gezocht",
              "Snuffelstage {0} in de werkplaats", "Word {0}! Vrouwelijke collega's welkom"]
    jobs = [male for _, male in IRREGULAR] + [front + head for front in TECH_FRONTS[:4]
                                              for head in TECH_HEADS]
    return [placement(j, title=titles[int(rng.integers(len(titles)))].format(
                          jobs[int(rng.integers(len(jobs)))]),
                      themes=tuple(rng.choice(THEMES, 2, replace=False)),
                      postcode=POSTCODES[int(rng.integers(len(POSTCODES)))],
                      levels=("mbo_2",), female_role_model=bool(rng.random() < 0.3))
            for j in range(n)]


def text_sensitive_lookup(text: str) -> str:
    """An occupation lookup that any difference in the (neutral) dream job would move: the
    code of a theme's occupation, chosen by the text's checksum."""
    codes = sorted({code for theme in load_themes() for code in theme.esco_codes})
    return codes[zlib.crc32(text.encode()) % len(codes)] if text else ""


def seen(proposal) -> tuple:
    """What a proposal decides and says; what it quotes (the student's words, what an observer
    wrote) is compared in its neutral form."""
    parts = dict(proposal.pair.explanation.parts)
    parts["words"] = [neutral(word) for word in parts.get("words", [])]
    parts["skill"] = neutral(parts.get("skill", ""))
    return (proposal.student_id, proposal.placement_id, proposal.rank, proposal.pass_,
            proposal.pair.score, proposal.pair.components, parts)


@pytest.fixture(scope="module")
def cohort():
    girls, boys = twins(16, N_STUDENTS)
    scorer = MatchScorer(today=TODAY, candidates_k=12,
                         occupation_lookup=text_sensitive_lookup).fit(placements(3, 80))
    return scorer, girls, boys


def test_the_twins_write_differently(cohort):
    _, girls, boys = cohort
    texts = [(g.interests, g.dream_job, [o.skills for o in g.observations]) for g in girls]
    others = [(b.interests, b.dream_job, [o.skills for o in b.observations]) for b in boys]
    assert len(girls) >= 600
    assert sum(a != b for a, b in zip(texts, others, strict=True)) == len(girls)
    assert sum(g.dream_job != b.dream_job for g, b in zip(girls, boys, strict=True)) > 400
    assert sum(a != b for a, b in zip(texts, flipped(girls), strict=True)) == len(girls)


def test_girls_boys_and_flipped_girls_get_the_same_scores_lists_and_proposals(cohort):
    scorer, girls, boys = cohort
    tables = [scorer.score(group) for group in (girls, boys, flipped(girls), flipped(boys))]
    first = tables[0]
    assert first.scores.nnz > 0 and not first.insufficient.all()
    for table in tables[1:]:
        # Candidate lists: the same placements in the same order; score tables: the same values.
        assert np.array_equal(first.scores.indptr, table.scores.indptr)
        assert np.array_equal(first.scores.indices, table.scores.indices)
        assert np.array_equal(first.scores.data, table.scores.data)
        assert np.array_equal(first.admissible, table.admissible)
        assert np.array_equal(first.insufficient, table.insufficient)
    for girl, boy in zip(girls[:100], boys[:100], strict=True):
        assert np.array_equal(scorer.score_one(girl), scorer.score_one(boy))
    places = np.random.default_rng(5).integers(1, 13, len(scorer.placement_ids_))
    free = dict(zip(scorer.placement_ids_.tolist(), places.tolist(), strict=True))
    rounds = [run_round(scorer=scorer, students=group, free_places=free, random_state=7)
              for group in (girls, boys, flipped(girls))]
    assert len(rounds[0].proposals) > 300
    for result in rounds[1:]:
        assert [seen(p) for p in result.proposals] == [seen(p) for p in rounds[0].proposals]
        assert result.summary() == rounds[0].summary()
        assert (result.insufficient, result.no_admissible, result.unassigned) == (
            rounds[0].insufficient, rounds[0].no_admissible, rounds[0].unassigned)
