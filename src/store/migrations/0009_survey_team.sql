-- Schema version 9: the survey team's work in the workspace (issue 7):
-- sample plans and the double keying of paper forms (METHODOLOGY M3.8).
-- Portable SQL as in 0001.

-- How many responses a unit should collect in a wave.
create table sample_plan (
    wave_id bigint not null references survey_wave(id),
    unit_id bigint not null references unit(id),
    target integer not null check (target > 0),
    primary key (wave_id, unit_id)
);

-- A paper form keyed twice by two people: answers is a JSON object of the
-- values as typed (item code -> text). The response is stored only when
-- both keyings agree field by field, or once someone resolved every
-- difference (keyed_form).
create table keying (
    id @ID@,
    wave_id bigint not null references survey_wave(id),
    form text not null,
    pass integer not null check (pass in (1, 2)),
    unit_id bigint not null references unit(id),
    answers text not null,
    keyed_by text not null,
    keyed_at text not null,
    unique (wave_id, form, pass)
);

-- state: 'differs' (the keyings disagree, or agree on values the
-- questionnaire refuses) or 'stored' (response_id is the stored response).
create table keyed_form (
    wave_id bigint not null references survey_wave(id),
    form text not null,
    state text not null check (state in ('differs', 'stored')),
    response_id bigint,
    updated_by text not null,
    updated_at text not null,
    primary key (wave_id, form)
);
