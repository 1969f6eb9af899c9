/**
 * Standard normal helpers. The tails keep their relative accuracy (about 1e-7) far out, so that a p-value in a
 * reason line (`p=2e-9`) is the real one and not a rounding artefact of 1 - cdf.
 */

const SQRT1_2 = Math.SQRT1_2;

/** erfc(x) with relative error < 1.2e-7 everywhere (Numerical Recipes `erfcc`, Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z <= x) for a standard normal Z. */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/** P(Z > x), the upper tail, without cancellation for large x. */
export function normSf(x: number): number {
  return 0.5 * erfc(x * SQRT1_2);
}

/** Standard normal density. */
export function normPdf(x: number): number {
  return 0.3989422804014327 * Math.exp(-0.5 * x * x);
}

/**
 * Inverse of the standard normal CDF (Wichura's AS 241, relative error < 1e-16). `p` in (0, 1); returns
 * -Infinity / Infinity at 0 / 1 and NaN outside.
 */
export function normQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    val =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/**
 * The standard normal deviate with the same upper-tail probability as Student's t with `df` degrees of freedom
 * (Wallace 1959; error < 0.02 for df >= 3, exact as df -> infinity). Used to put t statistics on the z scale
 * shared by all sequential boundaries. df <= 0 or non-finite t gives t unchanged for df = Infinity.
 */
export function tToZ(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return t;
  if (df <= 0) return 0;
  const z = Math.sqrt(df * Math.log1p((t * t) / df)) * ((8 * df + 1) / (8 * df + 3));
  return t < 0 ? -z : z;
}
