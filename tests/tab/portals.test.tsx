/** @jest-environment jsdom */
/**
 * Dialogs and toasts are portalled over the page in a node that carries the root provider's class:
 * they must follow the theme but not take the page's layout (the window's height, an opaque
 * background), which hid the page and took its clicks while a toast was up.
 */
import { render, screen } from '@testing-library/react';
import { Dialog, DialogSurface, teamsDarkTheme } from '@fluentui/react-components';
import { ThemedPage } from '../../tab/src/Root';

function portalOf(element: HTMLElement): HTMLElement {
  let node: HTMLElement | null = element;
  while (node && node.parentElement !== document.body) node = node.parentElement;
  if (!node) throw new Error('not in a portal');
  return node;
}

it('gives a dialog’s portal the theme but not the page’s height, with which its background covered the page', () => {
  render(
    <ThemedPage theme="dark">
      <p>The request</p>
      <Dialog open>
        <DialogSurface>Agree</DialogSurface>
      </Dialog>
    </ThemedPage>,
  );
  const portal = portalOf(screen.getByRole('dialog'));
  expect(portal.hasAttribute('data-portal-node')).toBe(true);
  const style = getComputedStyle(portal);
  expect(style.getPropertyValue('--colorNeutralBackground1')).toBe(teamsDarkTheme.colorNeutralBackground1);
  expect(style.minHeight).toBe('');
  // The page itself still fills the window.
  expect(getComputedStyle(screen.getByText('The request').parentElement as HTMLElement).minHeight).toBe('100vh');
});
