package kql

import "strings"

// maxDepth caps expression and subquery nesting so that hostile input
// cannot exhaust the stack (as go/parser does). Chains of binary operators
// (a or b or c ...) build equally deep trees, so they count too.
const maxDepth = 500

type tokInfo struct {
	pos, end int
	tok      token
	lit      string
}

// parser is a recursive-descent parser over the scanned tokens. The first
// syntax error is recorded and the parse abandoned with a private bailout
// panic, recovered only in parse; any other panic is a bug and propagates.
type parser struct {
	src   string
	toks  []tokInfo
	p     int
	errs  errorList
	depth int
	// chainDepth is the part of depth added by binary chains.
	chainDepth int
}

type bailout struct{}

// parse parses a whole query: statements separated by semicolons.
func parse(src string) (stmts []statement, errs errorList) {
	ps := &parser{src: src}
	var sc scanner
	sc.init(src, func(pos int, tok, msg string) {
		if len(ps.errs) < 10 { // only the first is reported; garbage input can have millions
			ps.errs.add(pos, msg, tok)
		}
	})
	for {
		pos, tok, lit := sc.scan()
		ps.toks = append(ps.toks, tokInfo{pos, sc.off, tok, lit})
		if tok == tEOF {
			break
		}
	}
	if len(ps.errs) > 0 {
		return nil, ps.errs
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			stmts, errs = nil, ps.errs
		}
	}()
	return ps.parseQuery(), nil
}

func (p *parser) cur() tokInfo { return p.toks[p.p] }

func (p *parser) peekTok(k int) tokInfo {
	if p.p+k < len(p.toks) {
		return p.toks[p.p+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() tokInfo {
	t := p.toks[p.p]
	if t.tok != tEOF {
		p.p++
	}
	return t
}

// fail records a syntax error at the current token and bails out.
func (p *parser) fail(msg string) {
	t := p.cur()
	text := "<EOF>"
	if t.tok != tEOF {
		text = p.src[t.pos:t.end]
	}
	p.errs.add(t.pos, msg, text)
	panic(bailout{})
}

func (p *parser) expect(tok token) tokInfo {
	if p.cur().tok != tok {
		p.fail("expected " + tok.String())
	}
	return p.next()
}

// isWord reports whether the current token is the keyword w; a bracketed
// name such as ['where'] is always a name, never a keyword.
func (p *parser) isWord(w string) bool {
	t := p.cur()
	return t.tok == tIdent && t.lit == w && p.src[t.pos] != '['
}

func (p *parser) expectWord(w string) tokInfo {
	if !p.isWord(w) {
		p.fail("expected " + w)
	}
	return p.next()
}

func (p *parser) ident() identExpr {
	t := p.expect(tIdent)
	return identExpr{at: t.pos, name: t.lit}
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		p.fail("nesting too deep")
	}
}

func (p *parser) leave() { p.depth-- }

// chain counts one more operand of a binary chain against maxDepth; the
// depth is restored when the enclosing parseExpr returns.
func (p *parser) chain() {
	p.enter()
	p.chainDepth++
}

func (p *parser) parseQuery() []statement {
	var stmts []statement
	for {
		for p.cur().tok == tSemi {
			p.next()
		}
		if p.cur().tok == tEOF {
			break
		}
		stmts = append(stmts, p.parseStatement())
		if p.cur().tok != tSemi && p.cur().tok != tEOF {
			p.fail("expected ';' or end of query")
		}
	}
	if len(stmts) == 0 {
		p.fail("empty query")
	}
	return stmts
}

func (p *parser) parseStatement() statement {
	t := p.cur()
	if p.isWord("let") && p.peekTok(1).tok == tIdent && p.peekTok(2).tok == tAssign {
		p.next()
		name := p.next().lit
		p.next()
		st := &letStmt{at: t.pos, name: name}
		if p.isWord("union") || p.isWord("print") {
			st.query = p.parsePipeline()
			return st
		}
		e := p.parseExpr()
		if p.cur().tok == tPipe {
			id, ok := e.(*identExpr)
			if !ok {
				p.fail("expected a table before '|'")
			}
			st.query = &pipeline{src: &tableSource{at: id.at, name: id.name}}
			p.parseOps(st.query)
			return st
		}
		st.value = e
		return st
	}
	return &queryStmt{at: t.pos, p: p.parsePipeline()}
}

func (p *parser) parsePipeline() *pipeline {
	p.enter()
	defer p.leave()
	pl := &pipeline{src: p.parseSource()}
	p.parseOps(pl)
	return pl
}

func (p *parser) parseOps(pl *pipeline) {
	for p.cur().tok == tPipe {
		p.next()
		pl.ops = append(pl.ops, p.parseOperator())
	}
}

func (p *parser) parseSource() source {
	t := p.cur()
	switch {
	case t.tok == tLParen:
		p.next()
		sub := p.parsePipeline()
		p.expect(tRParen)
		return &subquerySource{at: t.pos, p: sub}
	case p.isWord("union"):
		p.next()
		return &unionSource{at: t.pos, args: p.parseUnionArgs()}
	case p.isWord("print"):
		p.next()
		return &printSource{at: t.pos, cols: p.parseNamedList()}
	case t.tok == tIdent:
		p.next()
		return &tableSource{at: t.pos, name: t.lit}
	}
	p.fail("expected a table, union or print")
	return nil
}

// parseUnionArgs parses [kind=inner|outer] [withsource=Name]
// [isfuzzy=bool] then the legs.
func (p *parser) parseUnionArgs() (args unionArgs) {
	for p.cur().tok == tIdent && p.peekTok(1).tok == tAssign &&
		(p.isWord("kind") || p.isWord("withsource") || p.isWord("isfuzzy")) {
		w := p.next().lit
		p.next()
		v := p.next()
		switch {
		case w == "withsource" && v.tok == tIdent:
			args.withSource = v.lit
		case w == "kind" && (v.lit == "inner" || v.lit == "outer") && v.tok == tIdent:
			args.inner = v.lit == "inner"
		case w == "isfuzzy" && (v.lit == "true" || v.lit == "false") && v.tok == tIdent:
		default:
			p.p--
			p.fail("unexpected value for " + w)
		}
	}
	legs := &args.legs
	for {
		t := p.cur()
		switch t.tok {
		case tLParen:
			p.next()
			*legs = append(*legs, p.parsePipeline())
			p.expect(tRParen)
		case tIdent:
			p.next()
			*legs = append(*legs, &pipeline{src: &tableSource{at: t.pos, name: t.lit}})
		default:
			p.fail("expected a table or a parenthesized query")
		}
		if p.cur().tok != tComma {
			return args
		}
		p.next()
	}
}

func (p *parser) parseOperator() operator {
	t := p.cur()
	if t.tok != tIdent || p.src[t.pos] == '[' {
		p.fail("expected an operator")
	}
	p.next()
	switch t.lit {
	case "where", "filter":
		return &whereOp{at: t.pos, pred: p.parseExpr()}
	case "project":
		return &projectOp{at: t.pos, cols: p.parseNamedList()}
	case "project-away":
		return &projectAwayOp{at: t.pos, names: p.parseNameList()}
	case "project-reorder":
		return &projectReorderOp{at: t.pos, names: p.parseNameList()}
	case "project-keep":
		return &projectAwayOp{at: t.pos, names: p.parseNameList(), keep: true}
	case "project-rename":
		op := &projectRenameOp{at: t.pos}
		for {
			n := p.ident()
			p.expect(tAssign)
			op.newNames = append(op.newNames, n.name)
			op.oldNames = append(op.oldNames, p.ident())
			if p.cur().tok != tComma {
				return op
			}
			p.next()
		}
	case "extend":
		return &extendOp{at: t.pos, cols: p.parseNamedList()}
	case "summarize":
		op := &summarizeOp{at: t.pos}
		if !p.isWord("by") {
			op.aggs = p.parseNamedList()
		}
		if p.isWord("by") {
			p.next()
			op.by = p.parseNamedList()
		}
		if len(op.aggs) == 0 && len(op.by) == 0 {
			p.fail("expected an aggregation or 'by'")
		}
		return op
	case "order", "sort":
		p.expectWord("by")
		return &sortOp{at: t.pos, keys: p.parseSortKeys()}
	case "take", "limit":
		return &takeOp{at: t.pos, n: p.parseExpr()}
	case "top":
		n := p.parseExpr()
		p.expectWord("by")
		return &topOp{at: t.pos, n: n, keys: p.parseSortKeys()}
	case "distinct":
		if p.cur().tok == tStar {
			p.next()
			return &distinctOp{at: t.pos}
		}
		op := &distinctOp{at: t.pos}
		for {
			op.cols = append(op.cols, p.parseExpr())
			if p.cur().tok != tComma {
				return op
			}
			p.next()
		}
	case "count":
		return &countOp{at: t.pos}
	case "getschema":
		return &getschemaOp{at: t.pos}
	case "render":
		// Visualization hints only matter to the service's UI: skip them.
		depth := 0
		for {
			c := p.cur().tok
			if c == tEOF || depth == 0 && (c == tPipe || c == tSemi || c == tRParen) {
				return &renderOp{at: t.pos}
			}
			if c == tLParen {
				depth++
			} else if c == tRParen {
				depth--
			}
			p.next()
		}
	case "union":
		return &unionOp{at: t.pos, args: p.parseUnionArgs()}
	case "join":
		return p.parseJoin(t.pos)
	}
	p.p--
	p.fail("unknown operator")
	return nil
}

// parseNameList parses column names for project-away and project-reorder;
// a name directly followed by * (or * alone) is a wildcard pattern.
func (p *parser) parseNameList() []identExpr {
	var names []identExpr
	for {
		t := p.cur()
		var id identExpr
		switch t.tok {
		case tStar:
			p.next()
			id = identExpr{at: t.pos, name: "*"}
		case tIdent:
			p.next()
			id = identExpr{at: t.pos, name: t.lit}
		default:
			p.fail("expected a column name")
		}
		for p.cur().tok == tStar || p.cur().tok == tIdent && p.cur().pos == p.toks[p.p-1].end && strings.HasSuffix(id.name, "*") {
			id.name += p.next().lit
		}
		names = append(names, id)
		if p.cur().tok != tComma {
			return names
		}
		p.next()
	}
}

func (p *parser) parseNamedList() []namedExpr {
	var list []namedExpr
	for {
		list = append(list, p.parseNamed())
		if p.cur().tok != tComma {
			return list
		}
		p.next()
	}
}

func (p *parser) parseNamed() namedExpr {
	if p.cur().tok == tIdent && p.peekTok(1).tok == tAssign {
		name := p.next().lit
		p.next()
		return namedExpr{name: name, e: p.parseExpr()}
	}
	return namedExpr{e: p.parseExpr()}
}

func (p *parser) parseSortKeys() []sortKey {
	var keys []sortKey
	for {
		k := sortKey{e: p.parseExpr()}
		switch {
		case p.isWord("asc"):
			p.next()
			k.asc = true
		case p.isWord("desc"):
			p.next()
		}
		k.nullsFirst = k.asc // Kusto: nulls first ascending, last descending
		if p.isWord("nulls") {
			p.next()
			switch {
			case p.isWord("first"):
				k.nullsFirst = true
			case p.isWord("last"):
				k.nullsFirst = false
			default:
				p.fail("expected first or last")
			}
			p.next()
		}
		keys = append(keys, k)
		if p.cur().tok != tComma {
			return keys
		}
		p.next()
	}
}
