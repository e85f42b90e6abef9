-- Retention: conversations anonymised by the daily job (so they are not redone), and erasures on request (GDPR),
-- kept without any content: only which conversation, who and when.
create table retention_anonymised (
    conversation_id uuid        primary key references conversations (id) on delete cascade,
    anonymised_at   timestamptz not null
);

create table conversation_erasures (
    conversation_id uuid        primary key,
    erased_by       varchar(320) not null,
    erased_at       timestamptz not null
);

create table retention_runs (
    id          bigserial   primary key,
    started_at  timestamptz not null,
    mode        varchar(10) not null check (mode in ('DELETE', 'ANONYMISE')),
    cutoff      timestamptz not null,
    affected    integer     not null
);
