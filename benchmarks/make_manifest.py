"""Write a synthetic manifest for the batch benchmark (CSV, deterministic).

    python benchmarks/make_manifest.py 100000 benchmarks/out/m100k.csv
    python benchmarks/make_manifest.py 1000000 benchmarks/out/m1m.csv
    python benchmarks/make_manifest.py 100000 benchmarks/out/u100k.csv --unique

The default mix is shaped like an exporter's real manifests: a catalogue of a few hundred
products (every kind of the vocabulary, values around the Annex thresholds, units in
several spellings) shipped to a few hundred customers (destination, end user, end use),
each customer buying a few dozen of the products, with unique order ids. About 1% of the
rows are bad (misspelt kind, unreadable number, wrong unit dimension, unknown country,
bad fact value) and must come out as rejected rows. ``--unique`` gives every row its own
parameter values instead (a worst case: no two rows alike).
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

COLUMNS = ["id", "kind", "description", "quantity", "destination", "end_use", "end_user",
           "red_flags", "range", "payload", "total_impulse",
           "propulsion_system_total_impulse", "vacuum_thrust", "system_accuracy",
           "relation.1.A", "relation.19.A", "relation.2.A", "fact.non_weapon_payload",
           "fact.designed_for_satellite", "fact.ceramic_or_ablative",
           "fact.autonomous_flight_control_and_navigation", "cas", "substance"]

DESTINATIONS = ["FR", "DE", "JP", "US", "GB", "IT", "ES", "NL", "SE", "NO", "AU", "CA", "KR",
                "BR", "IN", "AR", "ZA", "TR", "PL", "CZ", "CH", "AT", "FI", "DK", "BE", "PT",
                "IE", "NZ", "SG", "MX", "CL", "AE", "SA", "EG", "PK", "CN", "VN", "ID", "MY",
                "TH", "Germany", "France", "Japan", "SY", "IR"]
END_USES = ["satellite launch", "sounding rockets", "university research", "agriculture",
            "mapping", "atmospheric research", "target practice", "", "station-keeping",
            "spare parts", "test stand"]
LENGTH = [("km", 1.0), ("mi", 1 / 1.609344), ("nmi", 1 / 1.852), (" kilometres", 1.0)]
MASS = [("kg", 1.0), (" lb", 1 / 0.45359237), ("t", 1e-3), (" kilograms", 1.0)]
IMPULSE = [(" N*s", 1.0), (" kN*s", 1e-3), (" N s", 1.0), (" MN*s", 1e-6), (" lbf*s", 0.2248)]
THRUST = [(" kN", 1.0), (" N", 1e3), (" lbf", 224.8)]
REL = ["usable", "not_usable", "specially_designed", ""]


def _q(value: float, spellings: list[tuple[str, float]], rng: random.Random) -> str:
    unit, factor = rng.choice(spellings)
    return f"{value * factor:.6g}{unit}"


def _product(rng: random.Random) -> dict[str, str]:
    kind = rng.choice(["rocket_system", "sounding_rocket", "uav_system", "cruise_missile",
                       "solid_rocket_motor", "hybrid_rocket_motor", "liquid_rocket_engine",
                       "reentry_vehicle", "heat_shield", "rocket_stage", "guidance_set",
                       "thrust_vector_control", "software", "technology", "chemical",
                       "production_equipment", "electronic_equipment"])
    p: dict[str, str] = {"kind": kind}
    if kind in ("rocket_system", "sounding_rocket", "uav_system", "cruise_missile"):
        p["range"] = _q(rng.choice([80, 150, 250, 299, 300, 301, 450, 800, 1200]), LENGTH, rng)
        if rng.random() < 0.85:
            p["payload"] = _q(rng.choice([5, 50, 200, 499, 500, 600, 1000]), MASS, rng)
        if kind in ("uav_system", "cruise_missile"):
            p["fact.autonomous_flight_control_and_navigation"] = rng.choice(["true", "false",
                                                                               ""])
    elif kind in ("solid_rocket_motor", "hybrid_rocket_motor"):
        p["total_impulse"] = _q(rng.choice([5e4, 2e5, 1.09e6, 1.1e6, 2e6]), IMPULSE, rng)
        p["relation.1.A"] = rng.choice(REL)
        p["relation.19.A"] = rng.choice(REL)
    elif kind == "liquid_rocket_engine":
        p["propulsion_system_total_impulse"] = _q(rng.choice([3e5, 1.1e6, 1.5e6]), IMPULSE, rng)
        p["vacuum_thrust"] = _q(rng.choice([0.4, 1.0, 35.0]), THRUST, rng)
        p["relation.1.A"] = rng.choice(REL)
        p["fact.designed_for_satellite"] = rng.choice(["true", "false", ""])
    elif kind in ("reentry_vehicle", "heat_shield", "rocket_stage", "thrust_vector_control"):
        p["relation.1.A"] = rng.choice(REL)
        p["relation.19.A"] = rng.choice(REL)
        if kind == "reentry_vehicle":
            p["fact.non_weapon_payload"] = rng.choice(["true", "false", ""])
        if kind == "heat_shield":
            p["fact.ceramic_or_ablative"] = rng.choice(["true", "false", ""])
    elif kind == "guidance_set":
        p["system_accuracy"] = f"{rng.choice([1, 3.33, 5, 12])} %"
        p["relation.1.A"] = rng.choice(REL)
    elif kind == "chemical":
        p["cas"] = rng.choice(["302-01-2", "7727-37-9", "64-17-5", "7664-93-9"])
    elif kind in ("software", "technology", "production_equipment", "electronic_equipment"):
        p["relation.2.A"] = rng.choice(REL)
        p["relation.1.A"] = rng.choice(REL)
    p["description"] = f"{kind.replace('_', ' ')} model {rng.randint(100, 999)}"
    return p


BAD = [("kind", "rocket_sytem"), ("range", "twelve km"), ("payload", "500 km"),
       ("destination", "Atlantis"), ("fact.designed_for_satellite", "maybe"),
       ("total_impulse", "1,2e6 N*s")]


def main() -> None:
    """Parse arguments and write the manifest."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--unique", action="store_true", help="no two rows alike (worst case)")
    ap.add_argument("--seed", type=int, default=1987)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    products = [_product(rng) for _ in range(300)]
    customers = [(rng.choice(DESTINATIONS), f"Customer {i}", rng.choice(END_USES),
                  "wmd_delivery_suspected" if rng.random() < 0.01 else "")
                 for i in range(300)]
    baskets = [rng.sample(range(len(products)), 30) for _ in customers]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for n in range(1, args.rows + 1):
            c = rng.randrange(len(customers))
            dest, user, use, flag = customers[c]
            row = dict(products[rng.choice(baskets[c])])
            if args.unique:
                if "range" in row or row["kind"] in ("rocket_system", "uav_system"):
                    row["range"] = f"{rng.uniform(10, 2000):.4f} km"
                else:
                    row["total_impulse"] = f"{rng.uniform(1e3, 3e6):.1f} N*s"
                    if row["kind"] not in ("solid_rocket_motor", "hybrid_rocket_motor"):
                        row["kind"] = "solid_rocket_motor"
                        for k in list(row):
                            if k.startswith("fact.") or k in ("cas", "system_accuracy",
                                                              "vacuum_thrust",
                                                              "propulsion_system_total_impulse"):
                                del row[k]
            row.update({"id": f"SO-{n:08d}", "quantity": str(rng.randint(1, 20)),
                        "destination": dest, "end_user": user, "end_use": use,
                        "red_flags": flag})
            if rng.random() < 0.01:
                col, val = rng.choice(BAD)
                row[col] = val
            w.writerow([row.get(col, "") for col in COLUMNS])


if __name__ == "__main__":
    main()
