import { describe, expect, it } from 'vitest';
import { decodeEventKey, encodeEventKey, objectCreatedRecords } from '#lib/storage-events.ts';

describe('storage event keys', () => {
  it.each([
    ['uploads/u/v/my video (1).mp4', 'uploads/u/v/my+video+%281%29.mp4'],
    ['uploads/u/v/a+b.mp4', 'uploads/u/v/a%2Bb.mp4'],
    ['uploads/u/v/café.mp4', 'uploads/u/v/caf%C3%A9.mp4'],
  ])('form-encodes %s as S3 does', (key, encoded) => {
    expect(encodeEventKey(key)).toBe(encoded);
    expect(decodeEventKey(encoded)).toBe(key);
  });

  it('decodes + as a space before percent-decoding', () => {
    expect(decodeEventKey('my+video+%281%29.mp4')).toBe('my video (1).mp4');
  });
});

describe('object-created records', () => {
  const record = (eventName: string) => ({ eventName, s3: { object: { key: 'k' } } });

  it('keeps AWS and MinIO object-created events and drops the rest', () => {
    const payload = {
      Records: [
        record('ObjectCreated:Put'),
        record('ObjectCreated:CompleteMultipartUpload'),
        record('s3:ObjectCreated:Post'),
        record('ObjectRemoved:Delete'),
        record('s3:ObjectRemoved:Delete'),
      ],
    };

    expect(objectCreatedRecords(payload).map((r) => r.eventName)).toEqual([
      'ObjectCreated:Put',
      'ObjectCreated:CompleteMultipartUpload',
      's3:ObjectCreated:Post',
    ]);
  });

  it.each([null, {}, { Records: 'nope' }, { Records: [null, { eventName: 7 }] }])(
    'ignores a malformed payload %j',
    (payload) => {
      expect(objectCreatedRecords(payload)).toEqual([]);
    },
  );
});
