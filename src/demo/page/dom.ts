// Finding the page's elements by their data-testid: the same names the browser tests use.

export function byTestId<E extends HTMLElement = HTMLElement>(id: string): E {
  const element = document.querySelector<E>(`[data-testid="${id}"]`);
  if (element === null) throw new Error(`demo page: no element with data-testid="${id}"`);
  return element;
}
