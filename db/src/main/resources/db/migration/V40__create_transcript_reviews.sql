-- The admins' review of conversations (transcripts module) and the customers' thumbs on bot answers (widget).

-- Customers rate each bot answer in the widget: thumbs up or down, optionally why. Rating again replaces it.
create table answer_feedback (
    conversation_id uuid        not null references conversations (id) on delete cascade,
    seq             bigint      not null,
    helpful         boolean     not null,
    reason          text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (conversation_id, seq)
);

-- An admin's label on one bot (or agent) answer, with the answer it should have been. The latest label counts;
-- review_events keeps every one.
create table message_labels (
    message_id      uuid        primary key references messages (id) on delete cascade,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    label           varchar(8)  not null check (label in ('good', 'bad', 'unsafe')),
    corrected_text  text,
    labelled_by     varchar(320) not null,
    labelled_at     timestamptz not null
);
create index message_labels_by_conversation on message_labels (conversation_id);

-- Whether a whole conversation may be used for training.
create table conversation_reviews (
    conversation_id uuid        primary key references conversations (id) on delete cascade,
    decision        varchar(8)  not null check (decision in ('APPROVED', 'REJECTED')),
    reviewed_by     varchar(320) not null,
    reviewed_at     timestamptz not null
);

-- Who reviewed what and when: every label and decision, never updated.
create table review_events (
    id              bigserial   primary key,
    conversation_id uuid        not null references conversations (id) on delete cascade,
    message_id      uuid,
    action          varchar(16) not null check (action in ('LABEL', 'APPROVE', 'REJECT')),
    label           varchar(8),
    corrected_text  text,
    reviewed_by     varchar(320) not null,
    reviewed_at     timestamptz not null
);
create index review_events_by_conversation on review_events (conversation_id, reviewed_at);

-- Spanish full-text search over transcripts (accents ignored, as in the knowledge base).
create index messages_text_search on messages using gin (to_tsvector('spanish_unaccent'::regconfig, text));
create index conversations_by_created_at on conversations (created_at);

-- What happened in each conversation, the facts that outcomes, filters and statistics are computed from.
-- "Reopened": the customer wrote again between 24 hours and 7 days after the previous message.
create view conversation_facts as
select c.id                                    as conversation_id,
       c.created_at,
       c.locale,
       c.state,
       c.assigned_agent,
       c.closed_at,
       t.id is not null                        as escalated,
       t.reason                                as escalation_reason,
       t.created_at                            as escalated_at,
       coalesce(m.customer_messages, 0)        as customer_messages,
       coalesce(m.bot_messages, 0)             as bot_messages,
       coalesce(m.agent_messages, 0)           as agent_messages,
       m.first_customer_at,
       m.first_bot_at,
       m.first_agent_at,
       m.last_message_at,
       m.last_author,
       coalesce(g.reopened, false)             as reopened,
       coalesce(g.silent_day_after_bot, false) as silent_day_after_bot,
       b.min_confidence,
       b.max_confidence,
       r.score                                 as rating,
       r.comment                               as rating_comment,
       coalesce(f.thumbs_up, 0)                as thumbs_up,
       coalesce(f.thumbs_down, 0)              as thumbs_down,
       v.decision                              as review,
       v.reviewed_by,
       v.reviewed_at
from conversations c
left join lateral (select e.id, e.reason, e.created_at from escalation_tickets e
                   where e.conversation_id = c.id order by e.created_at limit 1) t on true
left join lateral (select count(*) filter (where author = 'CUSTOMER')        as customer_messages,
                          count(*) filter (where author = 'BOT')             as bot_messages,
                          count(*) filter (where author = 'AGENT')           as agent_messages,
                          min(created_at) filter (where author = 'CUSTOMER')  as first_customer_at,
                          min(completed_at) filter (where author = 'BOT')     as first_bot_at,
                          min(created_at) filter (where author = 'AGENT')    as first_agent_at,
                          max(created_at)                                    as last_message_at,
                          (array_agg(author order by seq desc))[1]           as last_author
                   from messages where conversation_id = c.id and author <> 'SYSTEM' and complete and not withdrawn) m on true
left join lateral (select bool_or(author = 'CUSTOMER' and gap >= interval '24 hours' and gap <= interval '7 days') as reopened,
                          bool_or(author_before = 'BOT' and gap >= interval '24 hours') as silent_day_after_bot
                   from (select author, created_at - lag(created_at) over w as gap, lag(author) over w as author_before
                         from messages where conversation_id = c.id and author <> 'SYSTEM' and complete and not withdrawn
                         window w as (order by seq)) gaps) g on true
left join lateral (select min(confidence) as min_confidence, max(confidence) as max_confidence
                   from bot_answers where conversation_id = c.id) b on true
left join conversation_ratings r on r.conversation_id = c.id
left join lateral (select count(*) filter (where helpful) as thumbs_up, count(*) filter (where not helpful) as thumbs_down
                   from answer_feedback where conversation_id = c.id) f on true
left join conversation_reviews v on v.conversation_id = c.id;

-- The outcome of a conversation as of a moment, comparable with the peers' definitions:
-- ASSISTED (a person replied), ESCALATED_UNANSWERED (handed over, nobody replied), RESOLVED_BY_BOT (no person, and the
-- customer confirmed with a thumbs up or a rating of 4-5, or did not come back within 24 hours of a bot answer,
-- without a thumbs down or a rating of 1-2), IN_PROGRESS (open, last message under 24 hours old), ABANDONED (the rest).
create function conversation_outcome(f conversation_facts, at timestamptz) returns text
    language sql stable parallel safe
    as $$
    select case
        when f.agent_messages > 0 then 'ASSISTED'
        when f.escalated then 'ESCALATED_UNANSWERED'
        when f.bot_messages > 0
             and not (coalesce(f.rating, 3) <= 2 or (f.thumbs_down > 0 and f.thumbs_up = 0))
             and (f.thumbs_up > 0 or coalesce(f.rating, 0) >= 4 or f.silent_day_after_bot
                  or (f.last_author = 'BOT' and f.last_message_at <= at - interval '24 hours')) then 'RESOLVED_BY_BOT'
        when f.state <> 'CLOSED' and coalesce(f.last_message_at, f.created_at) > at - interval '24 hours' then 'IN_PROGRESS'
        else 'ABANDONED'
    end
    $$;
