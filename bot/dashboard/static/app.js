// kyso-bot dashboard. No build step, no library: data is only ever set as text (never HTML).
'use strict';

(function () {
  const ALL = JSON.parse(document.getElementById('kyso-strings').textContent);
  const PAGE = 200; // table rows drawn at a time ("Show more" draws the next ones)
  const ICONS = { critical: '🔴', below_warning: '🟠', below_target: '🟡', at_target: '🟢', no_items: '⚪' };
  const STATUS_ORDER = { critical: 0, below_warning: 1, below_target: 2, at_target: 3, no_items: 4 };
  const SVG = 'http://www.w3.org/2000/svg';
  const tg = window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;

  let T = ALL.vi;
  let lang = 'vi';
  const state = {
    auth: null, me: null, data: null, rows: [], shown: [], limit: PAGE,
    sort: { col: 'rank', dir: 1 }, filters: { status: '', area: '', kind: '', q: '' },
    indicator: null, period: null, tab: 'units',
  };

  // --- small helpers -------------------------------------------------------------------------

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fmt(text, params) {
    return String(text).replace(/\{(\w+)\}/g, (m, key) => (key in params ? String(params[key]) : m));
  }

  function fold(text) {
    return String(text).replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^0-9a-z%]+/g, ' ').trim();
  }

  function count(n) {
    return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US').format(n);
  }

  function main() { return document.getElementById('main'); }

  function setStatus(text, isError) {
    const status = document.getElementById('status');
    status.textContent = text || '';
    status.className = isError ? 'error' : '';
  }

  function clearMain() {
    const m = main();
    while (m.lastChild) m.lastChild.remove();
    m.append(el('p', { id: 'status', role: 'status', 'aria-live': 'polite' }));
  }

  function stop(text) {
    clearMain();
    document.getElementById('tabs').hidden = true;
    setStatus(text, true);
    const error = new Error(text);
    error.shown = true;
    throw error;
  }

  // --- launch data, theme, language ----------------------------------------------------------

  function applyTheme(params, scheme) {
    const root = document.documentElement;
    for (const [key, value] of Object.entries(params || {})) {
      if (/^[a-z_]{1,40}$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        root.style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
      }
    }
    let dark = scheme === 'dark';
    const bg = params && params.bg_color;
    if (!scheme && bg && /^#[0-9a-fA-F]{6}$/.test(bg)) {
      const n = parseInt(bg.slice(1), 16);
      dark = ((n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000 < 128;
    }
    if (!scheme && !bg) dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.scheme = dark ? 'dark' : 'light';
  }

  function setLanguage(code) {
    lang = ALL[code] ? code : 'vi';
    T = ALL[lang];
    document.documentElement.lang = lang;
    document.title = T.title;
    document.getElementById('title').textContent = T.title;
  }

  function readLaunch() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    let theme = null;
    try { theme = JSON.parse(fragment.get('tgWebAppThemeParams') || 'null'); } catch (e) { theme = null; }
    if (tg) applyTheme(tg.themeParams, tg.colorScheme);
    else applyTheme(theme, null);
    const launch = {
      initData: (tg && tg.initData) || fragment.get('tgWebAppData') || '',
      login: fragment.get('login') || '',
    };
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    if (launch.initData) sessionStorage.setItem('kyso.initData', launch.initData);
    if (!launch.initData && !launch.login) launch.initData = sessionStorage.getItem('kyso.initData') || '';
    return launch;
  }

  // --- the API -------------------------------------------------------------------------------

  async function call(path, options) {
    const opts = options || {};
    let response;
    try {
      response = await fetch('api/' + path, {
        method: opts.method || 'GET',
        headers: Object.assign({ Authorization: state.auth }, opts.body ? { 'Content-Type': 'application/json' } : {}),
        body: opts.body ? JSON.stringify(opts.body) : undefined,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      setStatus(T.network_error, true);
      throw e;
    }
    if (response.status === 401) stop(T.auth_failed);
    if (!response.ok) {
      const text = response.status === 403 ? T.forbidden : response.status === 404 ? T.not_found : T.network_error;
      setStatus(text, true);
      const error = new Error(text);
      error.shown = true;
      throw error;
    }
    return opts.blob ? response.blob() : response.json();
  }

  async function authenticate(launch) {
    if (launch.login) {
      let response;
      try {
        response = await fetch('api/login', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ code: launch.login }), credentials: 'omit', cache: 'no-store',
        });
      } catch (e) { stop(T.network_error); }
      if (!response.ok) stop(T.login_failed);
      const body = await response.json();
      sessionStorage.setItem('kyso.session', body.token);
      sessionStorage.removeItem('kyso.initData');
      return 'Session ' + body.token;
    }
    if (launch.initData) return 'tma ' + launch.initData;
    const session = sessionStorage.getItem('kyso.session');
    if (session) return 'Session ' + session;
    stop(T.no_launch);
    return null;
  }

  // --- the secretariat's table ---------------------------------------------------------------

  const COLUMNS = [
    { key: 'rank', label: 'col_rank' }, { key: 'name', label: 'col_name', cls: 'name' },
    { key: 'rate', label: 'col_rate' }, { key: 'figures', label: 'col_figures' },
    { key: 'change', label: 'col_change' }, { key: 'status', label: 'col_status', cls: 'status' },
    { key: 'area', label: 'col_area', cls: 'area' }, { key: 'officials', label: 'col_officials' },
  ];

  function toRows(data) {
    const index = {};
    data.columns.forEach((name, i) => { index[name] = i; });
    const areas = Object.fromEntries(data.areas.map((a) => [a[0], a[1]]));
    return data.rows.map((r) => ({
      id: r[index.id], name: r[index.name], key: fold(r[index.name]), num: r[index.num], den: r[index.den],
      rate: r[index.rate], figures: r[index.figures], rank: r[index.rank], change: r[index.change],
      changeText: r[index.change_text], status: r[index.status], area: r[index.area],
      areaName: r[index.area] === null ? '' : (areas[r[index.area]] || ''), kind: r[index.kind],
      officials: r[index.officials],
    }));
  }

  function missing(r, col) {
    return (col === 'rank' && r.rank === null) || (col === 'change' && r.change === null) || (col === 'rate' && !r.den);
  }

  function compare(a, b, col, collator) {
    switch (col) {
      case 'name': return collator.compare(a.name, b.name);
      case 'rate': return a.num * b.den - b.num * a.den;
      case 'figures': return a.num - b.num || a.den - b.den;
      case 'status': return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
      case 'area': return collator.compare(a.areaName, b.areaName);
      case 'officials': return a.officials - b.officials;
      case 'change': return a.change - b.change;
      default: return a.rank - b.rank;
    }
  }

  function applyFilters() {
    const f = state.filters;
    const q = fold(f.q);
    const collator = new Intl.Collator(lang === 'vi' ? 'vi' : 'en');
    state.shown = state.rows.filter((r) => {
      if (f.status === 'below_warning' && !(r.status === 'below_warning' || r.status === 'critical')) return false;
      if (f.status && f.status !== 'below_warning' && r.status !== f.status) return false;
      if (f.area && String(r.area) !== f.area) return false;
      if (f.kind && r.kind !== f.kind) return false;
      return !q || r.key.includes(q);
    });
    const { col, dir } = state.sort;
    state.shown.sort((a, b) => (missing(a, col) - missing(b, col))
      || dir * compare(a, b, col, collator) || collator.compare(a.name, b.name));
    drawRows();
  }

  function drawRows() {
    const tbody = document.getElementById('rows');
    if (!tbody) return;
    while (tbody.lastChild) tbody.lastChild.remove();
    const fragment = document.createDocumentFragment();
    for (const r of state.shown.slice(0, state.limit)) {
      const change = r.change === null ? '' : r.changeText;
      fragment.append(el('tr', { 'data-unit': r.id }, [
        el('td', { text: r.rank === null ? '—' : r.rank }),
        el('td', { class: 'name' }, [el('button', { class: 'link', text: r.name, onclick: () => openUnit(r.id) })]),
        el('td', { class: r.status, text: r.rate }),
        el('td', { text: r.figures }),
        el('td', { class: r.change > 0 ? 'up' : r.change < 0 ? 'down' : '', text: change }),
        el('td', { class: 'status ' + r.status, text: ICONS[r.status] + ' ' + (state.data.summary.status_labels[r.status] || '') }),
        el('td', { class: 'area', text: r.areaName }),
        el('td', { text: r.officials }),
      ]));
    }
    tbody.append(fragment);
    document.getElementById('shown').textContent = fmt(T.shown, { shown: count(state.shown.length), total: count(state.rows.length) });
    document.getElementById('more').hidden = state.shown.length <= state.limit;
  }

  function header() {
    return el('tr', {}, COLUMNS.map((c) => {
      const sorted = state.sort.col === c.key ? (state.sort.dir > 0 ? 'ascending' : 'descending') : null;
      return el('th', { class: c.cls || null, 'aria-sort': sorted, scope: 'col' }, [
        el('button', { text: T[c.label], 'data-col': c.key, onclick: () => sortBy(c.key) }),
      ]);
    }));
  }

  function sortBy(col) {
    state.sort = state.sort.col === col ? { col, dir: -state.sort.dir } : { col, dir: 1 };
    const thead = document.getElementById('head');
    thead.replaceChildren(header());
    applyFilters();
  }

  function select(id, label, options, value, onchange, cls) {
    return el('select', { id, class: cls || null, 'aria-label': label, onchange: (e) => onchange(e.target.value) },
      options.map(([v, text]) => el('option', { value: v, selected: String(v) === String(value), text })));
  }

  function workbookActions() {
    const period = state.period ? '?period=' + state.period : '';
    return el('div', { class: 'actions' }, [
      el('button', { text: T.workbook, onclick: async () => {
        const blob = await call('workbook' + period, { blob: true });
        const link = el('a', { href: URL.createObjectURL(blob), download: 'bao-cao.xlsx' });
        document.body.append(link); link.click(); link.remove();
      } }),
      el('button', { text: T.workbook_send, onclick: async () => {
        await call('workbook/send' + period, { method: 'POST' });
        setStatus(T.sent, false);
      } }),
    ]);
  }

  async function loadTable() {
    const params = new URLSearchParams();
    if (state.indicator) params.set('indicator', state.indicator);
    if (state.period) params.set('period', state.period);
    setStatus(T.loading);
    const data = await call('table' + (params.toString() ? '?' + params : ''));
    setStatus('');
    clearMain();
    if (data.empty) { setStatus(T.no_data); return; }
    state.data = data;
    state.indicator = data.indicator.code;
    state.period = data.period.id;
    state.rows = toRows(data);
    state.limit = PAGE;
    const s = data.summary;
    const filters = [['', T.status_all], ['at_target', s.status_labels.at_target],
      ['below_target', s.status_labels.below_target], ['below_warning', s.status_labels.below_warning],
      ['critical', s.status_labels.critical]];
    const controls = el('div', { class: 'controls' }, [
      data.indicators.length > 1 ? select('indicator', T.indicator, data.indicators.map((i) => [i.code, i.name]),
        data.indicator.code, (v) => { state.indicator = v; state.period = null; loadTable().catch(report); }, 'wide') : null,
      select('period', T.period, data.periods.map((p) => [p.id, p.text]), data.period.id,
        (v) => { state.period = v; loadTable().catch(report); }, 'wide'),
      el('input', { id: 'search', type: 'search', class: 'wide', placeholder: T.search, 'aria-label': T.search,
        value: state.filters.q, oninput: (e) => { state.filters.q = e.target.value; state.limit = PAGE; applyFilters(); } }),
      select('status-filter', T.col_status, filters, state.filters.status,
        (v) => { state.filters.status = v; state.limit = PAGE; applyFilters(); }),
      data.areas.length ? select('area-filter', T.col_area, [['', T.area_all], ...data.areas], state.filters.area,
        (v) => { state.filters.area = v; applyFilters(); }) : null,
      data.kinds.length > 1 ? select('kind-filter', T.kind_all, [['', T.kind_all], ...data.kinds], state.filters.kind,
        (v) => { state.filters.kind = v; applyFilters(); }) : null,
    ]);
    main().append(
      el('h2', { text: data.indicator.name }),
      el('div', { class: 'summary' }, [
        el('p', { text: fmt(T.overall, { rate: s.overall, figures: s.figures }) + ' · ' + s.units }),
        el('p', { class: 'hint', text: fmt(T.counts, { warning: data.indicator.warning_text, below: count(s.below_warning),
          critical: data.indicator.critical_text, critical_count: count(s.critical) }) }),
      ]),
      controls,
      el('p', { id: 'shown', class: 'hint' }),
      el('div', { class: 'table-wrap' }, [el('table', { id: 'units' }, [
        el('thead', { id: 'head' }, [header()]), el('tbody', { id: 'rows' }),
      ])]),
      el('button', { id: 'more', text: T.show_more, hidden: true, onclick: () => { state.limit += PAGE; drawRows(); } }),
      workbookActions(),
    );
    applyFilters();
  }

  // --- a unit: chart, lists --------------------------------------------------------------------

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function chart(points, indicator) {
    const W = 340, H = 180, left = 36, right = 30, top = 16, bottom = 26;
    const x = (i) => left + (points.length === 1 ? (W - left - right) / 2 : i * (W - left - right) / (points.length - 1));
    const y = (v) => top + (100 - v) * (H - top - bottom) / 100;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': T.chart_label });
    root.append(svg('title', {}, T.chart_label));
    for (const v of [0, 50, 100]) {
      root.append(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'axis' }));
      root.append(svg('text', { x: 2, y: y(v) + 4 }, v + '%'));
    }
    if (indicator) {
      root.append(svg('line', { x1: left, x2: W - right, y1: y(indicator.warning), y2: y(indicator.warning), class: 'warning' }));
      root.append(svg('line', { x1: left, x2: W - right, y1: y(indicator.critical), y2: y(indicator.critical), class: 'critical' }));
    }
    root.append(svg('polyline', { class: 'line', points: points.map((p, i) => `${x(i)},${y(p.rate)}`).join(' ') }));
    points.forEach((p, i) => {
      const dot = svg('circle', { cx: x(i), cy: y(p.rate), r: 4 });
      dot.append(svg('title', {}, `${p.period}: ${p.rate_text} (${p.figures})`));
      root.append(dot);
      const anchor = points.length > 1 && i === 0 ? 'start' : points.length > 1 && i === points.length - 1 ? 'end' : 'middle';
      root.append(svg('text', { x: x(i), y: H - 8, 'text-anchor': anchor }, p.label));
      root.append(svg('text', { x: x(i), y: Math.max(11, y(p.rate) - 8), 'text-anchor': 'middle', class: 'value' }, p.rate_text));
    });
    return root;
  }

  function list(items, render) {
    if (!items || !items.length) return el('p', { class: 'hint', text: T.none });
    return el('ul', { class: 'list' }, items.map((item) => el('li', {}, render(item))));
  }

  function reportBlock(report) {
    if (!report) return null;
    return el('details', {}, [
      el('summary', { text: fmt(T.report, { receipt: report.receipt }) + (report.late ? ' · ' + T.report_late : '') }),
      el('p', { class: 'hint', text: report.submitted + ' · ' + report.review }),
      report.text ? el('div', { class: 'report-text', text: report.text }) : null,
      report.file_name ? el('button', { text: T.send_file + ' (' + report.file_name + ')', onclick: async () => {
        await call('reports/' + report.id + '/send', { method: 'POST' });
        setStatus(T.sent, false);
      } }) : null,
    ]);
  }

  function figuresBlock(f) {
    if (!f) return el('p', { class: 'hint', text: T.no_data });
    return el('div', { class: 'card', id: 'figures' }, [
      el('p', { class: 'hint', text: f.period.text }),
      el('p', { class: 'big ' + f.status, id: 'rate', text: f.rate }),
      el('p', { text: f.figures + (f.rank ? ' · ' + fmt(T.rank, { rank: f.rank }) : '') }),
      el('p', { class: f.status, text: ICONS[f.status] + ' ' + f.status_text }),
      f.change ? el('p', { text: fmt(T.change, { points: f.change }) }) : null,
      el('p', { text: f.need_warning }),
      el('p', { text: f.need_target }),
    ]);
  }

  function trendBlock(points, indicator) {
    return [
      el('h2', { text: T.trend }),
      points.length >= 2 ? chart(points, indicator) : el('p', { class: 'hint', text: T.trend_single }),
      list(points.slice().reverse(), (p) => [p.period + ': ', el('b', { text: p.rate_text }), ' (' + p.figures + ')' + (p.rank ? ' · ' + fmt(T.rank, { rank: p.rank }) : '')]),
    ];
  }

  function warningItem(w) {
    return [w.at + ' · ' + w.kind, el('br'), el('span', { class: 'hint', text: w.to + ' (' + w.role + ') · ' + w.status })];
  }

  function backButton(onback) {
    if (tg && tg.BackButton) {
      tg.BackButton.show();
      tg.BackButton.onClick(function handler() { tg.BackButton.offClick(handler); tg.BackButton.hide(); onback(); });
    }
    return el('button', { id: 'back', text: T.back, onclick: () => { if (tg && tg.BackButton) tg.BackButton.hide(); onback(); } });
  }

  async function openUnit(id) {
    setStatus(T.loading);
    const params = state.indicator ? '?indicator=' + encodeURIComponent(state.indicator) : '';
    const page = await call('unit/' + id + params);
    clearMain();
    const u = page.unit;
    main().append(
      backButton(() => showTab('units')),
      el('h2', { id: 'unit-name', text: u.name }),
      el('p', { class: 'hint', text: [u.kind, u.area].filter(Boolean).join(' · ') }),
      figuresBlock(page.figures),
      ...trendBlock(page.trend, page.indicator),
      el('h2', { text: T.officials }),
      list(page.officials, (o) => [o.name + ' (' + o.role + ')' + (o.username ? ' @' + o.username : ''), el('br'),
        el('span', { class: o.reachable ? 'hint' : 'down', text: o.reachable ? T.reachable : fmt(T.unreachable, { reason: o.reason }) })]),
      el('h2', { text: T.warnings }),
      list(page.warnings, warningItem),
      el('h2', { text: T.deadlines }),
      list(page.deadlines, (d) => [el('b', { text: d.title }), el('br'),
        el('span', { class: 'hint', text: d.due + ' · ' + d.left }), el('br'),
        el('span', { class: d.state === 'missing' ? 'down' : 'up', text: d.state_text + (d.acknowledged ? ' · ' + T.acknowledged_mark : '') }),
        reportBlock(d.report)]),
      el('h2', { text: T.acknowledgements }),
      list(page.acknowledgements, (a) => [a.subject, el('br'), el('span', { class: 'hint', text: a.who + ' · ' + a.at })]),
    );
    window.scrollTo(0, 0);
  }

  // --- an official's card ----------------------------------------------------------------------

  async function showCard() {
    setStatus(T.loading);
    const c = await call('card');
    clearMain();
    main().append(
      el('h2', { id: 'unit-name', text: c.unit.name }),
      c.indicator ? el('p', { class: 'hint', text: c.indicator.name }) : null,
      figuresBlock(c.figures),
      c.figures && c.figures.what_to_do ? el('div', { class: 'card', id: 'todo' }, [el('p', { text: c.figures.what_to_do })]) : null,
      ...trendBlock(c.trend, c.indicator),
      el('h2', { text: T.open_deadlines }),
      list(c.deadlines, (d) => [el('b', { text: d.title }), el('br'),
        el('span', { class: 'hint', text: d.due + ' · ' + d.left }),
        d.owed ? el('p', { text: d.owed }) : null, el('p', { text: d.todo }), reportBlock(d.report)]),
      el('h2', { text: T.my_warnings }),
      list(c.warnings, warningItem),
    );
  }

  // --- boards ----------------------------------------------------------------------------------

  async function showDeadlines() {
    setStatus(T.loading);
    const data = await call('deadlines');
    clearMain();
    main().append(el('h2', { text: T.tab_deadlines }), list(data.deadlines, (d) => [
      el('b', { text: d.title }), el('br'),
      el('span', { class: 'hint', text: d.kind + ' · ' + d.due + ' · ' + d.left }), el('br'),
      el('span', { class: 'hint', text: d.audience }),
      el('div', { class: 'counts' }, [
        el('span', { class: 'pill up', text: '✅ ' + T.on_time + ' ' + count(d.counts.on_time) }),
        el('span', { class: 'pill below_warning', text: '⏰ ' + T.late + ' ' + count(d.counts.late) }),
        el('span', { class: 'pill down', text: '❌ ' + T.missing + ' ' + count(d.counts.missing) }),
      ]),
      el('details', {}, [el('summary', { text: T.col_name }), list(d.units, (u) => [
        el('button', { class: 'link', text: u.name, onclick: () => openUnit(u.unit_id) }), ' — ',
        el('span', { class: u.state === 'missing' ? 'down' : 'up', text: u.state_text }),
        u.figures ? ' (' + u.figures + ')' : '', u.acknowledged ? ' · ' + T.acknowledged_mark : '',
        reportBlock(u.report)])]),
    ]));
  }

  async function showBroadcasts() {
    setStatus(T.loading);
    const data = await call('broadcasts');
    clearMain();
    main().append(el('h2', { text: T.tab_broadcasts }), list(data.broadcasts, (b) => [
      el('span', { class: 'hint', text: '#' + b.id + ' · ' + b.at }),
      el('p', { text: b.text }),
      el('div', { class: 'counts' }, [
        el('span', { class: 'pill up', text: T.delivered + ' ' + count(b.delivered) + '/' + count(b.recipients) }),
        el('span', { class: 'pill', text: T.acknowledged + ' ' + count(b.acknowledged) }),
        b.unreachable ? el('span', { class: 'pill down', text: T.unreachable_count + ' ' + count(b.unreachable) }) : null,
        b.failed ? el('span', { class: 'pill down', text: T.failed + ' ' + count(b.failed) }) : null,
        b.pending ? el('span', { class: 'pill', text: T.pending + ' ' + count(b.pending) }) : null,
      ]),
      el('p', { text: fmt(T.units_ack, { done: count(b.units_acknowledged), total: count(b.units) }) }),
      b.not_acknowledged.length ? el('details', {}, [el('summary', { text: T.not_ack }),
        list(b.not_acknowledged, (name) => [name])]) : null,
    ]));
  }

  function showTab(tab) {
    state.tab = tab;
    for (const button of document.querySelectorAll('#tabs button')) {
      button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    }
    const run = tab === 'deadlines' ? showDeadlines : tab === 'broadcasts' ? showBroadcasts : loadTable;
    run().catch(report);
  }

  function tabs() {
    const nav = document.getElementById('tabs');
    nav.replaceChildren(...[['units', T.tab_units], ['deadlines', T.tab_deadlines], ['broadcasts', T.tab_broadcasts]]
      .map(([tab, label]) => el('button', { 'data-tab': tab, role: 'tab', text: label, onclick: () => showTab(tab) })));
    nav.hidden = false;
  }

  function report(error) {
    if (!error || !error.shown) setStatus(T.network_error, true);
  }

  async function start() {
    const launch = readLaunch();
    let hint = navigator.language || 'vi';
    if (tg && tg.initDataUnsafe && tg.initDataUnsafe.user) hint = tg.initDataUnsafe.user.language_code || hint;
    setLanguage(hint.slice(0, 2));
    if (tg) { tg.ready(); tg.expand(); tg.onEvent('themeChanged', () => applyTheme(tg.themeParams, tg.colorScheme)); }
    state.auth = await authenticate(launch);
    state.me = await call('me');
    setLanguage(state.me.language);
    const who = document.getElementById('who');
    if (state.me.role === 'secretariat') {
      tabs();
      showTab('units');
    } else if (state.me.role === 'official') {
      who.textContent = state.me.unit.name;
      await showCard();
    } else {
      clearMain();
      main().append(el('h2', { text: T.stranger_title }), el('p', { id: 'stranger', text: state.me.message }));
    }
  }

  start().catch(report);
})();
