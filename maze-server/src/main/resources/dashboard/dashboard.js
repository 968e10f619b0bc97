// Maze's dashboard (maze-server/README.md, "Dashboard"): plain JavaScript over the HTTP API, no build step.
// Everything it shows comes from /api/v1 and /metrics with the bearer token; names and ids from the API are only ever
// written with textContent or escaped, never as HTML.
'use strict';

(() => {
  const API = '/api/v1';
  const TOKEN_KEY = 'maze.token';
  const SEEN_KEY = 'maze.workflows';
  const SEEN_LIMIT = 200;
  const COLORS = {
    PENDING: '#9aa0a6', READY: '#f2b233', RUNNING: '#3b82f6', FINISHED: '#22a06b', FAILED: '#e5484d',
    CANCELLED: '#6b7280', LOST: '#a371f7',
  };
  const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELLED']);
  const POLL_MILLIS = 2000; // /nodes and /metrics: the nodes panel and a point of each chart
  const CHART_MILLIS = 10 * 60 * 1000; // the charts' time axis: the last ten minutes

  const $ = (selector) => document.querySelector(selector);
  const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
  const esc = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  /** Builds an element with attributes and children (strings become text nodes, never HTML). */
  function el(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined) {
        element.setAttribute(name, value);
      }
    }
    for (const child of children) {
      element.append(child instanceof Node ? child : document.createTextNode(child ?? ''));
    }
    return element;
  }

  const stateBadge = (state) => el('span', {class: `state state-${state}`}, state);

  // ---- the token: from the URL fragment (never sent to the server), else the form; kept for this tab only ----

  function takeTokenFromFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const given = fragment.get('token');
    if (given) {
      sessionStorage.setItem(TOKEN_KEY, given);
      fragment.delete('token');
      const rest = fragment.toString();
      // out of the address bar and the history, so it is not copied, bookmarked or screenshotted
      history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
    }
  }

  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class Unauthorized extends Error {}

  function headers(extra = {}) {
    return {Authorization: `Bearer ${token()}`, ...extra};
  }

  async function get(url, accept) {
    const response = await fetch(url, {headers: headers({Accept: accept}), cache: 'no-store'});
    if (response.status === 401) {
      throw new Unauthorized();
    }
    if (!response.ok) {
      throw new Error(`${url}: HTTP ${response.status}`);
    }
    return response;
  }

  const api = async (path) => (await get(API + path, 'application/json')).json();

  /** The value of gauge `name` in /metrics (Prometheus text; its first series if labelled), else null. */
  async function metric(name) {
    const text = await (await get('/metrics', 'text/plain')).text();
    const found = new RegExp(`^${name}(?:\\{[^}]*\\})? +(\\S+)`, 'm').exec(text);
    const value = found ? Number(found[1]) : NaN;
    return Number.isFinite(value) ? value : null;
  }

  // ---- server-sent events through fetch: EventSource cannot send the Authorization header ----

  /** Reads a text/event-stream body, calling dispatch(id, event, data) for each event (the SSE parsing rules). */
  async function readEvents(body, dispatch) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let id = null;
    let event = '';
    let data = [];
    for (;;) {
      const {value, done} = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (line === '') {
          if (data.length > 0) {
            dispatch(id, event || 'message', data.join('\n'));
          }
          event = '';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') {
            id = text;
          } else if (field === 'event') {
            event = text;
          } else if (field === 'data') {
            data.push(text);
          }
        }
      }
    }
  }

  /**
   * Follows an event stream of the API: onEvent(kind, data) for each event; after a drop it reconnects (1 s, doubling
   * to 15 s) with Last-Event-ID, so nothing is missed or repeated; stops when complete() says the stream has ended
   * for good, on stop(), on a 401 (onStatus('unauthorized')) or another client error (onStatus('refused', why)).
   */
  function follow(path, {onEvent, onStatus = () => {}, complete = () => false, lastEventId = null}) {
    const controller = new AbortController();
    let stopped = false;
    let lastId = lastEventId;
    let backoff = 1000;
    (async () => {
      while (!stopped) {
        try {
          const response = await fetch(API + path, {
            headers: headers({Accept: 'text/event-stream', ...(lastId === null ? {} : {'Last-Event-ID': lastId})}),
            signal: controller.signal,
            cache: 'no-store',
          });
          if (response.status === 401) {
            onStatus('unauthorized');
            return;
          }
          if (response.status >= 400 && response.status < 500) { // asking again would be refused again
            onStatus('refused', `${path}: HTTP ${response.status}`);
            return;
          }
          if (!response.ok) {
            throw new Error(`${path}: HTTP ${response.status}`);
          }
          onStatus('live');
          backoff = 1000;
          await readEvents(response.body, (id, kind, data) => {
            if (id !== null) {
              lastId = id;
            }
            onEvent(kind, JSON.parse(data));
          });
          if (complete()) {
            onStatus('ended');
            return;
          }
        } catch (error) {
          if (stopped) {
            return;
          }
          console.warn('maze dashboard: stream', path, 'dropped:', error.message);
        }
        if (stopped) {
          return;
        }
        onStatus('reconnecting');
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 15000);
      }
    })();
    return {
      stop() {
        stopped = true;
        controller.abort();
      },
    };
  }

  // ---- what the page knows: workflows, the nodes and their use (GET /nodes), the charts' points ----

  const workflows = new Map(); // id -> {id, name, status, submittedAt}
  let nodes = [];
  const samples = {queue: [], series: new Map()}; // series: chart line name -> [[millis, percent]]
  let session = null; // {stream, timers}
  let view = null; // the selected workflow

  function loadSeen() {
    try {
      for (const workflow of JSON.parse(sessionStorage.getItem(SEEN_KEY) || '[]')) {
        workflows.set(workflow.id, workflow);
      }
    } catch (error) {
      sessionStorage.removeItem(SEEN_KEY);
    }
  }

  function saveSeen() {
    const kept = [...workflows.values()].sort((a, b) => b.submittedAt - a.submittedAt).slice(0, SEEN_LIMIT);
    sessionStorage.setItem(SEEN_KEY, JSON.stringify(kept));
  }

  function setWorkflow(id, fields) {
    const known = workflows.get(id) || {id, name: '', status: 'RUNNING', submittedAt: 0};
    // an ended workflow stays ended: a late or replayed event cannot bring it back
    const status = TERMINAL.has(known.status) && fields.status && !TERMINAL.has(fields.status)
      ? known.status : (fields.status || known.status);
    workflows.set(id, {...known, ...fields, status});
    later('save', saveSeen, 500);
    later('workflows', renderWorkflows);
  }

  /**
   * The whole stream (GET /api/v1/events): the workflow list; and, as any event may change the queue or what runs
   * where, a poll of /nodes and /metrics soon after each burst of them.
   */
  function onGlobalEvent(kind, event) {
    const id = event.workflowId;
    if (id && kind !== 'WorkflowAccepted' && !workflows.has(id)) {
      discover(id);
    }
    if (kind === 'WorkflowAccepted') {
      setWorkflow(id, {name: event.spec.name, status: 'RUNNING', submittedAt: event.atSeconds});
    } else if (kind === 'WorkflowEnded') {
      setWorkflow(id, {status: event.state});
    }
    later('poll', poll, 300);
  }

  /** A workflow the page has not seen accepted (it was running when the page opened): its snapshot. */
  async function discover(id) {
    workflows.set(id, {id, name: '', status: 'RUNNING', submittedAt: 0});
    try {
      const snapshot = await api(`/workflows/${encodeURIComponent(id)}`);
      setWorkflow(id, {name: snapshot.name, status: snapshot.state, submittedAt: snapshot.submittedAt});
    } catch (error) {
      handle(error);
    }
  }

  async function loadActive() {
    for (const workflow of (await api('/workflows')).workflows) {
      setWorkflow(workflow.id, {name: workflow.name, status: workflow.status, submittedAt: workflow.submittedAt});
    }
  }

  /**
   * The nodes' use (GET /api/v1/nodes) and the ready queue's length (maze_tasks_ready in /metrics), read together:
   * the nodes panel is redrawn and each chart gets a point. One at a time; asked for during one, another follows.
   */
  let polling = null;
  let pollAgain = false;

  function poll() {
    if (!session) { // stopped: no token to ask with
      return null;
    }
    if (polling) {
      pollAgain = true;
      return polling;
    }
    polling = (async () => {
      try {
        const [listed, ready] = await Promise.all([api('/nodes'), metric('maze_tasks_ready').catch((error) => {
          if (error instanceof Unauthorized) {
            throw error;
          }
          console.warn('maze dashboard:', error.message); // the nodes are still shown; the queue misses a point
          return null;
        })]);
        nodes = listed.nodes;
        renderNodes();
        sample(ready);
      } catch (error) {
        handle(error);
      } finally {
        polling = null;
        if (pollAgain && session) {
          pollAgain = false;
          poll();
        }
      }
    })();
    return polling;
  }

  // ---- rendering, batched: a replay of a thousand events draws once ----

  const pending = new Map();

  function later(name, render, millis = 60) {
    if (!pending.has(name)) {
      pending.set(name, setTimeout(() => {
        pending.delete(name);
        render();
      }, millis));
    }
  }

  function renderWorkflows() {
    const rows = [...workflows.values()].sort((a, b) => b.submittedAt - a.submittedAt).map((workflow) => {
      const row = el('tr', {'data-workflow-id': workflow.id, 'data-status': workflow.status,
        class: view && view.id === workflow.id ? 'selected' : null},
      el('td', {}, workflow.id), el('td', {}, workflow.name), el('td', {}, stateBadge(workflow.status)));
      row.addEventListener('click', () => select(workflow.id));
      return row;
    });
    $('#workflows tbody').replaceChildren(...rows);
  }

  const isEndpoint = (nodeId) => nodes.some((node) => node.id === nodeId && node.endpoint);

  /** The Gantt's rows an attempt occupies: each of its GPUs, else its node; a model endpoint is one row. */
  function rowsOf(nodeId, gpus) {
    return gpus && gpus.length > 0 && !isEndpoint(nodeId) ? gpus.map((gpu) => `${nodeId} gpu${gpu}`) : [nodeId];
  }

  const number = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  const percent = (share) => Math.round(1000 * Math.min(1, Math.max(0, share))) / 10;

  /** One row per node from GET /nodes: its capacity, what is free and running now, and per GPU its use and models. */
  function renderNodes() {
    const rows = nodes.map((node) => {
      const known = node.utilisation !== undefined; // the node's use, unless it left between two reads
      const name = el('td', {}, node.id, node.draining ? el('span', {class: 'state state-draining'}, 'draining') : '');
      const attributes = {'data-node-id': node.id, 'data-draining': String(Boolean(node.draining)),
        'data-running': known ? String(node.runningTasks) : null};
      if (node.endpoint) { // its cores, memory and GPU are the engine's stand-ins for the endpoint's capacity
        const endpoint = node.endpoint;
        const loaded = endpoint.holds === 'always' ? '' : `; loaded now: ${
          (node.gpus[0]?.residentModels || []).join(', ') || 'none'}`;
        return el('tr', attributes, name, el('td', {}, '–'), el('td', {}, '–'),
          el('td', {}, known ? `${node.runningTasks} of ${endpoint.maxConcurrency} calls` : '?'),
          el('td', {title: 'calls in flight over the endpoint\'s maxConcurrency'},
            known ? `${percent(node.runningTasks / endpoint.maxConcurrency)}%` : '?'),
          el('td', {}, `endpoint ${endpoint.id}: ${endpoint.holds === 'always' ? 'resident' : 'loaded on demand'}: ${
            endpoint.models.join(', ') || 'none'}; up to ${endpoint.maxConcurrency} calls${loaded}`));
      }
      const gpus = node.gpus.map((gpu) => el('div', {class: 'gpu', 'data-gpu-index': String(gpu.index),
        'data-running': gpu.runningTasks === undefined ? null : String(gpu.runningTasks)},
      `gpu${gpu.index}${gpu.name ? ` ${gpu.name}` : ''}: `, gpu.runningTasks === undefined ? `${number(gpu.memoryGb)} GB`
        : `${gpu.runningTasks} running, ${number(gpu.freeMemoryGb)}/${number(gpu.memoryGb)} GB free, resident: ${
          (gpu.residentModels || []).join(', ') || 'none'}`));
      return el('tr', attributes, name,
        el('td', {}, known ? `${number(node.freeCpu)}/${number(node.cpu)}` : number(node.cpu)),
        el('td', {}, known ? `${number(node.freeMemoryGb)}/${number(node.memoryGb)} GB` : `${number(node.memoryGb)} GB`),
        el('td', {}, known ? String(node.runningTasks) : '?'),
        el('td', {}, known ? `${percent(node.utilisation)}%` : '?'),
        el('td', {}, ...(gpus.length ? gpus : ['none'])));
    });
    $('#nodes tbody').replaceChildren(...rows);
  }

  // ---- queue length and utilisation over time: a point per poll, the server's own figures ----

  let queueChart;
  let utilisationChart;

  /**
   * A point of each chart: the ready queue (maze_tasks_ready, null if /metrics lacked it); each machine's utilisation;
   * GPUs busy (running a task) over the machines' GPUs; calls in flight over the endpoints' maxConcurrency.
   */
  function sample(ready) {
    const now = Date.now();
    const trim = (points) => {
      while (points.length > 0 && points[0][0] < now - CHART_MILLIS) {
        points.shift();
      }
    };
    const line = (name, value) => {
      if (!samples.series.has(name)) {
        samples.series.set(name, []);
      }
      samples.series.get(name).push([now, value]);
    };
    if (ready !== null) {
      samples.queue.push([now, ready]);
    }
    trim(samples.queue);
    const used = nodes.filter((node) => node.utilisation !== undefined);
    const machines = used.filter((node) => !node.endpoint);
    const gpus = machines.flatMap((node) => node.gpus);
    if (gpus.length > 0) {
      line('GPUs busy', percent(gpus.filter((gpu) => gpu.runningTasks > 0).length / gpus.length));
    }
    const endpoints = used.filter((node) => node.endpoint);
    const slots = endpoints.reduce((sum, node) => sum + node.endpoint.maxConcurrency, 0);
    if (slots > 0) {
      line('endpoint calls', percent(endpoints.reduce((sum, node) => sum + node.runningTasks, 0) / slots));
    }
    for (const node of machines) {
      line(node.id, percent(node.utilisation));
    }
    for (const [name, points] of samples.series) { // a node gone since keeps its line until it leaves the axis
      trim(points);
      if (points.length === 0) {
        samples.series.delete(name);
      }
    }
    queueChart.setOption({series: [{data: samples.queue}]});
    utilisationChart.setOption({series: [...samples.series].map(([name, data]) => lineSeries(name, data))},
      {replaceMerge: ['series']});
  }

  const lineSeries = (name, data = []) => ({name, type: 'line', step: 'end', showSymbol: false, data});

  function lineChart(container, series, yAxis, unit = '') {
    const chart = echarts.init(container);
    chart.setOption({
      animation: false,
      grid: {left: 40, right: 12, top: 24, bottom: 24},
      legend: {type: 'scroll', top: 0, textStyle: {fontSize: 10}},
      tooltip: {trigger: 'axis', formatter: (params) => { // names come from the API: escaped, as this is HTML
        const shown = [].concat(params);
        return shown.length === 0 ? '' : [esc(new Date(shown[0].value[0]).toLocaleTimeString()),
          ...shown.map((p) => `${p.marker}${esc(p.seriesName)}: ${esc(p.value[1])}${unit}`)].join('<br>');
      }},
      xAxis: {type: 'time'},
      yAxis: {type: 'value', minInterval: 1, ...yAxis},
      series: series.map((name) => lineSeries(name)),
    });
    return chart;
  }

  // ---- the selected workflow: its DAG, tasks and Gantt, from its own stream (replayed from its start) ----

  let cy;
  let gantt;

  function select(id) {
    if (view) {
      view.stream.stop();
      clearInterval(view.timer);
    }
    view = {
      id, state: 'RUNNING', submittedAt: null, lastAt: null, lastAtMillis: 0, ended: false, tasks: new Map(),
      bars: [], open: new Map(), stream: null, timer: null, shapeChanged: true,
    };
    const current = view;
    $('#workflow-title').textContent = id;
    renderWorkflows();
    renderView();
    current.stream = follow(`/workflows/${encodeURIComponent(id)}/events`, {
      onEvent: (kind, event) => onWorkflowEvent(current, kind, event),
      complete: () => current.ended,
      onStatus: (status, why) => {
        if (status === 'unauthorized') {
          handle(new Unauthorized());
        } else if (status === 'ended') {
          refresh(current);
        } else if (status === 'refused' && current === view) {
          $('#workflow-title').textContent = `${id}: its events cannot be read (${why})`;
        }
      },
    });
    // pending reasons (and the running bars' ends) while the workflow runs
    current.timer = setInterval(() => {
      if (current.ended) {
        clearInterval(current.timer);
      } else {
        refresh(current);
      }
    }, 3000);
    refresh(current);
  }

  function viewTask(current, id) {
    let task = current.tasks.get(id);
    if (!task) {
      task = {id, dependsOn: [], state: 'PENDING', node: null, attempts: 0, reason: null, error: null};
      current.tasks.set(id, task);
      current.shapeChanged = true;
    }
    return task;
  }

  function onWorkflowEvent(current, kind, event) {
    if (current !== view) {
      return;
    }
    current.lastAt = event.atSeconds;
    current.lastAtMillis = Date.now();
    const at = () => event.atSeconds - (current.submittedAt ?? event.atSeconds);
    const close = (attemptId, state) => {
      const bar = current.open.get(attemptId);
      if (bar) {
        bar.end = at();
        bar.state = state;
        current.open.delete(attemptId);
      }
    };
    switch (kind) {
      case 'WorkflowAccepted':
        current.submittedAt = event.atSeconds;
        addViewTasks(current, event.spec.tasks);
        break;
      case 'TasksAdded':
        addViewTasks(current, event.tasks);
        break;
      case 'TaskReady':
        viewTask(current, event.taskId).state = 'READY';
        break;
      case 'TaskStarted': {
        const task = viewTask(current, event.taskId);
        Object.assign(task, {state: 'RUNNING', node: event.nodeId, attempts: event.attempt, reason: null});
        current.bars = current.bars.filter((bar) => !(bar.fromSnapshot && bar.task === event.taskId));
        for (const row of rowsOf(event.nodeId, event.gpus)) {
          const bar = {task: event.taskId, row, start: at(), end: null, state: 'RUNNING', attempt: event.attempt};
          current.bars.push(bar);
          current.open.set(`${event.attemptId}/${row}`, bar);
        }
        break;
      }
      case 'TaskFinished':
        viewTask(current, event.taskId).state = 'FINISHED';
        closeAttempt(current, event.attemptId, 'FINISHED', close);
        break;
      case 'AttemptFailed': {
        const task = viewTask(current, event.taskId);
        Object.assign(task, {state: event.retry ? 'PENDING' : 'FAILED', error: event.message});
        closeAttempt(current, event.attemptId, 'FAILED', close);
        break;
      }
      case 'AttemptLost':
        Object.assign(viewTask(current, event.taskId), {state: 'PENDING', error: event.reason});
        closeAttempt(current, event.attemptId, 'LOST', close);
        break;
      case 'TaskCancelled': {
        Object.assign(viewTask(current, event.taskId), {state: 'CANCELLED', error: event.reason});
        for (const [key, bar] of current.open) {
          if (bar.task === event.taskId) {
            close(key, 'CANCELLED');
          }
        }
        break;
      }
      case 'WorkflowEnded':
        current.state = event.state;
        current.ended = true;
        setWorkflow(current.id, {status: event.state});
        break;
      default:
        break;
    }
    later('view', renderView, 100);
  }

  function closeAttempt(current, attemptId, state, close) {
    for (const key of [...current.open.keys()].filter((k) => k.startsWith(`${attemptId}/`))) {
      close(key, state);
    }
  }

  function addViewTasks(current, specs) {
    for (const spec of specs) {
      viewTask(current, spec.id).dependsOn = spec.dependsOn || [];
    }
    current.shapeChanged = true;
  }

  /** The snapshot: pending reasons and errors always; states where it is final (a task's end is for good). */
  async function refresh(current) {
    let snapshot;
    try {
      snapshot = await api(`/workflows/${encodeURIComponent(current.id)}`);
    } catch (error) {
      handle(error);
      return;
    }
    if (current !== view) {
      return;
    }
    current.submittedAt ??= snapshot.submittedAt;
    setWorkflow(snapshot.id, {name: snapshot.name, status: snapshot.state, submittedAt: snapshot.submittedAt});
    for (const task of snapshot.tasks) {
      const shown = viewTask(current, task.id);
      shown.reason = task.pendingReason;
      shown.error = task.error ?? shown.error;
      shown.attempts = Math.max(shown.attempts, task.attempts);
      shown.node ??= task.node;
      if (TERMINAL.has(task.state) || (snapshot.state !== 'RUNNING' && !TERMINAL.has(shown.state))) {
        shown.state = task.state;
      }
    }
    // a task the stream has not shown started (yet, or it could not be read): a bar from the snapshot's times,
    // replaced by the stream's bars once they come
    current.bars = current.bars.filter((bar) => !bar.fromSnapshot);
    const streamed = new Set(current.bars.map((bar) => bar.task));
    for (const task of snapshot.tasks) {
      if (task.startedAt != null && task.node && !streamed.has(task.id)) {
        current.bars.push({task: task.id, row: task.node, start: task.startedAt - snapshot.submittedAt,
          end: task.finishedAt == null ? null : task.finishedAt - snapshot.submittedAt, state: task.state,
          attempt: task.attempts, fromSnapshot: true});
      }
    }
    if (snapshot.state !== 'RUNNING') {
      current.state = snapshot.state;
    }
    renderView();
  }

  /** Seconds since submission now, on the engine's clock: the wall clock if the engine runs on it, else the last event's. */
  function elapsed(current) {
    if (current.submittedAt == null) {
      return 0;
    }
    const wall = Date.now() / 1000;
    const engineNow = Math.abs(wall - (current.lastAt ?? wall)) < 86400
      ? wall : current.lastAt + (Date.now() - current.lastAtMillis) / 1000;
    return Math.max(0, engineNow - current.submittedAt);
  }

  function renderView() {
    const current = view;
    if (!current) {
      return;
    }
    const tasks = [...current.tasks.values()];
    $('#workflow-title').replaceChildren(`${current.id} `, stateBadge(current.state));
    $('#workflow-panel').setAttribute('data-state', current.state);
    $('#tasks tbody').replaceChildren(...tasks.map((task) => el('tr', {'data-task-id': task.id, 'data-state': task.state},
      el('td', {}, task.id), el('td', {}, stateBadge(task.state)), el('td', {}, task.node || ''),
      el('td', {}, String(task.attempts)), el('td', {}, task.reason || task.error || ''))));
    renderDag(current, tasks);
    renderGantt(current);
  }

  function renderDag(current, tasks) {
    if (current.shapeChanged) {
      current.shapeChanged = false;
      const graph = new dagre.graphlib.Graph();
      graph.setGraph({rankdir: 'LR', nodesep: 16, ranksep: 48, marginx: 8, marginy: 8});
      graph.setDefaultEdgeLabel(() => ({}));
      for (const task of tasks) {
        graph.setNode(task.id, {width: Math.max(48, 7 * task.id.length + 16), height: 26});
      }
      const edges = [];
      for (const task of tasks) {
        for (const dependency of task.dependsOn) {
          if (current.tasks.has(dependency)) {
            graph.setEdge(dependency, task.id);
            edges.push({data: {id: `${dependency}->${task.id}`, source: dependency, target: task.id}});
          }
        }
      }
      dagre.layout(graph);
      cy.batch(() => {
        cy.elements().remove();
        cy.add(tasks.map((task) => {
          const placed = graph.node(task.id);
          return {
            group: 'nodes', data: {id: task.id, state: task.state, width: placed.width},
            position: {x: placed.x, y: placed.y},
          };
        }));
        cy.add(edges.map((edge) => ({group: 'edges', ...edge})));
      });
      cy.fit(undefined, 12);
      if (cy.zoom() > 1) { // a small workflow at its natural size, not blown up to the panel's
        cy.zoom(1);
        cy.center();
      }
    } else {
      cy.batch(() => {
        for (const task of tasks) {
          cy.getElementById(task.id).data('state', task.state);
        }
      });
    }
  }

  function renderGantt(current) {
    const now = elapsed(current);
    const order = (row) => {
      const [node, gpu] = row.split(' gpu');
      const index = nodes.findIndex((n) => n.id === node);
      return [index < 0 ? nodes.length : index, gpu === undefined ? -1 : Number(gpu), row];
    };
    const rows = [...new Set(current.bars.map((bar) => bar.row))].map(order)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2])).map((key) => key[2]);
    const data = current.bars.map((bar) => ({
      value: [rows.indexOf(bar.row), bar.start, bar.end ?? now, bar.task, bar.state, bar.attempt, bar.row],
      itemStyle: {color: COLORS[bar.state] || COLORS.RUNNING},
    }));
    gantt.setOption({
      yAxis: {data: rows.map((row) => {
        const node = nodes.find((n) => n.id === row);
        return node && node.endpoint ? `${row} (endpoint)` : row;
      })},
      series: [{data}],
    });
  }

  function renderBar(params, api) {
    const row = api.value(0);
    const start = api.coord([api.value(1), row]);
    const end = api.coord([api.value(2), row]);
    const height = api.size([0, 1])[1] * 0.6;
    const shape = echarts.graphic.clipRectByRect(
      {x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 2), height},
      {x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height});
    if (!shape) {
      return null;
    }
    return {
      type: 'rect', shape, style: api.style(),
      textContent: shape.width > 30 ? {style: {text: String(api.value(3)), fill: '#fff', fontSize: 10}} : undefined,
      textConfig: {position: 'inside'},
    };
  }

  function setUpCharts() {
    cy = cytoscape({
      container: $('#dag'),
      elements: [],
      layout: {name: 'preset'},
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        {selector: 'node', style: {
          shape: 'round-rectangle', label: 'data(id)', width: 'data(width)', height: 26, 'font-size': 11,
          color: '#fff', 'text-valign': 'center', 'text-halign': 'center', 'background-color': COLORS.PENDING,
        }},
        ...Object.entries(COLORS).map(([state, color]) => ({
          selector: `node[state = "${state}"]`, style: {'background-color': color},
        })),
        {selector: 'node[state = "READY"]', style: {color: '#000'}},
        {selector: 'edge', style: {
          width: 1.5, 'line-color': '#8c959f', 'target-arrow-color': '#8c959f', 'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
        }},
      ],
    });
    $('#legend').replaceChildren(...['PENDING', 'READY', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'].map(stateBadge));
    gantt = echarts.init($('#gantt'));
    gantt.setOption({
      animation: false,
      grid: {left: 100, right: 16, top: 12, bottom: 28},
      tooltip: {formatter: (p) => {
        const [, start, end, task, state, attempt, row] = p.value;
        return `${esc(task)} (attempt ${esc(attempt)}) on ${esc(row)}<br>${start.toFixed(2)}–${end.toFixed(2)} s: `
          + esc(state);
      }},
      xAxis: {type: 'value', min: 0},
      yAxis: {type: 'category', data: [], inverse: true},
      series: [{type: 'custom', renderItem: renderBar, encode: {x: [1, 2], y: 0}, data: []}],
    });
    queueChart = lineChart($('#queue-chart'), ['ready tasks'], {});
    utilisationChart = lineChart($('#utilisation-chart'), [], {min: 0, max: 100, minInterval: 0}, '%');
    window.addEventListener('resize', () => [gantt, queueChart, utilisationChart].forEach((c) => c.resize()));
  }

  // ---- the session: started with a token, ended by a 401 ----

  function setConnection(state) {
    const badge = $('#connection');
    badge.dataset.state = state;
    badge.textContent = state;
  }

  function handle(error) {
    if (error instanceof Unauthorized) {
      stop();
      sessionStorage.removeItem(TOKEN_KEY);
      showForm('the server refused this token');
    } else {
      console.warn('maze dashboard:', error.message);
    }
  }

  function showForm(message) {
    $('#token-form').hidden = false;
    $('#forget-token').hidden = true;
    $('#token-message').textContent = message;
    setConnection('offline');
  }

  function stop() {
    if (session) {
      session.stream.stop();
      session.timers.forEach(clearInterval);
      session = null;
    }
    if (view) {
      view.stream.stop();
      clearInterval(view.timer);
    }
  }

  function start() {
    if (!token()) {
      showForm('');
      return;
    }
    $('#token-form').hidden = true;
    $('#forget-token').hidden = false;
    let loaded = false;
    session = {timers: [setInterval(() => {
      if (!polling) { // a slow server is not asked again before it answers
        poll();
      }
    }, POLL_MILLIS)]};
    session.stream = follow('/events', {
      onEvent: onGlobalEvent,
      onStatus: (status) => {
        if (status === 'unauthorized') {
          handle(new Unauthorized());
          return;
        }
        setConnection(status);
        if (status === 'live' && !loaded) {
          loaded = true; // the stream is open: what was active before it comes from the list
          loadActive().catch(handle);
        }
      },
    });
    poll();
  }

  document.addEventListener('DOMContentLoaded', () => {
    takeTokenFromFragment();
    setUpCharts();
    loadSeen();
    renderWorkflows();
    $('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const given = $('#token-input').value.trim();
      if (given) {
        sessionStorage.setItem(TOKEN_KEY, given);
        $('#token-input').value = '';
        start();
      }
    });
    $('#forget-token').addEventListener('click', () => {
      stop();
      sessionStorage.removeItem(TOKEN_KEY);
      showForm('');
    });
    start();
  });

  /** For tests and the console: the DAG's task states as drawn, the Gantt's bars, each chart line's latest point. */
  const latest = (chart) => Object.fromEntries(chart.getOption().series.map((series) => [series.name,
    series.data.length > 0 ? series.data[series.data.length - 1][1] : null]));
  window.mazeDashboard = {
    dagStates: () => Object.fromEntries(cy.nodes().map((node) => [node.id(), node.data('state')])),
    dagEdges: () => cy.edges().map((edge) => [edge.source().id(), edge.target().id()]),
    ganttBars: () => (gantt.getOption().series[0].data || []).map((d) => ({row: d.value[6], task: d.value[3]})),
    chartsLatest: () => ({queue: latest(queueChart), utilisation: latest(utilisationChart)}),
  };
})();
