"""WCAG 2.1 AA contrast of the text a page shows, measured in the browser."""

from __future__ import annotations

from playwright.sync_api import FrameLocator, Page

# every visible element with text of its own: colour against the first opaque background
# behind it; 4.5:1, or 3:1 for large text (24px, or 18.66px bold); disabled controls exempt
CONTRAST_PROBLEMS = """root => {
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = element => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] > 0.9) { return colour.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const problems = [];
  for (const element of root.querySelectorAll("body *")) {
    const own = Array.from(element.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (!own || element.disabled || element.closest("[disabled]") || box.width < 2 ||
        box.height < 2 || style.visibility === "hidden" || element.closest(".visually-hidden")) {
      continue;
    }
    const [fg, bg] = [luminance(rgb(style.color)), luminance(background(element))];
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      problems.push(`${element.tagName}.${element.className}: ${ratio.toFixed(2)} < ${needed}`);
    }
  }
  return problems;
}"""


def contrast_problems(page: Page | FrameLocator) -> list[str]:
    """Text below the WCAG AA contrast ratio on the page (or in the frame)."""
    problems: list[str] = page.locator("html").evaluate(CONTRAST_PROBLEMS)
    return problems
