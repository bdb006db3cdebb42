/**
 * A search <ct-directory> made and its answer: the parameters sent (`GET /api/v1/directory`, only those set), the page
 * shown and how many practices match in all.
 */
export interface CtDirectorySearchDetail {
  query: Record<string, string>;
  page: number;
  total: number;
}

declare global {
  interface HTMLElementEventMap {
    'ct-directory-search': CustomEvent<CtDirectorySearchDetail>;
  }
}
