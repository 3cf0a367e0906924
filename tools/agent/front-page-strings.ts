/** The front page's few strings, in the book's four languages. */
export const FRONT_PAGE_LOCALES = ['en', 'ar', 'fa', 'zh-cn'] as const;
export type FrontPageLocale = (typeof FRONT_PAGE_LOCALES)[number];

export interface FrontPageStrings {
  lang: string;
  dir: 'ltr' | 'rtl';
  label: string;
  title: (node: string) => string;
  intro: string;
  servicesHeading: string;
  noServices: string;
  onNode: (node: string) => string;
  thisNode: string;
  stopped: string;
  book: string;
  bookIntro: string;
  languages: string;
  bookPath: string;
}

export const FRONT_PAGE_STRINGS: Record<FrontPageLocale, FrontPageStrings> = {
  en: {
    lang: 'en', dir: 'ltr', label: 'English',
    title: (node) => `Byzantium mesh node ${node}`,
    intro: 'You are connected to a Byzantium mesh: a network of nearby computers that works without the Internet.',
    servicesHeading: 'Services on this mesh',
    noServices: 'No services found yet. Nodes announce their services every minute or so.',
    onNode: (node) => `on ${node}`,
    thisNode: 'on this node',
    stopped: '(stopped)',
    book: 'Read the Byzantium book',
    bookIntro: 'How the mesh works, how to join it, build a node and stay safe.',
    languages: 'Languages',
    bookPath: '/index.html',
  },
  ar: {
    lang: 'ar', dir: 'rtl', label: 'العربية',
    title: (node) => `عقدة شبكة بيزنطة ${node}`,
    intro: 'أنت متصل بشبكة بيزنطة المتداخلة: شبكة من الحواسيب القريبة تعمل من دون الإنترنت.',
    servicesHeading: 'الخدمات على هذه الشبكة',
    noServices: 'لم يُعثر على خدمات بعد. تُعلن العقد عن خدماتها كل دقيقة تقريبًا.',
    onNode: (node) => `على ${node}`,
    thisNode: 'على هذه العقدة',
    stopped: '(متوقفة)',
    book: 'اقرأ كتاب بيزنطة',
    bookIntro: 'كيف تعمل الشبكة، وكيف تنضم إليها، وتبني عقدة، وتبقى آمنًا.',
    languages: 'اللغات',
    bookPath: '/ar/',
  },
  fa: {
    lang: 'fa', dir: 'rtl', label: 'فارسی',
    title: (node) => `گره شبکهٔ توری بیزانس ${node}`,
    intro: 'شما به یک شبکهٔ توری بیزانس وصل هستید: شبکه‌ای از رایانه‌های نزدیک که بدون اینترنت کار می‌کند.',
    servicesHeading: 'سرویس‌های این شبکه',
    noServices: 'هنوز سرویسی پیدا نشده است. گره‌ها تقریباً هر دقیقه سرویس‌هایشان را اعلام می‌کنند.',
    onNode: (node) => `روی ${node}`,
    thisNode: 'روی همین گره',
    stopped: '(متوقف)',
    book: 'کتاب بیزانس را بخوانید',
    bookIntro: 'شبکه چگونه کار می‌کند، چگونه به آن بپیوندید، گره بسازید و امن بمانید.',
    languages: 'زبان‌ها',
    bookPath: '/fa/',
  },
  'zh-cn': {
    lang: 'zh-CN', dir: 'ltr', label: '简体中文',
    title: (node) => `拜占庭网状网络节点 ${node}`,
    intro: '你已连接到拜占庭网状网络：由附近电脑组成、无需互联网即可运行的网络。',
    servicesHeading: '此网络上的服务',
    noServices: '尚未发现服务。各节点大约每分钟公布一次自己的服务。',
    onNode: (node) => `位于 ${node}`,
    thisNode: '位于本节点',
    stopped: '（已停止）',
    book: '阅读本书',
    bookIntro: '网状网络如何运作、如何加入、如何搭建节点以及如何保持安全。',
    languages: '语言',
    bookPath: '/zh-cn/',
  },
};

/** The reader's language from ?lang= or Accept-Language (by quality), English otherwise. */
export function pickLocale(query: string, acceptLanguage: string | undefined): FrontPageLocale {
  const asked = new URLSearchParams(query).get('lang')?.toLowerCase();
  if (asked && (FRONT_PAGE_LOCALES as readonly string[]).includes(asked)) return asked as FrontPageLocale;
  const ranked = (acceptLanguage ?? '')
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag ?? '', q: q ? Number.parseFloat(q.trim().slice(2)) || 0 : 1, i };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (base === 'en' || tag === '*') return 'en';
    if (base === 'ar') return 'ar';
    if (base === 'fa') return 'fa';
    if (base === 'zh') return 'zh-cn';
  }
  return 'en';
}
