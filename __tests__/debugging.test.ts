import * as tg from '../src';
import * as debugging from '../src/debugging';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('debugging.enableCheckNumerics', () => {
  afterEach(() => debugging.disableCheckNumerics());

  test('off by default: NaN and Infinity pass silently', () => {
    expect(debugging.checkNumericsEnabled()).toBe(false);
    expect(tg.log(tg.tensor([1, 0])).arraySync()).toEqual([0, -Infinity]);
  });

  test('the forward op that makes the first -Infinity is named, with its inputs', () => {
    debugging.enableCheckNumerics();
    expect(debugging.checkNumericsEnabled()).toBe(true);
    expect(messageOf(() => tg.log(tg.tensor([1, 0, 2])))).toBe(
      'checkNumerics: log produced -Infinity (input shapes [3] float32)',
    );
    expect(() => tg.div(tg.tensor([0, 1]), tg.scalar(0))).toThrow(debugging.CheckNumericsError);
    // 0/0 is the first element: NaN
    expect(messageOf(() => tg.div(tg.tensor([0, 1]), tg.scalar(0)))).toBe(
      'checkNumerics: div produced NaN (input shapes [2] float32, [] float32)',
    );
    expect(messageOf(() => tg.exp(tg.tensor([1000], [1], 'float64')))).toBe(
      'checkNumerics: exp produced Infinity (input shapes [1] float64)',
    );
  });

  test('an op whose input already holds a NaN does not throw: only the op that made it does', () => {
    const nan = tg.tensor([NaN, 1]);
    debugging.enableCheckNumerics();
    expect(tg.add(nan, 1).arraySync()).toEqual([NaN, 2]);
    expect(tg.mul(tg.tensor([2, 3]), 4).arraySync()).toEqual([8, 12]); // finite: 2·4, 3·4
  });

  test('in a gradient rule: the error names the recorded op whose gradient made it', () => {
    // d sqrt(x)/dx = 1 / (2 sqrt(x)): at x = 0 the forward value is finite (0), the gradient is not
    const x = tg.tensor([4, 0]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    debugging.enableCheckNumerics();
    const y = tg.sqrt(x); // [2, 0]: finite
    expect(y.arraySync()).toEqual([2, 0]);
    expect(messageOf(() => tape.gradient(y, x))).toBe(
      "checkNumerics: sqrtGrad produced Infinity (input shapes [2] float32, [2] float32), in the gradient of 'sqrt'",
    );
  });

  test('disabled again: the gradient is Infinity as before', () => {
    const x = tg.tensor([4, 0]);
    using tape = new tg.GradientTape();
    tape.watch(x);
    const y = tg.sqrt(x);
    expect(tape.gradient(y, x)?.arraySync()).toEqual([0.25, Infinity]); // 1 / (2·2), 1 / 0
  });
});
