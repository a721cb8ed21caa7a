//! Front-matter and file-name dates into chrono types. Naive times are read in the
//! site's zone. The forms are the ones real archives use (see the tests).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// Parses a front-matter date: RFC 3339, `YYYY-MM-DD`, or
/// `YYYY-MM-DD[T ]H:MM[:SS[.fff]] [Z|±H|±HH|±H:MM|±HHMM|UTC|GMT]`.
pub fn parse_date(text: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let s = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt);
    }
    let bad = || {
        format!("cannot read date `{s}` (expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [±HH:MM])")
    };
    let (date_part, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let date = parse_ymd(date_part).ok_or_else(bad)?;
    if rest.is_empty() {
        return local(date.and_time(NaiveTime::MIN), tz).ok_or_else(bad);
    }
    let (time_part, zone) = split_zone(rest);
    let time = parse_hms(time_part).ok_or_else(bad)?;
    let naive = date.and_time(time);
    match zone {
        None => local(naive, tz).ok_or_else(bad),
        Some(z) => {
            let offset = parse_offset(z).ok_or_else(bad)?;
            offset.from_local_datetime(&naive).single().ok_or_else(bad)
        }
    }
}

/// A `YYYY-MM-DD-` (day or month possibly unpadded) prefix of a file name.
pub fn date_from_file_name(name: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = name.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let rest = parts.next().unwrap_or("");
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, rest))
}

/// A `YYYY/MM/DD` run of folders in a content path such as `2013/02/02/story.md`.
pub fn date_from_path(content_path: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = content_path.split('/').collect();
    parts.windows(3).find_map(|w| {
        let ok = w[0].len() == 4 && w[1].len() == 2 && w[2].len() == 2;
        ok.then(|| {
            NaiveDate::from_ymd_opt(w[0].parse().ok()?, w[1].parse().ok()?, w[2].parse().ok()?)
        })
        .flatten()
    })
}

/// A naive date-time read in the site's zone (the later instant in a DST overlap,
/// the hour after a DST gap).
pub fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    let dt = tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
    })?;
    Some(dt.fixed_offset())
}

fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some()
        || y.len() != 4
        || m.is_empty()
        || m.len() > 2
        || d.is_empty()
        || d.len() > 2
    {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_hms(s: &str) -> Option<NaiveTime> {
    let (main, frac) = match s.split_once('.') {
        Some((m, f)) if f.bytes().all(|b| b.is_ascii_digit()) && !f.is_empty() => (m, Some(f)),
        Some(_) => return None,
        None => (s, None),
    };
    let nums: Vec<u32> = main
        .split(':')
        .map(|p| {
            if (1..=2).contains(&p.len()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()?;
    let nanos = frac.map_or(Some(0), |f| format!("{f:0<9}")[..9].parse().ok())?;
    match nums[..] {
        [h, m] => NaiveTime::from_hms_nano_opt(h, m, 0, nanos),
        [h, m, sec] => NaiveTime::from_hms_nano_opt(h, m, sec, nanos),
        _ => None,
    }
}

/// Splits `14:00:00 -4` / `14:00:00Z` / `14:00:00+02:00` into time and zone.
fn split_zone(s: &str) -> (&str, Option<&str>) {
    if let Some(t) = s.strip_suffix(['Z', 'z']) {
        return (t.trim(), Some("Z"));
    }
    if let Some(i) = s.rfind([' ', '+', '-']) {
        let (t, z) = (s[..i].trim(), s[i..].trim());
        if !t.is_empty() {
            return (t, Some(z));
        }
    }
    (s, None)
}

fn parse_offset(z: &str) -> Option<FixedOffset> {
    let upper = z.to_ascii_uppercase();
    if matches!(upper.as_str(), "Z" | "UTC" | "GMT") {
        return FixedOffset::east_opt(0);
    }
    let (sign, body) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => body.split_at(2),
        None => (body, "0"),
    };
    if h.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    FixedOffset::east_opt(sign * secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        parse_date(s, chrono_tz::UTC)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn front_matter_date_forms() {
        let cases = [
            ("2014-09-08", "2014-09-08T00:00:00+00:00"),
            ("2014-03-12T10:11:00-04:00", "2014-03-12T10:11:00-04:00"),
            ("2015-03-17 14:00:00 -4", "2015-03-17T14:00:00-04:00"),
            ("2016-03-23 9:00:00 -4", "2016-03-23T09:00:00-04:00"),
            ("2020-07-07T00:00:00.000Z", "2020-07-07T00:00:00+00:00"),
            ("2014-09-08 ", "2014-09-08T00:00:00+00:00"),
            ("2013-02-02 12:34", "2013-02-02T12:34:00+00:00"),
            ("2013-02-02 12:34:56 +0530", "2013-02-02T12:34:56+05:30"),
            ("2013-02-02T12:34:56", "2013-02-02T12:34:56+00:00"),
            ("1969-07-20 20:17 UTC", "1969-07-20T20:17:00+00:00"),
        ];
        for (input, want) in cases {
            assert_eq!(utc(input), want, "input {input:?}");
        }
    }

    #[test]
    fn naive_dates_are_in_the_site_zone() {
        let d = parse_date("2013-07-01 09:00", chrono_tz::Europe::Paris).expect("valid");
        assert_eq!(d.to_rfc3339(), "2013-07-01T09:00:00+02:00");
    }

    #[test]
    fn bad_dates_say_what_was_expected() {
        assert_eq!(
            utc("2013-02-30"),
            "cannot read date `2013-02-30` (expected YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS] [±HH:MM])"
        );
        assert!(parse_date("yesterday", chrono_tz::UTC).is_err());
        assert!(parse_date("2013-02-02 25:00", chrono_tz::UTC).is_err());
    }

    #[test]
    fn file_names_and_paths_give_dates() {
        let (d, rest) = date_from_file_name("2024-12-5-18f-project-defaults").expect("dated");
        assert_eq!(
            (d.to_string().as_str(), rest),
            ("2024-12-05", "18f-project-defaults")
        );
        assert_eq!(date_from_file_name("lavrov-talks"), None);
        assert_eq!(
            date_from_path("2013/02/02/lavrov.md").map(|d| d.to_string()),
            Some("2013-02-02".into())
        );
        assert_eq!(date_from_path("news/lavrov.md"), None);
    }
}
