/** What `h` accepts as a child: nodes as they are, text as a text node, nothing for false, null or undefined. */
export type Child = Node | string | number | false | null | undefined;
type AttributeValue = string | number | boolean | undefined | null;
export type Attributes = Record<string, AttributeValue | ((event: Event) => void)>;

/**
 * Creates an element. Attributes are set with `setAttribute` (`true` → present, `false`/`undefined` → absent),
 * `on…` functions become event listeners, and text children become text nodes: user text is never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined && value !== null)
      element.setAttribute(name, String(value));
  }
  element.append(...nodes(children));
  return element;
}

/** Replaces the children of `parent`. */
export function replaceContent(parent: Element, ...children: Child[]) {
  parent.replaceChildren(...nodes(children));
}

function nodes(children: Child[]): Node[] {
  return children.flatMap((child) =>
    child === false || child === null || child === undefined
      ? []
      : [typeof child === 'object' ? child : document.createTextNode(String(child))],
  );
}

/** "1 view", "2 views". */
export function counted(count: number, one: string, many: string) {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
