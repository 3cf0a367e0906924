/**
 * Where the API lives, in a module of its own: the book's pages import it to
 * ask whether a node serves them, and must not pull the schemas (and their
 * validator) into every page to learn one string.
 */
export const API_PREFIX = '/api/v1';
