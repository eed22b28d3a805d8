package kql

// Expression precedence, lowest first: or; and; comparisons and string
// operators (==, has, in, between, matches regex, ...); + -; * / %; unary.

func (p *parser) parseExpr() expr {
	p.enter()
	saved := p.chainDepth
	defer func() {
		p.depth -= p.chainDepth - saved
		p.chainDepth = saved
		p.leave()
	}()
	x := p.parseAnd()
	for p.isWord("or") {
		p.chain()
		t := p.next()
		x = &binaryExpr{at: t.pos, op: "or", x: x, y: p.parseAnd()}
	}
	return x
}

func (p *parser) parseAnd() expr {
	x := p.parseCompare()
	for p.isWord("and") {
		p.chain()
		t := p.next()
		x = &binaryExpr{at: t.pos, op: "and", x: x, y: p.parseCompare()}
	}
	return x
}

// stringOps are the infix word operators taking one right operand.
var stringOps = map[string]bool{
	"has": true, "!has": true, "has_cs": true, "!has_cs": true,
	"contains": true, "!contains": true, "contains_cs": true, "!contains_cs": true,
	"startswith": true, "!startswith": true, "startswith_cs": true, "!startswith_cs": true,
	"endswith": true, "!endswith": true, "endswith_cs": true, "!endswith_cs": true,
	"hasprefix": true, "!hasprefix": true, "hassuffix": true, "!hassuffix": true,
	"hasprefix_cs": true, "!hasprefix_cs": true, "hassuffix_cs": true, "!hassuffix_cs": true,
}

// listOps take a parenthesized list on the right.
var listOps = map[string]bool{
	"in": true, "!in": true, "in~": true, "!in~": true, "has_any": true, "has_all": true,
}

func (p *parser) parseCompare() expr {
	x := p.parseAdditive()
	t := p.cur()
	switch t.tok {
	case tEq, tNeq, tLt, tLeq, tGt, tGeq, tEqTilde, tNeqTilde:
		p.next()
		op := t.lit
		if op == "<>" {
			op = "!="
		}
		return &binaryExpr{at: t.pos, op: op, x: x, y: p.parseAdditive()}
	case tIdent:
		if p.src[t.pos] == '[' {
			return x // a bracketed name is never an operator
		}
		switch {
		case stringOps[t.lit]:
			p.next()
			return &binaryExpr{at: t.pos, op: t.lit, x: x, y: p.parseAdditive()}
		case t.lit == "matches":
			p.next()
			p.expectWord("regex")
			return &binaryExpr{at: t.pos, op: "matches regex", x: x, y: p.parseAdditive()}
		case listOps[t.lit]:
			p.next()
			p.expect(tLParen)
			in := &inExpr{at: t.pos, op: t.lit, x: x}
			for {
				in.list = append(in.list, p.parseExpr())
				if p.cur().tok != tComma {
					break
				}
				p.next()
			}
			p.expect(tRParen)
			return in
		case t.lit == "between" || t.lit == "!between":
			p.next()
			p.expect(tLParen)
			b := &betweenExpr{at: t.pos, not: t.lit == "!between", x: x, lo: p.parseAdditive()}
			p.expect(tDotDot)
			b.hi = p.parseAdditive()
			p.expect(tRParen)
			return b
		}
	}
	return x
}

func (p *parser) parseAdditive() expr {
	x := p.parseMul()
	for p.cur().tok == tPlus || p.cur().tok == tMinus {
		p.chain()
		t := p.next()
		x = &binaryExpr{at: t.pos, op: t.lit, x: x, y: p.parseMul()}
	}
	return x
}

func (p *parser) parseMul() expr {
	x := p.parseUnary()
	for p.cur().tok == tStar || p.cur().tok == tSlash || p.cur().tok == tPercent {
		p.chain()
		t := p.next()
		x = &binaryExpr{at: t.pos, op: t.lit, x: x, y: p.parseUnary()}
	}
	return x
}

func (p *parser) parseUnary() expr {
	t := p.cur()
	if t.tok == tMinus || t.tok == tPlus {
		p.enter()
		defer p.leave()
		p.next()
		return &unaryExpr{at: t.pos, op: t.lit, x: p.parseUnary()}
	}
	return p.parsePrimary()
}

// parsePrimary parses an operand and its dynamic accessors: d.name,
// d["name"] (also d['name'], which scans as a bracketed name) and d[i].
func (p *parser) parsePrimary() expr {
	x := p.parseOperand()
	for {
		t := p.cur()
		switch {
		case t.tok == tDot && p.peekTok(1).tok == tIdent && p.src[p.peekTok(1).pos] != '[':
			p.chain()
			p.next()
			k := p.next()
			x = &indexExpr{at: t.pos, x: x, key: &litExpr{at: k.pos, kind: tString, text: k.lit}}
		case t.tok == tIdent && p.src[t.pos] == '[':
			p.chain()
			p.next()
			x = &indexExpr{at: t.pos, x: x, key: &litExpr{at: t.pos, kind: tString, text: t.lit}}
		case t.tok == tLBrack:
			p.chain()
			p.next()
			k := p.parseExpr()
			p.expect(tRBrack)
			x = &indexExpr{at: t.pos, x: x, key: k}
		default:
			return x
		}
	}
}

func (p *parser) parseOperand() expr {
	t := p.cur()
	switch t.tok {
	case tInt, tReal, tString, tTimespan, tTyped:
		p.next()
		return &litExpr{at: t.pos, kind: t.tok, text: t.lit}
	case tLParen:
		p.next()
		x := p.parseExpr()
		p.expect(tRParen)
		return x
	case tIdent:
		p.next()
		if p.cur().tok == tLParen {
			return p.parseCall(t)
		}
		if t.lit == "true" || t.lit == "false" {
			if p.src[t.pos] != '[' {
				return &litExpr{at: t.pos, kind: tIdent, text: t.lit}
			}
		}
		return &identExpr{at: t.pos, name: t.lit}
	}
	p.fail("expected an expression")
	return nil
}

func (p *parser) parseCall(name tokInfo) expr {
	p.enter()
	defer p.leave()
	p.expect(tLParen)
	call := &callExpr{at: name.pos, name: name.lit}
	if p.cur().tok == tRParen {
		p.next()
		return call
	}
	for {
		if t := p.cur(); t.tok == tStar {
			p.next()
			call.args = append(call.args, &starExpr{at: t.pos})
		} else {
			call.args = append(call.args, p.parseExpr())
		}
		if p.cur().tok != tComma {
			break
		}
		p.next()
	}
	p.expect(tRParen)
	return call
}
