//! Unit tests of the TCK runner's support modules (feature reader, value parser, comparison,
//! side effects), which the runner itself cannot host because it has no test harness.
//!
//! It must never need the TCK files: every case is written out here or in the modules.

// The runner uses every item; these tests use only some, so the rest looks unused from here.
#[allow(dead_code)]
#[path = "mod.rs"]
mod support;

mod value {
    use std::collections::BTreeMap;

    use super::support::value::*;

    fn parsed(text: &str) -> Expected {
        match parse_value(text) {
            Ok(v) => v,
            Err(e) => panic!("{text:?} did not parse: {e}"),
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(parsed("null"), Expected::Null);
        assert_eq!(parsed(" true "), Expected::Bool(true));
        assert_eq!(parsed("false"), Expected::Bool(false));
        assert_eq!(parsed("-42"), Expected::Int(-42));
        assert_eq!(
            parsed("4611686018427387905"),
            Expected::Int(4611686018427387905)
        );
        assert_eq!(parsed("0x1F"), Expected::Int(31));
        assert_eq!(parsed("-0x1F"), Expected::Int(-31));
        assert_eq!(parsed("1.5"), Expected::Float(1.5));
        assert_eq!(parsed(".5"), Expected::Float(0.5));
        assert_eq!(parsed("1e10"), Expected::Float(1e10));
        assert_eq!(parsed("-1.25E-3"), Expected::Float(-1.25e-3));
        assert_eq!(parsed("Infinity"), Expected::Float(f64::INFINITY));
        assert_eq!(parsed("-Infinity"), Expected::Float(f64::NEG_INFINITY));
        assert!(matches!(parsed("NaN"), Expected::Float(x) if x.is_nan()));
    }

    #[test]
    fn strings_with_escapes() {
        assert_eq!(parsed("''"), Expected::String(String::new()));
        assert_eq!(parsed(r"'\''"), Expected::String("'".into()));
        assert_eq!(
            parsed(r#"'a\\bcn5t\'"\\//\\"\''"#),
            Expected::String(r#"a\bcn5t'"\//\"'"#.into())
        );
        assert_eq!(parsed(r"'\u01FF'"), Expected::String("ǿ".into()));
        assert_eq!(parsed("'🧐🍌'"), Expected::String("🧐🍌".into()));
        assert_eq!(parsed(r#""x""#), Expected::String("x".into()));
    }

    #[test]
    fn lists_and_maps() {
        assert_eq!(
            parsed("[1, [2, 'a'], []]"),
            Expected::List(vec![
                Expected::Int(1),
                Expected::List(vec![Expected::Int(2), Expected::String("a".into())]),
                Expected::List(vec![]),
            ])
        );
        let mut map = BTreeMap::new();
        map.insert("name".to_string(), Expected::String("x".into()));
        map.insert("two words".to_string(), Expected::Null);
        assert_eq!(parsed("{name: 'x', `two words`: null}"), Expected::Map(map));
        assert_eq!(parsed("{}"), Expected::Map(BTreeMap::new()));
    }

    #[test]
    fn graph_values() {
        let node = parsed("(:B:A {name: 'n', num: 1})");
        let Expected::Node(node) = node else {
            panic!("not a node");
        };
        assert_eq!(
            node.labels.iter().collect::<Vec<_>>(),
            [&"A".to_string(), &"B".to_string()]
        );
        assert_eq!(node.props.len(), 2);
        assert_eq!(parsed("()").to_string(), "()");
        assert_eq!(parsed("({a: 1})").to_string(), "({a: 1})");
        assert_eq!(parsed("[:T {k: 'v'}]").to_string(), "[:T {k: 'v'}]");
        let path = parsed("<(:A)-[:T]->(:B)<-[:U {w: 2}]-()>");
        let Expected::Path { start, hops } = &path else {
            panic!("not a path");
        };
        assert!(start.labels.contains("A"));
        assert_eq!(hops.len(), 2);
        assert!(hops[0].forward);
        assert!(!hops[1].forward);
        assert_eq!(path.to_string(), "<(:A)-[:T]->(:B)<-[:U {w: 2}]-()>");
        assert_eq!(parsed("<()>").to_string(), "<()>");
        assert_eq!(
            parsed("[<(:A)-[:T]->(:B)>]").to_string(),
            "[<(:A)-[:T]->(:B)>]"
        );
    }

    #[test]
    fn malformed_values_are_errors_with_a_column() {
        for (text, column) in [
            ("", 1),
            ("[1, 2", 6),
            ("{a 1}", 4),
            ("'open", 6),
            ("nul", 1),
            ("1 2", 3),
            ("(:A", 4),
            ("<(:A)-[:T]-(:B)>", 12),
            ("99999999999999999999", 1),
            ("[:T", 4),
            (r"'\u12'", 4),
        ] {
            match parse_value(text) {
                Ok(v) => panic!("{text:?} parsed as {v}"),
                Err(e) => assert_eq!(e.column, column, "{text:?}: {e}"),
            }
        }
        let deep = "[".repeat(1000);
        assert!(parse_value(&deep).is_err());
    }

    #[test]
    fn parameters_exclude_graph_values() {
        assert_eq!(
            to_query_value(&parsed("[1, {a: 'x'}]")).map(|v| v.to_string()),
            Ok("[1, {a: 'x'}]".to_string())
        );
        assert!(to_query_value(&parsed("(:A)")).is_err());
    }
}

mod compare {
    use skein::graph::Properties;
    use skein::query::{NodeValue, PathValue, QueryResult, QueryValue, RelValue};

    use super::support::compare::*;
    use super::support::value::{Expected, parse_value};
    use skein::graph::{EdgeId, NodeId, Value};

    fn exp(text: &str) -> Expected {
        parse_value(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn node(id: u64, labels: &[&str], props: &[(&str, Value)]) -> NodeValue {
        NodeValue {
            id: NodeId(id),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            props: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    fn rel(id: u64, t: &str, source: u64, target: u64) -> RelValue {
        RelValue {
            id: EdgeId(id),
            rel_type: t.into(),
            source: NodeId(source),
            target: NodeId(target),
            props: Properties::new(),
        }
    }

    #[test]
    fn scalars_keep_their_types() {
        assert!(value_matches(&exp("1"), &QueryValue::Int(1), false));
        assert!(!value_matches(&exp("1"), &QueryValue::Float(1.0), false));
        assert!(!value_matches(&exp("1.0"), &QueryValue::Int(1), false));
        assert!(value_matches(&exp("0.1"), &QueryValue::Float(0.1), false));
        assert!(value_matches(
            &exp("0.30000000000000004"),
            &QueryValue::Float(0.1 + 0.2),
            false
        ));
        assert!(!value_matches(&exp("0.3"), &QueryValue::Float(0.31), false));
        assert!(value_matches(
            &exp("NaN"),
            &QueryValue::Float(f64::NAN),
            false
        ));
        assert!(!value_matches(&exp("NaN"), &QueryValue::Float(1.0), false));
        assert!(!value_matches(
            &exp("null"),
            &QueryValue::Bool(false),
            false
        ));
        assert!(!value_matches(
            &exp("'1'"),
            &QueryValue::String("1 ".into()),
            false
        ));
    }

    #[test]
    fn lists_in_order_unless_told() {
        let got = QueryValue::List(vec![QueryValue::Int(2), QueryValue::Int(1)]);
        assert!(!value_matches(&exp("[1, 2]"), &got, false));
        assert!(value_matches(&exp("[1, 2]"), &got, true));
        assert!(!value_matches(&exp("[1, 1]"), &got, true));
        assert!(!value_matches(&exp("[1]"), &got, true));
    }

    #[test]
    fn nodes_compare_without_ids_and_label_order() {
        let n = node(7, &["B", "A"], &[("name", Value::from("x"))]);
        assert!(value_matches(
            &exp("(:A:B {name: 'x'})"),
            &QueryValue::Node(n.clone()),
            false
        ));
        assert!(!value_matches(
            &exp("(:A {name: 'x'})"),
            &QueryValue::Node(n.clone()),
            false
        ));
        assert!(!value_matches(
            &exp("(:A:B)"),
            &QueryValue::Node(n.clone()),
            false
        ));
        assert!(!value_matches(
            &exp("(:A:B {name: 'x', k: 1})"),
            &QueryValue::Node(n),
            false
        ));
    }

    #[test]
    fn paths_check_direction() {
        let a = node(1, &["A"], &[]);
        let b = node(2, &["B"], &[]);
        let path = QueryValue::Path(PathValue {
            nodes: vec![a, b],
            rels: vec![rel(5, "T", 1, 2)],
        });
        assert!(value_matches(&exp("<(:A)-[:T]->(:B)>"), &path, false));
        assert!(!value_matches(&exp("<(:A)<-[:T]-(:B)>"), &path, false));
        assert!(!value_matches(&exp("<(:A)-[:U]->(:B)>"), &path, false));
        assert!(!value_matches(&exp("<(:A)>"), &path, false));
    }

    fn result(columns: &[&str], rows: Vec<Vec<QueryValue>>) -> QueryResult {
        QueryResult {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
            ..QueryResult::default()
        }
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<Expected>> {
        rows.iter()
            .map(|r| r.iter().map(|c| exp(c)).collect())
            .collect()
    }

    const ANY: TableMode = TableMode {
        ordered: false,
        unordered_lists: false,
    };
    const ORDERED: TableMode = TableMode {
        ordered: true,
        unordered_lists: false,
    };

    #[test]
    fn tables_in_any_order_and_in_order() {
        use QueryValue::Int;
        let got = result(
            &["a", "b"],
            vec![vec![Int(2), Int(20)], vec![Int(1), Int(10)]],
        );
        let header = vec!["a".to_string(), "b".to_string()];
        let expected = table(&[&["1", "10"], &["2", "20"]]);
        assert_eq!(compare_table(&header, &expected, &got, ANY), Ok(()));
        let err = compare_table(&header, &expected, &got, ORDERED).unwrap_err();
        assert!(err.starts_with("row 1 differs"), "{err}");
        // Columns are found by name.
        let swapped = vec!["b".to_string(), "a".to_string()];
        let expected_swapped = table(&[&["10", "1"], &["20", "2"]]);
        assert_eq!(
            compare_table(&swapped, &expected_swapped, &got, ANY),
            Ok(())
        );
    }

    #[test]
    fn tables_report_what_differs() {
        use QueryValue::Int;
        let header = vec!["a".to_string()];
        let got = result(&["a"], vec![vec![Int(1)], vec![Int(1)]]);
        let err = compare_table(&header, &table(&[&["1"], &["2"]]), &got, ANY).unwrap_err();
        assert!(err.contains("expected row 2 not found"), "{err}");
        let err = compare_table(&header, &table(&[&["1"]]), &got, ANY).unwrap_err();
        assert!(err.starts_with("wrong row count"), "{err}");
        let other = result(&["x"], vec![vec![Int(1)]]);
        let err = compare_table(&header, &table(&[&["1"]]), &other, ANY).unwrap_err();
        assert!(err.starts_with("wrong columns"), "{err}");
        // Duplicates must pair one to one.
        let got = result(&["a"], vec![vec![Int(1)], vec![Int(2)], vec![Int(2)]]);
        let err = compare_table(&header, &table(&[&["1"], &["1"], &["2"]]), &got, ANY).unwrap_err();
        assert!(err.contains("repeats"), "{err}");
    }
}

mod effects {
    use skein::graph::Graph;

    use super::support::effects::*;
    use skein::graph::{Properties, Value};

    fn props(pairs: &[(&str, Value)]) -> Properties {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn counts_label_names_and_property_entries() {
        let mut g = Graph::new();
        let before = snapshot(&g);
        let a = g.add_node(["L"], props(&[("num", Value::Int(1))]));
        let b = g.add_node(["L", "M"], Properties::new());
        g.add_edge(a, "T", b, props(&[("w", Value::Int(2))]))
            .expect("both ends exist");
        let after = snapshot(&g);
        assert_eq!(
            describe(&diff(&before, &after)),
            "+nodes 2, +relationships 1, +properties 2, +labels 2"
        );

        // Overwriting a value is one property removed and one set; removing a label still
        // in use elsewhere does not remove the label name.
        g.set_node_property(a, "num", Value::Int(5))
            .expect("node exists");
        g.remove_label(b, "L").expect("node exists");
        let later = snapshot(&g);
        assert_eq!(
            describe(&diff(&after, &later)),
            "+properties 1, -properties 1"
        );
        assert_eq!(describe(&diff(&later, &later)), "none");
    }

    #[test]
    fn parses_the_expected_table() {
        let rows = vec![
            vec!["+nodes".to_string(), "2".to_string()],
            vec!["-labels".to_string(), "1".to_string()],
        ];
        let expected = parse_expected(&rows).expect("valid table");
        assert_eq!(describe(&expected), "+nodes 2, -labels 1");
        assert!(parse_expected(&[vec!["+cats".to_string(), "1".to_string()]]).is_err());
        assert!(parse_expected(&[vec!["+nodes".to_string(), "x".to_string()]]).is_err());
        assert!(parse_expected(&[vec!["+nodes".to_string()]]).is_err());
    }
}

mod feature {
    use super::support::feature::*;

    const SAMPLE: &str = "# comment
Feature: Sample - things

  Background:
    Given an empty graph

  @skipStyleCheck
  Scenario: [1] Plain
    And having executed:
      \"\"\"
      CREATE (:A)
        -[:T]->()
      \"\"\"
    When executing query:
      \"\"\"
      MATCH (n) RETURN n
      \"\"\"
    # A comment between steps.
    Then the result should be, in any order:
      | n     |
      | (:A)  |
      | 'a\\|b' |
      | '\\\\\\\\' |
    And no side effects

  Scenario Outline: [2] Outline <x>
    When executing query:
      \"\"\"
      RETURN <x> AS v
      \"\"\"
    Then the result should be, in any order:
      | v   |
      | <x> |

    Examples:
      | x |
      | 1 |
      | 2 |

    Examples:
      | x   |
      | 'q' |
";

    #[test]
    fn reads_scenarios_backgrounds_and_outlines() {
        let feature = parse_feature(SAMPLE).expect("sample parses");
        assert_eq!(feature.name, "Sample - things");
        let titles: Vec<String> = feature.scenarios.iter().map(Scenario::title).collect();
        assert_eq!(
            titles,
            [
                "[1] Plain",
                "[2] Outline <x> (example 1)",
                "[2] Outline <x> (example 2)",
                "[2] Outline <x> (example 3)"
            ]
        );
        let plain = &feature.scenarios[0];
        assert_eq!(plain.tags, ["@skipStyleCheck"]);
        assert_eq!(plain.steps[0].text, "an empty graph");
        assert_eq!(plain.steps[1].keyword, "And");
        assert_eq!(
            plain.steps[1].arg,
            StepArg::DocString("CREATE (:A)\n  -[:T]->()".into())
        );
        assert_eq!(
            plain.steps[3].arg,
            StepArg::Table(vec![
                vec!["n".into()],
                vec!["(:A)".into()],
                vec!["'a|b'".into()],
                vec![r"'\\'".into()],
            ])
        );
        let third = &feature.scenarios[3];
        assert_eq!(third.steps[0].text, "an empty graph");
        assert_eq!(
            third.steps[1].arg,
            StepArg::DocString("RETURN 'q' AS v".into())
        );
        assert_eq!(
            third.steps[2].arg,
            StepArg::Table(vec![vec!["v".into()], vec!["'q'".into()]])
        );
    }

    #[test]
    fn malformed_files_say_which_line() {
        let cases = [
            ("Scenario: x\n", 1),
            ("Feature: f\n  Given a step\n", 2),
            (
                "Feature: f\n  Scenario: s\n    Given x:\n      \"\"\"\n      open\n",
                4,
            ),
            ("Feature: f\n  Scenario: s\n    Given x\n      | a | b\n", 4),
            ("Feature: f\n  Scenario: s\n    Frobnicate\n", 3),
            ("Feature: f\n  Scenario: s\n    Examples:\n", 3),
            ("", 1),
        ];
        for (text, line) in cases {
            match parse_feature(text) {
                Ok(f) => panic!("{text:?} parsed: {f:?}"),
                Err(e) => assert_eq!(e.line, line, "{text:?}: {e}"),
            }
        }
    }

    #[test]
    fn a_lone_bar_is_an_empty_row() {
        let text = "Feature: f\n  Scenario: s\n    Given x:\n      |\n";
        let feature = parse_feature(text).expect("parses");
        assert_eq!(
            feature.scenarios[0].steps[0].arg,
            StepArg::Table(vec![vec![]])
        );
    }

    #[test]
    fn crlf_line_ends_are_accepted() {
        let text = "Feature: f\r\n  Scenario: s\r\n    Given any graph\r\n";
        let feature = parse_feature(text).expect("parses");
        assert_eq!(feature.scenarios[0].steps[0].text, "any graph");
    }
}

/// Every file and every expected value of the real TCK must read, so that a scenario never
/// fails because of the runner; without the TCK there is nothing to check.
mod whole_tck {
    use std::path::Path;

    use super::support::feature::{StepArg, parse_feature};
    use super::support::value::parse_value;

    #[test]
    fn every_feature_file_and_expected_value_reads() {
        let tck = std::env::var_os("SKEIN_TCK")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tck"));
        let features = tck.join("features");
        if !features.is_dir() {
            eprintln!(
                "openCypher TCK not found at {}; nothing to check",
                tck.display()
            );
            return;
        }
        let mut pending = vec![features];
        let mut problems = Vec::new();
        let mut n_files = 0;
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir)
                .expect("readable TCK folder")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                n_files += 1;
                let text = std::fs::read_to_string(&path).expect("UTF-8 feature file");
                let feature = match parse_feature(&text) {
                    Ok(f) => f,
                    Err(e) => {
                        problems.push(format!("{}: {e}", path.display()));
                        continue;
                    }
                };
                for scenario in &feature.scenarios {
                    for step in &scenario.steps {
                        let checked = step.text.starts_with("the result should be")
                            || step.text.starts_with("parameters are");
                        let StepArg::Table(rows) = &step.arg else {
                            continue;
                        };
                        if !checked {
                            continue;
                        }
                        // Result tables start with a header; parameter tables do not.
                        let skip = usize::from(step.text.starts_with("the result"));
                        for row in rows.iter().skip(skip) {
                            let cells = if skip == 0 {
                                row.get(1..).unwrap_or(&[])
                            } else {
                                &row[..]
                            };
                            for cell in cells {
                                if let Err(e) = parse_value(cell) {
                                    problems.push(format!(
                                        "{}:{}: `{cell}`: {e}",
                                        path.display(),
                                        step.line
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(n_files > 0, "no feature files found");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
