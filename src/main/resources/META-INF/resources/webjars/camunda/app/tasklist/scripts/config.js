// 卡盟 refund desk: our configuration of Camunda's tasklist (replaces the one in camunda-webapp-webjar).
// Simplified Chinese (locales/zh.json, built by tools/webapp-locales/build.py) unless this browser chose
// English (?lang=en); no first-visit call to /camunda-welcome; our staff script (../refund-desk/staff.js).
import {locales} from '../../refund-desk/lang.js';

export default {
  app: {name: '任务清单', vendor: '卡盟退款争议'},
  locales,
  dateFormat: {monthName: 'MMMM', day: 'DD', abbr: 'lll', normal: 'YYYY-MM-DD HH:mm', long: 'LLLL', short: 'YYYY-MM-DD'},
  disableWelcomeMessage: true,
  customScripts: ['../refund-desk/staff'],
  shortcuts: {
    claimTask: {key: 'ctrl+alt+c', description: '认领当前选中的任务'},
    focusFilter: {key: 'ctrl+shift+f', description: '焦点移到第一个筛选器'},
    focusList: {key: 'ctrl+alt+l', description: '焦点移到任务列表的第一个任务'},
    focusForm: {key: 'ctrl+alt+f', description: '焦点移到任务表单的第一个输入框'},
    startProcess: {key: 'ctrl+alt+p', description: '打开发起流程的对话框'}
  },
};
