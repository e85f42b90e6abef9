-- Passages: an article split into chunks of a few paragraphs, the unit that retrieval scores and the assistant quotes.
-- Rewritten from the article whenever it changes; each keeps the article's title and language so that the generated
-- search columns below need nothing outside their own row.
create table knowledge_passages (
    article_id uuid         not null references knowledge_articles (id) on delete cascade,
    position   integer      not null,
    title      varchar(300) not null,
    language   varchar(2)   not null check (language in ('es', 'en')),
    text       text         not null,
    -- Full-text search: Spanish stemming with accents removed for Spanish passages, English stemming for English
    -- ones. Weights say where a word stands: A the article title, B the passage's Markdown headings, C anywhere.
    search_vector tsvector generated always as (
        setweight(to_tsvector(case language when 'en' then 'english'::regconfig else 'spanish_unaccent'::regconfig end,
                              title), 'A')
        || setweight(to_tsvector(case language when 'en' then 'english'::regconfig else 'spanish_unaccent'::regconfig end,
                                 regexp_replace(text, '^(?!#{1,6}\s).*$', '', 'gn')), 'B')
        || setweight(to_tsvector(case language when 'en' then 'english'::regconfig else 'spanish_unaccent'::regconfig end,
                                 text), 'C')) stored,
    -- The words as the typo correction compares them: lower case, accents removed, title included (read by
    -- knowledge_words below).
    search_text text generated always as (immutable_unaccent(lower(title || ' ' || text))) stored,
    primary key (article_id, position)
);
create index knowledge_passages_search_vector on knowledge_passages using gin (search_vector);

-- The words the passages use (lower case, no accents): a question's misspelt word is matched to its closest known word
-- ("devolusion" -> "devolucion") by trigram similarity, then searched with stemming like any other word. Trigrams are
-- compared word to word rather than with word_similarity() against whole passages: that scored "devolusion" against
-- "devolución" at only 0.57, below its 0.6 threshold, yet at 0.73 a passage that mentions "devoluciones" in passing.
-- Refreshed (concurrently, hence the unique index) in the transaction of every article change. The table is named
-- with its schema because PostgreSQL 17+ runs materialized-view queries with a search_path of pg_catalog only.
create materialized view knowledge_words as
    select word
    from ts_stat('select to_tsvector(''simple'', search_text) from public.knowledge_passages')
    where length(word) >= 3 and word ~ '^[[:alpha:][:digit:]]+$';
create unique index knowledge_words_word on knowledge_words (word);
create index knowledge_words_word_trgm on knowledge_words using gin (word gin_trgm_ops);
