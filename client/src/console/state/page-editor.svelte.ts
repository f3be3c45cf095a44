import { Resource } from '../../lib/resource.svelte';
import {
  createPage,
  fetchFieldValues,
  fetchPageDefinition,
  listDatasets,
  listMembers,
  setPageAccess,
  updatePage,
  type Dataset,
  type DateRangePreset,
  type Weekday,
  type PageAccessLevel,
  type PageDefinition,
  type PageSharing,
  type PreviewViewingInput,
  type Theme,
} from '../api/console-api';
import { messageOf } from '../api/graphql-client';
import { blankWidget } from '../lib/widget-draft';
import { WidgetDraft } from './widget-draft.svelte';

const MAX_WIDGETS = 24;

/** The page builder: a new page, or an existing page's definition, edited and saved whole. */
export class PageEditor {
  readonly datasets = new Resource((signal) => listDatasets(signal));
  title = $state('');
  description = $state('');
  dashboard = $state(false);
  /** Seconds, as typed; '' for no automatic refresh. */
  refreshSeconds = $state('');
  freshnessSeconds = $state('0');
  /** An IANA zone buckets and ranges are cut in. */
  timezone = $state('UTC');
  weekStart = $state<Weekday>('MONDAY');
  /** How the page's embeds look unless their token or the host says otherwise; '' for the default (light). */
  theme = $state<Theme | ''>('');
  /** Whether viewers may pick a date range; off shows all time. */
  rangeEnabled = $state(false);
  rangeDefault = $state<DateRangePreset>('LAST_30_DAYS');
  /** The longest custom range in days, as typed; '' for the server's default. */
  rangeMaxDays = $state('');
  widgets = $state<WidgetDraft[]>([]);
  /** Who may see and edit the page, besides its owner and the admins. */
  sharing = $state<PageSharing>('WORKSPACE_VIEW');
  grants = $state<Array<{ principalId: string; level: PageAccessLevel }>>([]);
  /** The workspace's principals to grant access to (an admin sees all of them; anyone else only itself). */
  readonly members = new Resource((signal) => listMembers(signal));
  #owner = $state<string | null>(null);
  #canEdit = $state(true);
  #canManageAccess = $state(true);
  #savedAccess = '';
  #loadError = $state('');
  #loaded = $state(false);
  #saving = $state(false);
  #saveError = $state('');
  #problems = $state<string[]>([]);
  #values = $state<Record<string, unknown[]>>({});
  readonly #id: string | null;

  constructor(id: string | null) {
    this.#id = id;
  }

  get id(): string | null {
    return this.#id;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get loadError(): string {
    return this.#loadError;
  }
  get saving(): boolean {
    return this.#saving;
  }
  get saveError(): string {
    return this.#saveError;
  }
  /** What the saved page has that does not resolve against the catalog (from the server). */
  get problems(): string[] {
    return this.#problems;
  }
  /** The owner's name; null for a page not saved yet (the member saving it becomes its owner). */
  get owner(): string | null {
    return this.#owner;
  }
  get canEdit(): boolean {
    return this.#canEdit;
  }
  get canManageAccess(): boolean {
    return this.#canManageAccess;
  }
  get canAddWidget(): boolean {
    return this.widgets.length < MAX_WIDGETS;
  }

  /** How the page's embed would be viewed now, for the widgets' previews: its zone, week start and default range. */
  get viewing(): PreviewViewingInput {
    return { timezone: this.timezone, weekStart: this.weekStart, range: this.rangeEnabled ? { preset: this.rangeDefault } : null };
  }

  dataset(name: string): Dataset | undefined {
    return this.datasets.data?.find((dataset) => dataset.name === name.trim());
  }

  async open(): Promise<void> {
    await this.datasets.load();
    if (this.#id) {
      try {
        this.#apply(await fetchPageDefinition(this.#id));
      } catch (error) {
        this.#loadError = messageOf(error);
        return;
      }
    } else {
      this.addWidget();
    }
    this.#savedAccess = this.#accessSignature();
    if (this.#canManageAccess) void this.members.load();
    this.#loaded = true;
  }

  #apply(page: PageDefinition): void {
    this.title = page.title;
    this.description = page.description ?? '';
    this.dashboard = page.dashboard;
    this.refreshSeconds = page.refreshSeconds ? String(page.refreshSeconds) : '';
    this.freshnessSeconds = String(page.freshnessSeconds);
    this.timezone = page.timezone;
    this.weekStart = page.weekStart;
    this.theme = page.theme ?? '';
    this.rangeEnabled = page.dateRange !== null && page.dateRange !== undefined;
    if (page.dateRange) {
      this.rangeDefault = page.dateRange.default;
      this.rangeMaxDays = String(page.dateRange.maxDays);
    }
    this.widgets = page.widgets.map((widget) => new WidgetDraft(widget));
    this.#problems = page.problems;
    this.sharing = page.sharing;
    this.grants = page.grants.map((grant) => ({ principalId: grant.principalId, level: grant.level }));
    this.#owner = page.owner?.name ?? '(removed)';
    this.#canEdit = page.viewerCanEdit;
    this.#canManageAccess = page.viewerCanManageAccess;
  }

  #accessSignature(): string {
    return JSON.stringify([this.sharing, this.grants.filter((grant) => grant.principalId)]);
  }

  addGrant(): void {
    this.grants.push({ principalId: '', level: 'VIEW' });
  }

  removeGrant(index: number): void {
    this.grants.splice(index, 1);
  }

  addWidget(): void {
    if (!this.canAddWidget) return;
    const dataset = this.widgets.at(-1)?.fields.dataset ?? this.datasets.data?.[0]?.name ?? '';
    this.widgets.push(new WidgetDraft(blankWidget(dataset)));
  }

  remove(index: number): void {
    const [removed] = this.widgets.splice(index, 1);
    removed?.dispose();
  }

  move(index: number, by: -1 | 1): void {
    const target = index + by;
    if (target < 0 || target >= this.widgets.length) return;
    const [widget] = this.widgets.splice(index, 1);
    this.widgets.splice(target, 0, widget!);
  }

  /** Frequent values of a field within the member's own access, for filter suggestions ([] until `loadValues`). */
  valuesFor(dataset: string, field: string): unknown[] {
    return this.#values[`${dataset.trim()}\u0000${field.trim()}`] ?? [];
  }

  /** Fetches a known field's frequent values once (call from an effect, not while rendering). */
  loadValues(dataset: string, field: string): void {
    const key = `${dataset.trim()}\u0000${field.trim()}`;
    if (key in this.#values || !this.dataset(dataset)?.fields.some((entry) => entry.name === field.trim())) return;
    this.#values[key] = [];
    fetchFieldValues(dataset.trim(), field.trim()).then(
      (values) => (this.#values[key] = values),
      () => undefined,
    );
  }

  /** Saves the page; resolves with its id, or null when the server refused (read `saveError`). */
  async save(): Promise<string | null> {
    this.#saving = true;
    this.#saveError = '';
    const refresh = Number.parseInt(this.refreshSeconds, 10);
    const maxDays = Number.parseInt(this.rangeMaxDays, 10);
    const input = {
      title: this.title.trim(),
      description: this.description.trim() || null,
      dashboard: this.dashboard,
      refreshSeconds: refresh > 0 ? refresh : null,
      freshnessSeconds: Number.parseInt(this.freshnessSeconds, 10) || 0,
      timezone: this.timezone.trim() || 'UTC',
      weekStart: this.weekStart,
      theme: this.theme || null,
      dateRange: this.rangeEnabled ? { default: this.rangeDefault, ...(maxDays > 0 ? { maxDays } : {}) } : null,
      widgets: this.widgets.map((widget, index) => widget.input(index + 1)),
    };
    try {
      let page = this.#id ? await updatePage(this.#id, input) : await createPage(input);
      if (page.viewerCanManageAccess && this.#accessSignature() !== this.#savedAccess) {
        const grants = this.grants.filter((grant) => grant.principalId);
        page = await setPageAccess(page.id, this.sharing, grants);
        this.#savedAccess = this.#accessSignature();
      }
      this.#problems = page.problems;
      return page.id;
    } catch (error) {
      this.#saveError = messageOf(error);
      return null;
    } finally {
      this.#saving = false;
    }
  }

  close(): void {
    this.datasets.abort();
    this.members.abort();
    for (const widget of this.widgets) widget.dispose();
  }
}
