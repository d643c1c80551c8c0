/** Everything made from an original lives under this prefix, one folder per video. */
export const DERIVED_PREFIX = 'derived/';

/** The objects made from one video's original. */
export const derivedKeys = (videoId: string) => {
  const folder = `${DERIVED_PREFIX}${videoId}/`;
  return {
    folder,
    segment: (height: number, name: string) => `${folder}${height}/${name}`,
    mediaPlaylist: (height: number) => `${folder}${height}/index.m3u8`,
    poster: `${folder}poster.jpg`,
    storyboardSprite: (index: number) => `${folder}storyboard/sprite-${index}.jpg`,
    storyboardTrack: `${folder}storyboard/thumbnails.vtt`,
  };
};
