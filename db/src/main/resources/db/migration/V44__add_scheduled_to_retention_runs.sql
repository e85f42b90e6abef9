-- Which runs the daily job made (not an admin's or a test's run by hand): a node whose job fires after another's
-- the same day finds that day's run and does nothing.
alter table retention_runs add column scheduled boolean not null default false;
create index retention_runs_scheduled_started on retention_runs (started_at) where scheduled;
