#!/bin/sh
# Creates the videos bucket, allows browser uploads from the dev origin, and sends every object created under
# uploads/ to the ClipIQ webhook target (configured on the MinIO server as "clipiq", see docker-compose.yml).
set -eu
mc alias set local http://minio:9000 clipiq clipiq-secret
mc mb --ignore-existing "local/${VIDEOS_BUCKET}"
cat > /tmp/cors.xml <<XML
<CORSConfiguration><CORSRule><AllowedOrigin>${CORS_ORIGIN}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>DELETE</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>
XML
mc cors set "local/${VIDEOS_BUCKET}" /tmp/cors.xml || echo "this MinIO version has no bucket CORS API; it allows all origins by default"
mc event add "local/${VIDEOS_BUCKET}" arn:minio:sqs::CLIPIQ:webhook --event put --prefix uploads/ --ignore-existing
mc event ls "local/${VIDEOS_BUCKET}"
