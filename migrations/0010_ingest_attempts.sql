-- Ingest: a video whose ingest keeps failing is rejected after a bounded number of attempts (the API's
-- `processing_failed`: the original is kept), instead of staying `processing` for the clean-up to retry forever.
alter type video_rejection_reason add value 'processing_failed';
alter table videos add column ingest_attempts integer not null default 0;
