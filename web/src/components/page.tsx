// A page's frame: its heading (focused on navigation, for screen readers and keyboards), the
// data-loaded marker the browser tests wait on, and the loading / warming / error / empty states.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../app/api';

export function Page(props: {
  name: string;
  title: ComponentChildren;
  loaded: boolean;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    h1.current?.focus({ preventScroll: true });
  }, [props.name]);
  return (
    <section
      class={`page page-${props.name} ${props.class ?? ''}`}
      data-page={props.name}
      data-loaded={props.loaded ? 'true' : 'false'}
    >
      <header class="page-header">
        <h1 tabIndex={-1} ref={h1}>
          {props.title}
        </h1>
        {props.actions ? <div class="page-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}

/** What to show instead of data: loading, an error with the server's message, or "no data". */
export function DataState(props: {
  loading?: boolean;
  error?: Error | null;
  empty?: boolean;
  emptyText?: string;
}) {
  if (props.error) {
    const code = props.error instanceof ApiError ? ` (${props.error.code})` : '';
    return (
      <p class="state state-error" role="alert">
        Could not load: {props.error.message}
        {code}
      </p>
    );
  }
  if (props.loading)
    return (
      <p class="state state-loading" role="status">
        Loading…
      </p>
    );
  if (props.empty) return <p class="state state-empty">{props.emptyText ?? 'No data in this window.'}</p>;
  return null;
}
