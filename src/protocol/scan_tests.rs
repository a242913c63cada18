//! Every typed wire's `decode` (the scanner of `table::predictions` first) against its serde
//! path alone, on many generated answers: whenever the scanner reads an answer, it must give
//! exactly the serde path's columns and cells, and `decode` must give the same `Ok` or the
//! same error text either way.

use super::Predictions;
use super::answer;
use super::typed::Wire;
use crate::table::predictions::At;
use anyhow::Result;

/// A typed wire, how its scanner reads answers, and its serde path.
struct Case {
    name: &'static str,
    wire: Box<dyn Wire>,
    fast: fn(&[u8], usize) -> Option<Predictions<'_>>,
    serde: fn(&[u8], usize) -> Result<Predictions<'static>>,
    /// Answers read by the scanner.
    read: usize,
}

fn cases() -> Vec<Case> {
    let case = |name, wire, fast, serde| Case {
        name,
        wire,
        fast,
        serde,
        read: 0,
    };
    vec![
        case(
            "mlflow",
            super::mlflow::wire(None, vec![]).unwrap(),
            |b, r| answer::scan_list(b, At::KeyOrBare, r),
            super::mlflow::decode_serde,
        ),
        case(
            "azureml",
            super::azureml::wire(None, vec![]).unwrap(),
            |b, r| answer::scan_list(b, At::KeyOrBare, r),
            super::azureml::decode_serde,
        ),
        case(
            "kserve-v1",
            super::kserve_v1::wire(None, &[]).unwrap(),
            |b, r| answer::scan_list(b, At::Key, r),
            super::kserve_v1::decode_serde,
        ),
        case(
            "v2",
            super::v2::wire(None, "input-0".into(), vec![], vec![]).unwrap(),
            answer::scan_tensors,
            super::v2::decode_serde,
        ),
    ]
}

impl Case {
    /// Checks the scanner and `decode` on one answer to `rows` rows.
    fn check(&mut self, body: &[u8], rows: usize) {
        let what = || {
            format!(
                "{} ({rows} rows): {}",
                self.name,
                String::from_utf8_lossy(body)
            )
        };
        let serde = (self.serde)(body, rows);
        if let Some(fast) = (self.fast)(body, rows) {
            match &serde {
                Ok(slow) => assert_eq!(&fast, slow, "{}", what()),
                Err(e) => panic!("{}: read, where the serde path says {e:#}", what()),
            }
            self.read += 1;
        }
        match (self.wire.decode(body, rows), &serde) {
            (Ok(a), Ok(b)) => assert_eq!(&a, b, "{}", what()),
            (Err(a), Err(b)) => assert_eq!(format!("{a:#}"), format!("{b:#}"), "{}", what()),
            (a, b) => panic!(
                "{}: {:?} against {:?}",
                what(),
                a.map(drop),
                b.as_ref().map(drop)
            ),
        }
    }
}

/// Writes one key and its value of an object.
type Field = dyn Fn(&mut Gen);

/// Writes random answers, with whitespace anywhere it may go.
struct Gen {
    rng: fastrand::Rng,
    out: String,
}

impl Gen {
    fn ws(&mut self) {
        if self.rng.u8(0..3) == 0 {
            let ws = [" ", "\n", "\t", "\r\n  ", "  "][self.rng.usize(..5)];
            self.out.push_str(ws);
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    fn word(&mut self) {
        let w = self.pick(&["true", "false", "null"]);
        self.token(w);
    }

    fn token(&mut self, t: &str) {
        self.ws();
        self.out.push_str(t);
        self.ws();
    }

    /// A JSON string, its characters escaped in every way JSON allows.
    fn string(&mut self) {
        const CHARS: [&str; 14] = [
            "a", "Z", " ", ",", "é", "中", "😀", "\u{7f}", "\"", "\\", "/", "\n", "\u{1}", "\t",
        ];
        self.ws();
        self.out.push('"');
        for _ in 0..self.rng.usize(0..8) {
            let c = CHARS[self.rng.usize(..CHARS.len())];
            let ch = c.chars().next().unwrap();
            let escaped = match self.rng.u8(0..3) {
                0 => {
                    let mut units = [0u16; 2];
                    ch.encode_utf16(&mut units)
                        .iter()
                        .map(|u| format!("\\u{u:04x}"))
                        .collect()
                }
                _ => serde_json::to_string(c)
                    .unwrap()
                    .trim_matches('"')
                    .to_string(),
            };
            let escaped = match (ch, self.rng.u8(0..4)) {
                ('/', 0) => "\\/".into(),
                _ => escaped,
            };
            self.out.push_str(&escaped);
        }
        self.out.push('"');
        self.ws();
    }

    fn number(&mut self) {
        let n = match self.rng.u8(0..6) {
            0 => [
                "0",
                "-0",
                "1",
                "100",
                "-7",
                "1e3",
                "1E+3",
                "1.50",
                "0.1",
                "1.0",
                "-0.0",
                "2.5e-5",
                "1e400",
                "-1e400",
                "1e-400",
                "0.8154170274669116",
                "3.756961061029962e-6",
                "18446744073709551615",
                "18446744073709551616",
                "-9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "1e20",
                "1E-7",
            ][self.rng.usize(..24)]
            .to_string(),
            1 => self.rng.u32(..).to_string(),
            2 => self.rng.i64(..).to_string(),
            3 => {
                let f = f64::from_bits(self.rng.u64(..));
                if f.is_finite() {
                    format!("{f:e}")
                } else {
                    "0.5".into()
                }
            }
            _ => self.rng.f64().to_string(),
        };
        self.token(&n);
    }

    fn scalar(&mut self) {
        match self.rng.u8(0..12) {
            0..=4 => self.number(),
            5..=7 => self.string(),
            8 => self.token("true"),
            9 => self.token("false"),
            10 => self.token("null"),
            // Nested: the scanner's to give up, the serde path's to read.
            _ => self.value(2),
        }
    }

    /// Any value (for skipped keys), at most `depth` deep.
    fn value(&mut self, depth: u8) {
        match self.rng.u8(0..if depth == 0 { 3 } else { 5 }) {
            0 => self.number(),
            1 => self.string(),
            2 => self.word(),
            3 => {
                let n = self.rng.usize(0..4);
                self.list(n, |g| g.value(depth - 1));
            }
            _ => {
                self.token("{");
                for i in 0..self.rng.usize(0..4) {
                    if i > 0 {
                        self.token(",");
                    }
                    self.string();
                    self.token(":");
                    self.value(depth - 1);
                }
                self.token("}");
            }
        }
    }

    fn list(&mut self, n: usize, mut item: impl FnMut(&mut Self)) {
        self.token("[");
        for i in 0..n {
            if i > 0 {
                self.token(",");
            }
            item(self);
        }
        self.token("]");
    }

    /// `n` predictions: scalars, lists of scalars (mostly of one length), or objects.
    fn predictions(&mut self, n: usize) {
        match self.rng.u8(0..8) {
            0..=3 => self.list(n, Self::scalar_mostly),
            4..=6 => {
                let k = self.rng.usize(0..4);
                self.list(n, |g| {
                    let k = if g.rng.u8(0..20) == 0 { k + 1 } else { k };
                    g.list(k, Self::scalar_mostly);
                });
            }
            _ => self.list(n, |g| {
                g.token("{");
                g.string();
                g.token(":");
                g.scalar();
                g.token("}");
            }),
        }
    }

    /// A scalar, nested once in 50.
    fn scalar_mostly(&mut self) {
        if self.rng.u8(0..50) == 0 {
            self.scalar();
        } else {
            match self.rng.u8(0..10) {
                0..=5 => self.number(),
                6..=8 => self.string(),
                _ => self.word(),
            }
        }
    }

    /// Keys to skip, and a `predictions` key (twice, now and then).
    fn object(&mut self, entries: &[&dyn Fn(&mut Self)]) {
        self.token("{");
        let mut first = true;
        let mut entry = |g: &mut Self, f: &dyn Fn(&mut Self)| {
            if !first {
                g.token(",");
            }
            first = false;
            f(g);
        };
        for f in entries {
            for _ in 0..self.rng.usize(0..2) {
                entry(self, &|g: &mut Self| g.skipped_key());
            }
            entry(self, *f);
        }
        for _ in 0..self.rng.usize(0..2) {
            entry(self, &|g: &mut Self| g.skipped_key());
        }
        self.token("}");
    }

    fn skipped_key(&mut self) {
        let key = ["\"model_name\"", "\"id\"", "\"parameters\"", "\"x\""][self.rng.usize(..4)];
        self.token(key);
        self.token(":");
        self.value(3);
    }

    /// A v2 output of `n` rows.
    fn output(&mut self, n: usize) {
        let name = format!(
            "\"{}\"",
            ["predict", "proba", "out\\u0031", "é"][self.rng.usize(..4)]
        );
        let (shape, k): (Vec<usize>, usize) = match self.rng.u8(0..5) {
            0 => (vec![n], 1),
            1 => (vec![n, 1], 1),
            2 => {
                let k = self.rng.usize(0..4);
                (vec![n, k], k)
            }
            3 => (vec![n, 2, 2], 4),
            _ => (vec![], 1),
        };
        let wrong = self.rng.u8(0..20) == 0;
        let shape: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
        let shape = format!("[{}]", shape.join(","));
        let data = n * k + usize::from(wrong);
        let nested = self.rng.u8(0..20) == 0;
        let has_shape = !shape.is_empty() && self.rng.u8(0..10) != 0;
        let mut fields: Vec<Box<Field>> = vec![
            Box::new(move |g: &mut Self| {
                g.token("\"name\"");
                g.token(":");
                g.token(&name);
            }),
            Box::new(|g: &mut Self| {
                g.token("\"datatype\"");
                g.token(":");
                g.token("\"FP64\"");
            }),
            Box::new(move |g: &mut Self| {
                g.token("\"data\"");
                g.token(":");
                if nested {
                    g.list(n, |g| g.list(k, Self::scalar_mostly));
                } else {
                    g.list(data, Self::scalar_mostly);
                }
            }),
        ];
        if has_shape && shape != "[]" {
            fields.push(Box::new(move |g: &mut Self| {
                g.token("\"shape\"");
                g.token(":");
                g.token(&shape);
            }));
        }
        if self.rng.u8(0..30) == 0 {
            fields.push(Box::new(|g: &mut Self| {
                g.token("\"data\"");
                g.token(":");
                g.token("[0]");
            }));
        }
        self.rng.shuffle(&mut fields);
        let entries: Vec<&dyn Fn(&mut Self)> = fields.iter().map(|f| f.as_ref()).collect();
        self.object(&entries);
    }

    /// A random answer of `n` predictions, for any of the wires.
    fn answer(&mut self, n: usize) {
        let predictions = |g: &mut Self| {
            g.token("\"predictions\"");
            g.token(":");
            g.predictions(n);
        };
        match self.rng.u8(0..12) {
            0..=2 => self.predictions(n),
            3..=5 => self.object(&[&predictions]),
            6 => self.object(&[&predictions, &predictions]),
            7 => self.object(&[&|g: &mut Self| {
                let key = g.pick(&["\"result\"", "\"outputs\"", "\"label\""]);
                g.token(key);
                g.token(":");
                g.predictions(n);
            }]),
            _ => {
                let outputs = |g: &mut Self| {
                    g.token("\"outputs\"");
                    g.token(":");
                    let m = g.rng.usize(0..4);
                    g.list(m, |g| g.output(n));
                };
                if self.rng.u8(0..20) == 0 {
                    self.object(&[&outputs, &outputs]);
                } else {
                    self.object(&[&outputs]);
                }
            }
        }
    }

    /// Now and then, a body made malformed: cut, a byte dropped or one put in.
    fn spoil(&mut self) {
        if self.out.is_empty() || self.rng.u8(0..15) != 0 {
            return;
        }
        let mut at = self.rng.usize(..self.out.len());
        while !self.out.is_char_boundary(at) {
            at -= 1;
        }
        match self.rng.u8(0..3) {
            0 => self.out.truncate(at),
            1 => {
                self.out.remove(at);
            }
            _ => {
                let c = [
                    ',', ']', '}', '[', '{', '"', ':', '0', 'x', '\\', '.', 'e', '-',
                ];
                self.out.insert(at, c[self.rng.usize(..c.len())]);
            }
        }
    }
}

#[test]
fn every_wire_decodes_as_its_serde_path() {
    let mut cases = cases();
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(2024),
        out: String::new(),
    };
    let answers = 6000;
    for _ in 0..answers {
        g.out.clear();
        let n = [0, 1, 1, 2, 3, 5, 8][g.rng.usize(..7)];
        g.answer(n);
        g.spoil();
        let rows = match g.rng.u8(0..12) {
            0 => n + 1,
            1 => n.saturating_sub(1),
            _ => n,
        };
        for case in cases.iter_mut() {
            case.check(g.out.as_bytes(), rows);
        }
    }
    for case in &cases {
        // Some answers are not for this wire; enough must be read for the test to mean much.
        assert!(
            case.read > answers / 10,
            "{}: {} read",
            case.name,
            case.read
        );
    }
}

#[test]
fn real_servers_answers_are_read_by_the_scanner() {
    let mut cases = cases();
    let body = br#"{"predictions": [[3.756961061029962e-6, 0.999996243038939], [0.9989077288217093, 0.0010922711782906458], [0.18458297253308842, 0.8154170274669116]]}"#;
    for case in &mut cases[..3] {
        case.check(body, 3);
        assert!((case.fast)(body, 3).is_some(), "{}", case.name);
    }
    let bare = b"[0, 1, 2, 1]";
    for case in &mut cases[..2] {
        case.check(bare, 4);
        assert!((case.fast)(bare, 4).is_some(), "{}", case.name);
    }
    let v2 = br#"{"model_name":"iris","id":"d8f7c6b5","parameters":{"content_type":"np"},"outputs":[{"name":"predict","shape":[3,1],"datatype":"INT64","parameters":{"content_type":"np"},"data":[0,1,2]},{"name":"predict_proba","shape":[3,3],"datatype":"FP64","data":[0.9,0.1,0.0,0.1,0.8,0.1,0.0,0.2,0.8]}]}"#;
    cases[3].check(v2, 3);
    let p = (cases[3].fast)(v2, 3).unwrap();
    assert_eq!(
        p.columns.as_deref().unwrap(),
        [
            "predict",
            "predict_proba_0",
            "predict_proba_1",
            "predict_proba_2"
        ]
    );
    assert_eq!(p.row(2)[0], crate::table::Cell::Lit("2".into()));
    assert_eq!(p.row(2)[1], crate::table::Cell::Lit("0.0".into()));
}

/// The time of decoding answers of 1000 rows both ways (`cargo test --release --lib
/// decoding_time -- --ignored --nocapture`).
#[test]
#[ignore = "a timing, to run in release"]
fn decoding_time() {
    let labels: Vec<String> = (0..1000).map(|i| (i % 3).to_string()).collect();
    let labels = format!("{{\"predictions\": [{}]}}", labels.join(", "));
    let mut rng = fastrand::Rng::with_seed(1);
    let proba: Vec<String> = (0..1000)
        .map(|_| {
            let p = rng.f64();
            format!("[{}, {}]", serde_json::json!(p), serde_json::json!(1.0 - p))
        })
        .collect();
    let proba = format!("{{\"predictions\": [{}]}}", proba.join(", "));
    /// Microseconds a call, the answer dropped.
    fn time<'a>(decode: impl Fn() -> Predictions<'a>) -> f64 {
        let runs = 2000;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            drop(std::hint::black_box(decode()));
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(runs)
    }
    let wire = super::mlflow::wire(None, vec![]).unwrap();
    for (what, body) in [("labels", &labels), ("probabilities", &proba)] {
        let body = body.as_bytes();
        let fast = time(|| wire.decode(body, 1000).unwrap());
        let serde = time(|| super::mlflow::decode_serde(body, 1000).unwrap());
        println!("1000 {what}: scanner {fast:.1} µs, serde {serde:.1} µs an answer");
    }
}

/// The time of reading CSV rows into batches and writing their bodies, per protocol
/// (`cargo test --release --lib reading_time -- --ignored --nocapture`): the client's side of
/// a request before it is sent, on rows like the real servers' model input.
#[test]
#[ignore = "a timing, to run in release"]
fn reading_time() {
    use crate::table::{InputFormat, Source};
    let mut rng = fastrand::Rng::with_seed(2);
    let mut csv = String::from("f1,f2,f3,f4,color\n");
    let rows = 200_000;
    for _ in 0..rows {
        for _ in 0..4 {
            csv += &format!("{:.4},", rng.f64() * 4.0 - 2.0);
        }
        csv += ["red", "green", "blue"][rng.usize(..3)];
        csv.push('\n');
    }
    let url = url::Url::parse("http://127.0.0.1/").unwrap();
    for kind in [
        super::Kind::Mlflow,
        super::Kind::AzureMl,
        super::Kind::KserveV1,
        super::Kind::V2,
    ] {
        let wire = super::wire(
            kind,
            super::WireOptions {
                body_format: None,
                params: vec![],
                input_name: None,
                outputs: vec![],
                schema: None,
            },
        )
        .unwrap();
        let scoring = super::typed::TypedScoring::new(
            url.clone(),
            wire,
            super::typing::Typing::default(),
            super::typed::Keep::All,
            vec![],
        );
        let start = std::time::Instant::now();
        let source = Source::Reader {
            reader: Box::new(std::io::Cursor::new(csv.clone().into_bytes())),
            name: "in".into(),
            format: InputFormat::Csv,
        };
        let mut src =
            crate::table::open_typed(source, 1000, 4 << 20, scoring, Default::default()).unwrap();
        let mut bytes = 0;
        while let Some(b) = src.next_batch().unwrap() {
            bytes += b.body.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{:10} {:.3} s per 1M rows ({} body bytes a row)",
            kind.name(),
            secs * 1e6 / rows as f64,
            bytes / rows
        );
    }
}
