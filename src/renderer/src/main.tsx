import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { buildApi } from '../../shared/ipc/client';
import { createWsTransport } from '../../shared/ipc/ws-transport';
import { App } from './app/App';

// In Electron the preload has set window.vaultdesk; in a browser (vaultdesk serve) the same
// contract runs over the bridge's WebSocket.
if (!('vaultdesk' in window) || !window.vaultdesk) {
  window.vaultdesk = buildApi(createWsTransport());
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
