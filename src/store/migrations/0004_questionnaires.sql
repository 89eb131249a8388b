-- Schema version 4: the elements and items of stored questionnaires
-- (METHODOLOGY M3.1). Portable SQL as in 0001. A questionnaire is stored in
-- methodology (kind 'questionnaire') with its canonical JSON body; these rows
-- are derived from the body when it is stored, for joins from responses and
-- reports, and never change afterwards. The body stays the reference.

create table questionnaire_element (
    methodology_id bigint not null references methodology(id),
    code text not null,
    position integer not null,           -- 0-based, in questionnaire order
    title_vi text not null,
    title_en text not null default '',
    primary key (methodology_id, code)
);

create table questionnaire_item (
    methodology_id bigint not null references methodology(id),
    code text not null,
    position integer not null,           -- 0-based, in questionnaire order
    element text,                        -- element code; NULL when none
    type text not null,                  -- likert5, yesno, single, multi, number, text, note
    role text not null,                  -- satisfaction, assessment, general, expectation, respondent, other
    field text,                          -- kind, sex, age_band, service; NULL when none
    text_vi text not null default '',
    text_en text not null default '',
    choices integer not null default 0,  -- how many choices it has
    primary key (methodology_id, code)
);
