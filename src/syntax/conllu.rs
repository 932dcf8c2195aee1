//! A reader for CoNLL-U treebank files (Universal Dependencies) and the scores of a parse
//! against one. It reads plain words only: multiword-token lines (`1-2`) and empty nodes
//! (`1.1`) are skipped. It must never panic on a malformed file: errors name the line.

use super::SyntaxError;

/// One annotated sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldSentence {
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub xpos: Vec<String>,
    /// Each word's head: 0 for the root, else the 1-based position of the head word.
    pub heads: Vec<u32>,
    pub labels: Vec<String>,
}

/// Reads every sentence of a CoNLL-U text; `file` names it in errors.
pub fn read(text: &str, file: &str) -> Result<Vec<GoldSentence>, SyntaxError> {
    let mut out = Vec::new();
    let mut current = GoldSentence::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let err = |message: String| SyntaxError::Conllu {
            file: file.to_string(),
            line: line_no,
            message,
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.words.is_empty() {
                check(&current).map_err(err)?;
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(format!(
                "expected 10 tab-separated columns, found {}",
                cols.len()
            )));
        }
        if cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        let id: usize = cols[0]
            .parse()
            .map_err(|_| err(format!("the word id {:?} is not a number", cols[0])))?;
        if id != current.words.len() + 1 {
            return Err(err(format!(
                "word id {id} where {} was expected",
                current.words.len() + 1
            )));
        }
        let head: u32 = cols[6]
            .parse()
            .map_err(|_| err(format!("the head {:?} is not a number", cols[6])))?;
        current.words.push(cols[1].to_string());
        current.upos.push(cols[3].to_string());
        current.xpos.push(cols[4].to_string());
        current.heads.push(head);
        current.labels.push(cols[7].to_string());
    }
    if !current.words.is_empty() {
        let lines = text.lines().count();
        check(&current).map_err(|message| SyntaxError::Conllu {
            file: file.to_string(),
            line: lines,
            message,
        })?;
        out.push(current);
    }
    Ok(out)
}

/// Checks that every head names a word of the sentence.
fn check(s: &GoldSentence) -> Result<(), String> {
    match s.heads.iter().find(|&&h| h as usize > s.words.len()) {
        Some(h) => Err(format!(
            "the sentence ending here has a head {h} beyond its {} words",
            s.words.len()
        )),
        None => Ok(()),
    }
}

/// Counts of words tagged and attached correctly. Every word counts, punctuation included,
/// as in the CoNLL 2018 shared task's evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub words: usize,
    pub upos: usize,
    pub xpos: usize,
    /// Right head.
    pub uas: usize,
    /// Right head and right universal relation (the label before any `:` subtype), as the
    /// shared task scores LAS.
    pub las: usize,
    /// Right head and the full label, subtype included.
    pub las_full: usize,
}

impl Scores {
    /// Adds one sentence's counts.
    pub fn add(
        &mut self,
        gold: &GoldSentence,
        upos: &[&str],
        xpos: &[&str],
        heads: &[u32],
        labels: &[&str],
    ) {
        for i in 0..gold.words.len() {
            self.words += 1;
            self.upos += usize::from(upos[i] == gold.upos[i]);
            self.xpos += usize::from(xpos[i] == gold.xpos[i]);
            if heads[i] == gold.heads[i] {
                self.uas += 1;
                let base = |l: &str| l.split(':').next().unwrap_or_default().to_string();
                self.las += usize::from(base(labels[i]) == base(&gold.labels[i]));
                self.las_full += usize::from(labels[i] == gold.labels[i]);
            }
        }
    }

    /// A count as a percentage of the words.
    pub fn pct(&self, count: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * count as f64 / self.words as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "# text = She left.\n1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n\
        2\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n\
        1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n\
        2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n";

    #[test]
    fn reads_words_and_skips_multiword_lines() {
        let s = read(TWO, "t.conllu").expect("reads");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, ["She", "left", "."]);
        assert_eq!(s[0].heads, [2, 0, 2]);
        assert_eq!(s[1].words, ["do", "n't"]);
    }

    #[test]
    fn a_short_line_is_an_error_with_its_line() {
        let e = read("1\tShe\tshe\n", "t.conllu").expect_err("must fail");
        assert_eq!(
            e.to_string(),
            "t.conllu:1: expected 10 tab-separated columns, found 3; fix the file and run again"
        );
    }

    #[test]
    fn las_ignores_subtypes_and_full_las_does_not() {
        let gold = read(TWO, "t").expect("reads").remove(0);
        let mut s = Scores::default();
        s.add(
            &gold,
            &["PRON", "VERB", "PUNCT"],
            &["PRP", "VBD", "."],
            &[2, 0, 2],
            &["nsubj:pass", "root", "punct"],
        );
        assert_eq!((s.words, s.uas, s.las, s.las_full), (3, 3, 3, 2));
    }
}
