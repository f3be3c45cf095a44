/**
 * The GraphQL documents the embed client sends, exactly as sent: the selections of api/embed.graphql
 * with the fragments written inline and no whitespace to spare.
 *
 * Why not send codegen's documents: they repeat each fragment in full, pretty-printed, in every
 * viewer's download; and the embed endpoint's depth limit counts a fragment spread as a level,
 * which put the dashboard's selection over it. Codegen still types the results (api/operations.ts),
 * and tests/unit/embed-queries.test.ts fails unless each string selects exactly what embed.graphql
 * does, on the right root type.
 *
 * No imports: the unit test loads this file under Node.
 */

/** api/embed.graphql's `EmbeddedPageFields`. */
const PAGE_FIELDS =
  'id title description refreshSeconds timezone locale theme rangeLocked presets range{preset from to} widgets{id title kind label columnLabels seriesBy bucket bucketShown coarser{buckets maxPoints} cut{shown total} partial{first last} format{style currency unit decimals} columnFormats{column style currency unit decimals} data{columns rows} clickEvents} exports';

/** `PageEmbedSelection`, sent to POST /embed/graphql. */
export const PAGE_QUERY = `query($range:DateRangeInput,$timezone:String){page(range:$range,timezone:$timezone){${PAGE_FIELDS}}}`;

/** `DashboardEmbedSelection`, sent to POST /embed/graphql. */
export const DASHBOARD_QUERY = `query($ranges:[PageRangeInput!],$timezone:String){dashboard(ranges:$ranges,timezone:$timezone){pages{${PAGE_FIELDS}}}}`;

/** `ExportWidgetSelection`, sent to POST /embed/graphql by the export buttons (loaded only where the token allows exports). */
export const EXPORT_QUERY =
  'query($widgetId:ID!,$format:ExportFormat!,$range:DateRangeInput,$timezone:String){exportWidget(widgetId:$widgetId,format:$format,range:$range,timezone:$timezone){url expiresAt format}}';

/** `ValidateEmbedToken`, sent to POST /graphql. */
export const VALIDATE_EMBED_TOKEN = 'mutation ValidateEmbedToken($embedToken:String!){validateEmbedToken(embedToken:$embedToken){authToken expiresAt}}';
