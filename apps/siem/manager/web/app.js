// The manager's page: polls the JSON API and draws alerts, module health,
// the events-per-minute chart, the rules and event searches. Everything
// the API returns is shown with textContent, never parsed as HTML.
'use strict';

const ALERT_POLL_MS = 2000;
const MODULE_POLL_MS = 2000;
const STATS_POLL_MS = 10000;

// el('td', {class: 'x'}, 'text', child...): a new element.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : String(k ?? ''));
  return e;
}

function get(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// Reads carry the read token (or the write token): from the address's
// fragment (#read-token=HEX, never sent to the server), else asked for
// once, and kept in sessionStorage like the write token.
let readDeclined = false;

function readToken() {
  const m = /^#read-token=([^&]+)$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('siem-read-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  let token = sessionStorage.getItem('siem-read-token');
  if (!token && !readDeclined) {
    token = window.prompt('Token for reading (read-token, printed by tools/siem up):');
    if (token) sessionStorage.setItem('siem-read-token', token);
    else readDeclined = true;
  }
  return token;
}

async function api(path, opts) {
  if (!opts) {
    const token = readToken();
    if (!token) throw new Error('reading needs the read token: reload the page to give it');
    opts = {headers: {Authorization: 'Bearer ' + token}};
  }
  const r = await fetch(path, opts);
  let body = null;
  try { body = await r.json(); } catch (e) { /* not JSON */ }
  if (r.status === 401 && !opts.method) sessionStorage.removeItem('siem-read-token');
  if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
  return body;
}

function when(t) {
  if (!t) return '';
  const d = new Date(t);
  return isNaN(d) ? String(t) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function duration(s) {
  if (s == null) return '';
  s = Math.floor(s);
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return d ? `${d}d${h}h` : h ? `${h}h${m}m` : m ? `${m}m${s % 60}s` : `${s}s`;
}

function severityName(n) {
  return n >= 99 ? 'critical' : n >= 73 ? 'high' : n >= 47 ? 'medium' : 'low';
}

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

// --- alerts -------------------------------------------------------------

async function ack(id, button) {
  let token = sessionStorage.getItem('siem-token');
  if (!token) {
    token = window.prompt('Token for acknowledging alerts (printed by tools/siem up):');
    if (!token) return;
  }
  button.disabled = true;
  try {
    await api(`/api/alerts/${id}/ack`, {method: 'POST', headers: {Authorization: 'Bearer ' + token}});
    sessionStorage.setItem('siem-token', token);
    loadAlerts();
  } catch (e) {
    if (/token/.test(e.message)) sessionStorage.removeItem('siem-token');
    button.disabled = false;
    window.alert('Not acknowledged: ' + e.message);
  }
}

async function loadAlerts() {
  const body = document.querySelector('#alerts tbody');
  try {
    const r = await api('/api/alerts?limit=50');
    const rows = r.results.map(a => {
      const id = get(a, 'event.id');
      const sev = get(a, 'event.severity');
      let state;
      if (a.acknowledged) {
        state = el('span', {}, 'acknowledged ' + when(a.acknowledged));
      } else {
        state = el('button', {type: 'button'}, 'Acknowledge');
        state.addEventListener('click', () => ack(id, state));
      }
      return el('tr', {class: 'alert' + (a.acknowledged ? ' acked' : ''), 'data-id': id},
        el('td', {}, when(a['@timestamp'])),
        el('td', {class: 'sev-' + severityName(sev)}, `${severityName(sev)} (${sev})`),
        el('td', {}, get(a, 'rule.name')),
        el('td', {}, get(a, 'group.value') ? `${get(a, 'group.field')}=${get(a, 'group.value')}` : ''),
        el('td', {class: 'num'}, a.count),
        el('td', {class: 'msg'}, a.message),
        el('td', {}, state));
    });
    body.replaceChildren(...rows);
    document.getElementById('alerts-empty').hidden = rows.length > 0;
    document.getElementById('alerts-note').textContent =
      r.truncated ? `newest ${rows.length}` : `${rows.length}`;
    setStatus('updated ' + new Date().toLocaleTimeString());
  } catch (e) {
    document.getElementById('alerts-note').textContent = 'cannot load: ' + e.message;
    setStatus('error: ' + e.message);
  }
}

// --- modules ------------------------------------------------------------

function counterText(c) {
  if (!c) return '';
  return Object.entries(c).filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k}=${v}`).join(' ');
}

async function loadModules() {
  try {
    const r = await api('/api/modules');
    const rows = r.modules.map(m => el('tr', {'data-module': m.name},
      el('td', {}, m.name),
      el('td', {class: 'state-' + m.state}, m.state),
      el('td', {}, m.version ?? ''),
      el('td', {}, duration(m.uptime_s)),
      el('td', {class: 'num'}, m.restarts ?? ''),
      el('td', {}, m.last_exit ?? ''),
      el('td', {}, m.heartbeat_age_s == null ? 'never' : `${m.heartbeat_age_s.toFixed(1)} s ago`),
      el('td', {class: 'counters'}, counterText(m.counters))));
    document.querySelector('#modules tbody').replaceChildren(...rows);
    const looping = r.modules.filter(m => m.state === 'crash-looping');
    const banner = document.getElementById('crashloop');
    banner.hidden = looping.length === 0;
    banner.textContent = looping.map(m =>
      `${m.name} is crash-looping (restarts ${m.restarts}, last exit: ${m.last_exit}); ` +
      `tools/siem restart ${m.name} starts it again`).join(' \u2014 ');
    document.getElementById('supervisor-note').textContent = r.supervisor
      ? (r.supervisor.fresh ? 'supervisor reporting' : `supervisor silent for ${duration(r.supervisor.age_s)}`)
      : 'no supervisor status';
  } catch (e) {
    document.getElementById('supervisor-note').textContent = 'cannot load: ' + e.message;
  }
}

// --- the chart ----------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

async function loadStats() {
  try {
    const r = await api('/api/stats?minutes=60');
    const W = 720, H = 160, L = 36, B = 18, n = r.per_minute.length;
    const max = Math.max(1, ...r.per_minute);
    const s = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img',
      'aria-label': `events per minute, last ${n} minutes`});
    const bw = (W - L) / n;
    r.per_minute.forEach((c, i) => {
      const h = (H - B - 8) * c / max;
      const bar = svg('rect', {class: 'bar', x: L + i * bw + 1, y: H - B - h,
        width: Math.max(1, bw - 2), height: h});
      bar.append(svg('title', {}, `${when((r.start + 60 * i) * 1000)}: ${c}`));
      s.append(bar);
    });
    s.append(svg('line', {class: 'axis', x1: L, y1: H - B, x2: W, y2: H - B}));
    s.append(svg('text', {x: 2, y: 12}, String(max)));
    s.append(svg('text', {x: 2, y: H - B}, '0'));
    s.append(svg('text', {x: L, y: H - 4}, `-${n} min`));
    s.append(svg('text', {x: W - 30, y: H - 4}, 'now'));
    document.getElementById('chart').replaceChildren(s);
    document.getElementById('chart-note').textContent = `${r.total} events in the last ${n} minutes`;
  } catch (e) {
    document.getElementById('chart-note').textContent = 'cannot load: ' + e.message;
  }
}

// --- search -------------------------------------------------------------

async function search(ev) {
  ev.preventDefault();
  const f = new FormData(ev.target);
  const q = new URLSearchParams();
  if (f.get('since')) q.set('since', f.get('since'));
  if (f.get('text')) q.set('text', f.get('text'));
  if (f.get('limit')) q.set('limit', f.get('limit'));
  for (const w of String(f.get('fields')).split(/\s+/).filter(Boolean)) {
    const i = w.indexOf('=');
    if (i < 1) { document.getElementById('search-note').textContent = `"${w}": expected field=value`; return; }
    q.set(w.slice(0, i), w.slice(i + 1));
  }
  const note = document.getElementById('search-note');
  note.textContent = 'searching';
  try {
    const r = await api('/api/events?' + q);
    const rows = r.results.map(e => el('tr', {},
      el('td', {}, when(get(e, 'event.created') || e['@timestamp'])),
      el('td', {}, get(e, 'event.action') || get(e, 'event.kind') || ''),
      el('td', {}, get(e, 'event.outcome') || ''),
      el('td', {}, get(e, 'user.name') || ''),
      el('td', {}, get(e, 'source.ip') || ''),
      el('td', {}, get(e, 'host.hostname') || ''),
      el('td', {class: 'msg'}, e.message || '')));
    document.querySelector('#events tbody').replaceChildren(...rows);
    document.getElementById('events').hidden = false;
    note.textContent = `${r.count} events${r.truncated ? ' (more match: raise the limit or narrow the search)' : ''}`;
  } catch (e) {
    note.textContent = 'search failed: ' + e.message;
  }
}

// --- rules --------------------------------------------------------------

async function loadRules() {
  try {
    const r = await api('/api/rules');
    document.querySelector('#rules tbody').replaceChildren(...r.rules.map(x => el('tr', {},
      el('td', {}, x.name), el('td', {class: 'sev-' + severityName(x.severity)}, x.severity),
      el('td', {class: 'num'}, x.threshold), el('td', {}, duration(x.window_ms / 1000)),
      el('td', {}, x.group || ''), el('td', {}, x.description))));
  } catch (e) {
    setTimeout(loadRules, 5000);
  }
}

function every(ms, fn) {
  fn();
  setInterval(fn, ms);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('search').addEventListener('submit', search);
  every(ALERT_POLL_MS, loadAlerts);
  every(MODULE_POLL_MS, loadModules);
  every(STATS_POLL_MS, loadStats);
  loadRules();
});
