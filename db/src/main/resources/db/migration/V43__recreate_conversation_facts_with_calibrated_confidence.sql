-- The confidence range filter, the confidence sort and the dashboard read the calibrated probability that an answer
-- is right: bot_answers.confidence where a fitted confidence model computed it (calibration names the model's
-- version). Values set by rule, not by the model, are left out: scripted replies (small talk, clarifying questions:
-- 1), explicit requests for a person (0), curated answers (their similarity), vague messages and failures (0); so are
-- answers recorded before calibration existed (calibration null: a heuristic score, not a probability). The names
-- are those of assistant.internal.ConfidenceScore and Triage.
create or replace view conversation_facts as
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
                   from bot_answers where conversation_id = c.id and calibration is not null
                     and calibration not in ('scripted', 'explicit-signal', 'curated-similarity', 'vague', 'failure')) b on true
left join conversation_ratings r on r.conversation_id = c.id
left join lateral (select count(*) filter (where helpful) as thumbs_up, count(*) filter (where not helpful) as thumbs_down
                   from answer_feedback where conversation_id = c.id) f on true
left join conversation_reviews v on v.conversation_id = c.id;
