//! The layout of the generated lexicon files. The build script reads these types from the
//! RON files and compiles them into the binary form skein loads at start-up, so this file is
//! shared by both and must depend on nothing but serde.

use serde::{Deserialize, Serialize};

/// What kind of area a region is; written as a string in the file ("country"), and an
/// unknown kind reads as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
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

impl From<RegionKind> for String {
    fn from(kind: RegionKind) -> Self {
        kind.as_str().to_string()
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
}

/// One region as the generated file lists it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    pub regions: Vec<Region>,
}

/// The given-names file: `(names: [...])`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GivenNamesFile {
    pub names: Vec<String>,
}

/// The given-name genders file: `(female: [...], male: [...])`, lower case.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GivenGendersFile {
    pub female: Vec<String>,
    pub male: Vec<String>,
}

/// One organisation as the generated gazetteer lists it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The organisations file: `(organizations: [...])`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationsFile {
    pub organizations: Vec<Organization>,
}
