-- Schema version 7: one-time survey tokens (METHODOLOGY M3.9). Portable SQL
-- as in 0001. A token is printed as a QR code on a receipt and opens the
-- survey of one wave for one unit once: used_at is set in the same
-- transaction that stores the response, so a token is accepted once even
-- under concurrent submissions. The dossier is kept only as a SHA-256 of its
-- reference, never in clear, and responses do not name their token, so an
-- answer cannot be traced back to the person who gave it.
create table token (
    id @ID@,
    code text not null unique,
    wave_id bigint not null references survey_wave(id),
    unit_id bigint not null references unit(id),
    dossier_ref_hash text,
    issued_at text not null,
    expires_at text,
    used_at text
);
create index token_wave_unit on token(wave_id, unit_id);
-- One token per dossier and wave (NULLs, tokens without a dossier, are distinct).
create unique index token_wave_dossier on token(wave_id, dossier_ref_hash);
