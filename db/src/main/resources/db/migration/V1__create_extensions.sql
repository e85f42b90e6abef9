-- Text search over the knowledge base: accent-insensitive Spanish stemming plus trigram similarity for typos.
create extension if not exists unaccent;
create extension if not exists pg_trgm;

create text search configuration spanish_unaccent (copy = pg_catalog.spanish);
alter text search configuration spanish_unaccent
    alter mapping for hword, hword_part, word with unaccent, spanish_stem;

-- unaccent() is only STABLE; an IMMUTABLE wrapper lets indexes use it.
create function immutable_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Spring Modulith's event publication registry (JDBC): events survive a crash and are re-delivered.
create table event_publication (
    id                     uuid primary key,
    listener_id            text        not null,
    event_type             text        not null,
    serialized_event       text        not null,
    publication_date       timestamptz not null,
    completion_date        timestamptz,
    status                 text,
    completion_attempts    integer,
    last_resubmission_date timestamptz
);
create index event_publication_by_completion_date on event_publication (completion_date);
create index event_publication_serialized_event_hash on event_publication using hash (serialized_event);
