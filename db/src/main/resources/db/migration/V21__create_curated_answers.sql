-- Answers admins pinned to a family of questions (a question plus examples): when a customer's message matches one
-- closely enough, the curated answer is given as is, with its source.
create table curated_answers (
    id           uuid primary key,
    question     text        not null check (length(question) between 1 and 500),
    examples     text[]      not null default '{}',
    answer       text        not null check (length(answer) between 1 and 4000),
    source_id    text,
    source_title text        not null,
    created_by   text        not null,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
