/**
 * "Download CSV" / "Download Excel" under one widget, for the formats its token allows: loaded by a
 * dynamic import only where a page allows exports, and importing nothing (plain DOM, no Svelte, no
 * shared code), so it stays one small chunk and every other embed's first load stays as it was.
 * A click asks `request` (api/operations.ts's `requestExport`, handed in) for a one-time URL and
 * follows it as a download.
 */

export type ExportFormat = 'CSV' | 'XLSX';

export interface ExportButtonsProps {
  widgetId: string;
  formats: readonly ExportFormat[];
  request: (widgetId: string, format: ExportFormat) => Promise<string>;
}

const WORDS: Record<string, { CSV: string; XLSX: string; failed: string }> = {
  en: { CSV: 'Download CSV', XLSX: 'Download Excel', failed: 'The download failed. Try again.' },
  de: { CSV: 'CSV herunterladen', XLSX: 'Excel herunterladen', failed: 'Der Download ist fehlgeschlagen. Bitte erneut versuchen.' },
  fr: { CSV: 'Télécharger en CSV', XLSX: 'Télécharger en Excel', failed: 'Le téléchargement a échoué. Réessayez.' },
  es: { CSV: 'Descargar CSV', XLSX: 'Descargar Excel', failed: 'La descarga falló. Inténtalo de nuevo.' },
  ja: { CSV: 'CSV をダウンロード', XLSX: 'Excel をダウンロード', failed: 'ダウンロードに失敗しました。もう一度お試しください。' },
};

/** Fills `node` with the buttons (replacing what it held). */
export function renderExportButtons(node: HTMLElement, { widgetId, formats, request }: ExportButtonsProps): void {
  const words = WORDS[document.documentElement.lang.slice(0, 2)] ?? WORDS['en']!;
  const failure = document.createElement('p');
  failure.className = 'note';
  failure.setAttribute('role', 'alert');
  const buttons = formats.map((format) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = words[format];
    button.addEventListener('click', async () => {
      buttons.forEach((one) => (one.disabled = true));
      failure.remove();
      try {
        const link = document.createElement('a');
        link.href = await request(widgetId, format);
        link.download = '';
        document.body.append(link);
        link.click();
        link.remove();
      } catch {
        failure.textContent = words.failed;
        node.append(failure);
      } finally {
        buttons.forEach((one) => (one.disabled = false));
      }
    });
    return button;
  });
  node.replaceChildren(...buttons);
}
