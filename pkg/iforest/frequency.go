package iforest

// FrequencyEncode replaces each value by the number of rows holding an
// equal value (Python equality, as in LabelEncode; nil rows count together,
// NaN rows count together). Rare values get small numbers, so with
// frequency encoding the forest isolates rare values rather than values
// that happen to sort at the ends of the label order. Unsupported element
// types give an error wrapping ErrInvalidInput; mixing strings and numbers
// is allowed.
func FrequencyEncode(values []any) ([]int64, error) {
	g, err := groupValues(values)
	if err != nil {
		return nil, err
	}
	return countsOf(g.ids, len(g.keys)), nil
}

// FrequencyEncodeStrings is FrequencyEncode for a string column with an
// optional null mask as in LabelEncodeStrings (null rows count together).
func FrequencyEncodeStrings(values []string, null []bool) []int64 {
	codes, classes := LabelEncodeStrings(values, null)
	ids := make([]int32, len(codes))
	for i, c := range codes {
		ids[i] = int32(c)
	}
	return countsOf(ids, len(classes))
}

func countsOf(ids []int32, groups int) []int64 {
	counts := make([]int64, groups)
	for _, id := range ids {
		counts[id]++
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = counts[id]
	}
	return out
}
