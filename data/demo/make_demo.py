"""Regenerate the sample week: ``deliveries.csv``, ``drivers.csv`` and ``hub.json``.

The addresses are real (from the Queens Village address table, © OpenStreetMap
contributors, ODbL); names, phone numbers (555-01xx) and everything else are invented.
The delivery list is deliberately as messy as a hand-kept sheet: addresses typed every
which way, apartment numbers inside the address, windows as people write them, two blank
rows, an address that does not exist, one with no house number, one outside the area,
a duplicate household.

Run from the repository root::

    python data/demo/make_demo.py [--pbf ../shared/data/osm/queens_village_ny.osm.pbf]

It uses the committed demo area's address table when ``routing.roads.area`` can load it, else
reads the .pbf with pyosmium. The output is seeded: same table, same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_PBF = HERE.parent.parent.parent / "shared" / "data" / "osm" / "queens_village_ny.osm.pbf"
SEED = 20261128

#: Compare Foods, a supermarket on Hollis Avenue (OSM node 3449406459). The node has no
#: address tags; the address is that of the nearest address point, 3 m away.
HUB = {
    "id": "compare-foods",
    "name": "Compare Foods",
    "address": "206-16 Hollis Avenue, Queens Village, NY 11429",
    "lat": 40.7073238,
    "lon": -73.7505106,
}

FIRST = [
    "Maria",
    "Jose",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Yolanda",
    "Miguel",
    "Guadalupe",
    "Marie",
    "Jean",
    "Nadège",
    "Pierre",
    "Fabienne",
    "Wilner",
    "Rosemène",
    "Jacques",
    "Rahim",
    "Fatema",
    "Abdul",
    "Nasrin",
    "Shirin",
    "Tahmina",
    "Kamal",
    "Rupa",
    "Gurpreet",
    "Harjit",
    "Priya",
    "Anil",
    "Sunita",
    "Ravi",
    "Dorothy",
    "James",
    "Linda",
    "Robert",
    "Patricia",
    "Michael",
    "Barbara",
    "Denise",
    "Keisha",
    "Andre",
    "Tamika",
    "Darnell",
    "Gloria",
    "Everton",
    "Marcia",
    "Winston",
    "Wei",
    "Mei",
    "Hyun",
    "Olga",
    "Irina",
    "Yusuf",
    "Amina",
]
LAST = [
    "Garcia",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Joseph",
    "Pierre",
    "Jean-Baptiste",
    "Charles",
    "Louis",
    "Etienne",
    "Toussaint",
    "Rahman",
    "Hossain",
    "Ahmed",
    "Islam",
    "Begum",
    "Chowdhury",
    "Uddin",
    "Singh",
    "Kaur",
    "Patel",
    "Sharma",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Davis",
    "Miller",
    "Wilson",
    "Thomas",
    "Jackson",
    "Campbell",
    "Clarke",
    "Reid",
    "Thompson",
    "Chen",
    "Kim",
    "Ivanova",
    "Okafor",
]
LANGS = [
    ("English", 60),
    ("", 20),
    ("Spanish", 14),
    ("Español", 3),
    ("Haitian Creole", 8),
    ("Kreyòl", 3),
    ("Bengali", 7),
    ("Bangla", 2),
    ("Punjabi", 3),
    ("Hindi", 2),
    ("Urdu", 2),
    ("Chinese", 1),
    ("Russian", 1),
]
NOTES = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "leave at door",
    "ring bell twice",
    "dog in yard, call first",
    "call on arrival",
    "3rd floor, no elevator",
    "side door",
    "side entrance, basement apt",
    "elderly, please knock loud",
    "diabetic, no sweets please",
    "gate code 4411",
    "porch is fine",
    "daughter will pick up",
    "knock, bell broken",
    "vegetarian",
    "no pork please",
    "halal only",
    "baby formula if possible",
    "hard of hearing",
]
WINDOWS = [
    ("", 55),
    ("10-12", 6),
    ("9-11", 4),
    ("11am-1pm", 5),
    ("10:00–12:00", 3),
    ("after 11", 4),
    ("before noon", 5),
    ("morning", 3),
    ("anytime", 3),
    ("12-2pm", 4),
    ("9:30-11:30", 2),
    ("after 12", 3),
    ("10am - 1pm", 3),
]
STREET_ABBR = {
    "Avenue": ["Ave", "Av", "Avenue", "ave"],
    "Street": ["St", "Street", "st", "St."],
    "Boulevard": ["Blvd", "Boulevard", "Blvd."],
    "Road": ["Rd", "Road"],
    "Place": ["Pl", "Place"],
    "Drive": ["Dr", "Drive"],
    "Court": ["Ct", "Court"],
    "Lane": ["Ln", "Lane"],
    "Terrace": ["Ter", "Terrace"],
    "Turnpike": ["Tpke", "Turnpike"],
}
UNITS = [
    "Apt 2B",
    "#3",
    "Apt. 1F",
    "Unit 2",
    "2nd floor",
    "Basement",
    "apt 4",
    "#1R",
    "Fl 2",
    "Apt 3A",
]
CITIES = [
    "",
    "",
    "",
    ", Queens Village, NY",
    ", Queens, NY",
    ", Queens Village NY {pc}",
    ", NY {pc}",
    ", Hollis, NY {pc}",
    ", Queens, New York {pc}",
    " {pc}",
]


def _address_table(pbf: Path) -> pd.DataFrame:
    try:
        from routing.roads.area import load_area  # the committed demo area, when it exists

        table = load_area("queens-village").addresses
    except Exception:
        table = _table_from_pbf(pbf)
    table = table.astype({"housenumber": str, "street": str, "postcode": str})
    return table.sort_values(["street", "housenumber", "postcode"]).reset_index(drop=True)


def _table_from_pbf(pbf: Path) -> pd.DataFrame:
    import osmium

    rows = []
    for obj in osmium.FileProcessor(str(pbf)).with_locations():
        tags = obj.tags
        if "addr:housenumber" not in tags or "addr:street" not in tags:
            continue
        if obj.is_node():
            lat, lon = obj.location.lat, obj.location.lon
        elif obj.is_way():
            pts = [(n.lat, n.lon) for n in obj.nodes if n.location.valid()]
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts = pts[:-1]
            if not pts:
                continue
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
        else:
            continue
        rows.append(
            {
                "housenumber": tags["addr:housenumber"],
                "street": tags["addr:street"],
                "postcode": tags.get("addr:postcode", ""),
                "city": tags.get("addr:city", ""),
                "lat": lat,
                "lon": lon,
            }
        )
    return pd.DataFrame(rows)


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    k = math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lat2 - lat1) * 111_320, (lon2 - lon1) * 111_320 * k)


def _write_street(rng: random.Random, street: str) -> str:
    words = street.split()
    last = words[-1]
    if last in STREET_ABBR and rng.random() < 0.7:
        words[-1] = rng.choice(STREET_ABBR[last])
    if re.fullmatch(r"\d+(st|nd|rd|th)", words[0]) and rng.random() < 0.3:
        words[0] = re.sub(r"(st|nd|rd|th)$", "", words[0])
    text = " ".join(words)
    return text.lower() if rng.random() < 0.12 else text


def _write_number(rng: random.Random, number: str) -> str:
    if "-" in number and rng.random() < 0.2:
        return number.replace("-", "")
    return number


def _typo(rng: random.Random, address: str) -> str:
    """Swap two adjacent letters in the street name: "Hollis" -> "Hlolis"."""
    number, street = address.split(" ", 1)
    letters = [
        i
        for i in range(len(street) - 1)
        if street[i].isalpha() and street[i + 1].isalpha() and street[i] != street[i + 1]
    ]
    i = rng.choice(letters)
    return f"{number} {street[:i]}{street[i + 1]}{street[i]}{street[i + 2 :]}"


def _phone(rng: random.Random, used: set[str]) -> str:
    while True:
        area = rng.choice(["718", "347", "929", "917"])
        digits = f"{area}55501{rng.randrange(100):02d}"
        if digits not in used:
            used.add(digits)
            break
    style = rng.random()
    if style < 0.4:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    if style < 0.8:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return digits


def _pick_addresses(
    table: pd.DataFrame, rng: random.Random, n: int, max_m: float
) -> list[pd.Series]:
    ok = table[table.housenumber.str.fullmatch(r"\d+-\d+") & (table.postcode != "")]
    ok = ok[
        [
            _distance_m(HUB["lat"], HUB["lon"], la, lo) <= max_m
            for la, lo in zip(ok.lat, ok.lon, strict=True)
        ]
    ]
    ok = ok.drop_duplicates(["housenumber", "street"], keep=False)
    idx = rng.sample(range(len(ok)), n)
    return [ok.iloc[i] for i in idx]


def make_deliveries(table: pd.DataFrame, rng: random.Random) -> list[list[str]]:
    header = [
        "Name",
        "Address",
        "Apt",
        "Zip",
        "Phone",
        "Boxes",
        "Delivery window",
        "Notes",
        "Language",
    ]
    rows: list[list[str]] = []
    used: set[str] = set()
    picked = _pick_addresses(table, rng, 116, 2600)
    spare = picked.pop()  # for the row with a typo in the street
    for rec in picked:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = f"{_write_number(rng, rec.housenumber)} {_write_street(rng, rec.street)}"
        apt = ""
        r = rng.random()
        if r < 0.15:
            address += " " + rng.choice(UNITS)  # the unit typed into the address
        elif r < 0.30:
            apt = rng.choice(UNITS).replace("Apt ", "").replace("Apt. ", "")
        city = rng.choice(CITIES).format(pc=rec.postcode)
        address += city
        zip_code = "" if "{pc}" in city or rng.random() < 0.15 else rec.postcode
        boxes = str(rng.choices([1, 2, 3, 4], weights=[30, 40, 20, 10])[0])
        if rng.random() < 0.08:
            boxes = f"{boxes} bags"
        rows.append(
            [
                name,
                address,
                apt,
                zip_code,
                _phone(rng, used),
                boxes,
                _weighted(rng, WINDOWS),
                rng.choice(NOTES),
                _weighted(rng, LANGS),
            ]
        )
    # The deliberately bad or doubtful rows, each something a real sheet has.
    bad = [
        [
            "Joan Okafor",
            "123 Nonexistent Street",
            "",
            "11429",
            _phone(rng, used),
            "2",
            "",
            "",
            "English",
        ],
        [
            "Hector Ruiz",
            "Hollis Avenue",
            "",
            "11412",
            _phone(rng, used),
            "1",
            "10-12",
            "forgot to write the house number",
            "Spanish",
        ],
        [
            "Paulette Noel",
            "350 5th Avenue, New York, NY 10118",
            "",
            "10118",
            _phone(rng, used),
            "2",
            "",
            "moved to Manhattan?",
            "Haitian Creole",
        ],
        [
            "Sabina Akter",
            rows[7][1],
            rows[7][2],
            rows[7][3],
            rows[7][4],
            "1",
            "",
            f"same house as {rows[7][0]}",
            "Bengali",
        ],
        [
            "Tom Reilly",
            _typo(rng, f"{spare.housenumber} {spare.street}"),
            "",
            spare.postcode,
            _phone(rng, used),
            "lots",
            "after 3pm",
            "",
            "English",
        ],
    ]
    for row in bad:
        rows.insert(rng.randrange(5, len(rows)), row)
    blank = [""] * len(header)
    rows.insert(40, blank)
    rows.insert(88, blank)
    return [header, *rows]


DRIVERS = [
    # name, capacity, window, end, languages, profile
    ("Ana Delgado", "30", "9-13", "hub", "English, Spanish", "drive"),
    ("Marcus Bell", "28", "09:00-13:00", "home", "English", "drive"),
    ("Fatema Chowdhury", "24", "9am-12pm", "home", "Bengali, English", "drive"),
    ("Jean-Robert Joseph", "28", "9-14", "hub", "Haitian Creole, French, English", "drive"),
    ("Linda Park", "16", "10-13", "anywhere", "English, Korean", "drive"),
    ("Gurpreet Singh", "26", "9:00-13:30", "home", "Punjabi, Hindi, English", "drive"),
    ("Rosa Méndez", "26", "09:30-13:00", "hub", "Spanish", "drive"),
    ("Dave Thompson", "30", "9-12", "hub", "English", "drive"),
    ("Keisha Brown", "22", "10:00-14:00", "home", "English", "drive"),
    ("Nadège Pierre", "24", "9-13", "hub", "Haitian Creole, English", "drive"),
    ("Sam Rahman", "8", "10-12", "anywhere", "Bengali, Urdu, English", "bike"),
    ("Olga Ivanova", "24", "9-13", "hub", "Russian, English", "drive"),
]


def make_drivers(table: pd.DataFrame, rng: random.Random) -> list[list[str]]:
    header = [
        "Name",
        "Phone",
        "Capacity (boxes)",
        "Available",
        "Home address",
        "End",
        "Languages",
        "Vehicle",
    ]
    homes = _pick_addresses(table, rng, len(DRIVERS), 3000)
    used: set[str] = set()
    rows = []
    for (name, cap, window, end, langs, profile), home in zip(DRIVERS, homes, strict=True):
        home_text = ""
        if end == "home" or rng.random() < 0.3:
            home_text = f"{home.housenumber} {_write_street(rng, home.street)}, {home.postcode}"
        vehicle = {"drive": rng.choice(["car", "car", "SUV", "minivan"]), "bike": "bike"}[profile]
        rows.append([name, _phone(rng, used), cap, window, home_text, end, langs, vehicle])
    return [header, *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pbf", type=Path, default=DEFAULT_PBF)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    table = _address_table(args.pbf)
    rng = random.Random(SEED)
    for name, rows in (
        ("deliveries.csv", make_deliveries(table, rng)),
        ("drivers.csv", make_drivers(table, rng)),
    ):
        with (args.out / name).open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        print(f"wrote {args.out / name} ({len(rows) - 1} rows)")
    (args.out / "hub.json").write_text(json.dumps(HUB, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'hub.json'}")


if __name__ == "__main__":
    main()
