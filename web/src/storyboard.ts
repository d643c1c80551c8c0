/** One storyboard thumbnail: from `start` to `end` seconds, the `width`×`height` box at `x`,`y` of `image`. */
export interface StoryboardCue {
  start: number;
  end: number;
  image: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function seconds(timestamp: string) {
  return timestamp
    .trim()
    .split(':')
    .reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * The cues of a WebVTT thumbnail track (`sprite.jpg#xywh=x,y,w,h`), each image resolved against the track's URL:
 * the API hands out the sprites presigned, but a relative name works too, and a track may use several sprites.
 */
export function parseStoryboard(track: string, trackUrl: string): StoryboardCue[] {
  const cues: StoryboardCue[] = [];
  for (const block of track.replaceAll('\r\n', '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const timing = lines.findIndex((line) => line.includes('-->'));
    const payload = lines[timing + 1]?.trim();
    if (timing < 0 || !payload) continue;
    const [start = '', end = ''] = (lines[timing] ?? '').split('-->');
    const hash = payload.lastIndexOf('#xywh=');
    if (hash < 0) continue;
    const [x = 0, y = 0, width = 0, height = 0] = payload
      .slice(hash + '#xywh='.length)
      .split(',')
      .map(Number);
    cues.push({
      start: seconds(start),
      end: seconds(end.trim().split(/\s/)[0] ?? ''),
      image: new URL(payload.slice(0, hash), trackUrl).toString(),
      x,
      y,
      width,
      height,
    });
  }
  return cues;
}
