// 卡盟 refund desk: Cockpit's start page finds a dispute by its id (the business key of its processes) without
// first choosing a process definition: type or paste the id, press Enter. One running process opens at once;
// several (the dispute and its outside complaints) are listed as links.
import {lang} from './lang.js';

const ZH = lang === 'zh';
const ENGINE = document.querySelector('base').getAttribute('app-root') + '/api/engine/engine/default';

function get(path) {
  return fetch(ENGINE + path, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
    .then((r) => (r.ok ? r.json() : []));
}

function render(node) {
  node.innerHTML = '';
  const form = document.createElement('form');
  form.className = 'refund-desk-find-dispute form-inline';
  form.innerHTML = '<label for="refund-desk-dispute-id"></label> '
    + '<input id="refund-desk-dispute-id" class="form-control" type="search" autocomplete="off" size="44"> '
    + '<button type="submit" class="btn btn-primary"></button><div class="refund-desk-find-result"></div>';
  form.querySelector('label').textContent = ZH ? '按争议编号查找' : 'Find a dispute by its id';
  form.querySelector('input').placeholder = 'DSP-…';
  form.querySelector('button').textContent = ZH ? '查找' : 'Find';
  const result = form.querySelector('.refund-desk-find-result');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = form.querySelector('input').value.trim();
    if (!id) {
      return;
    }
    result.textContent = ZH ? '查找中…' : 'Searching…';
    const key = encodeURIComponent(id);
    Promise.all([get('/process-instance?businessKey=' + key),
      get('/history/process-instance?finished=true&processInstanceBusinessKey=' + key)]).then(([running, ended]) => {
      if (running.length === 1) {
        window.location.hash = '#/process-instance/' + running[0].id + '/runtime';
        return;
      }
      result.innerHTML = '';
      if (!running.length) {
        result.textContent = ended.length
          ? (ZH ? '争议 ' + id + ' 的流程均已结束（' + ended.length + ' 个）；详情请用 GET /api/v1/disputes/' + id
            : 'Every process of dispute ' + id + ' has ended (' + ended.length + '); see GET /api/v1/disputes/' + id)
          : (ZH ? '没有编号为 ' + id + ' 的争议流程。' : 'No process of a dispute ' + id + '.');
        return;
      }
      running.forEach((p) => {
        const link = document.createElement('a');
        link.href = '#/process-instance/' + p.id + '/runtime';
        link.textContent = id + ' · ' + (p.definitionId || '').split(':')[0] + ' · ' + p.id;
        link.className = 'refund-desk-instance-link';
        result.appendChild(link);
        result.appendChild(document.createElement('br'));
      });
    });
  });
  node.appendChild(form);
  setTimeout(() => form.querySelector('input').focus(), 0);
}

export default {
  id: 'refund-desk-find-dispute',
  pluginPoint: 'cockpit.dashboard',
  priority: 100,
  render
};
