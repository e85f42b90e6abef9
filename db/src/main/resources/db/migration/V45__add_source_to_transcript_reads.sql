-- Where a staff read of a transcript came from: the page or API route that showed it ("GET /admin/transcripts/{id}"),
-- for admins auditing reads. Null for reads recorded before this column, and for reads outside a web request.
alter table transcript_reads add column source varchar(160);
