/** The runtime configuration, from `config.js` (written by the build for each deployment). */
export interface WebConfig {
  /** The API's base URL, ending in `/api/v1`. */
  apiBaseUrl: string;
  /** How often the notification bell asks for the unread count while no push source is available. */
  notificationsPollSeconds: number;
}

declare global {
  interface Window {
    CLIPIQ_CONFIG?: Partial<WebConfig>;
  }
}

export const config: WebConfig = {
  apiBaseUrl: (window.CLIPIQ_CONFIG?.apiBaseUrl ?? '/api/v1').replace(/\/$/, ''),
  notificationsPollSeconds: window.CLIPIQ_CONFIG?.notificationsPollSeconds ?? 30,
};
