import { describe, expect, it } from 'vitest';
import { parseStoryboard } from '../../../web/src/storyboard.ts';

const TRACK_URL = 'https://api.example/api/v1/videos/v1/media/storyboard.vtt?expires=1&signature=abc';

describe('parseStoryboard', () => {
  it('reads each cue’s times and sprite box, keeping a presigned sprite URL as it is', () => {
    const track = [
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:02.000',
      'https://bucket.example/derived/v1/storyboard/sprite-0.jpg?X-Amz-Signature=f00#xywh=0,0,160,90',
      '',
      '00:01:02.500 --> 01:00:04.000',
      'https://bucket.example/derived/v1/storyboard/sprite-0.jpg?X-Amz-Signature=f00#xywh=160,90,160,90',
      '',
    ].join('\n');

    expect(parseStoryboard(track, TRACK_URL)).toEqual([
      {
        start: 0,
        end: 2,
        image: 'https://bucket.example/derived/v1/storyboard/sprite-0.jpg?X-Amz-Signature=f00',
        x: 0,
        y: 0,
        width: 160,
        height: 90,
      },
      {
        start: 62.5,
        end: 3604,
        image: 'https://bucket.example/derived/v1/storyboard/sprite-0.jpg?X-Amz-Signature=f00',
        x: 160,
        y: 90,
        width: 160,
        height: 90,
      },
    ]);
  });

  it('resolves relative sprite names against the track’s URL, across several sprites, with cue ids, settings and CRLF', () => {
    const track =
      'WEBVTT\r\n\r\n1\r\n00:00.000 --> 00:05.000 align:start\r\nsprite-0.jpg#xywh=0,0,160,90\r\n\r\n' +
      '2\r\n00:05.000 --> 00:10.000\r\nsprites/sprite-1.jpg#xywh=0,0,160,90\r\n\r\nNOTE no payload\r\n';

    const cues = parseStoryboard(track, TRACK_URL);

    expect(cues.map(({ start, end, image }) => ({ start, end, image }))).toEqual([
      { start: 0, end: 5, image: 'https://api.example/api/v1/videos/v1/media/sprite-0.jpg' },
      { start: 5, end: 10, image: 'https://api.example/api/v1/videos/v1/media/sprites/sprite-1.jpg' },
    ]);
  });
});
