"""The columns of the files a new region starts from: its regions and its schools."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .column_spec import Column, column

REGION_COLUMNS: tuple[Column, ...] = (
    column("name", "naam", "regionaam", "region name", "naam regio",
           help=_l("The name of the region, e.g. Liemers. A region of that name (or, when "
                   "the file gives a slug, of that slug) is updated.")),
    column("slug", "slug", "korte naam", "short name", "code", "regiocode", "region code",
           required=False, may_be_empty=True,
           help=_l("Optional: the short name used on the command line and in files, in "
                   "lower-case letters, digits and dashes (e.g. noord-holland-noord). Empty: "
                   "made from the name. The same slug again updates that region.")),
    column("answer_days", "antwoordtermijn", "answer days", "reactietermijn", "werkdagen",
           "antwoordtermijn werkdagen", "working days", required=False, may_be_empty=True,
           help=_l("Optional: the working days a company has to answer a candidate (1 to "
                   "30). Empty keeps what is there (a new region: 10).")),
)
SCHOOL_COLUMNS: tuple[Column, ...] = (
    column("brin", "brin", "brinnummer", "brincode", "brin code", "school_code", "schoolcode",
           "school code",
           help=_l("The school's BRIN code: 2 digits and 2 letters (e.g. 85NR), for a branch "
                   "followed by its 2 digits (85NR01). The same code again updates the "
                   "school; students files name the school by it.")),
    column("name", "naam", "schoolnaam", "school name", "naam school",
           help=_l("The name of the school.")),
    column("kind", "soort", "schoolsoort", "soort school", "onderwijssoort", "type",
           "school type", "school kind",
           help=_l("basisschool, vmbo, havo, vwo, havo/vwo, mbo or hbo (or the English "
                   "primary).")),
    column("levels", "niveaus", "niveau", "level", "onderwijsniveaus", "leerwegen",
           required=False, may_be_empty=True,
           help=_l("Optional: the levels the school teaches, separated by | or ; (e.g. "
                   "vmbo-gl|vmbo-tl|havo). A vmbo, havo or vwo school may combine those "
                   "levels. Empty: a new school teaches every level of its kind (havo or vwo "
                   "alone: that level); an existing one keeps its levels.")),
    column("postcode", "postcode", "postal code", "zip", "zipcode", "pc4",
           help=_l("Where the school is: the 4 digits of a Dutch postcode are enough.")),
    column("place", "plaats", "vestigingsplaats", "woonplaats", "city", "town",
           required=False, may_be_empty=True,
           help=_l("Optional: the place. Empty: the place of the postcode (an existing "
                   "school keeps its place unless its postcode changes).")),
    column("region", "regio", required=False, may_be_empty=True,
           help=_l("The region (its slug or name, e.g. liemers or Liemers). Needed on the "
                   "command line and for an administrator; a coordinator imports the schools "
                   "of their own region.")),
)
REFERENCE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "regions": REGION_COLUMNS,
    "schools": SCHOOL_COLUMNS,
}
REFERENCE_LABELS = {
    "regions": _l("Regions"),
    "schools": _l("Schools"),
}
