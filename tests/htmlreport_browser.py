"""The page of `regimen report` in a real browser: Debian's chromium, headless.

usage: htmlreport_browser.py REGIMEN CHROMIUM SOURCE_DIR SCRATCH

A short optimisation of the default problem and its page, written into SCRATCH; then
- the page opened at #member=3 logs nothing to the console (no script error, no warning);
- its DOM after the script ran shows member 3: the title, the objectives with the values of
  `regimen export --what front`, and the calendar with every dose of `regimen export --what
  calendar` for that member (and no other);
- a screenshot is a PNG of the window's size that is not blank (many pixels not white);
- driven through the DevTools protocol, a click on a member's marker selects that member
  (title and URL fragment), the right arrow key the next one, and the y-axis menu shows the
  scatter of the chosen pair; no console message or exception meanwhile.
Exits 0 when all hold, 1 with the reason otherwise.
"""
import csv
import html.parser
import io
import json
import os
import select
import struct
import subprocess
import sys
import time
import zlib

regimen, chromium, source, scratch = sys.argv[1:5]
MEMBER, WIDTH, HEIGHT = 3, 1000, 1400


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def chrome(*args):
    """chromium headless on the page at #member=3 with a profile of its own; its stdout and
    stderr (console messages arrive on stderr with --enable-logging=stderr --v=0)."""
    url = "file://" + os.path.join(scratch, "run.html") + "#member=%d" % MEMBER
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
           "--user-data-dir=" + os.path.join(scratch, "profile"),
           "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"] + list(args)
    p = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail("chromium exited %d: %s" % (p.returncode, p.stderr[-2000:]))
    return p.stdout, p.stderr


class Cells(html.parser.HTMLParser):
    """The text of each cell of the tables with the given ids, row by row, and the text of
    the element with id sel-title."""

    def __init__(self, ids):
        super().__init__()
        self.ids, self.tables, self.title = ids, {i: [] for i in ids}, None
        self.table, self.depth, self.cell, self.in_title = None, 0, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") in self.ids:
            self.table, self.depth = a["id"], 0
        elif tag == "table" and self.table:
            self.depth += 1
        if self.table and tag == "tr":
            self.tables[self.table].append([])
        if self.table and tag in ("td", "th"):
            self.cell = ""
        if a.get("id") == "sel-title":
            self.in_title, self.title = True, ""

    def handle_endtag(self, tag):
        if self.table and tag in ("td", "th") and self.cell is not None:
            self.tables[self.table][-1].append(self.cell.strip())
            self.cell = None
        if tag == "table" and self.table:
            if self.depth == 0:
                self.table = None
            else:
                self.depth -= 1
        if tag == "h2":
            self.in_title = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.in_title:
            self.title += data


def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(b), 1e-12)


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit PNG, unfiltered (PNG spec 9.2)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                fail("unexpected PNG format: depth %d colour type %d" % (depth, colour))
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


os.makedirs(scratch, exist_ok=True)
os.chdir(scratch)
for f in ("run.h5", "run.html"):
    if os.path.exists(f):
        os.remove(f)
run(regimen, "optimize", os.path.join(source, "problems/default.cfg"), "--generations", "4",
    "--population", "16", "--quiet", "--out", "run.h5")
run(regimen, "report", "run.h5", "-o", "run.html")
front = list(csv.DictReader(io.StringIO(run(regimen, "export", "run.h5", "--what", "front"))))
calendar = list(csv.DictReader(io.StringIO(run(regimen, "export", "run.h5", "--what", "calendar"))))
if len(front) <= MEMBER:
    fail("the front has %d members, fewer than %d" % (len(front), MEMBER + 1))

# 1. no console message from the page
dom, log = chrome("--dump-dom")
console = [l for l in log.splitlines() if "CONSOLE" in l or "Uncaught" in l]
if console:
    fail("console messages:\n" + "\n".join(console))

# 2. member 3 shown: title, objectives, calendar
p = Cells(("sel-objectives", "sel-calendar"))
p.feed(dom)
if (p.title or "").strip() != "Selected: member %d" % MEMBER:
    fail("the selection's title is %r" % p.title)
row = front[MEMBER]
objs = {r[0]: r[1] for r in p.tables["sel-objectives"] if len(r) >= 2}
names = [k for k in row if k in objs and k != "feasible"]
if not names:
    fail("no objective of the front CSV (%s) in the page's table %s" % (list(row), objs))
for name in names:
    shown = objs[name]
    want = float(row[name])
    censored = name == "ttp" and row.get("ttp_censored") in ("1", "true")
    if censored != shown.startswith(">") or not close(float(shown.lstrip(">")), want, 1e-5):
        fail("%s: page %s, export %s%s" % (name, shown, ">" if censored else "", want))
if objs.get("feasible") != ("yes" if row["feasible"] in ("1", "true") else "no"):
    fail("feasible: page %s, export %s" % (objs.get("feasible"), row["feasible"]))
doses = sorted((float(r["day"]), r["drug"], float(r["fraction"])) for r in calendar
               if int(r["member"]) == MEMBER and float(r["fraction"]) > 0)
cells = sorted((float(r[0]), r[1], float(r[2])) for r in p.tables["sel-calendar"][1:]
               if len(r) == 3)
if not doses:
    fail("member %d has no dose in the calendar export" % MEMBER)
if len(cells) != len(doses) or any(a[:2] != b[:2] or not close(a[2], b[2], 1e-3)
                                   for a, b in zip(cells, doses)):
    fail("calendar: page %s\nexport %s" % (cells[:12], doses[:12]))

# 3. a screenshot of the window's size, not blank
shot = os.path.join(scratch, "shot.png")
if os.path.exists(shot):
    os.remove(shot)
chrome("--screenshot=" + shot, "--window-size=%d,%d" % (WIDTH, HEIGHT), "--hide-scrollbars")
w, h, bpp, rows = png_pixels(shot)
if (w, h) != (WIDTH, HEIGHT):
    fail("screenshot %dx%d, asked for %dx%d" % (w, h, WIDTH, HEIGHT))
inked = sum(1 for line in rows for i in range(0, len(line), bpp * 4)
            if min(line[i:i + 3]) < 200)
if inked < 0.01 * w * h / 4:
    fail("the screenshot is nearly blank (%d sampled pixels with ink)" % inked)


# 4. a click and a key, through the DevTools protocol on a pipe (--remote-debugging-pipe:
# chromium reads JSON commands on fd 3 and writes answers and events on fd 4, each message
# ending in a NUL byte)
class DevTools:
    def __init__(self):
        self.cmd_r, self.cmd_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + os.path.join(scratch, "profile-cdp"),
                "--remote-debugging-pipe", "--window-size=%d,%d" % (WIDTH, HEIGHT), "about:blank"]
        self.proc = subprocess.Popen(
            ["sh", "-c", 'exec "$@" 3<&%d 4>&%d' % (self.cmd_r, self.out_w), "sh"] + args,
            pass_fds=(self.cmd_r, self.out_w), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(self.cmd_r)
        os.close(self.out_w)
        self.buf, self.next_id, self.session, self.console = b"", 0, None, []

    def send(self, method, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session:
            msg["sessionId"] = self.session
        os.write(self.cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + 60
        while True:
            while b"\0" not in self.buf:
                if time.time() > deadline or not select.select([self.out_r], [], [], 5)[0]:
                    fail("no answer from chromium to " + method)
                chunk = os.read(self.out_r, 1 << 16)
                if not chunk:
                    fail("chromium closed the pipe during " + method)
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            m = json.loads(raw)
            if m.get("method") in ("Runtime.consoleAPICalled", "Runtime.exceptionThrown"):
                self.console.append(m["params"])
            if m.get("id") == self.next_id:
                if "error" in m:
                    fail("%s: %s" % (method, m["error"]))
                return m.get("result", {})

    def js(self, expr):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            fail("%s: %s" % (expr, r["exceptionDetails"]))
        return r["result"].get("value")

    def wait(self, expr, want):
        for _ in range(100):
            got = self.js(expr)
            if got == want:
                return
            time.sleep(0.1)
        fail("%s is %r, not %r" % (expr, got, want))

    def close(self):
        self.proc.kill()
        self.proc.wait()


cdp = DevTools()
url = "file://" + os.path.join(scratch, "run.html")
target = cdp.send("Target.createTarget", url="about:blank")["targetId"]
cdp.session = cdp.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
cdp.send("Runtime.enable")
cdp.send("Page.enable")
cdp.send("Page.navigate", url=url)
title = "document.getElementById('sel-title') && document.getElementById('sel-title').textContent"
cdp.wait(title, "Selected: member 0")  # no fragment: the first member
# click the visible front's marker of member 3 (what is on top there is clicked: another
# member's marker at the same place is fine, a label or line is not)
hit = cdp.js("""(function () {
  var a = document.querySelector('figure.front-plot:not([hidden]) a.m%d');
  a.scrollIntoView({block: 'center'});
  var r = a.firstElementChild.getBoundingClientRect(), x = r.left + r.width / 2,
      y = r.top + r.height / 2, e = document.elementFromPoint(x, y), top = e && e.closest('a');
  return [x, y, top && top.getAttribute('href'), String(e && e.outerHTML).slice(0, 200)];
})()""" % MEMBER)
for kind in ("mousePressed", "mouseReleased"):
    cdp.send("Input.dispatchMouseEvent", type=kind, x=hit[0], y=hit[1], button="left",
             clickCount=1)
if not hit[2] or not hit[2].startswith("#member="):
    fail("the marker of member %d cannot be clicked: %s is on top of it" % (MEMBER, hit[3]))
clicked = int(hit[2].split("=")[1])
cdp.wait(title, "Selected: member %d" % clicked)
cdp.wait("location.hash", "#member=%d" % clicked)
# the arrow key: the next member
for kind in ("keyDown", "keyUp"):
    cdp.send("Input.dispatchKeyEvent", type=kind, key="ArrowRight", code="ArrowRight",
             windowsVirtualKeyCode=39)
cdp.wait(title, "Selected: member %d" % (clicked + 1))
# the y-axis menu: the scatter of the chosen pair shown, the others hidden
cdp.js("var s = document.getElementById('front-y'); s.value = '2';"
       "s.dispatchEvent(new Event('change'))")
cdp.wait("Array.from(document.querySelectorAll('figure.front-plot')).filter(function (f) "
         "{ return !f.hidden; }).map(function (f) { return f.dataset.x + f.dataset.y; }).join()",
         "02")
cdp.close()
if cdp.console:
    fail("console messages through the DevTools protocol: %s" % cdp.console)

print("member %d: %d objectives and %d doses as exported; no console message; screenshot "
      "%dx%d with %d sampled pixels of ink; a click selected member %d, the arrow key member "
      "%d; the y menu showed the pair (0, 2)" % (MEMBER, len(names), len(doses), w, h, inked,
                                                 clicked, clicked + 1))
