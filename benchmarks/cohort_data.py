"""A twin cohort for the fairness benchmark, written as the documented CSV import files.

Every pair is a girl and a boy at the same school, level and year, with the same postcode,
travel limit, activities and talent observations (same observer, strength, themes and skills).
In half the pairs (*equal*) the girl states the same interest as her brother, in her own words
(female job titles, "mijn broer" where he writes "mijn zus"); in the other half she states less
technical interest: undecided, mixed, care, creative or office. The boy always states a
technical interest. Region and schools are not importable: :class:`Cohort` describes them, and
the benchmark creates them directly. Everything is drawn from one ``random.Random(seed)``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from matching.gender import flip_gender
from matching.geo import distance_km
from matching.taxonomy import load_themes
from seeds.refdata import first_names, last_names, postcodes

from . import cohort_words as W

REGIONS = {"liemers": "Liemers", "achterhoek": "Achterhoek",
           "noord-holland-noord": "Noord-Holland Noord",
           "zaanstreek-waterland": "Zaanstreek-Waterland"}
KINDS = ("students", "activities", "participations", "observations", "companies", "placements")
# Of the pairs where the girl states less technical interest than her brother.
LESS = {"undecided": 30, "mixed": 25, "care": 15, "creative": 15, "office": 15}
# The held-out cohort has 152 placements for 300 pairs, 91 of them technical.
PLACEMENTS_PER_PAIR, TECHNICAL_PER_PAIR = 152 / 300, 91 / 300
STUDENT_HEADER = ("leerlingnummer", "voornaam", "tussenvoegsel", "achternaam", "geboortejaar",
                  "schoolcode", "niveau", "leerweg", "leerjaar", "klas", "postcode",
                  "reisafstand", "geslacht", "interesses", "droombaan", "thema's",
                  "e-mailadres")
GENDER_CELL = {"girl": "meisje", "boy": "jongen"}


@dataclass(frozen=True)
class SchoolSpec:
    code: str
    name: str
    kind: str  # "vmbo" or "mbo" (SchoolKind values)
    postcode: str
    place: str


@dataclass(frozen=True)
class Pair:
    school: str
    level: str
    girl: str  # student numbers
    boy: str
    stance: str  # "equal", or what the girl states instead: see LESS
    strength: int  # the strongest observation of the twins (0: not observed)
    scouted: bool  # a talent scout observed them


@dataclass(frozen=True)
class Cohort:
    region_slug: str
    region_name: str
    schools: tuple[SchoolSpec, ...]
    scouts: tuple[tuple[str, str], ...]  # (e-mail, name)
    counsellors: tuple[tuple[str, str, str], ...]  # (e-mail, name, school code)
    pairs: tuple[Pair, ...]
    student_rows: tuple[dict, ...]
    files: dict[str, bytes]  # kind -> the CSV file, in import order (KINDS)
    technical: frozenset[tuple[str, str]]  # (KvK, placement code) of technical placements
    genders: dict[tuple[str, str], str] = field(default_factory=dict)  # (school, number)

    def flipped(self) -> Cohort:
        """The same cohort with every student's gender and the gendered words in their own
        texts (interests, dream job) flipped; everything else as it is."""
        rows = tuple({**row, "geslacht": {"meisje": "jongen", "jongen": "meisje"}[
            row["geslacht"]], "interesses": flip_gender(row["interesses"]),
            "droombaan": flip_gender(row["droombaan"])} for row in self.student_rows)
        other = {"girl": "boy", "boy": "girl"}
        return dataclasses.replace(
            self, student_rows=rows, files={**self.files, "students": _students_file(rows)},
            genders={key: other[g] for key, g in self.genders.items()})


def _csv(header, rows, delimiter: str, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row.get(name, "") for name in header] if isinstance(row, dict) else row
                     for row in rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def _students_file(rows) -> bytes:
    # As Dutch Excel saves "CSV UTF-8": semicolons and a byte order mark.
    return _csv(STUDENT_HEADER, rows, ";", bom=True)


class _Builder:
    def __init__(self, pairs: int, seed: int, region: str, today: date):
        self.rng = random.Random(seed)
        self.n, self.today, self.region = pairs, today, region
        self.places = [p for p in postcodes() if p.region == region]
        if not self.places:
            raise ValueError(f"unknown region {region!r}; choose one of {', '.join(REGIONS)}")
        self.labels = {t.slug: t.label_nl for t in load_themes()}
        self.codes: set[str] = set()

    # -- schools, people --------------------------------------------------------------

    def schools(self) -> list[SchoolSpec]:
        rng, found = self.rng, []
        spots = rng.sample(self.places, 6)
        for kind, spot in zip(("vmbo", "vmbo", "vmbo", "mbo", "mbo", "mbo"), spots, strict=True):
            code = self._code(lambda: f"{rng.randint(10, 99)}{rng.choice('BCDEGHKLMNPRST')}"
                                      f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXZ')}")
            name = rng.choice(W.SCHOOL_NAMES[kind]).format(place=spot.place)
            found.append(SchoolSpec(code, name, kind, spot.pc4, spot.place))
        return found

    def _code(self, make) -> str:
        while (code := make()) in self.codes:
            pass
        self.codes.add(code)
        return code

    def near(self, pc4: str, count: int = 10) -> str:
        return self.rng.choice(sorted(self.places, key=lambda p: distance_km(pc4, p.pc4) or 0)[
            :count]).pc4

    def _said(self, template: str, a: str, b: str, job: str, sib: str) -> str:
        return template.format(A=a[0].upper() + a[1:], a=a, b=b, job=job, sib=sib)

    def technical_words(self, girl: bool, theme: str, second: str | None,
                        template: str, picks: tuple[int, int, int]) -> tuple[str, str]:
        """(interests, job) in the student's own form; ``picks`` makes twins say the same."""
        words = W.TECHNICAL[theme]
        other = W.TECHNICAL[second] if second else words
        a = words["said"][picks[0] % len(words["said"])]
        b = other["said"][picks[1] % len(other["said"])]
        if a == b:
            b = words["said"][(picks[0] + 1) % len(words["said"])]
        job = words["job"][picks[2] % len(words["job"])][1 if girl else 0]
        return self._said(template, a, b, job, "mijn broer" if girl else "mijn zus"), job

    # -- the cohort -------------------------------------------------------------------

    def build(self) -> Cohort:
        rng = self.rng
        schools = self.schools()
        scouts = tuple((f"{handle}@scouting-{self.region}.example", name)
                       for name, handle in W.SCOUTS)
        counsellors = tuple((f"decaan.{s.code.lower()}@school.example", f"Decaan {s.name}",
                             s.code) for s in schools)
        activities = self.activities(schools)
        girls, boys, lasts = first_names()["girl"], first_names()["boy"], last_names()
        numbers = {s.code: rng.randint(100_000, 800_000) for s in schools}
        stances = ["equal"] * (self.n - self.n // 2) + rng.choices(
            list(LESS), list(LESS.values()), k=self.n // 2)
        rng.shuffle(stances)
        pairs, students, participations, observations = [], [], [], []
        for i, stance in enumerate(stances):
            school = schools[i % len(schools)]
            numbers[school.code] += rng.randint(1, 9)
            girl_no, boy_no = str(numbers[school.code]), str(numbers[school.code] + 1)
            numbers[school.code] += 1
            shared = self.shared(school)
            theme = rng.choices(list(W.TECHNICAL_WEIGHTS), list(W.TECHNICAL_WEIGHTS.values()))[0]
            second = rng.choice([t for t in W.TECHNICAL if t != theme]) \
                if rng.random() < 0.4 else None
            template = rng.choice(W.TEMPLATES)
            picks = (rng.randrange(12), rng.randrange(12), rng.randrange(12))
            boy_text, boy_job = self.technical_words(False, theme, second, template, picks)
            boy_themes = "|".join(t for t in (theme, second) if t)
            dreams = rng.random() < 0.45
            girl_name, boy_name = rng.choice(girls), rng.choice(boys)
            last = rng.choice(lasts)
            if stance == "equal":
                girl_text, girl_job = self.technical_words(True, theme, second, template, picks)
                girl_themes, girl_dream = boy_themes, girl_job if dreams else ""
            else:
                girl_text, girl_themes, girl_dream = self.less(stance, theme)
            for number, first, gender, text, themes, dream in (
                    (girl_no, girl_name, "girl", girl_text, girl_themes, girl_dream),
                    (boy_no, boy_name, "boy", boy_text, boy_themes, boy_job if dreams else "")):
                students.append(self.student(school, shared, number, first, last, gender, text,
                                             themes, dream))
            joined = rng.sample(activities, rng.randint(1, 3))
            for activity in joined:
                participations += [(activity["code"], number, school.code, "ja")
                                   for number in (girl_no, boy_no)]
            strength, scouted, seen = self.observe(joined, school, theme, counsellors, scouts,
                                                   girl_no, boy_no)
            observations += seen
            pairs.append(Pair(school.code, shared["niveau"], girl_no, boy_no, stance, strength,
                              scouted))
        companies, placements, technical = self.placements()
        files = {
            "students": _students_file(students),
            "activities": _csv(("code", "kind", "pillar", "date", "title", "postcode", "themes",
                                "capacity", "region", "host_company_kvk"), activities, ","),
            "participations": _csv(("activiteitcode", "leerlingnummer", "schoolcode",
                                    "aanwezig"), participations, ";"),
            "observations": _csv(("activity_code", "student_number", "school_code", "themes",
                                  "strength", "skills", "note", "observer_email"),
                                 observations, ","),
            "companies": _csv(("kvk", "naam", "sector", "adres", "postcode", "erkend",
                               "erkend voor", "begeleider", "vrouwelijk rolmodel", "regio"),
                              companies, ";"),
            "placements": _csv(("company_kvk", "code", "title", "description", "kind",
                                "levels", "capacity", "start", "end", "themes", "status"),
                               placements, ","),
        }
        genders = {(s["schoolcode"], s["leerlingnummer"]):
                   "girl" if s["geslacht"] == "meisje" else "boy" for s in students}
        return Cohort(self.region, REGIONS[self.region], tuple(schools), scouts, counsellors,
                      tuple(pairs), tuple(students), files, frozenset(technical), genders)

    def shared(self, school: SchoolSpec) -> dict:
        """What twins have in common: level, year, class, postcode, travel limit."""
        rng = self.rng
        if school.kind == "vmbo":
            level = rng.choices(["vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl"], [3, 4, 2, 2])[0]
            year, pathway, travel = rng.randint(2, 4), "", rng.choice([10, 15, 15, 20, 25])
            born = self.today.year - 12 - year - rng.randint(0, 1)
        else:
            level = rng.choice(["mbo-2", "mbo-3", "mbo-3", "mbo-4"])
            year, travel = rng.randint(1, 3), rng.choice([15, 20, 25, 30, 40])
            pathway = rng.choices(["bol", "bbl"], [4, 1])[0]
            born = self.today.year - 16 - year - rng.randint(0, 2)
        return {"niveau": level, "leerweg": pathway, "leerjaar": year,
                "klas": f"{year}{rng.choice('ABCD')}", "postcode": self.near(school.postcode),
                "reisafstand": travel, "geboortejaar": born}

    def student(self, school, shared, number, first, last, gender, text, themes, dream) -> dict:
        prefix, _, rest = last.rpartition(" ") if last[:1].islower() else ("", "", last)
        # Schools give pupils an address by their number; a few have one in the file.
        email = (f"{number}@leerling.{school.code.lower()}.example"
                 if self.rng.random() < 0.1 else "")
        return {**shared, "leerlingnummer": number, "voornaam": first, "tussenvoegsel": prefix,
                "achternaam": rest, "schoolcode": school.code, "geslacht": GENDER_CELL[gender],
                "interesses": text, "droombaan": dream, "thema's": themes, "e-mailadres": email}

    def less(self, stance: str, theme: str) -> tuple[str, str, str]:
        """(interests, themes cell, dream job) of a girl who states less technical interest."""
        rng = self.rng
        if stance == "undecided":
            return rng.choice(W.UNDECIDED_SAID), rng.choice(W.UNDECIDED_CELLS), ""
        if stance == "mixed":
            other = W.OTHER[rng.choice(["care", "office", "retail", "hospitality"])]
            a, b = rng.choice(W.TECHNICAL[theme]["said"]), rng.choice(other["said"])
            text = self._said(rng.choice(W.MIXED_TEMPLATES), a, b, "", "mijn broer")
            dream = rng.choice(other["job"])[1] if rng.random() < 0.3 else ""
            return text, f"{theme}|{other['theme']}", dream
        words = W.OTHER[stance]
        job = rng.choice(words["job"])[1]
        a, b = rng.sample(words["said"], 2)
        text = self._said(rng.choice(W.TEMPLATES), a, b, job, "mijn broer")
        return text, words["theme"] or "", job if rng.random() < 0.5 else ""

    def observe(self, joined, school, theme, counsellors, scouts, girl_no, boy_no):
        """The twins' observations (the same for both): strongest strength, scouted, rows."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.25:
            return 0, False, []
        strength = rng.choice((2, 3)) if draw < 0.6 else rng.choice((4, 5, 5))
        seen, scouted = [], False
        for k, activity in enumerate(joined[:rng.choice((1, 1, 2))]):
            shown = theme if rng.random() < 0.8 else rng.choice(list(W.TECHNICAL))
            if activity["kind"] == "technieklokaal":
                observer = next(c[0] for c in counsellors if c[2] == school.code)
            else:
                observer, scouted = rng.choice(scouts)[0], True
            level = strength if k == 0 else max(1, strength - rng.randint(1, 2))
            skills = rng.choice(W.TECHNICAL[shown]["skills"])
            note = rng.choice(W.NOTES)
            for number, pronoun in ((girl_no, "Ze"), (boy_no, "Hij")):
                seen.append((activity["code"], number, school.code, shown, level, skills,
                             note.format(p=pronoun), observer))
        return strength, scouted, seen

    def activities(self, schools: list[SchoolSpec]) -> list[dict]:
        rng, found = self.rng, []
        for n, (kind, pillar, title, themes) in enumerate(W.ACTIVITIES, start=1):
            where = rng.choice(schools)
            day = self.today - timedelta(days=rng.randint(15, 250))
            found.append({"code": f"FC-{day.year}-{n:03d}", "kind": kind, "pillar": pillar,
                          "date": day.isoformat(), "title": title.format(place=where.place),
                          "postcode": where.postcode, "themes": themes, "capacity": "",
                          "region": self.region, "host_company_kvk": ""})
        return found

    def placements(self) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
        rng = self.rng
        total = max(2, round(self.n * PLACEMENTS_PER_PAIR))
        technical = max(1, round(self.n * TECHNICAL_PER_PAIR))
        companies, placements, marked = [], [], set()
        made = 0
        kvks: set[str] = set()
        while made < total:
            is_tech = made < technical
            count = min(rng.randint(1, 4), (technical if is_tech else total) - made)
            kvk = str(rng.randint(10_000_000, 99_999_999))
            while kvk in kvks:
                kvk = str(rng.randint(10_000_000, 99_999_999))
            kvks.add(kvk)
            spot = rng.choice(self.places)
            surname = rng.choice(last_names()).split(" ")[-1]
            if is_tech:
                theme = rng.choices(list(W.TECHNICAL_WEIGHTS),
                                    list(W.TECHNICAL_WEIGHTS.values()))[0]
                sector, offers = self.labels[theme], W.TECHNICAL[theme]["placements"]
                name = f"{surname} {sector} B.V."
            else:
                theme, sector, word, offers = rng.choice(W.OTHER_PLACEMENTS)
                name = f"{word} {rng.choice([spot.place, surname])}"
            mbo = rng.random() < 0.55
            street = rng.choice(["Industrieweg", "Havenstraat", "Dorpsstraat", "Nijverheidsweg"])
            companies.append({"kvk": kvk, "naam": name, "sector": sector,
                              "adres": f"{street} {rng.randint(1, 120)}", "postcode": spot.pc4,
                              "erkend": "ja" if mbo else "nee",
                              "erkend voor": "stage|leerbaan" if mbo else "",
                              "begeleider": rng.choice(["ja", "nee"]),
                              "vrouwelijk rolmodel": "ja" if rng.random() < 0.25 else "nee",
                              "regio": self.region})
            for j in range(count):
                title, text = rng.choice(offers)
                kind = rng.choices(["stage", "leerbaan"], [7, 3])[0] if mbo else "snuffelstage"
                start = self.today + timedelta(days=rng.randint(21, 150))
                length = {"snuffelstage": timedelta(days=rng.randint(0, 4)),
                          "stage": timedelta(weeks=rng.randint(10, 20)),
                          "leerbaan": timedelta(weeks=52)}[kind]
                prefix = {"snuffelstage": "Snuffelstage", "stage": "BOL-stage",
                          "leerbaan": "Leerbaan"}[kind]
                code = f"{prefix[:3].upper()}-{j + 1:02d}"
                placements.append({
                    "company_kvk": kvk, "code": code,
                    "title": f"{prefix} {title[0].lower()}{title[1:]}", "description": text,
                    "kind": kind, "levels": "mbo 2-4" if mbo else "vmbo",
                    "capacity": rng.choices([1, 2, 3, 4], [4, 3, 2, 1])[0],
                    "start": start.isoformat(), "end": (start + length).isoformat(),
                    "themes": theme, "status": "open"})
                if is_tech:
                    marked.add((kvk, code))
            made += count
        return companies, placements, marked


def build_cohort(*, pairs: int = 300, seed: int = 2026, region: str = "noord-holland-noord",
                 today: date | None = None) -> Cohort:
    """The twin cohort of ``pairs`` girl/boy pairs in ``region``; the same arguments give the
    same cohort."""
    if pairs < 1:
        raise ValueError("a cohort needs at least one pair")
    return _Builder(pairs, seed, region, today or date.today()).build()
