-- The agents' queue: one ticket each time a conversation is handed from the bot to a person.
create table escalation_tickets (
    id              uuid         primary key,
    conversation_id uuid         not null references conversations (id) on delete cascade,
    reason          varchar(32)  not null,
    detail          text         not null,
    bot_draft       text         not null,
    status          varchar(16)  not null check (status in ('OPEN', 'CLAIMED', 'RESOLVED')),
    claimed_by      varchar(320),
    claimed_at      timestamptz,
    resolved_at     timestamptz,
    created_at      timestamptz  not null,
    version         bigint       not null default 0
);
-- A conversation waits in the queue at most once; a redelivered ConversationEscalated event adds nothing.
create unique index escalation_tickets_one_active_per_conversation
    on escalation_tickets (conversation_id) where status <> 'RESOLVED';
create index escalation_tickets_by_status on escalation_tickets (status, created_at);
