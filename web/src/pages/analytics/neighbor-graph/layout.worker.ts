// The layout's worker: ticks the simulation off the main thread and posts the positions about
// every 150 ms (so the drawing animates as the graph settles) and once more when it has cooled.
import { Layout, type LayoutInput } from './layout';

interface Scope {
  onmessage: ((e: MessageEvent<LayoutInput>) => void) | null;
  postMessage(msg: unknown, transfer: Transferable[]): void;
}
const scope = self as unknown as Scope;

scope.onmessage = (e) => {
  const layout = new Layout(e.data);
  let last = performance.now();
  const post = (done: boolean) => {
    const pos = layout.pos.slice();
    scope.postMessage({ pos, done }, [pos.buffer]);
  };
  post(false);
  while (!layout.done) {
    layout.tick();
    if (performance.now() - last > 150) {
      post(false);
      last = performance.now();
    }
  }
  post(true);
};
