// #/tools: the tools landing: a packet trace by hash (to #/tools/trace/<hash>), the path
// inspector, the prefix tool and compare observers, each with a line on what it answers.
import { useState } from 'preact/hooks';
import { href, navigate } from '../app/router';
import type { PageProps } from '../app/routes';
import { Page } from '../components/page';
import '../styles/analytics.css';
import '../styles/analytics-i12g.css';

const HASH = /^[0-9a-f]{16}$/i;

function TraceForm() {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    const h = text.trim();
    if (!HASH.test(h))
      return setError('A packet hash is 16 hex digits (0-9, a-f), as shown in the packet list.');
    setError(null);
    navigate(`tools/trace/${h.toLowerCase()}`);
  };
  return (
    <form class="tools-trace" onSubmit={submit} noValidate>
      <label class="control">
        <span class="control-label">Packet hash</span>
        <input
          type="text"
          value={text}
          spellcheck={false}
          autocomplete="off"
          placeholder="16 hex digits"
          aria-invalid={error !== null}
          aria-describedby={error ? 'trace-error' : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Trace</button>
      {error ? (
        <p id="trace-error" class="state state-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

const TOOLS = [
  {
    id: 'path-inspector',
    path: 'tools/path-inspector',
    title: 'Path inspector',
    text: 'Hop prefixes in, ranked candidate full-key paths out, with the evidence for each hop.',
  },
  {
    id: 'prefix',
    path: 'tools/prefix',
    title: 'Prefix tool',
    text: 'Check whether a key prefix is taken, or generate a free one for a new node.',
  },
  {
    id: 'compare',
    path: 'compare',
    title: 'Compare observers',
    text: 'What two observers heard in the last 24 hours: only one, or both.',
  },
];

export default function ToolsPage(_p: PageProps) {
  return (
    <Page name="tools" title="Tools" loaded>
      <div class="agrid tools-grid">
        <section class="card" aria-labelledby="tool-trace-title" data-tool="trace">
          <h2 id="tool-trace-title" class="acard-title">
            Packet trace
          </h2>
          <p class="muted">
            Every observer's sighting of one packet: when, with what signal, along which path.
          </p>
          <TraceForm />
        </section>
        {TOOLS.map((t) => (
          <section class="card" aria-labelledby={`tool-${t.id}-title`} data-tool={t.id}>
            <h2 id={`tool-${t.id}-title`} class="acard-title">
              <a href={href(t.path)}>{t.title}</a>
            </h2>
            <p class="muted">{t.text}</p>
          </section>
        ))}
      </div>
    </Page>
  );
}
