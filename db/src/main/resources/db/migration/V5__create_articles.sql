-- Knowledge-base articles: what admins write or import, in Markdown. Passages (V6) are derived from them.
create table knowledge_articles (
    id          uuid         primary key,
    external_id varchar(120) unique,
    title       varchar(300) not null,
    body        text         not null,
    tags        text[]       not null default '{}',
    language    varchar(2)   not null check (language in ('es', 'en')),
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    version     bigint       not null
);
create index knowledge_articles_by_title on knowledge_articles (lower(title));
