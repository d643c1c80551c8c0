import type Hls from 'hls.js';
import type { Video } from './api.ts';
import { field } from './components.ts';
import { h } from './dom.ts';
import { parseStoryboard, type StoryboardCue } from './storyboard.ts';

type Playback = NonNullable<Video['playback']>;

/** "1:05" */
function clock(time: number) {
  const whole = Math.max(0, Math.floor(time));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * A seek bar under the player (a range input: arrow keys, Page Up/Down, Home/End) that shows the storyboard
 * thumbnail of the time under the pointer, or of the value while it has the keyboard focus.
 */
function scrubBar(player: HTMLVideoElement, storyboardUrl: string | undefined) {
  const range = h('input', { type: 'range', min: 0, max: 0, step: 0.1, value: 0, class: 'scrub' });
  const thumbnail = h('div', { class: 'storyboard-thumbnail', hidden: true, 'aria-hidden': 'true' });
  const label = h('span', { class: 'storyboard-time' });
  thumbnail.append(label);
  let cues: StoryboardCue[] = [];
  const describe = () =>
    range.setAttribute('aria-valuetext', `${clock(Number(range.value))} of ${clock(Number(range.max))}`);
  const sync = () => {
    if (Number.isFinite(player.duration)) range.max = String(player.duration);
    if (document.activeElement !== range) range.value = String(player.currentTime);
    describe();
  };
  player.addEventListener('loadedmetadata', sync);
  player.addEventListener('durationchange', sync);
  player.addEventListener('timeupdate', sync);
  range.addEventListener('input', () => {
    player.currentTime = Number(range.value);
    describe();
    preview(Number(range.value));
  });

  const preview = (time: number) => {
    const cue = cues.find((candidate) => time >= candidate.start && time < candidate.end) ?? cues.at(-1);
    if (!cue) return;
    thumbnail.hidden = false;
    thumbnail.style.width = `${cue.width}px`;
    thumbnail.style.height = `${cue.height}px`;
    thumbnail.style.backgroundImage = `url(${JSON.stringify(cue.image)})`;
    thumbnail.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    const share = Number(range.max) > 0 ? time / Number(range.max) : 0;
    thumbnail.style.left = `clamp(0px, calc(${share * 100}% - ${cue.width / 2}px), calc(100% - ${cue.width}px))`;
    label.textContent = clock(time);
  };
  const hide = () => {
    thumbnail.hidden = true;
  };
  range.addEventListener('pointermove', (event) => {
    const box = range.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    preview(share * Number(range.max));
  });
  range.addEventListener('pointerleave', () => {
    if (document.activeElement !== range) hide();
  });
  range.addEventListener('focus', () => preview(Number(range.value)));
  range.addEventListener('blur', hide);

  if (storyboardUrl)
    void fetch(storyboardUrl)
      .then((response) => (response.ok ? response.text() : ''))
      .then((track) => {
        cues = parseStoryboard(track, storyboardUrl);
      })
      // Without thumbnails the bar still seeks.
      .catch(() => {});
  sync();
  return h('div', { class: 'scrubber' }, thumbnail, field('Seek', range));
}

/**
 * The quality menu of an hls.js player: Auto (showing the level it plays) and one entry per height of the ladder.
 * The element's `data-level` says the height being loaded.
 */
function qualityMenu(player: HTMLVideoElement, hls: Hls, events: typeof Hls.Events) {
  const select = h('select', { class: 'quality' });
  const auto = h('option', { value: '-1' }, 'Auto');
  select.append(auto);
  const wrapper = field('Quality', select);
  wrapper.classList.add('quality-field');
  hls.on(events.MANIFEST_PARSED, () => {
    select.replaceChildren(
      auto,
      ...hls.levels.map((level, index) => h('option', { value: index }, `${level.height}p`)),
    );
  });
  hls.on(events.LEVEL_SWITCHED, (_event, { level }) => {
    const height = hls.levels[level]?.height;
    player.dataset.level = String(height ?? '');
    auto.textContent = height ? `Auto (${height}p)` : 'Auto';
  });
  select.addEventListener('change', () => {
    hls.currentLevel = Number(select.value);
  });
  return wrapper;
}

/** Plays the HLS ladder when the API hands one out, else the original file; the quality menu when hls.js plays. */
async function attachSource(player: HTMLVideoElement, playback: Playback) {
  if (playback.hls) {
    // hls.js wherever Media Source Extensions exist (Chromium's own HLS support is young); native HLS elsewhere
    // (iOS Safari); the original file as the last resort.
    const { default: HlsPlayer } = await import('hls.js');
    if (HlsPlayer.isSupported()) {
      const hls = new HlsPlayer();
      const quality = qualityMenu(player, hls, HlsPlayer.Events);
      hls.loadSource(playback.hls);
      hls.attachMedia(player);
      // The player leaves the page with it: stop loading segments for it.
      window.addEventListener('hashchange', () => hls.destroy(), { once: true });
      return quality;
    }
    if (player.canPlayType('application/vnd.apple.mpegurl')) {
      player.src = playback.hls;
      return undefined;
    }
  }
  player.src = playback.url;
  return undefined;
}

/**
 * The watch page's player: the HLS ladder through hls.js (loaded only then; Safari plays HLS natively) with a
 * quality menu, else the original file; a seek bar with storyboard thumbnails; the poster.
 */
export async function videoPlayer(title: string, playback: Playback) {
  const player = h('video', { controls: true, playsinline: true, preload: 'metadata', class: 'player' });
  player.setAttribute('aria-label', title);
  if (playback.poster) player.poster = playback.poster;
  const quality = await attachSource(player, playback);
  return {
    player,
    element: h(
      'div',
      { class: 'player-box' },
      player,
      h('div', { class: 'player-controls' }, scrubBar(player, playback.storyboard), quality),
    ),
  };
}
