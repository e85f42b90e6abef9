-- Sentence embeddings of the passages for semantic retrieval. A vector belongs to a passage's text (title and text,
-- by SHA-256) as one embedding model saw it: an edited passage has a new checksum and is embedded again, and another
-- model (its identity in "model") embeds every passage again. Computed in the background by each node's
-- knowledge.internal.PassageEmbedding; every node loads the vectors of its model into memory to search them.
create table knowledge_passage_vectors (
    model          varchar(400) not null,
    content_sha256 char(64)     not null,
    dimension      integer      not null check (dimension > 0),
    vector         real[]       not null check (cardinality(vector) = dimension),
    embedded_at    timestamptz  not null default now(),
    primary key (model, content_sha256)
);

-- With the pgvector extension on the server, the same vector is also kept as a pgvector value (filled from the portable
-- column by a trigger), for SQL-side similarity queries. The embedded server has no pgvector: nothing happens there.
do $$
begin
    if exists (select 1 from pg_available_extensions where name = 'vector') then
        create extension if not exists vector;
        execute 'alter table knowledge_passage_vectors add column embedding vector';
        execute $f$
            create function knowledge_passage_vectors_embedding() returns trigger language plpgsql as $t$
            begin
                new.embedding := new.vector::vector;
                return new;
            end $t$ $f$;
        execute 'create trigger knowledge_passage_vectors_embedding before insert or update of vector '
             || 'on knowledge_passage_vectors for each row execute function knowledge_passage_vectors_embedding()';
    end if;
exception when insufficient_privilege then
    raise notice 'pgvector is installed but this role may not create the extension: vectors are kept as real[] only';
end $$;
