// dsh serve's page: draw (mouse, pen, touch) and the results follow as you draw; or search with an image file (pick or
// drop one); add photos to the gallery. No libraries; every request goes to this page's own server.
(() => {
  'use strict';
  const $ = id => document.getElementById(id);
  const canvas = $('sketch');
  const ctx = canvas.getContext('2d');
  const results = $('results');
  const kSelect = $('k');
  const pen = $('pen');
  let drawing = false;
  let last = null;
  let inked = false;          // something is on the canvas
  let timer = 0;              // the debounce timer of search-as-you-draw
  let sequence = 0;           // only the newest search's answer is shown
  let inFlight = null;        // its AbortController
  let lastQuery = null;       // { blob, type } of the last search, repeated when k changes or photos are added

  function say(element, text, isError) {
    element.textContent = text;
    element.classList.toggle('error', Boolean(isError));
  }
  const message = (text, isError) => say($('message'), text, isError);

  // An error answer is RFC 7807 problem details; show its detail (or title) as one line.
  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || ('error ' + response.status);
    } catch {
      return 'error ' + response.status;
    }
  }

  async function refreshStatus() {
    try {
      const response = await fetch('/api/status');
      const s = await response.json();
      $('status').textContent = s.count + ' photos, ' + s.bits + '-bit codes, ' + s.categories.length
        + ' categories (' + s.model + ')';
      $('status').dataset.count = s.count;
    } catch (err) {
      $('status').textContent = 'server unreachable';
    }
  }

  function clearCanvas() {
    ctx.fillStyle = '#ffffff';                     // white paper: the PNG has no transparent pixels
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    inked = false;
  }

  // Pointer position in canvas pixels, whatever the CSS size and device pixel ratio.
  function point(e) {
    const r = canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
  }

  function line(a, b) {
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = Number(pen.value);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    inked = true;
  }

  // The drawing cropped to its ink with a 6 % margin, centred on a white square: a sketch fills its frame the way
  // the training sketches do, wherever on the canvas it was drawn.
  function croppedDrawing() {
    const { width, height } = canvas;
    const pixels = ctx.getImageData(0, 0, width, height).data;
    let minX = width, minY = height, maxX = -1, maxY = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[(y * width + x) * 4] < 200) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
    if (maxX < 0) return null;
    const w = maxX - minX + 1, h = maxY - minY + 1;
    const side = Math.ceil(Math.max(w, h) * 1.12) + 2;
    const square = document.createElement('canvas');
    square.width = square.height = side;
    const sctx = square.getContext('2d');
    sctx.fillStyle = '#ffffff';
    sctx.fillRect(0, 0, side, side);
    sctx.drawImage(canvas, minX, minY, w, h, Math.floor((side - w) / 2), Math.floor((side - h) / 2), w, h);
    return square;
  }

  function scheduleSearch(delay) {
    clearTimeout(timer);
    timer = setTimeout(searchDrawing, delay);
  }

  async function searchDrawing() {
    const square = croppedDrawing();
    if (!square) return;
    const blob = await new Promise(resolve => square.toBlob(resolve, 'image/png'));
    await search(blob, 'image/png');
  }

  async function search(blob, type) {
    lastQuery = { blob, type };
    const mine = ++sequence;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    message('searching…');
    try {
      const response = await fetch('/api/search?k=' + encodeURIComponent(kSelect.value), {
        method: 'POST', headers: { 'Content-Type': type }, body: blob, signal: inFlight.signal,
      });
      if (mine !== sequence) return;
      if (!response.ok) {
        results.replaceChildren();
        message(await problem(response), true);
        return;
      }
      const body = await response.json();
      if (mine !== sequence) return;
      results.replaceChildren(...body.results.map(tile));
      results.dataset.sequence = mine;
      message(body.results.length + ' photos, encode ' + body.encodeMs.toFixed(1) + ' ms, search '
        + body.searchMs.toFixed(2) + ' ms');
    } catch (err) {
      if (err.name !== 'AbortError' && mine === sequence) message('search failed: ' + err, true);
    }
  }

  function tile(hit) {
    const figure = document.createElement('figure');
    figure.className = 'tile';
    figure.dataset.id = hit.id;
    figure.dataset.category = hit.category || '';
    figure.dataset.distance = hit.distance;
    const img = document.createElement('img');
    img.src = hit.photoUrl;
    img.alt = (hit.category || 'uncategorised') + ' photo ' + hit.id;
    img.loading = 'lazy';
    const caption = document.createElement('figcaption');
    const category = document.createElement('span');
    category.className = 'category';
    category.textContent = hit.category || '–';
    const distance = document.createElement('span');
    distance.className = 'distance';
    distance.textContent = 'd = ' + hit.distance;
    caption.append(category, distance);
    figure.append(img, caption);
    return figure;
  }

  // Shows an image file on the canvas (scaled to fit, on white) and searches with the file's own bytes.
  async function searchFile(file) {
    if (!file) return;
    clearTimeout(timer);
    try {
      const bitmap = await createImageBitmap(file);
      clearCanvas();
      const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
      const w = bitmap.width * scale, h = bitmap.height * scale;
      ctx.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
      inked = true;
    } catch {
      // The browser cannot show it; the server still says whether it can decode it.
    }
    await search(file, file.type || 'application/octet-stream');
  }

  async function addPhotos(event) {
    event.preventDefault();
    const files = [...$('add-file').files];
    const category = $('add-category').value.trim();
    const out = $('add-message');
    let added = 0;
    for (const file of files) {
      say(out, 'adding ' + file.name + '…');
      const url = '/api/photos' + (category ? '?category=' + encodeURIComponent(category) : '');
      const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file });
      if (!response.ok) {
        say(out, file.name + ': ' + await problem(response), true);
        return;
      }
      const body = await response.json();
      added++;
      say(out, 'added ' + added + ' of ' + files.length + ' (id ' + body.id + '); the gallery has ' + body.count + ' photos');
      out.dataset.lastId = body.id;
    }
    $('add-form').reset();
    await refreshStatus();
    if (lastQuery) await search(lastQuery.blob, lastQuery.type);
  }

  // Pointer events cover mouse, pen and touch; touch-action: none in the CSS stops the page from scrolling.
  canvas.addEventListener('pointerdown', e => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    drawing = true;
    last = point(e);
    line(last, { x: last.x + 0.01, y: last.y });   // a dot for a click or a tap
    scheduleSearch(300);
  });
  canvas.addEventListener('pointermove', e => {
    if (!drawing) return;
    e.preventDefault();
    const p = point(e);
    line(last, p);
    last = p;
    scheduleSearch(300);                           // while drawing: once the pen pauses
  });
  const stop = e => {
    if (!drawing) return;
    drawing = false;
    last = null;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    scheduleSearch(60);                            // a stroke ended: search now
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  const drop = $('drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    searchFile(e.dataTransfer.files[0]);
  });
  $('query-file').addEventListener('change', e => searchFile(e.target.files[0]));
  $('clear').addEventListener('click', () => {
    clearTimeout(timer);
    sequence++;
    if (inFlight) inFlight.abort();
    lastQuery = null;
    clearCanvas();
    results.replaceChildren();
    message('');
  });
  kSelect.addEventListener('change', () => { if (lastQuery) search(lastQuery.blob, lastQuery.type); });
  $('add-form').addEventListener('submit', addPhotos);
  clearCanvas();
  refreshStatus();
})();
