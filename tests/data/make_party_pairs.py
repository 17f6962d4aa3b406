"""Generate tests/data/party_pairs.csv, the labelled name pairs for denied-party screening.

Run ``python tests/data/make_party_pairs.py`` to rewrite the CSV; the seed is fixed, so the
output is reproducible, but the committed CSV is the data the tests read. All company and
person names are invented (made-up stems plus generic industry words and real city names).

Columns: query, query_country, list_name, list_country, label (1 match / 0 non-match),
category. True matches vary the list name the way real end-user names drift (typos, word
order, transliteration, accents, legal forms, abbreviations); non-matches are *similar*
names (shared industry words, another city, another stem, another surname).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

SEED = 20261127
OUT = Path(__file__).with_name("party_pairs.csv")

STEMS = [
    "Zephyr", "Nimbus", "Borealis", "Quillon", "Heliotrope", "Gryphon", "Obsidian", "Marzipan",
    "Tessellate", "Vermilion", "Cobalt Nebula", "Saffron", "Ptarmigan", "Xylophone",
    "Juniper", "Umbra", "Kestrelwind", "Arcturon", "Belvane", "Corvanti", "Dravolin",
    "Eskaron", "Fulgora", "Galvestra", "Halcyra", "Ishtavon", "Jorvantis", "Kalidrix",
    "Lumivane", "Morvessa", "Nolvarin", "Orbelline", "Pentavar", "Quorvex", "Ravenmoor",
    "Solvantra", "Tarvessin", "Ulmaris", "Vandrelle", "Wexford Pike", "Yaravine", "Zolturin",
    "Amberlith", "Brastovan", "Cindervale", "Delmaris", "Evershade", "Farrowgate",
]
INDUSTRY = [
    "Aerospace Industries", "Propulsion Trading", "Guidance Systems", "Composite Materials",
    "Precision Machinery", "Electronics Industries", "Rocket Motor Works", "Avionics",
    "Chemical Industries", "Inertial Navigation", "Engineering Services", "Machine Tools",
    "Carbon Fibre Products", "Optical Instruments", "Metallurgical Works",
    "Telemetry Research Institute", "Servo Actuator Trading", "Flight Test Services",
    "Maraging Steel and Alloys", "Solid Fuel Chemicals", "Gyroscope Laboratories",
    "Industrial Group", "Technology Development", "Defence Electronics",
]
CITIES = [
    "Tehran", "Isfahan", "Shiraz", "Tabriz", "Mashhad", "Pyongyang", "Damascus", "Aleppo",
    "Karachi", "Lahore", "Minsk", "Kazan", "Novosibirsk", "Shenzhen", "Harbin", "Dubai",
    "Sharjah", "Tashkent", "Baku", "Yerevan", "Nanjing", "Chengdu", "Samara", "Perm",
]
COUNTRIES = ["IR", "KP", "SY", "PK", "BY", "RU", "CN", "AE", "UZ", "AZ", "AM", "TR", "HK"]
LEGAL = [
    ("Limited", "Ltd"), ("Ltd.", "Limited"), ("Co., Ltd.", "Company Limited"),
    ("LLC", "L.L.C."), ("Company", "Co."), ("Corporation", "Corp."), ("GmbH", ""),
    ("Inc.", "Incorporated"), ("JSC", "Joint Stock Company"), ("FZE", "F.Z.E."),
    ("Pvt. Ltd.", "Private Limited"), ("PJSC", ""), ("S.A.", "SA"), ("Trading Est.", "Trading"),
    ("", "LLC"), ("Co.", ""), ("PLC", "Public Limited Company"), ("FZCO", "F.Z.C.O."),
]
ABBREVIATIONS = [
    ("International", "Intl"), ("International", "Int'l"), ("Manufacturing", "Mfg"),
    ("Company", "Co"), ("Technology", "Tech"), ("Engineering", "Engg"),
    ("Industries", "Ind."), ("Research", "Res."), ("Development", "Dev."),
    ("Electronics", "Elec."), ("Institute", "Inst."), ("Machinery", "Mach."),
    ("Equipment", "Equip."), ("Services", "Svcs"), ("Establishment", "Est."),
]
ABBREVIATION_BASES = [
    "{stem} International Trading", "{stem} Manufacturing Company", "{stem} Technology Group",
    "{stem} Engineering Works", "{stem} Aerospace Industries", "{stem} Research Center",
    "{stem} Technology Development", "{stem} Defence Electronics", "{stem} Optics Institute",
    "{stem} Precision Machinery", "{stem} Equipment Supply", "{stem} Logistics Services",
    "{stem} Trading Establishment",
]
# Cyrillic names (transliterated with three different schemes for the queries).
RU_WORDS = [
    "Завод", "Научно", "Производственное", "Объединение", "Приборостроения", "Машиностроения",
    "Точной", "Механики", "Институт", "Исследовательский", "Конструкторское", "Бюро",
    "Химический", "Комбинат", "Авиационный", "Ракетный", "Двигатель", "Электроника",
]
RU_STEMS = [
    "Зефиров", "Нимбусов", "Грифонов", "Обсидиан", "Кестрель", "Арктурон", "Бельвань",
    "Корванти", "Драволин", "Эскарон", "Фульгора", "Гальвестра", "Халцира", "Иштавон",
    "Йорвантис", "Калидрикс", "Люмиван", "Морвесса", "Нольварин", "Орбеллин", "Пентавар",
    "Щукарёв", "Жаворонков", "Цветаев", "Хлебников", "Юрьевский", "Ящеров",
]
RU_PEOPLE_FIRST = ["Олег", "Дмитрий", "Юрий", "Андрей", "Сергей", "Алексей", "Евгений"]
RU_PEOPLE_LAST = ["Имагинаров", "Фиктивный", "Выдумкин", "Сказочников", "Небылицын"]
_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e",
}
SCHEMES: dict[str, dict[str, str]] = {
    "bgn": {**_BASE, "й": "y", "х": "kh", "ц": "ts", "ю": "yu", "я": "ya"},
    "icao": {**_BASE, "й": "i", "х": "kh", "ц": "ts", "ю": "iu", "я": "ia", "ъ": "ie"},
    "simple": {**_BASE, "й": "y", "х": "h", "ц": "c", "ю": "yu", "я": "ya", "ё": "yo",
               "щ": "sch", "э": "e"},
}
ACCENTED = [
    ("Société Générale d'Études Aéronautiques", "Societe Generale d'Etudes Aeronautiques"),
    ("Müller Präzisionsmechanik", "Mueller Praezisionsmechanik"),
    ("Müller Präzisionsmechanik", "Muller Prazisionsmechanik"),
    ("Øresund Hydraulik", "Oresund Hydraulik"),
    ("Łódzkie Zakłady Optyczne", "Lodzkie Zaklady Optyczne"),
    ("Çelik Savunma Sanayi", "Celik Savunma Sanayi"), ("Gürsoy Havacılık", "Gursoy Havacilik"),
    ("Straße der Raketen Technik", "Strasse der Raketen Technik"),
    ("Ångström Optronik", "Angstrom Optronik"), ("Æther Fremdrift", "Aether Fremdrift"),
    ("Škoda-Vesmír Strojírny", "Skoda Vesmir Strojirny"),
    ("Đorđević Namenska", "Dordevic Namenska"),
    ("Compañía Andina de Propulsión", "Compania Andina de Propulsion"),
    ("Indústrias Ñandutí Aeroespaciais", "Industrias Nanduti Aeroespaciais"),
    ("Zéphyr Aérospatiale", "Zephyr Aerospatiale"),
    ("Fulgöra Maschinenbau", "Fulgora Maschinenbau"),
    ("Béllvane Électronique", "Bellvane Electronique"), ("Kalidrïx Ópticas", "Kalidrix Opticas"),
    ("Þórsson Eldflaugar", "Thorsson Eldflaugar"), ("Ørbelline Navigasjon", "Orbelline Navigasjon"),
]


def cyrillic_to(text: str, scheme: str) -> str:
    """Transliterate Cyrillic ``text`` with one of SCHEMES, keeping capitalisation."""
    table = SCHEMES[scheme]
    out = []
    for ch in text:
        low = ch.lower()
        if low in table:
            rep = table[low]
            out.append(rep.capitalize() if ch != low else rep)
        else:
            out.append(ch)
    return "".join(out)


def typo(rng: random.Random, text: str, edits: int = 1) -> str:
    """Apply ``edits`` random character edits inside words of four letters or more."""
    for _ in range(edits):
        words = text.split(" ")
        choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        i = rng.choice(choices)
        w = words[i]
        p = rng.randrange(1, len(w) - 1)
        kind = rng.choice(["swap", "drop", "double", "replace"])
        if kind == "swap":
            w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
        elif kind == "drop":
            w = w[:p] + w[p + 1:]
        elif kind == "double":
            w = w[:p] + w[p] + w[p:]
        else:
            w = w[:p] + rng.choice("aeiourstnl") + w[p + 1:]
        words[i] = w
        text = " ".join(words)
    return text


def company(rng: random.Random) -> str:
    """An invented company name: stem plus an industry phrase, sometimes a city."""
    name = f"{rng.choice(STEMS)} {rng.choice(INDUSTRY)}"
    return f"{rng.choice(CITIES)} {name}" if rng.random() < 0.2 else name


def countries_for(rng: random.Random, label: int) -> tuple[str, str]:
    """(query_country, list_country): mostly agreeing, sometimes missing or conflicting."""
    listed = rng.choice(COUNTRIES)
    roll = rng.random()
    same, missing = (0.6, 0.25) if label else (0.5, 0.3)
    if roll < same:
        return listed, listed
    if roll < same + missing:
        return "", listed
    return rng.choice([c for c in COUNTRIES if c != listed]), listed


def positives(rng: random.Random) -> list[tuple[str, str, str]]:
    """(query, list_name, category) for true matches."""
    rows: list[tuple[str, str, str]] = []

    def add(count: int, category: str, make: Callable[[], tuple[str, str]]) -> None:
        for _ in range(count):
            query, listed = make()
            rows.append((query, listed, category))

    def typo_pair() -> tuple[str, str]:
        name = company(rng)
        return typo(rng, name, rng.choice([1, 1, 2])), name

    def typo_legal() -> tuple[str, str]:
        name = company(rng)
        a, b = rng.choice(LEGAL)
        return f"{typo(rng, name)} {b}".strip(), f"{name} {a}".strip()

    def legal_only() -> tuple[str, str]:
        name = company(rng)
        a, b = rng.choice(LEGAL)
        if rng.random() < 0.3 and a and b and a not in ("Trading Est.",):
            return f"{b} {name}", f"{name} {a}"  # Russian-style leading form
        return f"{name} {b}".strip(), f"{name} {a}".strip()

    def reordered() -> tuple[str, str]:
        if rng.random() < 0.35:
            first, last = rng.choice(RU_PEOPLE_FIRST), rng.choice(RU_PEOPLE_LAST)
            first, last = cyrillic_to(first, "bgn"), cyrillic_to(last, "bgn")
            return f"{last}, {first}", f"{first} {last}"
        words = company(rng).split()
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        return " ".join(shuffled), " ".join(words)

    def translit() -> tuple[str, str]:
        if rng.random() < 0.3:
            name = f"{rng.choice(RU_PEOPLE_FIRST)} {rng.choice(RU_PEOPLE_LAST)}"
        else:
            name = f"{rng.choice(RU_WORDS)} {rng.choice(RU_STEMS)} {rng.choice(RU_WORDS)}"
        latin = cyrillic_to(name, rng.choice(["icao", "simple", "bgn"]))
        return (latin, name) if rng.random() < 0.5 else (name, latin)

    def translit_latin_schemes() -> tuple[str, str]:
        name = f"{rng.choice(RU_STEMS)} {rng.choice(RU_WORDS)} {rng.choice(RU_WORDS)}"
        a, b = rng.sample(list(SCHEMES), 2)
        return cyrillic_to(name, a), cyrillic_to(name, b)

    def accents() -> tuple[str, str]:
        accented, plain = rng.choice(ACCENTED)
        return (plain, accented) if rng.random() < 0.7 else (accented, plain)

    def abbreviation() -> tuple[str, str]:
        full, short = rng.choice(ABBREVIATIONS)
        bases = [b for b in ABBREVIATION_BASES if full in b] or [f"{{stem}} {full}"]
        name = rng.choice(bases).format(stem=rng.choice(STEMS))
        return name.replace(full, short), name

    def and_sign() -> tuple[str, str]:
        name = f"{rng.choice(STEMS)} Steel and Alloys"
        return name.replace(" and ", " & "), name

    def punctuation() -> tuple[str, str]:
        name = company(rng)
        variant = rng.choice([name.upper(), name.lower(), name.replace(" ", "-", 1),
                              f"{name}, Ltd.", f"M/S {name}"])
        return variant, name

    def extra_word() -> tuple[str, str]:
        stem, industry = rng.choice(STEMS), rng.choice(INDUSTRY)
        extra = rng.choice(["Group", "Holding", "Trading", "Company"])
        return f"{stem} {industry}", f"{stem} {industry} {extra}"

    add(40, "typo", typo_pair)
    add(40, "typo+legal_form", typo_legal)
    add(25, "legal_form", legal_only)
    add(30, "reordered", reordered)
    add(30, "transliteration_cyrillic", translit)
    add(10, "transliteration_schemes", translit_latin_schemes)
    add(25, "accents", accents)
    add(30, "abbreviation", abbreviation)
    add(8, "and_sign", and_sign)
    add(10, "case_punctuation", punctuation)
    add(12, "extra_word", extra_word)
    return rows


def negatives(rng: random.Random) -> list[tuple[str, str, str]]:
    """(query, list_name, category) for similar-looking non-matches."""
    rows: list[tuple[str, str, str]] = []
    for _ in range(60):  # same industry words, another stem
        industry = rng.choice(INDUSTRY)
        a, b = rng.sample(STEMS, 2)
        rows.append((f"{a} {industry}", f"{b} {industry} {rng.choice(['', 'Ltd', 'Co.'])}".strip(),
                     "shared_industry_words"))
    for _ in range(40):  # same name pattern, another city
        industry = rng.choice(INDUSTRY)
        a, b = rng.sample(CITIES, 2)
        rows.append((f"{a} {industry}", f"{b} {industry}", "different_city"))
    for _ in range(30):  # same stem, another line of business
        stem = rng.choice(STEMS)
        a, b = rng.sample(INDUSTRY, 2)
        rows.append((f"{stem} {a}", f"{stem} {b}", "same_stem_other_business"))
    for _ in range(20):  # people sharing a first name
        first = cyrillic_to(rng.choice(RU_PEOPLE_FIRST), "bgn")
        a, b = rng.sample(RU_PEOPLE_LAST, 2)
        rows.append((f"{first} {cyrillic_to(a, 'bgn')}", f"{first} {cyrillic_to(b, 'bgn')}",
                     "person_other_surname"))
    for _ in range(20):  # Cyrillic names sharing the generic words
        words = rng.sample(RU_WORDS, 2)
        a, b = rng.sample(RU_STEMS, 2)
        rows.append((cyrillic_to(f"{words[0]} {a} {words[1]}", "icao"),
                     f"{words[0]} {b} {words[1]}", "transliterated_other_stem"))
    return rows


def main(path: Path = OUT) -> None:
    """Write the labelled pairs to ``path`` (default: ``party_pairs.csv`` beside this file)."""
    rng = random.Random(SEED)
    seen: set[tuple[str, str]] = set()
    out: list[list[str]] = []
    for label, pairs in ((1, positives(rng)), (0, negatives(rng))):
        for query, listed, category in pairs:
            if (query, listed) in seen or (query == listed and label == 0):
                continue
            seen.add((query, listed))
            qc, lc = countries_for(rng, label)
            out.append([query, qc, listed, lc, str(label), category])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["query", "query_country", "list_name", "list_country", "label",
                         "category"])
        writer.writerows(out)


if __name__ == "__main__":
    main()
