/**
 * Boot: pick the backend (WebGL, else CPU with a visible notice), mount the app, then the handshake:
 * the webview says `ready`, the host answers with the model. Messages are validated on arrival.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { isHostMessage, type PersistedState, type WebviewMessage } from '../src/protocol';
import type { AppElement } from './components/ll-app';
import './components/ll-app';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
let notice: string | null = null;

async function chooseBackend(): Promise<void> {
  try {
    if (await tf.setBackend('webgl')) {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      gl?.canvas.addEventListener('webglcontextlost', () => void fallBack('WebGL context was lost'));
      return;
    }
  } catch {
    // fall through to the CPU backend
  }
  await fallBack('WebGL is not available');
}

async function fallBack(why: string): Promise<void> {
  await tf.setBackend('cpu');
  notice = `${why}: running on the CPU backend, which is slower.`;
  // The model's weights lived on the lost context: build and run it again on the CPU.
  app?.backendChanged();
}

const post = (m: WebviewMessage) => vscode.postMessage(m);
let app: AppElement | null = null;

async function boot(): Promise<void> {
  await chooseBackend();
  app = document.querySelector('ll-app');
  if (!app) return;
  app.start({
    post,
    getState: () => vscode.getState(),
    setState: (s: PersistedState) => vscode.setState(s),
    backend: () => ({ name: tf.getBackend(), notice }),
  });
  window.addEventListener('message', (e: MessageEvent) => {
    if (isHostMessage(e.data)) app!.receive(e.data);
    else post({ type: 'error', message: `dropped a malformed message from the host: ${JSON.stringify(e.data)?.slice(0, 200)}` });
  });
  post({ type: 'ready' });
}

void boot().catch((e) => post({ type: 'error', message: `the preview failed to start: ${(e as Error).message}` }));
