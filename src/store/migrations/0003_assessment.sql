-- Schema version 3: PAR scores (self-assessment and appraisal), the workflow
-- state of each unit's assessment, and published results (METHODOLOGY M2.2,
-- M2.9). Portable SQL as in 0001. Every change to these tables is also
-- written to the audit log by the application.

-- One row per (period, unit, framework, leaf). A score is either a number
-- (the input of the leaf's rule; for the usual `manual` rule the points) or
-- "not applicable" (the *_na flag), or neither (not yet). The appraised
-- side, when given, is final (M2.2). framework is the framework's code;
-- methodology_id names the exact version the scores were entered against,
-- the same for every row of a period and framework code.
create table assessment (
    period_id bigint not null references period(id),
    unit_id bigint not null references unit(id),
    framework text not null,
    methodology_id bigint not null references methodology(id),
    node_code text not null,
    self_score double precision,
    self_na integer not null default 0 check (self_na in (0, 1)),
    self_note text,
    appraised_score double precision,
    appraised_na integer not null default 0 check (appraised_na in (0, 1)),
    appraisal_reason text,
    updated_by text not null,
    updated_at text not null,
    primary key (period_id, unit_id, framework, node_code),
    check (self_na = 0 or self_score is null),
    check (appraised_na = 0 or appraised_score is null)
);
create index assessment_round on assessment(period_id, framework);

-- Where each unit's assessment stands (M2.9); no row means draft.
create table assessment_state (
    period_id bigint not null references period(id),
    unit_id bigint not null references unit(id),
    framework text not null,
    state text not null check (state in ('draft', 'submitted', 'appraised',
        'explanation_requested', 'explained', 'approved', 'published')),
    updated_by text not null,
    updated_at text not null,
    primary key (period_id, unit_id, framework)
);

-- Frozen results (M2.9): the canonical results JSON exactly as
-- `chiso par compute --format json` printed it at publication, with the hash
-- of the framework body and of the inputs (units and scores) and the options
-- it was computed with. Rows are inserted once and never changed.
create table publication (
    id @ID@,
    period_id bigint not null references period(id),
    kind text not null check (kind in ('par')),
    framework text not null,
    framework_version text not null,
    methodology_id bigint not null references methodology(id),
    methodology_sha256 text not null,
    input_sha256 text not null,
    options text not null,
    results text not null,
    published_at text not null,
    published_by text not null,
    unique (period_id, kind, framework)
);
