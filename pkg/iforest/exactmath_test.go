package iforest

import (
	"math"
	"math/big"
	"testing"
)

// bigExp2 evaluates 2**y with 300-bit arithmetic: 2**floor(y) * e^(f ln2)
// by its Taylor series, an oracle independent of the double-double code.
func bigExp2(y float64) float64 {
	const prec = 300
	fl := math.Floor(y)
	f := new(big.Float).SetPrec(prec).SetFloat64(y - fl) // exact
	ln2 := new(big.Float).SetPrec(prec)
	for k := 1; k <= prec+10; k++ {
		t := new(big.Float).SetMantExp(new(big.Float).SetPrec(prec).SetInt64(1), -k)
		ln2.Add(ln2, t.Quo(t, new(big.Float).SetPrec(prec).SetInt64(int64(k))))
	}
	x := new(big.Float).SetPrec(prec).Mul(f, ln2)
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for i := 1; i < 120; i++ {
		term.Mul(term, x)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(i)))
		sum.Add(sum, term)
	}
	sum.SetMantExp(sum, int(fl))
	v, _ := sum.Float64() // round to nearest even
	return v
}

func TestExp2CorrectlyRounded(t *testing.T) {
	inputs := []float64{-1, -0.5, -2, -0.25, -1e-300, -0.9999999999999999, -0.3333333333333333, 0.5, 3.75}
	x := uint64(88172645463325252)
	for i := 0; i < 3000; i++ { // xorshift64: deterministic spread over (-2, 0)
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		inputs = append(inputs, -2*float64(x>>11)/(1<<53))
	}
	for _, y := range inputs {
		if got, want := Exp2(y), bigExp2(y); got != want {
			t.Errorf("Exp2(%v) = %x, correctly rounded %x", y, got, want)
		}
	}
}

func TestLogCRMatchesBigNewton(t *testing.T) {
	// Check exp(LogCR(n)) brackets n: the true log lies within half an ulp.
	for n := 2; n < 5000; n += 7 {
		x := float64(n)
		l := LogCR(x)
		// The midpoints to the neighbours, exactly, as double-doubles.
		lo := dd{l, (math.Nextafter(l, math.Inf(-1)) - l) / 2}
		hi := dd{l, (math.Nextafter(l, math.Inf(1)) - l) / 2}
		// e^lo <= n <= e^hi, evaluated in double-double.
		elo, ehi := ddExp(lo), ddExp(hi)
		if (elo.hi-x)+elo.lo > 0 || (ehi.hi-x)+ehi.lo < 0 {
			t.Errorf("LogCR(%d) = %x is not the nearest double to log(%d)", n, l, n)
		}
	}
}
