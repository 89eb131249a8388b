-- Schema version 8: the staff workspace (issue 7, METHODOLOGY M2.9):
-- accounts, sessions, evidence, explanations, rounds. Portable SQL as in
-- 0001. Session expiry and throttling are Unix seconds; other times are
-- "YYYY-MM-DDTHH:MM:SSZ". Changes are audited by the application.

-- A unit_officer is bound to unit_id (and its subtree when subtree is 1).
-- password_hash: argon2id (crypto_pwhash_str). Repeated failed sign-ins
-- refuse the account until throttled_until.
create table app_user (
    id @ID@,
    login text not null unique,
    name text not null default '',
    role text not null check (role in
        ('admin', 'appraiser', 'unit_officer', 'viewer', 'surveyor')),
    unit_id bigint references unit(id),
    subtree integer not null default 0 check (subtree in (0, 1)),
    password_hash text not null,
    disabled integer not null default 0 check (disabled in (0, 1)),
    failed_logins integer not null default 0,
    throttled_until bigint not null default 0,
    created_at text not null,
    check (role <> 'unit_officer' or unit_id is not null)
);

-- The cookie's random token is stored only as its SHA-256. csrf must come
-- back in X-CSRF-Token with every change.
create table session (
    id @ID@,
    token_sha256 text not null unique,
    user_id bigint not null references app_user(id),
    csrf text not null,
    created_at bigint not null,
    expires_at bigint not null
);
create index session_user on session(user_id);

-- Evidence files, one row per file and criterion; the bytes once per
-- content (base64 text: portable) under their SHA-256.
create table evidence_content (
    sha256 text primary key,
    size bigint not null,
    content text not null
);

create table evidence (
    id @ID@,
    period_id bigint not null references period(id),
    unit_id bigint not null references unit(id),
    framework text not null,
    node_code text not null,
    name text not null,
    media_type text not null,
    size bigint not null,
    sha256 text not null references evidence_content(sha256),
    uploaded_by text not null,
    uploaded_at text not null
);
create index evidence_assessment on evidence(period_id, unit_id, framework);

-- The council's questions on a criterion (giải trình) and the unit's answers.
create table explanation (
    id @ID@,
    period_id bigint not null references period(id),
    unit_id bigint not null references unit(id),
    framework text not null,
    node_code text not null,
    question text not null,
    asked_by text not null,
    asked_at text not null,
    answer text,
    answered_by text,
    answered_at text
);
create index explanation_assessment on explanation(period_id, unit_id, framework);

-- A round (its units are the assessment_state rows) takes submissions until
-- the deadline unless closed; a reopening lets one unit submit until later.
create table par_round (
    period_id bigint not null references period(id),
    framework text not null,
    deadline text,
    closed integer not null default 0 check (closed in (0, 1)),
    updated_by text not null,
    updated_at text not null,
    primary key (period_id, framework)
);

create table round_reopen (
    period_id bigint not null references period(id),
    framework text not null,
    unit_id bigint not null references unit(id),
    until text not null,
    reason text not null,
    updated_by text not null,
    updated_at text not null,
    primary key (period_id, framework, unit_id)
);
