//! Where S3 credentials come from: the AWS environment variables, else a profile of the
//! shared credentials file. Never from site.toml, never printed (rusty-s3's
//! `Credentials` leaves the secret out of `Debug`).

use std::path::PathBuf;

use rusty_s3::Credentials;

use crate::deploy::DeployError;

/// Credentials from `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`),
/// else from the profile `AWS_PROFILE` (default `default`) of `AWS_SHARED_CREDENTIALS_FILE`
/// (default `~/.aws/credentials`). `env` looks a variable up, so tests need not set any.
pub(crate) fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, DeployError> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    if let (Some(key), Some(secret)) = (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
        return Ok(with_token(key, secret, var("AWS_SESSION_TOKEN")));
    }
    let profile = var("AWS_PROFILE").unwrap_or_else(|| "default".to_owned());
    let file = var("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".aws/credentials")));
    let missing = || DeployError::NoCredentials {
        profile: profile.clone(),
        credentials_file: file.as_ref().map_or_else(
            || "~/.aws/credentials".to_owned(),
            |f| f.display().to_string(),
        ),
    };
    let text = file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .ok_or_else(missing)?;
    from_profile(&text, &profile).ok_or_else(missing)
}

/// Reads `[profile]` of an AWS shared credentials file (INI).
fn from_profile(text: &str, profile: &str) -> Option<Credentials> {
    let mut in_profile = false;
    let (mut key, mut secret, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = section.trim() == profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((name, value)) = line.split_once('=') {
            let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            match name.trim() {
                "aws_access_key_id" => key = value,
                "aws_secret_access_key" => secret = value,
                "aws_session_token" => token = value,
                _ => {}
            }
        }
    }
    Some(with_token(key?, secret?, token))
}

fn with_token(key: String, secret: String, token: Option<String>) -> Credentials {
    match token {
        Some(token) => Credentials::new_with_token(key, secret, token),
        None => Credentials::new(key, secret),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn environment_comes_first() {
        let c = load(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "s3cr3t"),
            ("AWS_SESSION_TOKEN", "tok"),
        ]))
        .unwrap();
        assert_eq!(
            (c.key(), c.secret(), c.token()),
            ("AKID", "s3cr3t", Some("tok"))
        );
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }

    #[test]
    fn profile_is_read_from_the_shared_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("credentials");
        std::fs::write(
            &file,
            "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n\
             # newsroom\n[news]\naws_access_key_id=C\naws_secret_access_key=D\n",
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let c = load(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "news"),
        ]))
        .unwrap();
        assert_eq!((c.key(), c.secret(), c.token()), ("C", "D", None));
        let c = load(&env(&[("AWS_SHARED_CREDENTIALS_FILE", path)])).unwrap();
        assert_eq!(c.key(), "A");
        let e = load(&env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_PROFILE", "gone"),
        ]))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            format!(
                "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                 (and AWS_SESSION_TOKEN), or AWS_PROFILE naming a profile in {path} \
                 (profile `gone` not found)"
            )
        );
    }
}
