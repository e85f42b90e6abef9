-- What agents see about the customer, and how a conversation ended.
alter table conversations
    -- An agent resolved it: a later customer message reopens it with the bot (one ended by the customer stays ended).
    add column resolved_by_agent boolean      not null default false,
    -- The page of the site the widget was opened on.
    add column opened_on_page    varchar(2000),
    -- The widget's random id for the customer's browser: earlier conversations from the same browser.
    add column browser_id        uuid,
    -- Left by the customer when nobody could answer live; the agent's answer goes out by e-mail.
    add column contact_email     varchar(320),
    -- Nobody could answer live at hand-over: the widget offers to leave an e-mail address.
    add column email_offered     boolean      not null default false;
create index conversations_by_browser on conversations (browser_id, created_at) where browser_id is not null;
