import { apiForm, field } from '../components.ts';
import { h } from '../dom.ts';
import { link, navigate, type PageView } from '../router.ts';
import { session } from '../session.ts';

function authForm(submitLabel: string, fields: HTMLElement[], submit: () => Promise<void>) {
  return apiForm(
    fields,
    submitLabel,
    async () => {
      await submit();
      navigate('/');
    },
    { className: 'stack narrow' },
  );
}

export function signInPage(): PageView {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const form = authForm('Sign in', [field('Email', email), field('Password', password)], () =>
    session.signIn(email.value, password.value),
  );
  return {
    title: 'Sign in',
    content: h('div', {}, form, h('p', {}, 'New to ClipIQ? ', link('/sign-up', {}, 'Create an account'))),
  };
}

export function signUpPage(): PageView {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const username = h('input', {
    name: 'username',
    autocomplete: 'username',
    required: true,
    pattern: '[a-z0-9_]{3,30}',
  });
  const displayName = h('input', { name: 'displayName', autocomplete: 'name' });
  const password = h('input', {
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: 8,
    maxlength: 128,
  });
  const creator = h('input', { type: 'checkbox', name: 'creator' });
  const form = authForm(
    'Create account',
    [
      field('Email', email),
      field('Username', username, '3 to 30 lowercase letters, digits or _'),
      field('Display name (optional)', displayName),
      field('Password', password, 'At least 8 characters'),
      h(
        'div',
        { class: 'field checkbox' },
        h('label', {}, creator, ' I want to upload videos (creator account)'),
      ),
    ],
    () =>
      session.signUp({
        email: email.value,
        username: username.value,
        password: password.value,
        role: creator.checked ? 'creator' : 'viewer',
        ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}),
      }),
  );
  return {
    title: 'Create an account',
    content: h('div', {}, form, h('p', {}, 'Already have an account? ', link('/sign-in', {}, 'Sign in'))),
  };
}
