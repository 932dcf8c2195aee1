//! Trains skein's tagger and parser on Universal Dependencies treebanks and writes the
//! weights file that `src/syntax` embeds. It is a tool, never part of the runtime: skein
//! does not link it. Training is deterministic: a fixed file order, a fixed seed, and no
//! hash-order iteration reaches the output. See README.md in this folder.

mod oracle;
mod perceptron;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use skein::syntax::conllu::{self, GoldSentence};
use skein::syntax::features::{ParseAtoms, parser_features, tagger_features, word_atoms};
use skein::syntax::model::{Model, Tag, argmax, tag_atom};
use skein::syntax::transition::{Move, State};

use perceptron::Perceptron;

/// The settings of a run.
struct Config {
    ud: PathBuf,
    out: PathBuf,
    tagger_epochs: usize,
    parser_epochs: usize,
    folds: usize,
    /// Weights whose magnitude is below this fraction of the largest are dropped, in the
    /// parser and in the tagger.
    prune: f32,
    tagger_prune: f32,
    /// Also score the test sets (only for the final report, never for tuning).
    test: bool,
    /// Train on the EWT training set only.
    ewt_only: bool,
    /// Instead of training, prune an existing weights file again and write it to `out`.
    repack: Option<PathBuf>,
}

fn usage() -> &'static str {
    "usage: syntax-train [--ud DIR] [--out FILE] [--tagger-epochs N] [--parser-epochs N] \
     [--folds K] [--prune F] [--tagger-prune F] [--ewt-only] [--test] [--repack WEIGHTS]"
}

fn parse_args() -> Result<Config, String> {
    let mut c = Config {
        ud: std::env::var_os("SKEIN_UD")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("../shared/ud")),
        out: PathBuf::from("src/syntax/weights/en-ud.bin"),
        tagger_epochs: 8,
        parser_epochs: 12,
        folds: 5,
        prune: 0.0,
        tagger_prune: 0.0,
        test: false,
        ewt_only: false,
        repack: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value; {}", usage()))
        };
        let number = |v: String| {
            v.parse::<usize>()
                .map_err(|_| format!("{a}: {v:?} is not a number"))
        };
        match a.as_str() {
            "--ud" => c.ud = PathBuf::from(value()?),
            "--out" => c.out = PathBuf::from(value()?),
            "--tagger-epochs" => c.tagger_epochs = number(value()?)?,
            "--parser-epochs" => c.parser_epochs = number(value()?)?,
            "--folds" => c.folds = number(value()?)?.max(2),
            "--prune" => {
                let v = value()?;
                c.prune = v
                    .parse()
                    .map_err(|_| format!("--prune: {v:?} is not a number"))?;
            }
            "--tagger-prune" => {
                let v = value()?;
                c.tagger_prune = v
                    .parse()
                    .map_err(|_| format!("--tagger-prune: {v:?} is not a number"))?;
            }
            "--test" => c.test = true,
            "--ewt-only" => c.ewt_only = true,
            "--repack" => c.repack = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown argument {a:?}; {}", usage())),
        }
    }
    Ok(c)
}

fn read(dir: &Path, name: &str) -> Result<Vec<GoldSentence>, String> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: {e}; point --ud (or SKEIN_UD) at the UD folder",
            path.display()
        )
    })?;
    conllu::read(&text, &path.display().to_string()).map_err(|e| e.to_string())
}

/// A small deterministic generator (xorshift64*), so runs repeat exactly.
pub struct Rng(u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// The tag and label tables: tags by falling frequency (then by name), labels by name.
fn tables(train: &[GoldSentence]) -> (Vec<Tag>, Vec<String>) {
    let mut tag_count: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut labels: BTreeMap<String, ()> = BTreeMap::new();
    for s in train {
        for i in 0..s.words.len() {
            *tag_count
                .entry((s.upos[i].clone(), s.xpos[i].clone()))
                .or_default() += 1;
            labels.insert(s.labels[i].clone(), ());
        }
    }
    let mut tags: Vec<_> = tag_count.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let tags = tags
        .into_iter()
        .map(|((upos, xpos), _)| Tag { upos, xpos })
        .collect();
    (tags, labels.into_keys().collect())
}

/// A sentence ready for training: words, gold tag indices, gold heads and label indices.
struct Example<'a> {
    words: Vec<&'a str>,
    tags: Vec<u16>,
    heads: Vec<u32>,
    labels: Vec<u8>,
}

fn examples<'a>(data: &'a [GoldSentence], tags: &[Tag], labels: &[String]) -> Vec<Example<'a>> {
    let tag_index: BTreeMap<(&str, &str), u16> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.upos.as_str(), t.xpos.as_str()), i as u16))
        .collect();
    let label_index: BTreeMap<&str, u8> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u8))
        .collect();
    data.iter()
        .map(|s| Example {
            words: s.words.iter().map(String::as_str).collect(),
            tags: (0..s.words.len())
                .map(|i| {
                    tag_index
                        .get(&(s.upos[i].as_str(), s.xpos[i].as_str()))
                        .copied()
                        .unwrap_or(0)
                })
                .collect(),
            heads: s.heads.clone(),
            labels: s
                .labels
                .iter()
                .map(|l| label_index.get(l.as_str()).copied().unwrap_or(0))
                .collect(),
        })
        .collect()
}

/// Trains a tagger on `train` for `epochs` passes in a shuffled, seeded order.
fn train_tagger(train: &[&Example<'_>], n_tags: usize, epochs: usize, seed: u64) -> Perceptron {
    let mut p = Perceptron::new(n_tags);
    let mut rng = Rng(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats = Vec::new();
    let mut scores = vec![0f32; n_tags];
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let ex = train[k];
            let atoms: Vec<_> = ex.words.iter().map(|w| word_atoms(w)).collect();
            let mut prev: Vec<u16> = Vec::with_capacity(ex.words.len());
            for i in 0..ex.words.len() {
                tagger_features(&atoms, &prev, i, &mut feats);
                p.score(&feats, &mut scores);
                let guess = argmax(&scores, |_| true);
                let gold = usize::from(ex.tags[i]);
                p.tick();
                if guess != gold {
                    p.update(&feats, gold, guess);
                }
                prev.push(guess as u16);
            }
        }
    }
    p
}

/// Tags with a model still in training form.
fn tag_with(p: &Perceptron, words: &[&str]) -> Vec<u16> {
    let atoms: Vec<_> = words.iter().map(|w| word_atoms(w)).collect();
    let mut prev = Vec::with_capacity(words.len());
    let mut feats = Vec::new();
    let mut scores = vec![0f32; p.n_classes()];
    for i in 0..words.len() {
        tagger_features(&atoms, &prev, i, &mut feats);
        p.score_averaged(&feats, &mut scores);
        prev.push(argmax(&scores, |_| true) as u16);
    }
    prev
}

/// Trains the parser with the arc-hybrid dynamic oracle, exploring the model's own
/// mistakes from the second pass on.
fn train_parser(
    train: &[Example<'_>],
    predicted_tags: &[Vec<u16>],
    n_labels: usize,
    root: u8,
    epochs: usize,
    dev: &dyn Fn(&Perceptron, usize),
) -> Perceptron {
    let n_classes = Move::n_classes(n_labels);
    let mut p = Perceptron::new(n_classes);
    let mut rng = Rng(0x005e_ed0f_5eed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut feats = Vec::new();
    let mut scores = vec![0f32; n_classes];
    let mut costs = vec![0u32; n_classes];
    let projective: Vec<Vec<u32>> = train
        .iter()
        .map(|e| oracle::projectivise(&e.heads))
        .collect();
    let lifted: usize = train
        .iter()
        .zip(&projective)
        .filter(|(e, p)| e.heads != **p)
        .count();
    eprintln!(
        "parser: {lifted} of {} training trees were non-projective and were lifted",
        train.len()
    );
    for epoch in 0..epochs {
        let start = Instant::now();
        rng.shuffle(&mut order);
        let (mut right, mut total) = (0usize, 0usize);
        for &k in &order {
            let ex = &train[k];
            let gold = &projective[k];
            let atoms: Vec<ParseAtoms> = ex
                .words
                .iter()
                .zip(&predicted_tags[k])
                .map(|(w, &t)| ParseAtoms {
                    word: word_atoms(w).norm,
                    tag: tag_atom(t),
                })
                .collect();
            let mut state = State::new(ex.words.len());
            while !state.is_final() {
                parser_features(&state, &atoms, &mut feats);
                p.score(&feats, &mut scores);
                oracle::costs(&state, gold, &ex.labels, root, &mut costs);
                let legal = |c: usize| state.is_legal(Move::from_class(c), root);
                let min = (0..n_classes)
                    .filter(|&c| legal(c))
                    .map(|c| costs[c])
                    .min()
                    .unwrap_or(0);
                let guess = argmax(&scores, legal);
                let best = argmax(&scores, |c| legal(c) && costs[c] == min);
                p.tick();
                total += 1;
                if costs[guess] == min {
                    right += 1;
                } else {
                    p.update(&feats, best, guess);
                }
                let follow = if epoch > 0 && rng.below(10) < 9 {
                    guess
                } else {
                    best
                };
                state.apply(Move::from_class(follow));
            }
        }
        eprintln!(
            "parser epoch {}: {:.1}% of moves optimal, {} features, {:.1}s",
            epoch + 1,
            100.0 * right as f64 / total.max(1) as f64,
            p.n_rows(),
            start.elapsed().as_secs_f64()
        );
        dev(&p, epoch);
    }
    p
}

/// Parses with a model still in training form (for scores on dev between passes).
fn parse_with(p: &Perceptron, words: &[&str], tags: &[u16], root: u8) -> Vec<u32> {
    let atoms: Vec<ParseAtoms> = words
        .iter()
        .zip(tags)
        .map(|(w, &t)| ParseAtoms {
            word: word_atoms(w).norm,
            tag: tag_atom(t),
        })
        .collect();
    let mut state = State::new(words.len());
    let mut feats = Vec::new();
    let mut scores = vec![0f32; p.n_classes()];
    while !state.is_final() {
        parser_features(&state, &atoms, &mut feats);
        p.score_averaged(&feats, &mut scores);
        let best = argmax(&scores, |c| state.is_legal(Move::from_class(c), root));
        state.apply(Move::from_class(best));
    }
    state.heads[1..].to_vec()
}

fn evaluate(model: &Model, name: &str, data: &[GoldSentence]) {
    let start = Instant::now();
    let s = model.score(data);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{name}: {} words, UPOS {:.2}, XPOS {:.2}, UAS {:.2}, LAS {:.2} (full labels {:.2}), {:.0} words/s",
        s.words,
        s.pct(s.upos),
        s.pct(s.xpos),
        s.pct(s.uas),
        s.pct(s.las),
        s.pct(s.las_full),
        s.words as f64 / secs
    );
}

/// Prunes an existing weights file again (weights below `prune` times the largest are
/// dropped) and scores the result, without training.
fn repack(config: &Config, from: &Path) -> Result<(), String> {
    let bytes = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let model = Model::decode(&bytes).map_err(|e| e.to_string())?;
    let prune = |rows: Vec<(u64, Vec<(u8, f32)>)>, prune: f32| -> Vec<(u64, Vec<(u8, f32)>)> {
        let max = rows
            .iter()
            .flat_map(|(_, r)| r.iter().map(|&(_, w)| w.abs()))
            .fold(0f32, f32::max);
        rows.into_iter()
            .map(|(k, r)| {
                (
                    k,
                    r.into_iter()
                        .filter(|&(_, w)| w.abs() >= prune * max)
                        .collect(),
                )
            })
            .collect()
    };
    let bytes = Model::encode(
        &model.tags,
        &model.labels,
        &prune(model.tagger.rows(), config.tagger_prune),
        &prune(model.parser.rows(), config.prune),
    );
    std::fs::write(&config.out, &bytes).map_err(|e| format!("{}: {e}", config.out.display()))?;
    let model = Model::decode(&bytes).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} ({} bytes: tagger {} features, {} weights; parser {} features, {} weights)",
        config.out.display(),
        bytes.len(),
        model.tagger.n_rows(),
        model.tagger.n_weights(),
        model.parser.n_rows(),
        model.parser.n_weights()
    );
    evaluate(
        &model,
        "EWT dev",
        &read(&config.ud, "en_ewt-ud-dev.conllu")?,
    );
    evaluate(
        &model,
        "GUM dev",
        &read(&config.ud, "en_gum-ccby-dev.conllu")?,
    );
    if config.test {
        evaluate(
            &model,
            "EWT test",
            &read(&config.ud, "en_ewt-ud-test.conllu")?,
        );
        evaluate(
            &model,
            "GUM test",
            &read(&config.ud, "en_gum-ccby-test.conllu")?,
        );
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let config = parse_args()?;
    if let Some(from) = &config.repack {
        return repack(&config, from);
    }
    let started = Instant::now();
    let mut train = read(&config.ud, "en_ewt-ud-train.conllu")?;
    if !config.ewt_only {
        train.extend(read(&config.ud, "en_gum-ccby-train.conllu")?);
    }
    let ewt_dev = read(&config.ud, "en_ewt-ud-dev.conllu")?;
    let gum_dev = read(&config.ud, "en_gum-ccby-dev.conllu")?;
    let (tags, labels) = tables(&train);
    let root = labels
        .iter()
        .position(|l| l == "root")
        .ok_or("the training data has no root label")? as u8;
    eprintln!(
        "{} training sentences, {} tags, {} labels",
        train.len(),
        tags.len(),
        labels.len()
    );
    let exs = examples(&train, &tags, &labels);

    // The parser learns from tags as the tagger will give them, not gold tags: each fold's
    // tags come from a tagger trained on the other folds.
    let mut predicted: Vec<Vec<u16>> = vec![Vec::new(); exs.len()];
    for fold in 0..config.folds {
        let t = Instant::now();
        let rest: Vec<&Example<'_>> = exs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % config.folds != fold)
            .map(|(_, e)| e)
            .collect();
        let p = train_tagger(
            &rest,
            tags.len(),
            config.tagger_epochs,
            0x7a66_0000 + fold as u64,
        );
        let (mut right, mut total) = (0, 0);
        for (i, e) in exs
            .iter()
            .enumerate()
            .filter(|(i, _)| i % config.folds == fold)
        {
            predicted[i] = tag_with(&p, &e.words);
            right += predicted[i]
                .iter()
                .zip(&e.tags)
                .filter(|(a, b)| a == b)
                .count();
            total += e.tags.len();
        }
        eprintln!(
            "jackknife fold {}: tag accuracy {:.2}%, {:.1}s",
            fold + 1,
            100.0 * right as f64 / total as f64,
            t.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let all: Vec<&Example<'_>> = exs.iter().collect();
    let tagger = train_tagger(&all, tags.len(), config.tagger_epochs, 0x7a66_ffff);
    eprintln!(
        "tagger: {} features, {:.1}s",
        tagger.n_rows(),
        t.elapsed().as_secs_f64()
    );

    let dev_exs = examples(&ewt_dev, &tags, &labels);
    let dev_tags: Vec<Vec<u16>> = dev_exs
        .iter()
        .map(|e| tag_with(&tagger, &e.words))
        .collect();
    let dev_report = |p: &Perceptron, epoch: usize| {
        let (mut uas, mut n) = (0, 0);
        for (e, t) in dev_exs.iter().zip(&dev_tags) {
            let heads = parse_with(p, &e.words, t, root);
            uas += heads.iter().zip(&e.heads).filter(|(a, b)| a == b).count();
            n += heads.len();
        }
        eprintln!(
            "  after epoch {}: EWT dev UAS {:.2}",
            epoch + 1,
            100.0 * uas as f64 / n as f64
        );
    };
    let parser = train_parser(
        &exs,
        &predicted,
        labels.len(),
        root,
        config.parser_epochs,
        &dev_report,
    );

    let bytes = Model::encode(
        &tags,
        &labels,
        &tagger.averaged(config.tagger_prune),
        &parser.averaged(config.prune),
    );
    std::fs::write(&config.out, &bytes).map_err(|e| format!("{}: {e}", config.out.display()))?;
    let model = Model::decode(&bytes).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} ({} bytes: tagger {} features, {} weights; parser {} features, {} weights) in {:.0}s",
        config.out.display(),
        bytes.len(),
        model.tagger.n_rows(),
        model.tagger.n_weights(),
        model.parser.n_rows(),
        model.parser.n_weights(),
        started.elapsed().as_secs_f64()
    );
    evaluate(&model, "EWT dev", &ewt_dev);
    evaluate(&model, "GUM dev", &gum_dev);
    if config.test {
        evaluate(
            &model,
            "EWT test",
            &read(&config.ud, "en_ewt-ud-test.conllu")?,
        );
        evaluate(
            &model,
            "GUM test",
            &read(&config.ud, "en_gum-ccby-test.conllu")?,
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
