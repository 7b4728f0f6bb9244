//! What a deployment needs from the operating system (product.md, "Deployment"): who is acting,
//! by login name, and whether a database's file modes keep it private to its user or its team.
//!
//! Depends on nothing else of the program, so the store and every front end can use it.
//!
//! # File modes
//! A database is either **personal** (one user; the default in the data directory, 0700/0600) or
//! a **team's** (a site database in a folder of the `rosa-screen` group: folder 2770, files
//! 0660). A folder with the set-group-id bit is a team's folder; any other is personal. The
//! program never widens or narrows modes it finds: [`check_database`] names what is wrong and
//! the command that fixes it, and the database is not opened until it is fixed.

use std::path::Path;

/// The operating system's login name of whoever runs the program: the name the system's user
/// database gives the real user id (on Unix through `getpwuid_r`, so also without `$USER` and
/// with LDAP or other name services), never a name typed into the program. `None` when the
/// system has no name for the user id.
#[must_use]
pub fn login_name() -> Option<String> {
    #[cfg(unix)]
    {
        let uid = nix::unistd::getuid();
        nix::unistd::User::from_uid(uid)
            .ok()
            .flatten()
            .map(|u| u.name)
            .filter(|n| !n.trim().is_empty())
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME")
            .ok()
            .filter(|n| !n.trim().is_empty())
    }
}

/// The actor recorded in the audit log: the [`login_name`], else `uid N` (a number the system
/// can still tell, never a typed name), else `unknown`.
#[must_use]
pub fn actor() -> String {
    if let Some(name) = login_name() {
        return name;
    }
    #[cfg(unix)]
    {
        format!("uid {}", nix::unistd::getuid())
    }
    #[cfg(not(unix))]
    {
        "unknown".to_owned()
    }
}

/// The login name for an action on a referral, which must name someone.
///
/// # Errors
/// One sentence saying why nobody can be named and what to do about it.
pub fn review_actor() -> Result<String, String> {
    login_name().ok_or_else(|| {
        #[cfg(unix)]
        let who = format!("user id {}", nix::unistd::getuid());
        #[cfg(not(unix))]
        let who = "this user".to_owned();
        format!(
            "cannot tell who you are: {who} has no login name in the system's user database, and \
             referral actions are recorded under the login name; ask IT to give this account a \
             login name (an entry in /etc/passwd or the directory service)"
        )
    })
}

/// What a folder's mode makes of a database inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// One user's: folder and file for the owner only (0700/0600).
    Personal,
    /// A team's: the folder has the set-group-id bit (2770), files are for owner and group
    /// (0660).
    Team,
}

/// The mode a new database file gets in a folder of this kind.
#[must_use]
pub fn new_file_mode(sharing: Sharing) -> u32 {
    match sharing {
        Sharing::Personal => 0o600,
        Sharing::Team => 0o660,
    }
}

/// Whether the database at `path` is a personal or a team's one, by its folder's mode
/// (personal when the folder does not exist yet or this is not Unix).
#[must_use]
pub fn sharing(path: &Path) -> Sharing {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder(path);
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() && m.permissions().mode() & 0o2000 != 0 => Sharing::Team,
            _ => Sharing::Personal,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Sharing::Personal
    }
}

/// The folder a database file is in (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Checks that this user may reach the database at `path` at all: a team's folder is closed to
/// users outside its group, and the program says so (with the fix) instead of reporting a
/// missing file or a bare "permission denied".
///
/// # Errors
/// One sentence naming the folder, its group and the command that adds this user to it.
pub fn check_reachable(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = folder(path);
        let Ok(dir_meta) = std::fs::metadata(dir) else {
            return Ok(());
        };
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                let gid = nix::unistd::Gid::from_raw(dir_meta.gid());
                let group = nix::unistd::Group::from_gid(gid)
                    .ok()
                    .flatten()
                    .map_or_else(|| format!("with id {gid}"), |g| g.name);
                let who = login_name().unwrap_or_else(|| "USER".to_owned());
                Err(format!(
                    "you ({who}) cannot open the database folder {} (group {group}, mode {:04o}): \
                     only members of the group {group} may use the site's database; ask IT to \
                     add you with `adduser {who} {group}`, then log in again",
                    dir.display(),
                    dir_meta.permissions().mode() & 0o7777
                ))
            }
            _ => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Checks the modes of an existing database, its write-ahead log and shared-memory files, and,
/// for a team's database, its folder.
///
/// A personal database must be for its owner only (no group or other bits). A team's database
/// and its files may be read and written by the group and must be by nobody else; its folder
/// must be 2770 (no access for others; set-group-id so new files belong to the team's group).
///
/// # Errors
/// One sentence naming the file or folder, what is wrong with it, and the `chmod` that fixes it.
pub fn check_database(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let sharing = sharing(path);
        if sharing == Sharing::Team {
            let dir = folder(path);
            if let Ok(m) = std::fs::metadata(dir) {
                let mode = m.permissions().mode() & 0o7777;
                if mode & 0o007 != 0 {
                    return Err(format!(
                        "the database folder {} can be opened by every user of this machine \
                         (mode {mode:04o}); a site's folder is for its team only: run \
                         `chmod 2770 {}` as root",
                        dir.display(),
                        dir.display()
                    ));
                }
                if mode & 0o070 != 0o070 {
                    return Err(format!(
                        "the database folder {} is not open to its group (mode {mode:04o}), so \
                         the team cannot share it: run `chmod 2770 {}` as root",
                        dir.display(),
                        dir.display()
                    ));
                }
            }
        }
        let mut files = vec![path.to_path_buf()];
        for suffix in ["-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            files.push(name.into());
        }
        for file in &files {
            let Ok(m) = std::fs::metadata(file) else {
                continue;
            };
            let mode = m.permissions().mode() & 0o7777;
            let (forbidden, fix, whom) = match sharing {
                Sharing::Personal => (0o077, "0600", "other users"),
                Sharing::Team => (0o007, "0660", "users outside its group"),
            };
            if mode & forbidden != 0 {
                let what = if mode & 0o004 != 0 {
                    "can be read by every user of this machine".to_owned()
                } else {
                    format!("is open to {whom}")
                };
                return Err(format!(
                    "the database file {} {what} (mode {mode:04o}) and holds personal data: run \
                     `chmod {fix} {}` (the program does not change modes itself)",
                    file.display(),
                    file.display()
                ));
            }
            if sharing == Sharing::Team && mode & 0o060 != 0o060 {
                return Err(format!(
                    "the database file {} cannot be written by its group (mode {mode:04o}), so \
                     the rest of the team cannot use it: run `chmod 0660 {}`",
                    file.display(),
                    file.display()
                ));
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A folder of `dir_mode` holding a database file of `file_mode`.
    fn db(dir_mode: u32, file_mode: u32) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("site");
        std::fs::create_dir(&dir).unwrap();
        let file = dir.join("rosa-screen.db");
        std::fs::write(&file, b"").unwrap();
        chmod(&file, file_mode);
        chmod(&dir, dir_mode);
        (tmp, file)
    }

    #[test]
    fn a_personal_database_for_its_owner_only_is_accepted() {
        let (_t, f) = db(0o700, 0o600);
        assert_eq!(sharing(&f), Sharing::Personal);
        assert_eq!(check_database(&f), Ok(()));
    }

    #[test]
    fn a_world_readable_database_is_refused_naming_the_file_and_the_fix() {
        let (_t, f) = db(0o700, 0o644);
        let e = check_database(&f).unwrap_err();
        let name = f.display().to_string();
        assert_eq!(
            e,
            format!(
                "the database file {name} can be read by every user of this machine (mode 0644) \
                 and holds personal data: run `chmod 0600 {name}` (the program does not change \
                 modes itself)"
            )
        );
        // Nothing was changed.
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o644);
    }

    #[test]
    fn a_personal_database_open_to_its_group_is_refused() {
        let (_t, f) = db(0o700, 0o660);
        let e = check_database(&f).unwrap_err();
        assert!(e.contains("is open to other users (mode 0660)"), "{e}");
        assert!(e.contains("chmod 0600"), "{e}");
    }

    #[test]
    fn a_team_database_is_shared_with_its_group_and_nobody_else() {
        let (_t, f) = db(0o2770, 0o660);
        assert_eq!(sharing(&f), Sharing::Team);
        assert_eq!(check_database(&f), Ok(()));
        chmod(&f, 0o664);
        let e = check_database(&f).unwrap_err();
        assert!(e.contains("can be read by every user"), "{e}");
        assert!(e.contains(&format!("chmod 0660 {}", f.display())), "{e}");
        chmod(&f, 0o640);
        let e = check_database(&f).unwrap_err();
        assert!(
            e.contains("cannot be written by its group (mode 0640)"),
            "{e}"
        );
    }

    #[test]
    fn a_team_folder_open_to_others_is_refused() {
        let (_t, f) = db(0o2775, 0o660);
        let e = check_database(&f).unwrap_err();
        let dir = f.parent().unwrap().display().to_string();
        assert!(
            e.starts_with(&format!(
                "the database folder {dir} can be opened by every user"
            )),
            "{e}"
        );
        assert!(e.contains(&format!("`chmod 2770 {dir}` as root")), "{e}");
    }

    #[test]
    fn a_world_readable_write_ahead_log_is_refused_too() {
        let (_t, f) = db(0o2770, 0o660);
        let wal = f.with_file_name("rosa-screen.db-wal");
        std::fs::write(&wal, b"").unwrap();
        chmod(&wal, 0o664);
        let e = check_database(&f).unwrap_err();
        assert!(e.contains(&wal.display().to_string()), "{e}");
    }

    #[test]
    fn the_actor_is_the_login_name_of_the_real_user() {
        // The test runner has a login name on every machine we build on (root in CI).
        let name = login_name().unwrap();
        assert_eq!(actor(), name);
        assert_eq!(review_actor(), Ok(name.clone()));
        // Not taken from the environment.
        assert_ne!(name, "");
    }
}

/// The machine's time zone, found as jiff's `TimeZone::system` finds it (`TZ` as a POSIX rule,
/// a zone name or a file, else `/etc/localtime`) but without building jiff's time zone
/// database: that lists every file under `/usr/share/zoneinfo` (some 1,800) to look one name
/// up, a few milliseconds of every start for one date. What this does not recognise is left to
/// jiff, so the answer is never worse than before.
#[must_use]
pub fn local_zone() -> jiff::tz::TimeZone {
    let dir = std::env::var_os("TZDIR").map_or_else(
        || std::path::PathBuf::from("/usr/share/zoneinfo"),
        std::path::PathBuf::from,
    );
    zone_from(
        std::env::var_os("TZ").as_deref(),
        Path::new("/etc/localtime"),
        &dir,
    )
    .unwrap_or_else(jiff::tz::TimeZone::system)
}

/// Today's date in the machine's time zone ([`local_zone`]).
#[must_use]
pub fn local_today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(local_zone())
        .date()
}

/// The time zone that `tz` (the `TZ` variable), the `localtime` file and the zone folder `dir`
/// name, or `None` for jiff to decide (a name that is not a plain relative path, an unreadable
/// or invalid file).
fn zone_from(
    tz: Option<&std::ffi::OsStr>,
    localtime: &Path,
    dir: &Path,
) -> Option<jiff::tz::TimeZone> {
    use jiff::tz::TimeZone;
    let Some(tz) = tz else {
        // `fs::read` follows the usual symbolic link into the zone folder.
        let data = std::fs::read(localtime).ok()?;
        return TimeZone::tzif("localtime", &data).ok();
    };
    // An empty `TZ` is UTC to the C library and to jiff.
    if tz.is_empty() {
        return Some(TimeZone::UTC);
    }
    let tz = tz.to_str()?;
    // `:NAME` is always a name or a file; otherwise a POSIX rule (`CET-1CEST,M3.5.0,M10.5.0/3`)
    // comes first, as in the C library.
    let name = match tz.strip_prefix(':') {
        Some(name) => name,
        None => match TimeZone::posix(tz) {
            Ok(zone) => return Some(zone),
            Err(_) => tz,
        },
    };
    let path = if name.starts_with('/') {
        std::path::PathBuf::from(name)
    } else if name
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        // Only a plain name is looked up in the zone folder; the rest is jiff's to judge.
        return None;
    } else {
        dir.join(name)
    };
    TimeZone::tzif(name, &std::fs::read(path).ok()?).ok()
}

#[cfg(test)]
mod zone_tests {
    use super::*;
    use jiff::tz::{Offset, TimeZone};

    /// A minimal TZif (version 1) file: one local time type, `hours` east of UTC.
    fn tzif(hours: i32) -> Vec<u8> {
        let mut data = b"TZif".to_vec();
        data.extend_from_slice(&[0; 16]); // version 1, reserved
        for count in [0u32, 0, 0, 0, 1, 4] {
            // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
            data.extend_from_slice(&count.to_be_bytes());
        }
        data.extend_from_slice(&(hours * 3600).to_be_bytes());
        data.extend_from_slice(&[0, 0]); // not daylight time, abbreviation at 0
        data.extend_from_slice(b"TST\0");
        data
    }

    fn offset(zone: &TimeZone) -> Offset {
        zone.to_offset(jiff::Timestamp::UNIX_EPOCH)
    }

    fn hours(h: i8) -> Offset {
        Offset::constant(h)
    }

    #[test]
    fn without_tz_the_localtime_file_decides() {
        let dir = tempfile::tempdir().unwrap();
        let localtime = dir.path().join("localtime");
        std::fs::write(&localtime, tzif(5)).unwrap();
        let zone = zone_from(None, &localtime, dir.path()).unwrap();
        assert_eq!(offset(&zone), hours(5));
    }

    #[test]
    fn an_empty_tz_is_utc() {
        let zone = zone_from(Some("".as_ref()), Path::new("/nonexistent"), Path::new("/")).unwrap();
        assert_eq!(offset(&zone), hours(0));
    }

    #[test]
    fn a_posix_rule_in_tz_is_used_as_such() {
        let zone = zone_from(
            Some("CET-1CEST,M3.5.0,M10.5.0/3".as_ref()),
            Path::new("/nonexistent"),
            Path::new("/nonexistent"),
        )
        .unwrap();
        // 1 January 1970 is winter: one hour east.
        assert_eq!(offset(&zone), hours(1));
    }

    #[test]
    fn a_name_in_tz_is_read_from_the_zone_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("Test")).unwrap();
        std::fs::write(dir.path().join("Test").join("Zone"), tzif(-3)).unwrap();
        let localtime = dir.path().join("localtime");
        std::fs::write(&localtime, tzif(5)).unwrap();
        for tz in ["Test/Zone", ":Test/Zone"] {
            let zone = zone_from(Some(tz.as_ref()), &localtime, dir.path()).unwrap();
            assert_eq!(offset(&zone), hours(-3), "{tz}");
        }
        let path = format!(":{}", dir.path().join("Test").join("Zone").display());
        let zone = zone_from(Some(path.as_ref()), &localtime, Path::new("/nonexistent")).unwrap();
        assert_eq!(offset(&zone), hours(-3));
    }

    #[test]
    fn a_name_that_leaves_the_zone_folder_is_left_to_jiff() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("zones");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(dir.path().join("Outside"), tzif(7)).unwrap();
        for tz in ["../Outside", "./Outside", "a//b", "Missing/Zone"] {
            assert!(
                zone_from(Some(tz.as_ref()), Path::new("/nonexistent"), &inner).is_none(),
                "{tz}"
            );
        }
    }

    #[test]
    fn local_today_is_a_date_near_the_utc_date() {
        let utc = jiff::Timestamp::now()
            .to_zoned_datetime(TimeZone::UTC)
            .date();
        let local = local_today();
        assert!((local - utc).get_days().abs() <= 1, "{local} vs {utc}");
    }
}
