"""The columns of each kind of file, by their Dutch and English names.

Headers are matched ignoring case, accents, spaces, underscores, dashes, apostrophes and a
trailing remark in brackets: "Thema's", "themas" and "Themes" are one column, and so are
"Reisafstand (km)" and "travel_km".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .column_spec import Column, header_key
from .column_spec import column as _col
from .problems import Problems
from .reading import other_separator
from .reference_columns import REFERENCE_COLUMNS, REFERENCE_LABELS

HEADER_LINE = 1

THEMES_HELP = _l("Technology themes, separated by ; or | (e.g. robotica; lassen). Dutch or "
                 "English names; small spelling mistakes are forgiven.")
POSTCODE_HELP = _l("A Dutch postcode: the 4 digits are enough (6901 or 6901 AB).")
STUDENT_NUMBER = _col("student_number", "leerlingnummer", "leerlingnr", "llnr", "studentnummer",
                      "studentnr", "student nr", "student id",
                      help=_l("The student's number at their school."))
SCHOOL_CODE_OPTIONAL = _col(
    "school_code", "schoolcode", "brin", "brinnummer", "brincode", "school",
    required=False, may_be_empty=True,
    help=_l("Only needed when the same student number is used at more than one of your "
            "schools: the school's code."))
REGION_HELP = _l("The region (e.g. liemers or Liemers). Needed on the command line and for an "
                 "administrator; a coordinator imports into their own region.")
ACTIVITY_CODE = _col("activity_code", "activiteitcode", "activiteitscode", "activiteit",
                     "activity", "code",
                     help=_l("The code of an existing activity, e.g. TM-2025-00037."))

COLUMNS: dict[str, tuple[Column, ...]] = {
    "students": (
        STUDENT_NUMBER,
        _col("first_name", "voornaam", "roepnaam", "firstname", "given name",
             help=_l("First name.")),
        _col("name_prefix", "tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix",
             required=False, may_be_empty=True,
             help=_l("Optional: 'van', 'de', 'van den' ...; put in front of the last name.")),
        _col("last_name", "achternaam", "familienaam", "lastname", "surname", "family name",
             help=_l("Last name, with its prefix unless there is a separate prefix column.")),
        _col("birth_year", "geboortejaar", "year of birth", "geboorte jaar",
             help=_l("Year of birth, four digits.")),
        _col("school_code", "schoolcode", "brin", "brinnummer", "brincode", "school",
             help=_l("The code of the student's school (as in Talentmatch, e.g. 85NR). A "
                     "counsellor imports students of their own school only.")),
        _col("level", "niveau", "onderwijsniveau", "opleidingsniveau", "schoolniveau",
             help=_l("basisonderwijs, vmbo-bb, vmbo-kb, vmbo-gl, vmbo-tl, havo, vwo, mbo-1 to "
                     "mbo-4 or hbo. 'mbo 3 bbl' gives the pathway too.")),
        _col("pathway", "leerweg", required=False, may_be_empty=True,
             help=_l("Optional: bol or bbl for mbo students, or bb, kb, gl, tl when the level "
                     "column just says vmbo.")),
        _col("year", "leerjaar", "jaar", "studiejaar", "year of study",
             help=_l("Year within the course: 1 to 6 (primary school: group 1 to 8).")),
        _col("class_name", "klas", "class", "klasnaam", required=False, may_be_empty=True,
             help=_l("Optional: the class, e.g. 3B.")),
        _col("postcode", "postcode", "postal code", "zip", "zipcode", "pc4", help=POSTCODE_HELP),
        _col("travel_km", "reisafstand", "travel distance", "max reisafstand",
             "maximale reisafstand", "afstand", "distance",
             help=_l("How far the student will travel, in whole kilometres (0 to 500).")),
        _col("gender", "geslacht", "sekse", "sex", may_be_empty=True,
             help=_l("meisje/girl/v, jongen/boy/m, anders/other/x, or empty (not given). "
                     "Empty keeps what the student gave before.")),
        _col("interests", "interesses", "interesse", "hobbys", may_be_empty=True,
             help=_l("What the student likes, in their own words. Empty keeps what is there.")),
        _col("dream_job", "droombaan", "droomberoep", "dream job", required=False,
             may_be_empty=True,
             help=_l("Optional: the job the student dreams of, in their own words. Empty keeps "
                     "what is there.")),
        _col("themes", "themas", "thema", "theme", may_be_empty=True,
             help=_l("The themes the student is interested in, separated by ; or | (e.g. "
                     "robotica; zorg). 'weet ik nog niet' (undecided) or 'geen' when they do "
                     "not know yet. Empty: none for a new student, and keeps the themes of an "
                     "existing one.")),
        _col("email", "e-mailadres", "e-mail", "emailadres", "mail", required=False,
             may_be_empty=True,
             help=_l("Optional: the student's e-mail address; a new address gets a student "
                     "account.")),
    ),
    "activities": (
        _col("code", "code", "activiteitcode", "activiteitscode", "activity code",
             help=_l("A unique code for the activity, e.g. TM-2025-00037. The same code "
                     "again updates the activity.")),
        _col("kind", "soort", "type", "soort activiteit", "activity type",
             help=_l("Week van de Techniek, talentscouting, technieklokaal, Girlsday, PET, "
                     "bedrijfsbezoek, gastles, fieldlab or anders (or the English names).")),
        _col("pillar", "pijler",
             help=_l("kiezen, leren, werken or innoveren (choosing, learning, working, "
                     "innovating).")),
        _col("date", "datum", "startdatum", "begindatum", "start date",
             help=_l("The (first) day: 2025-10-07, 7-10-2025 or 07/10/2025.")),
        _col("end_date", "einddatum", "end date", required=False, may_be_empty=True,
             help=_l("Optional: the last day, for an activity of more than one day.")),
        _col("title", "titel", "naam", "name", help=_l("The name of the activity.")),
        _col("description", "omschrijving", "beschrijving", required=False, may_be_empty=True,
             help=_l("Optional: a description.")),
        _col("postcode", "postcode", "postal code", "zip", "zipcode", "pc4",
             help=_l("Where it takes place: the 4 digits of the postcode are enough.")),
        _col("host_company_kvk", "kvk", "kvknummer", "kvk nummer", "host company kvk",
             "gastbedrijf kvk", "bedrijf kvk", "company kvk", may_be_empty=True,
             help=_l("The KvK number (8 digits) of the host company, if a company hosts it. "
                     "The company must be in Talentmatch.")),
        _col("themes", "themas", "thema", "theme", may_be_empty=True, help=THEMES_HELP),
        _col("capacity", "capaciteit", "plaatsen", "aantal plaatsen", "max deelnemers",
             "maximum aantal deelnemers", may_be_empty=True,
             help=_l("How many students can take part (1 or more); empty for no limit.")),
        _col("region", "regio", required=False, may_be_empty=True,
             help=_l("The region (e.g. liemers or Liemers). Needed for an administrator; "
                     "counsellors and coordinators import into their own region.")),
        _col("school_code", "schoolcode", "brin", "brinnummer", "brincode", "school",
             required=False, may_be_empty=True,
             help=_l("Optional: the code of the school that organises it (a counsellor's own "
                     "school by default).")),
    ),
    "participations": (
        ACTIVITY_CODE,
        STUDENT_NUMBER,
        SCHOOL_CODE_OPTIONAL,
        _col("attended", "aanwezig", "aanwezigheid", "attendance", "present", required=False,
             may_be_empty=True,
             help=_l("Optional: did the student attend? ja or nee (yes or no, 1 or 0). Only "
                     "once the activity has begun; for a later one leave it empty. Empty: a "
                     "new participation counts as attended when the activity has begun and as "
                     "registered when it lies ahead; an existing one keeps its attendance.")),
    ),
    "observations": (
        ACTIVITY_CODE,
        STUDENT_NUMBER,
        SCHOOL_CODE_OPTIONAL,
        _col("themes", "themas", "thema", "theme", may_be_empty=True, help=THEMES_HELP),
        _col("strength", "sterkte", "score",
             help=_l("How strong the talent showed: a whole number from 1 to 5.")),
        _col("note", "notitie", "opmerking", "opmerkingen", "toelichting", "notes", "comment",
             may_be_empty=True, help=_l("What the observer saw, in a few sentences.")),
        _col("skills", "vaardigheden", "vaardigheid", required=False, may_be_empty=True,
             help=_l("Optional: skills in a few words, e.g. 'heel precies bij het solderen'.")),
        _col("observer_email", "observator", "observer", "e-mail observator", "waarnemer",
             "scout", "e-mail scout",
             help=_l("The e-mail address of the account of who observed it; they must be "
                     "allowed to observe at the activity.")),
        _col("date", "datum", "observed on", "datum observatie", required=False,
             may_be_empty=True,
             help=_l("Optional: the day of the observation; the activity's date by default.")),
    ),
    "companies": (
        _col("kvk", "kvk", "kvknummer", "kvk nummer", "kvk number", "chamber of commerce",
             help=_l("The company's KvK number: 8 digits. The same number again updates the "
                     "company.")),
        _col("name", "naam", "bedrijfsnaam", "company name", "handelsnaam", "trade name",
             help=_l("The name of the company.")),
        _col("sector", "sector", "branche", "industry",
             help=_l("The sector, in a few words, e.g. installatietechniek.")),
        _col("address", "adres", "straat", "street", "bezoekadres", "street address",
             required=False, may_be_empty=True,
             help=_l("Optional: street and number. Empty keeps what is there.")),
        _col("postcode", "postcode", "postal code", "zip", "zipcode", "pc4",
             help=_l("Where the company is: the 4 digits of the postcode are enough.")),
        _col("website", "website", "webadres", "url", "web address", "site",
             required=False, may_be_empty=True,
             help=_l("Optional: e.g. www.example.nl. Empty keeps what is there.")),
        _col("recognised", "erkend", "erkend leerbedrijf", "recognized", "sbb erkend",
             "erkenning", required=False, may_be_empty=True,
             help=_l("Optional: is it a recognised training company (erkend leerbedrijf)? "
                     "ja or nee (yes or no, 1 or 0, waar or onwaar). Empty keeps what is there "
                     "(a new company: no).")),
        _col("recognised_for", "erkend voor", "erkenning voor", "recognized for",
             required=False, may_be_empty=True,
             help=_l("Optional: the kinds of placement it is recognised for, separated by | "
                     "or ; (e.g. stage|leerbaan). Only for a recognised company. Empty keeps "
                     "what is there.")),
        _col("offers_mentor", "begeleider", "praktijkbegeleider", "leermeester", "mentor",
             "biedt begeleider", "offers mentor", required=False, may_be_empty=True,
             help=_l("Optional: does a mentor guide students at work? ja or nee. Empty keeps "
                     "what is there (a new company: no).")),
        _col("female_role_model", "vrouwelijk rolmodel", "rolmodel", "role model",
             required=False, may_be_empty=True,
             help=_l("Optional: does a woman in technology show students around? ja or nee. "
                     "Empty keeps what is there (a new company: no).")),
        _col("accessibility_notes", "toegankelijkheid", "bereikbaarheid", "accessibility",
             required=False, may_be_empty=True,
             help=_l("Optional: what students should know about access (wheelchair, public "
                     "transport ...). Empty keeps what is there.")),
        _col("region", "regio", required=False, may_be_empty=True, help=REGION_HELP),
        _col("contact_email", "e-mail contactpersoon", "contactpersoon e-mail",
             "e-mailadres contactpersoon", "contact e-mail", required=False, may_be_empty=True,
             help=_l("Optional: the e-mail address of a contact person who may act for the "
                     "company. A new address gets a company account.")),
        _col("contact_name", "contactpersoon", "naam contactpersoon", "contact",
             required=False, may_be_empty=True,
             help=_l("Optional: the contact person's name; needed when their address has no "
                     "account yet.")),
    ),
    "placements": (
        _col("company_kvk", "kvk", "kvknummer", "kvk nummer", "bedrijf kvk", "kvk bedrijf",
             "company kvk",
             help=_l("The KvK number of the company that offers the placement; import the "
                     "companies first.")),
        _col("code", "code", "plaatscode", "vacaturecode", "stagecode", "placement code",
             "referentie", "reference",
             help=_l("The company's own code for the placement, e.g. BOL-001. The same company "
                     "and code again updates the placement.")),
        _col("title", "titel", "naam", "name", "functie",
             help=_l("The title of the placement.")),
        _col("description", "omschrijving", "beschrijving", may_be_empty=True,
             help=_l("What the placement is about; may span lines.")),
        _col("kind", "soort", "type", "soort plek", "soort stage", "placement type",
             help=_l("snuffelstage (job shadowing), stage or BOL-stage (internship), leerbaan "
                     "or BBL (apprenticeship), hbo-stage, afstudeeropdracht (graduation "
                     "project) or fieldlab.")),
        _col("levels", "niveaus", "niveau", "level", "onderwijsniveau", "opleidingsniveau",
             help=_l("The levels it is for, separated by | or ; (e.g. vmbo-kb|vmbo-gl or mbo "
                     "2-4). They must fit the kind: a snuffelstage is for vmbo, havo and vwo, "
                     "a stage or leerbaan for mbo, an hbo-stage or afstudeeropdracht for hbo, "
                     "a fieldlab for mbo and hbo.")),
        _col("postcode", "postcode", "postal code", "zip", "zipcode", "pc4", required=False,
             may_be_empty=True,
             help=_l("Optional: where the work is, if not at the company's postcode.")),
        _col("capacity", "capaciteit", "plaatsen", "aantal plaatsen", "places",
             help=_l("How many students it takes (1 or more); not less than the places "
                     "already reserved.")),
        _col("start", "startdatum", "begindatum", "start date", "vanaf", may_be_empty=True,
             help=_l("The first day; empty when it is not fixed yet.")),
        _col("end", "einddatum", "end date", "tot en met", may_be_empty=True,
             help=_l("The last day; not before the first day. Empty when it is not fixed "
                     "yet.")),
        _col("themes", "themas", "thema", "theme", help=THEMES_HELP),
        _col("status", "status", "state", required=False, may_be_empty=True,
             help=_l("Optional: open, gepauzeerd or gesloten (open, paused, closed). A new "
                     "placement is a draft (concept) unless this says otherwise; empty keeps "
                     "the status.")),
        _col("days_per_week", "dagen per week", "dagen", "days", "days a week",
             required=False, may_be_empty=True,
             help=_l("Optional: days a week, 1 to 5.")),
        _col("hours_per_week", "uren per week", "uren", "uur per week", "hours",
             "hours a week", "werkuren", required=False, may_be_empty=True,
             help=_l("Optional: hours a week, 1 to 40; at most 10 hours a day of the days per "
                     "week.")),
        _col("allowance", "vergoeding", "stagevergoeding", "salaris", "pay", required=False,
             may_be_empty=True, help=_l("Optional: e.g. € 300 per maand.")),
        _col("deadline", "reageren voor", "sluitingsdatum", "uiterste reactiedatum",
             "application deadline", required=False, may_be_empty=True,
             help=_l("Optional: the last day to apply; not after the last day of the "
                     "placement.")),
        _col("learn_and_do", "leren en doen", "wat leer en doe je", "learn and do",
             required=False, may_be_empty=True,
             help=_l("Optional: what the student learns and does; may span lines.")),
        _col("occupation", "beroep", "esco", "esco code", "esco beroep", "beroepscode",
             "occupation code", required=False, may_be_empty=True,
             help=_l("Optional: the ESCO occupation of the work, when the title does not say "
                     "it clearly: its code (e.g. 7212.3) or its Dutch name as ESCO writes it "
                     "(e.g. lasser); geen when no occupation fits. It is kept when the title "
                     "changes later. Empty: Talentmatch finds it in the title, and keeps an "
                     "occupation chosen before.")),
    ),
}
# Regions and schools first: the order in which a new region imports its files.
COLUMNS = {**REFERENCE_COLUMNS, **COLUMNS}
KINDS: tuple[str, ...] = tuple(COLUMNS)
KIND_LABELS = {
    **REFERENCE_LABELS,
    "students": _l("Students"),
    "activities": _l("Activities"),
    "participations": _l("Participations"),
    "observations": _l("Talent observations"),
    "companies": _l("Companies"),
    "placements": _l("Placements"),
}

_LOOKUP: dict[str, dict[str, Column]] = {
    kind: {header_key(name): column for column in columns for name in column.names}
    for kind, columns in COLUMNS.items()
}


@dataclass(frozen=True)
class ColumnMap:
    """Where each known column is in the file, and its header as written there."""

    index: dict[str, int]
    header: dict[str, str]
    ignored: tuple[str, ...]

    def has(self, key: str) -> bool:
        return key in self.index

    def order(self) -> dict[str, int]:
        """Position of each header in the file, to sort problems left to right."""
        return {self.header[key]: position for key, position in self.index.items()}


def _quoted(names) -> str:
    return ", ".join(f"'{name}'" for name in names)


def map_columns(kind: str, header: tuple[str, ...], problems: Problems) -> ColumnMap | None:
    """The file's columns for ``kind``; None (with one clear problem) when some are missing."""
    lookup = _LOOKUP[kind]
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    ignored: list[str] = []
    for position, text in enumerate(header):
        if not text:
            continue
        column = lookup.get(header_key(text))
        if column is None:
            ignored.append(text)
        elif column.key in index:
            problems.add(HEADER_LINE, text, _(
                "The columns '%(first)s' and '%(second)s' are the same column; keep one of them.",
                first=shown[column.key], second=text))
        else:
            index[column.key] = position
            shown[column.key] = text
    found = [text for text in header if text]
    if len(found) == 1 and (separator := other_separator(found[0])):
        problems.add(HEADER_LINE, None, _(
            "The header has only one column, '%(header)s': the file seems to use %(separator)s "
            "as separator. Save it as CSV with commas or semicolons between the columns.",
            header=found[0][:80], separator=separator))
        return None
    missing = [c for c in COLUMNS[kind] if c.required and c.key not in index]
    if missing:
        message = ngettext(
            "The column %(columns)s is missing. The file has the columns: %(found)s.",
            "The columns %(columns)s are missing. The file has the columns: %(found)s.",
            len(missing), columns=", ".join(c.label for c in missing),
            found=_quoted(found) or "—")
        if hint := other_kind(kind, header):
            message += " " + _("It looks like a file of %(kind)s: choose that kind.",
                               kind=str(KIND_LABELS[hint]).lower())
        problems.add(HEADER_LINE, None, message)
        return None
    if problems:
        return None
    return ColumnMap(index, shown, tuple(ignored))


def other_kind(kind: str, header: tuple[str, ...]) -> str | None:
    """The kind the file looks like: every column it needs is there, and of such kinds the
    one that knows most of the file's columns. A single known column (naam) is no sign."""
    keys = {header_key(text) for text in header if text}

    def known(column: Column) -> bool:
        return any(header_key(name) in keys for name in column.names)

    fitting = [(sum(known(c) for c in columns), other) for other, columns in COLUMNS.items()
               if other != kind and all(known(c) for c in columns if c.required)]
    best = max(fitting, default=None, key=lambda pair: pair[0])
    return best[1] if best is not None and best[0] > 1 else None
