/**
 * LayerLens' own WebAssembly loops over the WASM backend's heap, for the training kernels' passes that JavaScript
 * does slowly: a loop whose every step branches on the data (which of a pooling window's values is largest) costs
 * a wrong guess of the processor every other step, and JavaScript has no vectors. Written with SIMD (four float32
 * lanes; branches become masks), assembled at run time (wasmAssembler.ts) into a module that shares the backend's
 * memory, so the loops read and write tensors where they are.
 *
 * Where WebAssembly SIMD is missing (the backend then runs its plain binary), `wasmLoops` returns null and the
 * kernels use their JavaScript loops. The module compiles under the webview's CSP for the reason the backend does:
 * 'wasm-unsafe-eval' (README, the preview's Security).
 */
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { assemble, type WasmFunction } from './wasmAssembler';

/**
 * The part of the WebAssembly API used here, typed here: the unit tests compile the webview's kernels with the
 * core's settings, which have no DOM library (where WebAssembly's types are).
 */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: object } }) => { exports: unknown };
};

/** The loops, each on byte addresses in the backend's heap. */
export interface WasmLoops {
  /**
   * MaxPoolGrad for 2×2 windows with a stride of 2 and no padding, four channels at a time (`c` a multiple of 4):
   * each window's gradient to its largest input, the first in row-major order where several are equal, none for a
   * window of NaNs or of -Infinity (as tfjs' CPU backend). Writes every pixel of a window; `dx` must be zero
   * elsewhere (an odd last row or column).
   */
  maxPoolGrad2x2(x: number, dy: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number): void;
  /**
   * One kernel offset's rows of a convolution's transposed patches (Conv2DBackpropFilter's Pᵀ): for each of
   * `planes` planes of h × w values from `src` (the input with its channels first) and each output row y, `ow` values
   * to `dst`, one after another: the plane's row y·sh + `rowStart`, columns `colStart` + x·sw for x in [first, last),
   * zeros outside those columns and for a row outside the plane (the padding).
   */
  patchRows(
    dst: number,
    src: number,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    sh: number,
    sw: number,
    rowStart: number,
    colStart: number,
    first: number,
    last: number,
  ): void;
  /**
   * col2im, Conv2DBackpropInput's scatter: each row (b, y, x) of `cols` [(b, y, x), (i, j, c)] added into the
   * pixels of dx [b, h, w, c] its window covers, (y·sh + i - top, x·sw + j - left) where inside. `dx` must hold zeros.
   */
  addColumns(
    dx: number,
    cols: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
  ): void;
  /**
   * Sums `rows` rows of `width` float32 values (`width` even) into `width` doubles at `sums`, which must hold zeros:
   * four rows at a time, sums[k] += (r0[k] + r1[k]) + (r2[k] + r3[k]) in double precision, then the rows left one
   * by one (the order of wasmKernels' JavaScript, so either gives the same sums).
   */
  sumRows(x: number, sums: number, rows: number, width: number): void;
  /**
   * Conv2DBackpropFilter for a kernel of few taps (kh·kw·c, the first layer's): dW[(i, j, ch), o] summed straight
   * from x and dy, 16 output channels at a time (`o` a multiple of 16), in float32 over each image into `block`
   * (taps × o float32), then added to `sums` (taps × o doubles, which must hold zeros).
   */
  filterGradTaps(
    x: number,
    dy: number,
    sums: number,
    block: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    o: number,
  ): void;
  /**
   * Adam's update of `count` values (a multiple of 4), four at a time, as tfjs' kernels compute it in float32 and in
   * the same order (wasmOptimizers.ts): from the variable, its moments and its gradient at `value`, `m`, `v`, `g`, to new
   * ones at `newValue`, `newM`, `newV`. `constants`: 8 float32, beta1, 1 - beta1, beta2, 1 - beta2, 1 - beta1^t,
   * 1 - beta2^t, epsilon and -learningRate.
   */
  adam(value: number, m: number, v: number, g: number, newValue: number, newM: number, newV: number, count: number, constants: number): void;
  /**
   * RMSprop's update (not centered) of `count` values (a multiple of 4), as tfjs' kernels compute it: the mean
   * square and the moment from `square` and `moment`, the variable less the new moment. `constants`: 5 float32,
   * decay, 1 - decay, momentum, learningRate and epsilon.
   */
  rmsprop(
    value: number,
    square: number,
    moment: number,
    g: number,
    newValue: number,
    newSquare: number,
    newMoment: number,
    count: number,
    constants: number,
  ): void;
  /**
   * A ReLU's gradient for `count` values (a multiple of 4): dy · step(x), step being 1 above 0, 0 elsewhere and NaN
   * for NaN, as tfjs' CPU backend computes it (mul(dy, step(x))).
   */
  reluGrad(dy: number, x: number, dx: number, count: number): void;
}

/** Four steps of the running maximum over a window's values $a0…$a3, strictly greater than the best so far. */
const largest = [0, 1, 2, 3]
  .map(
    (k) => `
    local.get $a${k} local.get $most f32x4.gt local.set $above
    local.get $a${k} local.get $most local.get $above v128.bitselect local.set $most
    i32.const ${k} i32x4.splat local.get $where local.get $above v128.bitselect local.set $where`,
  )
  .join('');

/** The window's four pixels' addresses, in row-major order: `$i`, the next pixel, and those two a row below. */
const pixel = ['', 'local.get $pixel i32.add', 'local.get $row i32.add', 'local.get $row i32.add local.get $pixel i32.add'];

const MAX_POOL_GRAD_2X2: WasmFunction = {
  name: 'maxPoolGrad2x2',
  params: ['$x', '$dy', '$dx', '$n', '$h', '$w', '$c', '$oh', '$ow'],
  locals: {
    $pixel: 'i32',
    $row: 'i32',
    $b: 'i32',
    $y: 'i32',
    $xo: 'i32',
    $ch: 'i32',
    $top: 'i32',
    $i: 'i32',
    $at: 'i32',
    $a0: 'v128',
    $a1: 'v128',
    $a2: 'v128',
    $a3: 'v128',
    $most: 'v128',
    $where: 'v128',
    $above: 'v128',
    $grad: 'v128',
  },
  body: `
    ;; Bytes per pixel and per row; $at walks dy, which is in the loops' order.
    local.get $c i32.const 2 i32.shl local.set $pixel
    local.get $w local.get $pixel i32.mul local.set $row
    local.get $dy local.set $at
    i32.const 0 local.set $b
    block $batchesDone loop $batches
      local.get $b local.get $n i32.ge_s br_if $batchesDone
      i32.const 0 local.set $y
      block $rowsDone loop $rows
        local.get $y local.get $oh i32.ge_s br_if $rowsDone
        ;; $top: the window row's first byte, input row b·h + 2y.
        local.get $b local.get $h i32.mul local.get $y i32.const 1 i32.shl i32.add local.get $row i32.mul local.set $top
        i32.const 0 local.set $xo
        block $columnsDone loop $columns
          local.get $xo local.get $ow i32.ge_s br_if $columnsDone
          i32.const 0 local.set $ch
          block $channelsDone loop $channels
            local.get $ch local.get $pixel i32.ge_s br_if $channelsDone
            ;; $i: the window's top-left pixel, channels ch to ch + 3, from the tensors' start.
            local.get $top local.get $xo i32.const 1 i32.shl local.get $pixel i32.mul i32.add local.get $ch i32.add local.set $i
            ${[0, 1, 2, 3].map((k) => `local.get $x local.get $i i32.add ${pixel[k]} v128.load local.set $a${k}`).join('\n            ')}
            f32.const -Infinity f32x4.splat local.set $most
            i32.const -1 i32x4.splat local.set $where
            ${largest}
            ;; 0 + dy, as the CPU backend adds the gradient to zeros (-0 lands as 0).
            local.get $at v128.load f32.const 0 f32x4.splat f32x4.add local.set $grad
            ${[0, 1, 2, 3]
              .map(
                (k) =>
                  `local.get $dx local.get $i i32.add ${pixel[k]} local.get $grad local.get $where i32.const ${k} i32x4.splat i32x4.eq v128.and v128.store`,
              )
              .join('\n            ')}
            local.get $at i32.const 16 i32.add local.set $at
            local.get $ch i32.const 16 i32.add local.set $ch
            br $channels
          end end
          local.get $xo i32.const 1 i32.add local.set $xo
          br $columns
        end end
        local.get $y i32.const 1 i32.add local.set $y
        br $rows
      end end
      local.get $b i32.const 1 i32.add local.set $b
      br $batches
    end end`,
};

const PATCH_ROWS: WasmFunction = {
  name: 'patchRows',
  params: ['$dst', '$src', '$planes', '$h', '$w', '$oh', '$ow', '$sh', '$sw', '$rowStart', '$colStart', '$first', '$last'],
  locals: { $plane: 'i32', $y: 'i32', $iy: 'i32', $q: 'i32', $from: 'i32', $to: 'i32', $end: 'i32' },
  body: `
    ;; $to walks dst in the order it is written; $end is the current row's end.
    local.get $dst local.set $to
    i32.const 0 local.set $plane
    block $planesDone loop $planes
      local.get $plane local.get $planes i32.ge_s br_if $planesDone
      i32.const 0 local.set $y
      block $rowsDone loop $rows
        local.get $y local.get $oh i32.ge_s br_if $rowsDone
        local.get $to local.get $ow i32.const 2 i32.shl i32.add local.set $end
        local.get $y local.get $sh i32.mul local.get $rowStart i32.add local.set $iy
        local.get $iy i32.const 0 i32.ge_s local.get $iy local.get $h i32.lt_s i32.and
        if $inside
          ;; Zeros before the first column inside the input.
          local.get $to local.get $first i32.const 2 i32.shl i32.add local.set $q
          block $headDone loop $head
            local.get $to local.get $q i32.ge_u br_if $headDone
            local.get $to f32.const 0 f32.store
            local.get $to i32.const 4 i32.add local.set $to
            br $head
          end end
          ;; $from: the plane's value at (iy, colStart + first·sw), in bytes; $q counts the columns left.
          local.get $plane local.get $h i32.mul local.get $iy i32.add local.get $w i32.mul
          local.get $colStart i32.add local.get $first local.get $sw i32.mul i32.add
          i32.const 2 i32.shl local.get $src i32.add local.set $from
          local.get $last local.get $first i32.sub local.set $q
          local.get $sw i32.const 1 i32.eq
          if $contiguous
            ;; Four at a time while four are left.
            block $fourDone loop $fours
              local.get $q i32.const 4 i32.lt_s br_if $fourDone
              local.get $to local.get $from v128.load v128.store
              local.get $to i32.const 16 i32.add local.set $to
              local.get $from i32.const 16 i32.add local.set $from
              local.get $q i32.const 4 i32.sub local.set $q
              br $fours
            end end
          end
          block $oneDone loop $ones
            local.get $q i32.const 1 i32.lt_s br_if $oneDone
            local.get $to local.get $from f32.load f32.store
            local.get $to i32.const 4 i32.add local.set $to
            local.get $from local.get $sw i32.const 2 i32.shl i32.add local.set $from
            local.get $q i32.const 1 i32.sub local.set $q
            br $ones
          end end
        end
        ;; Zeros to the row's end: after the last column inside, or the whole row outside the input.
        block $tailDone loop $tail
          local.get $to local.get $end i32.ge_u br_if $tailDone
          local.get $to f32.const 0 f32.store
          local.get $to i32.const 4 i32.add local.set $to
          br $tail
        end end
        local.get $y i32.const 1 i32.add local.set $y
        br $rows
      end end
      local.get $plane i32.const 1 i32.add local.set $plane
      br $planes
    end end`,
};

const ADD_COLUMNS: WasmFunction = {
  name: 'addColumns',
  params: ['$dx', '$cols', '$n', '$h', '$w', '$c', '$oh', '$ow', '$kh', '$kw', '$sh', '$sw', '$top', '$left'],
  locals: { $b: 'i32', $y: 'i32', $xo: 'i32', $i: 'i32', $j: 'i32', $iy: 'i32', $ix: 'i32', $from: 'i32', $to: 'i32', $q: 'i32' },
  body: `
    ;; $from walks cols in its order: c values for each (b, y, x, i, j).
    local.get $cols local.set $from
    i32.const 0 local.set $b
    block $batchesDone loop $batches
      local.get $b local.get $n i32.ge_s br_if $batchesDone
      i32.const 0 local.set $y
      block $rowsDone loop $rows
        local.get $y local.get $oh i32.ge_s br_if $rowsDone
        i32.const 0 local.set $xo
        block $columnsDone loop $columns
          local.get $xo local.get $ow i32.ge_s br_if $columnsDone
          i32.const 0 local.set $i
          block $windowRowsDone loop $windowRows
            local.get $i local.get $kh i32.ge_s br_if $windowRowsDone
            local.get $y local.get $sh i32.mul local.get $i i32.add local.get $top i32.sub local.set $iy
            i32.const 0 local.set $j
            block $windowColumnsDone loop $windowColumns
              local.get $j local.get $kw i32.ge_s br_if $windowColumnsDone
              local.get $xo local.get $sw i32.mul local.get $j i32.add local.get $left i32.sub local.set $ix
              local.get $iy i32.const 0 i32.ge_s local.get $iy local.get $h i32.lt_s i32.and
              local.get $ix i32.const 0 i32.ge_s i32.and local.get $ix local.get $w i32.lt_s i32.and
              if $inside
                ;; $to: dx's pixel (b, iy, ix), in bytes; $q counts the channels left.
                local.get $b local.get $h i32.mul local.get $iy i32.add local.get $w i32.mul local.get $ix i32.add
                local.get $c i32.mul i32.const 2 i32.shl local.get $dx i32.add local.set $to
                local.get $c local.set $q
                block $fourDone loop $fours
                  local.get $q i32.const 4 i32.lt_s br_if $fourDone
                  local.get $to local.get $to v128.load local.get $from v128.load f32x4.add v128.store
                  local.get $to i32.const 16 i32.add local.set $to
                  local.get $from i32.const 16 i32.add local.set $from
                  local.get $q i32.const 4 i32.sub local.set $q
                  br $fours
                end end
                block $oneDone loop $ones
                  local.get $q i32.const 1 i32.lt_s br_if $oneDone
                  local.get $to local.get $to f32.load local.get $from f32.load f32.add f32.store
                  local.get $to i32.const 4 i32.add local.set $to
                  local.get $from i32.const 4 i32.add local.set $from
                  local.get $q i32.const 1 i32.sub local.set $q
                  br $ones
                end end
              else
                local.get $from local.get $c i32.const 2 i32.shl i32.add local.set $from
              end
              local.get $j i32.const 1 i32.add local.set $j
              br $windowColumns
            end end
            local.get $i i32.const 1 i32.add local.set $i
            br $windowRows
          end end
          local.get $xo i32.const 1 i32.add local.set $xo
          br $columns
        end end
        local.get $y i32.const 1 i32.add local.set $y
        br $rows
      end end
      local.get $b i32.const 1 i32.add local.set $b
      br $batches
    end end`,
};

/** Two of a row's values, at $p plus `offset` bytes, as two doubles. */
const pair = (offset: string) => `local.get $p ${offset} v128.load64_zero f64x2.promote_low_f32x4`;

const SUM_ROWS: WasmFunction = {
  name: 'sumRows',
  params: ['$x', '$sums', '$rows', '$width'],
  locals: { $row: 'i32', $r: 'i32', $p: 'i32', $s: 'i32', $end: 'i32' },
  body: `
    local.get $width i32.const 2 i32.shl local.set $row
    ;; $end: the sums' end; $p walks x.
    local.get $sums local.get $width i32.const 3 i32.shl i32.add local.set $end
    local.get $x local.set $p
    i32.const 0 local.set $r
    block $foursDone loop $fours
      local.get $r i32.const 4 i32.add local.get $rows i32.gt_s br_if $foursDone
      local.get $sums local.set $s
      block $rowDone loop $pairs
        local.get $s local.get $end i32.ge_u br_if $rowDone
        local.get $s
        local.get $s v128.load
        ${pair('')} ${pair('local.get $row i32.add')} f64x2.add
        ${pair('local.get $row i32.const 1 i32.shl i32.add')} ${pair('local.get $row i32.const 3 i32.mul i32.add')} f64x2.add
        f64x2.add f64x2.add v128.store
        local.get $s i32.const 16 i32.add local.set $s
        local.get $p i32.const 8 i32.add local.set $p
        br $pairs
      end end
      ;; $p is at the second of the four rows: on to the next four.
      local.get $p local.get $row i32.const 3 i32.mul i32.add local.set $p
      local.get $r i32.const 4 i32.add local.set $r
      br $fours
    end end
    block $onesDone loop $ones
      local.get $r local.get $rows i32.ge_s br_if $onesDone
      local.get $sums local.set $s
      block $rowDone loop $pairs
        local.get $s local.get $end i32.ge_u br_if $rowDone
        local.get $s local.get $s v128.load ${pair('')} f64x2.add v128.store
        local.get $s i32.const 16 i32.add local.set $s
        local.get $p i32.const 8 i32.add local.set $p
        br $pairs
      end end
      local.get $r i32.const 1 i32.add local.set $r
      br $ones
    end end`,
};

/** block[t + q…] += value × dy[d + q…] for 16 channels from byte q (four vectors). */
const tapTimesRow = [0, 16, 32, 48]
  .map(
    (at) =>
      `local.get $t local.get $q i32.add local.get $t local.get $q i32.add v128.load offset=${at} local.get $value local.get $d local.get $q i32.add v128.load offset=${at} f32x4.mul f32x4.add v128.store offset=${at}`,
  )
  .join('\n                ');

const FILTER_GRAD_TAPS: WasmFunction = {
  name: 'filterGradTaps',
  params: ['$x', '$dy', '$sums', '$block', '$n', '$h', '$w', '$c', '$oh', '$ow', '$kh', '$kw', '$sh', '$sw', '$top', '$left', '$o'],
  locals: {
    $tapBytes: 'i32',
    $blockEnd: 'i32',
    $b: 'i32',
    $y: 'i32',
    $xo: 'i32',
    $i: 'i32',
    $j: 'i32',
    $ch: 'i32',
    $iy: 'i32',
    $ix: 'i32',
    $d: 'i32',
    $t: 'i32',
    $px: 'i32',
    $q: 'i32',
    $s: 'i32',
    $value: 'v128',
  },
  body: `
    ;; Bytes of o float32 (one tap's row of the block, one row of dy); the block's end.
    local.get $o i32.const 2 i32.shl local.set $tapBytes
    local.get $kh local.get $kw i32.mul local.get $c i32.mul local.get $tapBytes i32.mul local.get $block i32.add local.set $blockEnd
    local.get $dy local.set $d
    i32.const 0 local.set $b
    block $batchesDone loop $batches
      local.get $b local.get $n i32.ge_s br_if $batchesDone
      ;; A new image: the block back to zeros.
      local.get $block local.set $t
      block $zeroDone loop $zero
        local.get $t local.get $blockEnd i32.ge_u br_if $zeroDone
        local.get $t f32.const 0 f32x4.splat v128.store
        local.get $t i32.const 16 i32.add local.set $t
        br $zero
      end end
      i32.const 0 local.set $y
      block $rowsDone loop $rows
        local.get $y local.get $oh i32.ge_s br_if $rowsDone
        i32.const 0 local.set $xo
        block $columnsDone loop $columns
          local.get $xo local.get $ow i32.ge_s br_if $columnsDone
          ;; $d: dy's row for (b, y, xo), walked in order; $t: the block's row for tap (i, j, ch).
          local.get $block local.set $t
          i32.const 0 local.set $i
          block $windowRowsDone loop $windowRows
            local.get $i local.get $kh i32.ge_s br_if $windowRowsDone
            local.get $y local.get $sh i32.mul local.get $i i32.add local.get $top i32.sub local.set $iy
            i32.const 0 local.set $j
            block $windowColumnsDone loop $windowColumns
              local.get $j local.get $kw i32.ge_s br_if $windowColumnsDone
              local.get $xo local.get $sw i32.mul local.get $j i32.add local.get $left i32.sub local.set $ix
              local.get $iy i32.const 0 i32.ge_s local.get $iy local.get $h i32.lt_s i32.and
              local.get $ix i32.const 0 i32.ge_s i32.and local.get $ix local.get $w i32.lt_s i32.and
              if $inside
                ;; $px: x's pixel (b, iy, ix), channel by channel.
                local.get $b local.get $h i32.mul local.get $iy i32.add local.get $w i32.mul local.get $ix i32.add
                local.get $c i32.mul i32.const 2 i32.shl local.get $x i32.add local.set $px
                i32.const 0 local.set $ch
                block $channelsDone loop $channels
                  local.get $ch local.get $c i32.ge_s br_if $channelsDone
                  local.get $px f32.load f32x4.splat local.set $value
                  i32.const 0 local.set $q
                  block $outputsDone loop $outputs
                    local.get $q local.get $tapBytes i32.ge_s br_if $outputsDone
                    ${tapTimesRow}
                    local.get $q i32.const 64 i32.add local.set $q
                    br $outputs
                  end end
                  local.get $t local.get $tapBytes i32.add local.set $t
                  local.get $px i32.const 4 i32.add local.set $px
                  local.get $ch i32.const 1 i32.add local.set $ch
                  br $channels
                end end
              else
                ;; Padding: these taps add nothing.
                local.get $t local.get $c local.get $tapBytes i32.mul i32.add local.set $t
              end
              local.get $j i32.const 1 i32.add local.set $j
              br $windowColumns
            end end
            local.get $i i32.const 1 i32.add local.set $i
            br $windowRows
          end end
          local.get $d local.get $tapBytes i32.add local.set $d
          local.get $xo i32.const 1 i32.add local.set $xo
          br $columns
        end end
        local.get $y i32.const 1 i32.add local.set $y
        br $rows
      end end
      ;; The image's sums into the doubles, two at a time.
      local.get $block local.set $t
      local.get $sums local.set $s
      block $addDone loop $add
        local.get $t local.get $blockEnd i32.ge_u br_if $addDone
        local.get $s local.get $s v128.load local.get $t v128.load64_zero f64x2.promote_low_f32x4 f64x2.add v128.store
        local.get $t i32.const 8 i32.add local.set $t
        local.get $s i32.const 16 i32.add local.set $s
        br $add
      end end
      local.get $b i32.const 1 i32.add local.set $b
      br $batches
    end end`,
};

const ADAM_CONSTANTS = ['$beta1', '$oneMinusBeta1', '$beta2', '$oneMinusBeta2', '$correction1', '$correction2', '$epsilon', '$step'];

const ADAM: WasmFunction = {
  name: 'adam',
  params: ['$value', '$m', '$v', '$g', '$newValue', '$newM', '$newV', '$count', '$constants'],
  locals: { $at: 'i32', $end: 'i32', $grad: 'v128', $m1: 'v128', $v1: 'v128', ...Object.fromEntries(ADAM_CONSTANTS.map((c) => [c, 'v128'])) },
  body: `
    ${ADAM_CONSTANTS.map((c, i) => `local.get $constants f32.load offset=${4 * i} f32x4.splat local.set ${c}`).join('\n    ')}
    local.get $count i32.const 2 i32.shl local.set $end
    i32.const 0 local.set $at
    block $done loop $values
      local.get $at local.get $end i32.ge_u br_if $done
      local.get $g local.get $at i32.add v128.load local.set $grad
      ;; m1 = m·beta1 + g·(1 - beta1); v1 = v·beta2 + g²·(1 - beta2)
      local.get $m local.get $at i32.add v128.load local.get $beta1 f32x4.mul local.get $grad local.get $oneMinusBeta1 f32x4.mul f32x4.add local.set $m1
      local.get $v local.get $at i32.add v128.load local.get $beta2 f32x4.mul
      local.get $grad local.get $grad f32x4.mul local.get $oneMinusBeta2 f32x4.mul f32x4.add local.set $v1
      local.get $newM local.get $at i32.add local.get $m1 v128.store
      local.get $newV local.get $at i32.add local.get $v1 v128.store
      ;; value + (m1 / (1 - beta1^t)) / (sqrt(v1 / (1 - beta2^t)) + epsilon) · -learningRate
      local.get $newValue local.get $at i32.add
      local.get $m1 local.get $correction1 f32x4.div
      local.get $v1 local.get $correction2 f32x4.div f32x4.sqrt local.get $epsilon f32x4.add
      f32x4.div local.get $step f32x4.mul
      local.get $value local.get $at i32.add v128.load f32x4.add
      v128.store
      local.get $at i32.const 16 i32.add local.set $at
      br $values
    end end`,
};

const RMSPROP_CONSTANTS = ['$decay', '$oneMinusDecay', '$momentum', '$learningRate', '$epsilon'];

const RMSPROP: WasmFunction = {
  name: 'rmsprop',
  params: ['$value', '$square', '$moment', '$g', '$newValue', '$newSquare', '$newMoment', '$count', '$constants'],
  locals: { $at: 'i32', $end: 'i32', $grad: 'v128', $square1: 'v128', $moment1: 'v128', ...Object.fromEntries(RMSPROP_CONSTANTS.map((c) => [c, 'v128'])) },
  body: `
    ${RMSPROP_CONSTANTS.map((c, i) => `local.get $constants f32.load offset=${4 * i} f32x4.splat local.set ${c}`).join('\n    ')}
    local.get $count i32.const 2 i32.shl local.set $end
    i32.const 0 local.set $at
    block $done loop $values
      local.get $at local.get $end i32.ge_u br_if $done
      local.get $g local.get $at i32.add v128.load local.set $grad
      ;; square1 = square·decay + g²·(1 - decay)
      local.get $square local.get $at i32.add v128.load local.get $decay f32x4.mul
      local.get $grad local.get $grad f32x4.mul local.get $oneMinusDecay f32x4.mul f32x4.add local.set $square1
      ;; moment1 = moment·momentum + g·learningRate / sqrt(square1 + epsilon)
      local.get $moment local.get $at i32.add v128.load local.get $momentum f32x4.mul
      local.get $grad local.get $learningRate f32x4.mul local.get $square1 local.get $epsilon f32x4.add f32x4.sqrt f32x4.div
      f32x4.add local.set $moment1
      local.get $newSquare local.get $at i32.add local.get $square1 v128.store
      local.get $newMoment local.get $at i32.add local.get $moment1 v128.store
      local.get $newValue local.get $at i32.add local.get $value local.get $at i32.add v128.load local.get $moment1 f32x4.sub v128.store
      local.get $at i32.const 16 i32.add local.set $at
      br $values
    end end`,
};

const RELU_GRAD: WasmFunction = {
  name: 'reluGrad',
  params: ['$dy', '$x', '$dx', '$count'],
  locals: { $at: 'i32', $end: 'i32', $value: 'v128', $step: 'v128' },
  body: `
    local.get $count i32.const 2 i32.shl local.set $end
    i32.const 0 local.set $at
    block $done loop $values
      local.get $at local.get $end i32.ge_u br_if $done
      local.get $x local.get $at i32.add v128.load local.set $value
      ;; step: 1 where x > 0, else 0; x itself (NaN) where x is NaN.
      f32.const 1 f32x4.splat f32.const 0 f32x4.splat local.get $value f32.const 0 f32x4.splat f32x4.gt v128.bitselect local.set $step
      local.get $value local.get $step local.get $value local.get $value f32x4.ne v128.bitselect local.set $step
      local.get $dx local.get $at i32.add local.get $dy local.get $at i32.add v128.load local.get $step f32x4.mul v128.store
      local.get $at i32.const 16 i32.add local.set $at
      br $values
    end end`,
};

/** The module, compiled once (small: under the 4 KB a page may compile synchronously); null without SIMD. */
let compiled: object | null | undefined;
const instances = new WeakMap<object, WasmLoops>();

let enabled = true;

/** Whether the kernels use the loops: the tests and the benchmark also run the kernels' JavaScript, as where SIMD is missing. */
export function useWasmLoops(on: boolean): void {
  enabled = on;
}

/** The loops on `backend`'s heap, or null where this WebAssembly has no SIMD (or `useWasmLoops(false)`). */
export function wasmLoops(backend: KernelBackend): WasmLoops | null {
  if (!enabled) return null;
  const memory = (backend as unknown as { wasm?: { asm?: { memory?: object } } }).wasm?.asm?.memory;
  if (!memory) return null;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(assemble([MAX_POOL_GRAD_2X2, PATCH_ROWS, ADD_COLUMNS, SUM_ROWS, FILTER_GRAD_TAPS, ADAM, RMSPROP, RELU_GRAD]));
    } catch {
      // No SIMD (a validation error); the kernels' JavaScript loops do the work.
      compiled = null;
    }
  }
  if (!compiled) return null;
  let loops = instances.get(memory);
  if (!loops) {
    loops = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as WasmLoops;
    instances.set(memory, loops);
  }
  return loops;
}
