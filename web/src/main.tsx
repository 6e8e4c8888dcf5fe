import { render } from 'preact';
import { App } from './app';
import { startLiveFeed } from './app/live-feed';
import { startServerState } from './app/server-state';
import './styles/tokens.css';
import './styles/base.css';

startServerState();
startLiveFeed();
render(<App />, document.getElementById('app')!);
