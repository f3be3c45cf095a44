import type { CatalogService } from '../catalog/catalog.service.js';
import { newId } from '../crypto/random.js';
import type {
  DateRangePreset,
  FormatStyle,
  PageAccessLevel,
  PageDoc,
  PageGrantDoc,
  PageSharing,
  Theme,
  Weekday,
  WidgetDoc,
  WidgetKind,
  WidgetQuery,
} from '../domain/types.js';
import { parseRule } from '../domain/validation.js';
import { parseColumnFormats, parseDateRangeSettings, parseFormat, parseTimezone } from '../query/viewing-validation.js';
import type { Clock, Viewer } from '../domain/viewer.js';
import { badInput, forbidden, notFound } from '../errors.js';
import { scopeOf } from '../policies/data-access.js';
import { authorize, can, pageAccessOf } from '../policies/policies.js';
import { compileQuery, maxCells, MAX_RESPONSE_CELLS, pagesCells, toWidgetData, validateWidgetQuery, type WidgetData } from '../query/compiler.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import { presetBounds } from '../query/date-range.js';
import { showWidgets, widgetFields, type ShownWidget } from '../query/shown-series.js';
import type { Match, Pipeline, Store } from '../store/port.js';

export const MAX_WIDGETS = 24;
/** What one render of a page may return at most, summed over its widgets: limit × columns. */
export const MAX_PAGE_CELLS = 50_000;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

export interface WidgetInput {
  title: string;
  kind: WidgetKind;
  query: {
    dataset: string;
    filters?: ReadonlyArray<{ field: string; op: string; value?: unknown }> | null;
    groupBy?: string | null;
    bucket?: WidgetQuery['bucket'] | null;
    metric?: { fn: NonNullable<WidgetQuery['metric']>['fn']; field?: string | null } | null;
    select?: readonly string[] | null;
    sort?: { field: string; direction?: 'ASC' | 'DESC' | null } | null;
    limit?: number | null;
    seriesBy?: string | null;
  };
  label?: string | null;
  columnLabels?: readonly string[] | null;
  format?: { style: FormatStyle; currency?: string | null; unit?: string | null; decimals?: number | null } | null;
  columnFormats?: ReadonlyArray<{ column: string; style: FormatStyle; currency?: string | null; unit?: string | null; decimals?: number | null }> | null;
  clickEvents?: boolean | null;
}

/** How a builder's preview is viewed (GraphQL `PreviewViewingInput`). */
export interface PreviewViewing {
  timezone?: string | null;
  weekStart?: Weekday | null;
  range?: { preset?: DateRangePreset | null; from?: Date | null; to?: Date | null } | null;
}

export interface PageInput {
  title?: string | null;
  description?: string | null;
  dashboard?: boolean | null;
  refreshSeconds?: number | null;
  freshnessSeconds?: number | null;
  widgets?: readonly WidgetInput[] | null;
  timezone?: string | null;
  weekStart?: Weekday | null;
  theme?: Theme | null;
  dateRange?: { default?: DateRangePreset | null; presets?: readonly DateRangePreset[] | null; maxDays?: number | null } | null;
}

/** Refuses a page whose widgets together could return more than MAX_PAGE_CELLS, naming the widget that crosses the line. */
function checkCells(widgets: readonly WidgetDoc[]): void {
  let total = 0;
  for (const [index, widget] of widgets.entries()) {
    total += maxCells(widget.query);
    if (total > MAX_PAGE_CELLS) {
      throw badInput(
        `widgets[${index}] ("${widget.title.slice(0, 80)}") brings the page to ${total} cells (limit × columns, summed over its widgets); a page may return at most ${MAX_PAGE_CELLS}. Lower its limit or select fewer fields.`,
      );
    }
  }
}

function parseWidgets(widgets: readonly WidgetInput[]): WidgetDoc[] {
  if (widgets.length > MAX_WIDGETS) throw badInput(`A page holds at most ${MAX_WIDGETS} widgets.`);
  const parsed = widgets.map((widget, index) => parseWidget(widget, `widgets[${index}]`));
  checkCells(parsed);
  return parsed;
}

function parseWidget(widget: WidgetInput, where: string): WidgetDoc {
  const title = widget.title.trim();
  if (!title || title.length > 120) throw badInput(`${where}.title must be 1–120 characters.`);
  const input = widget.query;
  const query: WidgetQuery = {
    dataset: input.dataset,
    filters: (input.filters ?? []).map((rule, ruleIndex) => parseRule(rule, `${where}.filters[${ruleIndex}]`)),
    groupBy: input.groupBy ?? null,
    bucket: input.bucket ?? null,
    metric: input.metric ? { fn: input.metric.fn, field: input.metric.field ?? null } : null,
    select: input.select ? [...input.select] : null,
    sort: input.sort ? { field: input.sort.field, direction: input.sort.direction ?? 'DESC' } : null,
    limit: input.limit ?? null,
    seriesBy: input.seriesBy ?? null,
  };
  validateWidgetQuery(widget.kind, query, where);
  const label = widget.label?.trim() || null;
  if (label && label.length > 80) throw badInput(`${where}.label must be at most 80 characters.`);
  const columnLabels = widget.columnLabels ? [...widget.columnLabels] : null;
  if (
    columnLabels &&
    (widget.kind !== 'TABLE' || columnLabels.length !== (query.select ?? ['owner', 'at']).length || columnLabels.some((l) => l.length > 80))
  ) {
    throw badInput(`${where}.columnLabels: a TABLE gives one label (at most 80 characters) per selected field.`);
  }
  const format = widget.format ? parseFormat(widget.format, `${where}.format`) : null;
  // The columns the widget's data will have, as the compiler names them (no records needed to know them).
  const columnFormats = widget.columnFormats
    ? parseColumnFormats(widget.columnFormats, widget.kind, toWidgetData(query, []).columns, `${where}.columnFormats`)
    : null;
  return {
    id: newId(),
    title,
    kind: widget.kind,
    query,
    label,
    columnLabels,
    format,
    ...(columnFormats && { columnFormats }),
    ...(widget.clickEvents && { clickEvents: true }),
  };
}

function checkNumbers(input: PageInput): void {
  if (input.refreshSeconds != null && (input.refreshSeconds < 5 || input.refreshSeconds > 86_400)) throw badInput('refreshSeconds must be 5–86400.');
  if (input.freshnessSeconds != null && (input.freshnessSeconds < 0 || input.freshnessSeconds > 3600)) throw badInput('freshnessSeconds must be 0–3600.');
  if (input.title != null && (!input.title.trim() || input.title.length > 200)) throw badInput('title must be 1–200 characters.');
  if (input.description != null && input.description.length > 2000) throw badInput('description must be at most 2000 characters.');
}

const MAX_GRANTS = 200;

const PUBLISH_DASHBOARD_DENIED = {
  code: 'FORBIDDEN',
  message:
    "Only a principal whose data access covers every owner, with no rules, may put a page on end users' dashboards (dashboard: true) or change a page that is on them: its title and widgets appear on every end user's dashboard. Leave dashboard false, or ask someone with that access.",
} as const;

export interface PageAccessInput {
  sharing?: PageSharing | null;
  grants?: ReadonlyArray<{ principalId: string; level: PageAccessLevel }> | null;
}

/**
 * Pages and their declared widget queries. Who may see, edit and share a page is the policy
 * module's (`page:*`); a page the viewer may not see is NOT_FOUND, as if it did not exist.
 */
export class PagesService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: CatalogService,
    /** Told when widgets change, so the workspace's rollups follow (built in the background). */
    private readonly rollups: Pick<RollupsService, 'scheduleSync'>,
  ) {}

  /** Parses widgets and checks them against the dataset catalog (unknown fields, non-number aggregates). */
  async #checkedWidgets(viewer: Viewer, widgets: readonly WidgetInput[]): Promise<WidgetDoc[]> {
    const parsed = parseWidgets(widgets);
    await this.catalog.assertWidgets(viewer.workspace._id, parsed);
    return parsed;
  }

  /**
   * Renders a widget that is not saved, within the caller's own data access: the same checks as a save,
   * the same compiler and the same scope as an embed the caller minted for itself.
   */
  async preview(viewer: Viewer, input: WidgetInput): Promise<WidgetData> {
    const { query } = parseWidget(input, 'widget');
    await this.catalog.assertWidgets(viewer.workspace._id, [{ query }]);
    return toWidgetData(query, await this.store.aggregateRecords(compileQuery(query, scopeOf(viewer.principal, []))));
  }

  /**
   * Renders a widget that is not saved as its page's embed would show it (`viewing`: the page's zone,
   * week start and range as the editor holds them): the same planning as a render (a coarser bucket,
   * rows cut and counted), over the records within the caller's own data access, as `preview`.
   */
  async previewEmbedded(viewer: Viewer, input: WidgetInput, viewing: PreviewViewing): Promise<ShownWidget> {
    const widget = parseWidget(input, 'widget');
    await this.catalog.assertWidgets(viewer.workspace._id, [{ query: widget.query }]);
    const now = this.clock.now();
    const timezone = viewing.timezone ? parseTimezone(viewing.timezone, 'viewing.timezone') : 'UTC';
    const range = viewing.range ?? {};
    let bounds: { from: Date | null; to: Date | null };
    if (range.preset && !range.from && !range.to) bounds = presetBounds(range.preset, now, timezone);
    else if (!range.preset && range.from && range.to && range.to > range.from) bounds = { from: range.from, to: range.to };
    else if (!range.preset && !range.from && !range.to) bounds = { from: null, to: null };
    else throw badInput('viewing.range: give a preset, or both from and to (to after from).');
    const view = { timezone, weekStart: viewing.weekStart ?? 'MONDAY', ...bounds };
    const scope = scopeOf(viewer.principal, []);
    const records = (pipelines: Pipeline[]) => Promise.all(pipelines.map((pipeline) => this.store.aggregateRecords(pipeline)));
    const [shown] = await showWidgets(
      [{ query: widget.query, scope, view }],
      now,
      (items) => records(items.map((item) => compileQuery(item.query, item.scope, item.view))),
      records,
    );
    return { ...widgetFields(widget), id: 'preview', columnFormats: widget.columnFormats ?? null, ...shown! };
  }

  /** What in the page does not resolve against the dataset catalog now. */
  problems(page: PageDoc): Promise<string[]> {
    return this.catalog.problems(page.workspaceId, page.widgets);
  }

  async create(viewer: Viewer, input: PageInput & { title: string; widgets: readonly WidgetInput[] }): Promise<PageDoc> {
    authorize(viewer, 'page:create', viewer.workspace, { code: 'FORBIDDEN', message: 'You may not create pages.' });
    checkNumbers(input);
    const now = this.clock.now();
    const page: PageDoc = {
      _id: newId(),
      workspaceId: viewer.workspace._id,
      title: input.title.trim(),
      description: input.description ?? null,
      dashboard: input.dashboard ?? false,
      refreshSeconds: input.refreshSeconds ?? null,
      freshnessSeconds: input.freshnessSeconds ?? 0,
      timezone: input.timezone ? parseTimezone(input.timezone, 'timezone') : 'UTC',
      weekStart: input.weekStart ?? 'MONDAY',
      theme: input.theme ?? null,
      dateRange: input.dateRange ? parseDateRangeSettings(input.dateRange) : null,
      widgets: await this.#checkedWidgets(viewer, input.widgets),
      createdBy: viewer.principal._id,
      ownerId: viewer.principal._id,
      authorId: viewer.principal._id,
      sharing: 'WORKSPACE_VIEW',
      grants: [],
      createdAt: now,
      updatedAt: now,
    };
    if (page.dashboard) authorize(viewer, 'page:publish-dashboard', page, PUBLISH_DASHBOARD_DENIED);
    if (page.dashboard) await this.#checkDashboardCells(page);
    await this.store.pages.insertOne(page);
    this.rollups.scheduleSync(page.workspaceId);
    return page;
  }

  /**
   * Saving widgets, `dateRange`, `timezone`, `weekStart` or `dashboard` makes the viewer the page's
   * author: from then on every embed of the page reads within the viewer's access as well as its
   * minter's, so an edit can only narrow.
   */
  async update(viewer: Viewer, id: string, input: PageInput): Promise<PageDoc> {
    const current = await this.#getEditable(viewer, id);
    checkNumbers(input);
    // Any change to a page that is (or becomes) a dashboard page needs the right to publish to
    // dashboards, not only setting the flag: renderDashboard clamps the data to the author's
    // access, so a narrower editor could not leak records, but its title, description and widget
    // titles would still appear on every end user's dashboard. Taking a page off the dashboards
    // (dashboard: false) needs only EDIT, as deleting it does.
    const publishing = (input.dashboard ?? current.dashboard) === true;
    if (publishing) authorize(viewer, 'page:publish-dashboard', current, PUBLISH_DASHBOARD_DENIED);
    const set: Partial<PageDoc> = { updatedAt: this.clock.now() };
    if (input.title != null) set.title = input.title.trim();
    if (input.description !== undefined) set.description = input.description;
    if (input.dashboard != null) set.dashboard = input.dashboard;
    if (input.refreshSeconds !== undefined) set.refreshSeconds = input.refreshSeconds;
    if (input.freshnessSeconds != null) set.freshnessSeconds = input.freshnessSeconds;
    if (input.widgets) set.widgets = await this.#checkedWidgets(viewer, input.widgets);
    if (input.timezone != null) set.timezone = parseTimezone(input.timezone, 'timezone');
    if (input.weekStart != null) set.weekStart = input.weekStart;
    if (input.theme !== undefined) set.theme = input.theme;
    if (input.dateRange !== undefined) set.dateRange = input.dateRange ? parseDateRangeSettings(input.dateRange) : null;
    // Every setting that changes what the page shows (its queries, their range, zone and weeks, where it is shown)
    // makes the saver its author: from then on every embed reads within the saver's access too, so an edit only narrows.
    if (set.widgets || set.timezone || set.weekStart || set.dateRange !== undefined || set.dashboard !== undefined) set.authorId = viewer.principal._id;
    if ((set.dashboard ?? current.dashboard) && (set.widgets || set.dashboard)) await this.#checkDashboardCells({ ...current, ...set });
    // An edit that leaves the flag alone, by someone who may not publish, writes only while the
    // page is still off the dashboards: a publish racing it cannot carry its words onto them.
    const offDashboardsOnly = input.dashboard == null && !can(viewer.principal, 'page:publish-dashboard', current);
    const match: Match = { _id: id, workspaceId: viewer.workspace._id };
    const page = await this.store.pages.updateOne(offDashboardsOnly ? { ...match, dashboard: false } : match, { set });
    if (!page) {
      if (offDashboardsOnly && (await this.store.pages.findOne(match))) throw forbidden(PUBLISH_DASHBOARD_DENIED.message);
      throw notFound('Page');
    }
    // The zone sets the rollups' grain, so a new zone may need rollups of another grain.
    if (set.widgets || set.timezone) this.rollups.scheduleSync(page.workspaceId);
    return page;
  }

  /** A page the viewer may see (VIEW); any other is NOT_FOUND. */
  async get(viewer: Viewer, id: string): Promise<PageDoc> {
    const page = await this.store.pages.findOne({ _id: id, workspaceId: viewer.workspace._id });
    if (!page || !can(viewer.principal, 'page:view', page)) throw notFound('Page');
    return page;
  }

  async list(viewer: Viewer): Promise<PageDoc[]> {
    const pages = await this.store.pages.find({ workspaceId: viewer.workspace._id }, { sort: { createdAt: 1, _id: 1 } });
    return pages.filter((page) => can(viewer.principal, 'page:view', page));
  }

  /**
   * The pages `list` answers, in id (creation) order, `first` at a time after the cursor `after`
   * (the last id of the previous answer), for REST pagination.
   */
  async listPage(viewer: Viewer, args: { first?: number | null; after?: string | null }): Promise<{ pages: PageDoc[]; nextCursor: string | null }> {
    const first = Math.min(Math.max(args.first ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const after = args.after ?? null;
    const all = (await this.list(viewer)).sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const rest = after === null ? all : all.filter((page) => page._id > after);
    const pages = rest.slice(0, first);
    return { pages, nextCursor: rest.length > first ? pages[pages.length - 1]!._id : null };
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    await this.#getEditable(viewer, id);
    if (!(await this.store.pages.deleteOne({ _id: id, workspaceId: viewer.workspace._id }))) throw notFound('Page');
    await this.store.pageEmbeds.deleteMany({ pageId: id, workspaceId: viewer.workspace._id });
    this.rollups.scheduleSync(viewer.workspace._id);
    return true;
  }

  /** Sets sharing and grants (the owner or an admin). Grants replace the list; each names a principal of the workspace. */
  async setAccess(viewer: Viewer, id: string, input: PageAccessInput): Promise<PageDoc> {
    const page = await this.get(viewer, id);
    authorize(viewer, 'page:set-access', page, { code: 'FORBIDDEN', message: "Only the page's owner or an admin may change who can see and edit it." });
    const set: Partial<PageDoc> = { updatedAt: this.clock.now() };
    if (input.sharing != null) set.sharing = input.sharing;
    if (input.grants != null) {
      if (input.grants.length > MAX_GRANTS) throw badInput(`At most ${MAX_GRANTS} grants.`);
      const byPrincipal = new Map<string, PageGrantDoc>();
      for (const grant of input.grants) byPrincipal.set(grant.principalId, { principalId: grant.principalId, level: grant.level });
      const ids = [...byPrincipal.keys()];
      const found = ids.length ? await this.store.principals.find({ workspaceId: viewer.workspace._id, _id: { oneOf: ids } }) : [];
      const missing = ids.find((principalId) => !found.some((principal) => principal._id === principalId));
      if (missing !== undefined) throw badInput(`grants: no principal ${JSON.stringify(missing.slice(0, 64))} in this workspace.`);
      set.grants = [...byPrincipal.values()];
    }
    const updated = await this.store.pages.updateOne({ _id: id, workspaceId: viewer.workspace._id }, { set });
    if (!updated) throw notFound('Page');
    return updated;
  }

  /** Whether the page's author (whose access every embed of it reads within) still exists. */
  async authorMissing(page: PageDoc): Promise<boolean> {
    const authorId = pageAccessOf(page).authorId;
    return !(await this.store.principals.findOne({ _id: authorId, workspaceId: page.workspaceId }));
  }

  /**
   * Refuses a dashboard page (being published, or its widgets saved) that would bring the workspace's
   * dashboard pages over MAX_RESPONSE_CELLS together: one user dashboard render returns them all.
   */
  async #checkDashboardCells(page: PageDoc): Promise<void> {
    const others = await this.store.pages.find({ workspaceId: page.workspaceId, dashboard: true });
    const cells = pagesCells([...others.filter((other) => other._id !== page._id), page]);
    if (cells > MAX_RESPONSE_CELLS) {
      throw badInput(
        `With this page, the dashboard's pages could return ${cells} cells together (limit × columns); one dashboard render returns at most ${MAX_RESPONSE_CELLS}. Lower its widgets' limits, or take another page off the dashboard.`,
      );
    }
  }

  async #getEditable(viewer: Viewer, id: string): Promise<PageDoc> {
    const page = await this.get(viewer, id);
    authorize(viewer, 'page:edit', page, { code: 'FORBIDDEN', message: 'You may view this page but not edit it; ask its owner for EDIT access.' });
    return page;
  }
}
