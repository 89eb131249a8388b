-- Schema version 5: survey waves and their responses (METHODOLOGY M3.1-M3.4).
-- Portable SQL as in 0001. The layout is chosen for 10^7 responses: one row
-- per response with fixed columns, the answers packed into one text column
-- (docs/internals/response_store.md says how), and the import batches kept
-- apart so that a wave is read back as contiguous ranges of ids.

-- A wave ties a questionnaire version to a period. The has_* columns record
-- whether any response of the wave carries a weight, a stratum, a PSU or an
-- fpc, so that estimation knows the design before it reads a response.
create table survey_wave (
    id @ID@,
    code text not null unique,
    questionnaire text not null,
    questionnaire_version text not null,
    period_id bigint not null references period(id),
    title text not null default '',
    opens text,
    closes text,
    mode text not null default '',
    has_weight integer not null default 0,
    has_stratum integer not null default 0,
    has_psu integer not null default 0,
    has_fpc integer not null default 0,
    created_at text not null
);

-- One import: its responses have the ids first_id..last_id (inclusive),
-- written in one transaction.
create table response_batch (
    id @ID@,
    wave_id bigint not null references survey_wave(id),
    source text not null,
    imported_at text not null,
    actor text not null,
    rows bigint not null,
    first_id bigint not null,
    last_id bigint not null
);
create index response_batch_wave on response_batch(wave_id);

-- answers holds one character per likert5, yes/no and single-choice item of
-- the questionnaire, in item order: '-' for no answer, otherwise the
-- character '0' + value (likert level 1-5, yes 1 / no 0, choice index).
-- extra holds the multi, number and text answers, tab-separated in item
-- order (NULL when the questionnaire has none of them).
create table response (
    id @ID@,
    wave_id bigint not null references survey_wave(id),
    batch_id bigint not null references response_batch(id),
    rid text not null,
    unit_id bigint not null references unit(id),
    submitted_at text,
    channel text,
    weight double precision,
    stratum text,
    psu text,
    fpc double precision,
    kind text,
    service text,
    source_line bigint not null,
    answers text not null,
    extra text
);
create unique index response_wave_rid on response(wave_id, rid);
