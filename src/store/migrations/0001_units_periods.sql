-- Schema version 1: units (METHODOLOGY M1), periods, the audit log.
-- Portable SQL: @ID@ is the backend's auto-numbered primary key column, and
-- columns that refer to one are bigint (SQLite reads it as integer). Dates are
-- ISO 8601 text, timestamps "YYYY-MM-DDTHH:MM:SSZ" in UTC.

create table unit (
    id @ID@,
    code text not null unique,
    name text not null,
    parent_id bigint references unit(id),
    level text not null check (level in
        ('ministry', 'province', 'department', 'district', 'commune', 'other')),
    flags text not null default '',
    valid_from text,
    valid_to text
);
create index unit_parent on unit(parent_id);

-- A unit may name several successors (provinces merged in 2025).
create table unit_successor (
    unit_id bigint not null references unit(id),
    successor_id bigint not null references unit(id),
    primary key (unit_id, successor_id)
);

create table period (
    id @ID@,
    code text not null unique,
    starts text not null,
    ends text not null,
    check (starts <= ends)
);

-- Append-only: the application inserts and never updates or deletes.
create table audit (
    id @ID@,
    at text not null,
    actor text not null,
    entity text not null,
    entity_id text not null,
    field text not null,
    old_value text,
    new_value text,
    reason text
);
create index audit_entity on audit(entity, entity_id);
