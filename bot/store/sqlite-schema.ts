import { AUDIT_SCHEMA } from '../audit/sqlite-audit.js';

/** Schema of the embedded store. Bump SCHEMA_VERSION and add a step when it changes. */
export const SCHEMA_VERSION = 1;

export const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS incidents (
  id           TEXT PRIMARY KEY,
  subject_key  TEXT NOT NULL,
  status       TEXT NOT NULL,
  version      INTEGER NOT NULL,
  opened_at    TEXT NOT NULL,
  -- Epoch ms of the next escalation or reminder; NULL when nothing is scheduled.
  timer_due_at INTEGER,
  body         TEXT NOT NULL
);
-- At most one open incident per subject: grouping depends on it, so the database enforces it.
CREATE UNIQUE INDEX IF NOT EXISTS incidents_open_subject ON incidents(subject_key) WHERE status <> 'resolved';
CREATE INDEX IF NOT EXISTS incidents_timer ON incidents(timer_due_at) WHERE timer_due_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS alerts (
  alert_id          TEXT NOT NULL,
  monitor_condition TEXT NOT NULL,
  incident_id       TEXT NOT NULL REFERENCES incidents(id),
  outcome           TEXT NOT NULL,
  received_at       TEXT NOT NULL,
  fired_at          TEXT NOT NULL,
  parsed            TEXT NOT NULL,
  raw               TEXT NOT NULL,
  PRIMARY KEY (alert_id, monitor_condition)
);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts(incident_id);
CREATE INDEX IF NOT EXISTS alerts_received ON alerts(received_at);

CREATE TABLE IF NOT EXISTS deliveries (
  incident_id       TEXT PRIMARY KEY REFERENCES incidents(id),
  target_version    INTEGER NOT NULL,
  delivered_version INTEGER NOT NULL DEFAULT 0,
  service_url       TEXT,
  conversation_id   TEXT,
  activity_id       TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  last_error        TEXT,
  pending_since     INTEGER
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(next_attempt_at) WHERE target_version > delivered_version;

CREATE TABLE IF NOT EXISTS notifications (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id     TEXT NOT NULL REFERENCES incidents(id),
  intent          TEXT NOT NULL,
  event           TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  done_at         INTEGER
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications(next_attempt_at) WHERE done_at IS NULL;

CREATE TABLE IF NOT EXISTS drills (
  id         TEXT PRIMARY KEY,
  account    TEXT NOT NULL,
  status     TEXT NOT NULL,
  version    INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ended_at   TEXT,
  body       TEXT NOT NULL
);
-- One running drill per account: the window classifies that account's alerts.
CREATE UNIQUE INDEX IF NOT EXISTS drills_running_account ON drills(account) WHERE status = 'running';

CREATE TABLE IF NOT EXISTS drill_schedules (
  account TEXT PRIMARY KEY,
  body    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
${AUDIT_SCHEMA}
`;
