// The analyst console: a small single-page app on the same API as everyone else.
// No build step and no third-party code: ES modules, fetch, and SVG for the chart.
// The vocabulary (ICD 203 bands, Admiralty scales, report formats) is the service's own
// modules, compiled with it and served at /vocabulary/: one table for both.
import { ESTIMATIVE_TERMS, estimativeTerm } from '/vocabulary/estimative.js';
import { credibilityLabel, INFORMATION_CREDIBILITY, SOURCE_RELIABILITY } from '/vocabulary/admiralty.js';
import { day, percent } from '/vocabulary/display.js';
import { REPORT_FORMATS } from '/vocabulary/report-formats.js';
import { ALERT_TRIGGERS, WATCH_TRIGGERS } from '/vocabulary/alerts.js';

const view = document.getElementById('view');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');

const esc = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// --- session -------------------------------------------------------------------------
const session = {
  get: () => JSON.parse(sessionStorage.getItem('claimtrack') ?? 'null'),
  set: (value) => sessionStorage.setItem('claimtrack', JSON.stringify(value)),
  clear: () => sessionStorage.removeItem('claimtrack'),
};
const canWrite = () => ['analyst', 'admin'].includes(session.get()?.user.role);
const isAdmin = () => session.get()?.user.role === 'admin';

/**
 * A new access token from the session cookie (HttpOnly: this script never sees the refresh
 * token), so an expired token, a reload or a new tab carries on signed in.
 */
async function resumeSession() {
  const res = await fetch('/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) return false;
  session.set(await res.json());
  return true;
}

/**
 * Calls the API with the session's token, refreshing it once when it has expired. JSON
 * answers come back parsed, anything else (or everything, with `file`) as a Blob.
 */
async function api(path, { method = 'GET', body, form, retry = true, file = false } = {}) {
  const current = session.get();
  const res = await fetch(path, {
    // A page's reads end when the analyst moves on, so a slow page never paints over the next one.
    signal: method === 'GET' && !file ? navigation.signal : undefined,
    method,
    // A form (an uploaded document) is sent as multipart; the browser writes its boundary.
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(current ? { authorization: `Bearer ${current.accessToken}` } : {}) },
    body: form ?? (body ? JSON.stringify(body) : undefined),
  });
  if (res.status === 401 && current && retry) {
    if (await resumeSession()) return api(path, { method, body, form, retry: false, file });
    session.clear();
    route();
  }
  const type = res.headers.get('content-type') ?? '';
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  return { status: res.status, ok: res.ok, filename, body: type.includes('json') && !(file && res.ok) ? await res.json() : await res.blob() };
}

/** Moves the keyboard focus to what was just made, so the next Tab starts there. */
function focusOn(element) {
  if (!element) return;
  if (!element.hasAttribute('tabindex') && !element.matches('a, button, input, select, textarea')) element.setAttribute('tabindex', '-1');
  element.focus();
}

/** Says what just happened, visibly and to screen readers (the status region is aria-live). */
function announce(message, kind = 'ok') {
  const status = document.getElementById('notice');
  status.className = kind === 'error' ? 'error' : 'notice';
  status.textContent = message;
}

function problemText(body) {
  if (!body || typeof body !== 'object') return 'Something went wrong.';
  const detail = body.detail ?? body.title;
  // A field's message is often the detail already (a 422 names one field): say it once.
  const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.messages.join(', ')}`).filter((text) => !detail.includes(text));
  return [detail, ...fields].join(' — ');
}

// --- routing -------------------------------------------------------------------------
let resumed = false;
let navigation = new AbortController();

/** The list as it was left (its address, rows shown, scroll), to come back to the same place. */
let listLeft;
let shownHash = '';

async function route() {
  const rows = view.querySelectorAll('#claims tbody tr').length;
  if (rows) listLeft = { hash: shownHash, rows, scrollY: window.scrollY, opened: document.activeElement?.getAttribute('href') };
  shownHash = location.hash;
  navigation.abort();
  navigation = new AbortController();
  try {
    await show();
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
  }
}

async function show() {
  announce('');
  // A new tab or a reload: pick up the session the cookie holds, once, before asking to sign in.
  if (!session.get() && !resumed) {
    resumed = true;
    await resumeSession();
  }
  const current = session.get();
  signOutButton.hidden = !current;
  who.textContent = current ? `${current.user.name} (${current.user.role})` : '';
  document.getElementById('inbox-link').hidden = !current;
  if (!current) return renderSignIn();
  void showUnread();
  const match = /^#\/claims\/([0-9a-f-]{36})(?:\?asOf=(\d{4}-\d{2}-\d{2}))?$/.exec(location.hash);
  const question = /^#\/questions\/([0-9a-f-]{36})$/.exec(location.hash);
  const audit = /^#\/claims\/([0-9a-f-]{36})\/audit$/.exec(location.hash);
  const source = /^#\/sources\/([0-9a-f-]{36})$/.exec(location.hash);
  if (audit) await renderClaimAudit(audit[1]);
  else if (source) await renderSource(source[1]);
  else if (location.hash === '#/sources') await renderSources();
  else if (match) await renderClaim(match[1], match[2]);
  else if (question) await renderQuestion(question[1]);
  else if (location.hash === '#/questions') await renderQuestions();
  else if (location.hash === '#/calibration') await renderCalibration();
  else if (location.hash === '#/inbox') await renderInbox();
  else if (location.hash === '#/alerts') await renderAlertRules();
  else {
    listStateFromAddress();
    await renderList();
  }
  // A new page: its title names it, and the keyboard starts at its heading.
  const heading = view.querySelector('h1');
  document.title = heading ? `${heading.textContent} — Claimtrack` : 'Claimtrack';
  focusOn(heading);
  if (noticeAfterNavigation) announce(noticeAfterNavigation);
  noticeAfterNavigation = '';
}

/** What to announce once the page navigated to has been shown (a new claim, say). */
let noticeAfterNavigation = '';
window.addEventListener('hashchange', route);
document.getElementById('skip').addEventListener('click', (event) => {
  event.preventDefault();
  view.focus();
});

// Keyboard shortcuts (? lists them), except while typing.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest('input, textarea, select, dialog')) return;
  const links = [...view.querySelectorAll('#claims tbody a')];
  const at = links.indexOf(document.activeElement);
  const act = {
    '/': () => focusOn(view.querySelector('#q')),
    j: () => focusOn(links[Math.min(at + 1, links.length - 1)]),
    k: () => focusOn(links[Math.max(at - 1, 0)]),
    a: () => focusOn(view.querySelector('#probability')),
    '?': () => document.getElementById('help').showModal(),
  }[event.key];
  if (!act) return;
  event.preventDefault();
  act();
});
signOutButton.addEventListener('click', async () => {
  if (session.get()) await api('/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  session.clear();
  location.hash = '#/';
  route();
});

// --- sign in -------------------------------------------------------------------------
function renderSignIn() {
  view.innerHTML = `
    <h1>Sign in</h1>
    <form id="sign-in" class="card" style="max-width: 24rem">
      <label for="email">Email</label><input id="email" type="email" autocomplete="username" required />
      <label for="password">Password</label><input id="password" type="password" autocomplete="current-password" required />
      <p id="sign-in-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Sign in</button>
    </form>`;
  view.querySelector('#sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    const res = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: view.querySelector('#email').value, password: view.querySelector('#password').value, session: 'cookie' }),
    });
    const body = await res.json();
    if (!res.ok) {
      view.querySelector('#sign-in-error').textContent = problemText(body);
      return;
    }
    session.set(body);
    route();
  });
  view.querySelector('#email').focus();
}

// --- claims list ---------------------------------------------------------------------
/** The list's filters and order, kept in the address (`#/?q=…&sort=…`) so a view can be bookmarked and shared. */
const LIST_DEFAULTS = { q: '', topic: '', status: '', entity: '', dissent: '', teamGap: '', reviewDue: '', watched: '', sort: '-updatedAt', asOf: '' };

/** A day chosen in a date field, as the moment the API reads: the end of that day (UTC). */
const endOfDay = (date) => (date ? `${date}T23:59:59.999Z` : '');
let listState = { ...LIST_DEFAULTS };

function listStateFromAddress() {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  listState = Object.fromEntries(Object.entries(LIST_DEFAULTS).map(([key, fallback]) => [key, query.get(key) ?? fallback]));
}

const PAGE_SIZE = 50;

/** The change since the analyst last looked, in points of probability: "▲ 12 pts". */
function movement(before, after) {
  if (!before || before.probability === null || after.probability === null) return '';
  const points = Math.round((after.probability - before.probability) * 100);
  return points > 0 ? `▲ ${points} pts` : points < 0 ? `▼ ${-points} pts` : '';
}

/**
 * A row of the list. `changed` is what others did since the analyst last looked (from
 * /users/me/changes), `confidence` the evidence-weighted view (from /confidence?ids=).
 */
const listRow = (c, changed, confidence) => `<tr${changed ? ' class="changed"' : ''}>
  <td><a href="#/claims/${c.id}">${esc(c.statement)}</a>${changed ? ` <span class="new" title="changed by ${esc(changed.changedBy.join(', '))} since you last looked">new${movement(changed.before, changed.after) ? ` ${movement(changed.before, changed.after)}` : ''}</span>` : ''}</td>
  <td data-label="Judgement">${c.assessment ? `<span class="term">${esc(c.assessment.estimativeTerm)}</span> (${percent(c.assessment.probability)})` : '<span class="meta">not assessed</span>'}${
    confidence?.gap ? `<br /><span class="gap evidence-gap" title="${esc(confidence.gap)}">⚠ evidence: ${esc(confidence.evidenceTerm)}</span>` : ''
  }${confidence?.team.dissent ? '<br /><span class="gap dissent-mark">⚑ team dissent</span>' : ''}${
    confidence?.team.gap ? `<br /><span class="gap" title="${esc(confidence.team.gap)}">⚠ team: ${esc(confidence.team.estimativeTerm)}</span>` : ''
  }</td>
  <td data-label="Confidence">${esc(c.assessment?.confidence ?? '')}</td>
  <td data-label="Evidence">${c.evidenceCounts.supports} for · ${c.evidenceCounts.contradicts} against</td>
  <td data-label="Status">${esc(c.status.replace('_', ' '))}</td>
  <td data-label="Last change">${day(c.updatedAt)}</td>
</tr>`;

/** Rows of claims, each with what changed since the analyst's last look and the evidence's view (today's only). */
async function listRows(claims, changed, asOf) {
  const ids = claims.map((c) => c.id);
  const confidence = !asOf && ids.length ? await api(`/confidence?${new URLSearchParams({ ids: ids.join(','), limit: String(ids.length) })}`) : undefined;
  const byId = new Map((confidence?.ok ? confidence.body.items : []).map((item) => [item.claimId, item]));
  return claims.map((c) => listRow(c, changed.get(c.id), byId.get(c.id))).join('');
}

/** "Since you last looked": what colleagues changed, then → now, and who. */
function sinceLastLooked(changes, watched) {
  const shown = 10;
  // Watched claims first: what the analyst asked to follow.
  changes = { ...changes, items: [...changes.items].sort((a, b) => Number(watched.has(b.claimId)) - Number(watched.has(a.claimId))) };
  const item = (change) => {
    const { before, after } = change;
    const judgement = (v) => (v?.probability == null ? 'not assessed' : `${esc(v.estimativeTerm)} (${percent(v.probability)})`);
    const moves = [
      !before ? 'new claim' : before.version !== after.version ? `judgement ${judgement(before)} → ${judgement(after)}` : '',
      before && Math.round(before.evidenceProbability * 1000) !== Math.round(after.evidenceProbability * 1000)
        ? `evidence ${percent(before.evidenceProbability)} → ${percent(after.evidenceProbability)}`
        : '',
      before && (before.supportingEvidence !== after.supportingEvidence || before.contradictingEvidence !== after.contradictingEvidence)
        ? `items ${before.supportingEvidence} for · ${before.contradictingEvidence} against → ${after.supportingEvidence} for · ${after.contradictingEvidence} against`
        : '',
    ].filter(Boolean);
    return `<li>${watched.has(change.claimId) ? '<span class="watched" title="you watch this claim">★ watched</span> ' : ''}<a href="#/claims/${change.claimId}">${esc(change.statement)}</a> ${movement(before, after) ? `<strong>${movement(before, after)}</strong>` : ''}
      <div class="meta">${moves.join(' · ') || `${esc(change.kinds.join(', '))} changed`} — ${change.changes} change(s) by ${esc(change.changedBy.join(', '))}, last ${day(change.lastChangeAt)}</div></li>`;
  };
  return `<section id="since" class="card" aria-labelledby="since-title">
    <h2 id="since-title">Since you last looked (${changes.total})</h2>
    ${
      changes.total
        ? `<ul id="since-list">${changes.items.slice(0, shown).map(item).join('')}</ul>
           ${changes.items.length > shown ? `<ul id="since-more" hidden>${changes.items.slice(shown).map(item).join('')}</ul><button id="since-all" class="secondary" type="button">Show all ${changes.items.length}</button>` : ''}
           <button id="seen-all" class="secondary" type="button">Mark all as seen</button>`
        : '<p class="meta">Nothing new: no one else has changed a claim since you last looked at it.</p>'
    }
  </section>`;
}

async function renderList() {
  // Probability, dissent and gap sorts use today's judgements: in the past, claims come in order of change.
  const sort = listState.asOf && !['-updatedAt', 'updatedAt', '-createdAt', 'createdAt'].includes(listState.sort) ? '-updatedAt' : listState.sort;
  // Back from a claim: as many rows as were shown, so the scroll position means the same.
  const back = listLeft?.hash === location.hash ? listLeft : undefined;
  const first = String(Math.min(500, Math.max(PAGE_SIZE, back?.rows ?? 0)));
  const watching = watchRules().then((rules) => [...new Set(rules.flatMap((rule) => rule.claimIds))]);
  // "Watched": the claims the analyst's rules name (the API filters by ids; none watched, none shown).
  const { watched, ...filters } = listState;
  const ids = watched ? { ids: (await watching).join(',') || '00000000-0000-4000-8000-000000000000' } : {};
  const params = new URLSearchParams(Object.entries({ ...filters, ...ids, sort, asOf: endOfDay(listState.asOf), limit: String(PAGE_SIZE) }).filter(([, v]) => v));
  const [res, changes, watchedIds] = await Promise.all([api(`/claims?${new URLSearchParams({ ...Object.fromEntries(params), limit: first })}`), api('/users/me/changes?limit=200'), watching]);
  if (!res.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(res.body))}</p>`;
    return;
  }
  const changed = new Map((changes.ok ? changes.body.items : []).map((change) => [change.claimId, change]));
  const filtered = Object.entries(LIST_DEFAULTS).some(([key, fallback]) => listState[key] !== fallback);
  const rows = await listRows(res.body.items, changed, listState.asOf);
  const statuses = ['', 'open', 'supported', 'disputed', 'refuted', 'resolved_true', 'resolved_false', 'annulled'];
  view.innerHTML = `
    <h1>Claims${listState.asOf ? ` as of ${esc(listState.asOf)}` : ''}</h1>
    <form id="filters" class="card filters" role="search">
      <div><label for="q">Search</label><input id="q" type="search" value="${esc(listState.q)}" /></div>
      <div><label for="topic">Topic</label><input id="topic" type="text" value="${esc(listState.topic)}" /></div>
      <div><label for="entity">Entity</label><input id="entity" type="text" value="${esc(listState.entity)}" /></div>
      <div><label for="status">Status</label><select id="status">${statuses
        .map((s) => `<option value="${s}" ${s === listState.status ? 'selected' : ''}>${s ? esc(s.replace('_', ' ')) : 'any'}</option>`)
        .join('')}</select></div>
      <div><label for="sort">Sort by</label><select id="sort">${[
        ['-updatedAt', 'recent change'],
        ['-probability', 'probability, highest first'],
        ['probability', 'probability, lowest first'],
        ['-dissent', 'team dissent, widest first'],
        ['-teamGap', 'record–team gap, widest first'],
      ]
        .map(([v, label]) => `<option value="${v}" ${v === listState.sort ? 'selected' : ''}>${label}</option>`)
        .join('')}</select></div>
      <div class="checks"><label><input id="dissent" type="checkbox" value="true" ${listState.dissent ? 'checked' : ''} /> Team dissent</label>
        <label><input id="teamGap" type="checkbox" value="true" ${listState.teamGap ? 'checked' : ''} /> Record–team gap</label>
        <label><input id="reviewDue" type="checkbox" value="true" ${listState.reviewDue ? 'checked' : ''} /> Due for review</label>
        <label><input id="watched" type="checkbox" value="true" ${listState.watched ? 'checked' : ''} /> Watched</label></div>
      <div><label for="asOf">As of</label><input id="asOf" type="date" value="${esc(listState.asOf)}" /></div>
      <div><button class="primary" type="submit">Apply</button></div>
    </form>
    ${listState.q || listState.topic || listState.entity ? `<p><button id="watch-search" class="secondary" type="button">Watch this search</button></p>` : ''}
    ${changes.ok && !filtered ? sinceLastLooked(changes.body, new Set(watchedIds)) : ''}
    ${exportButtons()}
    ${canWrite() && !listState.asOf ? newClaimForm() : ''}
    <p class="meta" id="shown">${res.body.total} claim(s)</p>
    <table id="claims" class="stack">
      <thead><tr><th scope="col">Statement</th><th scope="col">Judgement</th><th scope="col">Confidence</th><th scope="col">Evidence</th><th scope="col">Status</th><th scope="col">Last change</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    <p><button id="more" class="secondary" type="button" ${res.body.nextCursor ? '' : 'hidden'}>Show ${PAGE_SIZE} more</button></p>`;
  // The next pages, each after the cursor of the last: the rows already shown stay where they are.
  let cursor = res.body.nextCursor;
  let shown = res.body.items.length;
  const showing = () => (view.querySelector('#shown').textContent = `${shown} of ${res.body.total} claim(s)`);
  if (cursor) showing();
  if (back) {
    listLeft = undefined;
    requestAnimationFrame(() => {
      window.scrollTo(0, back.scrollY);
      view.querySelector(`#claims a[href="${back.opened}"]`)?.focus({ preventScroll: true });
    });
  }
  view.querySelector('#more').addEventListener('click', async () => {
    const next = await api(`/claims?${new URLSearchParams({ ...Object.fromEntries(params), cursor })}`);
    if (!next.ok) return announce(problemText(next.body), 'error');
    view.querySelector('#claims tbody').insertAdjacentHTML('beforeend', await listRows(next.body.items, changed, listState.asOf));
    shown += next.body.items.length;
    cursor = next.body.nextCursor;
    view.querySelector('#more').hidden = !cursor;
    showing();
    view.querySelectorAll('#claims tbody a')[shown - next.body.items.length]?.focus();
  });
  view.querySelector('#watch-search')?.addEventListener('click', async () => {
    const label = [listState.q && `“${listState.q}”`, listState.topic && `topic ${listState.topic}`, listState.entity && `entity ${listState.entity}`].filter(Boolean).join(', ');
    const made = await api('/alert-rules', {
      method: 'POST',
      body: { name: `Search: ${label}`.slice(0, 200), events: WATCH_TRIGGERS, ...(listState.q ? { search: listState.q } : {}), ...(listState.topic ? { topic: listState.topic } : {}), ...(listState.entity ? { entity: listState.entity } : {}) },
    });
    if (!made.ok) return announce(problemText(made.body), 'error');
    announce(`Watching ${label}: what happens to these claims comes to your inbox.`);
  });
  view.querySelector('#since-all')?.addEventListener('click', (event) => {
    view.querySelector('#since-more').hidden = false;
    event.target.remove();
    focusOn(view.querySelector('#since-more a'));
  });
  view.querySelector('#seen-all')?.addEventListener('click', async () => {
    const done = await api('/users/me/visits', { method: 'PUT' });
    if (!done.ok) return announce(problemText(done.body), 'error');
    await renderList();
    announce('All marked as seen: only changes made from now on will show here.');
    focusOn(view.querySelector('#since-title'));
  });
  view.querySelector('#new-claim')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const list = (id) => view.querySelector(id).value.split(',').map((x) => x.trim()).filter(Boolean);
    const res = await api('/claims', { method: 'POST', body: { statement: view.querySelector('#new-statement').value, topics: list('#new-topics'), entities: list('#new-entities') } });
    const error = view.querySelector('#new-claim-error');
    if (res.status === 409 && res.body.existingId) {
      error.innerHTML = `This claim is tracked already: <a href="#/claims/${esc(res.body.existingId)}">open it</a>.`;
      return focusOn(error.querySelector('a'));
    }
    if (!res.ok) return void (error.textContent = problemText(res.body));
    noticeAfterNavigation = 'Claim recorded. Add where it appears, the evidence, and your assessment.';
    location.hash = `#/claims/${res.body.id}`;
  });
  view.querySelector('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const valueOf = (input) => (input.type === 'checkbox' ? (input.checked ? 'true' : '') : input.value.trim());
    const chosen = Object.keys(LIST_DEFAULTS).map((key) => [key, valueOf(view.querySelector(`#${key}`))]).filter(([key, value]) => value && value !== LIST_DEFAULTS[key]);
    location.hash = chosen.length ? `#/?${new URLSearchParams(chosen)}` : '#/';
  });
  bindExports();
}

function newClaimForm() {
  return `<details class="card"><summary>New claim</summary>
    <form id="new-claim" aria-label="New claim">
      <label for="new-statement">Statement</label><textarea id="new-statement" required></textarea>
      <label for="new-topics">Topics (comma-separated)</label><input id="new-topics" type="text" />
      <label for="new-entities">Entities (comma-separated)</label><input id="new-entities" type="text" />
      <p id="new-claim-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Record claim</button>
    </form></details>`;
}

function exportButtons() {
  return `<div class="exports" aria-label="Export the claims report">${Object.entries(REPORT_FORMATS)
    .map(([format, { label }]) => `<button class="secondary" type="button" data-export="${format}">Export ${label}</button>`)
    .join('')}</div>`;
}

/**
 * Each export is a link the browser follows with a one-minute token: it writes the file to
 * disk as the service streams it, so a report of any size never sits in page memory.
 */
function bindExports() {
  for (const button of view.querySelectorAll('[data-export]')) {
    button.addEventListener('click', async () => {
      const issued = await api('/reports/claims/tokens', { method: 'POST', body: {} });
      if (!issued.ok) return announce(problemText(issued.body), 'error');
      const { label } = REPORT_FORMATS[button.dataset.export];
      const filters = Object.entries({ ...listState, asOf: endOfDay(listState.asOf), format: button.dataset.export }).filter(([k, v]) => v && k !== 'sort');
      const link = Object.assign(document.createElement('a'), { href: `${issued.body.url}&${new URLSearchParams(filters)}`, download: '' });
      link.click();
      announce(`Exporting ${label}: your browser saves the file as it arrives.`);
    });
  }
}

// --- questions (Analysis of Competing Hypotheses) -------------------------------------
async function renderQuestions() {
  const res = await api('/questions?limit=500');
  view.innerHTML = `<h1>Questions</h1>
    <p class="meta">Each question weighs competing hypotheses (mutually exclusive claims) against the evidence: Analysis of Competing Hypotheses.</p>
    <ul id="questions">${res.body.items.map((q) => `<li><a href="#/questions/${q.id}">${esc(q.title)}</a></li>`).join('') || '<li class="meta">No questions yet.</li>'}</ul>
    ${canWrite() ? newQuestionForm() : ''}`;
  const form = view.querySelector('#new-question');
  if (!form) return;
  /** The hypotheses chosen so far, in the order chosen (the matrix's column order). */
  const chosen = new Map();
  const showChosen = () => {
    view.querySelector('#chosen').innerHTML =
      [...chosen]
        .map(([id, statement]) => `<li>${esc(statement)} <button class="secondary" type="button" data-unchoose="${id}" aria-label="Remove hypothesis: ${esc(statement)}">Remove</button></li>`)
        .join('') || '<li class="meta">None yet: search for claims and add at least two.</li>';
  };
  showChosen();
  view.querySelector('#hypothesis-search').addEventListener('click', async () => {
    const q = view.querySelector('#hypothesis-q').value.trim();
    const found = await api(`/claims?${new URLSearchParams({ ...(q ? { q } : {}), limit: '20' })}`);
    if (!found.ok) return void (view.querySelector('#question-error').textContent = problemText(found.body));
    view.querySelector('#found').innerHTML =
      found.body.items.map((c) => `<li>${esc(c.statement)} <button class="secondary" type="button" data-choose="${c.id}" data-statement="${esc(c.statement)}" aria-label="Add hypothesis: ${esc(c.statement)}" ${chosen.has(c.id) ? 'disabled' : ''}>Add</button></li>`).join('') ||
      '<li class="meta">No claim matches.</li>';
    focusOn(view.querySelector('#found button') ?? view.querySelector('#found li'));
  });
  form.addEventListener('click', (event) => {
    const add = event.target.closest('[data-choose]');
    const remove = event.target.closest('[data-unchoose]');
    if (add) {
      chosen.set(add.dataset.choose, add.dataset.statement);
      add.disabled = true;
    }
    if (remove) chosen.delete(remove.dataset.unchoose);
    if (add || remove) {
      showChosen();
      announce(`${chosen.size} hypothesis(es) chosen.`);
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const description = view.querySelector('#question-description').value.trim();
    const created = await api('/questions', {
      method: 'POST',
      body: { title: view.querySelector('#question-title').value, ...(description ? { description } : {}), hypothesisIds: [...chosen.keys()] },
    });
    if (!created.ok) return void (view.querySelector('#question-error').textContent = problemText(created.body));
    noticeAfterNavigation = 'Question posed. Rate each item of evidence against each hypothesis.';
    location.hash = `#/questions/${created.body.id}`;
  });
}

function newQuestionForm() {
  return `<form id="new-question" class="card" aria-labelledby="new-question-title">
    <h2 id="new-question-title">Pose a question</h2>
    <label for="question-title">Question</label><input id="question-title" type="text" required />
    <label for="question-description">Description (optional)</label><textarea id="question-description"></textarea>
    <fieldset><legend>Competing hypotheses (claims that cannot all be true)</legend>
      <label for="hypothesis-q">Find claims</label>
      <div class="inline"><input id="hypothesis-q" type="search" /><button id="hypothesis-search" class="secondary" type="button">Search</button></div>
      <ul id="found" aria-label="Claims found"></ul>
      <p><strong>Chosen:</strong></p><ul id="chosen" aria-live="polite"></ul>
    </fieldset>
    <p id="question-error" class="error" role="alert"></p>
    <button class="primary" type="submit">Pose question</button>
  </form>`;
}

/** The sources, by title, with their Admiralty grade. */
async function renderSources() {
  const res = await api('/sources?limit=500&sort=title');
  view.innerHTML = `<h1>Sources</h1>
    ${canWrite() ? importForm() : ''}
    <table id="sources" class="stack"><thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Outlet</th><th scope="col">Published</th><th scope="col">Reliability</th></tr></thead>
    <tbody>${res.body.items
      .map(
        (s) =>
          `<tr><td><a href="#/sources/${s.id}">${esc(s.title)}</a></td><td data-label="Kind">${esc(s.kind.replace('_', ' '))}</td><td data-label="Outlet">${esc(s.outlet ?? '')}</td>` +
          `<td data-label="Published">${esc(s.publishedOn ?? '')}</td><td data-label="Reliability">${esc(s.reliability)} (${esc(SOURCE_RELIABILITY[s.reliability].label)})</td></tr>`,
      )
      .join('')}</tbody></table>`;
  if (canWrite()) bindImport();
}

/** Bringing a document in: drop it (or choose it), check what its metadata proposes, import. */
function importForm() {
  return `<section class="card" aria-labelledby="import-title"><h2 id="import-title">Import a document</h2>
    <div id="drop-zone" class="drop-zone"><p>Drop an HTML page, a PDF, a text or Markdown file here, or</p>
      <label for="import-file">choose a file</label> <input id="import-file" type="file" accept=".html,.htm,.pdf,.txt,.md,text/html,application/pdf,text/plain,text/markdown" /></div>
    <form id="import-details" hidden aria-label="Confirm the document's details">
      <p id="import-summary" class="meta"></p>
      <label for="import-title-input">Title</label><input id="import-title-input" type="text" required />
      <label for="import-outlet">Outlet</label><input id="import-outlet" type="text" />
      <label for="import-author">Author</label><input id="import-author" type="text" />
      <label for="import-published">Published (YYYY, YYYY-MM or YYYY-MM-DD)</label><input id="import-published" type="text" pattern="\\d{4}(-\\d{2}(-\\d{2})?)?" />
      <label for="import-language">Language</label><input id="import-language" type="text" />
      <label for="import-reliability">Reliability (Admiralty)</label><select id="import-reliability">${Object.entries(SOURCE_RELIABILITY)
        .map(([grade, { label }]) => `<option value="${grade}" ${grade === 'F' ? 'selected' : ''}>${grade} — ${esc(label)}</option>`)
        .join('')}</select>
      <button class="primary" type="submit">Import</button>
    </form>
    <p id="import-error" class="error" role="alert"></p></section>`;
}

function bindImport() {
  const zone = view.querySelector('#drop-zone');
  const input = view.querySelector('#import-file');
  const details = view.querySelector('#import-details');
  const error = view.querySelector('#import-error');
  let chosen;
  const upload = (path, fields = {}) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
    form.append('file', chosen);
    return api(path, { method: 'POST', form });
  };
  const choose = async (file) => {
    chosen = file;
    error.textContent = '';
    const res = await upload('/sources/import/preview');
    if (!res.ok) return void (error.textContent = problemText(res.body));
    const { proposed, file: info, text, existingSourceId } = res.body;
    if (existingSourceId) return void (location.hash = `#/sources/${existingSourceId}`);
    for (const [field, id] of [['title', 'import-title-input'], ['outlet', 'import-outlet'], ['author', 'import-author'], ['publishedOn', 'import-published'], ['language', 'import-language']]) {
      view.querySelector(`#${id}`).value = proposed[field] ?? '';
    }
    view.querySelector('#import-summary').textContent = `${info.filename}: ${info.mediaType}, ${text.length.toLocaleString()} characters of text. Check what its metadata proposes.`;
    details.hidden = false;
    focusOn(view.querySelector('#import-title-input'));
  };
  input.addEventListener('change', () => input.files[0] && choose(input.files[0]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer.files[0]) choose(event.dataTransfer.files[0]);
  });
  details.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (id) => view.querySelector(`#${id}`).value.trim();
    const res = await upload('/sources/import', {
      title: value('import-title-input'), outlet: value('import-outlet'), author: value('import-author'), publishedOn: value('import-published'),
      language: value('import-language'), reliability: value('import-reliability'),
    });
    if (!res.ok) return void (error.textContent = problemText(res.body));
    location.hash = `#/sources/${res.body.id}`;
    announce(res.body.duplicate ? 'This file was imported before: here is its source.' : `Imported "${res.body.title}". Select a passage to quote it.`);
  });
}

/** A source: its text, its grade and how it was graded over time, the claims it bears on; analysts regrade it here. */
async function renderSource(id) {
  const [source, claims, grades, quotes, suggestions] = await Promise.all([
    api(`/sources/${id}`),
    api(`/claims?source=${id}&limit=500`),
    api(`/audit?entityId=${id}&limit=500`),
    api(`/sources/${id}/quotes`),
    api(`/sources/${id}/claim-suggestions`),
  ]);
  if (!source.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(source.body))}</p>`;
    return;
  }
  const s = source.body;
  // A grade given at creation, then each change of it, oldest first.
  const history = grades.body.items
    .filter((e) => e.after?.reliability && e.after.reliability !== e.before?.reliability)
    .reverse()
    .map((e) => `<li>${day(e.at)}: <strong>${esc(e.after.reliability)}</strong>${e.before ? ` (was ${esc(e.before.reliability)})` : ''}, ${esc(e.actor ?? 'system')}${e.after.reliabilityNotes ? ` — ${esc(e.after.reliabilityNotes)}` : ''}</li>`);
  view.innerHTML = `<p><a href="#/sources">← All sources</a></p>
    <h1>${esc(s.title)}</h1>
    <p class="meta">${esc(s.kind.replace('_', ' '))}${s.outlet ? ` · ${esc(s.outlet)}` : ''}${s.author ? ` · ${esc(s.author)}` : ''}${s.publishedOn ? ` · ${esc(s.publishedOn)}` : ''}${s.url ? ` · <a href="${esc(s.url)}" rel="noopener noreferrer">${esc(s.url)}</a>` : ''}</p>
    <section class="card" aria-labelledby="grade-title"><h2 id="grade-title">Reliability: ${esc(s.reliability)} (${esc(SOURCE_RELIABILITY[s.reliability].label)})</h2>
      <ul id="grades">${history.join('') || '<li class="meta">Not regraded since it was recorded.</li>'}</ul>
      ${canWrite() ? `<form id="regrade" aria-label="Regrade the source"><label for="new-grade">New grade</label><select id="new-grade" required><option value="">choose…</option>${Object.entries(SOURCE_RELIABILITY)
        .map(([grade, { label }]) => `<option value="${grade}">${grade} — ${esc(label)}</option>`)
        .join('')}</select><label for="grade-notes">Why</label><textarea id="grade-notes"></textarea><p id="regrade-error" class="error" role="alert"></p><button class="primary" type="submit">Regrade</button></form>` : ''}
    </section>
    <section class="card"><h2>Claims it bears on (${claims.body.total})</h2><ul id="bears-on">${claims.body.items.map((c) => `<li><a href="#/claims/${c.id}">${esc(c.statement)}</a></li>`).join('') || '<li class="meta">None.</li>'}</ul></section>
    <section class="card"><h2>Full text</h2>${
      s.fullText
        ? `${canWrite() ? '<p class="meta">Select a passage to quote it as evidence for or against a claim, or as where a claim appears. Highlighted: what is already quoted.</p>' : ''}
           <div id="full-text" class="full-text" tabindex="0" role="region" aria-label="Full text">${highlighted(s.fullText, quotes.ok ? quotes.body : [])}</div>
           ${canWrite() ? quoteForm() : ''}`
        : '<p class="meta">Not stored.</p>'
    }</section>
    ${suggestions.ok ? suggestionList(suggestions.body) : ''}`;
  if (s.fullText && canWrite()) bindQuoting(id, s.fullText);
  view.querySelector('#regrade')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const notes = view.querySelector('#grade-notes').value.trim();
    const res = await api(`/sources/${id}`, { method: 'PATCH', body: { reliability: view.querySelector('#new-grade').value, ...(notes ? { reliabilityNotes: notes } : {}) } });
    if (!res.ok) return void (view.querySelector('#regrade-error').textContent = problemText(res.body));
    await renderSource(id);
    announce(`Regraded ${res.body.reliability}: the evidence-weighted probabilities of the ${claims.body.total} claim(s) it bears on are recomputed.`);
    focusOn(view.querySelector('#grade-title'));
  });
}

/** The text with each quoted passage marked (title: the claims it is quoted for); overlapping quotes split into pieces. */
function highlighted(text, quotes) {
  const points = Array.from(text);
  const placed = quotes.filter((q) => q.start !== null && !q.driftedAt);
  const cuts = [...new Set([0, points.length, ...placed.flatMap((q) => [q.start, q.end])])].sort((a, b) => a - b);
  const label = (q) => `${q.kind === 'appearance' ? 'appears in' : q.stance === 'supports' ? 'evidence for' : q.stance === 'contradicts' ? 'evidence against' : 'context for'}: ${q.statement}`;
  return cuts
    .slice(0, -1)
    .map((from, i) => {
      const piece = esc(points.slice(from, cuts[i + 1]).join(''));
      const covering = placed.filter((q) => q.start <= from && q.end >= cuts[i + 1]);
      return covering.length ? `<mark class="quoted" title="${esc(covering.map(label).join('\n'))}">${piece}</mark>` : piece;
    })
    .join('');
}

/** Where a quote starts and ends in the text, in code points (as quote selectors count), from the selection in the text's element. */
function selectionInText(container) {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(container, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = Array.from(before.toString()).length;
  const exact = range.toString();
  return { exact, start, end: start + Array.from(exact).length };
}

function quoteForm() {
  return `<form id="quote-form" class="quote-form" hidden aria-label="Quote the selected passage">
    <p>“<span id="quote-exact"></span>”</p>
    <label for="quote-as">Quote it as</label><select id="quote-as">
      <option value="supports">evidence for…</option><option value="contradicts">evidence against…</option><option value="context">context for…</option><option value="appearance">where this claim appears…</option></select>
    <label for="quote-claim">Claim (type to search)</label><input id="quote-claim" type="search" list="quote-claims" autocomplete="off" required /><datalist id="quote-claims"></datalist>
    <div id="quote-evidence-fields"><label for="quote-credibility">Credibility</label><select id="quote-credibility">${Object.entries(INFORMATION_CREDIBILITY)
      .map(([grade, { label }]) => `<option value="${grade}" ${grade === '3' ? 'selected' : ''}>${grade} — ${esc(label)}</option>`)
      .join('')}</select>
    <label for="quote-diagnosticity">Diagnosticity (likelihood ratio, ≥ 1)</label><input id="quote-diagnosticity" type="number" min="1" max="1000" step="0.1" value="2" /></div>
    <p id="quote-error" class="error" role="alert"></p>
    <button class="primary" type="submit">Quote</button> <button class="secondary" type="button" id="quote-cancel">Cancel</button>
  </form>`;
}

function bindQuoting(sourceId, text) {
  const container = view.querySelector('#full-text');
  const form = view.querySelector('#quote-form');
  const claimInput = form.querySelector('#quote-claim');
  const found = new Map();
  let selected;
  const open = (picked) => {
    selected = picked;
    form.querySelector('#quote-exact').textContent = picked.exact;
    form.hidden = false;
  };
  const offer = () => {
    const picked = selectionInText(container);
    if (picked && picked.exact.trim()) open(picked);
  };
  // A suggestion confirmed: the form opens on its sentence and claim, for the analyst to check and send.
  for (const button of view.querySelectorAll('#claim-suggestions button[data-suggested]')) {
    button.addEventListener('click', () => {
      const [start, end] = [Number(button.dataset.start), Number(button.dataset.end)];
      open({ exact: Array.from(text).slice(start, end).join(''), start, end });
      const statement = button.closest('.suggested-claim').querySelector('a').textContent;
      found.set(statement, button.dataset.suggested);
      claimInput.value = statement;
      form.querySelector('#quote-as').value = button.dataset.as;
      form.querySelector('#quote-evidence-fields').hidden = button.dataset.as === 'appearance';
      focusOn(form.querySelector('#quote-as'));
    });
  }
  // By mouse, or by keyboard (Shift and the arrow keys in the focused text).
  container.addEventListener('mouseup', offer);
  container.addEventListener('keyup', offer);
  form.querySelector('#quote-as').addEventListener('change', (event) => {
    form.querySelector('#quote-evidence-fields').hidden = event.target.value === 'appearance';
  });
  claimInput.addEventListener('input', async () => {
    const q = claimInput.value.trim();
    if (q.length < 2 || found.has(q)) return;
    const res = await api(`/claims?q=${encodeURIComponent(q)}&limit=20`);
    if (!res.ok) return;
    for (const c of res.body.items) found.set(c.statement, c.id);
    view.querySelector('#quote-claims').innerHTML = res.body.items.map((c) => `<option value="${esc(c.statement)}"></option>`).join('');
  });
  form.querySelector('#quote-cancel').addEventListener('click', () => (form.hidden = true));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const claimId = found.get(claimInput.value);
    const error = form.querySelector('#quote-error');
    if (!claimId) return void (error.textContent = 'Choose a claim from the list.');
    const as = form.querySelector('#quote-as').value;
    // The selectors pin the passage even where its words occur more than once.
    const quote = { sourceId, quote: selected.exact, selector: { start: selected.start, end: selected.end } };
    const res =
      as === 'appearance'
        ? await api(`/claims/${claimId}/appearances`, { method: 'POST', body: quote })
        : await api(`/claims/${claimId}/evidence`, {
            method: 'POST',
            body: { ...quote, stance: as, credibility: Number(form.querySelector('#quote-credibility').value), diagnosticity: Number(form.querySelector('#quote-diagnosticity').value) },
          });
    if (!res.ok) return void (error.textContent = problemText(res.body));
    await renderSource(sourceId);
    announce(`Quoted ${as === 'appearance' ? 'as where the claim appears' : `as ${as === 'supports' ? 'evidence for' : as === 'contradicts' ? 'evidence against' : 'context for'} the claim`}.`);
    focusOn(view.querySelector('#full-text'));
  });
}

/** Sentences that may bear on existing claims, or look like new claims worth checking. */
function suggestionList(suggestions) {
  const relation = { restates: 'restates', 'may-support': 'may support', 'may-contradict': 'may contradict' };
  // What confirming a suggestion quotes the sentence as.
  const quoteAs = { restates: 'appearance', 'may-support': 'supports', 'may-contradict': 'contradicts' };
  const reason = { attribution: 'attributed', number: 'a number', modal: 'hedged' };
  const items = suggestions.sentences.map(
    (s) => `<li><q>${esc(s.text)}</q>
      ${s.claims
        .map(
          (c) => `<div class="suggested-claim">${relation[c.relation]} <a href="#/claims/${c.claimId}">${esc(c.statement)}</a> (${Math.round(c.coverage * 100)} % of its words)
            ${canWrite() ? `<button class="secondary" type="button" data-suggested="${c.claimId}" data-as="${quoteAs[c.relation]}" data-start="${s.start}" data-end="${s.end}" aria-label="Quote this sentence for ${esc(c.statement)}">Quote…</button>` : ''}</div>`,
        )
        .join('')}
      ${s.checkReasons.length ? `<div class="meta">Check-worthy: ${s.checkReasons.map((r) => reason[r]).join(', ')}</div>` : ''}</li>`,
  );
  return `<section class="card" aria-labelledby="suggestions-title"><h2 id="suggestions-title">Claims in this text</h2>
    <p class="meta">Suggestions only (${esc(suggestions.matching)}): sentences that may bear on existing claims, and sentences that look like new claims worth checking.</p>
    <ol id="claim-suggestions">${items.join('') || '<li class="meta">None.</li>'}</ol></section>`;
}

/**
 * Track record: every forecaster's time-weighted scores on resolved claims (analysts, and the
 * team's record, consensus and evidence model), and the record's calibration per ICD 203 band
 * with Wilson intervals, as a chart and a table.
 */
async function renderCalibration() {
  const [calibration, forecasters, sources, originators, weightSets] = await Promise.all([
    api('/calibration'),
    api('/track-records/analysts'),
    api('/track-records/sources'),
    api('/track-records/originators'),
    api('/weight-sets'),
  ]);
  const c = calibration.body;
  const score = (value) => (value === null ? '–' : value.toFixed(3));
  const kinds = { analyst: 'analyst', record: "team's record", consensus: "team's consensus", evidence: 'evidence model' };
  view.innerHTML = `<h1>Track record</h1>
    <p>${c.claims} resolved claim(s). The team's record, scored over the time each forecast was in force: Brier score <strong id="brier">${score(c.brierScore)}</strong>, log score ${score(c.logScore)} (0 is perfect; always saying 50 % scores 0.25 and −0.693).</p>
    ${c.murphy ? `<p class="meta" id="murphy">Brier ≈ reliability ${c.murphy.reliability.toFixed(3)} − resolution ${c.murphy.resolution.toFixed(3)} + uncertainty ${c.murphy.uncertainty.toFixed(3)}.</p>` : ''}
    <section class="card"><h2>Forecasters</h2>
      <p class="meta">Each claim counts once, by the share of its life the forecaster had a forecast in force (coverage); revising often earns nothing. Peer score: log score minus the team's over the same time (above 0 beats the team).</p>
      <div class="scroll"><table id="forecasters" class="stack"><thead><tr><th scope="col">Forecaster</th><th scope="col">Kind</th><th scope="col">Claims</th><th scope="col">Brier</th><th scope="col">Log</th><th scope="col">Peer</th><th scope="col">Coverage</th></tr></thead>
      <tbody>${(forecasters.ok ? forecasters.body : [])
        .map(
          (f) =>
            `<tr><td>${esc(f.name)}</td><td data-label="Kind">${kinds[f.kind]}</td><td data-label="Claims">${f.claims}</td><td data-label="Brier">${score(f.brierScore)}</td>` +
            `<td data-label="Log">${score(f.logScore)}</td><td data-label="Peer">${score(f.peerScore)}</td><td data-label="Coverage">${f.coverage === null ? '–' : percent(f.coverage)}</td></tr>`,
        )
        .join('')}</tbody></table></div>
    </section>
    <section class="card"><h2>Calibration of the team's record</h2>${calibrationChart(c.bands)}
      <table id="bands" class="stack"><thead><tr><th scope="col">Term</th><th scope="col">Claims</th><th scope="col">Mean forecast</th><th scope="col">Turned out true (95 % interval)</th></tr></thead>
      <tbody>${c.bands
        .map(
          (b) =>
            `<tr><td>${esc(b.term)}</td><td data-label="Claims">${b.claims}</td><td data-label="Mean forecast">${b.meanProbability === null ? '–' : percent(b.meanProbability)}</td>` +
            `<td data-label="Turned out true">${b.observedFrequency === null ? '–' : `${percent(b.observedFrequency)} (${percent(b.low)}–${percent(b.high)})`}</td></tr>`,
        )
        .join('')}</tbody></table>
    </section>
    ${agreementTable('sources', 'Sources', sources.ok ? sources.body : [])}
    ${agreementTable('originators', 'Originators', originators.ok ? originators.body : [])}
    ${weightSetTable(weightSets.ok ? weightSets.body : [])}`;
  view.querySelector('#fit-weights')?.addEventListener('click', async (event) => {
    event.target.disabled = true;
    announce('Fitting the evidence model to the resolved claims…');
    const res = await api('/weight-sets/fit', { method: 'POST' });
    if (!res.ok) {
      event.target.disabled = false;
      return announce(problemText(res.body), 'error');
    }
    await renderCalibration();
    announce(`Fitted set ${res.body.version}: held-out log score ${res.body.heldOutLogScore.toFixed(3)} against ${res.body.baselineLogScore.toFixed(3)} for the active set. Not active until an admin activates it.`);
    focusOn(view.querySelector('#weight-sets-title'));
  });
  for (const button of view.querySelectorAll('#weight-sets button[data-activate]')) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      announce(`Activating set ${button.dataset.version}: every evidence-weighted probability is being recomputed…`);
      const res = await api(`/weight-sets/${button.dataset.activate}/activate`, { method: 'POST' });
      if (!res.ok) {
        button.disabled = false;
        return announce(problemText(res.body), 'error');
      }
      await renderCalibration();
      announce(`Set ${res.body.version} is active: ${res.body.recomputedClaims} claims reweighed, ${res.body.changedClaims} changed.`);
      focusOn(view.querySelector('#weight-sets-title'));
    });
  }
  for (const button of view.querySelectorAll('.agreement button[data-action]')) {
    button.addEventListener('click', async () => {
      const { kind, id, grade, action } = button.dataset;
      const res =
        action === 'apply'
          ? await api(`/${kind}/${id}`, { method: 'PATCH', body: { reliability: grade } })
          : await api(`/track-records/${kind}/${id}/suggestion-dismissals`, { method: 'POST', body: { reliability: grade } });
      if (!res.ok) return announce(problemText(res.body), 'error');
      await renderCalibration();
      announce(action === 'apply' ? `Regraded ${grade}.` : `Dismissed: ${grade} will not be suggested for it again.`);
      focusOn(view.querySelector(`#${kind}-title`));
    });
  }
}

/** Sources' or originators' agreement with outcomes, and the grade it earns, to apply or dismiss. */
function agreementTable(kind, title, rows) {
  const editable = canWrite();
  return `<section class="card agreement"><h2 id="${kind}-title" tabindex="-1">${title}</h2>
    <p class="meta">How often their evidence for or against resolved claims was borne out: the Beta posterior mean with its 95 % interval. From 10 items a grade is suggested.</p>
    <div class="scroll"><table id="${kind}-agreement" class="stack"><thead><tr><th scope="col">${kind === 'sources' ? 'Source' : 'Originator'}</th><th scope="col">Grade</th><th scope="col">Items</th><th scope="col">Borne out</th><th scope="col">Suggested</th></tr></thead>
    <tbody>${rows
      .map(
        (r) => `<tr><td>${esc(r.name)}</td><td data-label="Grade">${r.reliability ?? '–'}</td><td data-label="Items">${r.items}</td>
          <td data-label="Borne out">${percent(r.mean)} (${percent(r.low)}–${percent(r.high)})</td>
          <td data-label="Suggested">${
            r.suggestedReliability
              ? `${r.suggestedReliability}${
                  editable
                    ? ` <button class="secondary" type="button" data-action="apply" data-kind="${kind}" data-id="${r.id}" data-grade="${r.suggestedReliability}" aria-label="Apply ${r.suggestedReliability} to ${esc(r.name)}">Apply ${r.suggestedReliability}</button>
                       <button class="secondary" type="button" data-action="dismiss" data-kind="${kind}" data-id="${r.id}" data-grade="${r.suggestedReliability}" aria-label="Dismiss ${r.suggestedReliability} for ${esc(r.name)}">Dismiss</button>`
                    : ''
                }`
              : '–'
          }</td></tr>`,
      )
      .join('') || '<tr><td colspan="5" class="meta">No evidence on resolved claims yet.</td></tr>'}</tbody></table></div></section>`;
}

/**
 * The evidence model's weight sets: the default scale and fits to resolved claims, each with its
 * held-out log score against the set active when it was fitted; analysts fit, admins activate.
 */
function weightSetTable(sets) {
  const signed = (value) => (value === null ? '–' : `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)} %`);
  const weights = (scale) => Object.entries(scale).map(([grade, weight]) => `${grade}&nbsp;${weight.toFixed(2)}`).join(' · ');
  return `<section class="card"><h2 id="weight-sets-title" tabindex="-1">Evidence model weight sets</h2>
    <p class="meta">The weights the evidence-weighted probability gives source reliability (R), information credibility (C) and stated likelihood ratios (γ: 1 takes them as stated). A fit learns them from resolved claims and is scored on a fifth it never saw; an admin decides whether to activate it, and every claim is then reweighed.</p>
    ${canWrite() ? '<p><button id="fit-weights" class="secondary" type="button">Fit to resolved claims</button></p>' : ''}
    <div class="scroll"><table id="weight-sets" class="stack"><thead><tr><th scope="col">Set</th><th scope="col">R</th><th scope="col">C</th><th scope="col">γ</th><th scope="col">Trained on</th><th scope="col">Held-out log score</th><th scope="col">Against the active set then</th><th scope="col">State</th></tr></thead>
    <tbody>${sets
      .map(
        (w) => `<tr${w.active ? ' class="active-set"' : ''}><td>${w.version} (${w.kind})</td><td data-label="R">${weights(w.reliability)}</td><td data-label="C">${weights(w.credibility)}</td>
          <td data-label="γ">${w.shrinkage.toFixed(2)}</td><td data-label="Trained on">${w.kind === 'default' ? 'documented scale' : `${w.trainingClaims} claims (${w.heldOutClaims} held out)`}</td>
          <td data-label="Held-out log score">${w.heldOutLogScore === null ? '–' : w.heldOutLogScore.toFixed(3)}</td>
          <td data-label="Against the active set then">${w.baselineLogScore === null ? '–' : `${w.baselineLogScore.toFixed(3)} (${signed(w.improvement)})`}</td>
          <td data-label="State">${
            w.active
              ? '<strong>active</strong>'
              : !w.converged
                ? 'fit did not converge'
                : isAdmin()
                  ? `<button class="secondary" type="button" data-activate="${w.id}" data-version="${w.version}" aria-label="Activate weight set ${w.version}">Activate</button>`
                  : 'inactive'
          }</td></tr>`,
      )
      .join('')}</tbody></table></div></section>`;
}

/** Forecast (across) against how often it came true (up), per band, with the Wilson interval as a bar; the diagonal is perfect calibration. */
function calibrationChart(bands) {
  const [size, pad] = [320, 48];
  const x = (p) => pad + p * (size - 2 * pad);
  const y = (p) => size - pad - p * (size - 2 * pad);
  const points = bands.filter((b) => b.claims > 0);
  return `<svg id="calibration-chart" viewBox="0 0 ${size} ${size}" role="img" aria-label="Calibration: forecast against observed frequency per band, with 95 % intervals">
    <line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#767676" stroke-dasharray="4 4" />
    <line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#1b1b1b" /><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#1b1b1b" />
    ${[0, 0.5, 1].map((t) => `<text x="${x(t)}" y="${size - 12}" text-anchor="middle" font-size="11">${t * 100} %</text><text x="${pad - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t * 100} %</text>`).join('')}
    <text x="${size / 2}" y="${size - 1}" text-anchor="middle" font-size="11">forecast</text>
    <text x="12" y="${size / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${size / 2})">came true</text>
    ${points
      .map(
        (b) => `<g class="band-point"><title>${esc(b.term)}: forecast ${percent(b.meanProbability)}, came true ${percent(b.observedFrequency)} (${percent(b.low)}–${percent(b.high)}), ${b.claims} claim(s)</title>
          <line x1="${x(b.meanProbability)}" y1="${y(b.low)}" x2="${x(b.meanProbability)}" y2="${y(b.high)}" stroke="#1f4e79" stroke-width="2" />
          <circle cx="${x(b.meanProbability)}" cy="${y(b.observedFrequency)}" r="5" fill="#1f4e79" /></g>`,
      )
      .join('')}
  </svg>`;
}

/** The ACH matrix: evidence down, hypotheses across, weighted inconsistency at the foot; analysts rate its cells here. */
async function renderQuestion(id) {
  const res = await api(`/questions/${id}`);
  if (!res.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(res.body))}</p>`;
    return;
  }
  const q = res.body;
  const editable = canWrite();
  const best = Math.max(...q.hypotheses.map((h) => h.inconsistencyScore));
  const CONSISTENCY = { CC: 'very consistent', C: 'consistent', N: 'neutral', I: 'inconsistent', II: 'very inconsistent', NA: 'not applicable' };
  const cell = (row, h, r) => {
    const rating = row.ratings.find((x) => x.claimId === h.claimId);
    if (!editable) return rating ? `<td class="ach-${esc(rating.consistency)}" title="relevance ${esc(rating.relevance)}">${esc(rating.consistency)}</td>` : '<td class="meta">–</td>';
    const label = `Evidence ${r + 1} against “${h.statement}”`;
    return `<td class="${rating ? `ach-${esc(rating.consistency)}` : ''}"><select data-evidence="${row.evidenceId}" data-claim="${h.claimId}" aria-label="${esc(label)}">
      ${rating ? '' : '<option value="">–</option>'}${Object.entries(CONSISTENCY).map(([value, said]) => `<option value="${value}" title="${said}" ${rating?.consistency === value ? 'selected' : ''}>${value}</option>`).join('')}</select></td>`;
  };
  const relevance = (row, r) => {
    const current = row.ratings[0]?.relevance ?? 'medium';
    return `<td><select data-relevance="${row.evidenceId}" aria-label="Relevance of evidence ${r + 1}">${['low', 'medium', 'high'].map((w) => `<option ${w === current ? 'selected' : ''}>${w}</option>`).join('')}</select></td>`;
  };
  view.innerHTML = `
    <p><a href="#/questions">← All questions</a></p>
    <h1>${esc(q.title)}</h1>
    ${q.description ? `<p>${esc(q.description)}</p>` : ''}
    <form id="ratings" aria-label="Ratings">
    <div class="scroll" tabindex="0" role="region" aria-label="ACH matrix"><table id="matrix">
      <caption class="meta">CC very consistent · C consistent · N neutral · I inconsistent · II very inconsistent · NA not applicable</caption>
      <thead><tr><th scope="col">Evidence</th>${editable ? '<th scope="col">Relevance</th>' : ''}${q.hypotheses.map((h) => `<th scope="col"><a href="#/claims/${h.claimId}">${esc(h.statement)}</a></th>`).join('')}</tr></thead>
      <tbody>${q.evidence
        .map(
          (row, r) => `<tr${row.diagnostic ? '' : ' class="meta"'}><td>${r + 1}. ${esc(row.quote)} <span class="meta">(${esc(row.grade)}${row.diagnostic ? '' : ', not diagnostic'})</span></td>${editable ? relevance(row, r) : ''}${q.hypotheses
            .map((h) => cell(row, h, r))
            .join('')}</tr>`,
        )
        .join('') || `<tr><td colspan="${q.hypotheses.length + 2}" class="meta">The hypotheses have no evidence yet.</td></tr>`}</tbody>
      <tfoot><tr><th scope="row">Weighted inconsistency</th>${editable ? '<td></td>' : ''}${q.hypotheses
        .map((h) => `<td class="score">${h.inconsistencyScore.toFixed(2)}${h.inconsistencyScore === best ? ' <strong>(least inconsistent)</strong>' : ''}</td>`)
        .join('')}</tr></tfoot>
    </table></div>
    ${editable && q.evidence.length ? '<p id="ratings-error" class="error" role="alert"></p><button class="primary" type="submit">Save ratings</button>' : ''}
    </form>`;
  view.querySelector('#ratings').addEventListener('submit', async (event) => {
    event.preventDefault();
    // Every rated cell, with its row's relevance: a cell rated again is replaced, so sending all is safe.
    const ratings = [...view.querySelectorAll('#matrix select[data-claim]')]
      .filter((select) => select.value)
      .map((select) => ({ evidenceId: select.dataset.evidence, claimId: select.dataset.claim, consistency: select.value, relevance: view.querySelector(`[data-relevance="${select.dataset.evidence}"]`).value }));
    if (!ratings.length) return void (view.querySelector('#ratings-error').textContent = 'Rate at least one cell first.');
    const saved = await api(`/questions/${id}/ratings`, { method: 'PUT', body: { ratings } });
    if (!saved.ok) return void (view.querySelector('#ratings-error').textContent = problemText(saved.body));
    await renderQuestion(id);
    const leader = saved.body.hypotheses.reduce((a, b) => (b.inconsistencyScore > a.inconsistencyScore ? b : a));
    announce(`${ratings.length} rating(s) saved. Least inconsistent: ${leader.statement} (${leader.inconsistencyScore.toFixed(2)}).`);
    focusOn(view.querySelector('#matrix tfoot th'));
  });
}

// --- claim page ----------------------------------------------------------------------
/** What the analyst typed, kept across re-renders and conflicts. */
let draft;

/** Drafts outlive reloads and tabs, one per claim, until submitted or discarded. */
const drafts = {
  key: (claimId) => `claimtrack.draft.${claimId}`,
  load: (claimId) => JSON.parse(localStorage.getItem(drafts.key(claimId)) ?? 'null'),
  save: (value) => localStorage.setItem(drafts.key(value.claimId), JSON.stringify(value)),
  discard: (claimId) => localStorage.removeItem(drafts.key(claimId)),
};

/** A claim's page; with `asOf` (a day), as it stood at the end of that day, read-only. */
async function renderClaim(id, asOf) {
  const at = asOf ? `asOf=${encodeURIComponent(endOfDay(asOf))}` : '';
  const [claim, evidence, history, confidence, chains, origins, attributions] = await Promise.all([
    api(`/claims/${id}${at ? `?${at}` : ''}`),
    api(`/claims/${id}/evidence?limit=500${at ? `&${at}` : ''}`),
    api(`/claims/${id}/assessments?limit=500&sort=version${at ? `&${at}` : ''}`),
    api(`/claims/${id}/confidence${at ? `?${at}` : ''}`),
    // Every analyst's chain: refused (403) while the claim is blind to this analyst, and then not shown.
    api(`/claims/${id}/estimates${at ? `?${at}` : ''}`),
    // Origins are today's grouping; a page as of a day lists the items as they were, ungrouped.
    asOf ? null : api(`/claims/${id}/origins`),
    asOf ? null : api(`/claims/${id}/evidence/attribution-suggestions`),
  ]);
  if (!claim.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(claim.body))}</p><p><a href="#/">Back to the claims</a></p>`;
    return;
  }
  const c = claim.body;
  // Looking at today's claim is what "since you last looked" counts from.
  if (!asOf) api(`/users/me/visits/${id}`, { method: 'PUT' }).catch(() => undefined);
  const items = evidence.body.items;
  const versions = history.body.items;
  const evidenceList = (stance) => evidenceByOrigin(items.filter((e) => e.stance === stance), origins?.ok ? origins.body.origins : null);
  const tally = (stance) => {
    const count = items.filter((e) => e.stance === stance).length;
    if (!confidence.ok || stance === 'context') return `${count}`;
    const origins = stance === 'supports' ? confidence.body.supportingOrigins : confidence.body.contradictingOrigins;
    return `${reports(count)}, ${origins} ${origins === 1 ? 'origin' : 'origins'}`;
  };

  const editable = canWrite() && !asOf;
  view.innerHTML = `
    <p><a href="#/">← All claims</a></p>
    <h1>${esc(c.statement)}</h1>
    <form id="as-of" class="filters" aria-label="Time travel">
      <div><label for="claim-as-of">As of</label><input id="claim-as-of" type="date" value="${esc(asOf ?? '')}" /></div>
      <div><button class="secondary" type="submit">Show</button> ${asOf ? `<a href="#/claims/${c.id}">Now</a>` : ''}</div>
    </form>
    ${asOf ? `<p class="notice" id="as-of-notice">As it stood at the end of ${esc(asOf)}: the assessment, evidence and fields in force then. Read-only.</p>` : ''}
    <p><a href="#/claims/${c.id}/audit">Every change to this claim</a> ${asOf ? '' : `<button id="watch" class="secondary" type="button" aria-pressed="false" disabled>Watch</button>`}</p>
    ${c.reviewBy ? `<p id="review-by" class="${new Date(c.reviewBy) <= new Date() ? 'error' : 'meta'}">Review by ${day(c.reviewBy)}${new Date(c.reviewBy) <= new Date() ? ' — due' : ''}</p>` : ''}
    <p class="meta">Status: ${esc(c.status.replace('_', ' '))}${c.topics.length ? ` · Topics: ${esc(c.topics.join(', '))}` : ''}${c.entities.length ? ` · Entities: ${esc(c.entities.join(', '))}` : ''}</p>
    <p id="current">${
      c.assessment
        ? `<span class="term">${esc(c.assessment.estimativeTerm)}</span> (${percent(c.assessment.probability)}), ${esc(c.assessment.confidence)} confidence — version ${c.assessment.version}, ${day(c.assessment.createdAt)}, ${esc(c.assessment.createdByName)}`
        : 'Not assessed yet.'
    }</p>
    ${
      confidence.ok
        ? `<p id="evidence-implies">Evidence implies: <span class="term">${esc(confidence.body.evidenceTerm)}</span> (${percent(confidence.body.evidenceProbability)})${
            confidence.body.gap ? ` — <strong class="error">the analyst's judgement and the evidence fall in different bands</strong>` : ''
          }</p>`
        : ''
    }
    <section class="card chart"><h2>Assessment history</h2>${chart(versions, items)}
      <table id="history" class="stack"><thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Judgement</th><th scope="col">Confidence</th><th scope="col">Analyst</th><th scope="col">Rationale</th></tr></thead>
      <tbody>${versions
        .map(
          (a) =>
            `<tr><td data-label="Version">${a.version}</td><td data-label="Date">${day(a.createdAt)}</td><td data-label="Judgement">${esc(a.estimativeTerm)} (${percent(a.probability)})</td>` +
            `<td data-label="Confidence">${esc(a.confidence)}</td><td data-label="Analyst">${esc(a.createdByName)}</td><td data-label="Rationale">${esc(a.rationale)}</td></tr>`,
        )
        .join('')}</tbody></table>
    </section>
    ${confidence.ok ? teamPanel(confidence.body, chains, canWrite() && !asOf) : ''}
    ${whyItMoved(versions, items)}
    <div class="columns">
      <section class="card for" id="evidence-for"><h2>Evidence for (${tally('supports')})</h2><ul>${evidenceList('supports')}</ul></section>
      <section class="card against" id="evidence-against"><h2>Evidence against (${tally('contradicts')})</h2><ul>${evidenceList('contradicts')}</ul></section>
    </div>
    <section class="card"><h2>Context</h2><ul>${evidenceList('context')}</ul></section>
    ${attributions?.ok && attributions.body.length ? attributionSuggestions(attributions.body, items, canWrite() && !asOf) : ''}
    <section class="card"><h2>Appears in</h2><ul>${c.appearances.map((a) => `<li>${esc(a.sourceTitle)}: <q>${esc(a.quote)}</q></li>`).join('') || '<li class="meta">No appearances.</li>'}</ul></section>
    ${editable ? resolutionForm(c) : ''}
    ${editable && !c.resolvedAt ? assessmentForm(c, items) + evidenceForm() + sourceForm() : ''}`;
  view.querySelector('#resolve')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const note = view.querySelector('#resolution-note').value.trim();
    const res = await api(`/claims/${c.id}/resolution`, {
      method: 'PUT',
      body: { outcome: view.querySelector('#outcome').value === 'true', resolvedAt: resolutionTime(view.querySelector('#resolved-on').value), ...(note ? { note } : {}) },
    });
    if (!res.ok) return void (view.querySelector('#resolve-error').textContent = problemText(res.body));
    await renderClaim(c.id);
    announce(`Resolved ${res.body.status === 'resolved_true' ? 'true' : 'false'}: its forecasts are now scored in the track record.`);
    focusOn(view.querySelector('#resolution'));
  });
  view.querySelector('#annul')?.addEventListener('click', async () => {
    const res = await api(`/claims/${c.id}/resolution/annulment`, { method: 'PUT', body: {} });
    if (!res.ok) return announce(problemText(res.body), 'error');
    await renderClaim(c.id);
    announce('Annulled: the claim is left out of every score.');
    focusOn(view.querySelector('#resolution'));
  });
  view.querySelector('#reopen')?.addEventListener('click', async () => {
    const res = await api(`/claims/${c.id}/resolution`, { method: 'DELETE' });
    if (!res.ok) return announce(problemText(res.body), 'error');
    await renderClaim(c.id);
    announce('Re-opened: the claim takes assessments again.');
    focusOn(view.querySelector('#assess'));
  });
  // A point of the chart opens its version's account of why it moved.
  for (const point of view.querySelectorAll('#chart .point')) {
    const open = () => focusOn(view.querySelector(`#why-${point.dataset.version} h3`));
    point.addEventListener('click', open);
    point.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      open();
    });
  }
  view.querySelector('#as-of').addEventListener('submit', (event) => {
    event.preventDefault();
    const day = view.querySelector('#claim-as-of').value;
    location.hash = day ? `#/claims/${c.id}?asOf=${day}` : `#/claims/${c.id}`;
  });
  if (editable) bindClaimForms(c);
  // Not awaited: the page is shown (and focused) at once; the button works once the rules are read.
  if (!asOf) bindWatch(c).catch(() => undefined);
  for (const button of view.querySelectorAll('#attribution-suggestions button[data-decision]')) {
    button.addEventListener('click', async () => {
      const row = button.closest('li');
      const kind = row.querySelector('select')?.value;
      const res = await api(`/claims/${c.id}/evidence/attribution-suggestions/${row.dataset.suggestion}/${button.dataset.decision}`, {
        method: 'POST',
        ...(button.dataset.decision === 'confirm' ? { body: kind ? { kind } : {} } : {}),
      });
      if (!res.ok) return void (row.querySelector('.error').textContent = problemText(res.body));
      await renderClaim(c.id);
      announce(button.dataset.decision === 'confirm' ? `Attributed to ${res.body.name}: its items now count as one origin.` : 'Dismissed: it will not be suggested again.');
      focusOn(view.querySelector('#evidence-for h2'));
    });
  }
  view.querySelector('#estimate')?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const res = await api(`/claims/${c.id}/estimates`, {
      method: 'POST',
      body: {
        probability: Number(form.querySelector('#estimate-probability').value) / 100,
        confidence: form.querySelector('#estimate-confidence').value,
        rationale: form.querySelector('#estimate-rationale').value,
        baseVersion: Number(form.dataset.base),
      },
    });
    if (!res.ok) return void (form.querySelector('#estimate-error').textContent = problemText(res.body));
    await renderClaim(c.id);
    announce(`Your estimate, version ${res.body.version}, is recorded: ${res.body.estimativeTerm} (${percent(res.body.probability)}).`);
    focusOn(view.querySelector('#team-title'));
  });
  view.querySelector('#withdraw-estimate')?.addEventListener('click', async (event) => {
    const res = await api(`/claims/${c.id}/estimates/withdrawal`, { method: 'POST', body: { baseVersion: Number(event.target.dataset.base) } });
    if (!res.ok) return announce(problemText(res.body), 'error');
    await renderClaim(c.id);
    announce('Your estimate is withdrawn: it no longer counts in the consensus.');
    focusOn(view.querySelector('#team-title'));
  });
}

const reports = (n) => `${n} ${n === 1 ? 'report' : 'reports'}`;

/** One evidence item: its quote, where it came from, and whether its origin counts it. */
const evidenceItem = (e) => `<li data-evidence="${e.id}" tabindex="-1"${e.counted ? '' : ' class="not-counted"'}><blockquote>${esc(e.quote)}</blockquote>
  <span class="meta">${esc(e.sourceTitle)} · grade <abbr title="source reliability ${esc(e.sourceReliability)}, information ${esc(credibilityLabel(e.credibility))}">${esc(e.grade)}</abbr> · diagnosticity ×${esc(e.diagnosticity)}${
    e.originatorName ? ` · attributed to <span class="originator">${esc(e.originatorName)}</span>` : ''
  }${e.counted ? '' : ' · <span class="uncounted">not counted: its origin counts a stronger report</span>'}</span></li>`;

/**
 * A column's items grouped by origin ("5 reports, 1 origin"): items attributed to one originator
 * or carried by sources derived from one another count once, so they are shown together, with
 * the derivation chain that joins them on demand. Without origins (a page as of a day), a plain list.
 */
function evidenceByOrigin(items, origins) {
  if (!items.length) return '<li class="meta">None.</li>';
  // As of a past day the grouping of today would mislead: the items are listed as they were.
  if (!origins) return items.map((e) => evidenceItem({ ...e, counted: true, originatorName: null })).join('');
  const groups = new Map();
  for (const item of items) groups.set(item.originId ?? item.id, [...(groups.get(item.originId ?? item.id) ?? []), item]);
  const originOf = new Map(origins.map((o) => [o.id, o]));
  return [...groups]
    .map(([originId, members]) => {
      if (members.length === 1) return evidenceItem(members[0]);
      const origin = originOf.get(originId);
      const names = origin?.originators.map((o) => o.name) ?? [];
      const chain = origin?.derivations.length
        ? `<details class="chain"><summary>How these sources are linked</summary><ol>${origin.derivations
            .map((d) => `<li>${esc(d.sourceTitle)} <em>${esc(d.kind)}</em> ${esc(d.derivedFromTitle)} <span class="meta">(recorded ${day(d.createdAt)})</span></li>`)
            .join('')}</ol></details>`
        : '';
      return `<li class="origin" data-origin="${esc(originId)}"><p class="origin-head">${reports(members.length)}, 1 origin${
        names.length ? ` — attributed to ${esc(names.join(', '))}` : ''
      }${origin?.derivations.length ? ` — ${origin.derivations.length} derivation link(s)` : ''}</p>${chain}<ul>${members.map(evidenceItem).join('')}</ul></li>`;
    })
    .join('');
}

/** Attributions read from the quotes' sentences, for the analyst to confirm or dismiss. */
function attributionSuggestions(suggestions, items, editable) {
  const quote = new Map(items.map((e) => [e.id, e.quote]));
  const kinds = ['person', 'government', 'intelligence', 'military', 'state_media', 'media', 'organisation', 'unnamed_officials', 'other'];
  return `<section class="card" id="attribution-suggestions"><h2>Suggested attributions</h2>
    <p class="meta">Read from the words around each quote. Items attributed to one originator count as one origin.</p><ul>${suggestions
      .map(
        (s) => `<li data-suggestion="${s.id}"><q>${esc(quote.get(s.evidenceId) ?? '')}</q> — “${esc(s.phrase)}”: <strong>${esc(s.name)}</strong>${
          s.originatorId ? '' : ' <span class="meta">(not yet an originator)</span>'
        }${
          editable
            ? ` ${s.originatorId ? '' : `<label class="inline">Kind <select aria-label="Kind of originator for ${esc(s.name)}">${kinds.map((k) => `<option>${k}</option>`).join('')}</select></label>`}
               <button class="secondary" type="button" data-decision="confirm">Confirm</button> <button class="secondary" type="button" data-decision="dismiss">Dismiss</button>`
            : ''
        }<span class="error" role="alert"></span></li>`,
      )
      .join('')}</ul></section>`;
}

/**
 * The team: every analyst's latest estimate as a dot on the probability axis over the ICD 203
 * bands, the consensus (◆) and the record (▲), dissent highlighted; rationales on demand; the
 * analyst's own estimate in one short form. Blind first: a count until they record theirs.
 */
function teamPanel(answer, chains, editable) {
  const team = answer.team;
  const me = session.get()?.user.id;
  const versions = chains?.ok ? chains.body.items : [];
  const mine = versions.filter((e) => e.analystId === me).at(-1);
  // Each analyst's latest version (chains come by analyst, then version), withdrawn ones left out.
  const latest = [...new Map(versions.map((e) => [e.analystId, e])).values()].filter((e) => !e.withdrawn);
  const form = editable
    ? `<form id="estimate" class="estimate" data-base="${mine?.version ?? 0}" aria-label="Your estimate">
        <div class="inline">
          <div><label for="estimate-probability">Your estimate (%)</label><input id="estimate-probability" type="number" min="1" max="99" step="1" required value="${mine?.probability ? Math.round(mine.probability * 100) : ''}" /></div>
          <div><label for="estimate-confidence">Confidence</label><select id="estimate-confidence">${['low', 'moderate', 'high'].map((level) => `<option ${level === (mine?.confidence ?? 'moderate') ? 'selected' : ''}>${level}</option>`).join('')}</select></div>
        </div>
        <label for="estimate-rationale">Why</label><textarea id="estimate-rationale" required></textarea>
        <p id="estimate-error" class="error" role="alert"></p>
        <button class="primary" type="submit">${mine && !mine.withdrawn ? 'Revise my estimate' : 'Record my estimate'}</button>
        ${mine && !mine.withdrawn ? `<button id="withdraw-estimate" class="secondary" type="button" data-base="${mine.version}">Withdraw mine</button>` : ''}
      </form>`
    : '';
  if (team.hidden) {
    return `<section id="team" class="card" aria-labelledby="team-title"><h2 id="team-title">Team judgement</h2>
      <p class="notice" id="blind-notice">Blind first: ${team.analysts} colleague(s) have estimated — record yours to see theirs.</p>${form}</section>`;
  }
  const width = 640;
  const x = (p) => 20 + p * (width - 40);
  const bands = ESTIMATIVE_TERMS.map(({ from, to }, i) => `<rect x="${x(from)}" y="20" width="${x(to) - x(from)}" height="40" fill="${i % 2 ? '#d5e0ee' : '#f1f5fa'}" stroke="#9fb3cc" stroke-width="0.5" />`).join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((p) => `<text x="${x(p)}" y="76" font-size="11" text-anchor="middle" fill="#222">${p * 100} %</text>`).join('');
  // Dots close together stack upwards instead of covering each other.
  const placed = [];
  const dots = latest
    .map((e) => {
      const row = placed.filter((other) => Math.abs(other - x(e.probability)) < 12).length;
      placed.push(x(e.probability));
      return `<circle class="estimate-dot" cx="${x(e.probability)}" cy="${50 - row * 11}" r="5" fill="${team.dissent ? '#8b1a1a' : '#1f4e79'}"><title>${esc(e.analyst)}: ${percent(e.probability)}</title></circle>`;
    })
    .join('');
  const marker = (p, shape, label) => (p === null ? '' : `<text class="${shape}" x="${x(p)}" y="17" font-size="13" text-anchor="middle" fill="#111"><title>${label}</title>${shape === 'consensus' ? '◆' : '▲'}</text>`);
  const list = latest
    .map((e) => `<li>${esc(e.analyst)}: <span class="term">${esc(e.estimativeTerm)}</span> (${percent(e.probability)}), ${esc(e.confidence)} confidence, version ${e.version}</li>`)
    .join('');
  const rationales = versions
    .map((e) => `<li><strong>${esc(e.analyst)}</strong>, v${e.version}${e.withdrawn ? ' (withdrawn)' : `, ${percent(e.probability)}`}, ${day(e.createdAt)}: ${esc(e.rationale || '—')}</li>`)
    .join('');
  const summary = team.consensus === null
    ? 'No estimates yet.'
    : `Consensus <span class="term">${esc(team.estimativeTerm)}</span> (${percent(team.consensus)}) from ${team.analysts} analyst(s)${team.analysts > 1 ? `, estimates ${percent(team.min)} to ${percent(team.max)}` : ''}.`;
  return `<section id="team" class="card${team.dissent ? ' dissent' : ''}" aria-labelledby="team-title"><h2 id="team-title">Team judgement${team.blind ? ' <span class="meta">(blind first)</span>' : ''}</h2>
    <p id="team-summary">${summary}${team.dissent ? ' <strong class="error">Dissent: the estimates lie two or more ICD 203 bands apart.</strong>' : ''}${team.gap ? ` <strong class="error">${esc(team.gap)}</strong>` : ''}</p>
    ${team.consensus === null ? '' : `<svg id="team-chart" viewBox="0 0 ${width} 84" role="img" aria-label="${esc(`${team.analysts} estimate(s) on the probability axis; consensus ${percent(team.consensus)}${answer.probability === null ? '' : `; record ${percent(answer.probability)}`}`)}">
      ${bands}${ticks}${dots}${marker(team.consensus, 'consensus', `Consensus ${percent(team.consensus)}`)}${marker(answer.probability, 'record', `Record ${answer.probability === null ? '' : percent(answer.probability)}`)}</svg>
    <p class="meta legend">● an analyst's estimate · ◆ consensus · ▲ assessment of record</p>`}
    <ul id="team-estimates">${list}</ul>
    ${rationales ? `<details><summary>Rationales</summary><ul id="team-rationales">${rationales}</ul></details>` : ''}
    ${form}
  </section>`;
}

/** Each version against the one before: what moved, what it cited anew or dropped, how the reasoning changed. */
function whyItMoved(versions, items) {
  if (versions.length === 0) return '';
  const byId = new Map(items.map((e) => [e.id, e]));
  const cite = (id) => {
    const e = byId.get(id);
    return e ? `<li>${esc(e.stance)}, ${esc(e.grade)}: <q>${esc(e.quote.length > 120 ? `${e.quote.slice(0, 117)}…` : e.quote)}</q></li>` : '<li class="meta">an item no longer current</li>';
  };
  const entries = versions.map((a, i) => {
    const before = versions[i - 1];
    const points = before ? Math.round((a.probability - before.probability) * 100) : 0;
    const move = !before
      ? 'first assessment'
      : `${points > 0 ? `▲ ${points}` : points < 0 ? `▼ ${-points}` : 'no change,'} pts from ${esc(before.estimativeTerm)} (${percent(before.probability)})` +
        (before.confidence !== a.confidence ? `; confidence ${esc(before.confidence)} → ${esc(a.confidence)}` : '');
    const added = a.evidenceIds.filter((id) => !before?.evidenceIds.includes(id));
    const dropped = before ? before.evidenceIds.filter((id) => !a.evidenceIds.includes(id)) : [];
    return `<li id="why-${a.version}"><h3>Version ${a.version}: ${esc(a.estimativeTerm)} (${percent(a.probability)}) <span class="meta">— ${move}; ${day(a.createdAt)}, ${esc(a.createdByName)}</span></h3>
      ${added.length ? `<p>Cites${before ? ' anew' : ''}:</p><ul class="cited">${added.map(cite).join('')}</ul>` : ''}
      ${dropped.length ? `<p>No longer cites:</p><ul class="dropped">${dropped.map(cite).join('')}</ul>` : ''}
      <p class="rationale">${before ? wordDiff(before.rationale, a.rationale) : esc(a.rationale)}</p></li>`;
  });
  return `<section class="card" aria-labelledby="why-title"><h2 id="why-title">Why it moved</h2><ul id="why">${entries.reverse().join('')}</ul></section>`;
}

/** The words of `after` against `before` (longest common subsequence): removed in <del>, added in <ins>. */
function wordDiff(before, after) {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  const common = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
  const out = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(esc(a[i]));
      i++;
      j++;
    } else if (j < b.length && (i === a.length || common[i][j + 1] >= common[i + 1][j])) out.push(`<ins>${esc(b[j++])}</ins>`);
    else out.push(`<del>${esc(a[i++])}</del>`);
  }
  return out.join(' ').replace(/<\/(ins|del)> <\1>/g, ' ');
}

/** The claim's audit trail: every change to it, its evidence, appearances and versions — who, when, what moved. */
async function renderClaimAudit(id) {
  const [claim, events] = await Promise.all([api(`/claims/${id}`), api(`/audit?claimId=${id}&limit=500`)]);
  if (!claim.ok || !events.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText((claim.ok ? events : claim).body))}</p>`;
    return;
  }
  const shown = (value) => (value === null || value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const changes = ({ before, after }) => {
    const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
      (field) => !['id', 'claimId', 'createdAt', 'updatedAt', 'createdById'].includes(field) && shown(before?.[field]) !== shown(after?.[field]),
    );
    return fields
      .map((field) => `<li><strong>${esc(field)}</strong>: ${before ? `<del>${esc(shown(before[field]))}</del> → ` : ''}<ins>${esc(shown(after?.[field]))}</ins></li>`)
      .join('');
  };
  view.innerHTML = `<p><a href="#/claims/${id}">← ${esc(claim.body.statement)}</a></p>
    <h1>Changes to: ${esc(claim.body.statement)}</h1>
    <p class="meta">${events.body.total} change(s), newest first.</p>
    <table id="audit" class="stack"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Changes</th></tr></thead>
    <tbody>${events.body.items
      .map(
        (e) =>
          `<tr><td data-label="When">${esc(e.at.replace('T', ' ').slice(0, 16))} UTC</td><td data-label="Who">${esc(e.actor ?? 'system')}</td>` +
          `<td data-label="What">${esc(e.action.replace('.', ' '))}</td><td data-label="Changes"><ul class="changes">${changes(e)}</ul></td></tr>`,
      )
      .join('')}</tbody></table>`;
}

/**
 * Probability over time on the ICD 203 bands: every version labelled with its number and
 * value (no hovering needed) and focusable, gridlines, and a mark where each item of
 * evidence arrived. Versions close in time are spread apart so that each stays readable.
 */
function chart(versions, items) {
  // As wide as the page allows (a phone's too), so that labels keep their size instead of shrinking with the picture.
  const width = Math.max(300, Math.min(720, view.clientWidth - 40));
  const [height, top, bottom, right] = [260, 14, 44, 40];
  const left = width < 480 ? 130 : 150;
  const y = (p) => top + (1 - p) * (height - top - bottom);
  const times = [...versions.map((a) => Date.parse(a.createdAt)), ...items.map((e) => Date.parse(e.createdAt))];
  const [min, max] = [Math.min(...times), Math.max(...times)];
  // Times run between `first` and `last`, inset so that a point's labels stay clear of the band and gridline labels.
  const [first, last] = [left + 18, width - right - 18];
  const x = (t) => (max === min ? (first + last) / 2 : first + ((t - min) / (max - min)) * (last - first));
  // At least `gap` px between versions, kept inside the plot: pushed right, then back from the right edge.
  const gap = versions.length > 1 ? Math.min(44, (last - first) / (versions.length - 1)) : 0;
  const xs = versions.map((a) => x(Date.parse(a.createdAt)));
  for (let i = 1; i < xs.length; i++) xs[i] = Math.max(xs[i], xs[i - 1] + gap);
  for (let i = xs.length - 1; i >= 0; i--) xs[i] = Math.min(xs[i], i === xs.length - 1 ? last : xs[i + 1] - gap);
  // Days, or minutes when everything happened within two days.
  const when = (t) => (max - min < 2 * 86_400_000 ? new Date(t).toISOString().slice(0, 16).replace('T', ' ') : day(new Date(t)));
  const bands = ESTIMATIVE_TERMS.map(
    ({ term, from, to }, i) =>
      `<rect class="band" x="${left}" y="${y(to)}" width="${width - left - right}" height="${y(from) - y(to)}" fill="${i % 2 ? '#d5e0ee' : '#f1f5fa'}" stroke="#9fb3cc" stroke-width="0.5" />
       <text class="band-label" x="${left - 6}" y="${(y(from) + y(to)) / 2 + 4}" text-anchor="end" font-size="11" fill="#222">${term}</text>`,
  ).join('');
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((p) => `<line x1="${left}" x2="${width - right}" y1="${y(p)}" y2="${y(p)}" stroke="#6b7d93" stroke-dasharray="3 3" stroke-width="0.7" /><text x="${width - right + 4}" y="${y(p) + 4}" font-size="10" fill="#333">${p * 100} %</text>`)
    .join('');
  // Three dates where they fit, the first and last on a phone.
  const ticks = versions.length || items.length ? (last - first > 300 ? [min, (min + max) / 2, max] : [min, max]).filter((t, i, all) => i === 0 || t !== all[i - 1]) : [];
  const dates = ticks
    .map((t, i) => `<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${height - bottom}" stroke="#6b7d93" stroke-dasharray="3 3" stroke-width="0.7" /><text class="tick" x="${x(t)}" y="${height - 6}" font-size="11" fill="#222" text-anchor="${['start', 'middle', 'end'][ticks.length === 1 ? 1 : i === 0 ? 0 : i === ticks.length - 1 ? 2 : 1]}">${when(t)}</text>`)
    .join('');
  const STANCE_MARK = { supports: ['#1b5e20', '▲', 'for'], contradicts: ['#8b1a1a', '▼', 'against'], context: ['#555', '●', 'context'] };
  // Items that arrived close together stack in two rows rather than print over each other.
  const rowEnds = [-Infinity, -Infinity];
  const arrivals = items
    .map((e) => ({ e, at: x(Date.parse(e.createdAt)) }))
    .sort((a, b) => a.at - b.at)
    .map(({ e, at }) => {
      const [colour, mark, said] = STANCE_MARK[e.stance];
      const row = rowEnds[0] <= at - 9 ? 0 : 1;
      rowEnds[row] = at;
      return `<text class="arrival" x="${at}" y="${height - bottom + 13 + row * 10}" font-size="10" text-anchor="middle" fill="${colour}"><title>Evidence ${said}, ${esc(e.grade)}, arrived ${day(e.createdAt)}</title>${mark}</text>`;
    })
    .join('');
  // Each version's number and value, above its point or else below it, wherever they clear every label placed
  // already (latest version first); on a crowded phone chart some go unlabelled, named still to the keyboard and in the table.
  const taken = [];
  const labels = versions.map(() => '');
  for (let i = versions.length - 1; i >= 0; i--) {
    const [cx, cy, a] = [xs[i], y(versions[i].probability), versions[i]];
    const half = (Math.max(`v${a.version}`.length, percent(a.probability).length) * 6) / 2 + 1;
    const spot = [cy - 29, cy + 8]
      .filter((from) => from >= 0 && from + 25 <= height - bottom)
      .find((from) => taken.every((b) => cx + half <= b.left || cx - half >= b.right || from + 25 <= b.top || from >= b.bottom));
    if (spot === undefined) continue;
    taken.push({ left: cx - half, right: cx + half, top: spot, bottom: spot + 25 });
    labels[i] = `<text x="${cx}" y="${spot + 9}" font-size="10" text-anchor="middle" fill="#111" font-weight="700">v${a.version}</text>
        <text x="${cx}" y="${spot + 22}" font-size="10" text-anchor="middle" fill="#111">${percent(a.probability)}</text>`;
  }
  const points = versions
    .map(
      (a, i) => `<g class="point" tabindex="0" role="link" data-version="${a.version}" aria-label="v${a.version} ${percent(a.probability)}: version ${a.version}, ${esc(a.estimativeTerm)}, ${day(a.createdAt)}, ${esc(a.createdByName)}">
        <circle cx="${xs[i]}" cy="${y(a.probability)}" r="5" fill="#1f4e79" stroke="#fff" stroke-width="1.5" />${labels[i]}</g>`,
    )
    .join('');
  const summary = versions.length
    ? `Probability over ${versions.length} version(s), from ${percent(versions[0].probability)} to ${percent(versions.at(-1).probability)}; ${items.length} item(s) of evidence.`
    : 'No assessments yet.';
  return `<svg id="chart" viewBox="0 0 ${width} ${height}" role="group" aria-label="${esc(summary)}">
    <g aria-hidden="true">${bands}${grid}${dates}${arrivals}</g>
    <polyline points="${versions.map((a, i) => `${xs[i]},${y(a.probability)}`).join(' ')}" fill="none" stroke="#1f4e79" stroke-width="2" aria-hidden="true" />
    ${points}
  </svg>
  <p class="meta legend">Versions are labelled with their number and probability (Tab to each; Enter opens why it moved). Evidence arrived: <span class="for-mark">▲ for</span>, <span class="against-mark">▼ against</span>, ● context.</p>`;
}

function assessmentForm(claim, items) {
  if (!draft || draft.claimId !== claim.id) {
    draft = drafts.load(claim.id) ?? { claimId: claim.id, baseVersion: claim.assessment?.version ?? 0, probability: Math.round((claim.assessment?.probability ?? 0.5) * 100), confidence: claim.assessment?.confidence ?? 'moderate', rationale: '', evidenceIds: [] };
  }
  return `
    <form id="assess" class="card" aria-labelledby="assess-title">
      <h2 id="assess-title">Record a new assessment</h2>
      <div id="conflict" role="alert"></div>
      <label for="probability">Probability (%)</label>
      <input id="probability" type="range" min="0" max="100" step="1" value="${draft.probability}" aria-describedby="term" />
      <input id="probability-number" type="number" min="0" max="100" step="1" value="${draft.probability}" aria-label="Probability in percent" style="max-width: 8rem" />
      <p>Estimative term: <span id="term" class="term" aria-live="polite">${estimativeTerm(draft.probability / 100)}</span></p>
      <label for="confidence">Analytic confidence</label>
      <select id="confidence">${['low', 'moderate', 'high'].map((c) => `<option ${c === draft.confidence ? 'selected' : ''}>${c}</option>`).join('')}</select>
      <label for="rationale">Rationale</label>
      <textarea id="rationale" required>${esc(draft.rationale)}</textarea>
      <label for="review-by-day">Review by (optional)</label>
      <input id="review-by-day" type="date" value="${esc(draft.reviewBy ?? '')}" style="max-width: 12rem" />
      <fieldset class="evidence-choices"><legend>Evidence it rests on</legend>${items
        .map((e) => `<label><input type="checkbox" value="${e.id}" ${draft.evidenceIds.includes(e.id) ? 'checked' : ''} /> [${esc(e.stance)}, ${esc(e.grade)}] ${esc(e.quote.slice(0, 90))}</label>`)
        .join('')}</fieldset>
      <p id="assess-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Record assessment</button>
      <button id="discard-draft" class="secondary" type="button">Discard draft</button>
    </form>`;
}

/** A resolution day as a time: noon UTC that day, or now when it is today (a resolution is never in the future). */
const resolutionTime = (day) => (day === new Date().toISOString().slice(0, 10) ? new Date().toISOString() : `${day}T12:00:00Z`);

/** Record how a claim turned out, or re-open one that was resolved. */
function resolutionForm(c) {
  if (c.resolvedAt) {
    const outcome = { resolved_true: 'Resolved true', resolved_false: 'Resolved false', annulled: 'Resolution annulled' }[c.status];
    return `<section id="resolution" class="card" tabindex="-1" aria-labelledby="resolution-title"><h2 id="resolution-title">${outcome} on ${day(c.resolvedAt)}</h2>
      ${c.resolutionNote ? `<p>${esc(c.resolutionNote)}</p>` : ''}<p class="meta">${
        c.status === 'annulled' ? 'Found ill-posed: it takes no new assessments and no score counts it.' : 'A resolved claim takes no new assessments.'
      }</p>
      <button id="reopen" class="secondary" type="button">Re-open</button>
      ${c.status === 'annulled' ? '' : '<button id="annul" class="secondary" type="button">Annul (ill-posed)</button>'}</section>`;
  }
  return `<details class="card"><summary>Record how it turned out</summary>
    <form id="resolve" aria-label="Resolve the claim">
      <label for="outcome">Outcome</label><select id="outcome" required><option value="">choose…</option><option value="true">true</option><option value="false">false</option></select>
      <label for="resolved-on">Resolved on</label><input id="resolved-on" type="date" required />
      <label for="resolution-note">What showed it (optional)</label><textarea id="resolution-note"></textarea>
      <p id="resolve-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Resolve</button>
    </form></details>`;
}

function evidenceForm() {
  return `
    <form id="add-evidence" class="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Add evidence</h2>
      <label for="evidence-source">Source</label><select id="evidence-source" required></select>
      <label for="evidence-stance">Stance</label><select id="evidence-stance" required><option value="">choose…</option><option value="supports">supports</option><option value="contradicts">contradicts</option><option value="context">context</option></select>
      <label for="evidence-quote">Exact quote</label><textarea id="evidence-quote" required></textarea>
      <label for="evidence-credibility">Information credibility</label><select id="evidence-credibility" required><option value="">choose…</option>${Object.entries(INFORMATION_CREDIBILITY).map(([grade, { label }]) => `<option value="${grade}">${grade} — ${label}</option>`).join('')}</select>
      <label for="evidence-diagnosticity">Diagnosticity (likelihood ratio, 1 = none)</label><input id="evidence-diagnosticity" type="number" min="1" max="1000" step="0.1" value="1" />
      <p id="evidence-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Add evidence</button>
    </form>`;
}

function sourceForm() {
  const kinds = ['news_report', 'analysis', 'official_statement', 'intelligence_report', 'social_media', 'other'];
  return `
    <form id="add-source" class="card" aria-labelledby="source-title">
      <h2 id="source-title">Add a source</h2>
      <label for="source-title-input">Title</label><input id="source-title-input" type="text" required />
      <label for="source-kind">Kind</label><select id="source-kind">${kinds.map((k) => `<option value="${k}">${k.replace('_', ' ')}</option>`).join('')}</select>
      <label for="source-reliability">Reliability (Admiralty)</label><select id="source-reliability">${['A', 'B', 'C', 'D', 'E', 'F'].map((r) => `<option ${r === 'F' ? 'selected' : ''}>${r}</option>`).join('')}</select>
      <label for="source-url">URL (optional)</label><input id="source-url" type="url" />
      <label for="source-text">Full text (optional; quotes must then occur in it)</label><textarea id="source-text"></textarea>
      <p id="source-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Add source</button>
    </form>`;
}

/** The source last quoted from: the next item of evidence most often comes from it too. */
let lastSourceId;

async function loadSourceOptions() {
  const res = await api('/sources?limit=500&sort=title');
  const select = view.querySelector('#evidence-source');
  select.innerHTML = res.body.items.map((s) => `<option value="${s.id}">${esc(s.title)} (${esc(s.reliability)})</option>`).join('');
  if (res.body.items.some((s) => s.id === lastSourceId)) select.value = lastSourceId;
}

function bindClaimForms(claim) {
  const form = view.querySelector('#assess');
  const range = form.querySelector('#probability');
  const number = form.querySelector('#probability-number');
  const remember = () => {
    draft.probability = Number(range.value);
    draft.confidence = form.querySelector('#confidence').value;
    draft.rationale = form.querySelector('#rationale').value;
    draft.evidenceIds = [...form.querySelectorAll('.evidence-choices input:checked')].map((input) => input.value);
    draft.reviewBy = form.querySelector('#review-by-day').value;
    drafts.save(draft);
  };
  const setProbability = (value) => {
    range.value = number.value = value;
    form.querySelector('#term').textContent = estimativeTerm(Number(value) / 100);
    remember();
  };
  range.addEventListener('input', () => setProbability(range.value));
  number.addEventListener('input', () => setProbability(number.value));
  form.addEventListener('input', remember);
  form.querySelector('#discard-draft').addEventListener('click', async () => {
    drafts.discard(claim.id);
    draft = undefined;
    await renderClaim(claim.id);
    announce('Draft discarded.');
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    remember();
    const res = await api(`/claims/${claim.id}/assessments`, {
      method: 'POST',
      body: {
        probability: draft.probability / 100, confidence: draft.confidence, rationale: draft.rationale, evidenceIds: draft.evidenceIds, baseVersion: draft.baseVersion,
        // The end of the chosen day: the judgement is due once that day is over.
        ...(draft.reviewBy ? { reviewBy: endOfDay(draft.reviewBy) } : {}),
      },
    });
    if (res.status === 409 && res.body.current) return showConflict(claim, res.body.current);
    if (!res.ok) {
      form.querySelector('#assess-error').textContent = problemText(res.body);
      return;
    }
    drafts.discard(claim.id);
    draft = undefined;
    await renderClaim(claim.id);
    announce(`Assessment version ${res.body.version} recorded: ${res.body.estimativeTerm} (${percent(res.body.probability)}).`);
    focusOn(view.querySelector('#history tbody tr:last-child'));
  });

  loadSourceOptions().catch((error) => {
    if (error.name !== 'AbortError') throw error;
  });
  view.querySelector('#add-evidence').addEventListener('submit', async (event) => {
    event.preventDefault();
    const res = await api(`/claims/${claim.id}/evidence`, {
      method: 'POST',
      body: {
        sourceId: view.querySelector('#evidence-source').value,
        stance: view.querySelector('#evidence-stance').value,
        quote: view.querySelector('#evidence-quote').value,
        credibility: Number(view.querySelector('#evidence-credibility').value),
        diagnosticity: Number(view.querySelector('#evidence-diagnosticity').value),
      },
    });
    if (!res.ok) return void (view.querySelector('#evidence-error').textContent = problemText(res.body));
    lastSourceId = res.body.sourceId;
    await renderClaim(claim.id);
    announce(`Evidence added (${res.body.stance}, grade ${res.body.grade}).`);
    focusOn(view.querySelector(`[data-evidence="${res.body.id}"]`));
  });
  view.querySelector('#add-source').addEventListener('submit', async (event) => {
    event.preventDefault();
    const url = view.querySelector('#source-url').value.trim();
    const fullText = view.querySelector('#source-text').value;
    const res = await api('/sources', {
      method: 'POST',
      body: {
        title: view.querySelector('#source-title-input').value,
        kind: view.querySelector('#source-kind').value,
        reliability: view.querySelector('#source-reliability').value,
        ...(url ? { url } : {}),
        ...(fullText ? { fullText } : {}),
      },
    });
    if (res.status === 409 && res.body.existingId) {
      // Not a failure to report but a source to use: the one with this URL.
      lastSourceId = res.body.existingId;
      await loadSourceOptions();
      const existing = view.querySelector('#evidence-source').selectedOptions[0]?.textContent ?? 'it';
      view.querySelector('#source-error').textContent = '';
      announce(`That URL is already a source: ${existing}. It is chosen for the next evidence.`);
      focusOn(view.querySelector('#evidence-source'));
    } else if (!res.ok) view.querySelector('#source-error').textContent = problemText(res.body);
    else {
      event.target.reset();
      lastSourceId = res.body.id;
      await loadSourceOptions();
      announce(`Source "${res.body.title}" added, and chosen for the next evidence.`);
      focusOn(view.querySelector('#evidence-source'));
    }
  });
}

/** Someone assessed first: show their version, keep what was typed, and let the analyst choose. */
function showConflict(claim, current) {
  const panel = view.querySelector('#conflict');
  panel.className = 'card conflict';
  panel.innerHTML = `
    <p><strong>${esc(current.createdByName)} recorded version ${current.version} first</strong>: ${esc(current.estimativeTerm)} (${percent(current.probability)}), ${esc(current.confidence)} confidence.</p>
    <blockquote>${esc(current.rationale)}</blockquote>
    <p>Your assessment is kept below. Submit it as the next version, or revise it first.</p>
    <button class="primary" type="button" id="reapply">Submit mine as version ${current.version + 1}</button>
    <button class="secondary" type="button" id="revise">Revise mine</button>`;
  draft.baseVersion = current.version;
  drafts.save(draft);
  panel.querySelector('#reapply').addEventListener('click', () => view.querySelector('#assess').requestSubmit());
  panel.querySelector('#revise').addEventListener('click', () => {
    panel.innerHTML = `<p class="meta">Revising on top of version ${current.version}.</p>`;
    view.querySelector('#rationale').focus();
  });
  panel.querySelector('#reapply').focus();
}

// --- alerts ----------------------------------------------------------------------------
const TRIGGER_LABELS = new Map(ALERT_TRIGGERS.map(({ trigger, label }) => [trigger, label]));

/** The analyst's rules that watch named claims for their inbox (what the watch button makes). */
async function watchRules() {
  const rules = await api('/alert-rules');
  return rules.ok ? rules.body.filter((rule) => rule.claimIds.length && rule.inbox) : [];
}

/** The unread count beside "Inbox" in the header. */
async function showUnread() {
  const inbox = await api('/inbox?unread=true&limit=1');
  const unread = inbox.ok ? inbox.body.unread : 0;
  const count = document.getElementById('unread');
  count.textContent = unread ? String(unread) : '';
  count.hidden = !unread;
  document.getElementById('inbox-link').setAttribute('aria-label', unread ? `Inbox, ${unread} unread` : 'Inbox');
}

/** Watch / stop watching: a rule of one claim, for every event that concerns it, told to the inbox. */
async function bindWatch(claim) {
  const button = view.querySelector('#watch');
  let rule = (await watchRules()).find((r) => r.claimIds.length === 1 && r.claimIds[0] === claim.id && !r.webhookUrl);
  const show = () => {
    button.textContent = rule ? 'Watching ★' : 'Watch';
    button.setAttribute('aria-pressed', String(Boolean(rule)));
  };
  show();
  button.disabled = false;
  button.addEventListener('click', async () => {
    if (rule) {
      const gone = await api(`/alert-rules/${rule.id}`, { method: 'DELETE' });
      if (!gone.ok) return announce(problemText(gone.body), 'error');
      rule = undefined;
      announce('No longer watching this claim.');
    } else {
      const made = await api('/alert-rules', { method: 'POST', body: { name: `Watch: ${claim.statement}`.slice(0, 200), claimIds: [claim.id], events: WATCH_TRIGGERS } });
      if (!made.ok) return announce(problemText(made.body), 'error');
      rule = made.body;
      announce('Watching: band crossings, new evidence, regrades, its resolution and review date come to your inbox.');
    }
    show();
  });
}

const EVENT_NAMES = {
  'assessment.revised': 'Assessment revised',
  'evidence_probability.changed': 'Evidence-weighted probability moved',
  'consensus.changed': 'Team consensus moved',
  'evidence.added': 'New evidence',
  'source.regraded': 'Source regraded',
  'claim.resolved': 'Resolved',
  'claim.review_due': 'Due for review',
};

/** What an event did, in a line: "likely (75 %) → very likely (82 %)", a stance and quote, a grade. */
function eventChange(item) {
  const value = (v) => (v?.probability == null ? null : `${esc(v.estimativeTerm)} (${percent(v.probability)})`);
  if (item.type === 'evidence.added') return `${esc(item.after.stance)}: “${esc(String(item.after.quote).slice(0, 140))}”`;
  if (item.type === 'source.regraded') return `${esc(item.after.sourceTitle)}: ${esc(item.before.reliability)} → ${esc(item.after.reliability)}`;
  if (item.type === 'claim.resolved') return esc(String(item.after.status).replace('_', ' '));
  if (value(item.before) || value(item.after)) return `${value(item.before) ?? 'none'} → ${value(item.after) ?? 'none'}`;
  return '';
}

async function renderInbox() {
  const inbox = await api('/inbox?limit=100');
  if (!inbox.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(inbox.body))}</p>`;
    return;
  }
  const item = (i) => `<li class="${i.readAt ? 'read' : 'unread'}" data-item="${i.id}">
      <strong>${esc(EVENT_NAMES[i.type] ?? i.type)}</strong>${i.readAt ? '' : ' <span class="new">unread</span>'} — <a href="#/claims/${i.claim.id}" data-claim>${esc(i.claim.statement)}</a>
      <div>${eventChange(i)}</div>
      <div class="meta">${esc(i.triggers.map((t) => TRIGGER_LABELS.get(t) ?? t).join('; '))} · ${i.actor?.name ? `${esc(i.actor.name)}, ` : ''}${day(i.occurredAt)}</div>
    </li>`;
  view.innerHTML = `
    <h1>Inbox</h1>
    <p id="inbox-count">${inbox.body.unread} unread of ${inbox.body.total}. <a href="#/alerts">Your alert rules</a></p>
    ${inbox.body.unread ? '<p><button id="read-all" class="secondary" type="button">Mark all read</button></p>' : ''}
    ${
      inbox.body.items.length
        ? `<ul id="inbox" class="card">${inbox.body.items.map(item).join('')}</ul>`
        : '<p class="meta">Nothing yet. Watch a claim (its page has a Watch button) or a search, and what happens to it comes here.</p>'
    }`;
  view.querySelector('#read-all')?.addEventListener('click', async () => {
    const done = await api('/inbox/read', { method: 'POST' });
    if (!done.ok) return announce(problemText(done.body), 'error');
    await renderInbox();
    void showUnread();
    announce('All read.');
  });
  // Opening an item's claim marks it read.
  for (const link of view.querySelectorAll('#inbox a[data-claim]')) {
    link.addEventListener('click', () => void api(`/inbox/${link.closest('li').dataset.item}`, { method: 'PATCH', body: { read: true } }));
  }
}

async function renderAlertRules() {
  const rules = await api('/alert-rules');
  if (!rules.ok) {
    view.innerHTML = `<p class="error" role="alert">${esc(problemText(rules.body))}</p>`;
    return;
  }
  const which = (r) =>
    [r.claimIds.length ? `${r.claimIds.length} claim(s)` : '', r.topic ? `topic ${esc(r.topic)}` : '', r.entity ? `entity ${esc(r.entity)}` : '', r.search ? `search “${esc(r.search)}”` : '']
      .filter(Boolean)
      .join(', ') || 'every claim';
  const row = (r) => `<tr data-rule="${r.id}">
      <td data-label="Rule">${esc(r.name)}${r.owner ? '' : ' <span class="meta">(integration)</span>'}</td>
      <td data-label="Claims">${which(r)}</td>
      <td data-label="Events">${esc(r.events.map((t) => TRIGGER_LABELS.get(t) ?? t).join('; '))}${r.minMovePoints ? ` (≥ ${r.minMovePoints} pts)` : ''}</td>
      <td data-label="Delivers to">${[r.inbox ? 'inbox' : '', r.webhookUrl ? `webhook ${esc(r.webhookUrl)}` : ''].filter(Boolean).join(', ')}</td>
      <td data-label="State">${r.enabled ? 'on' : `<span class="error">off</span> ${esc(r.disabledReason ?? '')}`}</td>
      <td data-label="Actions">${
        r.webhookUrl
          ? `<button class="secondary" type="button" data-test aria-label="Send a test message for ${esc(r.name)}">Test</button> <button class="secondary" type="button" data-log aria-label="Deliveries of ${esc(r.name)}">Deliveries</button> `
          : ''
      }<button class="secondary" type="button" data-delete aria-label="Delete ${esc(r.name)}">Delete</button></td>
    </tr>`;
  view.innerHTML = `
    <h1>Alert rules</h1>
    <p><a href="#/inbox">Inbox</a> · webhooks are signed per Standard Webhooks and retried for a day: see the README's Alerts section.</p>
    ${
      rules.body.length
        ? `<table id="rules" class="stack"><thead><tr><th scope="col">Rule</th><th scope="col">Claims</th><th scope="col">Events</th><th scope="col">Delivers to</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead><tbody>${rules.body.map(row).join('')}</tbody></table>`
        : '<p class="meta">No rules yet.</p>'
    }
    <div id="rule-secret"></div>
    <section id="delivery-log" class="card" hidden aria-labelledby="delivery-log-title"><h2 id="delivery-log-title">Deliveries</h2><div></div></section>
    <form id="new-rule" class="card" aria-labelledby="new-rule-title">
      <h2 id="new-rule-title">New rule</h2>
      <label for="rule-name">Name</label><input id="rule-name" required maxlength="200" />
      <div class="filters">
        <div><label for="rule-topic">Topic</label><input id="rule-topic" /></div>
        <div><label for="rule-entity">Entity</label><input id="rule-entity" /></div>
        <div><label for="rule-search">Search</label><input id="rule-search" type="search" /></div>
      </div>
      <fieldset class="evidence-choices"><legend>Events</legend>${ALERT_TRIGGERS.map(({ trigger, label }) => `<label><input type="checkbox" name="event" value="${trigger}" /> ${esc(label)}</label>`).join('')}</fieldset>
      <label for="rule-points">Least move, in points (for “moves by at least N points”)</label><input id="rule-points" type="number" min="1" max="100" style="max-width: 8rem" />
      <label for="rule-webhook">Webhook URL (optional)</label><input id="rule-webhook" type="url" placeholder="https://…" />
      <label><input id="rule-inbox" type="checkbox" checked /> Also to my inbox</label>
      <p id="rule-error" class="error" role="alert"></p>
      <button class="primary" type="submit">Make rule</button>
    </form>`;
  for (const button of view.querySelectorAll('#rules button[data-delete]')) {
    button.addEventListener('click', async () => {
      const gone = await api(`/alert-rules/${button.closest('tr').dataset.rule}`, { method: 'DELETE' });
      if (!gone.ok) return announce(problemText(gone.body), 'error');
      await renderAlertRules();
      announce('Rule deleted.');
    });
  }
  for (const button of view.querySelectorAll('#rules button[data-test]')) {
    button.addEventListener('click', async () => {
      const sent = await api(`/alert-rules/${button.closest('tr').dataset.rule}/test`, { method: 'POST' });
      if (!sent.ok) return announce(problemText(sent.body), 'error');
      announce(sent.body.ok ? `Test message delivered: the receiver answered ${sent.body.status}.` : `Test message not delivered: ${sent.body.error ?? `the receiver answered ${sent.body.status}`}.`, sent.body.ok ? 'ok' : 'error');
    });
  }
  for (const button of view.querySelectorAll('#rules button[data-log]')) button.addEventListener('click', () => showDeliveries(button.closest('tr').dataset.rule));
  view.querySelector('#new-rule').addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = (id) => view.querySelector(id).value.trim();
    const optional = { topic: value('#rule-topic'), entity: value('#rule-entity'), search: value('#rule-search'), webhookUrl: value('#rule-webhook') };
    const body = {
      name: value('#rule-name'),
      events: [...view.querySelectorAll('input[name=event]:checked')].map((input) => input.value),
      inbox: view.querySelector('#rule-inbox').checked,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v)),
      ...(value('#rule-points') ? { minMovePoints: Number(value('#rule-points')) } : {}),
    };
    const made = await api('/alert-rules', { method: 'POST', body });
    if (!made.ok) return void (view.querySelector('#rule-error').textContent = problemText(made.body));
    await renderAlertRules();
    if (made.body.secret) {
      view.querySelector('#rule-secret').innerHTML = `<p class="notice" id="secret-notice">The webhook's signing secret, shown this once: <code>${esc(made.body.secret)}</code>. Keep it where the receiver verifies signatures.</p>`;
    }
    announce('Rule made.');
  });
}

/** A webhook rule's delivery log: each event sent, its state and the receiver's last answer; a failed one can be sent again. */
async function showDeliveries(ruleId) {
  const log = await api(`/alert-rules/${ruleId}/deliveries?limit=50`);
  if (!log.ok) return announce(problemText(log.body), 'error');
  const section = view.querySelector('#delivery-log');
  section.hidden = false;
  const row = (d) => `<tr data-delivery="${d.id}">
      <td data-label="Event">${esc(EVENT_NAMES[d.type] ?? d.type)} — <a href="#/claims/${d.claimId}">claim</a></td>
      <td data-label="State">${esc(d.status)}${d.status === 'failed' ? ' <button class="secondary" type="button" data-again>Send again</button>' : ''}</td>
      <td data-label="Attempts">${d.attempts}</td>
      <td data-label="Last answer">${d.lastStatus ?? esc(d.lastError ?? '')}</td>
      <td data-label="When">${day(d.lastAttemptAt ?? d.createdAt)}</td>
    </tr>`;
  section.querySelector('div').innerHTML = log.body.items.length
    ? `<table class="stack"><thead><tr><th scope="col">Event</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">When</th></tr></thead><tbody>${log.body.items.map(row).join('')}</tbody></table>`
    : '<p class="meta">Nothing sent yet.</p>';
  for (const again of section.querySelectorAll('button[data-again]')) {
    again.addEventListener('click', async () => {
      const sent = await api(`/alert-rules/${ruleId}/deliveries/${again.closest('tr').dataset.delivery}/redeliver`, { method: 'POST' });
      if (!sent.ok) return announce(problemText(sent.body), 'error');
      await showDeliveries(ruleId);
      announce('Sending it again.');
    });
  }
  focusOn(section.querySelector('h2'));
}

route();
