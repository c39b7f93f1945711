"""A deterministic generator of demo organisations for a realistic county. Pure Python.

Everything it makes is invented and is stored with is_demo=True. The same seed gives the same
organisations, in the same order, on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from .orgnr import complete

# Share of each legal form among the county's civil-society organisations (rough, after SCB's
# satellite accounts: most are ideella föreningar, then housing co-operatives and foundations).
LEGAL_FORM_WEIGHTS = {
    "61": 60,
    "53": 10,
    "72": 9,
    "51": 7,
    "62": 5,
    "63": 3,
    "49": 2,
    "71": 1,
    "54": 1,
    "92": 0.5,
    "94": 0.5,
    "95": 0.5,
}
# The first digit of an organisationsnummer hints at the kind of organisation (Skatteverket).
ORGNR_FIRST_DIGIT = {
    "61": "8",
    "72": "8",
    "71": "8",
    "62": "7",
    "94": "8",
    "95": "8",
    "51": "7",
    "53": "7",
    "54": "7",
    "63": "2",
    "49": "5",
    "92": "5",
}
# A few real localities per municipality so that names look like the county's.
LOCALITIES = {
    "1814": ["Lekeberg", "Fjugesta", "Mullhyttan", "Kilsmo"],
    "1860": ["Laxå", "Hasselfors", "Finnerödja", "Ramundeboda"],
    "1861": ["Hallsberg", "Pålsboda", "Vretstorp", "Östansjö", "Sköllersta"],
    "1862": ["Degerfors", "Svartå", "Åtorp", "Strömtorp"],
    "1863": ["Hällefors", "Grythyttan", "Sikfors", "Hjulsjö"],
    "1864": ["Ljusnarsberg", "Kopparberg", "Ställdalen", "Bångbro"],
    "1880": [
        "Örebro",
        "Vivalla",
        "Brickebacken",
        "Adolfsberg",
        "Glanshammar",
        "Odensbacken",
        "Garphyttan",
        "Vintrosa",
        "Marieberg",
        "Lillån",
        "Almby",
        "Varberga",
    ],
    "1881": ["Kumla", "Hällabrottet", "Ekeby", "Sannahed"],
    "1882": ["Askersund", "Åmmeberg", "Olshammar", "Zinkgruvan", "Rönneshytta"],
    "1883": ["Karlskoga", "Bofors", "Granbergsdal", "Villingsberg"],
    "1884": ["Nora", "Gyttorp", "Järnboås", "Pershyttan"],
    "1885": ["Lindesberg", "Frövi", "Fellingsbro", "Storå", "Guldsmedshyttan", "Vedevåg"],
}
STREETS = [
    "Björken",
    "Linden",
    "Eken",
    "Lönnen",
    "Granen",
    "Tallen",
    "Almen",
    "Aspen",
    "Rönnen",
    "Hägg",
    "Syrenen",
    "Kastanjen",
    "Näckrosen",
    "Vitsippan",
    "Blåklockan",
    "Smeden",
    "Bagaren",
    "Mjölnaren",
]
SPORTS = [
    "Fotbolls",
    "Handbolls",
    "Innebandy",
    "Brottar",
    "Simsällskap",
    "Tennis",
    "Golf",
    "Skid",
    "Orienterings",
    "Friidrotts",
    "Ridsport",
    "Bowling",
    "Curling",
    "Boxnings",
    "Gymnastik",
    "Bordtennis",
    "Volleyboll",
]
# (activity class, roles, name templates); {p} is a locality.
ASSOCIATION_KINDS = [
    ("1", ["community"], ["{p} {sport}klubb", "IK {p}", "{p} IF", "{p} {sport}förening", "{p} Skytteförening"]),
    (
        "1",
        ["community", "school-of-democracy"],
        [
            "{p} Hembygdsförening",
            "{p} Konstförening",
            "{p} Musikförening",
            "{p} Scoutkår",
            "{p} Schackklubb",
            "Teaterföreningen i {p}",
            "{p} Manskör",
            "Bygdegårdsföreningen {p}",
            "{p} Filmstudio",
        ],
    ),
    ("2", ["school-of-democracy"], ["Studiecirkelföreningen {p}", "{p} Läsförening", "Föräldraföreningen i {p}"]),
    (
        "3",
        ["voice", "community"],
        ["{p} Hjärt- och lungförening", "Diabetesföreningen {p}", "Strokeföreningen {p}", "Anhörigföreningen i {p}"],
    ),
    (
        "4",
        ["service-provider", "community"],
        [
            "Frivilligcentralen {p}",
            "{p} Pensionärsförening",
            "Kvinnojouren i {p}",
            "{p} Läxhjälpsförening",
            "Mötesplats {p}",
            "Stödföreningen {p}",
        ],
    ),
    (
        "5",
        ["voice", "counterweight"],
        ["{p} Naturskyddsgrupp", "Fågelklubben {p}", "Odlarföreningen {p}", "Fiskevårdsföreningen {p}"],
    ),
    ("6", ["community"], ["{p} Byalag", "Föreningen Levande {p}", "{p} Samhällsförening"]),
    (
        "7",
        ["voice", "counterweight"],
        ["{p} Hyresgästförening", "Föreningen för rättvis handel i {p}", "Ungdomsrådet {p}"],
    ),
    ("9", ["community", "voice"], ["Vänortsföreningen {p}", "{p} Afrikagrupp", "Internationella föreningen i {p}"]),
    ("10", ["community"], ["{p} Missionsförsamling", "Pingstförsamlingen {p}", "{p} Baptistförsamling"]),
]
FORM_TEMPLATES = {
    "53": ["Brf {street} {n}", "Bostadsrättsföreningen {street} i {p}"],
    "54": ["Kooperativa hyresrättsföreningen {street} {p}"],
    "51": [
        "{p} Bygdekooperativ ek. för.",
        "Arbetskooperativet {street} i {p}",
        "{p} Energikooperativ ek. för.",
        "Kooperativet Vägen {p}",
    ],
    "49": ["Socialt företag {street} {p} AB (svb)", "{p} Arbetsintegrering AB (svb)"],
    "72": ["Stiftelsen {p} Hembygdsgård", "Stiftelsen {street}fonden", "Stiftelsen {p} Folkets Park"],
    "71": ["Familjestiftelsen {street}"],
    "62": ["{p} Vägsamfällighetsförening", "Samfällighetsföreningen {street}"],
    "63": ["{p} Församling", "Equmeniaförsamlingen {p}"],
    "92": ["{p} Ömsesidiga Brandstodsbolag"],
    "94": ["{p} Sjukhjälpsförening"],
    "95": ["Arbetslöshetskassan {street}"],
}
FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Ingrid",
    "Malin",
    "Lars",
    "Anders",
    "Johan",
    "Per",
    "Erik",
    "Karl",
    "Peter",
    "Mikael",
    "Jan",
    "Ahmed",
    "Fatima",
    "Ali",
    "Elin",
    "Nils",
    "Olof",
    "Sofia",
    "Hanna",
    "Leila",
    "Yusuf",
    "Amir",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Hassan",
    "Mohammed",
    "Ali",
    "Holm",
    "Sjöberg",
    "Åberg",
    "Öberg",
    "Ekström",
    "Wikström",
]
# Qualifiers make names in one locality distinct, as real names are ("Norra", "Gamla", ...).
QUALIFIERS = [
    "Norra",
    "Södra",
    "Östra",
    "Västra",
    "Gamla",
    "Nya",
    "Förenade",
    "Unga",
    "Aktiva",
    "Glada",
    "Stora",
    "Lilla",
    "Fria",
    "Gröna",
    "Blå",
    "Röda",
    "Gula",
    "Vita",
    "Tysta",
    "Starka",
    "Trogna",
    "Modiga",
]
CONTACT_ROLES = ["Ordförande", "Kassör", "Sekreterare", "Verksamhetsledare", "Kontaktperson"]


@dataclass
class DemoOrganisation:
    orgnr: str
    name: str
    legal_form: str
    municipality: str
    activity_classes: list[str]
    roles: list[str]
    description: str
    founded_year: int
    member_count: int | None
    website: str
    social_enterprise: bool = False
    work_integrating: bool = False
    ideburen_registered: bool = False
    active_municipalities: list[str] = field(default_factory=list)
    contacts: list[tuple[str, str, str, str]] = field(default_factory=list)


def _allocate(count: int, populations: dict[str, int]) -> list[str]:
    """Municipality codes, `count` of them, in proportion to population (largest remainder)."""
    total = sum(populations.values())
    exact = {code: count * pop / total for code, pop in populations.items()}
    shares = {code: int(value) for code, value in exact.items()}
    leftover = count - sum(shares.values())
    for code in sorted(exact, key=lambda c: (exact[c] - shares[c], c), reverse=True)[:leftover]:
        shares[code] += 1
    return [code for code in sorted(shares) for _ in range(shares[code])]


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "", ".": "", "-": ""})
    return "".join(ch for ch in text.casefold().translate(table) if ch.isalnum())[:30]


def _unique_name(rng: random.Random, templates: list[str], place: str, used: set[str]) -> str:
    for attempt in range(12):
        street = rng.choice(STREETS)
        name = rng.choice(templates).format(p=place, street=street, n=rng.randint(1, 60), sport=rng.choice(SPORTS))
        if attempt or rng.random() < 0.6:
            name = f"{rng.choice(QUALIFIERS)} {name}" if rng.random() < 0.5 else f"{name} {rng.choice(STREETS)}"
        if name not in used:
            return name
    return f"{name} {rng.randint(2, 999)}"


def generate(count: int, populations: dict[str, int], seed: int = 2026) -> Iterator[DemoOrganisation]:
    rng = random.Random(seed)
    codes = _allocate(count, populations)
    rng.shuffle(codes)
    forms = list(LEGAL_FORM_WEIGHTS)
    weights = list(LEGAL_FORM_WEIGHTS.values())
    used: set[str] = set()
    used_names: set[str] = set()
    all_codes = sorted(populations)
    for municipality in codes:
        legal_form = rng.choices(forms, weights)[0]
        while True:
            nine = (
                ORGNR_FIRST_DIGIT[legal_form]
                + str(rng.randint(0, 9))
                + str(rng.randint(20, 99))
                + f"{rng.randint(0, 99999):05d}"
            )
            number = complete(nine)
            if number not in used:
                used.add(number)
                break
        localities = LOCALITIES.get(municipality) or [municipality]
        place = rng.choice(localities)
        if legal_form == "61":
            activity, roles, templates = rng.choice(ASSOCIATION_KINDS)
        else:
            activity = {"53": "6", "54": "6", "62": "6", "63": "10", "51": "4", "49": "4"}.get(legal_form, "8")
            roles = ["service-provider"] if legal_form in ("51", "49") else ["community"]
            templates = FORM_TEMPLATES[legal_form]
        name = _unique_name(rng, templates, place, used_names)
        if rng.random() < 0.01 and used_names:
            # A few near-twins of an existing name, as real registers have, for the duplicate review.
            name = rng.choice(sorted(used_names)) + rng.choice([" ideell förening", "s förening", " (ny)"])
        used_names.add(name)
        activities = [activity]
        if rng.random() < 0.25:
            activities.append(rng.choice(["1", "2", "3", "4", "5", "7", "8", "9", "12"]))
        extra_roles = list(roles)
        if rng.random() < 0.3:
            extra_roles.append(rng.choice(["voice", "school-of-democracy", "counterweight", "community"]))
        social = legal_form in ("51", "49") and rng.random() < 0.6
        work_integrating = social and rng.random() < 0.5
        members = None if legal_form in ("72", "71", "49") else int(rng.lognormvariate(4.0, 1.1)) + 3
        org = DemoOrganisation(
            orgnr=number,
            name=name,
            legal_form=legal_form,
            municipality=municipality,
            activity_classes=sorted(set(activities), key=int),
            roles=sorted(set(extra_roles)),
            description=f"Demodata: påhittad organisation i {place}.",
            founded_year=rng.randint(1880, 2025),
            member_count=members,
            website=f"https://{_slug(name)}.example.se" if rng.random() < 0.4 else "",
            social_enterprise=social,
            work_integrating=work_integrating,
            ideburen_registered=legal_form in ("61", "72") and rng.random() < 0.02,
        )
        if rng.random() < 0.08:
            org.active_municipalities = sorted(set(rng.sample(all_codes, k=min(2, len(all_codes)))) - {municipality})
        if rng.random() < 0.35:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            org.contacts.append(
                (
                    f"{first} {last}",
                    rng.choice(CONTACT_ROLES),
                    f"{_slug(first)}.{_slug(last)}@example.se",
                    f"+4670{rng.randint(100, 999)}{rng.randint(10, 99)}{rng.randint(10, 99)}",  # stored as E.164
                )
            )
        yield org


# Possible duplicates as a real register has them, for the duplicate review (issue 14): two clubs
# that differ only in "IF" and "IK", two village associations one letter apart, and one association
# registered twice with its name spelt two ways. Each has its own organisationsnummer, so none is a
# 100 % match. (name, municipality code, legal form, activity class, locality)
DUPLICATE_EXAMPLES = (
    ("Glada Ekeby IF", "1881", "61", "1", "Ekeby"),
    ("Glada Ekeby IK", "1881", "61", "1", "Ekeby"),
    ("Rönnens Hembygdsförening", "1880", "61", "1", "Örebro"),
    ("Lönnens Hembygdsförening", "1880", "61", "1", "Örebro"),
    ("Hallsbergs Brukshundklubb", "1861", "61", "1", "Hallsberg"),
    ("Hallsbergs Brukshundsklubb", "1861", "61", "1", "Hallsberg"),
)


def duplicate_examples(populations: dict[str, int], taken: set[str], seed: int = 2026) -> Iterator[DemoOrganisation]:
    """The DUPLICATE_EXAMPLES in the municipalities present, each with an organisationsnummer not in
    `taken` (which grows with them)."""
    rng = random.Random(seed + 14)
    for name, municipality, legal_form, activity, place in DUPLICATE_EXAMPLES:
        if municipality not in populations:
            continue
        while True:
            nine = ORGNR_FIRST_DIGIT[legal_form] + str(rng.randint(0, 9)) + str(rng.randint(20, 99))
            number = complete(nine + f"{rng.randint(0, 99999):05d}")
            if number not in taken:
                taken.add(number)
                break
        yield DemoOrganisation(
            orgnr=number,
            name=name,
            legal_form=legal_form,
            municipality=municipality,
            activity_classes=[activity],
            roles=["community"],
            description=f"Demodata: påhittad organisation i {place}.",
            founded_year=rng.randint(1920, 2020),
            member_count=rng.randint(20, 400),
            website="",
        )
