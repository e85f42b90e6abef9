-- Who read which transcript and when: every read by staff (page, fragment or API), for admins to audit.
-- No foreign key: the record of a read outlives the conversation (retention may delete it).
create table transcript_reads (
    id              bigserial    primary key,
    staff_email     varchar(320) not null,
    conversation_id uuid         not null,
    via             varchar(16)  not null check (via in ('PAGE', 'FRAGMENT', 'API')),
    read_at         timestamptz  not null
);
create index transcript_reads_by_time on transcript_reads (read_at desc, id desc);
create index transcript_reads_by_conversation on transcript_reads (conversation_id, read_at desc);
create index transcript_reads_by_staff on transcript_reads (lower(staff_email), read_at desc);
