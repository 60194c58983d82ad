// The drawing canvas, the search call and the result grid. No libraries.
(() => {
  'use strict';
  const canvas = document.getElementById('sketch');
  const ctx = canvas.getContext('2d');
  const statusLine = document.getElementById('status');
  const message = document.getElementById('message');
  const results = document.getElementById('results');
  const searchButton = document.getElementById('search');
  const clearButton = document.getElementById('clear');
  const pen = document.getElementById('pen');
  const kSelect = document.getElementById('k');
  let drawing = false;
  let last = null;
  let ready = false;

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle('error', Boolean(isError));
  }

  function clearCanvas() {
    ctx.fillStyle = '#ffffff';                       // white paper: the PNG has no transparent pixels
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    results.replaceChildren();
    say('');
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
  }

  // Pointer events cover mouse, pen and touch; touch-action: none in the CSS stops the page from scrolling.
  canvas.addEventListener('pointerdown', e => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    drawing = true;
    last = point(e);
    line(last, { x: last.x + 0.01, y: last.y });   // a dot for a click
  });
  canvas.addEventListener('pointermove', e => {
    if (!drawing) return;
    e.preventDefault();
    const p = point(e);
    line(last, p);
    last = p;
  });
  const stop = e => {
    if (!drawing) return;
    drawing = false;
    last = null;
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  function tile(hit) {
    const figure = document.createElement('figure');
    figure.className = 'tile';
    figure.dataset.id = hit.id;
    figure.dataset.category = hit.category;
    figure.dataset.distance = hit.distance;
    figure.style.margin = '0';
    const img = document.createElement('img');
    img.src = hit.imageUrl;
    img.alt = hit.category + ' photo ' + hit.file;
    const caption = document.createElement('figcaption');
    const category = document.createElement('span');
    category.className = 'category';
    category.textContent = hit.category;
    const distance = document.createElement('span');
    distance.className = 'distance';
    distance.textContent = 'd = ' + hit.distance;
    caption.append(category, distance);
    figure.append(img, caption);
    return figure;
  }

  async function search() {
    if (!ready) return;
    searchButton.disabled = true;
    say('searching…');
    try {
      const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/png'));
      const response = await fetch('/api/search?k=' + encodeURIComponent(kSelect.value), {
        method: 'POST', headers: { 'Content-Type': 'image/png' }, body: blob,
      });
      const body = await response.json();
      if (!response.ok) {
        results.replaceChildren();
        say(body.error || ('error ' + response.status), true);
        return;
      }
      results.replaceChildren(...body.results.map(tile));
      say(body.results.length + ' photos, ' + body.bits + '-bit codes, encode '
        + body.encodeMs.toFixed(1) + ' ms, search ' + body.searchMs.toFixed(2) + ' ms');
    } catch (err) {
      say('search failed: ' + err, true);
    } finally {
      searchButton.disabled = !ready;
    }
  }

  async function poll() {
    try {
      const status = await (await fetch('/api/status')).json();
      ready = status.ready;
      statusLine.textContent = status.ready
        ? 'ready: ' + status.gallerySize + ' photos, ' + status.bits + '-bit codes (' + status.modelSource + ' model)'
        : status.message;
      statusLine.dataset.state = status.state;
      searchButton.disabled = !ready;
      if (!ready && status.state !== 'failed') setTimeout(poll, 1000);
    } catch (err) {
      statusLine.textContent = 'server unreachable; retrying';
      setTimeout(poll, 2000);
    }
  }

  clearButton.addEventListener('click', clearCanvas);
  searchButton.addEventListener('click', search);
  clearCanvas();
  poll();
})();
