/**
 * Boot: pick the backend (WebGL, else CPU with a visible notice; the CPU if the user chose it), mount the app,
 * then the handshake: the webview says `ready`, the host answers with the model. Messages are validated on arrival.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { isHostMessage, type BackendName, type PersistedState, type WebviewMessage } from '../src/protocol';
import { restoreState } from './state';
import type { AppElement } from './components/ll-app/ll-app';
import './components/ll-app/ll-app';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
/** Why WebGL cannot be used; null while it can. */
let webglLost: string | null = null;
/** The WebGL renderer when it is software (SwiftShader, llvmpipe): there the CPU backend is often faster. */
let softwareRenderer: string | null = null;

/** The renderer's name if it draws in software, from WEBGL_debug_renderer_info where the browser exposes it. */
function softwareRendererOf(gl: WebGLRenderingContext): string | null {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  const m = /SwiftShader|llvmpipe|softpipe|Software Rasterizer/i.exec(name);
  return m ? m[0] : null;
}

async function chooseBackend(preferred: BackendName): Promise<void> {
  try {
    if (await tf.setBackend('webgl')) {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (gl) softwareRenderer = softwareRendererOf(gl);
      gl?.canvas.addEventListener('webglcontextlost', () => void fallBack('WebGL context was lost'));
      if (preferred === 'cpu') await tf.setBackend('cpu');
      return;
    }
  } catch {
    // fall through to the CPU backend
  }
  await fallBack('WebGL is not available');
}

async function fallBack(why: string): Promise<void> {
  await tf.setBackend('cpu');
  webglLost = why;
  // The model's weights lived on the lost context: build and run it again on the CPU.
  app?.backendChanged();
}

/** The user's choice: rebuild and run the model on the other backend. */
async function useBackend(name: BackendName): Promise<void> {
  if (name === tf.getBackend() || (name === 'webgl' && webglLost)) return;
  await tf.setBackend(name);
  app?.backendChanged();
}

function backendNotice(): string | null {
  if (webglLost) return `${webglLost}: running on the CPU backend, which is slower.`;
  if (softwareRenderer && tf.getBackend() === 'webgl') return `WebGL is drawn in software here (${softwareRenderer}): the CPU backend may well be faster.`;
  return null;
}

const post = (m: WebviewMessage) => vscode.postMessage(m);
let app: AppElement | null = null;

async function boot(): Promise<void> {
  await chooseBackend(restoreState(vscode.getState()).backend);
  const element = document.querySelector<AppElement>('ll-app');
  if (!element) return;
  app = element;
  element.start({
    post,
    getState: () => vscode.getState(),
    setState: (s: PersistedState) => vscode.setState(s),
    backend: () => ({ name: tf.getBackend(), notice: backendNotice(), choices: webglLost ? ['cpu'] : ['webgl', 'cpu'] }),
    useBackend,
  });
  window.addEventListener('message', (e: MessageEvent) => {
    if (isHostMessage(e.data)) element.receive(e.data);
    else post({ type: 'error', message: `dropped a malformed message from the host: ${JSON.stringify(e.data)?.slice(0, 200)}` });
  });
  post({ type: 'ready' });
}

void boot().catch((e) => post({ type: 'error', message: `the preview failed to start: ${(e as Error).message}` }));
