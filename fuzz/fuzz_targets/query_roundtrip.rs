//! Fuzzes the query front end: any text that parses prints as canonical Cypher that parses
//! again to the same tree (the same canonical print). It must never run a query.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(printed) = skein::query::canonical(text) else {
        return;
    };
    match skein::query::canonical(&printed) {
        Ok(again) => assert_eq!(printed, again, "printing is not stable for {text:?}"),
        Err(e) => panic!("{text:?} printed as {printed:?}, which does not parse: {e}"),
    }
});
