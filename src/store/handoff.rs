//! The two-site hand-off as stored (schema step 4; docs/handoff.md).
//!
//! At a prison: each local referral's hand-off state (`waiting` until sealed, then `sealed`,
//! then `delivered` once ROSA's receipt is confirmed), kept apart from the review status; every
//! bundle sealed; ROSA's receipts, kept as anchors of this database's audit chain; withdrawals
//! of consent with the state of their notice to ROSA.
//!
//! At ROSA: the registered prisons (unit and public key), where each imported referral came
//! from and when, and each prison's latest audit head.
//!
//! Both: erasing a screening's personal content (withdrawal), and [`Store::purge`], which folds
//! what the yearly figures need into `purged_counts` and deletes the rest.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::referrals::{ReferralDetail, Status};
use super::{Store, StoreError, audit, now};

/// A referral's hand-off state at the prison (not ROSA's review status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffState {
    /// Not sealed yet.
    Waiting,
    /// Sealed; ROSA's receipt has not been confirmed.
    Sealed,
    /// ROSA's receipt was confirmed.
    Delivered,
}

super::words!(HandoffState, "hand-off state",
    Waiting => "waiting", Sealed => "sealed", Delivered => "delivered");

/// A registered prison (at ROSA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The unit name bundles signed by this key are filed under.
    pub unit: String,
    /// The key id (SHA-256 of the public file's key lines).
    pub key_id: String,
    /// The fingerprint read aloud.
    pub fingerprint: String,
    /// The public file's text.
    #[serde(skip)]
    pub public_key: String,
    /// When it was registered.
    pub added_at: String,
}

/// Where and when an imported referral arrived (at ROSA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arrival {
    /// The sending unit, from the key that signed the bundle.
    pub unit: String,
    /// The signing key's id.
    pub key_id: String,
    /// When it was imported.
    pub arrived_at: String,
    /// The bundle format.
    pub format: u32,
    /// SHA-256 of the bundle's payload.
    pub payload_sha256: String,
    /// Whether it came without identifying details.
    pub anonymous: bool,
    /// When the prison's withdrawal notice was imported, if it was.
    pub withdrawn_at: Option<String>,
}

/// A prison's audit head as received in a bundle (at ROSA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrisonHead {
    /// The prison's unit.
    pub unit: String,
    /// Entries in its log when the bundle was sealed.
    pub entries: u64,
    /// The hash of its last entry then.
    pub head: String,
    /// When the bundle carrying it arrived.
    pub received_at: String,
}

/// What import needs besides the referral: who sent it and the bundle's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The registered unit of the signing key.
    pub unit: String,
    /// The signing key's id.
    pub key_id: String,
    /// The bundle format.
    pub format: u32,
    /// SHA-256 of the payload.
    pub payload_sha256: String,
    /// The prison's audit head in the bundle.
    pub audit_entries: u64,
    /// Its hash.
    pub audit_head: String,
}

/// The result of importing one bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// Stored now.
    New {
        /// When (the receipt's time).
        arrived_at: String,
    },
    /// It was imported before; nothing changed.
    Already {
        /// When it first arrived.
        arrived_at: String,
    },
}

/// A receipt as the prison keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    /// `referral` or `withdrawal`.
    pub kind: String,
    /// The referral.
    pub referral_id: String,
    /// The payload it confirms.
    pub payload_sha256: String,
    /// When ROSA imported it.
    pub received_at: String,
    /// Audit entries at sealing, as ROSA received them.
    pub audit_entries: u64,
    /// Audit head at sealing.
    pub audit_head: String,
    /// ROSA's key id.
    pub rosa_key_id: String,
    /// The signed file, kept to be checked again.
    pub text: String,
}

/// The state of a withdrawal at the prison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withdrawal {
    /// The referral.
    pub referral_id: String,
    /// When consent was withdrawn.
    pub withdrawn_at: String,
    /// The note for ROSA (erased once the notice is delivered and purged).
    pub note: Option<String>,
    /// `waiting` (notice to seal), `sealed`, `delivered`, or `none` (ROSA never had it).
    pub notice: String,
}

/// What a purge removed (or would remove).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Purged {
    /// Screenings whose rows were removed.
    pub screenings: u64,
    /// Referrals among them.
    pub referrals: u64,
}

/// Which site's rule a purge applies (product.md "Keeping data no longer than needed").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurgeRule {
    /// Screenings finished before the cut-off whose referral is delivered (or withdrawn with
    /// nothing left to tell ROSA), or that have none.
    Prison,
    /// Imported referrals closed before the cut-off.
    Rosa,
    /// Both rules (a site without `site =` in its config, as a single database used by both).
    Both,
}

fn sql(label: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| super::sql_error(label, e)
}

impl Store {
    /// The audit log's entry count and last hash (genesis zeros when empty), as a bundle
    /// carries it.
    pub fn current_audit_head(&self) -> Result<(u64, String), StoreError> {
        let head = self.audit_head()?;
        Ok((u64::try_from(head.seq).unwrap_or(0), head.hash))
    }

    // ---------------------------------------------------------------- prison: sealing

    /// Local referrals waiting to be sealed, oldest first (not imported, not sealed, not
    /// withdrawn).
    pub fn handoff_waiting(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id FROM referrals r
                  WHERE NOT EXISTS (SELECT 1 FROM handoff h WHERE h.referral_id = r.id)
                    AND NOT EXISTS (SELECT 1 FROM imported i WHERE i.referral_id = r.id)
                    AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.referral_id = r.id)
                  ORDER BY r.created_at, r.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Withdrawal notices waiting to be sealed.
    pub fn withdrawals_waiting(&self) -> Result<Vec<Withdrawal>, StoreError> {
        self.withdrawals_where("notice = 'waiting'")
    }

    /// A withdrawal recorded at this prison, if any.
    pub fn withdrawal(&self, referral_id: &str) -> Result<Option<Withdrawal>, StoreError> {
        self.conn
            .query_row(
                "SELECT referral_id, withdrawn_at, note, notice FROM withdrawals
                  WHERE referral_id = ?1",
                [referral_id],
                withdrawal_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    fn withdrawals_where(&self, cond: &str) -> Result<Vec<Withdrawal>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT referral_id, withdrawn_at, note, notice FROM withdrawals
                  WHERE {cond} ORDER BY withdrawn_at, referral_id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], withdrawal_row)
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// The hand-off state of a local referral (`None` for an imported one).
    pub fn handoff_state(&self, referral_id: &str) -> Result<Option<HandoffState>, StoreError> {
        let (imported, state): (bool, Option<String>) = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM imported WHERE referral_id = ?1),
                        (SELECT state FROM handoff WHERE referral_id = ?1)",
                [referral_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.sql(e))?;
        if imported {
            return Ok(None);
        }
        Ok(Some(handoff_state_of(state.as_deref())))
    }

    /// The hand-off state of every local referral (imported ones are left out), in one read:
    /// for a screen that lists them all, instead of a query per referral.
    pub fn handoff_states(
        &self,
    ) -> Result<std::collections::HashMap<String, HandoffState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, h.state FROM referrals r
                   LEFT JOIN handoff h ON h.referral_id = r.id
                  WHERE NOT EXISTS (SELECT 1 FROM imported i WHERE i.referral_id = r.id)",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                let state: Option<String> = r.get(1)?;
                Ok((r.get::<_, String>(0)?, handoff_state_of(state.as_deref())))
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Every withdrawal of consent, oldest first.
    pub fn withdrawals(&self) -> Result<Vec<Withdrawal>, StoreError> {
        self.withdrawals_where("1")
    }

    /// How many local referrals are in each hand-off state (for the prison's home screen).
    pub fn handoff_counts(&self) -> Result<Vec<(HandoffState, u64)>, StoreError> {
        let (waiting, sealed, delivered): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT
                   (SELECT count(*) FROM referrals r
                     WHERE NOT EXISTS (SELECT 1 FROM handoff h WHERE h.referral_id = r.id)
                       AND NOT EXISTS (SELECT 1 FROM imported i WHERE i.referral_id = r.id)
                       AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.referral_id = r.id)),
                   (SELECT count(*) FROM handoff WHERE state = 'sealed'),
                   (SELECT count(*) FROM handoff WHERE state = 'delivered')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.sql(e))?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(vec![
            (HandoffState::Waiting, n(waiting)),
            (HandoffState::Sealed, n(sealed)),
            (HandoffState::Delivered, n(delivered)),
        ])
    }

    /// Records that a bundle (or withdrawal notice) was sealed, with the audit head it
    /// carries: one audit entry `sealed`. A delivered referral stays delivered.
    pub fn record_sealed(
        &mut self,
        referral_id: &str,
        kind: &str,
        payload_sha256: &str,
        head: &(u64, String),
        actor: &str,
    ) -> Result<(), StoreError> {
        let label = self.label.clone();
        let err = sql(&label);
        let tx = self.write()?;
        let at = now();
        tx.execute(
            "INSERT OR IGNORE INTO sealed (payload_sha256, referral_id, kind, sealed_at,
                audit_entries, audit_head) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                payload_sha256,
                referral_id,
                kind,
                at,
                i64::try_from(head.0).unwrap_or(i64::MAX),
                head.1
            ],
        )
        .map_err(&err)?;
        if kind == "withdrawal" {
            tx.execute(
                "UPDATE withdrawals SET notice = 'sealed'
                  WHERE referral_id = ?1 AND notice = 'waiting'",
                [referral_id],
            )
            .map_err(&err)?;
        } else {
            tx.execute(
                "INSERT INTO handoff (referral_id, state, sealed_at) VALUES (?1, 'sealed', ?2)
                 ON CONFLICT (referral_id) DO UPDATE SET sealed_at = excluded.sealed_at
                  WHERE state = 'sealed'",
                params![referral_id, at],
            )
            .map_err(&err)?;
        }
        let what = if kind == "withdrawal" {
            "withdrawal notice"
        } else {
            "bundle"
        };
        audit::append(
            &tx,
            actor,
            "sealed",
            &format!("referral:{referral_id}"),
            &format!("{what} {payload_sha256}"),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Confirms one of ROSA's receipts (its signature already checked): the referral (or its
    /// withdrawal notice) becomes `delivered` and the receipt is kept. Returns false when this
    /// receipt was confirmed before (nothing changes then). One audit entry `confirmed`.
    ///
    /// # Errors
    /// [`StoreError::Refused`] when the receipt names a bundle this database did not seal.
    pub fn confirm_receipt(&mut self, r: &ReceiptRecord, actor: &str) -> Result<bool, StoreError> {
        let label = self.label.clone();
        let err = sql(&label);
        let tx = self.write()?;
        let sealed: Option<(String, String, i64, String)> = tx
            .query_row(
                "SELECT referral_id, kind, audit_entries, audit_head FROM sealed
                  WHERE payload_sha256 = ?1",
                [&r.payload_sha256],
                |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?)),
            )
            .optional()
            .map_err(&err)?;
        let Some((referral, kind, entries, head)) = sealed else {
            return Err(StoreError::Refused(format!(
                "the receipt for referral {} names a bundle this database did not seal",
                r.referral_id
            )));
        };
        if referral != r.referral_id
            || kind != r.kind
            || u64::try_from(entries).unwrap_or(0) != r.audit_entries
            || head != r.audit_head
        {
            return Err(StoreError::Refused(format!(
                "the receipt for referral {} does not match the bundle this database sealed",
                r.referral_id
            )));
        }
        let exists: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM receipts WHERE payload_sha256 = ?1)",
                [&r.payload_sha256],
                |x| x.get(0),
            )
            .map_err(&err)?;
        if exists {
            return Ok(false);
        }
        let at = now();
        tx.execute(
            "INSERT INTO receipts (payload_sha256, referral_id, kind, received_at, confirmed_at,
                audit_entries, audit_head, rosa_key_id, receipt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.payload_sha256,
                r.referral_id,
                r.kind,
                r.received_at,
                at,
                entries,
                r.audit_head,
                r.rosa_key_id,
                r.text
            ],
        )
        .map_err(&err)?;
        // The receipt doubles as an anchor of this log signed by ROSA: `audit verify` checks
        // from now on that entry N still has the hash ROSA received.
        if entries > 0 {
            audit::keep_anchor(
                &tx,
                &audit::Anchor {
                    seq: entries,
                    hash: r.audit_head.clone(),
                },
                &format!("receipt:{}", r.referral_id),
            )
            .map_err(&err)?;
        }
        if r.kind == "withdrawal" {
            tx.execute(
                "UPDATE withdrawals SET notice = 'delivered' WHERE referral_id = ?1",
                [&r.referral_id],
            )
            .map_err(&err)?;
        } else {
            tx.execute(
                "INSERT INTO handoff (referral_id, state, sealed_at, delivered_at)
                 VALUES (?1, 'delivered', ?2, ?2)
                 ON CONFLICT (referral_id) DO UPDATE SET state = 'delivered',
                    delivered_at = coalesce(delivered_at, excluded.delivered_at)",
                params![r.referral_id, at],
            )
            .map_err(&err)?;
        }
        audit::append(
            &tx,
            actor,
            "confirmed",
            &format!("referral:{}", r.referral_id),
            &format!("{} receipt {}", r.kind, r.payload_sha256),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(true)
    }

    /// The audit heads ROSA's kept receipts confirm (entry count, hash), oldest first: anchors
    /// for `audit verify`.
    pub fn receipt_anchors(&self) -> Result<Vec<(u64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT audit_entries, audit_head FROM receipts
                  ORDER BY audit_entries",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?))
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    // ---------------------------------------------------------------- prison: withdrawal

    /// Consent was withdrawn: erases the referral's personal content at once, closes it with
    /// the note, and records the withdrawal. Returns true when ROSA must be told (the referral
    /// was sealed), false when it never left the prison. Audited as `changed status` and
    /// `withdrew consent`.
    pub fn withdraw_referral(
        &mut self,
        id: &str,
        note: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(StoreError::Refused(format!(
                "withdrawing consent for referral {id} needs a note saying what was agreed (--note)"
            )));
        }
        let label = self.label.clone();
        let err = sql(&label);
        self.secure_delete(true)?;
        let tx = self.write()?;
        let (screening, status, imported, handed): (String, String, bool, bool) = tx
            .query_row(
                "SELECT r.screening_id, r.status,
                        EXISTS (SELECT 1 FROM imported i WHERE i.referral_id = r.id),
                        EXISTS (SELECT 1 FROM handoff h WHERE h.referral_id = r.id)
                   FROM referrals r WHERE r.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(&err)?
            .ok_or_else(|| StoreError::NotFound {
                what: "referral",
                id: id.to_owned(),
            })?;
        if imported {
            return Err(StoreError::Refused(format!(
                "referral {id} came from a prison; consent is withdrawn at the prison, whose notice erases it here"
            )));
        }
        let already: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM withdrawals WHERE referral_id = ?1)",
                [id],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if already {
            return Err(StoreError::Refused(format!(
                "consent for referral {id} was already withdrawn"
            )));
        }
        erase(&tx, &screening).map_err(&err)?;
        close_with_note(&tx, id, &status, note, actor).map_err(&err)?;
        let at = now();
        tx.execute(
            "INSERT INTO withdrawals (referral_id, withdrawn_at, note, notice)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                at,
                handed.then_some(note),
                if handed { "waiting" } else { "none" }
            ],
        )
        .map_err(&err)?;
        audit::append(
            &tx,
            actor,
            "withdrew consent",
            &format!("referral:{id}"),
            // Names the erased screening, so a replay of the log skips its content.
            &audit::erased_detail(&[screening.as_str()]),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.secure_delete(false)?;
        Ok(handed)
    }

    fn secure_delete(&self, on: bool) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "secure_delete", on)
            .map_err(|e| self.sql(e))
    }

    // ---------------------------------------------------------------- ROSA: sites

    /// Registers a prison's public key under `unit`. One audit entry `registered`.
    ///
    /// # Errors
    /// [`StoreError::Refused`] when the key is already registered.
    pub fn add_site(
        &mut self,
        unit: &str,
        key_id: &str,
        fingerprint: &str,
        public_key: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let unit = unit.trim();
        if unit.is_empty() {
            return Err(StoreError::Refused(
                "the unit name is empty; give the prison's name with --unit".to_owned(),
            ));
        }
        let label = self.label.clone();
        let err = sql(&label);
        let tx = self.write()?;
        let existing: Option<String> = tx
            .query_row("SELECT unit FROM sites WHERE key_id = ?1", [key_id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(&err)?;
        if let Some(u) = existing {
            return Err(StoreError::Refused(format!(
                "this public key (fingerprint {fingerprint}) is already registered for {u}"
            )));
        }
        tx.execute(
            "INSERT INTO sites (key_id, unit, fingerprint, public_key, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key_id, unit, fingerprint, public_key, now()],
        )
        .map_err(&err)?;
        audit::append(&tx, actor, "registered", &format!("site:{key_id}"), unit).map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// The registered prisons, by unit.
    pub fn sites(&self) -> Result<Vec<Site>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT unit, key_id, fingerprint, public_key, added_at FROM sites
                  ORDER BY unit COLLATE NOCASE, added_at",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Site {
                    unit: r.get(0)?,
                    key_id: r.get(1)?,
                    fingerprint: r.get(2)?,
                    public_key: r.get(3)?,
                    added_at: r.get(4)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    // ---------------------------------------------------------------- ROSA: import

    /// Where an imported referral came from (`None` for a local one).
    pub fn arrival(&self, referral_id: &str) -> Result<Option<Arrival>, StoreError> {
        self.conn
            .query_row(
                "SELECT unit, key_id, arrived_at, format, payload_sha256, anonymous, withdrawn_at
                   FROM imported WHERE referral_id = ?1",
                [referral_id],
                |r| {
                    Ok(Arrival {
                        unit: r.get(0)?,
                        key_id: r.get(1)?,
                        arrived_at: r.get(2)?,
                        format: r.get(3)?,
                        payload_sha256: r.get(4)?,
                        anonymous: r.get(5)?,
                        withdrawn_at: r.get(6)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// Adds an imported referral to the queue in one transaction: the questionnaire's YAML
    /// when this database lacks it, the screening with its answers and result, the referral
    /// with the prison's creation event, where it came from, and the prison's audit head. A
    /// referral imported before changes nothing. One audit entry `imported`.
    pub fn import_referral(
        &mut self,
        d: &ReferralDetail,
        from: &Incoming,
        actor: &str,
    ) -> Result<Imported, StoreError> {
        let label = self.label.clone();
        let err = sql(&label);
        let tx = self.write()?;
        if let Some(at) = arrived_at(&tx, &d.row.id).map_err(&err)? {
            return Ok(Imported::Already { arrived_at: at });
        }
        let clash: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM referrals WHERE id = ?1)
                     OR EXISTS (SELECT 1 FROM screenings WHERE id = ?2)",
                [&d.row.id, &d.screening.id],
                |r| r.get(0),
            )
            .map_err(&err)?;
        if clash {
            return Err(StoreError::Refused(format!(
                "referral {} (or its screening) already exists in this database as a local record; it was not imported",
                d.row.id
            )));
        }
        let at = now();
        insert_referral(&tx, d, &at).map_err(&err)?;
        tx.execute(
            "INSERT INTO imported (referral_id, key_id, unit, arrived_at, format,
                payload_sha256, anonymous)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.row.id,
                from.key_id,
                from.unit,
                at,
                from.format,
                from.payload_sha256,
                d.row.consent == super::Consent::Anonymous
            ],
        )
        .map_err(&err)?;
        update_anchor(&tx, from, &at).map_err(&err)?;
        audit::append(
            &tx,
            actor,
            "imported",
            &format!("referral:{}", d.row.id),
            &format!(
                "screening:{} from {} bundle {}",
                d.screening.id, from.unit, from.payload_sha256
            ),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(Imported::New { arrived_at: at })
    }

    /// Imports a prison's withdrawal notice: erases ROSA's copy and closes the referral with
    /// the note. A notice for a referral that never arrived is remembered, so the referral is
    /// not imported later. Returns `Already` when the notice was imported before.
    ///
    /// # Errors
    /// [`StoreError::Refused`] when the referral came from another prison than the signer.
    pub fn import_withdrawal(
        &mut self,
        referral_id: &str,
        note: &str,
        from: &Incoming,
        actor: &str,
    ) -> Result<Imported, StoreError> {
        let label = self.label.clone();
        let err = sql(&label);
        self.secure_delete(true)?;
        let tx = self.write()?;
        let known: Option<(String, Option<String>)> = tx
            .query_row(
                "SELECT unit, withdrawn_at FROM imported WHERE referral_id = ?1",
                [referral_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(&err)?;
        let at = now();
        match known {
            Some((_, Some(w))) => return Ok(Imported::Already { arrived_at: w }),
            Some((unit, None)) if !unit.eq_ignore_ascii_case(&from.unit) => {
                return Err(StoreError::Refused(format!(
                    "the withdrawal notice for referral {referral_id} is signed by {}, but the referral came from {unit}",
                    from.unit
                )));
            }
            Some(_) => {
                let found: Option<(String, String)> = tx
                    .query_row(
                        "SELECT screening_id, status FROM referrals WHERE id = ?1",
                        [referral_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                    .map_err(&err)?;
                if let Some((screening, status)) = found {
                    erase(&tx, &screening).map_err(&err)?;
                    audit::append(
                        &tx,
                        actor,
                        "erased",
                        &format!("referral:{referral_id}"),
                        &audit::erased_detail(&[screening.as_str()]),
                    )
                    .map_err(&err)?;
                    close_with_note(&tx, referral_id, &status, note, actor).map_err(&err)?;
                }
                tx.execute(
                    "UPDATE imported SET withdrawn_at = ?1 WHERE referral_id = ?2",
                    params![at, referral_id],
                )
                .map_err(&err)?;
            }
            None => {
                tx.execute(
                    "INSERT INTO imported (referral_id, key_id, unit, arrived_at, format,
                        payload_sha256, anonymous, withdrawn_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?4)",
                    params![
                        referral_id,
                        from.key_id,
                        from.unit,
                        at,
                        from.format,
                        from.payload_sha256
                    ],
                )
                .map_err(&err)?;
            }
        }
        update_anchor(&tx, from, &at).map_err(&err)?;
        audit::append(
            &tx,
            actor,
            "imported withdrawal",
            &format!("referral:{referral_id}"),
            &format!("from {} notice {}", from.unit, from.payload_sha256),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.secure_delete(false)?;
        Ok(Imported::New { arrived_at: at })
    }

    /// Each prison's latest audit head (optionally one unit's).
    pub fn anchors(&self, unit: Option<&str>) -> Result<Vec<PrisonHead>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT unit, entries, head, received_at FROM prison_heads
                  WHERE ?1 IS NULL OR unit = ?1 COLLATE NOCASE ORDER BY unit COLLATE NOCASE",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([unit], |r| {
                Ok(PrisonHead {
                    unit: r.get(0)?,
                    entries: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    head: r.get(2)?,
                    received_at: r.get(3)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    // ---------------------------------------------------------------- both: purge

    /// Removes what is no longer needed, by `rule`, for screenings (or closed referrals) older
    /// than `cutoff` (RFC 3339): folds their share of the yearly figures into `purged_counts`,
    /// deletes their rows, and appends one audit entry `purged` with the counts. With `dry_run`
    /// nothing changes. Afterwards the file is vacuumed, so nothing deleted stays readable in
    /// free pages or the write-ahead log.
    pub fn purge(
        &mut self,
        rule: PurgeRule,
        cutoff: &str,
        dry_run: bool,
        actor: &str,
    ) -> Result<Purged, StoreError> {
        let label = self.label.clone();
        let err = sql(&label);
        self.secure_delete(true)?;
        let tx = self.write()?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS purge_s (id TEXT PRIMARY KEY);
             DELETE FROM temp.purge_s;",
        )
        .map_err(&err)?;
        let prison = matches!(rule, PurgeRule::Prison | PurgeRule::Both);
        let rosa = matches!(rule, PurgeRule::Rosa | PurgeRule::Both);
        if prison {
            tx.execute(
                "INSERT OR IGNORE INTO temp.purge_s
                 SELECT s.id FROM screenings s
                  WHERE s.ended_at IS NOT NULL AND s.ended_at < ?1
                    AND NOT EXISTS (SELECT 1 FROM referrals r
                        JOIN imported i ON i.referral_id = r.id WHERE r.screening_id = s.id)
                    AND (NOT EXISTS (SELECT 1 FROM referrals r WHERE r.screening_id = s.id)
                      OR EXISTS (SELECT 1 FROM referrals r JOIN handoff h ON h.referral_id = r.id
                          WHERE r.screening_id = s.id AND h.state = 'delivered'
                            AND NOT EXISTS (SELECT 1 FROM withdrawals w
                                WHERE w.referral_id = r.id AND w.notice NOT IN ('delivered','none')))
                      OR EXISTS (SELECT 1 FROM referrals r JOIN withdrawals w ON w.referral_id = r.id
                          WHERE r.screening_id = s.id AND w.notice IN ('delivered','none'))
                      OR EXISTS (SELECT 1 FROM referrals r WHERE r.screening_id = s.id
                          AND r.status = 'closed' AND r.updated_at < ?1))",
                [cutoff],
            )
            .map_err(&err)?;
        }
        if rosa {
            tx.execute(
                "INSERT OR IGNORE INTO temp.purge_s
                 SELECT r.screening_id FROM referrals r JOIN imported i ON i.referral_id = r.id
                  WHERE r.status = 'closed' AND r.updated_at < ?1",
                [cutoff],
            )
            .map_err(&err)?;
        }
        let (screenings, referrals): (i64, i64) = tx
            .query_row(
                "SELECT (SELECT count(*) FROM temp.purge_s),
                        (SELECT count(*) FROM referrals
                          WHERE screening_id IN (SELECT id FROM temp.purge_s))",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(&err)?;
        let out = Purged {
            screenings: u64::try_from(screenings).unwrap_or(0),
            referrals: u64::try_from(referrals).unwrap_or(0),
        };
        if dry_run || screenings == 0 {
            tx.rollback().map_err(&err)?;
            self.secure_delete(false)?;
            return Ok(out);
        }
        let ids: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT id FROM temp.purge_s ORDER BY id")
                .map_err(&err)?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(&err)?;
            rows.collect::<Result<_, _>>().map_err(&err)?
        };
        tx.execute_batch(FOLD_AND_DELETE).map_err(&err)?;
        // One entry for the whole purge: the entity says the counts, the detail lists the
        // erased screenings, so a replay of the log accepts that their rows are gone.
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        audit::append(
            &tx,
            actor,
            "purged",
            &format!(
                "purge:{} screenings, {} referrals",
                out.screenings, out.referrals
            ),
            &audit::erased_detail(&refs),
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.secure_delete(false)?;
        self.compact()?;
        Ok(out)
    }

    /// Rewrites the file without free pages and empties the write-ahead log, so erased content
    /// is gone from disk and not merely unlinked.
    fn compact(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("VACUUM;")
            .map_err(|e| self.sql(e))?;
        // In-memory databases have no log; the pragma then returns a row all the same.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| self.sql(e))
    }

    /// When the last purge ran (RFC 3339), if ever: the home screen warns when a configured
    /// purge is overdue.
    pub fn last_purge(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT max(at) FROM audit WHERE action = 'purged'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))
    }

    /// The hand-off column of `referrals list`, by referral id: `sealed`, `delivered`,
    /// `withdrawn (notice waiting|sealed|delivered|none)` at a prison, `arrived YYYY-MM-DD`
    /// (with `, withdrawn`) at ROSA. A local referral missing from the map is waiting. One
    /// read of each small table, so a list of 100,000 referrals costs no query per row.
    pub fn handoff_labels(&self) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut out = std::collections::HashMap::new();
        let mut read = |sql: &str| -> Result<(), StoreError> {
            let mut stmt = self.conn.prepare(sql).map_err(|e| self.sql(e))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .map_err(|e| self.sql(e))?;
            for row in rows {
                let (id, label) = row.map_err(|e| self.sql(e))?;
                out.insert(id, label);
            }
            Ok(())
        };
        read("SELECT referral_id, state FROM handoff")?;
        read("SELECT referral_id, 'withdrawn (notice ' || notice || ')' FROM withdrawals")?;
        read(
            "SELECT referral_id, 'arrived ' || substr(arrived_at, 1, 10)
                    || CASE WHEN withdrawn_at IS NULL THEN '' ELSE ', withdrawn' END
               FROM imported",
        )?;
        Ok(out)
    }
}

/// A local referral's hand-off state from its `handoff` row's state (`None`: no row yet).
fn handoff_state_of(state: Option<&str>) -> HandoffState {
    match state {
        Some("delivered") => HandoffState::Delivered,
        Some(_) => HandoffState::Sealed,
        None => HandoffState::Waiting,
    }
}

/// Folds the screenings listed in `temp.purge_s` (and their referrals) into `purged_counts`
/// exactly as `stats` counts them, then deletes their rows.
const FOLD_AND_DELETE: &str = "
    CREATE TEMP TABLE IF NOT EXISTS purge_r (id TEXT PRIMARY KEY, screening_id TEXT);
    DELETE FROM temp.purge_r;
    INSERT INTO temp.purge_r SELECT id, screening_id FROM referrals
     WHERE screening_id IN (SELECT id FROM temp.purge_s);

    INSERT INTO purged_counts (year, measure, key, count)
    SELECT y, m, k, n FROM (
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER) AS y, 'screenings' AS m, '' AS k,
               count(*) AS n FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) GROUP BY 1
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), 'finished', '', count(*)
          FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) AND s.ended_at IS NOT NULL
         GROUP BY 1
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), 'outcome', s.outcome, count(*)
          FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) AND s.outcome IS NOT NULL
         GROUP BY 1, 3
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), 'unit', s.unit, count(*)
          FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) GROUP BY 1, 3
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), 'gender', s.gender, count(*)
          FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) GROUP BY 1, 3
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), 'nationality', s.nationality, count(*)
          FROM screenings s WHERE s.id IN (SELECT id FROM temp.purge_s) GROUP BY 1, 3
        UNION ALL
        SELECT CAST(substr(s.started_at, 1, 4) AS INTEGER), x.kind, x.item, count(*)
          FROM raised x JOIN screenings s ON s.id = x.screening_id
         WHERE s.id IN (SELECT id FROM temp.purge_s) AND x.kind IN ('flag', 'indicator')
         GROUP BY 1, 2, 3
        UNION ALL
        SELECT CAST(substr(r.created_at, 1, 4) AS INTEGER), 'referrals', '', count(*)
          FROM referrals r WHERE r.id IN (SELECT id FROM temp.purge_r) GROUP BY 1
        UNION ALL
        SELECT CAST(substr(r.created_at, 1, 4) AS INTEGER), 'status', r.status, count(*)
          FROM referrals r WHERE r.id IN (SELECT id FROM temp.purge_r) GROUP BY 1, 3
        UNION ALL
        SELECT CAST(substr(r.created_at, 1, 4) AS INTEGER), 'referral_unit', s.unit, count(*)
          FROM referrals r JOIN screenings s ON s.id = r.screening_id
         WHERE r.id IN (SELECT id FROM temp.purge_r) GROUP BY 1, 3
    ) WHERE true
    ON CONFLICT (year, measure, key) DO UPDATE SET count = count + excluded.count;

    UPDATE withdrawals SET note = NULL WHERE referral_id IN (SELECT id FROM temp.purge_r);
    DELETE FROM handoff WHERE referral_id IN (SELECT id FROM temp.purge_r);
    DELETE FROM referral_events WHERE referral_id IN (SELECT id FROM temp.purge_r);
    DELETE FROM referrals WHERE id IN (SELECT id FROM temp.purge_r);
    DELETE FROM answers WHERE screening_id IN (SELECT id FROM temp.purge_s);
    DELETE FROM raised WHERE screening_id IN (SELECT id FROM temp.purge_s);
    DELETE FROM immediate_flags WHERE screening_id IN (SELECT id FROM temp.purge_s);
    DELETE FROM screenings WHERE id IN (SELECT id FROM temp.purge_s);
    DELETE FROM temp.purge_s;
    DELETE FROM temp.purge_r;
";

fn withdrawal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Withdrawal> {
    Ok(Withdrawal {
        referral_id: r.get(0)?,
        withdrawn_at: r.get(1)?,
        note: r.get(2)?,
        notice: r.get(3)?,
    })
}

fn arrived_at(tx: &Transaction<'_>, id: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT arrived_at FROM imported WHERE referral_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()
}

/// Erases a screening's personal content in place ([`audit::erase_content`]: answers with
/// their notes and earlier values, the person's reference, birth year, the officer's name and
/// contact, the history notes, the digest key), and also the person's own language and the
/// officer standing as the referral's creator. Outcome, flags, indicators and the figures'
/// fields stay until a purge removes the rows. The caller appends the audit entry naming it
/// ([`audit::erased_detail`]).
fn erase(tx: &Transaction<'_>, screening: &str) -> rusqlite::Result<()> {
    audit::erase_content(tx, screening)?;
    tx.execute(
        "UPDATE screenings SET person_language = NULL WHERE id = ?1",
        [screening],
    )?;
    tx.execute(
        "UPDATE referral_events SET actor = '' WHERE kind = 'created'
            AND referral_id IN (SELECT id FROM referrals WHERE screening_id = ?1)",
        [screening],
    )?;
    Ok(())
}

/// Closes a referral with a note (or, when it is closed already, adds the note), with the
/// status change in the audit log so a replay of statuses agrees.
fn close_with_note(
    tx: &Transaction<'_>,
    id: &str,
    status: &str,
    note: &str,
    actor: &str,
) -> rusqlite::Result<()> {
    let at = now();
    let closed = Status::Closed.as_str();
    if status == closed {
        tx.execute(
            "INSERT INTO referral_events (referral_id, at, actor, kind, note)
             VALUES (?1, ?2, ?3, 'note', ?4)",
            params![id, at, actor, note],
        )?;
        return Ok(());
    }
    tx.execute(
        "UPDATE referrals SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![closed, at, id],
    )?;
    tx.execute(
        "INSERT INTO referral_events (referral_id, at, actor, kind, from_status, to_status, note)
         VALUES (?1, ?2, ?3, 'status', ?4, ?5, ?6)",
        params![id, at, actor, status, closed, note],
    )?;
    audit::append(
        tx,
        actor,
        "changed status",
        &format!("referral:{id}"),
        &format!("{status} -> {closed}"),
    )
}

fn update_anchor(tx: &Transaction<'_>, from: &Incoming, at: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO prison_heads (unit, entries, head, received_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (unit) DO UPDATE SET entries = excluded.entries, head = excluded.head,
            received_at = excluded.received_at
          WHERE excluded.entries >= prison_heads.entries",
        params![
            from.unit,
            i64::try_from(from.audit_entries).unwrap_or(i64::MAX),
            from.audit_head,
            at
        ],
    )?;
    Ok(())
}

/// Writes an imported referral's rows as a local one would have them.
fn insert_referral(tx: &Transaction<'_>, d: &ReferralDetail, at: &str) -> rusqlite::Result<()> {
    let s = &d.screening;
    tx.execute(
        "INSERT OR IGNORE INTO questionnaires (hash, qid, version, source_name, yaml, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.questionnaire_hash,
            s.questionnaire_id,
            s.questionnaire_version,
            s.questionnaire_source,
            s.questionnaire_yaml,
            at
        ],
    )?;
    super::translations::keep(tx, &s.questionnaire_hash, &s.questionnaire_translations)?;
    let result = s.result.clone().unwrap_or_default();
    tx.execute(
        "INSERT INTO screenings (id, questionnaire_hash, questionnaire_id, questionnaire_version,
            unit, officer, person, gender, birth_year, nationality, language, interpreter,
            person_language, consent, started_at, ended_at, outcome, custody)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18)",
        params![
            s.id,
            s.questionnaire_hash,
            s.questionnaire_id,
            s.questionnaire_version,
            d.row.unit,
            s.officer,
            s.person,
            s.gender.as_str(),
            s.birth_year,
            s.nationality,
            s.language,
            s.interpreter.map(super::Interpreter::as_str),
            s.person_language,
            s.consent.map(super::Consent::as_str),
            s.started_at,
            s.ended_at,
            result.outcome,
            s.custody.map(super::Custody::as_str)
        ],
    )?;
    let json = |a: Option<&crate::screening::Answer>| -> rusqlite::Result<Option<String>> {
        a.map(serde_json::to_string)
            .transpose()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
    };
    for a in &s.answers {
        for h in &a.history {
            tx.execute(
                "INSERT INTO answers (screening_id, question_id, answer, note, answered_at,
                    replaced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    s.id,
                    a.question_id,
                    json(h.answer.as_ref())?,
                    h.note,
                    h.answered_at,
                    h.replaced_at
                ],
            )?;
        }
        tx.execute(
            "INSERT INTO answers (screening_id, question_id, answer, note, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                s.id,
                a.question_id,
                json(a.answer.as_ref())?,
                a.note,
                a.answered_at
            ],
        )?;
    }
    let rows = result
        .indicators
        .iter()
        .map(|x| ("indicator", x))
        .chain(result.flags.iter().map(|x| ("flag", x)));
    let mut ord = 0i64;
    for (kind, x) in rows {
        let because = serde_json::to_string(&x.because)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        tx.execute(
            "INSERT INTO raised (screening_id, kind, item, because, ord)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![s.id, kind, x.id, because, ord],
        )?;
        ord += 1;
    }
    for p in &result.positive {
        tx.execute(
            "INSERT INTO raised (screening_id, kind, item, because, ord)
             VALUES (?1, 'dimension', ?2, '[]', ?3)",
            params![s.id, p, ord],
        )?;
        ord += 1;
    }
    let r = &d.row;
    tx.execute(
        "INSERT INTO referrals (id, screening_id, consent, release_date, expulsion, contact,
            status, created_at, updated_at, unit, person, outcome, flags)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7, ?7, ?8, ?9, ?10, ?11)",
        params![
            r.id,
            s.id,
            r.consent.as_str(),
            r.release_date,
            r.expulsion.map(super::Expulsion::as_str),
            d.contact,
            r.created_at,
            r.unit,
            r.person,
            r.outcome,
            r.flags.join(",")
        ],
    )?;
    let created = d.events.iter().find(|e| e.kind == "created");
    tx.execute(
        "INSERT INTO referral_events (referral_id, at, actor, kind, to_status)
         VALUES (?1, ?2, ?3, 'created', 'new')",
        params![
            r.id,
            created.map_or(r.created_at.as_str(), |e| e.at.as_str()),
            created.map_or(s.officer.as_str(), |e| e.actor.as_str())
        ],
    )?;
    Ok(())
}
