import { api } from './api.ts';
import { REPORT_REASONS, type ReportTarget } from './community-api.ts';
import { field, problemRegion } from './components.ts';
import { h } from './dom.ts';

/**
 * A button that opens a modal `<dialog>` to report a video, comment or user (`POST /reports`): reason and optional
 * details. The dialog traps focus while open (the browser's modal), Escape cancels, and focus returns to the button.
 */
export function reportButton(target: { type: ReportTarget; id: string }, label: string) {
  const opener = h('button', { type: 'button', class: 'secondary' }, label);
  opener.addEventListener('click', () => {
    // Stays focusable once sent (aria-disabled, not disabled), so the keyboard comes back to it from the dialog.
    if (opener.getAttribute('aria-disabled') === 'true') return;
    const reason = h(
      'select',
      { name: 'reason', required: true },
      h('option', { value: '' }, 'Choose a reason'),
      ...Object.entries(REPORT_REASONS).map(([value, text]) => h('option', { value }, text)),
    );
    const details = h('textarea', { name: 'details', maxlength: 2000, rows: 3 });
    const problem = problemRegion();
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const titleId = `report-title-${target.id}`;
    const dialog = h(
      'dialog',
      { class: 'report-dialog', 'aria-labelledby': titleId },
      h(
        'form',
        { class: 'stack' },
        h('h2', { id: titleId }, label),
        field('Reason', reason),
        field('Details (optional)', details, 'What should an admin look at? Up to 2000 characters.'),
        problem.element,
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Send report'), cancel),
      ),
    );
    const form = dialog.querySelector('form') as HTMLFormElement;
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener.focus();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problem.clear();
      try {
        await api('POST', '/reports', {
          targetType: target.type,
          targetId: target.id,
          reason: reason.value,
          ...(details.value.trim() ? { details: details.value } : {}),
        });
        opener.textContent = 'Reported';
        opener.setAttribute('aria-disabled', 'true');
        dialog.close();
      } catch (error) {
        problem.show(error);
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    reason.focus();
  });
  return opener;
}
