import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface TabSpec<T extends string> {
  id: T;
  label: string | TemplateResult;
}

export interface TabsOptions<T extends string> {
  /** Accessible name of the tab list. */
  label: string;
  /** Prefix of the ids: tab `${idPrefix}-tab-${id}` controls panel `${idPrefix}-panel-${id}`. */
  idPrefix: string;
  tabs: TabSpec<T>[];
  selected: T;
  onSelect: (id: T) => void;
}

export const tabId = (prefix: string, id: string) => `${prefix}-tab-${id}`;
export const panelId = (prefix: string, id: string) => `${prefix}-panel-${id}`;

/**
 * A tab list per the WAI-ARIA tabs pattern. Only the selected tab's panel exists, so only that tab names its panel
 * in `aria-controls` (a reference to a missing id is an error for assistive technology).
 *
 * Keyboard: one tab stop (roving tabindex), arrow keys move and select (automatic
 * activation: panels here are cheap to show), Home and End jump to the ends.
 */
export function renderTabs<T extends string>(options: TabsOptions<T>) {
  const { tabs, selected, idPrefix } = options;
  const onKeydown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    const target = tabs[next];
    if (!target) return;
    event.preventDefault();
    options.onSelect(target.id);
    // The tab element is re-rendered with tabindex 0; focus follows once it has been.
    const list = event.currentTarget as HTMLElement;
    requestAnimationFrame(() => list.querySelector<HTMLElement>(`#${tabId(idPrefix, target.id)}`)?.focus());
  };
  return html`
    <div part="tabs" role="tablist" aria-label=${options.label} @keydown=${onKeydown}>
      ${tabs.map((tab) => {
        const isSelected = tab.id === selected;
        return html`<button
          part="tab${isSelected ? ' tab-selected' : ''}"
          type="button"
          role="tab"
          id=${tabId(idPrefix, tab.id)}
          aria-selected=${isSelected ? 'true' : 'false'}
          aria-controls=${ifDefined(isSelected ? panelId(idPrefix, tab.id) : undefined)}
          tabindex=${isSelected ? 0 : -1}
          @click=${() => options.onSelect(tab.id)}
        >
          ${tab.label}
        </button>`;
      })}
    </div>
  `;
}

/** The panel of the selected tab; only that one is rendered. */
export function renderTabPanel(idPrefix: string, id: string, content: unknown) {
  return html`<div
    part="tab-panel"
    role="tabpanel"
    id=${panelId(idPrefix, id)}
    aria-labelledby=${tabId(idPrefix, id)}
    tabindex="0"
  >
    ${content ?? nothing}
  </div>`;
}
