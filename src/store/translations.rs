//! The PO files of a questionnaire snapshot: kept once per content hash beside the YAML, so an
//! old screening is shown with the translation it was asked with.

use rusqlite::{Connection, params};

use crate::questionnaire::TranslationSource;

/// Keeps `translations` with the snapshot `hash` (nothing when there are none; kept once).
pub(super) fn keep(
    conn: &Connection,
    hash: &str,
    translations: &[TranslationSource],
) -> rusqlite::Result<()> {
    for (i, t) in translations.iter().enumerate() {
        conn.execute(
            "INSERT OR IGNORE INTO questionnaire_translations (hash, position, lang, file, po)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                hash,
                i64::try_from(i).unwrap_or(i64::MAX),
                t.lang,
                t.file,
                t.text
            ],
        )?;
    }
    Ok(())
}

/// The translations kept with the snapshot `hash`, in their order.
pub(super) fn of(conn: &Connection, hash: &str) -> rusqlite::Result<Vec<TranslationSource>> {
    let mut stmt = conn.prepare_cached(
        "SELECT lang, file, po FROM questionnaire_translations WHERE hash = ?1 ORDER BY position",
    )?;
    stmt.query_map([hash], |r| {
        Ok(TranslationSource {
            lang: r.get(0)?,
            file: r.get(1)?,
            text: r.get(2)?,
        })
    })?
    .collect()
}
