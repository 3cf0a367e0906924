/**
 * Runs in the page (pass it to Playwright's evaluate): where the first match
 * of each pattern is drawn, as the x of its first character, in the first
 * text node under `element` that contains `contains`. Direction bugs show as
 * characters drawn on the wrong side of each other.
 */
export function xOfMatches(element: Element, { contains, patterns }: { contains: string; patterns: string[] }): number[] {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let text: Text | null = null;
  while (walker.nextNode()) {
    if (walker.currentNode.textContent!.includes(contains)) {
      text = walker.currentNode as Text;
      break;
    }
  }
  if (!text) throw new Error(`no text containing ${contains}`);
  return patterns.map((pattern) => {
    const index = text.textContent!.search(new RegExp(pattern, 'u'));
    if (index < 0) throw new Error(`${pattern} not found in ${text.textContent}`);
    const range = document.createRange();
    range.setStart(text, index);
    range.setEnd(text, index + 1);
    return range.getBoundingClientRect().x;
  });
}
