-- Schema version 2: methodologies as versioned data (METHODOLOGY M0, M2.1).
-- Portable SQL as in 0001. A methodology (a PAR framework, a questionnaire, a
-- service-data index) is stored whole as its canonical JSON body with the
-- body's SHA-256, once per (kind, code, version): a new year's rules are a new
-- version, never an edit, so results can name exactly what they used.

create table methodology (
    id @ID@,
    code text not null,
    kind text not null check (kind in ('framework', 'questionnaire', 'service')),
    version text not null,
    title text not null default '',
    source text not null default '',     -- the decision it implements (QĐ 4361/QĐ-BNV)
    body text not null,                  -- canonical JSON (docs/formats.md)
    sha256 text not null,                -- of body, lower-case hex
    imported_at text not null,           -- YYYY-MM-DDTHH:MM:SSZ, UTC
    unique (kind, code, version)
);

-- The nodes of each stored framework, in pre-order, for joins from scores
-- and reports. The body stays the reference; these rows are derived from it
-- when the framework is stored and never change afterwards.
create table framework_node (
    methodology_id bigint not null references methodology(id),
    code text not null,
    parent_code text,                    -- NULL at the top level
    position integer not null,           -- 0-based pre-order position
    depth integer not null,              -- 0 at the top level
    title text not null default '',
    max_points double precision not null,
    source text,                         -- self, survey, data, bonus, penalty; NULL for inner nodes
    rule text,
    params text not null default '{}',   -- JSON object of the rule's parameters as text
    applies_to text not null default '', -- table form: levels=a,b;flags=c;not_flags=d
    primary key (methodology_id, code)
);
