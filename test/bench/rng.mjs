// mulberry32: a small deterministic PRNG, so every benchmark run measures the same data.
// Plain JavaScript (typed by rng.d.mts) so both the .mjs harness and the .ts benches can use it.

/** A generator of floats in [0, 1), the same sequence for the same seed. */
export function rng(seed = 42) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
