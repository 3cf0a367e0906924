// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

// The book's parts, in reading order. Each is a folder under content/docs/
// whose pages the sidebar lists by their `sidebar.order`.
const parts = [
  ['start', 'Start here', 'ابدأ هنا', 'از اینجا شروع کنید', '从这里开始'],
  ['setup', 'Setting up a node', 'إعداد عقدة', 'راه‌اندازی یک گره', '搭建节点'],
  ['services', 'Services', 'الخدمات', 'سرویس‌ها', '服务'],
  ['long-links', 'Long links and antennas', 'الوصلات البعيدة والهوائيات', 'پیوندهای دور و آنتن‌ها', '远距离链路与天线'],
  ['keeping', 'Keeping and copying nodes', 'حفظ العقد ونسخها', 'نگهداری و رونوشت گره‌ها', '保存与复制节点'],
  ['security', 'Operational security', 'الأمان التشغيلي', 'امنیت عملیاتی', '行动安全'],
  ['reference', 'Reference and community', 'المراجع والمجتمع', 'مرجع و جامعه', '参考与社区'],
];

export default defineConfig({
  // The root is the source directory so that the book lives in a top-level
  // content/ (Starlight's loaders read only <srcDir>/content/{docs,i18n}).
  // Code stays in src/; see README "Layout".
  srcDir: './',
  site: 'https://byzantium.invalid',
  trailingSlash: 'always',
  // Starlight prefetches every link a reader hovers or touches. Over a radio
  // mesh that spends airtime on pages nobody asked for, and its script costs
  // every page 1 KB.
  prefetch: false,
  markdown: { syntaxHighlight: false },
  vite: {
    build: {
      rolldownOptions: {
        // Every MDX page triggers a harmless notice about Astro's own
        // "use astro:head-inject" directive; hundreds of them hide real warnings.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
  },
  build: { format: 'directory' },
  integrations: [
    starlight({
      title: 'Byzantium',
      description: 'Build a wireless mesh network from ordinary laptops and phones.',
      defaultLocale: 'root',
      locales: {
        root: { label: 'English', lang: 'en' },
        ar: { label: 'العربية', lang: 'ar', dir: 'rtl' },
        fa: { label: 'فارسی', lang: 'fa', dir: 'rtl' },
        'zh-cn': { label: '简体中文', lang: 'zh-CN' },
      },
      sidebar: parts.map(([directory, label, ar, fa, zh]) => ({
        label,
        translations: { ar, fa, 'zh-CN': zh },
        collapsed: true,
        items: [{ autogenerate: { directory } }],
      })),
      customCss: ['./src/styles/book.css'],
      components: {
        Search: './src/components/Search.astro',
        MarkdownContent: './src/components/MarkdownContent.astro',
        FallbackContentNotice: './src/components/FallbackContentNotice.astro',
      },
      routeMiddleware: './src/route-middleware.ts',
      // Plain code blocks with a copy button (see MarkdownContent.astro):
      // Expressive Code costs every page about 5 KB compressed.
      expressiveCode: false,
      lastUpdated: false,
      pagefind: true,
    }),
  ],
});
