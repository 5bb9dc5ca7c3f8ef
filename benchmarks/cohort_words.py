"""What the students, observers and companies of the fairness cohort write (invented, Dutch).

Written for the benchmark alone, apart from the demo data's vocabulary (``seeds/reference``) and
from anything the tests assert on: the benchmark measures behaviour on text it was not tuned on.
Job titles come as (male or generic, female) pairs: a girl names the job in her own form.
"""

from __future__ import annotations

# Per technical theme: what a student says, the job they name (his form, her form), what an
# observer notes as the skill, and placements a company offers (title, what you do).
TECHNICAL: dict[str, dict] = {
    "elektrotechniek": {
        "said": ["kleine schakelingen solderen", "uitzoeken hoe stroom werkt",
                 "lampjes en schakelaars aansluiten", "een alarm bouwen met een sensor"],
        "job": [("elektromonteur", "elektromonteuse"), ("elektricien", "elektricien")],
        "skills": ["heel precies bij het solderen", "vond zelf de kortsluiting in de schakeling",
                   "las het schema zonder hulp"],
        "placements": [
            ("Monteur elektrotechniek", "Je legt mee kabels aan en test groepenkasten."),
            ("Elektrotechnisch installateur", "Meewerken aan installaties in nieuwbouw.")],
    },
    "installatietechniek": {
        "said": ["de cv-ketel nakijken met mijn vader", "uitzoeken hoe een warmtepomp werkt",
                 "leidingen leggen en dingen aansluiten"],
        "job": [("installateur", "installatrice"), ("loodgieter", "loodgieter")],
        "skills": ["sloot de leidingen netjes en lekvrij aan", "werkte rustig en veilig"],
        "placements": [("Servicemonteur warmtepompen", "Onderhoud en storingen bij klanten thuis."),
                       ("Monteur installatietechniek", "Je installeert cv-ketels en ventilatie.")],
    },
    "motorvoertuigen": {
        "said": ["sleutelen aan brommers", "fietsen en scooters repareren",
                 "alles over motoren leren"],
        "job": [("automonteur", "automonteuse"), ("motorfietstechnicus", "motorfietstechnica")],
        "skills": ["vond de fout in de brommer zelf", "ziet snel hoe een motor in elkaar zit"],
        "placements": [("Automonteur", "Onderhoud en APK-keuringen in onze werkplaats."),
                       ("Monteur bedrijfswagens", "Je werkt aan bestelbussen en vrachtwagens.")],
    },
    "bouw": {
        "said": ["timmeren", "iets bouwen met hout", "meehelpen als er een huis gebouwd wordt"],
        "job": [("timmerman", "timmervrouw"), ("metselaar", "metselaarster")],
        "skills": ["zaagde alles haaks en op maat", "bouwde het vogelhuisje als eerste af"],
        "placements": [("Timmerman nieuwbouw", "Meebouwen aan woningen in de wijk."),
                       ("Medewerker bouw en onderhoud", "Kozijnen en deuren plaatsen.")],
    },
    "werktuigbouw-metaal": {
        "said": ["metaal bewerken in de werkplaats", "machines uit elkaar halen"],
        "job": [("metaalbewerker", "metaalbewerkster"),
                ("constructiewerker", "constructiewerkster")],
        "skills": ["werkte netjes op de draaibank", "meet twee keer en zaagt dan pas"],
        "placements": [("Metaalbewerker", "Plaatwerk zetten en onderdelen afwerken."),
                       ("Constructiewerker", "Staalconstructies in elkaar zetten.")],
    },
    "lassen": {
        "said": ["lassen in de werkplaats", "lassen bij mijn oom in de schuur"],
        "job": [("lasser", "lasster")],
        "skills": ["las een strakke naad", "hield de brander heel rustig"],
        "placements": [("Lasser", "MIG/MAG-lassen aan frames en hekwerk."),
                       ("Constructielasser", "Lassen in de staalbouw.")],
    },
    "ict-programmeren": {
        "said": ["programmeren en games maken", "websites bouwen", "computers in elkaar zetten"],
        "job": [("programmeur", "programmeuse"), ("systeembeheerder", "systeembeheerster")],
        "skills": ["programmeerde de lichtkrant in een uur", "zag meteen waar de code vastliep"],
        "placements": [("Medewerker ICT-support", "Laptops inrichten en gebruikers helpen."),
                       ("Junior developer", "Meebouwen aan een app voor klanten.")],
    },
    "robotica": {
        "said": ["robots bouwen met lego", "een robotje programmeren"],
        "job": [("robottechnicus", "robottechnica")],
        "skills": ["liet de robot als eerste de lijn volgen",
                   "nam de leiding bij de robotuitdaging"],
        "placements": [("Monteur robotcellen", "Robots afstellen in de productiehal.")],
    },
    "mechatronica": {
        "said": ["machines laten bewegen en meten", "uitzoeken hoe een machine slim wordt"],
        "job": [("monteur mechatronica", "monteuse mechatronica")],
        "skills": ["begreep snel hoe sensor en motor samenwerken"],
        "placements": [("Monteur mechatronica", "Storingen zoeken aan verpakkingsmachines.")],
    },
    "duurzame-energie": {
        "said": ["zonnepanelen en windmolens bekijken", "met techniek iets doen voor het klimaat"],
        "job": [("zonnepaneelmonteur", "zonnepaneelmonteuse")],
        "skills": ["sloot de zonnepanelen goed aan op de omvormer",
                   "rekende uit hoeveel stroom het paneel gaf"],
        "placements": [("Monteur zonnepanelen", "Zonnepanelen plaatsen op daken in de regio.")],
    },
    "media-vormgeving": {
        "said": ["filmpjes monteren", "posters ontwerpen op de computer"],
        "job": [("grafisch vormgever", "grafisch vormgeefster")],
        "skills": ["maakte een strakke poster in Photoshop", "monteerde het filmpje heel netjes"],
        "placements": [("Medewerker grafisch ontwerp", "Drukwerk en social-mediaposts maken.")],
    },
    "3d-printen": {
        "said": ["3D-printen en ontwerpen", "onderdelen voor mijn drone printen"],
        "job": [("ontwerper", "ontwerpster")],
        "skills": ["tekende het onderdeel in 3D en printte het goed uit"],
        "placements": [("Medewerker 3D-printen", "Prototypes ontwerpen en printen.")],
    },
    "maritiem": {
        "said": ["schepen bekijken in de haven", "op een schip werken"],
        "job": [("scheepsbouwer", "scheepsbouwster")],
        "skills": ["wist hoe de scheepsmotor gekoeld wordt"],
        "placements": [("Medewerker scheepsbouw", "Meewerken op de werf aan kotters.")],
    },
}
TECHNICAL_WEIGHTS = {"elektrotechniek": 5, "installatietechniek": 4, "motorvoertuigen": 4,
                     "bouw": 4, "werktuigbouw-metaal": 3, "lassen": 2, "ict-programmeren": 4,
                     "robotica": 2, "mechatronica": 2, "duurzame-energie": 2,
                     "media-vormgeving": 2, "3d-printen": 1, "maritiem": 1}

# What a student says who is drawn to something else, and its theme (None: no theme).
OTHER: dict[str, dict] = {
    "care": {
        "theme": "zorg",
        "said": ["mensen helpen in de zorg", "op kleine kinderen passen", "met ouderen werken"],
        "job": [("verpleegkundige", "verpleegkundige"), ("verzorgende", "verzorgster"),
                ("kraamverzorgende", "kraamverzorgster")],
    },
    "office": {
        "theme": "kantoor-administratie",
        "said": ["op een kantoor werken", "de administratie bijhouden",
                 "alles netjes plannen en regelen"],
        "job": [("secretaris", "secretaresse"),
                ("administratief medewerker", "administratief medewerkster")],
    },
    "creative": {
        "theme": None,
        "said": ["tekenen en mijn eigen kleding maken", "muziek maken en dansen",
                 "make-up en nagels doen"],
        "job": [("kapper", "kapster"), ("visagist", "visagiste")],
    },
    "retail": {
        "theme": "handel",
        "said": ["in een winkel werken", "later een eigen zaak beginnen"],
        "job": [("verkoper", "verkoopster")],
    },
    "hospitality": {
        "theme": "horeca",
        "said": ["koken en bakken", "in een restaurant werken"],
        "job": [("kok", "kokkin")],
    },
}
UNDECIDED_SAID = ["Ik weet nog niet wat ik later wil.", "Geen idee eigenlijk.",
                  "Iets met mijn handen misschien, ik weet het nog niet.", ""]
UNDECIDED_CELLS = ["weet ik nog niet", "", "geen", "Weet ik nog niet"]

# Sentences a student writes; {a} and {b} are things they like, {job} a job in their own form,
# {sib} their twin ("mijn broer" for a girl, "mijn zus" for a boy).
TEMPLATES = [
    "{A} en {b}. Later wil ik {job} worden.",
    "Ik vind {a} leuk, net als {sib}.",
    "{A}. Mijn droom is om {job} te worden.",
    "Met {sib} ga ik vaak {a}. Ook {b} vind ik tof.",
    "{A}, dat doe ik het liefst.",
]
MIXED_TEMPLATES = [
    "Ik vind {a} leuk, maar ook {b}.",
    "{A}. Maar {b} lijkt me ook wat, ik twijfel nog.",
]

# Observers' notes; {p} is the student's pronoun (Ze/Hij).
NOTES = ["{p} werkte geconcentreerd en hielp daarna een klasgenoot.",
         "{p} stelde goede vragen aan de monteur.", "{p} bleef doorgaan tot het werkte.",
         "{p} legde de opdracht uit aan de rest van de groep.", ""]

# Placements of companies outside technology: (theme, sector, company words, titles).
OTHER_PLACEMENTS = [
    ("zorg", "zorg", "Zorggroep", [
        ("Helpende zorg en welzijn", "Bewoners helpen bij de dagelijkse zorg."),
        ("Medewerker kinderopvang", "Spelen en begeleiden op de groep.")]),
    ("kantoor-administratie", "zakelijke dienstverlening", "Administratiekantoor", [
        ("Administratief medewerker", "Facturen verwerken en de post afhandelen."),
        ("Medewerker receptie", "Gasten ontvangen en de telefoon aannemen."),
        ("Medewerker secretariaat", "Agenda's bijhouden en vergaderingen plannen.")]),
    ("handel", "detailhandel", "Winkelcentrum", [
        ("Verkoopmedewerker", "Klanten helpen en de winkel bijvullen.")]),
    ("horeca", "horeca", "Restaurant", [
        ("Medewerker keuken", "Meehelpen in de keuken van ons restaurant.")]),
]

SCHOOL_NAMES = {"vmbo": ["Vakcollege {place}", "Scholengemeenschap {place}",
                         "Techniek- en Zorgcollege {place}"],
                "mbo": ["ROC {place}", "Vakschool {place}", "Technisch College {place}"]}
SCOUTS = [("Ruud Bakker", "r.bakker"), ("Samira Ouali", "s.ouali"), ("Kees Dekker", "k.dekker")]
ACTIVITIES = [  # kind, pillar, title, themes
    ("Week van de Techniek", "kiezen", "Week van de Techniek {place}", "robotica|elektrotechniek"),
    ("technieklokaal", "leren", "Technieklokaal: solderen en schakelen", "elektrotechniek"),
    ("technieklokaal", "leren", "Technieklokaal: bouwen en timmeren", "bouw"),
    ("talentscouting", "kiezen", "Talentscouting in de werkplaats", "werktuigbouw-metaal|lassen"),
    ("talentscouting", "kiezen", "Talentscouting: motoren en installaties",
     "motorvoertuigen|installatietechniek"),
    ("Week van de Techniek", "kiezen", "Open bedrijvendag {place}", "installatietechniek"),
]
