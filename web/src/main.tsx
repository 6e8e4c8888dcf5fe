import { render } from 'preact';
import { App } from './app';
import { startLiveFeed } from './app/live-feed';
import { startServerState } from './app/server-state';
import './styles/tokens.css';
import './styles/base.css';

startServerState();
startLiveFeed();
render(<App />, document.getElementById('app')!);

// After the first page is up, fetch the map kit (Leaflet) and the map pages while the browser is
// idle: they are not part of the initial JavaScript, but the first visit to Map or Live no
// longer waits for them.
const idle = (fn: () => void) =>
  'requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 3000 }) : setTimeout(fn, 1500);
idle(() => {
  void import('./map').then((m) => m.loadLeaflet());
  void import('./pages/map');
  void import('./pages/live');
});
