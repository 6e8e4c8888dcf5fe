// Runs the layout in a Web Worker; where a worker cannot start, on the main thread in slices of
// at most 8 ms (setTimeout between slices) so no task comes near 50 ms. Either way the caller
// gets positions as they improve, and `done` once the simulation has cooled.
import { Layout, type LayoutInput } from './layout';

export type OnPositions = (pos: Float32Array, done: boolean) => void;

export function runLayout(input: LayoutInput, onPositions: OnPositions): () => void {
  let worker: Worker | null = null;
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
  }
  if (worker) {
    const w = worker;
    w.onmessage = (e: MessageEvent<{ pos: Float32Array; done: boolean }>) => {
      onPositions(e.data.pos, e.data.done);
      if (e.data.done) w.terminate();
    };
    w.onerror = () => {
      w.terminate();
      cancel = sliced(input, onPositions);
    };
    const links = input.links.slice();
    const init = input.init ? input.init.slice() : null;
    w.postMessage({ ...input, links, init }, [links.buffer, ...(init ? [init.buffer] : [])]);
    let cancel = () => w.terminate();
    return () => cancel();
  }
  return sliced(input, onPositions);
}

function sliced(input: LayoutInput, onPositions: OnPositions): () => void {
  const layout = new Layout(input);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const slice = () => {
    const t0 = performance.now();
    while (!layout.done && performance.now() - t0 < 8) layout.tick();
    onPositions(layout.pos.slice(), layout.done);
    timer = layout.done ? null : setTimeout(slice, 0);
  };
  timer = setTimeout(slice, 0);
  return () => {
    if (timer !== null) clearTimeout(timer);
  };
}
