//! The generated lexicons (regions of the world, given names, organisations and relation
//! triggers): their RON schema, their loading, and the lookup tables compiled from them once.
//!
//! The data files are generated on another branch from factual sources; this module only
//! reads them and must never carry a hand list of names itself.

use super::IngestError;
use super::rules::FastMap;

mod schema;
pub use schema::{
    GivenGendersFile, GivenNamesFile, Organization, OrganizationsFile, Region, RegionKind,
    RegionsFile,
};

impl RegionKind {
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

/// Parses a RON text, naming the file, line and column on error.
pub fn parse_ron<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Result<T, IngestError> {
    ron::from_str(text).map_err(|e| IngestError::Rules {
        file: file.to_string(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// The built-in lexicons in the compact form the build compiles them into from the RON files
/// (see `build.rs`): reading them is a small part of start-up, where parsing the RON was
/// most of it.
const REGIONS_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/regions.postcard"));
const GIVEN_NAMES_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/given_names.postcard"));
const ORGANIZATIONS_BIN: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/organizations.postcard"));

/// The given-name genders of `src/ingest/lexicon/given_genders.ron` as sorted lines "name\tF"
/// or "name\tM" (see `build.rs`).
const GIVEN_GENDERS: &str = include_str!(concat!(env!("OUT_DIR"), "/given_genders.txt"));

/// The gender a lower-case given name is borne by, where the built-in lexicon gives one.
pub fn given_gender(name: &str) -> Option<super::identity::Gender> {
    gender_in(GIVEN_GENDERS, name)
}

/// Binary search of sorted lines "name\tG" for `name`: a tab sorts before every character
/// of a name, so the lines are in the order of their names.
fn gender_in(lines: &str, name: &str) -> Option<super::identity::Gender> {
    use super::identity::Gender;
    let bytes = lines.as_bytes();
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &bytes[lo..mid]).map_or(lo, |p| lo + p + 1);
        let end = memchr::memchr(b'\n', &bytes[start..hi]).map_or(hi, |p| start + p);
        let line = &lines[start..end];
        let (key, gender) = line.split_once('\t')?;
        match key.cmp(name) {
            std::cmp::Ordering::Equal => {
                return match gender {
                    "F" => Some(Gender::Female),
                    "M" => Some(Gender::Male),
                    _ => None,
                };
            }
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// The built-in regions, from `src/ingest/lexicon/regions.ron`.
pub fn builtin_regions() -> Result<RegionsFile, IngestError> {
    decode(REGIONS_BIN, "src/ingest/lexicon/regions.ron")
}

/// The built-in given names, from `src/ingest/lexicon/given_names.ron`.
pub fn builtin_given_names() -> Result<GivenNamesFile, IngestError> {
    decode(GIVEN_NAMES_BIN, "src/ingest/lexicon/given_names.ron")
}

/// The built-in organisations, from `src/ingest/lexicon/organizations.ron` (generated from
/// PETRARCH2's actor dictionaries by `lexicon/gen/gen_petrarch.py`).
pub fn builtin_organizations() -> Result<OrganizationsFile, IngestError> {
    decode(ORGANIZATIONS_BIN, "src/ingest/lexicon/organizations.ron")
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], source: &str) -> Result<T, IngestError> {
    postcard::from_bytes(bytes).map_err(|e| {
        IngestError::Unavailable(format!(
            "the built-in lexicon compiled from {source} cannot be read ({e}); rebuild skein"
        ))
    })
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

    #[test]
    fn given_genders_are_found_by_binary_search() {
        use crate::ingest::identity::Gender;
        let lines = "ann\tF\nann-marie\tF\nanna\tF\nbob\tM\nzoe\tF\n";
        assert_eq!(gender_in(lines, "ann"), Some(Gender::Female));
        assert_eq!(gender_in(lines, "ann-marie"), Some(Gender::Female));
        assert_eq!(gender_in(lines, "bob"), Some(Gender::Male));
        assert_eq!(gender_in(lines, "zoe"), Some(Gender::Female));
        assert_eq!(gender_in(lines, "an"), None);
        assert_eq!(gender_in(lines, "zz"), None);
        assert_eq!(gender_in("", "bob"), None);
        assert_eq!(given_gender("vladimir"), Some(Gender::Male));
        assert_eq!(given_gender("angela"), Some(Gender::Female));
        assert_eq!(given_gender("andrea"), None);
    }

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
    fn compiled_lexicons_equal_their_ron_files() {
        let regions: RegionsFile =
            parse_ron(include_str!("lexicon/regions.ron"), "regions.ron").expect("parses");
        assert_eq!(builtin_regions().expect("compiled regions"), regions);
        let names: GivenNamesFile =
            parse_ron(include_str!("lexicon/given_names.ron"), "given_names.ron").expect("parses");
        assert_eq!(builtin_given_names().expect("compiled names"), names);
        let orgs: OrganizationsFile = parse_ron(
            include_str!("lexicon/organizations.ron"),
            "organizations.ron",
        )
        .expect("parses");
        assert_eq!(
            builtin_organizations().expect("compiled organisations"),
            orgs
        );
    }

    #[test]
    fn a_damaged_compiled_lexicon_is_an_error() {
        let err = decode::<RegionsFile>(&[0xff, 0xff, 0xff], "regions.ron").expect_err("garbage");
        assert!(err.to_string().contains("regions.ron"), "{err}");
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
