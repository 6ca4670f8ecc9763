// tg.debugging: TF's tf.debugging.enable_check_numerics, which finds the op that made the first NaN
// or ±Infinity, in the forward pass or in a gradient rule.
import { numerics } from './ops/primitive';

export { CheckNumericsError } from './ops/primitive';

/**
 * From now on, the first op that makes a NaN or ±Infinity from finite inputs throws a
 * `CheckNumericsError` naming the op and its inputs' shapes and dtypes and, when the op ran in a
 * gradient rule, the recorded op whose gradient it was computing (TF's
 * `tf.debugging.enable_check_numerics`). An op whose input already holds a NaN or ±Infinity does
 * not throw: the error points at where the first one was made. Off by default; while off it costs
 * one boolean check per op.
 * @example
 * tg.debugging.enableCheckNumerics();
 * let message = '';
 * try { tg.log(tg.tensor([1, 0, 2])); } catch (e) { message = (e as Error).message; }
 * message; // 'checkNumerics: log produced -Infinity (input shapes [3] float32)'
 * tg.debugging.disableCheckNumerics();
 * tg.log(tg.tensor([1, 0, 2])); // [0, -Infinity, 0.6931472]
 */
export function enableCheckNumerics(): void {
  numerics.enabled = true;
}

/**
 * Stops what `enableCheckNumerics()` started: NaN and ±Infinity pass silently again.
 * @example
 * tg.debugging.disableCheckNumerics();
 * tg.sqrt(-1); // NaN
 */
export function disableCheckNumerics(): void {
  numerics.enabled = false;
}

/**
 * True while `enableCheckNumerics()` is in effect.
 * @example
 * tg.debugging.checkNumericsEnabled(); // false
 */
export function checkNumericsEnabled(): boolean {
  return numerics.enabled;
}

export { onGradient } from './autodiff/gradient_graph';
export type { GradientGraph, GradientGraphNode, GradientListener } from './autodiff/gradient_graph';
