//! The generated lexicons (regions of the world and given names): their RON schema, their
//! loading, and the lookup tables compiled from them once.
//!
//! The data files are generated on another branch from factual sources; this module only
//! reads them and must never carry a hand list of names itself.

use serde::Deserialize;

use super::IngestError;
use super::rules::FastMap;

/// What kind of area a region is; written as a string in the file ("country"), and an
/// unknown kind reads as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum RegionKind {
    Country,
    Province,
    City,
    Sea,
    Continent,
    Other,
}

impl From<String> for RegionKind {
    fn from(s: String) -> Self {
        RegionKind::parse(&s)
    }
}

impl RegionKind {
    /// The kind a file names, in any case.
    fn parse(s: &str) -> Self {
        let is = |name: &str| s.eq_ignore_ascii_case(name);
        if is("country") {
            RegionKind::Country
        } else if is("province") || is("state") || is("oblast") {
            RegionKind::Province
        } else if is("city") || is("capital") {
            RegionKind::City
        } else if is("sea") || is("ocean") {
            RegionKind::Sea
        } else if is("continent") {
            RegionKind::Continent
        } else {
            RegionKind::Other
        }
    }
}

impl RegionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionKind::Country => "country",
            RegionKind::Province => "province",
            RegionKind::City => "city",
            RegionKind::Sea => "sea",
            RegionKind::Continent => "continent",
            RegionKind::Other => "other",
        }
    }

    /// Whether a region of this kind can act (meet, attack, agree): states and their
    /// capitals or provinces can, a sea or a continent cannot.
    pub fn can_act(self) -> bool {
        matches!(
            self,
            RegionKind::Country | RegionKind::Province | RegionKind::City
        )
    }

    /// Which reading wins when one name has several: a country before a city before a province.
    fn rank(self) -> u8 {
        match self {
            RegionKind::Country => 0,
            RegionKind::City => 1,
            RegionKind::Province => 2,
            RegionKind::Sea => 3,
            RegionKind::Continent => 4,
            RegionKind::Other => 5,
        }
    }
}

/// One region as the generated file lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub kind: RegionKind,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    #[serde(default)]
    pub population: Option<u64>,
}

/// The regions file: `(regions: [...])`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    pub regions: Vec<Region>,
}

/// The given-names file: `(names: [...])`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GivenNamesFile {
    pub names: Vec<String>,
}

/// Parses a RON text, naming the file, line and column on error.
pub fn parse_ron<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T, IngestError> {
    ron::from_str(text).map_err(|e| IngestError::Rules {
        file: file.to_string(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// Reads a regions file. The generated layout is read by a direct scanner (the general RON
/// parser is most of the start-up time); a file it does not follow, for instance one a user
/// edited with comments or escapes, goes to the RON parser, which also reports any error.
pub fn read_regions(text: &str, file: &str) -> Result<RegionsFile, IngestError> {
    match Scanner::new(text).regions_file() {
        Some(regions) => Ok(regions),
        None => parse_ron(text, file),
    }
}

/// Reads a given-names file, like [`read_regions`].
pub fn read_given_names(text: &str, file: &str) -> Result<GivenNamesFile, IngestError> {
    match Scanner::new(text).given_names_file() {
        Some(names) => Ok(names),
        None => parse_ron(text, file),
    }
}

/// A scanner for the plain subset of RON the lexicon generator writes: unnamed structs,
/// lists, `Some(..)`/`None`, decimal integers and strings without escapes, separated by ASCII
/// white space and line comments. Anything else (block comments, escapes, raw strings,
/// unknown or repeated fields)
/// makes it give up with `None`, so that it never accepts a file differently from RON.
struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            bytes: text.as_bytes(),
            text,
            pos: 0,
        }
    }

    /// The next byte after white space and line comments, without taking it.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b'/' && self.bytes.get(self.pos + 1) == Some(&b'/') {
                let rest = &self.bytes[self.pos..];
                self.pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
                continue;
            }
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Takes `b` after white space, if it is next.
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    /// A field name or `Some`/`None`, followed by nothing that would make it longer.
    fn ident(&mut self) -> Option<&'a str> {
        let first = self.peek()?;
        let start = self.pos;
        let mut end = start;
        while self
            .bytes
            .get(end)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            end += 1;
        }
        if end == start || first.is_ascii_digit() || self.bytes.get(end) == Some(&b'#') {
            return None;
        }
        self.pos = end;
        self.text.get(start..end)
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_string)
    }

    /// [`Scanner::string`], borrowed from the text.
    fn str(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.pos;
        let len = self.bytes[start..]
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if self.bytes.get(start + len) != Some(&b'"') {
            return None;
        }
        self.pos = start + len + 1;
        self.text.get(start..start + len)
    }

    /// A decimal integer without sign, underscores or suffix.
    fn integer(&mut self) -> Option<u64> {
        self.peek()?;
        let start = self.pos;
        let digits = self.bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = self.bytes.get(start + digits).copied();
        let leading_zero = digits > 1 && self.bytes[start] == b'0';
        if digits == 0
            || leading_zero
            || after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            return None;
        }
        self.pos = start + digits;
        self.text.get(start..start + digits)?.parse().ok()
    }

    /// `None` or `Some(value)`.
    fn option<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.ident()? {
            "None" => Some(None),
            "Some" => {
                // RON writes no space between `Some` and its parenthesis.
                if self.bytes.get(self.pos) != Some(&b'(') {
                    return None;
                }
                self.pos += 1;
                let v = value(self)?;
                self.expect(b')')?;
                Some(Some(v))
            }
            _ => None,
        }
    }

    /// `[a, b, ...]`, a trailing comma allowed.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.expect(b'[')?;
        let mut out = Vec::new();
        while !self.eat(b']') {
            out.push(item(self)?);
            if !self.eat(b',') {
                self.expect(b']')?;
                break;
            }
        }
        Some(out)
    }

    /// An unnamed struct `(field: value, ...)`: `field` reads the value of a field by its
    /// name, or gives up.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        self.expect(b'(')?;
        while !self.eat(b')') {
            let name = self.ident()?;
            self.expect(b':')?;
            field(self, name)?;
            if !self.eat(b',') {
                self.expect(b')')?;
                break;
            }
        }
        Some(())
    }

    /// Only white space may follow the value.
    fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    fn region(&mut self) -> Option<Region> {
        // Each field once: a repeated one is an error RON reports.
        fn set<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
            if slot.is_some() {
                return None;
            }
            *slot = Some(value?);
            Some(())
        }
        let (mut name, mut kind, mut code, mut parent) = (None, None, None, None);
        let (mut aliases, mut demonyms, mut population) = (None, None, None);
        self.fields(|s, field| match field {
            "name" => set(&mut name, s.string()),
            "kind" => set(&mut kind, s.str().map(RegionKind::parse)),
            "code" => set(&mut code, s.option(Self::string)),
            "parent" => set(&mut parent, s.option(Self::string)),
            "aliases" => set(&mut aliases, s.list(Self::string)),
            "demonyms" => set(&mut demonyms, s.list(Self::string)),
            "population" => set(&mut population, s.option(Self::integer)),
            _ => None,
        })?;
        Some(Region {
            name: name?,
            kind: kind?,
            code: code.flatten(),
            parent: parent.flatten(),
            aliases: aliases.unwrap_or_default(),
            demonyms: demonyms.unwrap_or_default(),
            population: population.flatten(),
        })
    }

    fn regions_file(&mut self) -> Option<RegionsFile> {
        let mut regions = None;
        self.fields(|s, field| match field {
            "regions" if regions.is_none() => {
                regions = Some(s.list(Self::region)?);
                Some(())
            }
            _ => None,
        })?;
        self.end()?;
        Some(RegionsFile { regions: regions? })
    }

    fn given_names_file(&mut self) -> Option<GivenNamesFile> {
        let mut names = None;
        self.fields(|s, field| match field {
            "names" if names.is_none() => {
                names = Some(s.list(Self::string)?);
                Some(())
            }
            _ => None,
        })?;
        self.end()?;
        Some(GivenNamesFile { names: names? })
    }
}

/// Suffixes that name a province's type; "Donetsk Oblast" is also called "Donetsk".
const PROVINCE_SUFFIXES: [&str; 9] = [
    "oblast",
    "province",
    "region",
    "state",
    "governorate",
    "krai",
    "county",
    "prefecture",
    "district",
];

/// The compiled gazetteer: folded surface form to region index, and folded demonym to the
/// index of the country it names.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub regions: Vec<Region>,
    pub by_form: FastMap<String, usize>,
    pub by_demonym: FastMap<String, usize>,
    pub by_name: FastMap<String, usize>,
}

impl Gazetteer {
    pub fn build(file: RegionsFile) -> Self {
        // Sized up front: growing a map of some 40,000 keys rehashes each key several times.
        let forms: usize = file.regions.iter().map(|r| 1 + r.aliases.len()).sum();
        let demonyms: usize = file.regions.iter().map(|r| r.demonyms.len()).sum();
        let mut gaz = Gazetteer {
            by_form: FastMap::with_capacity_and_hasher(forms, Default::default()),
            by_demonym: FastMap::with_capacity_and_hasher(demonyms, Default::default()),
            by_name: FastMap::with_capacity_and_hasher(file.regions.len(), Default::default()),
            regions: file.regions,
        };
        // Better-ranked readings claim a form first: a name shared by a country and a city
        // means the country; among equals the more populous wins.
        // The keys are computed once; they end in the index, so no two are equal and an
        // unstable sort gives the one order.
        let mut order: Vec<_> = (gaz.regions.iter().enumerate())
            .map(|(i, r)| {
                (
                    r.kind.rank(),
                    std::cmp::Reverse(r.population.unwrap_or(0)),
                    i,
                )
            })
            .collect();
        order.sort_unstable();
        let Gazetteer {
            regions,
            by_form,
            by_demonym,
            by_name,
        } = &mut gaz;
        for &(.., i) in &order {
            let region = &regions[i];
            // The name and its aliases, then (for a province) the stems of those that end in
            // a type word, in that order: the first form to claim a key keeps it.
            let forms = || std::iter::once(&region.name).chain(&region.aliases);
            let stems = forms()
                .filter(|_| region.kind == RegionKind::Province)
                .filter_map(|form| province_stem(form));
            by_name.entry(fold_key(&region.name)).or_insert(i);
            for form in forms().map(String::as_str).chain(stems) {
                for_name_variants(form, |key| {
                    by_form.entry(key).or_insert(i);
                });
            }
            for demonym in &region.demonyms {
                by_demonym.entry(fold_key(demonym)).or_insert(i);
            }
        }
        gaz
    }

    /// The region a folded form names.
    pub fn region(&self, key: &str) -> Option<usize> {
        self.by_form.get(key).copied()
    }

    /// The country index of a region: itself for a country, else its parent.
    pub fn country_of(&self, idx: usize) -> Option<usize> {
        let region = self.regions.get(idx)?;
        if region.kind == RegionKind::Country {
            return Some(idx);
        }
        let parent = region.parent.as_deref()?;
        self.by_name.get(&fold_key(parent)).copied()
    }
}

/// The folded key used by every lexicon lookup (the store's name folding).
pub fn fold_key(s: &str) -> String {
    crate::graph::fold_name(s)
}

/// A province's name without its type word ("Donetsk Oblast" -> "Donetsk"), if it has one.
fn province_stem(form: &str) -> Option<&str> {
    let (stem, last) = form.rsplit_once(' ')?;
    let suffix = if last.is_ascii() {
        PROVINCE_SUFFIXES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(last))
    } else {
        PROVINCE_SUFFIXES.contains(&last.to_lowercase().as_str())
    };
    suffix.then_some(stem)
}

/// A name's folded key plus its spelling variants: "St." and "Saint" are one word.
pub fn name_variants(form: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_name_variants(form, |key| out.push(key));
    out
}

/// Gives `each` the keys of [`name_variants`] in their order, without collecting them.
pub fn for_name_variants(form: &str, mut each: impl FnMut(String)) {
    let key = fold_key(form);
    let swaps = |w: &str| matches!(w, "st" | "saint" | "ste" | "sainte" | "mt" | "mount");
    if !key.split(' ').any(swaps) {
        // Most names have no word to swap; skip splitting and joining them.
        each(key);
        return;
    }
    let mut out = vec![key.clone()];
    let words: Vec<&str> = key.split(' ').collect();
    let swapped: Vec<&str> = words
        .iter()
        .map(|w| match *w {
            "st" => "saint",
            "saint" => "st",
            "ste" => "sainte",
            "sainte" => "ste",
            "mt" => "mount",
            "mount" => "mt",
            other => other,
        })
        .collect();
    let variant = swapped.join(" ");
    if variant != key {
        out.push(variant);
    }
    out.into_iter().for_each(each);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/regions.ron");

    #[test]
    fn fixture_loads_and_resolves_forms() {
        let file: RegionsFile = parse_ron(FIXTURE, "regions.ron").expect("fixture parses");
        let gaz = Gazetteer::build(file);
        let us = gaz.region("us").expect("US is a form of the United States");
        assert_eq!(gaz.regions[us].name, "United States");
        let spb = gaz.region("st petersburg").expect("St. Petersburg");
        assert_eq!(gaz.region("saint petersburg"), Some(spb));
        let donetsk = gaz.region("donetsk").expect("oblast stem");
        assert_eq!(gaz.regions[donetsk].kind, RegionKind::Province);
        assert_eq!(gaz.by_demonym.get("russian").copied(), gaz.region("russia"));
        assert_eq!(gaz.country_of(spb), gaz.region("russia"));
    }

    #[test]
    fn scanner_reads_the_lexicons_as_ron_does() {
        let regions = [
            FIXTURE,
            include_str!("lexicon/regions.ron"),
            "(regions: [(kind: \"city\", name: \"X\", population: Some(7),),],)",
        ];
        for text in regions {
            let fast = Scanner::new(text).regions_file().expect("generated layout");
            let ron: RegionsFile = parse_ron(text, "regions.ron").expect("parses");
            assert_eq!(fast, ron);
        }
        for text in [
            include_str!("../../tests/fixtures/given_names.ron"),
            include_str!("lexicon/given_names.ron"),
        ] {
            let fast = Scanner::new(text)
                .given_names_file()
                .expect("generated layout");
            let ron: GivenNamesFile = parse_ron(text, "given_names.ron").expect("parses");
            assert_eq!(fast, ron);
        }
    }

    #[test]
    fn scanner_leaves_other_layouts_to_ron() {
        let others = [
            "/* comment */ (regions: [])",
            "(regions: [(name: \"A\\\"B\", kind: \"city\")])",
            "(regions: [(name: \"A\", kind: \"city\", name: \"B\")])",
            "(regions: [(name: \"A\", kind: \"city\", population: Some(0x10))])",
            "(regions: [(name: \"A\", kind: \"city\", colour: 1)])",
            "(regions: [(name: \"A\")])",
            "RegionsFile(regions: [])",
            "(regions: []) x",
        ];
        for text in others {
            assert!(Scanner::new(text).regions_file().is_none(), "{text}");
        }
        let read = read_regions(
            "// comment\n(regions: [(name: \"A\", kind: \"city\")])",
            "r",
        );
        assert_eq!(read.expect("RON reads it").regions[0].name, "A");
        let err = read_regions("(regions: [(name: \"A\", kind: 1)])", "bad.ron")
            .expect_err("kind is a string");
        assert!(err.to_string().starts_with("bad.ron:1:"), "{err}");
    }

    #[test]
    fn unknown_field_is_an_error_with_position() {
        let err = parse_ron::<RegionsFile>(
            "(regions: [(name: \"X\", kind: \"country\", colour: 1)])",
            "bad.ron",
        )
        .expect_err("unknown field");
        let text = err.to_string();
        assert!(text.starts_with("bad.ron:1:"), "{text}");
    }
}
