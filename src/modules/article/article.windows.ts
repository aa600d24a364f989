/**
 * The bounded candidate sets that keep related articles and search fast on a
 * large archive (see ArticleService.related and ArticleService.search).
 */

/** Related-article candidates per topic: its newest published articles. */
export const RELATED_WINDOW = 50;

/** Search ranks this many matches at a time, newest first. */
export const SEARCH_WINDOW = 200;

/** The newest-first walk for a search window passes at most this many articles (see ArticleService.searchWindow). */
export const SEARCH_WALK = 15 * SEARCH_WINDOW;
