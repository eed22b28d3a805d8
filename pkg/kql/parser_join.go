package kql

// joinKinds are the join flavours Kusto offers; innerunique is the default.
var joinKinds = map[string]bool{
	"innerunique": true, "inner": true, "leftouter": true, "rightouter": true, "fullouter": true,
	"leftanti": true, "leftantisemi": true, "leftsemi": true, "rightanti": true, "rightantisemi": true,
	"rightsemi": true, "anti": true,
}

// parseJoin parses the rest of "join [kind=K] [hint.x=y] (query) on keys"
// where each key is Col or $left.A == $right.B (either side first).
func (p *parser) parseJoin(at int) *joinOp {
	op := &joinOp{at: at, kind: "innerunique"}
	for {
		switch {
		case p.isWord("kind") && p.peekTok(1).tok == tAssign:
			p.next()
			p.next()
			if v := p.cur(); v.tok != tIdent || !joinKinds[v.lit] {
				p.fail("unknown join kind")
			}
			op.kind = p.next().lit
			continue
		case p.isWord("hint") && p.peekTok(1).tok == tDot:
			// hint.strategy=shuffle and friends only tune the service.
			p.next()
			p.next()
			p.ident()
			p.expect(tAssign)
			p.next()
			continue
		}
		break
	}
	t := p.cur()
	switch t.tok {
	case tLParen:
		p.next()
		op.right = p.parsePipeline()
		p.expect(tRParen)
	case tIdent:
		p.next()
		op.right = &pipeline{src: &tableSource{at: t.pos, name: t.lit}}
	default:
		p.fail("expected a table or a parenthesized query")
	}
	p.expectWord("on")
	for {
		a, aSide := p.joinSide()
		if aSide == "" {
			op.left, op.rightK = append(op.left, a), append(op.rightK, a)
		} else {
			p.expect(tEq)
			b, bSide := p.joinSide()
			if bSide == "" || bSide == aSide {
				p.p--
				p.fail("expected $left.Column == $right.Column")
			}
			if aSide == "$right" {
				a, b = b, a
			}
			op.left, op.rightK = append(op.left, a), append(op.rightK, b)
		}
		if p.cur().tok != tComma {
			return op
		}
		p.next()
	}
}

// joinSide parses Col, $left.Col or $right.Col.
func (p *parser) joinSide() (identExpr, string) {
	id := p.ident()
	if id.name != "$left" && id.name != "$right" {
		return id, ""
	}
	p.expect(tDot)
	return p.ident(), id.name
}
