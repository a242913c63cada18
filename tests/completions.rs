//! The completion scripts committed in `completions/` must match what the binary generates.

mod support;

use support::sandbox::Sandbox;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "mlws.bash"),
    ("zsh", "_mlws"),
    ("fish", "mlws.fish"),
    ("powershell", "_mlws.ps1"),
    ("elvish", "mlws.elv"),
];

#[test]
fn committed_completions_are_fresh() {
    let sb = Sandbox::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let out = sb.cmd().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "mlws completions {shell} failed");
        assert!(!out.stdout.is_empty(), "empty {shell} script");
        let committed = std::fs::read(dir.join(file)).unwrap_or_default();
        if committed != out.stdout {
            stale.push(*file);
        }
    }
    assert!(
        stale.is_empty(),
        "stale completions {stale:?}; regenerate them with `.ci/regen-completions`"
    );
}
