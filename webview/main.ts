/**
 * Boot: pick the backend (WebGL, else CPU with a visible notice; WASM, else CPU, once a WebGL context is lost; the one
 * the user chose if they switched), mount the app, then the handshake: the webview says `ready`, the host answers
 * with the model. Messages are validated on arrival.
 *
 * Backends: WebGL; WASM (tfjs' WebAssembly backend, XNNPACK kernels with SIMD, one thread: threads need
 * SharedArrayBuffer, which needs cross-origin isolation, which a VS Code webview does not have); and tfjs' plain
 * JavaScript CPU backend. The WASM binary is fetched from the extension's dist/ when that backend first starts,
 * which the CSP allows with `'wasm-unsafe-eval'` (src/panel/webviewHtml.ts says why).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { HostMessageSchema, isHostMessage, whyMalformed, type BackendName, type PersistedState, type WebviewMessage } from '../src/protocol';
import { restoreState } from './state';
import type { BackendInfo } from './app/deps';
import { registerWasmTrainingKernels } from './tfjs/wasmKernels';
import type { AppElement } from './components/ll-app/ll-app';
import './components/ll-app/ll-app';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };

const vscode = acquireVsCodeApi();
/** Why WebGL cannot be used; null while it can. */
let webglLost: string | null = null;
/** Why the WASM backend cannot be used (no WebAssembly, or it failed to start); null while it may be. */
let wasmFailed: string | null = typeof WebAssembly === 'object' ? null : 'this browser has no WebAssembly';
/** What the WASM backend runs with, once it has started: `SIMD, 1 thread (…)`. */
let wasmDetail: string | null = null;
/** The WebGL renderer when it is software (SwiftShader, llvmpipe): there the CPU backend is often faster. */
let softwareRenderer: string | null = null;
/** WebGL's context, to ask whether it is lost: true at once, while its event comes a moment later. */
let glContext: WebGLRenderingContext | null = null;

/** The renderer's name if it draws in software, from WEBGL_debug_renderer_info where the browser exposes it. */
function softwareRendererOf(gl: WebGLRenderingContext): string | null {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  const m = /SwiftShader|llvmpipe|softpipe|Software Rasterizer/i.exec(name);
  return m ? m[0] : null;
}

/**
 * Where the WASM backend finds its binaries (the page names dist/ on <ll-app data-wasm>), and what it may use: no
 * threads (the threaded binary is not shipped, and without cross-origin isolation it could not run), plus the
 * training kernel tfjs' WASM backend lacks (Conv2DBackpropFilter).
 */
function prepareWasm(): void {
  const base = document.querySelector<HTMLElement>('ll-app')?.dataset.wasm;
  if (!base) {
    wasmFailed ??= 'the page does not say where the WASM binaries are';
    return;
  }
  setWasmPaths({
    'tfjs-backend-wasm.wasm': `${base}tfjs-backend-wasm.wasm`,
    'tfjs-backend-wasm-simd.wasm': `${base}tfjs-backend-wasm-simd.wasm`,
    // Never used (threads are off below); named so that no request goes elsewhere.
    'tfjs-backend-wasm-threaded-simd.wasm': `${base}tfjs-backend-wasm-simd.wasm`,
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels();
}

/** Starts the WASM backend; false (and why, in wasmFailed) when it cannot start. */
async function startWasm(): Promise<boolean> {
  if (wasmFailed) return false;
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('it did not initialise');
  } catch (e) {
    wasmFailed = `the WASM backend did not start (${(e as Error).message ?? String(e)})`;
    return false;
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  wasmDetail = `WebAssembly${simd ? ' with SIMD' : ' without SIMD'}, 1 thread (threads need cross-origin isolation, which ${isolated ? 'this page has, but the threaded build is not shipped' : 'a VS Code webview does not have'})`;
  return true;
}

async function chooseBackend(preferred: BackendName): Promise<void> {
  try {
    if (await tf.setBackend('webgl')) {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (gl) softwareRenderer = softwareRendererOf(gl);
      glContext = gl ?? null;
      gl?.canvas.addEventListener('webglcontextlost', () => void fallBack('WebGL context was lost', true));
      if (preferred === 'cpu') await tf.setBackend('cpu');
      if (preferred === 'wasm' && !(await startWasm())) await tf.setBackend('webgl');
      return;
    }
  } catch {
    // fall through to the CPU backend
  }
  await fallBack('WebGL is not available');
}

/**
 * WebGL cannot be used: `why`. Where its context was lost (`lost`), WASM takes over if it starts (it runs and
 * trains far faster than tfjs' plain JavaScript), else the CPU backend; where WebGL never started, the CPU backend
 * (WASM is fetched only when chosen or when training asks for it).
 */
async function fallBack(why: string, lost = false): Promise<void> {
  webglLost = why;
  if (lost) stopPollingLostContext();
  // A lost WebGL context does not touch a model on WASM or the CPU: only the choices change. (The engine's
  // backendName, not tf.getBackend(), which would start the best backend when none is set.)
  const now = tf.engine().backendName;
  if (now === 'wasm' || now === 'cpu') {
    app?.requestUpdate();
    return;
  }
  if (!lost || !(await startWasm())) await tf.setBackend('cpu');
  // The model's weights lived on the lost context: build and run it again (training goes on from its own copy).
  await app?.backendChanged(lost ? why : null);
}

/**
 * A read that was under way when the context was lost waits on a fence that never passes, and tfjs polls it on a
 * zero timer for ever (about 2% of a core, measured here, for as long as the panel is open): its list of fences to
 * poll (a field of tfjs' WebGL backend, which offers no way to cancel them) is emptied, which ends the polling. What
 * waited on them is given up already (training goes on from its copy).
 */
function stopPollingLostContext(): void {
  const gpgpu = (tf.findBackend('webgl') as unknown as { gpgpu?: { itemsToPoll?: unknown[] } } | undefined)?.gpgpu;
  if (Array.isArray(gpgpu?.itemsToPoll)) gpgpu.itemsToPoll.length = 0;
}

/** The user's choice (or training's, trainOn): rebuild and run the model on the other backend; resolves once it has. */
async function useBackend(name: BackendName): Promise<void> {
  if (name === tf.getBackend() || (name === 'webgl' && webglLost)) return;
  if (name === 'wasm') {
    if (!(await startWasm())) {
      // Stay where it was; the notice says why WASM is not offered any more.
      app?.requestUpdate();
      return;
    }
  } else await tf.setBackend(name);
  await app?.backendChanged();
}

function backendNotice(): string | null {
  const now = tf.getBackend();
  if (webglLost && now === 'cpu') return `${webglLost}: running on the CPU backend, which is slower.`;
  if (webglLost && now === 'wasm') return `${webglLost}: running on WASM.`;
  if (wasmFailed && typeof WebAssembly === 'object' && now !== 'wasm' && wasmFailed.startsWith('the WASM backend did not start'))
    return `${wasmFailed}: running on ${now === 'cpu' ? 'the CPU backend' : 'WebGL'}.`;
  if (softwareRenderer && now === 'webgl')
    return `WebGL is drawn in software here (${softwareRenderer}): ${wasmFailed ? 'the CPU backend' : 'WASM or the CPU backend'} may well be faster.`;
  return null;
}

function backendInfo(): BackendInfo {
  const name = tf.getBackend();
  const choices = (['webgl', 'wasm', 'cpu'] as BackendName[]).filter((b) => !(b === 'webgl' && webglLost) && !(b === 'wasm' && wasmFailed));
  // Training goes to WASM where the model runs on tfjs' plain JavaScript or on a WebGL drawn in software: measured
  // here (README, Speed), WASM trains the book's convnet tens of times faster than either. A hardware WebGL stays.
  const slow = name === 'cpu' || (name === 'webgl' && softwareRenderer !== null);
  return {
    name,
    notice: backendNotice(),
    choices,
    detail: name === 'wasm' ? (wasmDetail ?? undefined) : name === 'webgl' && softwareRenderer ? `WebGL drawn in software (${softwareRenderer})` : undefined,
    trainOn: slow && !wasmFailed ? 'wasm' : null,
    webglLost: webglLost !== null || (glContext?.isContextLost() ?? false),
  };
}

const post = (m: WebviewMessage) => vscode.postMessage(m);
let app: AppElement | null = null;

async function boot(): Promise<void> {
  prepareWasm();
  await chooseBackend(restoreState(vscode.getState()).backend);
  const element = document.querySelector<AppElement>('ll-app');
  if (!element) return;
  app = element;
  element.start({
    post,
    getState: () => vscode.getState(),
    setState: (s: PersistedState) => vscode.setState(s),
    backend: backendInfo,
    useBackend,
  });
  window.addEventListener('message', (e: MessageEvent) => {
    if (isHostMessage(e.data)) element.receive(e.data);
    else
      post({
        type: 'error',
        message: `dropped a malformed message from the host (${whyMalformed(HostMessageSchema, e.data)}): ${JSON.stringify(e.data)?.slice(0, 200)}`,
      });
  });
  post({ type: 'ready' });
}

void boot().catch((e) => post({ type: 'error', message: `the preview failed to start: ${(e as Error).message}` }));
