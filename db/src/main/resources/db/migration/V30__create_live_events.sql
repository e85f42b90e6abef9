-- Every change agents and customers watch live, in commit order per transaction. A node announces the row's id with
-- NOTIFY; every node reads what changed from the database. Agents' event streams resume from an id (Last-Event-ID).
-- Rows are kept a day (LiveNotifications prunes older ones).
create table live_events (
    id              bigserial    primary key,
    kind            varchar(32)  not null,
    conversation_id uuid         not null,
    seq             bigint       not null default 0,
    ticket_id       uuid,
    created_at      timestamptz  not null default now()
);
create index live_events_by_time on live_events (created_at);
