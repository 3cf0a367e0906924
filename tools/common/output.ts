/** Colour only on a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}

const codes = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

export function paint(style: keyof typeof codes, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return useColor(stream) ? `\u001b[${codes[style]}m${text}\u001b[0m` : text;
}
