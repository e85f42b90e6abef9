-- Bot answers record the whole decision: small talk and clarifying questions are answers too, curated answers and
-- scripted replies are modes of their own, and each answer keeps every confidence component and the calibrated
-- model that turned them into a probability.
alter table bot_answers drop constraint bot_answers_mode_check;
alter table bot_answers add constraint bot_answers_mode_check
    check (mode in ('LLM', 'RETRIEVAL_ONLY', 'CURATED', 'SCRIPTED'));
alter table bot_answers drop constraint bot_answers_outcome_check;
alter table bot_answers add constraint bot_answers_outcome_check
    check (outcome in ('DELIVERED', 'ESCALATED', 'CLARIFIED', 'SMALL_TALK', 'SUPERSEDED'));
alter table bot_answers
    add column retrieval_margin   double precision,
    add column retrieval_coverage double precision,
    add column topic_words        integer,
    add column grounding          double precision,
    add column calibration        text;
create index bot_answers_by_conversation on bot_answers (conversation_id, customer_seq desc);
