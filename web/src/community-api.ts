import type { Author, Video, Visibility } from './api.ts';

export interface Comment {
  id: string;
  videoId: string;
  parentId: string | null;
  author: Author;
  body: string;
  status: 'published' | 'held';
  replyCount: number;
  createdAt: string;
  editedAt: string | null;
}

export type ReportTarget = 'video' | 'comment' | 'user';

/** The contract's report reasons, with the words the report dialog shows. */
export const REPORT_REASONS = {
  spam: 'Spam or misleading',
  abuse: 'Harassment or hate',
  sexual: 'Sexual content',
  violence: 'Violence',
  copyright: 'Copyright',
  other: 'Something else',
} as const;

export interface AdminReport {
  id: string;
  targetType: ReportTarget;
  targetId: string;
  reason: keyof typeof REPORT_REASONS;
  details: string | null;
  reporter: Author;
  reportCount: number;
  status: 'open' | 'resolved' | 'dismissed';
  createdAt: string;
}

export interface Playlist {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  owner: Author;
  videoCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface PlaylistItem {
  position: number;
  video: Video;
}
