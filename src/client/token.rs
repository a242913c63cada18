//! `--token-command` (`spec/cli.md` "Long runs"): the bearer token comes from a command run by
//! the shell. Its stdout is the token, or the JSON of `az account get-access-token`
//! (`accessToken`, with `expires_on` in epoch seconds, which wins, or `expiresOn`, local time
//! without a zone). It is run when first needed, again before the token expires (5 minutes
//! ahead, or at three quarters of its life for tokens shorter than 20 minutes), and once after
//! a 401 answered to the current token. Every token is a secret: the client masks each one it
//! has had wherever it could show. A command that fails or prints nothing is exit 3 with the
//! last line of its stderr.

use crate::error::AuthError;
use crate::secret::{Secret, mask_secrets};
use anyhow::Result;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long the command may take.
const COMMAND_TIME_LIMIT: Duration = Duration::from_secs(120);

pub struct TokenSource {
    command: String,
    current: tokio::sync::Mutex<Option<Token>>,
    /// Every token had so far (for masking), and how many times the command ran.
    seen: Mutex<Vec<Secret>>,
}

#[derive(Clone)]
struct Token {
    value: Secret,
    /// When to fetch the next one (`None`: a token without an expiry, kept until a 401).
    refresh_at: Option<Instant>,
    /// 1 for the first token, 2 for the next, ...
    generation: u64,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSource { .. }")
    }
}

impl TokenSource {
    pub fn new(command: String) -> Self {
        TokenSource {
            command,
            current: tokio::sync::Mutex::new(None),
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The token to send now and its generation, fetched first when there is none or when its
    /// refresh time has come. Concurrent callers wait for one run of the command.
    pub async fn get(&self) -> Result<(Secret, u64)> {
        let mut current = self.current.lock().await;
        let fresh = current
            .as_ref()
            .filter(|t| t.refresh_at.is_none_or(|at| Instant::now() < at));
        if let Some(t) = fresh {
            return Ok((t.value.clone(), t.generation));
        }
        let generation = current.as_ref().map_or(1, |t| t.generation + 1);
        let token = self.fetch(generation).await?;
        let out = (token.value.clone(), generation);
        *current = Some(token);
        Ok(out)
    }

    /// After a 401 to the token of `generation`: the next call of [`get`](Self::get) runs the
    /// command again, unless a newer token was fetched meanwhile.
    pub async fn refused(&self, generation: u64) {
        let mut current = self.current.lock().await;
        if let Some(t) = current.as_mut()
            && t.generation == generation
        {
            t.refresh_at = Some(Instant::now());
        }
    }

    /// Every token had so far.
    pub fn seen(&self) -> Vec<Secret> {
        self.seen.lock().expect("token list lock").clone()
    }

    /// How many tokens were fetched.
    pub fn fetches(&self) -> usize {
        self.seen.lock().expect("token list lock").len()
    }

    async fn fetch(&self, generation: u64) -> Result<Token> {
        let mut cmd = tokio::process::Command::new("sh");
        cmd.arg("-c")
            .arg(&self.command)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let ran = tokio::time::timeout(COMMAND_TIME_LIMIT, cmd.output()).await;
        let output = match ran {
            Err(_) => return Err(failed("did not finish within 2 minutes", "")),
            Ok(Err(e)) => return Err(failed(&format!("could not be run: {e}"), "")),
            Ok(Ok(o)) => o,
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let how = match output.status.code() {
                Some(c) => format!("exited with status {c}"),
                None => "was killed by a signal".to_string(),
            };
            return Err(failed(&how, &stderr));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let now = SystemTime::now();
        let (value, expires) = parse(&stdout).map_err(|why| failed(&why, &stderr))?;
        self.seen
            .lock()
            .expect("token list lock")
            .push(value.clone());
        let refresh_at = expires.map(|e| Instant::now() + refresh_after(now, e));
        Ok(Token {
            value,
            refresh_at,
            generation,
        })
    }
}

/// The error of a command that gave no token: what happened, and its stderr's last line.
fn failed(what: &str, stderr: &str) -> anyhow::Error {
    let last = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .map(|l| format!(": {}", mask_secrets(l)))
        .unwrap_or_default();
    anyhow::Error::new(AuthError(format!("the token command {what}{last}")))
}

/// How long after `now` to fetch the next token of one that expires at `expires`: 5 minutes
/// before, or at three quarters of its life when it lives less than 20 minutes.
pub fn refresh_after(now: SystemTime, expires: SystemTime) -> Duration {
    let life = expires.duration_since(now).unwrap_or(Duration::ZERO);
    if life < Duration::from_secs(20 * 60) {
        life.mul_f64(0.75)
    } else {
        life - Duration::from_secs(5 * 60)
    }
}

/// The token and its expiry from the command's stdout.
pub fn parse(stdout: &str) -> Result<(Secret, Option<SystemTime>), String> {
    let text = stdout.trim();
    if text.is_empty() {
        return Err("printed nothing".into());
    }
    if !text.starts_with('{') {
        if text.contains(char::is_whitespace) {
            return Err("printed more than a token (one line, or the JSON of `az account get-access-token`)".into());
        }
        return Ok((Secret::new(text), None));
    }
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| "printed JSON that cannot be read".to_string())?;
    let token = ["accessToken", "access_token", "token"]
        .iter()
        .find_map(|k| v.get(k).and_then(|t| t.as_str()))
        .filter(|t| !t.is_empty())
        .ok_or("printed JSON without `accessToken`")?;
    let epoch = match v.get("expires_on") {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let expires = match (epoch, v.get("expiresOn").and_then(|e| e.as_str())) {
        (Some(secs), _) => Some(UNIX_EPOCH + Duration::from_secs(secs)),
        (None, Some(local)) => Some(local_time(local)?),
        (None, None) => None,
    };
    Ok((Secret::new(token), expires))
}

/// `expiresOn` as `az` prints it: local time without a zone, `2024-05-01 13:45:07.000000`.
fn local_time(s: &str) -> Result<SystemTime, String> {
    let bad = || format!("printed an `expiresOn` that is not a local time: `{s}`");
    let dt: jiff::civil::DateTime = s.trim().replace(' ', "T").parse().map_err(|_| bad())?;
    let zoned = dt
        .to_zoned(jiff::tz::TimeZone::system())
        .map_err(|_| bad())?;
    Ok(SystemTime::from(zoned.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_az_json_are_read() {
        let (t, e) = parse("  abc.def.ghi\n").unwrap();
        assert_eq!((t.expose(), e), ("abc.def.ghi", None));
        let json = r#"{"accessToken": "tok", "expiresOn": "2030-01-01 00:00:00.000000", "expires_on": 1893456000, "tokenType": "Bearer"}"#;
        let (t, e) = parse(json).unwrap();
        assert_eq!(t.expose(), "tok");
        assert_eq!(e, Some(UNIX_EPOCH + Duration::from_secs(1_893_456_000)));
        let json = r#"{"accessToken": "tok", "expiresOn": "2030-01-01 00:00:00.000000"}"#;
        let (_, e) = parse(json).unwrap();
        let secs = e.unwrap().duration_since(UNIX_EPOCH).unwrap().as_secs();
        // Local midnight is within a day of UTC midnight, whatever the zone.
        assert!(secs.abs_diff(1_893_456_000) <= 14 * 3600, "{secs}");
        assert!(parse("").is_err());
        assert!(parse("two words").is_err());
        assert!(parse(r#"{"expires_on": 1}"#).is_err());
    }

    #[test]
    fn tokens_are_refreshed_ahead_of_their_expiry() {
        let now = UNIX_EPOCH + Duration::from_secs(1000);
        let at = |s| refresh_after(now, now + Duration::from_secs(s));
        assert_eq!(at(3600), Duration::from_secs(3300));
        assert_eq!(at(8), Duration::from_secs(6));
        assert_eq!(at(0), Duration::ZERO);
    }

    #[tokio::test]
    async fn a_command_that_fails_is_an_auth_error_with_its_last_line() {
        let src = TokenSource::new("echo one >&2; echo 'no login' >&2; exit 3".into());
        let e = src.get().await.unwrap_err();
        assert_eq!(
            crate::error::exit_status(&e),
            crate::error::ExitStatus::Auth
        );
        assert_eq!(
            e.to_string(),
            "the token command exited with status 3: no login"
        );
        let src = TokenSource::new("true".into());
        assert!(
            src.get()
                .await
                .unwrap_err()
                .to_string()
                .contains("printed nothing")
        );
    }

    #[tokio::test]
    async fn a_refusal_fetches_one_new_token() {
        let dir = tempfile::tempdir().unwrap();
        let n = dir.path().join("n");
        let cmd = format!("echo x >> {0}; echo tok$(wc -l < {0})", n.display());
        let src = TokenSource::new(cmd);
        assert_eq!(src.get().await.unwrap().0.expose(), "tok1");
        assert_eq!(src.get().await.unwrap().0.expose(), "tok1");
        src.refused(1).await;
        src.refused(1).await;
        assert_eq!(src.get().await.unwrap(), (Secret::new("tok2"), 2));
        // A 401 to an older token does not fetch again.
        src.refused(1).await;
        assert_eq!(src.get().await.unwrap().1, 2);
        assert_eq!(src.fetches(), 2);
    }
}
