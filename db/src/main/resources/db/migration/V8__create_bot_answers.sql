-- One row per customer message the assistant handled: what it decided, why, and from what.
-- Keyed by the customer message (conversation id + its seq); bot_seq is the bot message it opened, if any.
create table bot_answers (
    conversation_id   uuid             not null,
    customer_seq      bigint           not null,
    bot_seq           bigint,
    mode              text             not null check (mode in ('LLM', 'RETRIEVAL_ONLY')),
    outcome           text             not null check (outcome in ('DELIVERED', 'ESCALATED')),
    escalation_reason text,
    detail            text             not null,
    answer_text       text             not null,
    confidence        double precision not null check (confidence between 0 and 1),
    retrieval_score   double precision not null,
    mean_log_prob     double precision,
    min_token_prob    double precision,
    explicit_signal   text,
    passages          jsonb            not null,
    settings_version  integer          not null references assistant_settings (version),
    model_name        text,
    prompt_tokens     integer,
    completion_tokens integer,
    prefill_millis    bigint,
    decode_millis     bigint,
    tokens_per_second double precision,
    created_at        timestamptz      not null default now(),
    primary key (conversation_id, customer_seq)
);
create unique index bot_answers_by_bot_message on bot_answers (conversation_id, bot_seq) where bot_seq is not null;
create index bot_answers_recent_generations on bot_answers (created_at desc) where tokens_per_second is not null;
