-- The assistant's editable settings. Append-only: every change is a new version, so each bot answer can name
-- the exact settings it was produced with.
create table assistant_settings (
    version                  integer primary key,
    system_prompt            text             not null,
    temperature              double precision not null check (temperature >= 0 and temperature <= 2),
    top_p                    double precision not null check (top_p > 0 and top_p <= 1),
    max_answer_tokens        integer          not null check (max_answer_tokens between 16 and 4096),
    min_confidence           double precision not null check (min_confidence between 0 and 1),
    min_retrieval_score      double precision not null check (min_retrieval_score between 0 and 1),
    retrieval_only_min_score double precision not null check (retrieval_only_min_score between 0 and 1),
    changed_by               text             not null,
    changed_at               timestamptz      not null default now()
);
