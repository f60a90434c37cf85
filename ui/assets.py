"""The page's own CSS and JavaScript (passed to ``Blocks.launch``, Gradio 6 style).

Kept as Python constants so they ship inside the package without package-data settings.
The script only reads the page: it follows ``[n]`` links to the sources panel (opening
folded sections on the way) and copies an answer's text; it never inserts markup.
"""

from __future__ import annotations

FONT = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "sans-serif"]
FONT_MONO = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]

CSS = """
#kr-header h1 { font-size: 1.45rem; margin: 0 0 .2rem; }
#kr-header p { margin: 0; color: var(--body-text-color-subdued); max-width: 60rem; }
.kr-sources { max-height: 760px; overflow-y: auto; padding-right: .3rem; }
.kr-sources h2 { font-size: 1.1rem; margin: 0 0 .4rem; }
.kr-sources h3, .kr-turn > summary { font-size: .95rem; font-weight: 600; margin: .3rem 0; }
.kr-turn > summary { cursor: pointer; color: var(--body-text-color-subdued); }
.kr-empty { color: var(--body-text-color-subdued); }
.kr-doc {
  border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: .55rem .75rem; margin: .55rem 0; background: var(--background-fill-secondary);
}
.kr-doc-title { font-weight: 600; }
.kr-meta { font-size: .85rem; color: var(--body-text-color-subdued); margin: .1rem 0 .3rem; }
.kr-cite {
  display: flex; gap: .4rem; align-items: baseline;
  border-left: 3px solid var(--border-color-primary); border-radius: 4px;
  padding: .15rem .55rem; margin: .45rem 0; scroll-margin: 6rem; outline: none;
}
.kr-cite-body { flex: 1; min-width: 0; }
.kr-cite:target, .kr-cite.kr-active {
  border-left-color: var(--color-accent); background: var(--color-accent-soft);
  transition: background .3s;
}
.kr-cite p, .kr-article-body p { margin: .2rem 0; line-height: 1.5; }
.kr-n { font-weight: 600; color: var(--color-accent); margin-right: .25rem; }
mark.kr-hl { background: #fde047; color: #111827; padding: 0 .1em; border-radius: 2px; }
mark.kr-hl-soft { background: #fef08a; color: #111827; border-radius: 2px; }
.kr-warn { font-size: .85rem; color: #b45309; }
.kr-article > summary {
  cursor: pointer; font-size: .9rem; color: var(--color-accent); margin-top: .3rem;
}
.kr-article-body {
  border-top: 1px dashed var(--border-color-primary); margin-top: .3rem; padding-top: .3rem;
}
.kr-article-body h4 { margin: .2rem 0; font-size: 1rem; }
.kr-caption { font-style: italic; font-size: .9rem; color: var(--body-text-color-subdued); }

.kr-answer-text { line-height: 1.55; }
.kr-copy-refs { display: none; }
a.kr-ref {
  display: inline-block; font-weight: 600; font-size: .85em; text-decoration: none;
  color: var(--color-accent); padding: 0 .15em; border-radius: 4px; cursor: pointer;
}
a.kr-ref:hover, a.kr-ref:focus { background: var(--color-accent-soft); text-decoration: underline; }
.kr-badge {
  display: inline-block; font-size: .78rem; font-weight: 600; letter-spacing: .02em;
  padding: .05rem .5rem; border-radius: 999px; margin-bottom: .3rem;
}
.kr-refusal { border-left: 4px solid #d97706; padding-left: .6rem; }
.kr-refusal .kr-badge { background: #fef3c7; color: #92400e; }
.kr-error { border-left: 4px solid #dc2626; padding-left: .6rem; }
.kr-error .kr-badge { background: #fee2e2; color: #991b1b; }
.kr-hint { font-size: .85rem; color: var(--body-text-color-subdued); margin: .3rem 0 0; }
.kr-notices { font-size: .85rem; color: #b45309; margin-top: .35rem; }
.kr-notices ul { margin: 0; padding-left: 1.1rem; }
.kr-answer-foot { display: flex; gap: .6rem; align-items: center; margin-top: .35rem; }
.kr-timings { font-size: .78rem; color: var(--body-text-color-subdued); }
button.kr-copy {
  margin-left: auto; flex-shrink: 0; white-space: nowrap; cursor: pointer;
  font-size: .78rem; padding: .05rem .5rem;
  border: 1px solid var(--border-color-primary); border-radius: 6px;
  background: var(--background-fill-primary); color: var(--body-text-color);
}
button.kr-copy.kr-copied::after { content: " ✓"; }
.kr-pending, .kr-streaming { color: var(--body-text-color-subdued); }
.kr-streaming .kr-answer-text { color: var(--body-text-color); }
/* Nothing moves while an answer is on its way: the browser usually runs on the same two
   cores as the model, and repainting a spinner, a blinking caret and Gradio's progress timer
   took CPU time from llama.cpp (answers about 0.7 s slower in the chat; docs/DESIGN.md,
   "The llama.cpp runtime"). The bubble's status line says what is happening instead. */
.kr-spinner {
  display: inline-block; width: .55em; height: .55em; border-radius: 50%;
  background: var(--color-accent); vertical-align: .05em;
}
.kr-caret::after { content: "▍"; }
.kr-examples button { font-size: .85rem; }
.kr-examples-title {
  font-size: .85rem; font-weight: 600; color: var(--body-text-color-subdued); margin-top: .3rem;
}
.kr-status { list-style: none; padding: 0; margin: .3rem 0; font-size: .9rem; }
.kr-status li { padding: .1rem 0; }
.kr-status .kr-skip, .kr-status .kr-fail { color: #b91c1c; }
.kr-status .kr-warning { color: #b45309; }
.kr-status .kr-ok { color: #15803d; }
"""

JS = """
() => {
  if (window.__kabarUi) return;
  window.__kabarUi = true;

  function openFolded(element) {
    let folded = element.closest('details');
    while (folded) {
      folded.open = true;
      folded = folded.parentElement ? folded.parentElement.closest('details') : null;
    }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } finally { area.remove(); }
    return Promise.resolve();
  }

  document.addEventListener('click', (event) => {
    const element = event.target instanceof Element ? event.target : null;
    if (!element) return;
    const ref = element.closest('a.kr-ref');
    if (ref) {
      const id = (ref.getAttribute('href') || '').replace(/^#/, '');
      const target = id ? document.getElementById(id) : null;
      if (!target) return;
      event.preventDefault();
      openFolded(target);
      for (const old of document.querySelectorAll('.kr-cite.kr-active')) {
        old.classList.remove('kr-active');
      }
      target.classList.add('kr-active');
      target.scrollIntoView({ behavior: 'smooth', block: 'center' });
      target.focus({ preventScroll: true });
      return;
    }
    const copy = element.closest('button.kr-copy');
    if (copy) {
      const answer = copy.closest('.kr-answer');
      const body = answer ? answer.querySelector('.kr-answer-text') : null;
      const refs = answer ? answer.querySelector('.kr-copy-refs') : null;
      let text = body ? body.innerText.trim() : '';
      if (refs && refs.textContent.trim()) text += '\\n\\n' + refs.textContent.trim();
      copyText(text).then(() => {
        copy.classList.add('kr-copied');
        setTimeout(() => copy.classList.remove('kr-copied'), 1500);
      });
    }
  });
}
"""
