-- Schema version 6: periods whose results may be shown on the public
-- dashboard without signing in (issue 5, dashboards). Portable SQL as in
-- 0001. A period is public while it has a row here; `chiso par public`
-- adds and removes the row and writes an audit row for each change.

create table public_period (
    period_id bigint primary key references period(id),
    marked_at text not null,
    marked_by text not null
);
