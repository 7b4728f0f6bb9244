//! The schema and its numbered migrations, applied with `PRAGMA user_version`.
//!
//! Each step runs in its own transaction together with the version bump, so a crash mid-way
//! leaves the file at the previous version, never half-migrated. Steps are only ever appended:
//! an existing step is never edited once released, because databases in the field already ran it.

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
];

/// The schema version this program writes.
#[must_use]
pub fn latest() -> i64 {
    i64::try_from(STEPS.len()).unwrap_or(i64::MAX)
}

/// Brings the database from `current` to [`latest`], one transaction per step.
pub fn run(conn: &mut Connection, current: i64) -> rusqlite::Result<()> {
    for (i, sql) in STEPS.iter().enumerate() {
        let target = i64::try_from(i + 1).unwrap_or(i64::MAX);
        if target <= current {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_id_literal_matches_constant() {
        // The SQL above cannot interpolate the constant; keep the two in step.
        assert_eq!(APPLICATION_ID, 1_380_930_369);
    }

    #[test]
    fn migrates_from_zero_and_is_idempotent() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn, 0).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, latest());
        run(&mut conn, v).unwrap();
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(app, APPLICATION_ID);
    }
}
