import { defineRouteMiddleware } from '@astrojs/starlight/route-data';

/**
 * An untranslated page is shown in every locale as an English fallback.
 * Keep those copies out of the other languages' search indexes, or an Arabic
 * search would return English pages. The entry object is shared by every
 * locale's route, so it is copied, never changed in place.
 */
export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  if (!route.isFallback) return;
  route.entry = {
    ...route.entry,
    data: { ...route.entry.data, pagefind: false },
  };
});
