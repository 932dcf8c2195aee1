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
        match s.to_ascii_lowercase().as_str() {
            "country" => RegionKind::Country,
            "province" | "state" | "oblast" => RegionKind::Province,
            "city" | "capital" => RegionKind::City,
            "sea" | "ocean" => RegionKind::Sea,
            "continent" => RegionKind::Continent,
            _ => RegionKind::Other,
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
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    pub regions: Vec<Region>,
}

/// The given-names file: `(names: [...])`.
#[derive(Debug, Clone, Deserialize)]
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
        let mut gaz = Gazetteer {
            regions: file.regions,
            ..Default::default()
        };
        // Better-ranked readings claim a form first: a name shared by a country and a city
        // means the country; among equals the more populous wins.
        let mut order: Vec<usize> = (0..gaz.regions.len()).collect();
        order.sort_by_key(|&i| {
            let r = &gaz.regions[i];
            (
                r.kind.rank(),
                std::cmp::Reverse(r.population.unwrap_or(0)),
                i,
            )
        });
        for &i in &order {
            let region = &gaz.regions[i];
            let mut forms: Vec<String> = vec![region.name.clone()];
            forms.extend(region.aliases.iter().cloned());
            if region.kind == RegionKind::Province {
                for form in forms.clone() {
                    if let Some((stem, last)) = form.rsplit_once(' ')
                        && PROVINCE_SUFFIXES.contains(&last.to_lowercase().as_str())
                    {
                        forms.push(stem.to_string());
                    }
                }
            }
            gaz.by_name.entry(fold_key(&region.name)).or_insert(i);
            for form in forms {
                for key in name_variants(&form) {
                    gaz.by_form.entry(key).or_insert(i);
                }
            }
            for demonym in &region.demonyms {
                gaz.by_demonym.entry(fold_key(demonym)).or_insert(i);
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

/// A name's folded key plus its spelling variants: "St." and "Saint" are one word.
pub fn name_variants(form: &str) -> Vec<String> {
    let key = fold_key(form);
    let swaps = |w: &str| matches!(w, "st" | "saint" | "ste" | "sainte" | "mt" | "mount");
    if !key.split(' ').any(swaps) {
        // Most names have no word to swap; skip splitting and joining them.
        return vec![key];
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
    out
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
