// 卡盟 refund desk: what every Camunda webapp page gets on top of Camunda's own code (loaded through
// customScripts in each app's scripts/config.js). Side effects only; it registers no plugin.
//  - a 中文 / English switch at the bottom right (see lang.js);
//  - form-js's validation messages, which form-js writes in English whatever the locale, in Chinese;
//  - a notice that stays a few seconds after a task was completed ("the task just disappears");
//  - controls the signed-in user has no right to use (assign a task, create a task) hidden: the engine
//    would refuse them with a 403 that Tasklist does not show.
import {lang} from './lang.js';

const ZH = lang === 'zh';

function languageSwitch() {
  if (document.getElementById('refund-desk-lang')) {
    return;
  }
  const link = document.createElement('a');
  link.id = 'refund-desk-lang';
  link.textContent = ZH ? 'English' : '中文';
  link.title = ZH ? 'Switch the interface to English' : '切换为简体中文';
  link.href = window.location.pathname + '?lang=' + (ZH ? 'en' : 'zh') + window.location.hash;
  document.body.appendChild(link);
}

const FORM_JS_MESSAGES = [
  [/^Field is required\.$/, () => '此项必填。'],
  [/^Field must have minimum value of (.+)\.$/, (m) => '不得小于 ' + m[1] + '。'],
  [/^Field must have maximum value of (.+)\.$/, (m) => '不得大于 ' + m[1] + '。'],
  [/^Field must have minimum length of (.+)\.$/, (m) => '至少 ' + m[1] + ' 个字。'],
  [/^Field must have maximum length of (.+)\.$/, (m) => '最多 ' + m[1] + ' 个字。'],
  [/^Field must match pattern (.+)\.$/, (m) => '格式不符合要求（' + m[1] + '）。'],
  [/^Field must be a valid email\.$/, () => '请输入有效的电子邮箱。'],
  [/^Value is not a number\.$/, () => '请输入数字。'],
  [/^Value is expected to be an integer\.$/, () => '请输入整数。'],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, (m) => '最多 ' + m[1] + ' 位小数。'],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/,
    (m) => '请输入有效的值，最接近的有效值是 ' + m[1] + ' 和 ' + m[2] + '。']
];

// form-js (Preact) owns these nodes: each text node is rewritten in place, never replaced, so that Preact
// still updates and removes the very node it rendered.
function translateFormErrors(root) {
  if (!ZH) {
    return;
  }
  root.querySelectorAll('.fjs-form-field-error').forEach((box) => {
    const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const text = node.nodeValue.trim();
      for (const [pattern, words] of FORM_JS_MESSAGES) {
        const m = text.match(pattern);
        if (m) {
          node.nodeValue = words(m);
          break;
        }
      }
    }
  });
}

function notice(text) {
  let box = document.getElementById('refund-desk-notice');
  if (!box) {
    box = document.createElement('div');
    box.id = 'refund-desk-notice';
    box.setAttribute('role', 'status');
    document.body.appendChild(box);
  }
  box.textContent = text;
  box.className = 'shown';
  clearTimeout(box.hideTimer);
  box.hideTimer = setTimeout(() => { box.className = ''; }, 10000);
}

// The task's name before it is submitted, to say which one was completed.
let openTaskName = null;
function rememberOpenTask() {
  const title = document.querySelector('.task-details .names h2, .task-details h2');
  if (title && title.textContent.trim()) {
    openTaskName = title.textContent.trim();
  }
}

// Tasklist completes a form through XMLHttpRequest (AngularJS $http): watch for a successful submit-form.
const open = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
  if (method === 'POST' && /\/task\/[^/]+\/(submit-form|complete)$/.test(String(url))) {
    const name = openTaskName;
    this.addEventListener('load', () => {
      if (this.status >= 200 && this.status < 300) {
        notice(ZH ? '已完成并提交：' + (name || '任务') + '。它已离开你的任务列表。'
          : 'Completed and submitted: ' + (name || 'the task') + '. It has left your list.');
      }
    });
  }
  return open.apply(this, arguments);
};

// What the signed-in user may do with tasks at all; the controls for the rest are hidden (body classes).
const ENGINE_API = document.querySelector('base') ? document.querySelector('base').getAttribute('app-root')
  + '/api/engine/engine/default' : null;
let rightsAsked = false;
function askRights() {
  if (rightsAsked || !ENGINE_API || !document.querySelector('[cam-widget-header] .account, .navbar .account, .user-account')) {
    return;
  }
  rightsAsked = true;
  const check = (permission, resourceId, resource = 'Task&resourceType=7') => fetch(ENGINE_API
      + '/authorization/check?permissionName=' + permission + '&resourceName=' + resource
      + (resourceId ? '&resourceId=' + resourceId : ''),
    {credentials: 'same-origin', headers: {Accept: 'application/json'}})
    .then((r) => (r.ok ? r.json() : {isAuthorized: false}))
    // the engine answers {"authorized": true|false} (AuthorizationCheckResultDto)
    .then((a) => a.authorized === true)
    .catch(() => false);
  Promise.all([
    check('CREATE').then((may) => document.body.classList.toggle('refund-desk-cannot-create-task', !may)),
    check('CREATE', null, 'ProcessInstance&resourceType=8').then((may) =>
      document.body.classList.toggle('refund-desk-cannot-start-process', !may)),
    check('TASK_ASSIGN', '*').then((assign) => check('UPDATE', '*').then((update) =>
      document.body.classList.toggle('refund-desk-cannot-assign', !(assign || update)))),
  ]).then(() => document.body.classList.add('refund-desk-rights-known'));
}

// Tasklist opens the assignee field on Enter by clicking it in script, which the stylesheet's pointer-events
// cannot stop: for a user who may not assign, the key never reaches the field.
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && document.body.classList.contains('refund-desk-cannot-assign')
      && event.target.closest && event.target.closest('.task-details .assignee [cam-widget-inline-field]')) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);

new MutationObserver(() => {
  translateFormErrors(document);
  rememberOpenTask();
  askRights();
}).observe(document.documentElement, {childList: true, subtree: true, characterData: true});

function start() {
  languageSwitch();
  translateFormErrors(document);
}
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
