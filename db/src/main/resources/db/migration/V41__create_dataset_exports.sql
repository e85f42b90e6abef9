-- Every training-dataset export: who asked, when, with which filters, how many lines and the file's SHA-256, so a
-- fine-tuned model can be traced back to the exact data it was trained on.
create table dataset_exports (
    id          uuid        primary key,
    number      bigserial   not null unique,
    format      varchar(16) not null,
    filters     jsonb       not null,
    exported_by varchar(320) not null,
    started_at  timestamptz not null,
    finished_at timestamptz,
    lines       bigint,
    sha256      varchar(64),
    status      varchar(8)  not null check (status in ('RUNNING', 'DONE', 'FAILED'))
);
create index dataset_exports_by_start on dataset_exports (started_at desc);
