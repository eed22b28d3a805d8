package mtrand

// Shuffle permutes a in place like numpy's legacy RandomState.shuffle on a
// one-dimensional array: for i from len-1 down to 1, swap a[i] with
// a[Interval(i)].
func (r *RandomState) Shuffle(a []int64) {
	for i := len(a) - 1; i >= 1; i-- {
		j := r.Interval(uint64(i))
		a[i], a[j] = a[j], a[i]
	}
}

// Permutation returns RandomState.permutation(n): arange(n) shuffled.
func (r *RandomState) Permutation(n int) []int64 {
	a := make([]int64, n)
	r.PermutationInto(a)
	return a
}

// PermutationInto writes permutation(len(dst)) into dst without allocating.
func (r *RandomState) PermutationInto(dst []int64) {
	for i := range dst {
		dst[i] = int64(i)
	}
	r.Shuffle(dst)
}
