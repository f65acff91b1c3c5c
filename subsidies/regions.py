"""Where returning workers come from: the GB/T 2260 code list shipped in ``data/regions.json``.

All 31 provinces are listed; cities and counties for the home regions of the district's migrant workers.
A registration stores the county code (when known) and the province and city codes it belongs to, so
demand and statistics group by any of the three in the database.
"""

import json
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.json"


@lru_cache(maxsize=1)
def _data():
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    names, parents = {}, {}
    for province in raw["provinces"]:
        names[province["code"]] = province["name"]
        for city in province["cities"]:
            names[city["code"]] = city["name"]
            parents[city["code"]] = province["code"]
            for county in city["counties"]:
                names[county["code"]] = county["name"]
                parents[county["code"]] = city["code"]
    return raw, names, parents


def name(code):
    return _data()[1].get(code or "", code or "")


def province_choices():
    return [(p["code"], p["name"]) for p in _data()[0]["provinces"]]


def county_choices():
    """Grouped choices for a <select>: one optgroup per city, labelled with its province."""
    groups = []
    for province in _data()[0]["provinces"]:
        for city in province["cities"]:
            if city["counties"]:
                groups.append((f"{province['name']} {city['name']}", [(c["code"], c["name"]) for c in city["counties"]]))
    return groups


def is_province(code):
    return code in {p["code"] for p in _data()[0]["provinces"]}


def is_county(code):
    parents = _data()[2]
    return code in parents and parents[code] in parents


def city_of(county):
    return _data()[2].get(county, "")


def province_of(code):
    parents = _data()[2]
    while code in parents:
        code = parents[code]
    return code if is_province(code) else ""


def full_name(province="", county=""):
    """贵州省 遵义市 桐梓县, or just the province when the county is not known."""
    if county:
        return " ".join(filter(None, [name(province_of(county)), name(city_of(county)), name(county)]))
    return name(province)


def counties_of(province):
    for p in _data()[0]["provinces"]:
        if p["code"] == province:
            return [c["code"] for city in p["cities"] for c in city["counties"]]
    return []
