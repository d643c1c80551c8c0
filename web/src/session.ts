import { api, onSignedOut, refreshAccessToken, setAccessToken, type User } from './api.ts';

let current: User | undefined;
const listeners = new Set<(user: User | undefined) => void>();

function change(user: User | undefined) {
  current = user;
  for (const listener of listeners) listener(user);
}

onSignedOut(() => {
  setAccessToken(undefined);
  change(undefined);
});

interface SignedIn {
  user: User;
  accessToken: string;
}

/** The signed-in user (access token in memory, refresh token in its HttpOnly cookie). */
export const session = {
  get user() {
    return current;
  },
  onChange(listener: (user: User | undefined) => void) {
    listeners.add(listener);
  },
  /** On load: a refresh cookie from an earlier visit signs the user in silently. */
  async restore() {
    if (await refreshAccessToken()) change(await api<User>('GET', '/auth/me'));
  },
  async signIn(email: string, password: string) {
    const signedIn = await api<SignedIn>('POST', '/auth/login', { email, password });
    setAccessToken(signedIn.accessToken);
    change(signedIn.user);
  },
  async signUp(account: {
    email: string;
    username: string;
    password: string;
    displayName?: string;
    role: 'viewer' | 'creator';
  }) {
    const signedIn = await api<SignedIn>('POST', '/auth/register', account);
    setAccessToken(signedIn.accessToken);
    change(signedIn.user);
  },
  /** The signed-in user's new profile, as the API answered its change: the same account, so nothing re-renders. */
  updated(user: User) {
    current = user;
  },
  async signOut() {
    // The cookie carries the refresh token: logout revokes its family and clears it.
    await api('POST', '/auth/logout', {}).catch(() => {});
    setAccessToken(undefined);
    change(undefined);
  },
};
