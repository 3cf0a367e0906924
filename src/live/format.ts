/** Locale formatting for the live views: counts, durations and clock times in the page's language. */
export type Strings = Readonly<Record<string, string>>;

export function liveFormat(lang: string, strings: Strings) {
  const text = (key: string) => strings[key] ?? key;
  const integer = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  return {
    lang,
    text,
    integer: (n: number) => integer.format(n),
    /** "2 days, 3 hours" (the two largest units, in the locale's words). */
    duration(seconds: number): string {
      const parts: Array<[number, 'day' | 'hour' | 'minute' | 'second']> = [
        [Math.floor(seconds / 86400), 'day'],
        [Math.floor((seconds % 86400) / 3600), 'hour'],
        [Math.floor((seconds % 3600) / 60), 'minute'],
        [Math.floor(seconds % 60), 'second'],
      ];
      const first = parts.findIndex(([n]) => n > 0);
      const shown = first < 0 ? [parts[3]!] : parts.slice(first, first + 2).filter(([n], i) => i === 0 || n > 0);
      const words = shown.map(([n, unit]) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
      return new Intl.ListFormat(lang, { type: 'unit', style: 'long' }).format(words);
    },
    time: (date: Date) => new Intl.DateTimeFormat(lang, { timeStyle: 'medium' }).format(date),
    fill: (key: string, values: Record<string, string>) =>
      text(key).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole),
  };
}

export type LiveFormat = ReturnType<typeof liveFormat>;
