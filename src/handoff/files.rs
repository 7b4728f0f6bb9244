//! Reading and writing the hand-off's files safely.
//!
//! Every file that holds personal data or a secret (bundles, withdrawal notices, receipts,
//! secret keys) is created with owner-only permissions (0600), never replaces an existing file
//! unless the caller asks (`--force`), and never follows a symbolic link: someone who can write
//! to the output folder must not be able to redirect a bundle into a file of their choosing.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use super::HandoffError;

/// The largest file the hand-off reads (a bundle with a large questionnaire is well under a
/// megabyte; anything far bigger is not ours and is refused before it is read into memory).
pub const MAX_READ: u64 = 16 * 1024 * 1024;

/// Writes `bytes` to a new file at `path`, 0600, without following a symbolic link.
///
/// Without `force` an existing file (or link) is refused. With `force` the new content is
/// written to a fresh file beside it and renamed over the old name, which replaces a link
/// itself instead of writing through it.
///
/// # Errors
/// [`HandoffError::Exists`] when the file exists and `force` is false; [`HandoffError::Io`]
/// when the file cannot be written.
pub fn write_private(path: &Path, bytes: &[u8], force: bool) -> Result<(), HandoffError> {
    let io = |source| HandoffError::Io {
        path: path.display().to_string(),
        source,
    };
    if !force {
        return match create_new(path) {
            Ok(mut f) => {
                let written = f.write_all(bytes).and_then(|()| f.sync_all());
                if let Err(e) = written {
                    // Leave no half-written file behind that a later run would refuse.
                    drop(f);
                    let _ = fs::remove_file(path);
                    return Err(io(e));
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(HandoffError::Exists {
                path: path.display().to_string(),
            }),
            Err(e) => Err(io(e)),
        };
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", uuid::Uuid::now_v7().simple()));
    let mut f = create_new(&tmp).map_err(io)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    drop(f);
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// Opens a new file for writing: `O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600.
fn create_new(path: &Path) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    o.open(path)
}

/// Creates the folder `dir` (0700) if it does not exist.
///
/// # Errors
/// [`HandoffError::Io`] when it cannot be created, or when it exists and is not a folder.
pub fn ensure_dir(dir: &Path) -> Result<(), HandoffError> {
    let io = |source| HandoffError::Io {
        path: dir.display().to_string(),
        source,
    };
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "it exists and is not a folder",
        ))),
        Err(_) => {
            let mut b = fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir).map_err(io)
        }
    }
}

/// Reads a whole regular file of at most [`MAX_READ`] bytes. A folder, a device, a pipe or a
/// file that is too large is refused by name instead of being read.
///
/// # Errors
/// [`HandoffError::Io`] or [`HandoffError::NotAFile`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, HandoffError> {
    let label = path.display().to_string();
    let io = |source| HandoffError::Io {
        path: label.clone(),
        source,
    };
    let meta = fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(HandoffError::NotAFile {
            path: label,
            why: "it is not a regular file".to_owned(),
        });
    }
    if meta.len() > MAX_READ {
        return Err(HandoffError::NotAFile {
            path: label,
            why: format!("it is larger than {} MiB", MAX_READ / (1024 * 1024)),
        });
    }
    let mut out = Vec::new();
    fs::File::open(path)
        .map_err(io)?
        .take(MAX_READ + 1)
        .read_to_end(&mut out)
        .map_err(io)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn new_file_is_owner_only_and_never_replaced_without_force() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.age");
        write_private(&p, b"one", false).unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(matches!(
            write_private(&p, b"two", false),
            Err(HandoffError::Exists { .. })
        ));
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_private(&p, b"two", true).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("b.age");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_private(&link, b"secret", false).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        // With --force the link itself is replaced; its target is untouched.
        write_private(&link, b"secret", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"keep");
        assert!(
            !fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_folder_is_not_read_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_limited(dir.path()),
            Err(HandoffError::NotAFile { .. })
        ));
    }
}
