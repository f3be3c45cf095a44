/*
 * The tooltip of chart marks: shows the `data-tip` of whatever mark (lib/chart.ts's hit areas) is
 * hovered or focused inside a `.tips` box (components/PageView.svelte's, the console preview's; styled
 * in styles/page.css) in one floating box, as text.
 * Keyboard users get the same tooltip as pointer users. Plain DOM, installed by the chart
 * (components/Chart.svelte) on the box around it: only embeds that draw a chart have marks to show,
 * so the code loads with the chart chunk, never in an embed's first load.
 */

/** Boxes that listen already: every chart of a page shares its page's box. */
const listening = new WeakSet<HTMLElement>();

/** Makes `box` show its marks' tips (once; later calls do nothing). */
export function showTips(box: HTMLElement | null): void {
  if (!box || listening.has(box)) return;
  listening.add(box);
  let tooltip: HTMLElement | undefined;
  const hide = () => tooltip?.remove();
  const show = (event: Event, pointerY?: number) => {
    const target = (event.target as Element | null)?.closest?.('[data-tip]');
    if (!target) return hide();
    const mark = target.getBoundingClientRect();
    const area = box.getBoundingClientRect();
    // Centred over the mark, kept inside the embed.
    const x = Math.min(Math.max(mark.left + mark.width / 2 - area.left, 90), Math.max(90, area.width - 90));
    if (!tooltip) {
      tooltip = document.createElement('div');
      tooltip.className = 'tooltip';
      tooltip.setAttribute('role', 'tooltip');
    }
    tooltip.textContent = target.getAttribute('data-tip') ?? '';
    tooltip.style.left = `${x}px`;
    tooltip.style.top = `${(pointerY ?? mark.top) - area.top}px`;
    box.append(tooltip);
  };
  box.addEventListener('focusin', (event) => show(event));
  box.addEventListener('focusout', hide);
  box.addEventListener('pointermove', (event) => show(event, event.clientY));
  box.addEventListener('pointerleave', hide);
}
