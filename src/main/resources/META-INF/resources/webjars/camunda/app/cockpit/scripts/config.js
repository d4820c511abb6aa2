// 卡盟 refund desk: our configuration of Camunda's cockpit (replaces the one in camunda-webapp-webjar).
// Simplified Chinese (locales/zh.json, built by tools/webapp-locales/build.py) unless this browser chose
// English (?lang=en); no first-visit call to /camunda-welcome; our staff script (../refund-desk/staff.js).
import {locales} from '../../refund-desk/lang.js';

export default {
  app: {name: '运维监控', vendor: '卡盟退款争议'},
  locales,
  dateFormat: {monthName: 'MMMM', day: 'DD', abbr: 'lll', normal: 'YYYY-MM-DD HH:mm', long: 'LLLL', short: 'YYYY-MM-DD'},
  disableWelcomeMessage: true,
  customScripts: ['../refund-desk/staff', '../refund-desk/cockpit-find-dispute'],
};
