"""Measure a page's layout in a real browser: what a phone or a projector shows.

Each check is a small script run in the page (:data:`PROBE`), so the browser
tests and the command-line report measure the same things:

* **sideways** – how many CSS px the page scrolls sideways (0 is right; a
  table or chart that is wider than the screen must scroll inside its own
  frame);
* **charts** – for every drawn Plotly chart with visible axes, the share of
  its width that the plot area keeps (``_fullLayout._size.w / width``);
* **overlaps** – pairs of chart texts (ticks, labels, annotations, legend
  entries) whose boxes overlap by more than :data:`OVERLAP_PX` in both
  directions;
* **cut** – chart texts that reach more than :data:`CUT_PX` past their
  chart's edge (a label the reader sees as "ane 2021");
* **small_targets** – controls a finger or pointer must hit that are smaller
  than 24×24 CSS px and crowded by another (WCAG 2.2 SC 2.5.8, with its
  spacing exception; links inside a sentence are exempt);
* **smallest_chart_text** – the smallest font of any chart text, CSS px (a
  projector's 1080 lines read from the back of a hall need about 18 px);
* **sidebar_open** – whether the sidebar is open (it must be closed on a
  phone and in presenter mode);
* **answers** – the height of every answer option inside a
  ``responsive.answers`` block (quiz, class check; 44 px asked).

Usage::

    python -m dashboard.tools.layout_probe [PAGE_SLUG …]

prints one line per page and size (phone 390×844 touch, laptop 1366×900,
projector 1920×1080 in presenter mode) and the offending items.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

#: Overlap tolerated between two chart texts, in CSS px in each direction
#: (glyph boxes include line spacing, so touching lines overlap by 1-2 px).
OVERLAP_PX = 3
#: How far a text may reach past its chart's edge, in CSS px.
CUT_PX = 2
#: WCAG 2.2 SC 2.5.8 (AA): the minimum target size, CSS px.
MIN_TARGET_PX = 24
#: The height asked for quiz and class-check answers, CSS px.
MIN_ANSWER_PX = 44

PROBE = """
({overlapPx, cutPx, minTarget}) => {
  const visible = (el) => {
    if (!el.isConnected) return false;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (el.closest('details:not([open]) > :not(summary)')) return false;
    if (el.closest('[data-testid="stSidebar"][data-collapsed="true"]')) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none'
      && Number(style.opacity) !== 0;
  };
  const words = (el) => (el.getAttribute('aria-label') || el.textContent
    || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 60);
  const rect = (el) => el.getBoundingClientRect();
  const root = document.scrollingElement;
  const main = document.querySelector('[data-testid="stMain"]');
  const sideways = Math.max(root.scrollWidth - root.clientWidth,
                            main ? main.scrollWidth - main.clientWidth : 0);
  const charts = [], overlaps = [], cut = [];
  let smallestChartText = null;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!visible(gd) || !gd._fullLayout) continue;
    const layout = gd._fullLayout;
    const box = rect(gd);
    const named = gd.closest('[data-testid="stPlotlyChart"]');
    const title = ((layout.title && layout.title.text)
      || (named && named.getAttribute('aria-label')) || '')
      .replace(/<[^>]+>/g, '').slice(0, 50);
    const axes = Object.keys(layout).filter((k) => /^xaxis\\d*$/.test(k))
      .map((k) => layout[k])
      .filter((a) => a.visible !== false && a.showticklabels !== false);
    if (axes.length) {
      const share = Math.round(1000 * layout._size.w / layout.width) / 1000;
      charts.push({title, width: Math.round(box.width), plot_share: share});
    }
    const texts = [...gd.querySelectorAll('svg text')]
      .filter((t) => t.textContent.trim() && visible(t))
      .map((t) => ({text: t.textContent.trim().slice(0, 40), box: rect(t)}));
    for (const t of gd.querySelectorAll('svg text')) {
      if (!t.textContent.trim() || !visible(t)) continue;
      const px = parseFloat(getComputedStyle(t).fontSize);
      if (smallestChartText === null || px < smallestChartText) smallestChartText = px;
    }
    for (const t of texts) {
      const b = t.box;
      const past = Math.max(box.left - b.left, b.right - box.right,
                            box.top - b.top, b.bottom - box.bottom);
      if (past > cutPx) {
        cut.push({chart: title, text: t.text, px: Math.round(past)});
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].box, b = texts[j].box;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > overlapPx && h > overlapPx) {
          overlaps.push({chart: title, a: texts[i].text, b: texts[j].text});
        }
      }
    }
  }
  const targets = [
    'button', 'select', '[role="button"]', '[role="slider"]', '[role="tab"]',
    '[role="combobox"]', 'input[type="text"]', 'input[type="number"]',
    'input[type="password"]', 'textarea', '[data-testid="stRadioOption"]',
    'label[data-baseweb="checkbox"]', '[data-testid="stPageLink-NavLink"]',
    '[data-testid="stSidebarNavLink"]', 'a[data-testid^="stBaseLinkButton"]',
  ].join(',');
  const found = [...document.querySelectorAll(targets)]
    .filter((el) => visible(el) && !el.closest('.modebar'))
    // A control inside another (a button in a label) is one target.
    .filter((el, _, all) => !all.some((o) => o !== el && o.contains(el)));
  // WCAG 2.2 SC 2.5.8: a smaller target passes if a 24 px circle on its
  // centre meets no other target (the spacing exception).
  const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
  const near = (a, b) => {
    const [x, y] = centre(a);
    const dx = Math.max(b.left - x, 0, x - b.right);
    const dy = Math.max(b.top - y, 0, y - b.bottom);
    return Math.hypot(dx, dy) < minTarget / 2;
  };
  const small = [];
  for (const el of found) {
    const b = rect(el);
    if (b.width >= minTarget - 0.5 && b.height >= minTarget - 0.5) continue;
    const crowded = found.some((o) => o !== el && near(b, rect(o)));
    if (crowded) {
      small.push({target: words(el), width: Math.round(b.width),
                  height: Math.round(b.height)});
    }
  }
  const answers = [...document.querySelectorAll(
      '[class*="st-key-answers-"] [data-testid="stRadioOption"]')]
    .filter(visible)
    .map((el) => ({answer: words(el), height: Math.round(rect(el).height)}));
  const bar = document.querySelector('[data-testid="stSidebar"]');
  const sidebarOpen = !!bar && bar.getAttribute('data-collapsed') !== 'true';
  return {sideways, charts, overlaps, cut, small_targets: small, answers,
          smallest_chart_text: smallestChartText, sidebar_open: sidebarOpen};
}
"""


@dataclass
class Layout:
    """What :data:`PROBE` found on one page at one size."""

    sideways: int
    charts: list[dict] = field(default_factory=list)
    overlaps: list[dict] = field(default_factory=list)
    cut: list[dict] = field(default_factory=list)
    small_targets: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    #: The smallest font size of any chart text shown, in CSS px (None: no chart).
    smallest_chart_text: float | None = None
    sidebar_open: bool = False

    def squeezed(self, minimum: float) -> list[dict]:
        """Charts whose plot area keeps less than ``minimum`` of their width."""
        return [c for c in self.charts if c["plot_share"] < minimum]

    def short_answers(self) -> list[dict]:
        """Answer options lower than :data:`MIN_ANSWER_PX`."""
        return [a for a in self.answers if a["height"] < MIN_ANSWER_PX - 0.5]


def measure(page) -> Layout:
    """Run :data:`PROBE` in a Playwright ``page`` and return what it found."""
    found = page.evaluate(
        PROBE, {"overlapPx": OVERLAP_PX, "cutPx": CUT_PX, "minTarget": MIN_TARGET_PX}
    )
    return Layout(**found)


def main(argv: list[str]) -> None:
    """Print the layout report for every page (or those named) at every size."""
    from dashboard.tools.screenshots import every_page_at_every_size, settle

    for size_name, spec, page in every_page_at_every_size(set(argv)):
        settle(page)
        found = measure(page)
        print(
            f"{size_name:9} {spec.slug:20} sideways={found.sideways:4} "
            f"squeezed={len(found.squeezed(0.5)):2} "
            f"overlaps={len(found.overlaps):3} "
            f"cut={len(found.cut):3} small={len(found.small_targets):3} "
            f"short_answers={len(found.short_answers()):2} "
            f"chart_text>={found.smallest_chart_text}px "
            f"sidebar={'open' if found.sidebar_open else 'closed'}"
        )
        details = {
            "squeezed": found.squeezed(0.5),
            "overlaps": found.overlaps[:8],
            "cut": found.cut[:8],
            "small": found.small_targets[:8],
            "short_answers": found.short_answers()[:4],
        }
        for name, items in details.items():
            for item in items:
                print(f"    {name}: {json.dumps(item, ensure_ascii=False)}")


if __name__ == "__main__":
    main(sys.argv[1:])
