// 卡盟 refund desk: which language the Camunda webapps speak. Simplified Chinese for everybody unless this
// browser chose English: ?lang=en in the address (or the 中文 / English link at the bottom right) is kept in
// localStorage, ?lang=zh goes back. Read by every app's scripts/config.js before the app starts.
const KEY = 'refunddesk.lang';
const asked = new URLSearchParams(window.location.search).get('lang');
if (asked === 'en' || asked === 'zh') {
  window.localStorage.setItem(KEY, asked);
}
export const lang = window.localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';

/** The locales block of a webapp's config: one language at a time, so the browser's own language cannot pick. */
export const locales = {availableLocales: [lang], fallbackLocale: lang};
