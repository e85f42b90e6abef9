-- The agents' side of a conversation: internal notes and what agents did (claimed, transferred, handed back...).
-- Kept apart from messages, so nothing here can ever reach the customer's widget or its API.
create table desk_entries (
    id              uuid         primary key,
    conversation_id uuid         not null references conversations (id) on delete cascade,
    kind            varchar(16)  not null check (kind in ('NOTE', 'CLAIMED', 'RELEASED', 'TRANSFERRED', 'HANDED_BACK',
                                                          'RESOLVED', 'EMAILED')),
    author_email    varchar(320),
    author_name     varchar(200),
    text            text         not null,
    created_at      timestamptz  not null
);
create index desk_entries_by_conversation on desk_entries (conversation_id, created_at);

-- Queue order: 1 legal threats and anger, 2 the customer asked for a person (or an action on their account),
-- 3 the bot was not sure; then the longest wait first.
alter table escalation_tickets add column priority int not null default 3 check (priority between 1 and 3);
drop index escalation_tickets_by_status;
create index escalation_tickets_by_queue_order on escalation_tickets (status, priority, created_at);

-- The bot's draft and the reply an agent actually sent instead (edited or as it was), for training datasets.
create table agent_reply_drafts (
    message_id      uuid         primary key references messages (id) on delete cascade,
    conversation_id uuid         not null references conversations (id) on delete cascade,
    ticket_id       uuid         not null references escalation_tickets (id) on delete cascade,
    draft_text      text         not null,
    reply_text      text         not null,
    edited          boolean      not null,
    agent_email     varchar(320) not null,
    created_at      timestamptz  not null
);

-- Replies agents insert with "/" + shortcut; managed by admins.
create table canned_replies (
    id         uuid         primary key,
    title      varchar(200) not null,
    text       text         not null,
    language   varchar(2)   not null check (language in ('es', 'en')),
    shortcut   varchar(40)  not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]*$'),
    created_at timestamptz  not null,
    updated_at timestamptz  not null,
    constraint canned_replies_shortcut_unique unique (shortcut, language)
);

-- Who is there to answer: the status an agent chose and when their console was last connected.
create table agent_presence (
    agent_email varchar(320) primary key,
    status      varchar(8)   not null check (status in ('ONLINE', 'AWAY')),
    last_seen   timestamptz  not null
);

-- Agents' answers to customers who left an e-mail address, sent through the configured SMTP server.
create table outbound_emails (
    id              uuid         primary key,
    conversation_id uuid         not null references conversations (id) on delete cascade,
    to_address      varchar(320) not null,
    subject         varchar(300) not null,
    body            text         not null,
    status          varchar(8)   not null check (status in ('PENDING', 'SENT', 'FAILED')),
    attempts        int          not null default 0,
    last_error      text,
    created_at      timestamptz  not null,
    sent_at         timestamptz
);
create index outbound_emails_pending on outbound_emails (created_at) where status = 'PENDING';
