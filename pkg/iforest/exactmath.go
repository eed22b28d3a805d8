package iforest

import (
	"math"
	"math/big"
)

// Correctly rounded exp2 and log.
//
// Why: scikit-learn's scores are 2 ** (-depth / c) and c(n) uses log(n-1).
// Go's math.Exp2, math.Pow and math.Log are accurate to about one ulp but
// round differently from the C library in many last bits. glibc's log and
// pow (which numpy uses on CPUs without AVX512F) round correctly except in
// very rare cases, so the closest stable target is correct rounding. The
// functions below evaluate in double-double arithmetic (about 100 correct
// bits) and round once; a result lands on the wrong side of a rounding
// boundary only when the true value lies within ~2^-95 of it.
//
// numpy 1.24 on CPUs with AVX512F uses its own SIMD log and Intel SVML's
// pow, which are within one ulp but not correctly rounded: there scores can
// differ from scikit-learn's in the last bit (well inside 1e-12); the parity
// tests count such rows.

// dd is an unevaluated sum hi+lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

const (
	expTableBits = 6 // 2^(j/64) table
	ddTerms      = 5 // Taylor terms t^0..t^4 kept in double-double
)

var (
	ln2DD       dd
	ln2Over64DD dd
	exp2Table   [1 << expTableBits]dd
	invFact     [12]dd // 1/i! for the Taylor series of e^t, |t| <= ln2/128
)

func init() {
	const prec = 320
	toDD := func(x *big.Float) dd {
		hi, _ := x.Float64()
		r := new(big.Float).SetPrec(prec).Sub(x, big.NewFloat(hi))
		lo, _ := r.Float64()
		return dd{hi, lo}
	}
	// ln 2 = sum_{k>=1} 1 / (k 2^k): one bit per term.
	ln2 := new(big.Float).SetPrec(prec)
	term := new(big.Float).SetPrec(prec)
	for k := 1; k <= prec+10; k++ {
		term.SetMantExp(new(big.Float).SetPrec(prec).SetInt64(1), -k)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(k)))
		ln2.Add(ln2, term)
	}
	ln2DD = toDD(ln2)
	ln2Over64DD = dd{ln2DD.hi / 64, ln2DD.lo / 64}
	for j := range exp2Table {
		// 2^(j/64) = the 64th root of 2^j: six square roots.
		x := new(big.Float).SetMantExp(new(big.Float).SetPrec(prec).SetInt64(1), j)
		for i := 0; i < expTableBits; i++ {
			x.Sqrt(x)
		}
		exp2Table[j] = toDD(x)
	}
	f := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := range invFact {
		if i > 0 {
			f.Mul(f, new(big.Float).SetPrec(prec).SetInt64(int64(i)))
		}
		invFact[i] = toDD(new(big.Float).SetPrec(prec).Quo(big.NewFloat(1).SetPrec(prec), f))
	}
}

// ddExp returns e^z for a double-double z with |z| < 700, to about 2^-100
// relative error.
func ddExp(z dd) dd {
	k := math.Round(z.hi / ln2Over64DD.hi)
	// t = z - k*ln2/64; k*hi is exact as a pair and z.hi - p.hi is exact
	// (Sterbenz) because z.hi is within ln2/128 of it.
	p := twoProd(k, ln2Over64DD.hi)
	t := twoSum(z.hi-p.hi, z.lo-p.lo-k*ln2Over64DD.lo)
	// Taylor series of e^t, |t| <= ln2/128: the terms from t^5 on are below
	// 4e-14, so they are summed in plain doubles (error ~2^-95 of the
	// result); the first five in double-double.
	h := invFact[len(invFact)-1].hi
	for i := len(invFact) - 2; i >= ddTerms; i-- {
		h = float64(h*t.hi) + invFact[i].hi
	}
	s := dd{h, 0}
	for i := ddTerms - 1; i >= 0; i-- {
		s = ddAdd(ddMul(s, t), invFact[i])
	}
	ki := int(k)
	j := ki & (1<<expTableBits - 1)
	m := (ki - j) >> expTableBits
	r := ddMul(exp2Table[j], s)
	return dd{math.Ldexp(r.hi, m), math.Ldexp(r.lo, m)}
}

// Exp2 returns 2**y rounded to nearest, the value numpy's np.power(2, y)
// gives where numpy uses the C library's pow. y must be in [-1000, 1000].
func Exp2(y float64) float64 {
	switch {
	case math.IsNaN(y):
		return y
	case y == 0:
		return 1
	case y > 1024:
		return math.Inf(1)
	case y < -1000:
		return math.Exp2(y) // subnormal territory, never reached by scores
	}
	z := twoProd(y, ln2DD.hi)
	z.lo += y * ln2DD.lo
	r := ddExp(quickTwoSum(z.hi, z.lo))
	return r.hi + r.lo
}

// LogCR returns the natural logarithm of x >= 1 rounded to nearest: one
// Newton step in double-double from math.Log, log(x) = y0 + log(x e^-y0).
func LogCR(x float64) float64 {
	if x == 1 {
		return 0
	}
	y0 := math.Log(x)
	e := ddExp(dd{-y0, 0})
	p := twoProd(x, e.hi)
	p.lo += x * e.lo
	d := (p.hi - 1) + p.lo // p.hi is within an ulp of 1: the subtraction is exact
	d -= d * d / 2
	r := twoSum(y0, d)
	return r.hi + r.lo
}
