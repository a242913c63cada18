//! `mlws config` and settings resolution, through the binary: the file on disk, precedence
//! flag > env > profile > default with origins, profiles, keys from files, masking.

mod support;

use predicates::prelude::*;
use support::sandbox::Sandbox;

#[test]
fn path_prints_the_config_file() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", sb.config_path().display()));
}

#[test]
fn set_get_unset_roundtrip_with_private_file() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "set", "workspace", "w1"])
        .assert()
        .success()
        .stdout("");
    sb.cmd()
        .args(["config", "get", "workspace"])
        .assert()
        .success()
        .stdout("w1\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.config_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(sb.config_path()).unwrap();
    assert!(
        text.contains("[profiles.default]") && text.contains("workspace = \"w1\""),
        "{text}"
    );
    sb.cmd()
        .args(["config", "unset", "workspace"])
        .assert()
        .success();
    sb.cmd()
        .args(["config", "get", "workspace"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`workspace` is not set"));
}

#[test]
fn profiles_are_selected_by_flag_env_or_default_profile() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "set", "workspace", "wp", "--profile", "prod"])
        .assert()
        .success();
    sb.cmd()
        .args(["--profile", "dev", "config", "set", "workspace", "wd"])
        .assert()
        .success();
    sb.cmd()
        .args(["config", "get", "workspace", "--profile", "prod"])
        .assert()
        .stdout("wp\n");
    sb.cmd()
        .args(["config", "get", "workspace"])
        .env("MLWS_PROFILE", "dev")
        .assert()
        .stdout("wd\n");
    sb.cmd()
        .args(["config", "set", "default_profile", "prod"])
        .assert()
        .success();
    sb.cmd()
        .args(["config", "get", "workspace"])
        .assert()
        .stdout("wp\n");
    sb.cmd()
        .args(["config", "list", "--show-origin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("workspace = wp\t# profile prod"));
}

#[test]
fn precedence_is_flag_then_env_then_profile_then_default() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "set", "base_url", "https://profile.example"])
        .assert()
        .success();
    sb.cmd()
        .args(["config", "set", "workspace", "wprofile"])
        .assert()
        .success();
    sb.cmd()
        .args(["config", "set", "service", "sprofile"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args(["config", "list", "--show-origin", "--workspace", "wflag"])
        .env("MLWS_WORKSPACE", "wenv")
        .env("MLWS_SERVICE", "senv")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(
        stdout.contains("base_url = https://profile.example\t# profile default"),
        "{stdout}"
    );
    assert!(stdout.contains("workspace = wflag\t# flag"), "{stdout}");
    assert!(
        stdout.contains("service = senv\t# env MLWS_SERVICE"),
        "{stdout}"
    );
    assert!(stdout.contains("api_version = 2.0\t# default"), "{stdout}");
    assert!(stdout.contains("container = mlws\t# default"), "{stdout}");
}

#[test]
fn secrets_are_masked_in_list_and_read_from_files() {
    let sb = Sandbox::new();
    let key_file = sb.path("key.txt");
    std::fs::write(&key_file, "file-key-123\n").unwrap();
    sb.cmd()
        .args(["config", "set", "subscription_key", "sub-secret-456"])
        .assert()
        .success();
    let out = sb
        .cmd()
        .args(["config", "list", "-vvv", "--api-key"])
        .arg(format!("@{}", key_file.display()))
        .output()
        .unwrap();
    assert!(out.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        all.contains("api_key = ***") && all.contains("subscription_key = ***"),
        "{all}"
    );
    assert!(
        !all.contains("file-key-123") && !all.contains("sub-secret-456"),
        "{all}"
    );
    sb.cmd()
        .args(["config", "list", "--api-key", "@/nonexistent/key"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `api_key` from `/nonexistent/key`",
        ));
}

#[test]
fn unknown_profile_and_invalid_file_are_usage_errors() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "list", "--profile", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile `nope`"));
    std::fs::create_dir_all(sb.config_path().parent().unwrap()).unwrap();
    std::fs::write(sb.config_path(), "this is = = not toml").unwrap();
    sb.cmd().args(["config", "list"]).assert().code(2).stderr(
        predicate::str::contains("invalid config file")
            .and(predicate::str::contains("config.toml")),
    );
    sb.cmd()
        .args(["config", "set", "colour", "blue"])
        .assert()
        .code(2);
}

#[test]
fn unknown_key_is_refused() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["config", "set", "colour", "blue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown config key `colour`"));
}

#[test]
fn bad_flags_exit_2_and_help_exits_0() {
    let sb = Sandbox::new();
    sb.cmd()
        .args(["rrs", "execute", "--bogus"])
        .assert()
        .code(2);
    sb.cmd()
        .args(["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("rrs"));
    sb.cmd()
        .args(["--version"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("mlws "));
}
