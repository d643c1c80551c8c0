import type { Video } from './api.ts';
import { h } from './dom.ts';
import { realtime } from './realtime.ts';

const STAGE_LABELS = { verifying: 'Verifying', transcoding: 'Transcoding', packaging: 'Packaging' };

/** "about 40 s left", "about 3 min left". */
function timeLeft(seconds: number) {
  return seconds < 90 ? `about ${seconds} s left` : `about ${Math.round(seconds / 60)} min left`;
}

/** What the bar says of a video: its stage, percent and ETA while processing, else its status. */
function describe(video: Video) {
  if (video.processing) {
    const { stage, percent, etaSeconds } = video.processing;
    return [STAGE_LABELS[stage], `${percent}%`, etaSeconds === undefined ? '' : timeLeft(etaSeconds)]
      .filter(Boolean)
      .join(' · ');
  }
  if (video.status === 'awaiting_upload') return 'Waiting for the upload';
  if (video.status === 'processing') return 'Verifying';
  if (video.status === 'rejected') return `Rejected (${(video.rejectionReason ?? '').replaceAll('_', ' ')})`;
  return video.status === 'ready' ? 'Ready' : 'Removed';
}

/**
 * A live processing bar for one video: stage, percent, ETA and each rendition's status, updated by the
 * `video.updated` messages of the WebSocket (never by polling). It stops listening once it has left the page.
 *
 * @example
 * list.append(processingBar(video));
 */
export function processingBar(initial: Video) {
  const progress = h('progress', { max: 100 });
  progress.setAttribute('aria-label', `Processing of ${initial.title}`);
  const text = h('p', { class: 'processing-text', role: 'status' });
  const renditions = h('ul', { class: 'renditions', 'aria-label': 'Renditions' });
  const bar = h('div', { class: 'processing' }, text, progress, renditions);
  let shown = false;

  const show = (video: Video) => {
    const percent = video.processing?.percent ?? (video.status === 'ready' ? 100 : 0);
    progress.value = percent;
    progress.hidden = video.status !== 'processing' && video.status !== 'ready';
    text.textContent = describe(video);
    bar.dataset.status = video.status;
    bar.dataset.stage = video.processing?.stage ?? '';
    bar.dataset.percent = String(percent);
    renditions.replaceChildren(
      ...(video.processing?.renditions ?? []).map((rendition) =>
        h(
          'li',
          { class: `rendition rendition-${rendition.status}` },
          `${rendition.height}p ${rendition.status}`,
        ),
      ),
    );
  };
  show(initial);
  const stop = realtime.on('video.updated', (video) => {
    if (bar.isConnected) shown = true;
    else if (shown) return stop();
    if (video.id === initial.id) show(video);
  });
  return bar;
}
