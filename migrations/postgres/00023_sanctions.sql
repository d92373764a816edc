-- +goose Up
-- Sanctions from a finding to a decision, compliance or a referral to the police; the
-- security-and-order certificate of a business and its history (Decree 96/2016).
CREATE TABLE sanctions (
    id TEXT PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses(id),
    area_code TEXT NOT NULL,
    inspection_id TEXT REFERENCES inspections(id),
    violation_code TEXT NOT NULL,
    status TEXT NOT NULL,
    penalty_article TEXT NOT NULL DEFAULT '',
    fine_min BIGINT NOT NULL DEFAULT 0,
    fine_max BIGINT NOT NULL DEFAULT 0,
    security_order BOOLEAN NOT NULL DEFAULT FALSE,
    proposal_note TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    decision_no TEXT NOT NULL DEFAULT '',
    decision_date DATE,
    authority TEXT NOT NULL DEFAULT '',
    warning BOOLEAN NOT NULL DEFAULT FALSE,
    fine_amount BIGINT NOT NULL DEFAULT 0,
    confiscation TEXT NOT NULL DEFAULT '',
    suspension_start DATE,
    suspension_end DATE,
    withdrawal BOOLEAN NOT NULL DEFAULT FALSE,
    withdrawal_start DATE,
    withdrawal_end DATE,
    measures TEXT NOT NULL DEFAULT '[]',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TIMESTAMPTZ,
    follow_up_task_id TEXT REFERENCES tasks(id),
    paid_on DATE,
    paid_amount BIGINT NOT NULL DEFAULT 0,
    receipt_no TEXT NOT NULL DEFAULT '',
    referred_on DATE,
    police_case_no TEXT NOT NULL DEFAULT '',
    referral_outcome TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sanctions_business ON sanctions (business_id);
CREATE INDEX sanctions_area ON sanctions (area_code);
CREATE INDEX sanctions_decision_date ON sanctions (decision_date);

CREATE TABLE security_certificates (
    business_id TEXT PRIMARY KEY REFERENCES businesses(id),
    number TEXT NOT NULL DEFAULT '',
    issued_on DATE,
    status TEXT NOT NULL,
    suspended_until DATE,
    withdrawn_on DATE,
    withdrawn_until DATE,
    flag TEXT NOT NULL DEFAULT '',
    flagged_at TIMESTAMPTZ,
    flag_reason TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE certificate_events (
    id BIGSERIAL PRIMARY KEY,
    business_id TEXT NOT NULL REFERENCES businesses(id),
    at TIMESTAMPTZ NOT NULL,
    event TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_on DATE,
    until DATE,
    sanction_id TEXT REFERENCES sanctions(id),
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL
);
CREATE INDEX certificate_events_business ON certificate_events (business_id, at);

-- +goose Down
DROP TABLE certificate_events;
DROP TABLE security_certificates;
DROP TABLE sanctions;
