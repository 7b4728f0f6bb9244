//! The schema and its numbered migrations, applied with `PRAGMA user_version`.
//!
//! Each step runs in its own transaction together with the version bump, so a crash mid-way
//! leaves the file at the previous version, never half-migrated. Steps are only ever appended:
//! an existing step is never edited once released, because databases in the field already ran it.
//!
//! # Adding a step
//! 1. Append a new string at the end of [`STEPS`] with a comment `// N: what and why` (N is its
//!    1-based number, the schema version it brings the file to). Never edit an earlier string,
//!    not even its whitespace: fix a released mistake with a new step.
//! 2. Run `cargo test --lib store::migrate`: `released_steps_are_unchanged` fails and prints
//!    the SHA-256 of the new step; append that line to [`RELEASED`] in the test module.
//! 3. A step that rebuilds `referrals` (SQLite cannot change a CHECK in place) must recreate
//!    the generated `queue_*` columns and the indexes of step 3 as they are.

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of a rosa-screen database ("ROSA" in ASCII), so that an SQLite file
/// of another program is recognised and refused instead of being migrated.
pub const APPLICATION_ID: i32 = 0x524F_5341;

/// The migration steps; step `i` (0-based) brings the file to version `i + 1`.
const STEPS: &[&str] = &[
    // 1: the first schema.
    r"
    PRAGMA application_id = 1380930369;

    -- The exact questionnaire text used by a screening, once per content hash, so an old
    -- screening is always shown with the questions it was asked.
    CREATE TABLE questionnaires (
        hash        TEXT PRIMARY KEY,   -- sha256 (hex) of the exact YAML text
        qid         TEXT NOT NULL,
        version     TEXT NOT NULL,
        source_name TEXT NOT NULL,
        yaml        TEXT NOT NULL,
        first_seen  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE screenings (
        id                    TEXT PRIMARY KEY,   -- uuid v7
        questionnaire_hash    TEXT NOT NULL REFERENCES questionnaires(hash),
        questionnaire_id      TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        unit                  TEXT NOT NULL,
        officer               TEXT NOT NULL,
        person                TEXT NOT NULL,      -- the prison's own reference, no name
        gender                TEXT NOT NULL CHECK (gender IN ('female','male','other','unknown')),
        birth_year            INTEGER,
        nationality           TEXT NOT NULL,
        language              TEXT NOT NULL,
        interpreter           TEXT NOT NULL CHECK (interpreter IN ('none','in_person','phone')),
        person_language       TEXT,
        consent               TEXT CHECK (consent IN ('named','anonymous','none')),
        started_at            TEXT NOT NULL,
        ended_at              TEXT,
        outcome               TEXT
    ) STRICT;
    CREATE INDEX screenings_unfinished ON screenings(started_at) WHERE ended_at IS NULL;
    CREATE INDEX screenings_started ON screenings(started_at);

    -- Every value an answer ever had: a change closes the current row (replaced_at) and adds a
    -- new one, so the earlier value and both times are kept.
    CREATE TABLE answers (
        id           INTEGER PRIMARY KEY,
        screening_id TEXT NOT NULL REFERENCES screenings(id),
        question_id  TEXT NOT NULL,
        answer       TEXT,          -- JSON of screening::Answer; NULL: skipped, or info item seen
        note         TEXT,
        answered_at  TEXT NOT NULL,
        replaced_at  TEXT
    ) STRICT;
    CREATE UNIQUE INDEX answers_current ON answers(screening_id, question_id)
        WHERE replaced_at IS NULL;
    CREATE INDEX answers_screening ON answers(screening_id, id);

    -- Raised indicators and flags, and positive dimensions, of a finished screening.
    CREATE TABLE raised (
        screening_id TEXT NOT NULL REFERENCES screenings(id),
        kind         TEXT NOT NULL CHECK (kind IN ('indicator','flag','dimension')),
        item         TEXT NOT NULL,
        because      TEXT NOT NULL DEFAULT '[]',   -- JSON array of question ids
        ord          INTEGER NOT NULL,
        PRIMARY KEY (screening_id, kind, item)
    ) STRICT;
    CREATE INDEX raised_item ON raised(kind, item);

    CREATE TABLE referrals (
        id           TEXT PRIMARY KEY,   -- uuid v7
        screening_id TEXT NOT NULL UNIQUE REFERENCES screenings(id),
        consent      TEXT NOT NULL CHECK (consent IN ('named','anonymous')),
        release_date TEXT,
        expulsion    INTEGER CHECK (expulsion IN (0, 1)),
        contact      TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN
                       ('new','in_review','contacted','accepted','declined','not_trafficking','closed')),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        -- Copied from the finished screening, which never changes afterwards, so that the
        -- review queue is read from one covering index without a join.
        unit         TEXT NOT NULL,
        person       TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        flags        TEXT NOT NULL   -- raised flag ids, comma-separated
    ) STRICT;
    -- The review queue filters by status and sorts by time: a covering index answers it alone.
    CREATE INDEX referrals_status ON referrals(status, created_at, id, updated_at,
        screening_id, unit, person, outcome, consent, release_date, expulsion, flags);
    CREATE INDEX referrals_created ON referrals(created_at);

    CREATE TABLE referral_events (
        id          INTEGER PRIMARY KEY,
        referral_id TEXT NOT NULL REFERENCES referrals(id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('created','status','note')),
        from_status TEXT,
        to_status   TEXT,
        note        TEXT
    ) STRICT;
    CREATE INDEX referral_events_referral ON referral_events(referral_id, id);

    -- Append-only, hash-chained. The triggers stop this program (or a careless script) from
    -- changing history; the chain makes a change by anything else visible to `audit verify`.
    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        detail    TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    ",
    // 2: the review queue's ordering table (derived from referrals, screenings and raised
    // flags; kept in step by triggers inside the same transactions as every write, so the
    // store's own code does not change). Clustered by the queue's default order, so the first
    // page of 100,000 referrals is a short range read instead of a sort.
    r"
    CREATE VIEW review_queue_source AS
    SELECT CASE WHEN r.status IN ('new','in_review','contacted') THEN 0
                WHEN r.status = 'closed' THEN 2 ELSE 1 END AS grp,
           CASE WHEN r.expulsion = 1 OR EXISTS (SELECT 1 FROM raised x
                  WHERE x.screening_id = r.screening_id AND x.kind = 'flag') THEN 0 ELSE 1 END
             AS urgent,
           coalesce(r.release_date, '9999-12-31') AS release_key,
           r.created_at AS created_at,
           r.id AS referral_id,
           r.status AS status,
           s.unit AS unit,
           coalesce(s.outcome, '') AS outcome,
           s.person AS person
      FROM referrals r JOIN screenings s ON s.id = r.screening_id;

    CREATE TABLE review_queue (
        grp         INTEGER NOT NULL,   -- 0 open (new, in_review, contacted), 1 decided, 2 closed
        urgent      INTEGER NOT NULL,   -- 0: a flag was raised or expulsion is expected
        release_key TEXT NOT NULL,      -- release or transfer date; '9999-12-31' when not given
        created_at  TEXT NOT NULL,
        referral_id TEXT NOT NULL UNIQUE REFERENCES referrals(id),
        status      TEXT NOT NULL,
        unit        TEXT NOT NULL COLLATE NOCASE,
        outcome     TEXT NOT NULL,
        person      TEXT NOT NULL,
        PRIMARY KEY (grp, urgent, release_key, created_at, referral_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX review_queue_status ON review_queue(status);
    CREATE INDEX review_queue_unit ON review_queue(unit);
    CREATE INDEX review_queue_outcome ON review_queue(outcome);
    INSERT INTO review_queue SELECT * FROM review_queue_source;

    CREATE TRIGGER review_queue_referral_insert AFTER INSERT ON referrals BEGIN
        INSERT INTO review_queue SELECT * FROM review_queue_source WHERE referral_id = NEW.id;
    END;
    CREATE TRIGGER review_queue_referral_update
        AFTER UPDATE OF status, release_date, expulsion, created_at, screening_id ON referrals BEGIN
        DELETE FROM review_queue WHERE referral_id = OLD.id;
        INSERT INTO review_queue SELECT * FROM review_queue_source WHERE referral_id = NEW.id;
    END;
    CREATE TRIGGER review_queue_referral_delete AFTER DELETE ON referrals BEGIN
        DELETE FROM review_queue WHERE referral_id = OLD.id;
    END;
    CREATE TRIGGER review_queue_screening_update
        AFTER UPDATE OF unit, person, outcome ON screenings BEGIN
        UPDATE review_queue SET unit = NEW.unit, person = NEW.person,
               outcome = coalesce(NEW.outcome, '')
         WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = NEW.id);
    END;
    CREATE TRIGGER review_queue_flag_insert AFTER INSERT ON raised WHEN NEW.kind = 'flag' BEGIN
        DELETE FROM review_queue
         WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = NEW.screening_id);
        INSERT INTO review_queue SELECT * FROM review_queue_source
         WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = NEW.screening_id);
    END;
    CREATE TRIGGER review_queue_flag_delete AFTER DELETE ON raised WHEN OLD.kind = 'flag' BEGIN
        DELETE FROM review_queue
         WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = OLD.screening_id);
        INSERT INTO review_queue SELECT * FROM review_queue_source
         WHERE referral_id IN (SELECT id FROM referrals WHERE screening_id = OLD.screening_id);
    END;
    ",
    // 3: one denormalisation for the review queue. The unit, person, outcome and flags copied
    // into `referrals` (step 1) already hold every sort and filter key, so the trigger-kept
    // `review_queue` table of step 2 goes. The queue's order keys become virtual generated
    // columns (computed on read, stored only in the index), and one index serves the queue's
    // order with its filter columns, so a page is an index range read and skipped rows need no
    // table lookup. A reference search reads the narrow `referrals_person` index whole (a few
    // milliseconds for 100,000 referrals) instead of the table.
    r"
    DROP TRIGGER review_queue_referral_insert;
    DROP TRIGGER review_queue_referral_update;
    DROP TRIGGER review_queue_referral_delete;
    DROP TRIGGER review_queue_screening_update;
    DROP TRIGGER review_queue_flag_insert;
    DROP TRIGGER review_queue_flag_delete;
    DROP TABLE review_queue;
    DROP VIEW review_queue_source;

    -- 0 open (new, in_review, contacted), 1 decided, 2 closed.
    ALTER TABLE referrals ADD COLUMN queue_group INTEGER GENERATED ALWAYS AS
        (CASE WHEN status IN ('new','in_review','contacted') THEN 0
              WHEN status = 'closed' THEN 2 ELSE 1 END) VIRTUAL;
    -- 0: a flag was raised or expulsion is expected.
    ALTER TABLE referrals ADD COLUMN queue_urgent INTEGER GENERATED ALWAYS AS
        (CASE WHEN expulsion = 1 OR flags <> '' THEN 0 ELSE 1 END) VIRTUAL;
    -- The release or transfer date; '9999-12-31' (last) when not given.
    ALTER TABLE referrals ADD COLUMN queue_release TEXT GENERATED ALWAYS AS
        (coalesce(release_date, '9999-12-31')) VIRTUAL;

    CREATE INDEX referrals_queue ON referrals(queue_group, queue_urgent, queue_release,
        created_at, id, status, unit COLLATE NOCASE, outcome);
    CREATE INDEX referrals_person ON referrals(person COLLATE NOCASE, status,
        unit COLLATE NOCASE, outcome);
    ",
    // 4: format 1's immediate flags, fills and the status rename (issue 13).
    // - `immediate_flags`: each immediate flag raised in a screening, when, and when and by whom
    //   (login name) it was acknowledged; a screening resumed before that shows it again.
    // - `screenings.custody`: filled by the questionnaire (`fills: details.custody`).
    // - `referrals.expulsion` becomes a word with `pending` (yes, no, pending, unknown; it was
    //   0/1), and the status `not_trafficking` becomes `other_help` in referrals and in their
    //   history. Both need new CHECKs, so `referrals` is rebuilt: copied aside, dropped,
    //   created anew and filled back. Foreign keys are deferred to the commit, which finds every
    //   referral_events row's referral again (same ids), so nothing is left dangling.
    // - `status_renames`: the mapping, so `audit verify` replays old log entries (which never
    //   change) under the new name.
    r"
    PRAGMA defer_foreign_keys = ON;

    CREATE TABLE status_renames (
        old            TEXT PRIMARY KEY,
        new            TEXT NOT NULL,
        schema_version INTEGER NOT NULL   -- the step that renamed it
    ) STRICT;
    INSERT INTO status_renames VALUES ('not_trafficking', 'other_help', 4);

    CREATE TEMP TABLE referrals_before AS
        SELECT id, screening_id, consent, release_date, expulsion, contact, status, created_at,
               updated_at, unit, person, outcome, flags
          FROM referrals;
    DROP TABLE referrals;
    CREATE TABLE referrals (
        id           TEXT PRIMARY KEY,   -- uuid v7
        screening_id TEXT NOT NULL UNIQUE REFERENCES screenings(id),
        consent      TEXT NOT NULL CHECK (consent IN ('named','anonymous')),
        release_date TEXT,
        expulsion    TEXT CHECK (expulsion IN ('yes','no','pending','unknown')),
        contact      TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN
                       ('new','in_review','contacted','accepted','declined','other_help','closed')),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        -- Copied from the finished screening, which never changes afterwards, so that the
        -- review queue is read from one covering index without a join.
        unit         TEXT NOT NULL,
        person       TEXT NOT NULL,
        outcome      TEXT NOT NULL,
        flags        TEXT NOT NULL,  -- raised flag ids, comma-separated
        -- 0 open (new, in_review, contacted), 1 decided, 2 closed.
        queue_group INTEGER GENERATED ALWAYS AS
            (CASE WHEN status IN ('new','in_review','contacted') THEN 0
                  WHEN status = 'closed' THEN 2 ELSE 1 END) VIRTUAL,
        -- 0: a flag was raised, or expulsion is expected or pending.
        queue_urgent INTEGER GENERATED ALWAYS AS
            (CASE WHEN expulsion IN ('yes','pending') OR flags <> '' THEN 0 ELSE 1 END) VIRTUAL,
        -- The release or transfer date; '9999-12-31' (last) when not given.
        queue_release TEXT GENERATED ALWAYS AS
            (coalesce(release_date, '9999-12-31')) VIRTUAL
    ) STRICT;
    INSERT INTO referrals (id, screening_id, consent, release_date, expulsion, contact, status,
                           created_at, updated_at, unit, person, outcome, flags)
        SELECT id, screening_id, consent, release_date,
               CASE expulsion WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END,
               contact,
               CASE status WHEN 'not_trafficking' THEN 'other_help' ELSE status END,
               created_at, updated_at, unit, person, outcome, flags
          FROM temp.referrals_before;
    DROP TABLE temp.referrals_before;
    CREATE INDEX referrals_status ON referrals(status, created_at, id, updated_at,
        screening_id, unit, person, outcome, consent, release_date, expulsion, flags);
    CREATE INDEX referrals_created ON referrals(created_at);
    CREATE INDEX referrals_queue ON referrals(queue_group, queue_urgent, queue_release,
        created_at, id, status, unit COLLATE NOCASE, outcome);
    CREATE INDEX referrals_person ON referrals(person COLLATE NOCASE, status,
        unit COLLATE NOCASE, outcome);

    UPDATE referral_events SET from_status = 'other_help' WHERE from_status = 'not_trafficking';
    UPDATE referral_events SET to_status = 'other_help' WHERE to_status = 'not_trafficking';

    ALTER TABLE screenings ADD COLUMN custody TEXT
        CHECK (custody IN ('remand','sentenced','other'));

    CREATE TABLE immediate_flags (
        screening_id    TEXT NOT NULL REFERENCES screenings(id),
        flag            TEXT NOT NULL,
        raised_at       TEXT NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT,             -- the login name of whoever acknowledged it
        PRIMARY KEY (screening_id, flag)
    ) STRICT, WITHOUT ROWID;
    ",
    // 5: the audit log as proof (store/audit.rs). A random key per screening for the HMAC
    // digests of its details and answers that the log records (NULL once a purge or a
    // withdrawal erased the screening's content, or for screenings made before this step), and
    // anchors (entry number and hash) kept from elsewhere, such as hand-off receipts. (Replay
    // reads renamed statuses from `status_renames`, step 4.)
    r"
    ALTER TABLE screenings ADD COLUMN digest_key BLOB;

    CREATE TABLE audit_anchors (
        seq     INTEGER NOT NULL CHECK (seq > 0),
        hash    TEXT NOT NULL,
        source  TEXT NOT NULL,   -- where it came from, e.g. 'receipt:<referral id>'
        kept_at TEXT NOT NULL,
        PRIMARY KEY (seq, hash, source)
    ) STRICT;
    ",
    // 6: two sites (docs/handoff.md). At a prison: each referral's hand-off state apart from
    // ROSA's review status (no row: waiting), every bundle sealed, ROSA's receipts kept as
    // anchors of the audit chain, withdrawals of consent. At ROSA: registered prisons, where
    // each imported referral came from (kept after a purge, so a bundle is never imported
    // twice), each prison's latest audit head. Both: the yearly figures of purged screenings
    // (counts only: no per-person rows, no times). (What was erased is named by the audit
    // entries of the purge or withdrawal, step 5.)
    r"
    CREATE TABLE handoff (
        referral_id  TEXT PRIMARY KEY,
        state        TEXT NOT NULL CHECK (state IN ('sealed','delivered')),
        sealed_at    TEXT NOT NULL,
        delivered_at TEXT
    ) STRICT;
    CREATE TABLE sealed (
        payload_sha256 TEXT PRIMARY KEY,
        referral_id    TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('referral','withdrawal')),
        sealed_at      TEXT NOT NULL,
        audit_entries  INTEGER NOT NULL,
        audit_head     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sealed_referral ON sealed(referral_id);
    CREATE TABLE receipts (
        payload_sha256 TEXT PRIMARY KEY,
        referral_id    TEXT NOT NULL,
        kind           TEXT NOT NULL,
        received_at    TEXT NOT NULL,
        confirmed_at   TEXT NOT NULL,
        audit_entries  INTEGER NOT NULL,
        audit_head     TEXT NOT NULL,
        rosa_key_id    TEXT NOT NULL,
        receipt        TEXT NOT NULL     -- the signed file, to be checked again
    ) STRICT;
    CREATE TABLE withdrawals (
        referral_id  TEXT PRIMARY KEY,
        withdrawn_at TEXT NOT NULL,
        note         TEXT,               -- for ROSA; erased when the referral is purged
        notice       TEXT NOT NULL CHECK (notice IN ('waiting','sealed','delivered','none'))
    ) STRICT;

    CREATE TABLE sites (
        key_id      TEXT PRIMARY KEY,    -- SHA-256 of the public file's key lines
        unit        TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        public_key  TEXT NOT NULL,
        added_at    TEXT NOT NULL
    ) STRICT;
    CREATE TABLE imported (
        referral_id    TEXT PRIMARY KEY,
        key_id         TEXT NOT NULL,
        unit           TEXT NOT NULL,
        arrived_at     TEXT NOT NULL,
        format         INTEGER NOT NULL,
        payload_sha256 TEXT NOT NULL,
        anonymous      INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
        withdrawn_at   TEXT
    ) STRICT;
    CREATE TABLE prison_heads (
        unit        TEXT PRIMARY KEY COLLATE NOCASE,
        entries     INTEGER NOT NULL,
        head        TEXT NOT NULL,
        received_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE purged_counts (
        year    INTEGER NOT NULL,
        measure TEXT NOT NULL,
        key     TEXT NOT NULL,
        count   INTEGER NOT NULL,
        PRIMARY KEY (year, measure, key)
    ) STRICT, WITHOUT ROWID;
    ",
    // 7: the review queue's filter choices (units, outcomes) read their own small indexes;
    // since step 3 dropped the trigger-kept table they scanned every referral.
    r"
    CREATE INDEX referrals_unit ON referrals(unit COLLATE NOCASE);
    CREATE INDEX referrals_outcome ON referrals(outcome);
    ",
    // 8: the PO files of a questionnaire's translations for the person, part of its content
    // (the hash covers them): kept once per hash beside the YAML.
    r"
    CREATE TABLE questionnaire_translations (
        hash     TEXT NOT NULL REFERENCES questionnaires(hash),
        position INTEGER NOT NULL,
        lang     TEXT NOT NULL,
        file     TEXT NOT NULL,
        po       TEXT NOT NULL,
        PRIMARY KEY (hash, lang)
    ) STRICT, WITHOUT ROWID;
    ",
    // 9: the interpreter may be not known yet (NULL): a questionnaire that asks it
    // (`fills: details.interpreter`) fills it when that answer is saved, so a screening paused
    // before the question has none. SQLite cannot change a CHECK or NOT NULL in place, so
    // `screenings` is rebuilt (SQLite's 12-step procedure, inside this step's transaction):
    // copied aside, dropped, created anew with the same columns in the same order, filled
    // back, its indexes recreated. No trigger or view names `screenings` (step 3 dropped the
    // last). Foreign keys are deferred to the commit, which finds every answers, referrals and
    // immediate_flags row's screening again (same ids), so nothing is left dangling.
    r"
    PRAGMA defer_foreign_keys = ON;

    CREATE TEMP TABLE screenings_before AS SELECT * FROM screenings;
    DROP TABLE screenings;
    CREATE TABLE screenings (
        id                    TEXT PRIMARY KEY,   -- uuid v7
        questionnaire_hash    TEXT NOT NULL REFERENCES questionnaires(hash),
        questionnaire_id      TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        unit                  TEXT NOT NULL,
        officer               TEXT NOT NULL,
        person                TEXT NOT NULL,      -- the prison's own reference, no name
        gender                TEXT NOT NULL CHECK (gender IN ('female','male','other','unknown')),
        birth_year            INTEGER,
        nationality           TEXT NOT NULL,
        language              TEXT NOT NULL,
        -- NULL: not known yet (the questionnaire asks it and has not been answered so far).
        interpreter           TEXT CHECK (interpreter IN ('none','in_person','phone')),
        person_language       TEXT,
        consent               TEXT CHECK (consent IN ('named','anonymous','none')),
        started_at            TEXT NOT NULL,
        ended_at              TEXT,
        outcome               TEXT,
        custody               TEXT CHECK (custody IN ('remand','sentenced','other')),
        digest_key            BLOB
    ) STRICT;
    INSERT INTO screenings (id, questionnaire_hash, questionnaire_id, questionnaire_version,
                            unit, officer, person, gender, birth_year, nationality, language,
                            interpreter, person_language, consent, started_at, ended_at,
                            outcome, custody, digest_key)
        SELECT id, questionnaire_hash, questionnaire_id, questionnaire_version, unit, officer,
               person, gender, birth_year, nationality, language, interpreter, person_language,
               consent, started_at, ended_at, outcome, custody, digest_key
          FROM temp.screenings_before;
    DROP TABLE temp.screenings_before;
    CREATE INDEX screenings_unfinished ON screenings(started_at) WHERE ended_at IS NULL;
    CREATE INDEX screenings_started ON screenings(started_at);
    ",
];

/// The schema version this program writes.
#[must_use]
pub fn latest() -> i64 {
    i64::try_from(STEPS.len()).unwrap_or(i64::MAX)
}

/// Why [`run`] stopped.
#[derive(Debug)]
pub enum Error {
    /// SQLite failed.
    Sql(rusqlite::Error),
    /// The file's version (read under the write lock) is not one this program can migrate
    /// from: negative, or newer than [`latest`]. Nothing was changed.
    Version(i64),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

/// Brings the database to [`latest`], one transaction per step. Each step takes the write lock
/// first (IMMEDIATE) and only then reads `user_version`, so several processes opening the same
/// new file at once queue on the lock, and each applies only what no other has applied yet.
pub fn run(conn: &mut Connection) -> Result<(), Error> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let Some(sql) = usize::try_from(current)
            .ok()
            .filter(|_| current <= latest())
            .map(|i| STEPS.get(i))
        else {
            return Err(Error::Version(current));
        };
        let Some(sql) = sql else {
            // Up to date (perhaps migrated by another process while this one waited).
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-256 of every released step, in order. A step on main is released: databases in
    /// the field (and other helpers' branches) already ran it, so it is never edited again.
    /// Add one line here when appending a step (see the module docs).
    const RELEASED: &[&str] = &[
        "1ab0aca81593aecbafa02204731aa7bfe15a397213aeb2c160bae356b89525d2",
        "376079bb04ba4d8bd79cd5605d0226a6dbb36fb49ad53cf9d37f0646489f4b70",
        "c092b0e44e4584726d105ea917c54602170ac4d87eecca25535c43d7b973c3fc",
        "cc74bcb8bb5d58eaf7dc64d0170528a56f33f0d564eb125b21f9d1204da11ad8",
        "98f58b5f1f20bf19ba81acd7bf407392f8579c3abd41440011faf5a80647247f",
        "271e6b6be9f0d38576149abe3bb3876dec3483d1cbc0a01de140eea4c173dbcf",
        "832d47c11c699ee97e59b2b6da61839bcfcb4b7330194a7b7d9cd16cd847e366",
        "7ea2a027ec3aa232a7656cd4466eaeaa391b3f0ac5105db20ccb491bfe342957",
        "22d5104c94e912cc2a43ec491f15e0d137b91234d3639dcd6be6f70113168e7d",
    ];

    #[test]
    fn released_steps_are_unchanged() {
        for (i, sql) in STEPS.iter().enumerate() {
            let hash = crate::store::sha256_hex(sql.as_bytes());
            match RELEASED.get(i) {
                Some(pinned) => assert_eq!(
                    *pinned,
                    hash,
                    "schema step {} was edited after it was released; undo the edit and append a new step instead",
                    i + 1
                ),
                None => panic!(
                    "schema step {} is new: append its hash to RELEASED in src/store/migrate.rs:\n        \"{hash}\",",
                    i + 1
                ),
            }
        }
        assert_eq!(
            RELEASED.len(),
            STEPS.len(),
            "RELEASED lists a step that is gone"
        );
    }

    /// Step 4 on a file that holds a referral of every kind step 3 allowed: the status
    /// `not_trafficking` (also in the history) becomes `other_help`, expulsion 1/0 becomes
    /// yes/no, every referral and its history survive the rebuild, the mapping is recorded.
    #[test]
    fn step_4_renames_the_status_and_keeps_every_referral() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        for sql in &STEPS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO questionnaires VALUES ('h', 'q', '1', 'x.yaml', 'format: 1', 't');
             INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                 questionnaire_version, unit, officer, person, gender, nationality, language,
                 interpreter, started_at, ended_at, outcome)
               VALUES ('s1', 'h', 'q', '1', 'U', 'O', 'P1', 'female', 'NG', 'en', 'none', 't', 't', 'o'),
                      ('s2', 'h', 'q', '1', 'U', 'O', 'P2', 'male', 'NG', 'en', 'none', 't', 't', 'o');
             INSERT INTO referrals (id, screening_id, consent, release_date, expulsion, contact,
                 status, created_at, updated_at, unit, person, outcome, flags)
               VALUES ('r1', 's1', 'named', '2027-01-15', 1, 'c', 'not_trafficking', 't1', 't1',
                       'U', 'P1', 'o', ''),
                      ('r2', 's2', 'anonymous', NULL, 0, 'c', 'closed', 't2', 't2',
                       'U', 'P2', 'o', 'minor');
             INSERT INTO referral_events (referral_id, at, actor, kind, from_status, to_status)
               VALUES ('r1', 't', 'a', 'created', NULL, 'new'),
                      ('r1', 't', 'a', 'status', 'contacted', 'not_trafficking'),
                      ('r2', 't', 'a', 'status', 'not_trafficking', 'closed');",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(STEPS[3]).unwrap();
        tx.commit().unwrap();

        let rows: Vec<(String, String, Option<String>, i64)> = conn
            .prepare("SELECT id, status, expulsion, queue_urgent FROM referrals ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("r1".into(), "other_help".into(), Some("yes".into()), 0),
                ("r2".into(), "closed".into(), Some("no".into()), 0),
            ]
        );
        let history: Vec<(Option<String>, Option<String>)> = conn
            .prepare("SELECT from_status, to_status FROM referral_events ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            history,
            [
                (None, Some("new".into())),
                (Some("contacted".into()), Some("other_help".into())),
                (Some("other_help".into()), Some("closed".into())),
            ]
        );
        let renames: (String, String) = conn
            .query_row("SELECT old, new FROM status_renames", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(renames, ("not_trafficking".into(), "other_help".into()));
        let dangling: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(dangling, 0);
        // The old status is refused from now on, the new one and `pending` are taken.
        assert!(
            conn.execute(
                "UPDATE referrals SET status = 'not_trafficking' WHERE id = 'r1'",
                []
            )
            .is_err()
        );
        conn.execute(
            "UPDATE referrals SET expulsion = 'pending' WHERE id = 'r2'",
            [],
        )
        .unwrap();
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'referrals'
                   AND name IN ('referrals_status', 'referrals_created', 'referrals_queue',
                                'referrals_person')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 4);
    }

    #[test]
    fn step_9_lets_the_interpreter_be_not_known_and_keeps_every_screening() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        let tx = conn.transaction().unwrap();
        for sql in &STEPS[..8] {
            tx.execute_batch(sql).unwrap();
        }
        tx.execute_batch(
            "INSERT INTO questionnaires VALUES ('h', 'q', '1', 'built-in', 'yaml', 't');
             INSERT INTO screenings (id, questionnaire_hash, questionnaire_id,
                 questionnaire_version, unit, officer, person, gender, birth_year, nationality,
                 language, interpreter, person_language, consent, started_at, ended_at, outcome,
                 custody, digest_key)
             VALUES ('s1', 'h', 'q', '1', 'U', 'O', 'P-1', 'female', 1990, 'NG', 'en', 'phone',
                     'yo', 'named', 't1', 't2', 'refer', 'remand', x'0102'),
                    ('s2', 'h', 'q', '1', 'U', 'O', 'P-2', 'male', NULL, 'unknown', 'nb', 'none',
                     NULL, NULL, 't3', NULL, NULL, NULL, NULL);
             INSERT INTO answers (screening_id, question_id, answer, answered_at)
             VALUES ('s1', 'interpreter', '\"phone\"', 't1');
             INSERT INTO referrals (id, screening_id, consent, contact, status, created_at,
                                    updated_at, unit, person, outcome, flags)
             VALUES ('r1', 's1', 'named', 'c', 'new', 't2', 't2', 'U', 'P-1', 'refer', '');
             INSERT INTO immediate_flags VALUES ('s1', 'acute_danger', 't1', NULL, NULL);",
        )
        .unwrap();
        tx.execute_batch(STEPS[8]).unwrap();
        tx.commit().unwrap();

        type Head = (
            String,
            String,
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
        );
        type Row = (Head, Option<String>, Option<String>, Option<Vec<u8>>);
        let rows: Vec<Row> = conn
            .prepare(
                "SELECT id, person, birth_year, gender, interpreter, person_language, custody,
                        outcome, digest_key
                   FROM screenings ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((
                    (
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ),
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    (
                        "s1".into(),
                        "P-1".into(),
                        Some(1990),
                        "female".into(),
                        Some("phone".into()),
                        Some("yo".into())
                    ),
                    Some("remand".into()),
                    Some("refer".into()),
                    Some(vec![1, 2])
                ),
                (
                    (
                        "s2".into(),
                        "P-2".into(),
                        None,
                        "male".into(),
                        Some("none".into()),
                        None
                    ),
                    None,
                    None,
                    None
                ),
            ]
        );
        let dangling: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(dangling, 0);
        // Not known yet is taken now; a word the CHECK does not know is still refused.
        conn.execute(
            "UPDATE screenings SET interpreter = NULL WHERE id = 's2'",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "UPDATE screenings SET interpreter = 'video' WHERE id = 's2'",
                []
            )
            .is_err()
        );
        // The children still find their screening; one that names none is refused.
        assert!(
            conn.execute(
                "INSERT INTO answers (screening_id, question_id, answered_at)
                 VALUES ('gone', 'q', 't')",
                []
            )
            .is_err()
        );
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index'
                   AND tbl_name = 'screenings'
                   AND name IN ('screenings_unfinished', 'screenings_started')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 2);
    }

    #[test]
    fn application_id_literal_matches_constant() {
        // The SQL above cannot interpolate the constant; keep the two in step.
        assert_eq!(APPLICATION_ID, 1_380_930_369);
    }

    #[test]
    fn migrates_from_zero_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, latest());
        run(&mut conn).unwrap();
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
    }
}
