/**
 * The dashboard's component approach: a component is a function that returns DOM nodes,
 * built with {@link h}. Text is always set as text (never parsed as HTML), so canister data
 * cannot inject markup.
 */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    setAttrs(element, attrs);
    append(element, children);
    return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): SVGElement {
    const element = document.createElementNS(SVG_NS, tag);
    setAttrs(element, attrs);
    append(element, children);
    return element;
}

function setAttrs(element: Element, attrs: Attrs): void {
    for (const [name, value] of Object.entries(attrs)) {
        if (value === undefined || value === false) continue;
        if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
        else element.setAttribute(name, value === true ? '' : String(value));
    }
}

function append(element: Element, children: (Child | Child[])[]): void {
    for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) continue;
        element.append(typeof child === 'number' ? String(child) : child);
    }
}

/** Replaces an element's content. */
export function mount(target: Element, ...children: Child[]): void {
    target.replaceChildren();
    append(target, children);
}

/** A failure shown in place, with its message (never swallowed). */
export function errorBox(error: unknown): HTMLElement {
    return h('div', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));
}
