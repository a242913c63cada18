//! JSON Lines round trip (issue 11): a file written by Python's `json` module is scored by
//! `mlws score` through `mlws serve --protocol mlflow`, written as JSON Lines (`-f jsonl`, also
//! gzip-compressed by its `.jsonl.gz` name) and read back by Python's `json` module: one object
//! per input row, in order, the input's values as they were and the predictions as numbers.

mod support;

use support::sandbox::Sandbox;
use support::serve::Emulator;

fn python(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_lines_written_by_python_come_back_readable_by_python() {
    let sb = Sandbox::new();
    let input = sb.path("in.jsonl");
    python(
        "import json, sys\n\
         with open(sys.argv[1], 'w') as f:\n\
         \x20   for i in range(300):\n\
         \x20       f.write(json.dumps({'Col2': f'row {i} \\u00e9 \"q\"', 'n': i}) + '\\n')\n",
        &[input.to_str().unwrap()],
    );
    let em = Emulator::start(&["--protocol", "mlflow"]);
    for out in ["out.jsonl", "out.jsonl.gz"] {
        let status = sb
            .cmd()
            .args(["score", "--url", &em.url, "-i", "in.jsonl", "-o", out])
            .args(["--batch-size", "7", "--types", "n=int"])
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let checked = python(
            "import gzip, json, sys\n\
             p = sys.argv[1]\n\
             f = gzip.open(p, 'rt') if p.endswith('.gz') else open(p)\n\
             rows = [json.loads(l) for l in f]\n\
             assert len(rows) == 300, len(rows)\n\
             for i, r in enumerate(rows):\n\
             \x20   assert r['Col2'] == f'row {i} \\u00e9 \"q\"', r\n\
             \x20   assert r['n'] == i, r\n\
             \x20   assert all(isinstance(r[f'Col2_HashingFeature.{k}'], int) for k in range(8)), r\n\
             print('ok')\n",
            &[sb.path(out).to_str().unwrap()],
        );
        assert_eq!(checked.trim(), "ok", "{out}");
    }
}
