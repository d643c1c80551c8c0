-- Uploads: multipart upload ids and the hourly clean-up.

-- A multipart upload belongs to one video, and only a video still waiting for its bytes holds one (ingest clears
-- it when the video becomes ready or rejected; `processing` may still see it while CompleteMultipartUpload returns).
create unique index videos_multipart_upload_id_key on videos (multipart_upload_id) where multipart_upload_id is not null;
alter table videos add constraint videos_multipart_upload_only_while_pending
  check (multipart_upload_id is null or status in ('awaiting_upload', 'processing'));

-- The clean-up finds videos whose ingest died: `processing` and not touched for a while.
create index videos_processing_idx on videos (updated_at) where status = 'processing';
