// The browser the end-to-end tests drive: Debian's Chromium, headless, quiet (no network of its own).
export const CHROMIUM = process.env.LIANDONG_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
