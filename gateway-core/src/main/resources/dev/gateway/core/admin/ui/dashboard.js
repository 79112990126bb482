// The gateway dashboard: renders the JSON the admin listener sends every second on /ui/events.
// Every value is put in the page with textContent (paths and ids come from clients), never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  let token = null;          // the admin token, kept in memory only, once the operator typed it
  let reloadState = { token_required: false, allowed: false };

  // ---- theme: the system's, unless chosen here --------------------------------------------------
  const root = document.documentElement;
  const stored = localStorage.getItem('gateway-theme');
  const systemDark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = stored || (systemDark ? 'dark' : 'light');
  $('theme').addEventListener('click', () => {
    root.dataset.theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('gateway-theme', root.dataset.theme);
  });

  // ---- small DOM helpers ------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const num = (v, digits) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits === undefined ? 1 : digits));
  function td(value, attrs) { return el('td', attrs, value); }

  function duration(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60);
    return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${seconds % 60}s` : `${seconds}s`;
  }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : '–'; }

  const SVG = 'http://www.w3.org/2000/svg';
  function spark(series, errors, title) {
    const w = 120, h = 26;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', title);
    const max = Math.max(1, ...series, ...(errors || []));
    const line = (values, cls) => {
      const p = document.createElementNS(SVG, 'polyline');
      const step = w / Math.max(1, values.length - 1);
      p.setAttribute('points', values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(' '));
      if (cls) p.setAttribute('class', cls);
      svg.append(p);
    };
    line(series);
    if (errors && errors.some((v) => v > 0)) line(errors, 'err');
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    svg.append(t);
    return svg;
  }

  // request ids to look up in the access log, one a line, with a note each (e.g. how long it took)
  function ids(list, note) {
    if (!list || !list.length) return null;
    return el('span', { class: 'ids' }, ...list.slice(0, 3).map((item) => el('span', { class: 'example' },
      el('code', {}, note ? item.request_id : item), note ? ` ${note(item)}` : '')));
  }

  // ---- sections ---------------------------------------------------------------------------------
  function renderHeader(s) {
    $('version').textContent = s.version;
    $('uptime').textContent = duration(s.uptime_seconds);
    $('connections').textContent = s.connections.open;
    $('websockets').textContent = s.connections.websockets;
    const c = s.config;
    $('config').textContent = `${c.source} · ${c.sha256 ? c.sha256.slice(0, 12) : '?'}`;
    $('config').title = c.sha256 || '';
    $('loaded').textContent = new Date(c.loaded_at).toLocaleString();
    $('reloads').textContent = `${c.reloads_succeeded} ok · ${c.reloads_failed} failed`;
    reloadState = s.reload;
    $('reload').disabled = !s.reload.allowed;
    $('reload').title = s.reload.allowed ? '' : 'set [admin] token to reload from here (the listener is not on loopback)';
    const failure = $('failure');
    const f = c.last_failure;
    if (f && new Date(f.at) > new Date(c.loaded_at)) {
      failure.replaceChildren(el('strong', {}, `Last reload failed at ${new Date(f.at).toLocaleString()}; still serving ${c.sha256 ? c.sha256.slice(0, 12) : 'the previous file'}:`),
        el('ul', {}, ...f.problems.map((p) => el('li', {}, `${p.line ? 'line ' + p.line + ': ' : ''}${p.key}: ${p.message}`))));
      failure.hidden = false;
    } else {
      failure.hidden = true;
    }
  }

  function routeMatch(r) {
    if (r.path === undefined) return r.name === 'static' ? 'default site' : 'no route matched';
    return `${r.host || '*'}${r.path}${r.methods && r.methods.length ? ' ' + r.methods.join(',') : ''}`;
  }
  function routeAction(r) {
    if (r.action === 'proxy') return `→ ${r.upstream}`;
    if (r.action === 'redirect') return `${r.status} ${r.location}`;
    if (r.action === 'static') return r.root ? `files ${r.root}` : 'files';
    return '–';
  }
  function renderRoutes(routes) {
    $('routes').tBodies[0].replaceChildren(...routes.map((r) => {
      const t = r.traffic;
      const errClass = t.error_pct >= 5 ? 'num state-bad' : t.error_pct > 0 ? 'num state-warn' : 'num';
      return el('tr', { 'data-route': r.name },
        td(r.name), td(routeMatch(r), { class: 'mono' }), td(routeAction(r)),
        td(num(t.rps, 2), { class: 'num', 'data-field': 'rps' }),
        td(num(t.error_pct), { class: errClass, 'data-field': 'error_pct' }),
        td(num(t.p50_ms, 2), { class: 'num', 'data-field': 'p50' }),
        td(num(t.p99_ms, 2), { class: 'num', 'data-field': 'p99' }),
        el('td', {}, spark(t.rps_points, t.error_points, `requests per second (5xx in red), ${r.name}`)));
    }));
  }

  function health(t) {
    if (!t.healthy) return el('span', { class: 'state-bad', title: t.health ? t.health.reason : '' }, 'down');
    return el('span', { class: 'state-ok', title: t.health ? t.health.reason : 'no health check' }, 'up');
  }
  function breaker(b) {
    if (b.state === 'open') {
      return el('span', { class: 'state-bad', title: `until ${new Date(b.open_until).toLocaleTimeString()}` },
        `open ${Math.ceil(b.open_for_ms / 1000)}s`);
    }
    return el('span', { class: b.state === 'half_open' ? 'state-warn' : 'state-ok' }, b.state.replace('_', '-'));
  }
  function renderPools(pools) {
    $('pools').replaceChildren(...pools.map((p) => el('div', { class: 'pool', 'data-pool': p.name },
      el('h3', {}, p.name, ' ', el('span', { class: 'muted' }, `${p.strategy}${p.health_check ? ', ' + p.health_check + ' checks' : ''}`)),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, ...['target', 'health', 'breaker', 'active', 'latency ms', 'p99 ms', 'req/s', 'fail', 'req/s, 60 s', 'active, 60 s']
          .map((h, i) => el('th', { class: i >= 3 && i <= 7 ? 'num' : null }, h)))),
        el('tbody', {}, ...p.targets.map((t) => {
          const tr = t.traffic || { rps_points: [], active_points: [], latency_points: [] };
          return el('tr', { 'data-target': t.url },
            td(t.url, { class: 'mono' }), el('td', { 'data-field': 'health' }, health(t)),
            el('td', { 'data-field': 'breaker' }, breaker(t.breaker)),
            td(t.active_requests, { class: 'num', 'data-field': 'active' }), td(num(t.latency_ms, 2), { class: 'num' }),
            td(num(tr.p99_ms, 2), { class: 'num' }), td(num(tr.rps, 2), { class: 'num', 'data-field': 'rps' }),
            td(tr.failures === undefined ? '–' : tr.failures, { class: 'num' }),
            el('td', {}, spark(tr.rps_points, null, `attempts per second, ${t.url}`)),
            el('td', {}, spark(tr.active_points, null, `active requests, ${t.url}`)));
        })))))));
  }

  function list(id, items, render, empty) {
    $(id).replaceChildren(...(items.length ? items.map(render) : [el('li', { class: 'none' }, empty)]));
  }
  function renderInsights(i) {
    const slow = (s) => el('li', {}, el('strong', {}, s.name), ` p99 ${num(s.p99_ms, 2)} ms, p50 ${num(s.p50_ms, 2)} ms, ${s.requests} requests`,
      ids(s.examples, (e) => `${e.duration_ms} ms`));
    list('slow-routes', i.slow_routes, slow, 'not enough traffic yet');
    list('slow-targets', i.slow_targets, slow, 'not enough traffic yet');
    list('spikes', i.error_spikes, (s) => el('li', {}, el('strong', {}, s.route),
      ` ${s.recent_pct}% 5xx in the last 10 s (before: ${s.baseline_pct === null ? 'no traffic' : s.baseline_pct + '%'}), ${s.recent_errors} errors`,
      ids(s.request_ids)), 'none');
    list('clients', i.clients, (c) => el('li', {}, el('strong', { class: 'mono' }, c.client_ip),
      ` ${c.client_errors} × 4xx, ${c.rate_limited} × 429, last ${c.last_path}`, ids(c.request_ids)), 'none');
  }

  function renderErrors(errors) {
    $('errors').tBodies[0].replaceChildren(...(errors.length ? errors.map((e) => el('tr', { 'data-request-id': e.request_id },
      td(time(e.at)), td(e.status, { class: e.status >= 500 ? 'num state-bad' : 'num state-warn' }),
      td(e.request_id, { class: 'mono', title: e.trace_id ? `trace ${e.trace_id}` : '' }), td(e.route), td(e.target || '–', { class: 'mono' }),
      td(e.reason), td(e.client_ip, { class: 'mono' }), td(`${e.method} ${e.path}`, { class: 'mono' })))
      : [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'no errors recently'))]));
  }

  function render(s) {
    if (String(window.getSelection())) return; // the operator is copying an id: the next second will do
    renderHeader(s);
    renderRoutes(s.routes);
    renderPools(s.pools);
    renderInsights(s.insights);
    renderErrors(s.recent_errors);
  }

  // ---- the live feed ----------------------------------------------------------------------------
  function connect() {
    const live = $('live');
    const source = new EventSource('/ui/events');
    source.onopen = () => { live.textContent = 'live'; live.className = 'pill on'; };
    source.onmessage = (event) => {
      live.textContent = 'live';
      live.className = 'pill on';
      render(JSON.parse(event.data));
    };
    source.onerror = () => { live.textContent = 'reconnecting'; live.className = 'pill off'; };
  }

  // ---- reload -----------------------------------------------------------------------------------
  function notice(text, bad) {
    const n = $('notice');
    n.textContent = text;
    n.className = bad ? 'notice failure' : 'notice';
    n.hidden = false;
  }
  async function reload() {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    $('reload').disabled = true;
    try {
      const response = await fetch('/reload', { method: 'POST', headers, cache: 'no-store' });
      const body = await response.json().catch(() => ({}));
      if (response.status === 401) {
        token = null;
        askToken();
      } else if (response.ok) {
        const restart = body.needs_restart && body.needs_restart.length ? `; needs a restart: ${body.needs_restart.join('; ')}` : '';
        notice(`Reloaded at ${new Date(body.at).toLocaleTimeString()}: ${body.routes} routes, ${body.upstreams} upstreams${restart}`);
      } else if (response.status === 422) {
        notice(`Reload refused, the file is invalid (${body.problems.length} problems); the previous configuration still serves.`, true);
      } else {
        notice(`Reload answered ${response.status} ${body.error || ''}`, true);
      }
    } catch (e) {
      notice(`Reload failed: ${e}`, true);
    } finally {
      $('reload').disabled = !reloadState.allowed;
    }
  }
  function askToken() {
    $('token').value = '';
    $('token-dialog').showModal();
  }
  $('reload').addEventListener('click', () => (reloadState.token_required && !token ? askToken() : reload()));
  $('token-cancel').addEventListener('click', () => $('token-dialog').close());
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value;
    $('token-dialog').close();
    reload();
  });

  connect();
})();
