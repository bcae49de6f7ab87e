// The one way a test reads a paged list to its end (a route's `nextCursor`, or a domain
// function's): each page asked for with the cursor the page before it gave.

/** `&cursor=…` for a query string, or '' for the first page. */
export const cursorParam = (cursor: string | undefined): string =>
  cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';

/**
 * Every page of a list, in order: `readPage` is called with undefined, then with each page's
 * `nextCursor` until a page gives none. More than `maxPages` pages fail the test (a cursor that
 * never ends would otherwise loop until the timeout).
 */
export async function readAllPages<Page extends { nextCursor?: string }>(
  readPage: (cursor: string | undefined) => Promise<Page>,
  maxPages = 50,
): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    if (pages.length === maxPages) throw new Error(`the list has more than ${maxPages} pages`);
    const page = await readPage(cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}
