package iforest

import "slices"

// TreeInfo is one fitted tree in the layout of scikit-learn's
// estimators_[i].tree_ and estimators_features_[i], for tests and
// debugging. It is built on request, apart from the scoring structures.
type TreeInfo struct {
	Features      []int     // estimators_features_[i]: X's columns, in the tree's order
	NodeCount     int       // tree_.node_count
	ChildrenLeft  []int     // tree_.children_left (-1 for leaves)
	ChildrenRight []int     // tree_.children_right (-1 for leaves)
	Feature       []int     // tree_.feature (-2 for leaves)
	Threshold     []float64 // tree_.threshold (-2 for leaves)
	NNodeSamples  []int     // tree_.n_node_samples
}

// Trees returns a copy of every tree, in estimator order; nil before Fit.
func (f *Forest) Trees() []TreeInfo {
	if !f.fitted {
		return nil
	}
	out := make([]TreeInfo, len(f.trees))
	for i := range f.trees {
		t := &f.trees[i]
		n := len(t.nodes)
		ti := TreeInfo{
			NodeCount:     n,
			ChildrenLeft:  make([]int, n),
			ChildrenRight: make([]int, n),
			Feature:       make([]int, n),
			Threshold:     make([]float64, n),
			NNodeSamples:  make([]int, n),
		}
		for _, c := range t.features {
			ti.Features = append(ti.Features, int(c))
		}
		for j, nd := range t.nodes {
			ti.NNodeSamples[j] = int(t.nodeSamples[j])
			if nd.col < 0 {
				ti.ChildrenLeft[j], ti.ChildrenRight[j] = -1, -1
				ti.Feature[j], ti.Threshold[j] = treeUndefined, treeUndefined
				continue
			}
			ti.ChildrenLeft[j], ti.ChildrenRight[j] = j+1, int(nd.right)
			// tree_.feature indexes the tree's features; nodes hold X's column.
			ti.Feature[j] = slices.Index(ti.Features, int(nd.col))
			ti.Threshold[j] = nd.value
		}
		out[i] = ti
	}
	return out
}
