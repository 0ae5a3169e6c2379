"""Offline geocoding accuracy and speed on the demo area (issue 3, "Measured").

Takes a seeded sample of addresses from the area's own address table, writes each the
way people do (abbreviated or lower-case street types, no postcode, a one-letter typo in
the street name, an apartment number, "20306" for "203-06", "109 Ave" for "109th
Avenue", a trailing "Queens, NY"), geocodes them with
:class:`routing.geocoding.offline.OfflineGeocoder` and prints:

- placed within 25 m of the true point (target >= 98 %),
- reported not found / outside the area,
- confidently wrong: placed more than 100 m away with an ``exact`` or ``interpolated``
  result (target <= 0.5 %),
- the time to build the geocoder and to geocode the sample (target: 1,000 rows < 2 s).

Run from the repository root::

    python benchmarks/geocode.py [--area queens-village] [--n 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter

from routing.geo import distance_m
from routing.geocoding.offline import OfflineGeocoder
from routing.model import LatLon
from routing.roads.area import load_area

ABBREVIATIONS = {
    "Avenue": ["Ave", "Av", "Ave.", "avenue"],
    "Street": ["St", "St.", "street", "Str"],
    "Boulevard": ["Blvd", "Blvd.", "boulevard"],
    "Road": ["Rd", "Rd."],
    "Place": ["Pl", "Pl."],
    "Drive": ["Dr", "Dr."],
    "Lane": ["Ln"],
    "Court": ["Ct"],
    "Parkway": ["Pkwy"],
    "Terrace": ["Ter"],
    "Turnpike": ["Tpke"],
    "Circle": ["Cir"],
    "Calle": ["C.", "calle"],
    "Avenida": ["Av.", "Avda.", "Av"],
}
UNITS = ["Apt 2B", "#3", "Apt. 1F", "Unit 2", "2nd floor", "apt 4", "#1R", "Fl 2", "Basement"]
TRAILERS = [", Queens, NY", " Queens NY", ", Queens Village, NY", ", New York", ", NY"]


def typo(rng: random.Random, name: str) -> str:
    """One-letter typo (swap, drop, double or replace) in a letter of the street name."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 5:
        return name
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0 and name[i + 1 : i + 2].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    return name[:i] + rng.choice("aeiourstn") + name[i + 1 :]


def write_like_people(rng: random.Random, number: str, street: str, postcode: str) -> str:
    """One address as a person might type it."""
    words = street.split()
    for j in (len(words) - 1, 0):
        if words[j] in ABBREVIATIONS and rng.random() < 0.6:
            words[j] = rng.choice(ABBREVIATIONS[words[j]])
            break
    if re.fullmatch(r"\d+(st|nd|rd|th)", words[0]) and rng.random() < 0.3:
        words[0] = re.sub(r"\D", "", words[0])  # "109 Ave"
    text = " ".join(words)
    if rng.random() < 0.2:
        # The typo goes in the name, not its type or its number ("Hlolis Ave").
        name_idx = [
            k for k, w in enumerate(words) if w.isalpha() and len(w) >= 5 and w not in ABBREVIATIONS
        ]
        if name_idx:
            k = rng.choice(name_idx)
            words[k] = typo(rng, words[k])
            text = " ".join(words)
    if rng.random() < 0.25:
        text = text.lower()
    if "-" in number and rng.random() < 0.3:
        number = number.replace("-", "")
    address = f"{number} {text}"
    if rng.random() < 0.2:
        address += " " + rng.choice(UNITS)
    if rng.random() < 0.3:
        address += rng.choice(TRAILERS)
    if postcode and rng.random() < 0.4:
        address += f" {postcode}" if rng.random() < 0.5 else f", {postcode}"
    return address


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="queens-village")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=10, help="print this many failures")
    args = parser.parse_args()

    area = load_area(args.area)
    t0 = time.perf_counter()
    geocoder = OfflineGeocoder.from_area(area)
    build_s = time.perf_counter() - t0

    table = area.addresses
    usable = table[
        table["housenumber"].astype(str).str.contains(r"\d") & (table["street"].astype(str) != "")
    ]
    rng = random.Random(args.seed)
    sample = usable.iloc[rng.sample(range(len(usable)), min(args.n, len(usable)))]
    queries = [
        write_like_people(rng, str(r.housenumber), str(r.street), str(r.postcode or ""))
        for r in sample.itertuples()
    ]

    t0 = time.perf_counter()
    results = geocoder.geocode_many(queries)
    geocode_s = time.perf_counter() - t0

    n = len(results)
    correct = not_found = wrong = 0
    precision = Counter(r.precision for r in results)
    failures = []
    for q, r, truth in zip(queries, results, sample.itertuples(), strict=True):
        true = LatLon(float(truth.lat), float(truth.lon))
        if r.location is None:
            not_found += 1
            failures.append(("not found", q, r))
            continue
        d = distance_m(true, r.location)
        if d <= 25:
            correct += 1
        else:
            failures.append((f"{d:.0f} m off", q, r))
            if d > 100 and r.precision in ("exact", "interpolated"):
                wrong += 1

    print(f"area {area.name}: {len(table):,} addresses, geocoder built in {build_s:.2f} s")
    print(f"geocoded {n:,} addresses in {geocode_s:.2f} s ({n / geocode_s:,.0f}/s)")
    print(f"placed within 25 m:  {100 * correct / n:6.2f} %   (target >= 98 %)")
    print(f"not found:           {100 * not_found / n:6.2f} %")
    print(f"confidently wrong:   {100 * wrong / n:6.2f} %   (target <= 0.5 %)")
    print("precision:", ", ".join(f"{k} {v}" for k, v in precision.most_common()))
    for what, q, r in failures[: args.show]:
        print(f"  {what:>10}: {q!r} -> {r.precision} {r.matched!r} {r.reason}")

    # Addresses missing from the table: take some out, geocode them as written.
    held = sample.iloc[: max(1, n // 5)]
    partial = OfflineGeocoder(table.drop(index=held.index), bbox=area.bbox)
    held_q = queries[: len(held)]
    held_r = partial.geocode_many(held_q)
    counts: Counter[str] = Counter()
    for r, truth in zip(held_r, held.itertuples(), strict=True):
        if r.location is None:
            counts["not found"] += 1
            continue
        d = distance_m(LatLon(float(truth.lat), float(truth.lon)), r.location)
        counts[r.precision] += 1
        counts["within 25 m"] += d <= 25
        counts["within 50 m"] += d <= 50
        counts["confidently wrong"] += d > 100 and r.precision in ("exact", "interpolated")
    m = len(held_r)
    print(
        f"held out of the table ({m} addresses):",
        ", ".join(
            f"{k} {100 * counts[k] / m:.1f} %"
            for k in (
                "interpolated",
                "street",
                "not found",
                "within 25 m",
                "within 50 m",
                "confidently wrong",
            )
        ),
    )


if __name__ == "__main__":
    main()
