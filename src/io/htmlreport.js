/* regimen report's script (htmlreport.h): reads the JSON block #data (htmlreport_data.c),
 * draws the selected member's or regimen's objectives, dose calendar and burden curves into
 * #sel-body, follows the URL fragment (#member=N, #regimen=NAME), shows the front for the
 * chosen axes, and adds the selection's Kaplan-Meier curve. It builds markup as text
 * (innerHTML), so it needs no namespace and refers to nothing outside the page. The build
 * turns it into the C strings rg_hr_js (cmake/rg_embed_text.cmake); the page holds it in a
 * CDATA section inside <script>, so it must contain neither the three characters that end
 * one nor a closing script tag. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  /* curves arrive as 100 log10(cells), rounded: back to log10(cells) */
  D.members.concat(D.regimens).forEach(function (run) {
    ['b', 'r'].forEach(function (k) {
      if (run[k]) run[k] = run[k].map(function (v) { return v === null ? null : v / 100; });
    });
  });
  var M = D.obj.length, TTP = -1, cur = null;
  for (var m = 0; m < M; m++) if (D.obj[m].name === 'ttp') TTP = m;
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  }
  function fmt(v) { return v === null ? 'NaN' : String(Number(v.toPrecision(6))); }
  function val(run, m) { return (m === TTP && run.c ? '>' : '') + fmt(run.o[m]); }
  function runOf(sel) { return sel.kind === 'member' ? D.members[sel.i] : D.regimens[sel.i]; }
  function nameOf(sel) {
    return sel.kind === 'member' ? 'member ' + sel.i : 'regimen ' + D.regimens[sel.i].name;
  }
  function parse(hash) {
    var g = /^#(member|regimen)=(.+)$/.exec(hash || '');
    if (!g) return null;
    var v = decodeURIComponent(g[2]);
    if (g[1] === 'member') {
      var i = Number(v);
      return Number.isInteger(i) && i >= 0 && i < D.members.length ? {kind: 'member', i: i} : null;
    }
    for (var k = 0; k < D.regimens.length; k++)
      if (D.regimens[k].name === v) return {kind: 'regimen', i: k};
    return null;
  }
  function scale(d0, d1, p0, p1) {
    return function (v) { return p0 + (v - d0) / (d1 - d0) * (p1 - p0); };
  }
  function ticks(lo, hi, n) {
    var s = Math.pow(10, Math.floor(Math.log10((hi - lo) / n))), out = [];
    var f = (hi - lo) / n / s;
    s *= f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    for (var v = Math.ceil(lo / s) * s; v <= hi + 1e-9 * s; v += s) out.push(v);
    return out;
  }
  function objectives(run) {
    var h = '<table id="sel-objectives"><caption>Objectives and constraints</caption><tbody>';
    for (var m = 0; m < M; m++) {
      var o = D.obj[m];
      h += '<tr><th scope="row">' + esc(o.name) + '</th><td class="v">' + esc(val(run, m)) +
        '</td><td>' + esc(o.unit) + (m === TTP && run.c ?
          ' (censored: no progression by the horizon)' : '') + '</td><td>' +
        (o.max ? 'max' : 'min') + '</td></tr>';
    }
    h += '<tr><th scope="row">feasible</th><td class="v">' + (run.f ? 'yes' : 'no') +
      '</td><td colspan="2">' + (run.f ? 'every constraint holds' :
        'violation ' + esc(fmt(run.v))) + '</td></tr>';
    if (run.dom !== undefined)
      h += '<tr><th scope="row">dominated by</th><td colspan="3">' + (run.dom >= 0 ?
        '<a href="#member=' + run.dom + '">member ' + run.dom + '</a>' :
        'no evolved member') + '</td></tr>';
    return h + '</tbody></table>';
  }
  function calendar(run) {
    if (!run.cal) return '<p>No dose calendar in the results file for this run.</p>';
    var K = run.cal[0].length, nd = D.drugs.length, W = 680, L = 110, R = 660, T = 10;
    var rowh = 22, B = T + nd * rowh, x = scale(0, K * D.dd, L, R), cw = (R - L) / K;
    var rows = '', svg = '<svg viewBox="0 0 ' + W + ' ' + (B + 40) + '" role="img" ' +
      'aria-labelledby="cal-t"><title id="cal-t">Dose calendar of ' + esc(nameOf(cur)) +
      ': fraction of the maximum tolerated dose delivered per ' + fmt(D.dd) +
      '-day interval (darker: more; the table below lists every dose)</title>';
    for (var d = 0; d < nd; d++) {
      var y = T + d * rowh;
      svg += '<text class="tl" x="' + (L - 6) + '" y="' + (y + 15) + '" text-anchor="end">' +
        esc(D.drugs[d]) + '</text>';
      for (var k = 0; k < K; k++) {
        var v = run.cal[d][k];
        if (v === null) continue;
        var g = Math.round(255 - 225 * Math.min(1, v));
        svg += '<rect class="cell" x="' + x(k * D.dd).toFixed(1) + '" y="' + y + '" width="' +
          cw.toFixed(2) + '" height="' + rowh + '" fill="rgb(' + g + ',' + g + ',' + g + ')"' +
          (v > 0 ? '><title>day ' + fmt(k * D.dd) + ': ' + esc(D.drugs[d]) + ' ' + fmt(v) +
            '</title></rect>' : '/>');
        if (v > 0)
          rows += '<tr><td>' + fmt(k * D.dd) + '</td><td>' + esc(D.drugs[d]) + '</td><td>' +
            fmt(v) + '</td></tr>';
      }
    }
    svg += '<rect class="frame" x="' + L + '" y="' + T + '" width="' + (R - L) +
      '" height="' + (B - T) + '"/>';
    ticks(0, K * D.dd, 8).forEach(function (t) {
      svg += '<line class="tick" x1="' + x(t) + '" y1="' + B + '" x2="' + x(t) + '" y2="' +
        (B + 5) + '"/><text class="tl" x="' + x(t) + '" y="' + (B + 17) +
        '" text-anchor="middle">' + fmt(t) + '</text>';
    });
    svg += '<text class="at" x="' + (L + R) / 2 + '" y="' + (B + 34) +
      '" text-anchor="middle">day (white: no dose; black: the maximum tolerated dose)</text></svg>';
    return '<h3>Dose calendar</h3><figure>' + svg + '</figure><details><summary>Every dose ' +
      'as a table</summary><table id="sel-calendar"><thead><tr><th scope="col">day</th>' +
      '<th scope="col">drug</th><th scope="col">fraction of MTD</th></tr></thead><tbody>' +
      (rows || '<tr><td colspan="3">no dose</td></tr>') + '</tbody></table></details>';
  }
  function path(cls, ys, x, y) {
    var d = '', pen = false;
    for (var v = 0; v < ys.length; v++) {
      if (ys[v] === null) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + x(D.t[v]).toFixed(1) + ' ' + y(ys[v]).toFixed(1);
      pen = true;
    }
    return d ? '<path class="' + cls + '" d="' + d + '"/>' : '';
  }
  function refIndex(id) { var e = $(id); return e ? Number(e.value) : -1; }
  function curves(run) {
    if (!run.b || !D.t.length) return '<p>No trajectory in the results file for this run.</p>';
    var refs = [refIndex('ref-a'), refIndex('ref-b')], all = [run.b, run.r], lo = 1e9, hi = -1e9;
    refs.forEach(function (i) { if (i >= 0 && D.regimens[i].b) all.push(D.regimens[i].b); });
    var thr = null;
    if (D.prog) {
      thr = [];
      var low = Infinity;
      for (var v = 0; v < D.t.length; v++) {
        var bv = run.b[v] === null ? -Infinity : run.b[v];
        low = Math.min(low, D.prog.nadir ? bv : Math.log10(D.prog.b0));
        var t = Math.max(Math.log10(D.prog.factor) + low, Math.log10(D.prog.min));
        thr.push(isFinite(t) ? t : null);
      }
      all.push(thr);
    }
    all.forEach(function (c) {
      c.forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    });
    lo = Math.max(Math.floor(lo), Math.ceil(hi) - 14);
    hi = Math.ceil(hi) + (Math.ceil(hi) === hi ? 0.3 : 0);
    var L = 80, R = 650, T = 15, B = 305, t1 = D.t[D.t.length - 1];
    var x = scale(0, t1, L, R), y = scale(lo, hi, B, T);
    var clip = function (c) { return c.map(function (v) { return v === null || v < lo ? null : v; }); };
    var s = '<svg viewBox="0 0 680 350" role="img" aria-labelledby="bur-t"><title id="bur-t">' +
      'Tumour burden and resistant cells of ' + esc(nameOf(cur)) + ' on a log scale, with the ' +
      'reference regimens, the progression threshold and the time to progression</title>';
    if (run.te !== null && run.te < t1)
      s += '<rect class="offp" x="' + x(run.te).toFixed(1) + '" y="' + T + '" width="' +
        (R - x(run.te)).toFixed(1) + '" height="' + (B - T) + '"><title>after the end of ' +
        'the evaluation (day ' + fmt(run.te) + '): off protocol, not scored</title></rect>';
    s += '<rect class="frame" x="' + L + '" y="' + T + '" width="' + (R - L) + '" height="' +
      (B - T) + '"/>';
    for (var e = Math.ceil(lo); e <= hi; e += hi - lo > 8 ? 2 : 1)
      s += '<line class="tick" x1="' + (L - 5) + '" y1="' + y(e) + '" x2="' + L + '" y2="' +
        y(e) + '"/><text class="tl" x="' + (L - 8) + '" y="' + (y(e) + 4) +
        '" text-anchor="end">1e' + e + '</text>';
    ticks(0, t1, 8).forEach(function (t) {
      s += '<line class="tick" x1="' + x(t) + '" y1="' + B + '" x2="' + x(t) + '" y2="' +
        (B + 5) + '"/><text class="tl" x="' + x(t) + '" y="' + (B + 17) +
        '" text-anchor="middle">' + fmt(t) + '</text>';
    });
    s += '<text class="at" x="' + (L + R) / 2 + '" y="' + (B + 36) +
      '" text-anchor="middle">day</text><text class="at" transform="translate(24 ' +
      (T + B) / 2 + ') rotate(-90)" text-anchor="middle">cells (log scale)</text>';
    if (refs[0] >= 0 && D.regimens[refs[0]].b) s += path('ra', clip(D.regimens[refs[0]].b), x, y);
    if (refs[1] >= 0 && D.regimens[refs[1]].b) s += path('rb', clip(D.regimens[refs[1]].b), x, y);
    if (thr) s += path('thr', clip(thr), x, y);
    s += path('cr', clip(run.r), x, y) + path('cb', clip(run.b), x, y);
    var ttpText = '';
    if (TTP >= 0 && run.o[TTP] !== null) {
      var tt = Math.min(run.o[TTP], t1);
      s += '<line class="ttpm" x1="' + x(tt) + '" y1="' + T + '" x2="' + x(tt) + '" y2="' + B +
        '"/><text class="tl" x="' + (x(tt) - 4) + '" y="' + (T + 12) + '" text-anchor="end">' +
        (run.c ? 'no progression by day ' + fmt(run.o[TTP]) : 'TTP ' + fmt(run.o[TTP])) +
        '</text>';
      ttpText = run.c ? 'censored: no progression by the horizon' : 'progression on day ' +
        fmt(run.o[TTP]);
    }
    s += '</svg>';
    var key = function (cls, text) { return '<li><span class="lk ' + cls + '"></span>' + text + '</li>'; };
    var lg = '<ul class="legend">' + key('', 'burden of ' + esc(nameOf(cur))) +
      key('r', 'its resistant cells');
    [0, 1].forEach(function (k) {
      var i = refs[k];
      if (i >= 0) lg += key(k ? 'b' : 'a', 'burden under ' + esc(D.regimens[i].name) +
        (D.regimens[i].f ? '' : ' (infeasible)'));
    });
    if (thr) lg += key('t', 'progression threshold');
    lg += '<li>vertical line: ' + (ttpText || 'no TTP objective') + '</li></ul>';
    return '<h3>Burden</h3><figure>' + s + '</figure>' + lg;
  }
  function km(run) {
    var g = $('km-member'), svg = $('km');
    if (!g || !svg) return;
    if (!run.km) { g.innerHTML = ''; return; }
    var a = svg.dataset, x = scale(0, Number(a.x1), Number(a.px0), Number(a.px1));
    var y = scale(0, 1, Number(a.py0), Number(a.py1)), d = 'M' + x(0) + ' ' + y(1);
    for (var q = 1; q < run.km[0].length; q++)
      d += 'H' + x(run.km[0][q]).toFixed(1) + 'V' + y(run.km[1][q]).toFixed(1);
    g.innerHTML = '<path class="kmm" d="' + d + 'H' + a.px1 + '"><title>' + esc(nameOf(cur)) +
      '</title></path>';
  }
  function mark(sel, on) {
    if (!sel) return;
    var cls = (sel.kind === 'member' ? 'm' : 'r') + sel.i;
    var els = document.getElementsByClassName(cls);
    for (var k = 0; k < els.length; k++) els[k].classList.toggle('selected', on);
  }
  function show(sel) {
    mark(cur, false);
    cur = sel;
    mark(cur, true);
    var run = runOf(sel);
    $('sel-title').textContent = 'Selected: ' + nameOf(sel);
    $('sel-body').innerHTML = '<div class="row"><div>' + objectives(run) + '</div></div>' +
      calendar(run) + curves(run);
    km(run);
  }
  function fromHash() {
    var sel = parse(location.hash);
    if (sel) show(sel);
    else if (!cur && D.members.length) show({kind: 'member', i: 0});
  }
  function axes() {
    var xs = $('front-x'), ys = $('front-y');
    if (!xs || !ys) return;
    var figs = document.querySelectorAll('figure.front-plot');
    for (var k = 0; k < figs.length; k++)
      figs[k].hidden = !(figs[k].dataset.x === xs.value && figs[k].dataset.y === ys.value);
  }
  function step(by) {
    var i = cur && cur.kind === 'member' ? cur.i + by : 0;
    if (i >= 0 && i < D.members.length) location.hash = '#member=' + i;
  }
  window.addEventListener('hashchange', fromHash);
  ['front-x', 'front-y'].forEach(function (id) {
    var e = $(id);
    if (e) e.addEventListener('change', function () {
      var o = $(id === 'front-x' ? 'front-y' : 'front-x');
      if (o.value === e.value) o.value = String((Number(e.value) + 1) % M);
      axes();
    });
  });
  ['ref-a', 'ref-b'].forEach(function (id) {
    var e = $(id);
    if (e) e.addEventListener('change', function () { if (cur) show(cur); });
  });
  /* the arrow keys step through the members, except in a menu */
  document.addEventListener('keydown', function (e) {
    var t = e.target.tagName;
    if (e.altKey || e.ctrlKey || e.metaKey || t === 'SELECT' || t === 'INPUT') return;
    if (e.key === 'ArrowRight') { step(1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { step(-1); e.preventDefault(); }
  });
  $('sel-prev').addEventListener('click', function () { step(-1); });
  $('sel-next').addEventListener('click', function () { step(1); });
  axes();
  fromHash();
})();
