"""How fast is the lesson page?  Load and run times in Chromium, next to a naive baseline.

    python -m benchmarks.page              # 5 runs, serving variants, boot profile
    python -m benchmarks.page --runs 9
    python -m benchmarks.page --quick      # 1 run, no variants, no profile
    python -m benchmarks.page --no-network # without the visits over a simulated link
    python -m benchmarks.page --markdown   # the saved results as the README's tables
    python -m benchmarks.page --report     # the saved results' full report again

It builds the site into a temporary folder, serves it on a free localhost port with
``sitebuild.serve.make_handler`` (cross-origin isolated, compressed copies on; ``server.py``), and
drives Debian's Chromium with Playwright.  Each run measures, in fresh browser profiles:

- **editor interactive**: navigation → a character typed into the main cell's editor is
  in the page, for a learner who clicks the code box in the first frame that draws it and
  types at once: a script in the page (``LEARNER``) focuses the box in that frame, as the
  click would, while Playwright presses keys (backquotes) one after another from the moment
  the page commits, each waiting only for the page to take it; the first that lands in
  the box is the figure.  With how long the page's main thread was busy until then (CDP
  Performance metrics: less sensitive than wall time to other processes on a loaded
  machine).  Also, in a visit of its own, the way this benchmark measured it until
  27 Nov 2026 (``editor_interactive_playwright_s``): Playwright waits for the box to be
  visible, focuses it, then types, three round trips one after another, each waiting for
  the page's main thread; on a blank page with one textarea that alone takes about
  0.25 s against 0.16 s, and under load the gap grows;
- **Python ready**, cold (a new profile: empty HTTP cache) and warm (a second visit in
  the same profile).  The baseline's "ready" is its bare interpreter, without packages.
  A first visit stays ``READ_SECONDS`` after its runs, as a learner reads on, and then
  until what the page keeps for the next visit is kept (Cache Storage; ``kept_s``), so
  the warm visit is a second visit to a page that was used, not one closed at once;
- **Ctrl+Enter → first output line** and **Ctrl+Enter → plot decoded** (``img.decode()``)
  for the main snippet: the first run pressed the moment Python is ready (it includes
  loading what the snippet imports), a second run, and the first run of a warm visit
  whose learner read for ``READ_SECONDS`` before pressing;
- **navigation → plot** when Run is pressed at once, cold and warm;
- **bytes**: every byte the server sends (headers included), before ready and in all.
  The server counts them, so requests from the page, its Web Worker and any service
  worker are all included (Resource Timing in the page misses the worker's fetches);
- which packages were fetched before ready (nothing of scipy/scikit-learn should be);
- **bytes nav → plot**: what the server sent, for a cold visit with Run pressed at once,
  until the main snippet's plot (requests that reached the server before it);
- **over a network** (``network.py``; skip with ``--no-network``): the same cold visit,
  page and baseline, over a simulated link in the server (``link.py``: one token bucket
  shared by every connection of the page, its Web Worker and its service worker, and a
  latency per request) of 40 Mbit/s and of 10 Mbit/s with 20 ms per request; over 40
  Mbit/s also with the Cache-Control headers of GitHub Pages (``max-age=600``), Netlify
  (``max-age=0, must-revalidate``) and ``no-store`` instead of ``build.py serve``'s
  (``immutable``), and from a host that compresses nothing.  Each gives nav → plot, bytes
  to the plot and in the visit, and every path asked for more than once (with the
  statuses of its answers: ``[200, 200]`` is a file sent twice);
- **printed-then-pause latency** (``printed.py``): print, then sleep, NumPy work, a
  pure-Python loop or input(); from the print (Python's clock) to the line in the page.

Times are taken inside the page with ``performance.now()`` (milliseconds since navigation
started), by a script installed before the page's own (``INSTRUMENT``): it watches the
status line, the editor and the output, and timestamps keydown/click with the event's
own ``timeStamp``.  The scripts the benchmark puts in pages are the ``.js`` files here.

The same run measures the naive baseline (``benchmarks/baseline/``: Pyodide on the main
thread, packages loaded on Run) on the same snippet, interleaved with the page, so both
see the same machine load.  Also (skip with ``--no-variants`` / ``--no-profile``): the
page served without gzip and without cross-origin isolation, and a step-by-step profile
of the worker's boot (``benchmarks/profile/``), cold and warm, once without the
font-cache repair and once with site-packages byte-compiled beforehand.

It prints each figure beside the baseline's with the ratio, checks the issue's targets
(✓/✗, and by how much), and saves everything to ``benchmarks/results/latest.json``.
It measures; it asserts nothing about times.

The modules: ``targets`` (the two pages driven), ``server`` and ``link`` (serving, counting,
the simulated network), ``browser`` (fresh Chromium profiles), ``visit`` (one page load),
``sessions``, ``network``, ``printed`` and ``boot_profile`` (what a run does),
``published`` (Pyodide as published: the baseline's copy, the byte budget), ``measure``
(a whole benchmark), ``goals`` (the issues' targets), ``summary`` and ``report`` (the
figures as text), ``machine``; ``site_build`` is the one module that imports ``sitebuild``.
"""
