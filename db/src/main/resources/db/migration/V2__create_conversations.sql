-- Customer conversations of the widget. The widget's bearer token is stored only as its SHA-256 hash.
create table conversations (
    id             uuid        primary key,
    token_hash     varchar(64) not null unique,
    state          varchar(16) not null check (state in ('BOT', 'ESCALATED', 'AGENT', 'CLOSED')),
    locale         varchar(2)  not null check (locale in ('es', 'en')),
    assigned_agent varchar(200),
    -- Last sequence number handed out; messages take the next one under this row's lock.
    last_seq       bigint      not null default 0,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    closed_at      timestamptz,
    version        bigint      not null default 0
);
create index conversations_by_state on conversations (state, updated_at);

create table messages (
    id                uuid             primary key,
    conversation_id   uuid             not null references conversations (id) on delete cascade,
    seq               bigint           not null,
    author            varchar(16)      not null check (author in ('CUSTOMER', 'BOT', 'AGENT', 'SYSTEM')),
    author_name       varchar(200),
    text              text             not null,
    -- A bot message is incomplete while the assistant writes it; withdrawn when the draft goes to an agent instead.
    complete          boolean          not null,
    withdrawn         boolean          not null default false,
    confidence        double precision check (confidence between 0 and 1),
    sources           jsonb            not null default '[]'::jsonb,
    client_message_id uuid,
    created_at        timestamptz      not null,
    completed_at      timestamptz,
    constraint messages_seq_unique unique (conversation_id, seq),
    -- A widget retry with the same clientMessageId must never store a second message.
    constraint messages_client_message_id_unique unique (conversation_id, client_message_id)
);

create table conversation_ratings (
    conversation_id uuid        primary key references conversations (id) on delete cascade,
    score           smallint    not null check (score between 1 and 5),
    comment         text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);
