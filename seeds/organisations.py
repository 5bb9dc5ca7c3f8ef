"""Regions, schools and companies, and the staff who act for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from app.models import Company, CompanyContact, Region, Role, School, SchoolKind
from app.models.organisations import levels_of_kind

from .context import SEEDED_AT, Build, slugify
from .demo import DEMO_EMAIL
from .places import REGIONS
from .refdata import Postcode, words
from .sampling import apportion, spread

# Share of schools per kind: many primary schools, few mbo and hbo colleges.
SCHOOL_KIND_SHARE = {
    SchoolKind.primary: 0.40,
    SchoolKind.vmbo: 0.25,
    SchoolKind.havo_vwo: 0.10,
    SchoolKind.mbo: 0.15,
    SchoolKind.hbo: 0.10,
}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(slots=True)
class RegionInfo:
    id: int
    slug: str
    name: str
    weight: float
    coordinator: dict = field(default_factory=dict)
    # Talent scouts (observer accounts) who watch pupils at the region's scouting activities.
    scouts: list[dict] = field(default_factory=list)


@dataclass(slots=True)
class SchoolInfo:
    id: int
    code: str
    kind: SchoolKind
    region: RegionInfo
    postcode: Postcode
    # Primary schools have no counsellor; their pupils are followed by the region's coordinator.
    counsellor: dict | None = None

    @property
    def staff_id(self) -> int:
        """The user who registers this school's pupils for activities and observes them."""
        return (self.counsellor or self.region.coordinator)["id"]


@dataclass(slots=True)
class CompanyInfo:
    id: int
    name: str
    region: RegionInfo
    sector: str
    theme_slugs: tuple[str, ...]
    postcode: Postcode
    recognised_for: tuple[str, ...]
    female_role_model: bool
    # Relative size: bigger companies post more placements.
    size: float
    contacts: list[dict] = field(default_factory=list)


def _unique(name: str, place: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} ({place})" if n == 2 else f"{name} ({place} {n - 1})"
    used.add(candidate)
    return candidate


def _unique_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        candidate = f"{slug}-{n}"
    used.add(candidate)
    return candidate


def add_regions(build: Build) -> list[RegionInfo]:
    regions = []
    for region in REGIONS:
        row = build.rows.add(Region, slug=region.slug, name=region.name, answer_days=10)
        regions.append(RegionInfo(row["id"], region.slug, region.name, region.weight))
    return regions


def add_schools(build: Build, regions: list[RegionInfo], total: int) -> list[SchoolInfo]:
    rng, names = build.rng, words("organisations")["school_names"]
    codes = rng.sample(range(100 * len(_LETTERS) ** 2), total)
    used: set[str] = set()
    schools: list[SchoolInfo] = []
    weights = [r.weight for r in regions]
    kind_counts = apportion(total, list(SCHOOL_KIND_SHARE.values()))
    for kind, kind_count in zip(SCHOOL_KIND_SHARE, kind_counts, strict=True):
        for region, count in zip(regions, spread(kind_count, weights), strict=True):
            for _ in range(count):
                digits, letters = divmod(codes[len(schools)], len(_LETTERS) ** 2)
                code = f"{digits:02d}{_LETTERS[letters // 26]}{_LETTERS[letters % 26]}"
                pc = build.atlas.pick(rng, region.slug, town=kind is not SchoolKind.primary)
                name = rng.choice(names[kind.value]).format(place=pc.place, region=region.name)
                row = build.rows.add(
                    School, code=code, name=_unique(name, pc.place, used), kind=kind,
                    postcode=pc.pc4, place=pc.place, region_id=region.id,
                    levels=levels_of_kind(kind),
                )
                schools.append(SchoolInfo(row["id"], code, kind, region, pc))
    return schools


def add_staff(build: Build, regions: list[RegionInfo], schools: list[SchoolInfo]) -> None:
    """A coordinator and two talent scouts per region, a counsellor per school above
    primary, and one admin."""
    for region in regions:
        region.coordinator = build.user(
            Role.coordinator, f"coordinator.{region.slug}@talentmatch.example",
            " ".join(build.person()), region_id=region.id,
        )
        region.scouts = [
            build.user(Role.observer, f"scout{n}.{region.slug}@talentmatch.example",
                       " ".join(build.person()), region_id=region.id)
            for n in (1, 2)
        ]
    for school in schools:
        if school.kind is not SchoolKind.primary:
            school.counsellor = build.user(
                Role.counsellor, f"decaan.{school.code.lower()}@scholen.talentmatch.example",
                " ".join(build.person()), school_id=school.id,
            )
    build.user(Role.admin, DEMO_EMAIL[Role.admin], "Beheerder Talentmatch")


def add_companies(build: Build, regions: list[RegionInfo], total: int) -> list[CompanyInfo]:
    rng, vocab = build.rng, words("organisations")
    sectors = vocab["sectors"]
    kvks = rng.sample(range(10_000_000, 100_000_000), total)
    used_names: set[str] = set()
    used_domains: set[str] = set()
    companies: list[CompanyInfo] = []
    for region, count in zip(regions, spread(total, [r.weight for r in regions]), strict=True):
        weights = [s["weight"] * s.get("regions", {}).get(region.slug, 1)
                   for s in sectors.values()]
        for _ in range(count):
            sector = rng.choices(list(sectors), weights)[0]
            pc = build.atlas.pick(rng, region.slug)
            surname = build.person()[1]
            name = rng.choice(vocab["company_names"]).format(
                surname=surname[0].upper() + surname[1:],
                word=rng.choice(sectors[sector]["words"]), place=pc.place,
            )
            name = _unique(name, pc.place, used_names)
            domain = _unique_slug(slugify(name.removesuffix(" B.V.")), used_domains)
            recognised = rng.random() < (0.6 if sector == "ict" else 0.85)
            recognised_for = (["bol_internship"]
                              + (["bbl_apprenticeship"] if rng.random() < 0.65 else [])
                              if recognised else [])
            role_model = rng.random() < 0.3
            row = build.rows.add(
                Company, name=name, kvk=f"{kvks[len(companies)]:08d}", sector=sector,
                address=f"{rng.choice(vocab['streets'])} {rng.randint(1, 120)}",
                postcode=pc.pc4, place=pc.place, region_id=region.id,
                website=f"https://www.{domain}.example", recognised=recognised,
                recognised_for=recognised_for, offers_mentor=rng.random() < 0.7,
                female_role_model=role_model,
                accessibility_notes=(rng.choice(vocab["accessibility_notes"])
                                     if rng.random() < 0.15 else ""),
                created_at=SEEDED_AT - timedelta(days=rng.randint(0, 365)),
            )
            company = CompanyInfo(
                row["id"], name, region, sector, tuple(sectors[sector]["themes"]), pc,
                tuple(recognised_for), role_model, rng.lognormvariate(0, 0.8),
            )
            _add_contacts(build, company, domain, vocab["contact_job_titles"])
            companies.append(company)
    return companies


def _add_contacts(build: Build, company: CompanyInfo, domain: str, titles: list[str]) -> None:
    rng = build.rng
    used: set[str] = set()
    for _ in range(1 if rng.random() < 0.6 else 2):
        first, last = build.person()
        local = _unique_slug(f"{slugify(first)}.{slugify(last).replace('-', '')}", used)
        user = build.user(Role.company, f"{local}@{domain}.example", f"{first} {last}")
        build.rows.add(CompanyContact, company_id=company.id, user_id=user["id"], can_act=True,
                       job_title=rng.choice(titles))
        company.contacts.append(user)
